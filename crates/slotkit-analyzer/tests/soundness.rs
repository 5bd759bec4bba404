//! The flows real code uses reach the classes they can hold (issue 9): class-valued
//! names, containers, attribute types, descriptor instances, local classes. Uses the
//! analysis cannot type are unknown uses and make the fixes they can reach `unsafe`.

mod common;

use std::path::Path;

use slotkit_analyzer::fix_safety::Applicability;
use slotkit_analyzer::model::project::Project;
use slotkit_analyzer::plan::{make_plan, Plan, Verdict};
use slotkit_analyzer::savings::PyVersion;

fn plan_of(files: &[(&str, &str)]) -> (Project, Plan) {
    let sources = files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
    let project = Project::from_sources(sources);
    let plan = make_plan(&project, PyVersion::DEFAULT);
    (project, plan)
}

fn verdict<'a>(project: &Project, plan: &'a Plan, name: &str) -> &'a Verdict {
    let cid = project
        .classes
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("no class {name}"));
    &plan.verdicts[cid]
}

/// (slots, applicability, notes) of a planned class; panics if it is not planned.
fn planned(files: &[(&str, &str)], name: &str) -> (Vec<String>, Applicability, Vec<String>) {
    let (project, plan) = plan_of(files);
    match verdict(&project, &plan, name) {
        Verdict::Safe(p) => (p.slots.clone(), p.applicability, p.unknown_uses.clone()),
        other => panic!("{name} is not planned: {other:?}"),
    }
}

/// The slots a planned class gets only for unknown uses that may reach it, with the use.
fn kept(files: &[(&str, &str)], name: &str) -> Vec<(String, String)> {
    let (project, plan) = plan_of(files);
    match verdict(&project, &plan, name) {
        Verdict::Safe(p) => p.kept_for_unknown.clone(),
        other => panic!("{name} is not planned: {other:?}"),
    }
}

fn as_refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

fn blocked(files: &[(&str, &str)], name: &str) -> Vec<String> {
    let (project, plan) = plan_of(files);
    match verdict(&project, &plan, name) {
        Verdict::Blocked(r) => r.clone(),
        other => panic!("{name} is not blocked: {other:?}"),
    }
}

fn not_candidate(files: &[(&str, &str)], name: &str) -> bool {
    let (project, plan) = plan_of(files);
    matches!(verdict(&project, &plan, name), Verdict::NotCandidate | Verdict::NoBenefit)
}

const COMMAND: &str = "class Command:\n    def __init__(self, name):\n        self.name = name\n\n\nclass Group(Command):\n    pass\n";

#[test]
fn class_valued_parameters_reach_their_classes() {
    // click: `cls: Optional[Type[CmdType]] = None`, `cls = Command`, `cmd = cls(...)`
    let src = format!(
        "from typing import Optional, Type, TypeVar\n{COMMAND}\nCmdType = TypeVar(\"CmdType\", bound=Command)\n\n\
def command(name, cls: Optional[Type[CmdType]] = None):\n    if cls is None:\n        cls = Command\n\n    \
def decorator(f):\n        cmd = cls(name)\n        cmd.__doc__ = f.__doc__\n        return cmd\n    return decorator\n"
    );
    let reasons = blocked(&[("m.py", &src)], "Command");
    assert!(reasons.iter().any(|r| r.contains("`__doc__`")), "{reasons:?}");
    assert!(blocked(&[("m.py", &src)], "Group").iter().any(|r| r.contains("`__doc__`")));
    // `cls or Command` and `type[X] = X` flow the same way
    let src = format!("{COMMAND}\ndef make(cls: type[Command] | None = None):\n    k = cls or Command\n    c = k(\"x\")\n    c.__qualname__ = \"y\"\n");
    assert!(blocked(&[("m.py", &src)], "Command").iter().any(|r| r.contains("`__qualname__`")));
    // without the write, Command stays a safe fix
    let src = format!("{COMMAND}\ndef make(cls: type[Command] = Command):\n    return cls(\"x\")\n");
    let (slots, applicability, _) = planned(&[("m.py", &src)], "Command");
    assert_eq!((slots, applicability), (vec!["name".to_string()], Applicability::Safe));
}

#[test]
fn an_untyped_class_parameter_is_an_unknown_use() {
    let src = format!("{COMMAND}\ndef make(cls, name):\n    cmd = cls(name)\n    cmd.__doc__ = \"x\"\n    return cmd\n");
    let (_, applicability, notes) = planned(&[("m.py", &src)], "Command");
    assert_eq!(applicability, Applicability::Unsafe);
    assert!(notes.iter().any(|n| n.starts_with("m.py:11 stores `.__doc__`")), "{notes:?}");
}

