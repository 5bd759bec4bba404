//! Linking must stay close to linear in the program: recursive functions returning each
//! other's results (numpy's `f2py.auxfuncs.dictappend`) and private functions passing
//! their parameters to each other (lib2to3) once made the analysis walk every path down
//! to the depth limit: numpy's package took 181 s, lib2to3 16 s. Each question (what a
//! name holds, what a parameter is passed) is now answered once per state.

mod support;

use slotkit_analyzer::model::project::Project;
use support::clean;

/// `n` functions `f{i}` returning the results of the next three (and of the one before)
/// or an `A`, and `n` private functions `_p{i}` passing their parameters on to the next
/// three (and back), storing `z` on the first.
fn chains(n: usize) -> String {
    let mut src = String::from("class A:\n    def __init__(self):\n        self.a = 1\n\n\n");
    for i in 0..n {
        src.push_str(&format!("def f{i}(rd, x):\n"));
        for (k, j) in (i + 1..(i + 4).min(n)).enumerate() {
            src.push_str(&format!("    if x == {k}:\n        return f{j}(rd, x)\n"));
        }
        src.push_str(&format!("    rd = f{}(rd, x)\n    return rd or A()\n\n\n", i.saturating_sub(1)));
    }
    for i in 0..n {
        src.push_str(&format!("def _p{i}(v, w):\n"));
        for j in i + 1..(i + 4).min(n) {
            src.push_str(&format!("    if w:\n        _p{j}(v, w)\n"));
        }
        src.push_str(&format!("    if w:\n        _p{}(w, v)\n    v.z = 1\n\n\n", i.saturating_sub(2)));
    }
    src.push_str("def main():\n    f0(None, 1).y = 2\n    _p0(A(), A())\n");
    src
}

#[test]
fn recursive_returns_and_parameters_are_typed_once() {
    let src = chains(40);
    // sound: both stores reach `A` through the chains
    clean(&src, "A", &["a", "z", "y"]);
    let project = Project::from_sources(vec![("m.py".to_string(), src)]);
    let work = project.memo.evaluations.get();
    // about 50,000 now; the old walk took 83 s here
    assert!(work < 100_000, "{work} evaluations");
}

#[test]
fn the_work_grows_linearly_with_the_chains() {
    let work = |n: usize| {
        let project = Project::from_sources(vec![("m.py".to_string(), chains(n))]);
        project.memo.evaluations.get()
    };
    let (small, large) = (work(20), work(80));
    // four times the program: at most about four times the work (not 3^depth)
    assert!(large <= small * 6, "{small} -> {large}");
}
