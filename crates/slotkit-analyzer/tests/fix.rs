//! `fix` rewrites only proven-safe classes, keeps every other byte, and `--diff`
//! writes nothing.

mod common;

use std::path::Path;

use common::{copy_tree, run};

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).expect("read")
}

#[test]
fn fix_adds_slots_bases_first_and_keeps_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(Path::new("tests/fixtures/SK301/pos"), dir.path());
    let base = dir.path().join("pkg/base.py");
    let before = read(&base);
    let path = dir.path().display().to_string();

    let (code, diff, _) = run(&["fix", &path, "--diff"]);
    assert_eq!(code, 1, "changes pending: exit 1");
    assert_eq!(read(&base), before, "--diff must not write");
    let shown = diff.replace(path.trim_start_matches('/'), "<tmp>");
    insta::assert_snapshot!("fix_diff_SK301", shown);

    let (code, out, err) = run(&["fix", &path]);
    assert_eq!(code, 0, "{out}{err}");
    let after = read(&base);
    assert!(after.contains("    __slots__ = (\"name\", \"_ref\", \"__weakref__\")\n"), "{after}");
    // every original line is still there, in order
    let mut rest = after.as_str();
    for line in before.lines() {
        let pos = rest.find(line).unwrap_or_else(|| panic!("line lost: {line}"));
        rest = &rest[pos + line.len()..];
    }
    let shapes = read(&dir.path().join("pkg/shapes.py"));
    assert!(shapes.contains("__slots__ = (\"side\",)"), "{shapes}");
    assert!(shapes.contains("__slots__ = (\"x\",)"), "{shapes}");

    // idempotent: nothing left to do, and check has no SK301 left
    let (code, _, err) = run(&["fix", &path]);
    assert_eq!(code, 0);
    assert!(err.contains("Added __slots__ to 0 classes"), "{err}");
    let (_, out, _) = run(&["check", &path, "--select", "SK301,SK1,SK2"]);
    assert!(out.contains("All checks passed"), "{out}");
}

#[test]
fn fix_leaves_blocked_classes_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(Path::new("tests/fixtures/SK302/pos"), dir.path());
    let file = dir.path().join("blocked.py");
    let before = read(&file);
    let (code, _, err) = run(&["fix", &dir.path().display().to_string()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&file), before);
}

#[test]
fn fix_handles_docstring_only_and_comment_layouts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("m.py");
    let src = "class A:\n    \"\"\"Only a docstring.\"\"\"\n\n\nclass B:\n    # the constructor\n    def __init__(self):\n        self.v = 1\n\n\nclass C: pass\n\n\nINSTANCES = [A(), C()]\n";
    std::fs::write(&file, src).expect("write");
    let (code, _, err) = run(&["fix", &dir.path().display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let after = read(&file);
    insta::assert_snapshot!("fix_layouts", after);
    assert!(ruff_python_parser::parse_module(&after).is_ok());
}