#[test]
fn hand_written_package_comes_out_right() {
    let dir = Path::new("tests/fixtures/soundness/shapes/shapes");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("fixture");
    let particles = read("particles.py");
    let figures = read("figures.py");
    let files = [("shapes/particles.py", particles.as_str()), ("shapes/figures.py", figures.as_str())];
    // `for p in ps: p.age = 0` with `ps` a comprehension of Particle
    let (slots, applicability, _) = planned(&files, "Particle");
    assert_eq!(slots, vec!["x".to_string(), "age".to_string()]);
    // `label(shape, text)` is called with a Square: Square gets a `label` slot, and the
    // store on the untyped parameter (which any other caller could reach) cannot
    // break it any more
    let (slots, square, _) = planned(&files, "Square");
    assert_eq!(slots, vec!["side".to_string(), "label".to_string()]);
    assert_eq!(square, Applicability::Safe);
    assert_eq!(planned(&files, "Circle").1, Applicability::Safe);
    // `label()` could be called with a Particle too: it lacks a `label` slot
    assert_eq!(applicability, Applicability::Unsafe);
    let (_, _, notes) = planned(&files, "Particle");
    assert!(notes.iter().any(|n| n.contains("shapes/figures.py:13 stores `.label`")), "{notes:?}");
}

#[test]
fn attribute_types_carry_weakrefs_stores_and_vars() {
    let loaders = "class BaseLoader:\n    def __init__(self):\n        self.cache = {}\n\n\nclass FileLoader(BaseLoader):\n    pass\n";
    let env = |body: &str| {
        format!(
            "import weakref\nfrom typing import Optional\nfrom .loaders import BaseLoader\n\n\nclass Env:\n    \
def __init__(self, loader: Optional[\"BaseLoader\"] = None):\n        self.loader = loader\n\n    \
def load(self):\n        {body}\n"
        )
    };
    let files = |e: &str| vec![("pkg/loaders.py".to_string(), loaders.to_string()), ("pkg/env.py".to_string(), env(e))];
    let run = |e: &str| {
        let f = files(e);
        let refs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        refs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>()
    };
    let weak = run("return weakref.ref(self.loader)");
    assert!(planned(&as_refs(&weak), "BaseLoader").0.contains(&"__weakref__".to_string()));
    let store = run("self.loader.y = 1");
    assert!(planned(&as_refs(&store), "BaseLoader").0.contains(&"y".to_string()));
    let dict = run("return vars(self.loader)");
    assert!(blocked(&as_refs(&dict), "BaseLoader").iter().any(|r| r.contains("__dict__")));
    // the subclass inherits the use
    assert!(matches!(
        verdict(&Project::from_sources(dict.clone()), &make_plan(&Project::from_sources(dict.clone()), PyVersion::DEFAULT), "FileLoader"),
        Verdict::Blocked(_)
    ));
    let quiet = run("return self.loader");
    assert_eq!(planned(&as_refs(&quiet), "BaseLoader").0, vec!["cache".to_string()]);
}

#[test]
fn descriptor_instances_that_use_the_instance_dict_block() {
    let src = "class _Validator:\n    def __set_name__(self, owner, name):\n        self.name = name\n\n    \
def __get__(self, instance, owner):\n        value = instance._raw[self.name]\n        instance.__dict__[self.name] = value\n        return value\n\n\n\
class Metadata:\n    name: \"_Validator[str]\" = _Validator()\n\n    def __init__(self):\n        self._raw = {}\n";
    let reasons = blocked(&[("m.py", src)], "Metadata");
    assert!(reasons.iter().any(|r| r.contains("descriptor `_Validator`")), "{reasons:?}");
    // a descriptor that keeps values elsewhere does not block
    let ok = src.replace("instance.__dict__[self.name] = value", "self.value = value");
    assert_eq!(planned(&[("m.py", &ok)], "Metadata").0, vec!["_raw".to_string()]);
}

#[test]
fn classes_defined_in_functions_are_analysed() {
    let src = "def test_it():\n    class MockImplementation:\n        pass\n\n    impl = MockImplementation()\n    impl.name = \"x\"\n    return impl\n";
    let (slots, applicability, _) = planned(&[("test_m.py", src)], "MockImplementation");
    assert_eq!((slots, applicability), (vec!["name".to_string()], Applicability::Safe));
}

#[test]
fn containers_and_isinstance_narrow_receivers() {
    let src = "class A:\n    pass\n\n\nclass B:\n    pass\n\n\ndef f(items, x):\n    d = {\"a\": A()}\n    d[\"b\"] = B()\n    \
for v in d.values():\n        v.seen = True\n    if isinstance(x, A):\n        x.tag = 1\n    out = []\n    out.append(B())\n    out[0].extra = 2\n";
    assert_eq!(planned(&[("m.py", src)], "A").0, vec!["seen".to_string(), "tag".to_string()]);
    let (slots, applicability, _) = planned(&[("m.py", src)], "B");
    assert_eq!(slots, vec!["seen".to_string(), "extra".to_string()]);
    assert_eq!(applicability, Applicability::Safe);
}

