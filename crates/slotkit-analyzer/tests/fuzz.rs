//! Property test: random, mutated and truncated source never makes the analyzer
//! (parse, model, rules, plan, fix) panic, and fixes always parse.

use proptest::prelude::*;
use slotkit_analyzer::checker::Checker;
use slotkit_analyzer::fix::{apply, file_fixes};
use slotkit_analyzer::model::project::Project;
use slotkit_analyzer::plan::make_plan;
use slotkit_analyzer::savings::PyVersion;

const SEEDS: &[&str] = &[
    include_str!("fixtures/SK101/pos/conflict.py"),
    include_str!("fixtures/SK106/pos/nonslot.py"),
    include_str!("fixtures/SK201/pos/pkg/models.py"),
    include_str!("fixtures/SK301/pos/pkg/shapes.py"),
    include_str!("fixtures/SK301/pos/pkg/base.py"),
    include_str!("fixtures/SK302/pos/blocked.py"),
    include_str!("fixtures/SK103/pos/varsize.py"),
];

const TOKENS: &[&str] = &[
    "class ", "(", ")", ":", "\n", "    ", "__slots__ = ", "\"a\"", "self.", "=", "def f(self):",
    "super()", "vars(self)", "weakref.ref(self)", "@dataclass(slots=True)\n", "from . import x\n",
    "\"\"\"", "'", "#", "\\", "\t", "é", "🦀", "\r\n", "[", "]", ",", "import weakref\n",
];

fn analyse(sources: Vec<(String, String)>) {
    let project = Project::from_sources(sources);
    let diags = Checker::new(&project, PyVersion::DEFAULT).run();
    let plan = make_plan(&project, PyVersion::DEFAULT);
    for f in file_fixes(&project, &plan) {
        let m = &project.modules[f.module];
        let fixed = apply(&m.text, &f.edits).expect("edits lie inside the text");
        assert!(
            ruff_python_parser::parse_module(&fixed).is_ok(),
            "fix produced unparsable code:\n{fixed}"
        );
    }
    for d in diags {
        assert!(d.line >= 1 && d.column >= 1);
    }
}

fn mutate(seed: &str, cuts: &[(usize, usize)]) -> String {
    let mut s = seed.to_string();
    for &(pos, tok) in cuts {
        let mut at = pos % (s.len() + 1);
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.insert_str(at, TOKENS[tok % TOKENS.len()]);
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn truncated_sources_never_panic(seed in 0..SEEDS.len(), cut in 0usize..4000) {
        let src = SEEDS[seed];
        let mut at = cut % (src.len() + 1);
        while !src.is_char_boundary(at) {
            at -= 1;
        }
        analyse(vec![("pkg/__init__.py".into(), String::new()), ("pkg/m.py".into(), src[..at].to_string())]);
    }

    #[test]
    fn mutated_sources_never_panic(seed in 0..SEEDS.len(), cuts in proptest::collection::vec((0usize..4000, 0usize..64), 1..12)) {
        let src = mutate(SEEDS[seed], &cuts);
        let other = mutate(SEEDS[(seed + 1) % SEEDS.len()], &cuts[..cuts.len() / 2]);
        analyse(vec![("pkg/a.py".into(), src), ("pkg/b.py".into(), other)]);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        analyse(vec![("m.py".into(), text)]);
    }
}
