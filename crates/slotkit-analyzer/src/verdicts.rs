//! Per-class verdicts as JSON, for `slotkit census`: for each class in the given files, what
//! `slotkit check` concludes about slotting it (the same plan `check` and `fix` use).

use std::path::PathBuf;


use serde::Serialize;

use crate::model::project::Project;
use crate::plan::{make_plan, Verdict};
use crate::savings::PyVersion;

#[derive(Serialize)]
pub struct ClassVerdict {
    pub path: String,
    pub qualname: String,
    /// line of the `class` keyword (1-based)
    pub line: usize,
    /// `safe`, `unsafe` (safe to slot unless an unknown use reaches it), `blocked`,
    /// `already` (slotted, generated or otherwise out of scope), `no-benefit` (a base keeps a dict)
    pub verdict: &'static str,
    pub slots: Vec<String>,
    /// the slots among `slots` given only for unknown uses that may reach the class
    pub kept: Vec<String>,
    /// why it is blocked, or the unknown uses that make it unsafe
    pub reasons: Vec<String>,
}

/// The verdicts for every class defined in `project`, on Python `version`.
pub fn class_verdicts(project: &Project, version: PyVersion) -> Vec<ClassVerdict> {
    let plan = make_plan(project, version);
    let mut out = Vec::new();
    for (cid, class) in project.classes.iter().enumerate() {
        let Some(m) = project.modules.get(class.module) else { continue };
        let (line, _) = m.lines.line_col(&m.text, class.range.start().to_usize());
        let kept: Vec<String> = match plan.verdicts.get(cid) {
            Some(Verdict::Safe(p)) => p.kept_for_unknown.iter().map(|(n, _)| n.clone()).collect(),
            _ => Vec::new(),
        };
        let (verdict, slots, reasons) = match plan.verdicts.get(cid) {
            Some(Verdict::Safe(p)) => {
                let v = if p.applicability == crate::fix_safety::Applicability::Safe { "safe" } else { "unsafe" };
                (v, p.slots.clone(), p.unknown_uses.clone())
            }
            Some(Verdict::Blocked(r)) => {
                let mut unique: Vec<String> = Vec::new();
                for x in r {
                    if !unique.contains(x) {
                        unique.push(x.clone());
                    }
                }
                ("blocked", Vec::new(), unique)
            }
            Some(Verdict::NoBenefit) => ("no-benefit", Vec::new(), Vec::new()),
            Some(Verdict::NotCandidate) | None => ("already", Vec::new(), Vec::new()),
        };
        out.push(ClassVerdict {
            path: m.path.display().to_string(),
            qualname: class.qualname.clone(),
            line,
            verdict,
            slots,
            kept,
            reasons,
        });
    }
    out
}

/// `class_verdicts` for files and folders (every `.py` file under them) analysed as one
/// project, as a JSON array; paths that do not exist are skipped.
pub fn class_verdicts_json(paths: &[PathBuf], version: PyVersion) -> String {
    let existing: Vec<PathBuf> = paths.iter().filter(|p| p.exists()).cloned().collect();
    let files = crate::discover::python_files(&existing, None, &[]).unwrap_or_default();
    let project = Project::build(files);
    serde_json::to_string(&class_verdicts(&project, version)).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_of_a_safe_and_a_blocked_class() {
        let src = "class P:\n    def __init__(self):\n        self.x = 1\n\nclass Q:\n    def f(self):\n        return vars(self)\n";
        let project = Project::from_sources(vec![("m.py".to_owned(), src.to_owned())]);
        let v = class_verdicts(&project, PyVersion::DEFAULT);
        let names: Vec<_> = v.iter().map(|c| c.qualname.clone()).collect();
        let p = v.iter().find(|c| c.qualname == "P").unwrap_or_else(|| panic!("{names:?}"));
        assert_eq!((p.verdict, p.line, p.slots.clone()), ("safe", 1, vec!["x".to_owned()]));
        let q = v.iter().find(|c| c.qualname == "Q").expect("Q");
        assert_eq!((q.verdict, q.line), ("blocked", 5));
        assert!(!q.reasons.is_empty());
    }
}