#[test]
fn unknown_uses_reach_only_the_classes_they_can_break() {
    let classes = "class Plain:\n    def __init__(self):\n        self.a = 1\n\n\nclass Held:\n    def __init__(self):\n        self.a = 1\n\n\nimport weakref\n\n\ndef keep(h: Held):\n    return weakref.ref(h)\n";
    // a store of `.a` on an unknown receiver cannot break classes with an `a` slot
    let src = format!("{classes}\n\ndef f(x):\n    x.a = 2\n    return weakref.ref(x)\n");
    // ... and the unknown weak reference is kept working by a `__weakref__` slot: a safe fix
    let (slots, plain, _) = planned(&[("m.py", &src)], "Plain");
    assert_eq!((slots, plain), (vec!["a".to_string(), "__weakref__".to_string()], Applicability::Safe));
    let kept_for = kept(&[("m.py", &src)], "Plain");
    assert_eq!(kept_for.len(), 1, "{kept_for:?}");
    assert_eq!(kept_for[0].0, "__weakref__");
    assert!(kept_for[0].1.starts_with("m.py:20 takes a weak reference"), "{kept_for:?}");
    // Held gets `__weakref__` from its typed use: the unknown weakref cannot break it
    assert_eq!(planned(&[("m.py", &src)], "Held").1, Applicability::Safe);
    assert!(kept(&[("m.py", &src)], "Held").is_empty());
    // `vars()` and a computed `setattr` on an unknown receiver reach every class
    for body in ["return vars(x)", "setattr(x, name, 1)", "return x.__dict__"] {
        let src = format!("{classes}\n\ndef f(x, name):\n    {body}\n");
        assert_eq!(planned(&[("m.py", &src)], "Held").1, Applicability::Unsafe, "{body}");
    }
    // the same on a typed receiver blocks that class only
    let src = format!("{classes}\n\ndef f(x: Plain, name):\n    setattr(x, name, 1)\n");
    assert!(blocked(&[("m.py", &src)], "Plain").iter().any(|r| r.contains("setattr")));
    assert_eq!(planned(&[("m.py", &src)], "Held").1, Applicability::Safe);
}

