//! Closed modules and computed `getattr`s whose value does not escape (issue 9,
//! `model::closed`, `model::by_name`). Test and example modules are called only by the
//! analysed code (and the test runner): their public functions, methods and classes get
//! what the project passes. A computed `getattr` whose value is only read reaches no
//! call; one whose value is called passes those arguments. Each positive case has
//! negative twins where the shortcut would drop a slot the code needs.

mod support;

use slotkit_analyzer::model::project::Project;
use slotkit_analyzer::fix_safety::Applicability;
use support::{clean_files as clean, plan_files, protected_files as protected};

/// No safe fix without unknown uses for `name`: another verdict, or an unsafe fix.
fn not_clean(files: &[(&str, &str)], name: &str) {
    if let Ok(p) = plan_files(files, name) {
        assert_eq!(p.applicability, Applicability::Unsafe, "{name}: {:?} ({files:?})", p.slots);
    }
}

/// Library classes: `Point` gets `x` stored by the tests, `Other` nothing.
const LIB: &str = "class Point:\n    def __init__(self, x):\n        self.x = x\n\n\nclass Other:\n    def __init__(self):\n        self.y = 1\n";

fn with_lib(test: &str) -> Vec<(&'static str, &str)> {
    vec![("lib/__init__.py", ""), ("lib/core.py", LIB), ("tests/__init__.py", ""), ("tests/test_a.py", test)]
}

const HELPER: &str = "from lib.core import Point, Other\n\n\ndef helper(p, v):\n    p.x = v\n\n\ndef test_one():\n    helper(Point(1), 2)\n";

#[test]
fn a_public_function_of_a_test_module_gets_what_the_tests_pass() {
    clean(&with_lib(HELPER), "Other", &["y"]);
    clean(&with_lib(HELPER), "Point", &["x"]);
    // the same function in a library module: anyone may call it with anything
    let open = [("lib/__init__.py", ""), ("lib/core.py", LIB), ("lib/util.py", "def helper(p, v):\n    p.z = v\n")];
    protected(&open, "Other", "z");
    // negative twins in the test module: the function handed on as a value, a name pytest
    // calls, a module with a doctest (the doctest may call it with anything)
    for test in [
        format!("{HELPER}\n\nHOOKS = [helper]\n"),
        "from lib.core import Point, Other\n\n\ndef test_helper(p, v):\n    p.x = v\n".to_string(),
        format!("\"\"\"\n>>> helper(object(), 1)\n\"\"\"\n{HELPER}"),
    ] {
        protected(&with_lib(&test), "Other", "x");
    }
}

/// `resetting`: an `__init__(self, *args)` typed from the calls of the class.
const RESETTING: &str = "import sys\n\n\nclass resetting:\n    def __init__(self, *args):\n        ob = args[0]\n        self.ob = ob\n        self.names = args[1:]\n        self.saved = [getattr(ob, n) for n in self.names]\n\n    def __enter__(self):\n        pass\n\n    def __exit__(self, *exc):\n        for n, v in zip(self.names, self.saved):\n            setattr(self.ob, n, v)\n\n\ndef test_output():\n    with resetting(sys, \"stdout\"):\n        pass\n";

#[test]
fn a_test_class_init_gets_the_arguments_of_its_calls() {
    // `ob` is the `sys` module: the computed `setattr` reaches no project class
    clean(&with_lib(RESETTING), "Other", &["y"]);
    // negative twins: a project instance passed; a subclass (its calls reach the `__init__`
    // too); the class handed on as a value; `type(x)(...)` on something that may be one
    for (extra, to) in [
        ("\n\ndef test_more():\n    from lib.core import Other\n    with resetting(Other(), \"y\"):\n        pass\n", "Other"),
        ("\n\nclass Sub(resetting):\n    pass\n\n\ndef test_sub(thing):\n    with Sub(thing):\n        pass\n", "Other"),
        ("\n\nFACTORY = resetting\n", "Other"),
    ] {
        let test = format!("{RESETTING}{extra}");
        not_clean(&with_lib(&test), to);
    }
    // the class of an instance handed to the library, called there with something else:
    // directly, through a local, or handed on (then anything)
    let handed = format!("{RESETTING}\n\ndef test_use():\n    from lib.util import use\n    use(resetting(sys, \"x\"))\n");
    for util in [
        "def use(x, arg=None):\n    return type(x)(arg)\n",
        "def use(x, arg=None):\n    cls = type(x)\n    return cls(arg)\n",
        "def use(x, arg=None):\n    cls = x.__class__\n    return cls(arg)\n",
        "def use(x, arg=None):\n    return type(x)\n",
        "REGISTRY = []\n\n\ndef use(x, arg=None):\n    REGISTRY.append(x.__class__)\n",
    ] {
        let mut files = with_lib(&handed);
        files.push(("lib/util.py", util));
        not_clean(&files, "Other");
    }
    // only read (`type(x).__name__`, `type(x) is T`): no call
    let mut files = with_lib(RESETTING);
    files.push(("lib/util.py", "def name(x):\n    if type(x) is int:\n        return 0\n    return type(x).__name__\n"));
    clean(&files, "Other", &["y"]);
}

