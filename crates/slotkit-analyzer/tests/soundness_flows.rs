//! More flows that real code uses (issue 9, second round): results of unannotated
//! functions, `getattr`, `*args` methods, attributes of outside objects, the
//! closure-capture idiom of lambdas, star imports and pytest fixtures. Each pattern has
//! a positive case (the flow is followed, so the fix is safe) and a negative one (the
//! unsound shortcut would break the code shown, so the fix must stay unsafe or get the
//! slot).

use slotkit_analyzer::fix_safety::Applicability;
use slotkit_analyzer::model::project::Project;
use slotkit_analyzer::plan::{make_plan, Verdict};
use slotkit_analyzer::savings::PyVersion;

/// (slots, applicability, notes) of planned class `name`; panics if it is not planned.
fn planned(files: &[(&str, &str)], name: &str) -> (Vec<String>, Applicability, Vec<String>) {
    let sources = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let project = Project::from_sources(sources);
    let plan = make_plan(&project, PyVersion::DEFAULT);
    let cid = project
        .classes
        .iter()
        .position(|c| c.name == name)
        .unwrap_or_else(|| panic!("no class {name}"));
    match &plan.verdicts[cid] {
        Verdict::Safe(p) => (p.slots.clone(), p.applicability, p.unknown_uses.clone()),
        other => panic!("{name} is not planned: {other:?}"),
    }
}

fn safe(files: &[(&str, &str)], name: &str) -> bool {
    planned(files, name).1 == Applicability::Safe
}

/// The negative side: a use the analysis cannot type may store `attr` on `name`, so the
/// fix either stays unsafe or gives the class that slot (kept for the unknown use).
fn protected(files: &[(&str, &str)], name: &str, attr: &str) -> bool {
    let (slots, applicability, _) = planned(files, name);
    applicability == Applicability::Unsafe || slots.iter().any(|s| s == attr)
}

const ITEMS: &str = "class Item:\n    def __init__(self):\n        self.n = 1\n\n\nclass Other:\n    def __init__(self):\n        self.n = 2\n\n\n";

#[test]
fn unannotated_functions_return_what_their_returns_give() {
    let src = format!("{ITEMS}def make():\n    return Item()\n\n\nclass Box:\n    def __init__(self):\n        self.item = Item()\n\n    def get(self):\n        return self.item\n\n\ndef f(b: Box):\n    make().x = 1\n    b.get().y = 2\n");
    let (slots, applicability, _) = planned(&[("m.py", &src)], "Item");
    assert_eq!(slots, vec!["n", "x", "y"]);
    assert_eq!(applicability, Applicability::Safe);
    assert!(safe(&[("m.py", &src)], "Other"));
    // a decorator may return another function: `make()` is then an Other, which has
    // no `x` slot; reading the body's `return Item()` would break it
    let wrapped = format!("{ITEMS}def wrap(f):\n    def g():\n        return Other()\n    return g\n\n\n@wrap\ndef make():\n    return Item()\n\n\nmake().x = 1\n");
    assert!(protected(&[("m.py", &wrapped)], "Other", "x"));
    // a generator's call gives a generator, whatever it yields or returns
    let generator = format!("{ITEMS}def make():\n    yield Other()\n    return Item()\n\n\nfor o in make():\n    o.x = 1\n");
    assert!(protected(&[("m.py", &generator)], "Other", "x"));
}

#[test]
fn getattr_with_a_literal_or_a_computed_name() {
    // `getattr(obj, "loader", None)` is `obj.loader`
    let src = format!("{ITEMS}class Env:\n    def __init__(self):\n        self.loader = Item()\n\n\ndef f(e: Env):\n    getattr(e, \"loader\", None).x = 1\n");
    assert_eq!(planned(&[("m.py", &src)], "Item").0, vec!["n", "x"]);
    assert!(safe(&[("m.py", &src)], "Other"));
    // jinja2's ModuleLoader: any attribute of an instance of a ModuleType subclass is a
    // module (an outside object) or what the project stored on it
    let modules = format!("{ITEMS}import types\n\n\nclass TemplateModule(types.ModuleType):\n    pass\n\n\nclass Loader:\n    def __init__(self):\n        mod = TemplateModule(\"t\")\n        mod.__path__ = []\n        self.module = mod\n\n    def load(self, name):\n        mod = getattr(self.module, name, None)\n        return mod.__dict__\n");
    assert!(safe(&[("m.py", &modules)], "Item"));
    // ... but if the project stores an Item there, `getattr` may return it
    let stored = modules.replace("mod.__path__ = []", "mod.helper = Item()");
    let sources = vec![("m.py".to_string(), stored.clone())];
    let project = Project::from_sources(sources);
    let plan = make_plan(&project, PyVersion::DEFAULT);
    let item = project
        .classes
        .iter()
        .position(|c| c.name == "Item")
        .expect("Item");
    assert!(
        matches!(plan.verdicts[item], Verdict::Blocked(_)),
        "{:?}",
        plan.verdicts[item]
    );
    // a computed attribute of a module may be any of its globals
    let module = format!("{ITEMS}import m\n\n\ndef f(name):\n    getattr(m, name).x = 1\n");
    assert!(protected(&[("m.py", &module)], "Other", "x"));
}

