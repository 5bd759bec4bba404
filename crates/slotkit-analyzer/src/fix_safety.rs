//! Fix applicability: a planned `__slots__` edit is `safe` when no use in the analysed
//! code can break it, `unsafe` when some *unknown use* (a store, weak reference,
//! `vars()` or `__dict__` on a receiver whose type the analysis cannot pin down) could
//! reach the class. See `docs/fix-safety.md`.

use std::collections::HashSet;

use serde::Serialize;

use crate::layout::Tri;
use crate::model::class::{ClassId, MemberKind, Use, UseKind};
use crate::model::project::{BaseTarget, Project};
use crate::plan::{ancestors, SafePlan};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

impl std::fmt::Display for Applicability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        })
    }
}

/// How many unknown uses a note lists before "and N more".
const SHOWN: usize = 3;

/// Names an instance of `cid` accepts once slotted: its planned and inherited slots,
/// properties, and slots planned for its project bases.
fn accepted_names(project: &Project, cid: ClassId, plan: &SafePlan) -> HashSet<String> {
    let mut names: HashSet<String> = plan.slots.iter().cloned().collect();
    for k in std::iter::once(cid).chain(ancestors(project, cid)) {
        let Some(class) = project.classes.get(k) else { continue };
        if let Some(s) = &class.slots {
            names.extend(s.names.iter().map(|(n, _)| n.clone()));
        }
        for m in &class.members {
            if m.kind == MemberKind::Property {
                names.insert(m.name.clone());
            }
        }
    }
    for b in &plan.after {
        if let Some(k) = project.classes.get(*b) {
            names.extend(k.written_names());
        }
    }
    names
}

/// External bases that define no class-level attribute a guarded store could load (only
/// dunder names, which the guard rule leaves alone).
pub(crate) const PLAIN_BASES: &[&str] = &["builtins.object", "abc.ABC", "typing.Generic", "typing_extensions.Generic"];

/// Every name `cid` and its ancestors define at class level (methods, class attributes,
/// properties, nested classes), or `None` when a base outside the project may define more.
pub(crate) fn class_level_names(project: &Project, cid: ClassId) -> Option<HashSet<String>> {
    let mut names = HashSet::new();
    for k in std::iter::once(cid).chain(ancestors(project, cid)) {
        for b in project.bases.get(k)? {
            match b {
                BaseTarget::Project(_) => {}
                BaseTarget::External(d) if PLAIN_BASES.contains(&d.as_str()) => {}
                _ => return None,
            }
        }
        let class = project.classes.get(k)?;
        names.extend(class.members.iter().filter(|m| m.kind != MemberKind::Annotation).map(|m| m.name.clone()));
    }
    Some(names)
}

/// Can a store of `name` guarded by a load of the same attribute (`model::guards`) reach an
/// instance of a class whose class-level names are `class_names`? Only if that load can
/// succeed without an instance `__dict__`: a class-level `name`, or `__getattr__`.
fn guarded_store_reaches(name: &str, class_names: Option<&HashSet<String>>) -> bool {
    let dunder = name.starts_with("__") && name.ends_with("__");
    match class_names {
        Some(c) if !dunder => {
            c.contains(name) || c.contains("__getattr__") || c.contains("__getattribute__")
        }
        _ => true,
    }
}

/// Can this unknown use break a class accepting `accepted` once slotted?
pub(crate) fn reaches(
    accepted: &HashSet<String>,
    weakref: bool,
    u: &Use,
    guarded: bool,
    class_names: Option<&HashSet<String>>,
) -> bool {
    match &u.kind {
        UseKind::Write(name) => {
            !accepted.contains(name) && (!guarded || guarded_store_reaches(name, class_names))
        }
        UseKind::Weakref => !weakref,
        UseKind::Dict | UseKind::DynamicSetattr | UseKind::ClassAssign | UseKind::Patch => true,
    }
}

pub(crate) fn describe(project: &Project, module: usize, u: &Use) -> String {
    let at = project.modules.get(module).map_or_else(String::new, |m| {
        let (line, _) = m.lines.line_col(&m.text, u.range.start().to_usize());
        format!("{}:{line}", m.display)
    });
    let what = match &u.kind {
        UseKind::Write(n) => format!("stores `.{n}`"),
        UseKind::Weakref => "takes a weak reference".to_string(),
        UseKind::Dict => "uses `__dict__` / `vars()`".to_string(),
        UseKind::DynamicSetattr => "calls `setattr` with a computed name".to_string(),
        UseKind::ClassAssign => "assigns `__class__`".to_string(),
        UseKind::Patch => "monkeypatches".to_string(),
    };
    format!("{at} {what} on a receiver of unknown type")
}

/// The unknown uses that could reach `cid`, described with file:line.
pub fn unknown_uses_reaching(
    project: &Project,
    cid: ClassId,
    plan: &SafePlan,
    inherited_weakref: Tri,
    inherited_slots: &[String],
) -> Vec<String> {
    let mut accepted = accepted_names(project, cid, plan);
    accepted.extend(inherited_slots.iter().cloned());
    let weakref = accepted.contains("__weakref__") || inherited_weakref == Tri::Yes;
    let mut hits: Vec<String> = Vec::new();
    let class_names = class_level_names(project, cid);
    let mut total = 0;
    for (module, u) in &project.unknown_uses {
        let guarded = project.modules.get(*module).is_some_and(|m| m.guarded_stores.contains(&u.range));
        if reaches(&accepted, weakref, u, guarded, class_names.as_ref()) {
            total += 1;
            if hits.len() < SHOWN {
                hits.push(describe(project, *module, u));
            }
        }
    }
    if total > SHOWN {
        hits.push(format!("and {} more", total - SHOWN));
    }
    hits
}
