//! The machine-readable fix plan: `slotkit fix --format json` prints every planned
//! edit (safe and unsafe, with the reasons), and `slotkit fix --plan FILE` applies
//! exactly the classes a JSON file lists, optionally with extra slot names. This is
//! how `slotkit fix --verify` (Python, `slotkit._verify`) applies a subset of the
//! fixes without re-implementing the edits.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::fix::ClassEdit;
use crate::fix_safety::Applicability;
use crate::model::project::Project;

/// One class of the plan, as printed by `fix --format json`.
#[derive(Debug, Serialize)]
pub struct PlanEntry {
    /// `<path as shown>::<qualified name>`, the key `--plan` accepts
    pub id: String,
    pub path: String,
    pub qualname: String,
    pub name: String,
    pub line: usize,
    pub slots: Vec<String>,
    pub saved_bytes: usize,
    pub applicability: Applicability,
    /// why the fix is unsafe (unknown uses, file:line)
    pub unknown_uses: Vec<String>,
    /// slots given only so that unknown uses that may reach the class keep working
    pub kept_for_unknown: Vec<KeptSlot>,
    /// ids of the project bases that must be slotted first
    pub after: Vec<String>,
    /// names defined in the class body (an extra slot must not reuse one)
    pub class_names: Vec<String>,
}

/// A slot kept for an unknown use: the name and the first use needing it (file:line).
#[derive(Debug, Serialize)]
pub struct KeptSlot {
    pub slot: String,
    #[serde(rename = "use")]
    pub use_: String,
}

#[derive(Debug, Serialize)]
pub struct PlanReport {
    pub classes: Vec<PlanEntry>,
    /// files that could not be analysed: `path:line:col: message`
    pub unparsable: Vec<String>,
}

/// One class to edit, as read by `fix --plan FILE`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requested {
    pub id: String,
    /// the slots to insert (default: the planned ones)
    #[serde(default)]
    pub slots: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    pub classes: Vec<Requested>,
}

pub fn class_id(project: &Project, edit: &ClassEdit) -> String {
    let path = project.modules.get(edit.module).map_or("?", |m| m.display.as_str());
    let qualname = project.classes.get(edit.class).map_or("?", |c| c.qualname.as_str());
    format!("{path}::{qualname}")
}

pub fn report(project: &Project, edits: &[ClassEdit]) -> PlanReport {
    let ids: HashMap<_, String> = edits.iter().map(|e| (e.class, class_id(project, e))).collect();
    let id_of = |cid| ids.get(&cid).cloned().unwrap_or_else(|| "?".to_string());
    let classes = edits
        .iter()
        .filter_map(|e| {
            let class = project.classes.get(e.class)?;
            let module = project.modules.get(e.module)?;
            let (line, _) = module.lines.line_col(&module.text, class.name_range.start().to_usize());
            Some(PlanEntry {
                id: class_id(project, e),
                path: module.display.clone(),
                qualname: class.qualname.clone(),
                name: class.name.clone(),
                line,
                slots: e.slots.clone(),
                saved_bytes: e.plan.saved_bytes,
                applicability: e.plan.applicability,
                unknown_uses: e.plan.unknown_uses.clone(),
                kept_for_unknown: e
                    .plan
                    .kept_for_unknown
                    .iter()
                    .map(|(slot, at)| KeptSlot { slot: slot.clone(), use_: at.clone() })
                    .collect(),
                after: e.plan.after.iter().map(|b| id_of(*b)).collect(),
                class_names: class.members.iter().map(|m| m.name.clone()).collect(),
            })
        })
        .collect();
    let unparsable = project
        .modules
        .iter()
        .filter_map(|m| {
            let (range, msg) = m.error.as_ref()?;
            let (line, col) = m.lines.line_col(&m.text, range.start().to_usize());
            Some(format!("{}:{line}:{col}: {msg}", m.display))
        })
        .collect();
    PlanReport { classes, unparsable }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

/// The edits `request` names, in plan order, with their requested slots.
pub fn select(project: &Project, edits: &[ClassEdit], request: &Request) -> Result<Vec<ClassEdit>, String> {
    let index: HashMap<String, usize> = edits.iter().enumerate().map(|(i, e)| (class_id(project, e), i)).collect();
    let mut chosen: Vec<(usize, ClassEdit)> = Vec::new();
    let mut seen = HashSet::new();
    for r in &request.classes {
        let Some(&pos) = index.get(&r.id) else {
            return Err(format!("{}: not a class `fix` can slot in this tree (see `fix --format json`)", r.id));
        };
        if !seen.insert(pos) {
            return Err(format!("{}: listed twice", r.id));
        }
        let mut edit = edits[pos].clone();
        if let Some(slots) = &r.slots {
            let class = project.classes.get(edit.class);
            let mut names = HashSet::new();
            for s in slots {
                if !is_identifier(s) {
                    return Err(format!("{}: {s:?} is not a valid slot name", r.id));
                }
                if !names.insert(s.as_str()) {
                    return Err(format!("{}: slot {s:?} listed twice", r.id));
                }
                let planned = edit.slots.contains(s);
                if !planned && class.is_some_and(|c| c.member(s).is_some()) {
                    return Err(format!(
                        "{}: slot {s:?} would conflict with the class attribute of that name",
                        r.id
                    ));
                }
            }
            edit.slots.clone_from(slots);
        }
        chosen.push((pos, edit));
    }
    chosen.sort_by_key(|(pos, _)| *pos);
    Ok(chosen.into_iter().map(|(_, e)| e).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::class_edits;
    use crate::plan::make_plan;
    use crate::savings::PyVersion;

    fn project() -> Project {
        Project::from_sources(vec![(
            "m.py".into(),
            "class A:\n    kind = 1\n\n    def f(self):\n        self.x = 1\n".into(),
        )])
    }

    #[test]
    fn select_by_id_with_extra_slots() {
        let p = project();
        let edits = class_edits(&p, &make_plan(&p, PyVersion::DEFAULT));
        let r = report(&p, &edits);
        assert_eq!(r.classes.len(), 1);
        assert_eq!(r.classes[0].id, "m.py::A");
        assert!(r.classes[0].class_names.contains(&"kind".to_string()));
        let req: Request = serde_json::from_str(r#"{"classes": [{"id": "m.py::A", "slots": ["x", "y"]}]}"#)
            .expect("valid request");
        let chosen = select(&p, &edits, &req).expect("known class");
        assert_eq!(chosen[0].slots, vec!["x".to_string(), "y".to_string()]);
    }

    #[test]
    fn select_rejects_unknown_classes_and_conflicting_slots() {
        let p = project();
        let edits = class_edits(&p, &make_plan(&p, PyVersion::DEFAULT));
        let bad = |json: &str| {
            let req: Request = serde_json::from_str(json).expect("valid json");
            select(&p, &edits, &req).expect_err("rejected")
        };
        assert!(bad(r#"{"classes": [{"id": "m.py::B"}]}"#).contains("not a class"));
        assert!(bad(r#"{"classes": [{"id": "m.py::A", "slots": ["kind"]}]}"#).contains("conflict"));
        assert!(bad(r#"{"classes": [{"id": "m.py::A", "slots": ["1x"]}]}"#).contains("not a valid"));
    }
}