#[test]
fn star_args_methods_know_their_self() {
    // jinja2's `Namespace.__init__(*args, **kwargs)`
    let src = format!("{ITEMS}class Namespace:\n    def __init__(*args, **kwargs):\n        self, args = args[0], args[1:]\n        self.__attrs = dict(*args, **kwargs)\n");
    assert_eq!(planned(&[("m.py", &src)], "Namespace").0, vec!["__attrs"]);
    assert!(safe(&[("m.py", &src)], "Item"));
    // `args[1]` is whatever the caller passed: an Item, say
    let other = format!("{ITEMS}class Namespace:\n    def __init__(*args):\n        args[1].x = 1\n\n\nNamespace(Item())\n");
    assert!(protected(&[("m.py", &other)], "Item", "x"));
    // a static method's `args[0]` is no `self`
    let stat = format!("{ITEMS}class Helper:\n    @staticmethod\n    def tag(*args):\n        args[0].x = 1\n\n\nHelper.tag(Item())\n");
    assert!(protected(&[("m.py", &stat)], "Item", "x"));
}

#[test]
fn attributes_of_outside_objects_hold_what_the_project_stores() {
    // jinja2's traceback rewriting: `tb.tb_next = ...` over a list of tracebacks
    let tb = format!("{ITEMS}from types import TracebackType\n\n\ndef chain(tb: TracebackType):\n    stack = []\n    while tb is not None:\n        stack.append(tb)\n        tb = tb.tb_next\n    tb_next = None\n    for tb in reversed(stack):\n        tb.tb_next = tb_next\n        tb_next = tb\n");
    assert!(safe(&[("m.py", &tb)], "Item"));
    // a project instance stored on an outside object comes back out of it
    let held = format!("{ITEMS}import argparse\n\n\ndef f():\n    ns = argparse.Namespace()\n    ns.item = Item()\n    return ns\n\n\ndef g(p: argparse.Namespace):\n    p.item.x = 1\n");
    let (slots, _, _) = planned(&[("m.py", &held)], "Item");
    assert_eq!(
        slots,
        vec!["n", "x"],
        "the store through the outside object reaches Item"
    );
}

#[test]
fn lambda_capture_idiom() {
    // pyparsing: `lambda s, l, t, cur_=cur: setattr(cur_, "parent_anchor", col(l, s))`
    let src = format!("{ITEMS}class Block:\n    def __init__(self):\n        self.parent_anchor = 1\n\n\ndef f(items, actions):\n    for cur in items:\n        if isinstance(cur, Block):\n            actions.append(lambda s, l, t, cur_=cur: setattr(cur_, \"parent_anchor\", l))\n");
    assert!(safe(&[("m.py", &src)], "Item"));
    assert_eq!(planned(&[("m.py", &src)], "Block").0, vec!["parent_anchor"]);
    // a default that is not the captured name, or no default: any caller's value
    for lam in [
        "lambda s, target=cur: setattr(target, \"parent_anchor\", s)",
        "lambda cur_: setattr(cur_, \"parent_anchor\", 1)",
    ] {
        let src = format!("{ITEMS}class Block:\n    pass\n\n\ndef f(items, actions):\n    for cur in items:\n        if isinstance(cur, Block):\n            actions.append({lam})\n");
        assert!(protected(&[("m.py", &src)], "Item", "parent_anchor"), "{lam}");
    }
}

#[test]
fn star_imports_bind_the_public_names() {
    let core =
        format!("{ITEMS}class Empty:\n    def copy(self) -> \"Empty\":\n        return self\n");
    let helpers = "from .core import *\n\n\ndef f():\n    e = Empty()\n    e.copy().x = 1\n";
    let files = [("pkg/core.py", core.as_str()), ("pkg/helpers.py", helpers)];
    assert_eq!(planned(&files, "Empty").0, vec!["x"]);
    assert!(safe(&files, "Item"));
    // a name the star import does not bind stays unknown (here: a private one)
    let private = "from .core import *\n\n\ndef f():\n    _hidden().x = 1\n";
    let files = [("pkg/core.py", core.as_str()), ("pkg/helpers.py", private)];
    assert!(protected(&files, "Item", "x"));
    // with an `__all__`, only its names: `max` here is the builtin, not core's `max`
    let listed = format!("__all__ = [\"Item\", \"Other\"]\n\n\n{ITEMS}def max(*items):\n    return Item()\n");
    let uses = "from .core import *\n\n\ndef f():\n    max([Other()]).x = 1\n";
    let files = [("pkg/core.py", listed.as_str()), ("pkg/helpers.py", uses)];
    assert_eq!(planned(&files, "Other").0, vec!["n", "x"]);
    assert_eq!(planned(&files, "Item").0, vec!["n"]);
}

