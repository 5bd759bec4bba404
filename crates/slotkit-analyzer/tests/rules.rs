//! Every rule has a positive fixture (it fires) and a negative one (it stays
//! silent), and the positive output is snapshotted.

mod common;

use common::{fixture, run};
use slotkit_analyzer::registry::RULES;

fn lines_with(out: &str, code: &str) -> Vec<String> {
    out.lines()
        .filter(|l| l.contains(&format!(": {code} ")))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_rule_fires_on_its_positive_fixture() {
    for rule in RULES {
        let (code, out, err) = run(&["check", &fixture(rule.code, "pos"), "--no-summary"]);
        let hits = lines_with(&out, rule.code);
        assert!(!hits.is_empty(), "{} did not fire:\n{out}\n{err}", rule.code);
        assert_eq!(code, 1, "{}: findings must exit 1", rule.code);
        insta::assert_snapshot!(format!("pos_{}", rule.code), out);
    }
}

#[test]
fn every_rule_is_silent_on_its_negative_fixture() {
    for rule in RULES {
        let (_, out, err) = run(&["check", &fixture(rule.code, "neg"), "--no-summary"]);
        let hits = lines_with(&out, rule.code);
        assert!(hits.is_empty(), "{} fired on the negative fixture:\n{out}\n{err}", rule.code);
    }
}

#[test]
fn select_and_ignore_filter_codes() {
    let dir = fixture("SK101", "pos");
    let (code, out, _) = run(&["check", &dir, "--select", "SK2", "--no-summary"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.is_empty());
    let (code, out, _) = run(&["check", &dir, "--ignore", "SK101,SK3", "--no-summary"]);
    assert_eq!(code, 0, "{out}");
    let (code, _, err) = run(&["check", &dir, "--select", "XX9"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown rule selector"));
}

#[test]
fn exit_codes_and_summary() {
    let (code, out, _) = run(&["check", &fixture("SK204", "neg")]);
    assert_eq!(code, 0);
    assert!(out.contains("All checks passed (1 file)."), "{out}");
    let (code, out, _) = run(&["check", &fixture("SK204", "pos")]);
    assert_eq!(code, 1);
    assert!(out.contains("Found 1 finding in 1 file: 0 broken, 1 wasted"), "{out}");
    let (code, _, err) = run(&["check", "does/not/exist"]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file"), "{err}");
    let (code, _, _) = run(&["lint"]);
    assert_eq!(code, 2);
    let (code, _, _) = run(&["check", "--python", "2.7"]);
    assert_eq!(code, 2);
}

#[test]
fn syntax_error_does_not_stop_other_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("bad.py"), "class (:\n").expect("write");
    std::fs::write(dir.path().join("good.py"), "class A:\n    __slots__ = 'x'\n").expect("write");
    let path = dir.path().display().to_string();
    let (code, out, _) = run(&["check", &path, "--no-summary"]);
    assert_eq!(code, 1);
    assert_eq!(lines_with(&out, "SK000").len(), 1, "{out}");
    assert_eq!(lines_with(&out, "SK204").len(), 1, "{out}");
}

#[test]
fn json_and_sarif_formats() {
    let dir = fixture("SK203", "pos");
    let (_, out, _) = run(&["check", &dir, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid json");
    assert_eq!(v["diagnostics"][0]["code"], "SK203");
    assert_eq!(v["diagnostics"][0]["line"], 2);
    assert_eq!(v["summary"]["wasted"], 1);
    let (_, out, _) = run(&["check", &dir, "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid sarif");
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["runs"][0]["results"][0]["ruleId"], "SK203");
    assert_eq!(v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().map_or(0, Vec::len);
    assert_eq!(rules, RULES.len());
}

#[test]
fn python_version_changes_savings_and_sk110() {
    let dir = fixture("SK110", "pos");
    let (_, out, _) = run(&["check", &dir, "--select", "SK110", "--python", "3.14"]);
    assert!(lines_with(&out, "SK110").is_empty(), "{out}");
    let dir = fixture("SK301", "pos");
    let (_, out310, _) = run(&["check", &dir, "--select", "SK301", "--python", "3.10"]);
    let (_, out313, _) = run(&["check", &dir, "--select", "SK301", "--python", "3.13"]);
    assert!(out310.contains("on Python 3.10"), "{out310}");
    assert_ne!(out310, out313.replace("3.13", "3.10"));
}

#[test]
fn explain_prints_the_rule_page() {
    let (code, out, _) = run(&["check", "--explain", "sk203"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("# SK203 duplicate-slot-name"), "{out}");
    assert!(out.contains("## What it does"));
}

#[test]
fn pyproject_excludes_and_gitignore_are_honoured() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::write(root.join("pyproject.toml"), "[project]\nrequires-python = \">=3.12\"\n[tool.slotkit]\nexclude = [\"gen/\"]\n").expect("write");
    std::fs::write(root.join(".gitignore"), "build/\n").expect("write");
    for sub in ["src", "gen", "build"] {
        std::fs::create_dir_all(root.join(sub)).expect("mkdir");
        std::fs::write(root.join(sub).join("m.py"), "class A:\n    __slots__ = 'x'\n").expect("write");
    }
    let path = root.display().to_string();
    let (_, out, err) = run(&["check", &path, "--no-summary"]);
    let hits = lines_with(&out, "SK204");
    assert_eq!(hits.len(), 1, "{out}");
    assert!(hits[0].contains("src"), "{out}");
    assert!(err.contains("target Python 3.12"), "{err}");
}
