//! `slotkit fix`: insert `__slots__` into the classes the plan proved safe to slot, as
//! insertions into the original text, then write atomically in the file's encoding.

use std::io::Write;
use std::path::Path;

use crate::error::AnalyzerError;
use crate::encoding::{decode, encode};
use crate::model::class::{ClassId, InsertPoint, ModuleId};
use crate::model::project::Project;
use crate::plan::{Plan, SafePlan, Verdict};
use crate::rules::can_use_slots::tuple_text;

/// The edits for one file.
#[derive(Debug)]
pub struct FileFix {
    pub module: ModuleId,
    /// (offset, inserted text), sorted by offset
    pub edits: Vec<(usize, String)>,
    pub classes: Vec<String>,
}

/// One planned `__slots__` insertion, safe or unsafe.
#[derive(Debug, Clone)]
pub struct ClassEdit {
    pub class: ClassId,
    pub module: ModuleId,
    pub offset: usize,
    pub slots: Vec<String>,
    pub plan: SafePlan,
}

/// The text inserted for `slots` at `point` (CRLF kept when the file uses it).
pub fn insertion_text(point: &InsertPoint, slots: &[String], crlf: bool) -> String {
    let mut text = String::new();
    if point.after_line {
        text.push('\n');
    }
    if point.blank_before {
        text.push('\n');
    }
    text.push_str(&point.indent);
    text.push_str("__slots__ = ");
    text.push_str(&tuple_text(slots));
    if !point.after_line {
        text.push('\n');
    }
    if point.blank_after {
        text.push('\n');
    }
    if crlf {
        text = text.replace('\n', "\r\n");
    }
    text
}

/// Every edit the plan proposes, bases before subclasses, with its applicability.
pub fn class_edits(project: &Project, plan: &Plan) -> Vec<ClassEdit> {
    let mut out = Vec::new();
    for &cid in &plan.order {
        let (Some(class), Some(Verdict::Safe(safe))) = (project.classes.get(cid), plan.verdicts.get(cid)) else {
            continue;
        };
        let Some(point) = &class.insert_at else { continue };
        out.push(ClassEdit {
            class: cid,
            module: class.module,
            offset: point.offset,
            slots: safe.slots.clone(),
            plan: safe.clone(),
        });
    }
    out
}

/// Group edits by file (bases before subclasses within a file).
pub fn group_edits(project: &Project, chosen: &[ClassEdit]) -> Vec<FileFix> {
    let mut fixes: Vec<FileFix> = Vec::new();
    for e in chosen {
        let Some(class) = project.classes.get(e.class) else { continue };
        let Some(point) = &class.insert_at else { continue };
        let crlf = project.modules.get(e.module).is_some_and(|m| m.text.contains("\r\n"));
        let text = insertion_text(point, &e.slots, crlf);
        let fix = match fixes.iter_mut().position(|f| f.module == e.module) {
            Some(i) => &mut fixes[i],
            None => {
                fixes.push(FileFix { module: e.module, edits: Vec::new(), classes: Vec::new() });
                let Some(last) = fixes.last_mut() else { continue };
                last
            }
        };
        fix.edits.push((e.offset, text));
        fix.classes.push(class.qualname.clone());
    }
    for f in &mut fixes {
        f.edits.sort_by_key(|(o, _)| *o);
    }
    fixes.sort_by_key(|f| f.module);
    fixes
}

/// The edits of every planned class (safe and unsafe), grouped by file.
pub fn file_fixes(project: &Project, plan: &Plan) -> Vec<FileFix> {
    group_edits(project, &class_edits(project, plan))
}

/// Apply sorted insertions; every other byte is kept.
pub fn apply(text: &str, edits: &[(usize, String)]) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64 * edits.len());
    let mut last = 0;
    for (offset, insert) in edits {
        out.push_str(text.get(last..*offset)?);
        out.push_str(insert);
        last = *offset;
    }
    out.push_str(text.get(last..)?);
    Some(out)
}