#[test]
fn pytest_fixtures_give_their_values_to_tests() {
    let lib = ITEMS;
    let conftest = "import pytest\nfrom pkg.m import Item\n\n\n@pytest.fixture\ndef item():\n    return Item()\n\n\n@pytest.fixture(name=\"held\")\ndef _held():\n    yield Item()\n";
    let test = "def test_it(item, held, monkeypatch, tmp_path):\n    item.x = 1\n    held.y = 2\n    monkeypatch.setattr(item, \"n\", 3)\n    monkeypatch.setattr(tmp_path, \"z\", 4)\n";
    let files = [
        ("pkg/m.py", lib),
        ("tests/conftest.py", conftest),
        ("tests/test_m.py", test),
    ];
    assert!(safe(&files, "Other"), "{:?}", planned(&files, "Other").2);
    // a parametrized argument is what the parametrize list holds, not the fixture
    let param = "import pytest\nfrom pkg.m import Other\n\n\n@pytest.mark.parametrize(\"item\", [Other()])\ndef test_it(item):\n    item.x = 1\n";
    let files = [
        ("pkg/m.py", lib),
        ("tests/conftest.py", conftest),
        ("tests/test_m.py", param),
    ];
    assert!(protected(&files, "Other", "x"));
    // so is an argument `pytest_generate_tests` may parametrize
    let hook = format!("{conftest}\n\ndef pytest_generate_tests(metafunc):\n    metafunc.parametrize(\"item\", [1])\n");
    let files = [
        ("pkg/m.py", lib),
        ("tests/conftest.py", hook.as_str()),
        ("tests/test_m.py", test),
    ];
    assert!(protected(&files, "Other", "x"));
    // `request.param` may be anything; an argument no fixture provides too
    let request = "def test_it(request, unknown_fixture):\n    request.param.x = 1\n    unknown_fixture.y = 1\n";
    let files = [
        ("pkg/m.py", lib),
        ("tests/conftest.py", conftest),
        ("tests/test_m.py", request),
    ];
    let (slots, _, _) = planned(&files, "Other");
    assert!(protected(&files, "Other", "x") && protected(&files, "Other", "y"), "{slots:?}");
    // outside test modules, a function named `test_*` is an ordinary function
    let lib_fn = "def test_item(item):\n    item.x = 1\n";
    let files = [
        ("pkg/m.py", lib),
        ("tests/conftest.py", conftest),
        ("pkg/checks.py", lib_fn),
    ];
    assert!(protected(&files, "Other", "x"));
}

#[test]
fn class_objects_and_containers_as_method_receivers() {
    // jinja2's `rv = cls._from_namespace(...)`: a classmethod's (annotated) return
    let src = format!("{ITEMS}class Template:\n    @classmethod\n    def make(cls) -> \"Template\":\n        return cls()\n\n    @classmethod\n    def from_code(cls):\n        rv = cls.make()\n        rv._uptodate = 1\n        return rv\n");
    assert_eq!(planned(&[("m.py", &src)], "Template").0, vec!["_uptodate"]);
    assert!(safe(&[("m.py", &src)], "Item"));
    // a plain method called on the class returns whatever its caller's instance gives
    let plain = format!(
        "{ITEMS}class Box:\n    def get(self):\n        return self\n\n\nBox.get(Item()).x = 1\n"
    );
    assert!(protected(&[("m.py", &plain)], "Item", "x"));
    // click's `cmd_name, cmd, args = self.resolve_command(...)`: `cmd.make_context()`
    // is the method's return; the list alternative has no such method
    let tuple = format!("{ITEMS}from typing import List, Optional, Tuple\n\n\nclass Command:\n    def make_context(self) -> Item:\n        return Item()\n\n    def resolve(self) -> Tuple[Optional[str], Optional[\"Command\"], List[str]]:\n        return None, self, []\n\n    def run(self):\n        name, cmd, rest = self.resolve()\n        cmd.make_context().x = 1\n");
    assert_eq!(planned(&[("m.py", &tuple)], "Item").0, vec!["n", "x"]);
    assert!(safe(&[("m.py", &tuple)], "Other"));
}