/// A library function reaching private helpers by computed name.
fn by_name(use_: &str) -> String {
    format!(
        "class A:\n    def __init__(self):\n        self.a = 1\n\n\nclass B:\n    def __init__(self):\n        self.b = 1\n\n\ndef _tag(p):\n    p.tag = 1\n\n\ndef _pair(p, q):\n    p.pair = q\n\n\ndef run():\n    _tag(A())\n    _pair(A(), 2)\n\n\ndef probe(obj, name, arg):\n{use_}\n"
    )
}

#[test]
fn a_computed_getattr_whose_value_is_only_read_reaches_no_call() {
    for read in [
        "    if getattr(obj, name) is None:\n        return 1\n",
        "    if getattr(obj, name, None):\n        return 1\n",
        "    print(getattr(obj, name))\n    return callable(getattr(obj, name))\n",
        "    f = getattr(obj, name, None)\n    if f is None:\n        return 0\n    return str(f)\n",
    ] {
        clean(&[("m.py", by_name(read).as_str())], "B", &["b"]);
    }
    // negative twins: the value returned, stored, handed to a call, or an attribute of it
    // taken (each may be called later with anything)
    for escapes in [
        "    return getattr(obj, name)\n",
        "    HOOKS.append(getattr(obj, name))\n",
        "    f = getattr(obj, name)\n    register(f)\n",
        "    return getattr(obj, name).__func__\n",
    ] {
        protected(&[("m.py", by_name(escapes).as_str())], "B", "tag");
    }
}

#[test]
fn a_called_getattr_passes_its_arguments_to_what_it_may_reach() {
    // called with a `B`: `_tag` (one parameter) gets it, so `B` gets the slot `tag`
    let called = by_name("    getattr(obj, name)(B())\n");
    clean(&[("m.py", called.as_str())], "B", &["b", "tag"]);
    // bound to a local, tested, then called
    let bound = by_name("    f = getattr(obj, \"_\" + name, None)\n    if f is not None:\n        f(B())\n");
    clean(&[("m.py", bound.as_str())], "B", &["b", "tag"]);
    // the arguments are anything (a parameter of a public function): `tag` kept or unsafe
    protected(&[("m.py", by_name("    getattr(obj, name)(arg)\n").as_str())], "B", "tag");
    // a prefix no reached name has: nothing reaches `_tag`
    clean(&[("m.py", by_name("    getattr(obj, \"visit_\" + name)(arg)\n").as_str())], "B", &["b"]);
}

#[test]
fn a_call_with_the_wrong_number_of_arguments_binds_nothing() {
    // one argument cannot bind to `_pair(p, q)`: `pair` is not stored on what is passed
    let one = by_name("    getattr(obj, name)(arg)\n");
    let p = plan_files(&[("m.py", one.as_str())], "B").expect("B plan");
    assert!(!p.slots.iter().any(|s| s == "pair"), "{:?}", p.slots);
    // two arguments may: `pair` kept for it (or unsafe)
    protected(&[("m.py", by_name("    getattr(obj, name)(arg, 1)\n").as_str())], "B", "pair");
    protected(&[("m.py", by_name("    getattr(obj, name)(*arg)\n").as_str())], "B", "pair");
}

/// A script under `examples/` (no package) that calls a value found by name.
const SCRIPT: &str = "import lib.core\n\nv = lib.core.make(None)\nfn = getattr(v, input(), None)\nif fn is not None:\n    fn()\n";

#[test]
fn module_variables_of_a_closed_script_are_tracked_unless_it_is_imported() {
    let lib = "class Point:\n    def __init__(self, x):\n        self.x = x\n\n\nclass Other:\n    def __init__(self):\n        self.y = 1\n\n    def _set(self, p):\n        p.z = 1\n\n\ndef make(thing):\n    return thing\n";
    let files = [("lib/__init__.py", ""), ("lib/core.py", lib), ("examples/__init__.py", ""), ("examples/demo.py", SCRIPT)];
    clean(&files, "Point", &["x"]);
    // another module imports the script: its variable `fn` may be called from there
    let importer = "from examples.demo import fn\n\n\ndef again(p):\n    fn(p)\n";
    let files = [
        ("lib/__init__.py", ""),
        ("lib/core.py", lib),
        ("examples/__init__.py", ""),
        ("examples/demo.py", SCRIPT),
        ("examples/again.py", importer),
    ];
    protected(&files, "Point", "z");
}