#[test]
fn safe_tier_drops_unsafe_fixes_and_their_subclasses() {
    let src = "class Base:\n    def __init__(self):\n        self.a = 1\n\n\nclass Sub(Base):\n    def __init__(self):\n        super().__init__()\n        self.b = 2\n\n\ndef f(x):\n    return vars(x)\n";
    let (project, mut plan) = plan_of(&[("m.py", src)]);
    let sub = project.classes.iter().position(|c| c.name == "Sub").expect("Sub");
    match &plan.verdicts[sub] {
        Verdict::Safe(p) => {
            assert_eq!(p.applicability, Applicability::Unsafe);
            assert!(p.unknown_uses.iter().any(|n| n.contains("m.py:13")), "{:?}", p.unknown_uses);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(plan.order.len(), 2);
    plan.restrict(false);
    assert!(plan.order.is_empty());
}

#[test]
fn classes_without_instances_get_no_finding() {
    let protocol = "from typing import Protocol\n\n\nclass HasName(Protocol):\n    def name(self) -> str: ...\n";
    assert!(not_candidate(&[("m.py", protocol)], "HasName"));
    let tc = "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    class Stub:\n        def f(self):\n            self.x = 1\n";
    assert!(not_candidate(&[("m.py", tc)], "Stub"));
    let ns = "class Colors:\n    RED = 1\n    BLUE = 2\n\n\nprint(Colors.RED)\n";
    assert!(not_candidate(&[("m.py", ns)], "Colors"));
    let en = "import enum\n\n\nclass Color(enum.Enum):\n    RED = 1\n";
    assert!(not_candidate(&[("m.py", en)], "Color"));
    // pyparsing's unicode sets: namespace subclasses of a namespace base
    let sets = "class unicode_set:\n    _ranges = []\n\n    @classmethod\n    def chars(cls):\n        return cls._ranges\n\n\nclass Latin1(unicode_set):\n    _ranges = [(0, 255)]\n\n\nprint(Latin1._ranges)\n";
    assert!(not_candidate(&[("m.py", sets)], "unicode_set"));
    assert!(not_candidate(&[("m.py", sets)], "Latin1"));
    // ... but asking one for a classmethod may build an instance
    let built = sets.replace("print(Latin1._ranges)", "print(Latin1.chars())");
    assert!(!not_candidate(&[("m.py", &built)], "Latin1"));
    // an instantiated class without state is still a (tiny) fix
    let used = "class Marker:\n    pass\n\n\nM = Marker()\n";
    assert_eq!(planned(&[("m.py", used)], "Marker").0, Vec::<String>::new());
}

#[test]
fn fix_applies_safe_fixes_only_on_the_hand_written_package() {
    let dir = tempfile::tempdir().expect("tempdir");
    common::copy_tree(Path::new("tests/fixtures/soundness/shapes"), dir.path());
    let (code, _, err) = common::run(&["fix", &dir.path().display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = common::run(&["check", &dir.path().display().to_string(), "--format", "json"]);
    assert!(out.contains("\"applicability\": \"unsafe\""), "{out}");
    let figures = std::fs::read_to_string(dir.path().join("shapes/figures.py")).expect("read");
    let particles = std::fs::read_to_string(dir.path().join("shapes/particles.py")).expect("read");
    assert!(!particles.contains("__slots__"), "Particle is an unsafe fix: {particles}");
    assert!(figures.contains("__slots__ = (\"r\", \"label\")"), "{figures}");
    assert!(figures.contains("__slots__ = (\"side\", \"label\")"), "{figures}");
}

#[test]
fn call_sites_type_untyped_parameters_across_modules() {
    let util = "def describe(obj):\n    return vars(obj)\n\n\ndef tag(obj, value=None):\n    obj.tag = value\n";
    let models = "from .util import describe, tag\n\n\nclass Item:\n    def __init__(self):\n        self.n = 1\n\n\nclass Other:\n    def __init__(self):\n        self.n = 2\n\n\ndef main():\n    describe(Item())\n    tag(obj=Other())\n";
    let files = [("pkg/util.py", util), ("pkg/models.py", models)];
    // `vars(obj)` reaches Item through the call site: blocked, not merely unsafe
    assert!(blocked(&files, "Item").iter().any(|r| r.contains("__dict__")));
    // the keyword call gives Other a `tag` slot
    assert_eq!(planned(&files, "Other").0, vec!["n".to_string(), "tag".to_string()]);
    // `describe` may also get other callers' objects: `vars()` on its parameter stays
    // an unknown use, so Other is an unsafe fix
    assert_eq!(planned(&files, "Other").1, Applicability::Unsafe);
}

#[test]
fn attributes_of_outside_objects_and_outside_function_results_are_unknown() {
    // packaging's `_manylinux`: tests monkeypatch `ctypes.CDLL` to return a duck-typed mock
    let lib = "import ctypes\n\n\ndef version():\n    process = ctypes.CDLL(None)\n    fn = process.gnu_get_libc_version\n    fn.restype = ctypes.c_char_p\n    return fn()\n";
    let mock = "class LibcVersion:\n    def __init__(self, v):\n        self.v = v\n\n    def __call__(self):\n        return self.v\n\n\nL = LibcVersion(1)\n";
    let patched = format!("import ctypes\n\n{mock}\n\ndef test_it(monkeypatch):\n    monkeypatch.setattr(ctypes, \"CDLL\", lambda name: L)\n");
    let files = [("pkg/lib.py", lib), ("tests/test_lib.py", patched.as_str())];
    // the store on the mock is unknown: LibcVersion keeps it working with a `restype` slot
    let (slots, applicability, _) = planned(&files, "LibcVersion");
    assert_eq!((slots, applicability), (vec!["v".to_string(), "restype".to_string()], Applicability::Safe));
    let kept_for = kept(&files, "LibcVersion");
    assert!(kept_for.iter().any(|(n, at)| n == "restype" && at.contains("pkg/lib.py:7 stores `.restype`")), "{kept_for:?}");
    // without the patch, `ctypes.CDLL(None)` is an outside object and so are its attributes
    let files = [("pkg/lib.py", lib), ("tests/test_lib.py", mock)];
    assert_eq!(planned(&files, "LibcVersion").0, vec!["v".to_string()]);
    // an outside object itself is no project instance: a store on it reaches nothing
    let plain = "import argparse\n\n\ndef f():\n    p = argparse.ArgumentParser()\n    p.extra = 1\n";
    let files = [("pkg/lib.py", plain), ("tests/test_lib.py", mock)];
    assert_eq!(planned(&files, "LibcVersion").0, vec!["v".to_string()]);
    // ... but what an outside function returns may be anything
    let choice = "import random\n\n\ndef f(items):\n    random.choice(items).extra = 1\n";
    let files = [("pkg/lib.py", choice), ("tests/test_lib.py", mock)];
    assert_eq!(kept(&files, "LibcVersion").iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["extra"]);
}
