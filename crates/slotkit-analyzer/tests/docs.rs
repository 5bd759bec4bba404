//! `docs/rules/<CODE>.md` are generated from the rule files' doc comments.
//! Regenerate with `SLOTKIT_UPDATE_DOCS=1 cargo test -p slotkit-analyzer --test docs`.

use std::path::PathBuf;

use slotkit_analyzer::registry::RULES;

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules")
}

fn index() -> String {
    let mut s = String::from("# slotkit check rules\n\nGenerated from `crates/slotkit-analyzer/src/rules/`.\n\n| Code | Name | Category |\n|---|---|---|\n");
    for r in RULES {
        s.push_str(&format!("| [{}]({}.md) | {} | {:?} |\n", r.code, r.code, r.name, r.category));
    }
    s
}

#[test]
fn rule_docs_are_generated_and_up_to_date() {
    let dir = docs_dir();
    let update = std::env::var_os("SLOTKIT_UPDATE_DOCS").is_some();
    let mut pages: Vec<(PathBuf, String)> = RULES
        .iter()
        .map(|r| (dir.join(format!("{}.md", r.code)), r.page()))
        .collect();
    pages.push((dir.join("README.md"), index()));
    for (path, text) in pages {
        if update {
            std::fs::create_dir_all(&dir).expect("mkdir docs/rules");
            std::fs::write(&path, &text).expect("write doc page");
        }
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(on_disk, text, "{} is stale; rerun with SLOTKIT_UPDATE_DOCS=1", path.display());
    }
}

#[test]
fn every_rule_doc_has_the_four_sections() {
    for r in RULES {
        let doc = r.doc();
        for h in ["## What it does", "## Why is this bad?", "## Example", "Use instead:"] {
            assert!(doc.contains(h), "{} doc lacks {h}", r.code);
        }
    }
}