#[test]
fn tests_and_examples_folders_of_a_source_tree_are_closed() {
    // `examples/statemachine/` has no `__init__.py`: its module is `statemachine`, closed
    // because it sits in `examples/` below the source tree's root (`pyproject.toml`)
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write("pyproject.toml", "[project]\nname = \"lib\"\n");
    write("lib/__init__.py", "");
    write("lib/core.py", LIB);
    write("examples/statemachine/machine.py", "from lib.core import Point\n\n\ndef helper(p):\n    p.x = 1\n\n\nhelper(Point(0))\n");
    // a library folder named like a closed one below a package is open
    write("lib/examples.py", "def helper(p):\n    p.w = 1\n");
    let files: Vec<(std::path::PathBuf, String)> = ["lib/__init__.py", "lib/core.py", "examples/statemachine/machine.py", "lib/examples.py"]
        .iter()
        .map(|r| (root.join(r), r.to_string()))
        .collect();
    let project = Project::build(files);
    assert!(project.closed_modules.contains("machine"), "{:?}", project.closed_modules);
    assert!(!project.closed_modules.contains("lib.examples"), "{:?}", project.closed_modules);
    // without the root marker the folder is not known to be outside the package
    std::fs::remove_file(root.join("pyproject.toml")).expect("rm");
    let files: Vec<(std::path::PathBuf, String)> =
        ["examples/statemachine/machine.py"].iter().map(|r| (root.join(r), r.to_string())).collect();
    assert!(Project::build(files).closed_modules.is_empty());
}

#[test]
fn an_unknown_receiver_is_not_a_test_module_nobody_imports() {
    // library code calls a value found by name on anything with anything: it cannot be
    // `tests.test_a.helper`, whose module object no analysed code holds
    let call = "def call(obj, name, arg):\n    return getattr(obj, name)(arg, 1)\n";
    let mut files = with_lib(HELPER);
    files.push(("lib/util.py", call));
    clean(&files, "Other", &["y"]);
    // another module imports it: its module object may be anywhere
    files.push(("tests/test_b.py", "from tests import test_a\n\nMODS = [test_a]\n"));
    protected(&files, "Other", "x");
}

#[test]
fn a_test_method_overriding_an_annotated_one_gets_what_the_base_promises() {
    // library code calls `run` on anything: the override in the tests gets what `Base.run`
    // promises from there, and what the tests pass
    let lib = format!(
        "{LIB}\n\nclass Ctx:\n    def __init__(self):\n        self.args = []\n\n\nclass Base:\n    def run(self, ctx: Ctx) -> None:\n        pass\n\n\ndef drive(cmd, ctx):\n    cmd.run(ctx)\n"
    );
    let t = "from lib.core import Base, Ctx\n\n\nclass Mine(Base):\n    def run(self, ctx):\n        ctx.extra = 2\n\n\ndef test_run():\n    Mine().run(Ctx())\n";
    let files = [("lib/__init__.py", ""), ("lib/core.py", lib.as_str()), ("tests/__init__.py", ""), ("tests/test_a.py", t)];
    clean(&files, "Other", &["y"]);
    clean(&files, "Ctx", &["args", "extra"]);
    // the base unannotated: outside callers pass anything
    let open_lib = lib.replace("ctx: Ctx", "ctx");
    let files = [("lib/__init__.py", ""), ("lib/core.py", open_lib.as_str()), ("tests/__init__.py", ""), ("tests/test_a.py", t)];
    protected(&files, "Other", "extra");
}

#[test]
fn a_test_class_whose_instances_stay_in_its_module_is_not_made_by_type_of_anything() {
    // library code makes a class of anything (`type(obj)`) and hands it on: it cannot be
    // `resetting`, whose instances are only entered in `with` statements of its module
    let util = "def klass(obj):\n    return type(obj)\n";
    let mut files = with_lib(RESETTING);
    files.push(("lib/util.py", util));
    clean(&files, "Other", &["y"]);
    // negative twins: an instance stored, `self` returned by a method, the module imported
    for (test, extra) in [
        (format!("{RESETTING}\n\nKEEP = []\n\n\ndef test_keep():\n    KEEP.append(resetting(sys, \"x\"))\n"), None),
        (RESETTING.replace("    def __enter__(self):\n        pass\n", "    def __enter__(self):\n        return self\n"), None),
        (RESETTING.to_string(), Some(("tests/test_b.py", "import tests.test_a\n"))),
    ] {
        let mut files = with_lib(&test);
        files.push(("lib/util.py", util));
        files.extend(extra);
        not_clean(&files, "Other");
    }
}