/// Does the fixed text still parse, with one more `__slots__` per fixed class?
pub fn verify(original: &str, fixed: &str, added: usize) -> bool {
    if ruff_python_parser::parse_module(fixed).is_err() {
        return false;
    }
    let count = |s: &str| s.matches("__slots__ = ").count();
    count(fixed) == count(original) + added
}

/// A git-style unified diff (`a/` and `b/` prefixes; an absolute path loses its
/// leading `/`, as `git diff --no-index` does).
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let path = path.trim_start_matches('/');
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

pub enum WriteOutcome {
    Written,
    ChangedOnDisk,
}

/// Write `new` over `path` (in the file's own encoding, BOM kept) via a temporary
/// file and a rename, unless the file no longer holds `original`.
/// A symbolic link is followed: its target is rewritten and the link stays a link.
pub fn write_atomic(path: &Path, original: &str, new: &str) -> Result<WriteOutcome, AnalyzerError> {
    let resolved = std::fs::canonicalize(path).map_err(|source| AnalyzerError::Read { path: path.into(), source })?;
    let path = resolved.as_path();
    let current = std::fs::read(path).map_err(|source| AnalyzerError::Read { path: path.into(), source })?;
    let Ok(decoded) = decode(&current) else { return Ok(WriteOutcome::ChangedOnDisk) };
    if decoded.text != original {
        return Ok(WriteOutcome::ChangedOnDisk);
    }
    let werr = |source| AnalyzerError::Write { path: path.into(), source };
    let bytes = encode(new, decoded.encoding, decoded.bom).ok_or_else(|| {
        werr(std::io::Error::new(std::io::ErrorKind::InvalidData, "the new text does not fit the file's encoding"))
    })?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.slotkit-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&tmp, meta.permissions())?;
        }
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(werr(e));
    }
    Ok(WriteOutcome::Written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn write_follows_a_symbolic_link() {
        let dir = std::env::temp_dir().join(format!("slotkit-symlink-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let target = dir.join("real.py");
        let link = dir.join("link.py");
        std::fs::write(&target, "a = 1\n").expect("write");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let outcome = write_atomic(&link, "a = 1\n", "a = 2\n").expect("written");
        assert!(matches!(outcome, WriteOutcome::Written));
        assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "a = 2\n");
        std::fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn apply_keeps_other_bytes() {
        let text = "class A:\n    x = 1\n";
        let out = apply(text, &[(9, "    __slots__ = ()\n".into())]);
        assert_eq!(out.as_deref(), Some("class A:\n    __slots__ = ()\n    x = 1\n"));
        assert!(apply(text, &[(999, String::new())]).is_none());
    }

    #[test]
    fn keeps_crlf_line_endings() {
        let project = crate::model::project::Project::from_sources(vec![(
            "m.py".into(),
            "class A:\r\n    def f(self):\r\n        self.x = 1\r\n".into(),
        )]);
        let plan = crate::plan::make_plan(&project, crate::savings::PyVersion::DEFAULT);
        let fixes = file_fixes(&project, &plan);
        let fixed = apply(&project.modules[0].text, &fixes[0].edits).expect("in range");
        assert_eq!(
            fixed,
            "class A:\r\n    __slots__ = (\"x\",)\r\n\r\n    def f(self):\r\n        self.x = 1\r\n"
        );
    }

    #[test]
    fn refuses_to_overwrite_a_changed_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("m.py");
        std::fs::write(&p, "a = 2\n").expect("write");
        let outcome = write_atomic(&p, "a = 1\n", "b = 1\n").expect("no io error");
        assert!(matches!(outcome, WriteOutcome::ChangedOnDisk));
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "a = 2\n");
        let outcome = write_atomic(&p, "a = 2\n", "b = 2\n").expect("no io error");
        assert!(matches!(outcome, WriteOutcome::Written));
        assert_eq!(std::fs::read_to_string(&p).expect("read"), "b = 2\n");
    }
}
