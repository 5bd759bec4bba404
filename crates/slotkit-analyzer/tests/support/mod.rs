//! Shared by the soundness tests: the plan of one class, and the two assertions every
//! rule is checked with (a clean safe fix; a fix that keeps an attribute working).
#![allow(dead_code)]

use slotkit_analyzer::fix_safety::Applicability;
use slotkit_analyzer::model::project::Project;
use slotkit_analyzer::plan::{make_plan, SafePlan, Verdict};
use slotkit_analyzer::savings::PyVersion;

/// The plan of class `name` in a project of these files (path, source).
pub fn plan_files(files: &[(&str, &str)], name: &str) -> Result<SafePlan, Verdict> {
    plan_files_for(files, name, PyVersion::DEFAULT)
}

/// The plan of class `name` for target Python `version`.
pub fn plan_files_for(files: &[(&str, &str)], name: &str, version: PyVersion) -> Result<SafePlan, Verdict> {
    let sources = files.iter().map(|(p, s)| (p.to_string(), s.to_string())).collect();
    let project = Project::from_sources(sources);
    let plan = make_plan(&project, version);
    let cid = project.classes.iter().position(|c| c.name == name).unwrap_or_else(|| panic!("no class {name}"));
    match &plan.verdicts[cid] {
        Verdict::Safe(p) => Ok(p.clone()),
        other => Err(other.clone()),
    }
}

pub fn plan(src: &str, name: &str) -> Result<SafePlan, Verdict> {
    plan_files(&[("m.py", src)], name)
}

/// A safe fix with exactly these slots, none kept for unknown uses.
pub fn clean_files(files: &[(&str, &str)], name: &str, slots: &[&str]) {
    let p = plan_files(files, name).unwrap_or_else(|v| panic!("{name}: {v:?}"));
    assert_eq!(p.applicability, Applicability::Safe, "{name}: {:?}", p.unknown_uses);
    assert_eq!(p.slots, slots, "{name}");
    assert!(p.kept_for_unknown.is_empty(), "{name}: {:?}", p.kept_for_unknown);
}

pub fn clean(src: &str, name: &str, slots: &[&str]) {
    clean_files(&[("m.py", src)], name, slots)
}

/// The fix keeps `attr` working: unsafe, or a slot `attr`.
pub fn protected_files(files: &[(&str, &str)], name: &str, attr: &str) {
    let p = plan_files(files, name).unwrap_or_else(|v| panic!("{name}: {v:?}"));
    assert!(
        p.applicability == Applicability::Unsafe || p.slots.iter().any(|s| s == attr),
        "{name} loses `{attr}`: {:?} ({files:?})",
        p.slots
    );
}

pub fn protected(src: &str, name: &str, attr: &str) {
    protected_files(&[("m.py", src)], name, attr)
}
