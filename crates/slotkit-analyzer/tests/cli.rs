//! The command line: fix tiers, the JSON plan and `--plan`, encodings, unparsable
//! files, paths, help and messages.

mod common;

use std::path::Path;

use common::run;

const TIERS: &str = "\
class Safe:
    def __init__(self):
        self.a = 1
        self.label = \"\"


class Risky:
    label = None

    def __init__(self):
        self.b = 1


def label(thing, text):
    thing.label = text
";

fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).expect("read")
}

#[test]
fn check_marks_safe_and_unsafe_fixes() {
    let dir = project(&[("m.py", TIERS.as_bytes())]);
    let path = dir.path().display().to_string();
    let (code, out, _) = run(&["check", &path]);
    assert_eq!(code, 1);
    assert!(out.contains("SK301 [*] `Safe` can use"), "{out}");
    assert!(out.contains("`Risky` can use `__slots__ = (\"b\",)`"), "{out}");
    assert!(out.contains("[unsafe fix: "), "{out}");
    assert!(out.contains("m.py:15 stores `.label` on a receiver of unknown type"), "{out}");
    assert!(out.contains("1 safe fix for `slotkit fix`, 1 unsafe fix for `--unsafe-fixes`"), "{out}");

    let (_, json, _) = run(&["check", &path, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let fixes: Vec<&str> = v["diagnostics"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["fix"]["applicability"].as_str().unwrap_or("none"))
        .collect();
    assert_eq!(fixes, ["safe", "unsafe"]);
    assert_eq!(v["summary"]["unsafe_fixes"], 1);

    let (_, sarif, _) = run(&["check", &path, "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif).expect("sarif");
    let results = v["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results[1]["properties"]["fixApplicability"], "unsafe");
    assert!(results[1]["properties"]["unknownUses"][0].as_str().unwrap_or("").contains(":15 stores"));
}

#[test]
fn fix_applies_safe_fixes_unless_asked_for_unsafe_ones() {
    let dir = project(&[("m.py", TIERS.as_bytes())]);
    let path = dir.path().display().to_string();
    let file = dir.path().join("m.py");
    let (code, _, err) = run(&["fix", &path]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Added __slots__ to 1 class in 1 file. 1 unsafe fix not applied"), "{err}");
    let text = read(&file);
    assert!(text.contains("__slots__ = (\"a\", \"label\")"), "{text}");
    assert!(!text.contains("__slots__ = (\"b\",)"), "{text}");
    let (code, _, err) = run(&["fix", &path, "--unsafe-fixes"]);
    assert_eq!(code, 0, "{err}");
    assert!(read(&file).contains("__slots__ = (\"b\",)"));
}

#[test]
fn json_plan_and_plan_file_apply_a_chosen_subset() {
    let dir = project(&[("m.py", TIERS.as_bytes())]);
    let path = dir.path().display().to_string();
    let file = dir.path().join("m.py");
    let (code, json, _) = run(&["fix", &path, "--format", "json"]);
    assert_eq!(code, 1);
    assert_eq!(read(&file), TIERS, "--format json writes nothing");
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let ids: Vec<&str> = v["classes"].as_array().expect("classes").iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, [format!("{path}/m.py::Safe"), format!("{path}/m.py::Risky")]);
    assert_eq!(v["classes"][1]["applicability"], "unsafe");

    let plan = dir.path().join("plan.json");
    let request = serde_json::json!({"classes": [{"id": ids[1], "slots": ["b", "extra"]}]});
    std::fs::write(&plan, request.to_string()).expect("write plan");
    let (code, _, err) = run(&["fix", &path, "--plan", &plan.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let text = read(&file);
    assert!(text.contains("__slots__ = (\"b\", \"extra\")"), "{text}");
    assert!(!text.contains("__slots__ = (\"a\""), "only the listed class: {text}");

    std::fs::write(&plan, r#"{"classes": [{"id": "nope.py::X"}]}"#).expect("write plan");
    let (code, _, err) = run(&["fix", &path, "--plan", &plan.display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.contains("nope.py::X: not a class"), "{err}");
    std::fs::write(&plan, "[1, 2").expect("write plan");
    let (code, _, err) = run(&["fix", &path, "--plan", &plan.display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.contains("not a fix plan"), "{err}");
}

#[test]
fn fix_reports_unparsable_files_and_exits_one() {
    let good = b"class A:\n    def __init__(self):\n        self.a = 1\n";
    let dir = project(&[("bad.py", b"x = 1\nprint((1,\n  2\n"), ("good.py", good)]);
    let path = dir.path().display().to_string();
    for extra in [&[][..], &["--diff"][..]] {
        let mut args = vec!["fix", path.as_str()];
        args.extend_from_slice(extra);
        let (code, out, err) = run(&args);
        assert_eq!(code, 1, "{args:?}: {out}{err}");
        assert!(out.contains("bad.py:2:7: SK000 cannot analyse file: '(' was never closed"), "{out}");
        assert!(err.contains("1 file could not be analysed"), "{err}");
    }
    assert!(read(&dir.path().join("good.py")).contains("__slots__ = (\"a\",)"));
}

#[test]
fn latin1_files_are_read_and_written_in_their_encoding() {
    let src = b"# -*- coding: latin-1 -*-\nclass A:\n    def __init__(self):\n        self.name = '\xe9t\xe9'\n";
    let dir = project(&[("l.py", src)]);
    let path = dir.path().display().to_string();
    let (code, out, _) = run(&["check", &path]);
    assert_eq!(code, 1);
    assert!(!out.contains("SK000"), "{out}");
    assert!(out.contains("`A` can use"), "{out}");
    let (code, _, err) = run(&["fix", &path]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(dir.path().join("l.py")).expect("read");
    assert!(bytes.windows(5).any(|w| w == b"'\xe9t\xe9'"), "still latin-1");
    assert!(String::from_utf8_lossy(&bytes).contains("__slots__ = (\"name\",)"));
}

#[test]
fn bom_does_not_shift_columns_and_is_kept() {
    let dir = project(&[("b.py", b"\xef\xbb\xbfclass A:\n    __slots__ = 'x'\n")]);
    let path = dir.path().display().to_string();
    let (_, out, _) = run(&["check", &path, "--no-summary"]);
    assert!(out.contains("b.py:2:5: SK204"), "{out}");
    let dir = project(&[("b.py", b"\xef\xbb\xbfclass A:\n    def f(self):\n        self.x = 1\n")]);
    let path = dir.path().display().to_string();
    let (_, out, _) = run(&["check", &path, "--no-summary"]);
    assert!(out.contains("b.py:1:7: SK301"), "{out}");
    assert_eq!(run(&["fix", &path]).0, 0);
    let bytes = std::fs::read(dir.path().join("b.py")).expect("read");
    assert!(bytes.starts_with(b"\xef\xbb\xbfclass A:\n    __slots__ = (\"x\",)"), "{bytes:?}");
}

#[test]
fn relative_paths_have_no_dot_prefix() {
    let dir = project(&[("src/m.py", b"class U:\n    __slots__ = 'x'\n")]);
    std::env::set_current_dir(dir.path()).expect("chdir");
    let (_, out, _) = run(&["check", ".", "--no-summary"]);
    assert!(out.starts_with("src/m.py:2:5: SK204"), "{out}");
    let (_, out, _) = run(&["check", "./src/m.py", "--no-summary"]);
    assert!(out.starts_with("src/m.py:2:5"), "{out}");
}

#[test]
fn help_explain_and_empty_folders() {
    let (code, check_help, _) = run(&["check", "--help"]);
    assert_eq!(code, 0);
    let (_, fix_help, _) = run(&["fix", "--help"]);
    assert_ne!(check_help, fix_help);
    assert!(check_help.contains("--select CODES"), "{check_help}");
    assert!(fix_help.contains("--unsafe-fixes") && fix_help.contains("--verify CMD"), "{fix_help}");

    let (code, out, _) = run(&["check", "--explain", "SK107"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# SK107 weakref-without-weakref-slot"), "{out}");
    assert!(!out.contains("cargo test") && !out.contains("Generated from"), "{out}");

    let empty = tempfile::tempdir().expect("tempdir");
    std::fs::write(empty.path().join("notes.txt"), "hi").expect("write");
    let path = empty.path().display().to_string();
    for cmd in ["check", "fix"] {
        let (code, _, err) = run(&[cmd, &path]);
        assert_eq!(code, 0);
        assert!(err.contains("no Python files found under"), "{err}");
    }
}
