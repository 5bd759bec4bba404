//! Module variables (issue 9): a module-level name holds what its module's assignments
//! give it and whatever other code writes into that module's namespace. Positive cases
//! (a variable typed across modules) and negative ones: each way of replacing a module
//! variable, which a safe fix relying on the module's own assignments would break.

mod support;

use support::{clean_files as clean, protected_files as protected};

/// `holder` holds an `A`; `f()` stores `x` on whatever `holder` holds.
const M: &str = "import logging\n\nlogger = logging.getLogger(__name__)\n\n\nclass A:\n    def __init__(self):\n        self.a = 1\n\n\nclass B:\n    def __init__(self):\n        self.b = 1\n\n\nholder = A()\n\n\ndef f():\n    holder.x = 1\n";

#[test]
fn module_variables_are_typed_across_modules() {
    // `m.holder.y = ...` in another module reaches `A` only
    let t = "from pkg import m\n\n\ndef g():\n    m.holder.y = 2\n";
    let files = [("pkg/__init__.py", ""), ("pkg/m.py", M), ("pkg/t.py", t)];
    clean(&files, "A", &["a", "x", "y"]);
    clean(&files, "B", &["b"]);
    // `logging.getLogger()` gives a `logging.Logger`: patching it reaches no project class
    let t = "from pkg import m\n\n\ndef test_it(monkeypatch):\n    monkeypatch.setattr(m.logger, \"debug\", print)\n    from pkg.m import logger\n    logger.info = print\n";
    let files = [("pkg/__init__.py", ""), ("pkg/m.py", M), ("pkg/t.py", t)];
    clean(&files, "B", &["b"]);
}

#[test]
fn every_way_of_replacing_a_module_variable_reaches_its_readers() {
    let writers = [
        "from pkg import m\n\n\ndef g():\n    m.holder = B()\n    m.f()\n",
        "import pkg.m\n\n\ndef g():\n    pkg.m.holder = B()\n",
        "from pkg import m\n\n\ndef g():\n    setattr(m, \"holder\", B())\n",
        "from pkg import m\n\n\ndef test_g(monkeypatch):\n    monkeypatch.setattr(m, \"holder\", B())\n",
        "def test_g(monkeypatch):\n    monkeypatch.setattr(\"pkg.m.holder\", B())\n",
        "from unittest import mock\n\n\ndef g():\n    with mock.patch(\"pkg.m.holder\", B()):\n        pass\n",
        "from pkg import m\n\n\ndef g(name):\n    setattr(m, name, B())\n",
        "from pkg import m\n\n\ndef g():\n    vars(m)[\"holder\"] = B()\n",
        "from pkg import m\n\n\ndef g():\n    m.__dict__[\"holder\"] = B()\n",
        // a receiver that may be the module: a store of that name
        "import importlib\n\n\ndef g():\n    mod = importlib.import_module(\"pkg.m\")\n    mod.holder = B()\n",
        // bound by an import and an assignment
        "try:\n    import pkg.m as mm\nexcept ImportError:\n    mm = None\n\n\ndef g():\n    mm.holder = B()\n",
    ];
    for w in writers {
        let t = format!("from pkg.m import B\n{w}");
        let files = [("pkg/__init__.py", ""), ("pkg/m.py", M), ("pkg/t.py", t.as_str())];
        protected(&files, "B", "x");
    }
    // the module writes its own namespace
    let own = format!("{M}\n\ndef h(name):\n    globals()[name] = B()\n");
    protected(&[("pkg/__init__.py", ""), ("pkg/m.py", own.as_str())], "B", "x");
    // and a `global` statement rebinds it
    let rebind = format!("{M}\n\ndef h():\n    global holder\n    holder = B()\n");
    protected(&[("pkg/__init__.py", ""), ("pkg/m.py", rebind.as_str())], "B", "x");
}

/// `pkg.user` imports a variable and a class from `pkg.config`; tests replace them where
/// they are used.
const CONFIG: &str = "class Settings:\n    def __init__(self):\n        self.debug = False\n\n\nclass Client:\n    def __init__(self):\n        self.url = \"\"\n\n\nsettings = Settings()\n";
const USER: &str = "from pkg.config import Client, settings\n\n\ndef mark():\n    settings.seen = True\n\n\ndef connect():\n    c = Client()\n    c.connected = True\n";
const FAKES: &str = "from pkg import user\n\n\nclass FakeSettings:\n    def __init__(self):\n        self.debug = True\n\n\nclass FakeClient:\n    def __init__(self):\n        self.url = \"fake\"\n\n\n";

#[test]
fn names_replaced_where_they_are_imported_reach_their_readers() {
    let untouched = format!("{FAKES}def test_it():\n    user.mark()\n    user.connect()\n");
    let files = [("pkg/__init__.py", ""), ("pkg/config.py", CONFIG), ("pkg/user.py", USER), ("pkg/test_user.py", untouched.as_str())];
    clean(&files, "FakeSettings", &["debug"]);
    clean(&files, "FakeClient", &["url"]);
    clean(&files, "Settings", &["debug", "seen"]);
    for patch in [
        "monkeypatch.setattr(user, \"settings\", FakeSettings())",
        "monkeypatch.setattr(\"pkg.user.settings\", FakeSettings())",
        "user.settings = FakeSettings()",
    ] {
        let t = format!("{FAKES}def test_it(monkeypatch):\n    {patch}\n    user.mark()\n");
        let files = [("pkg/__init__.py", ""), ("pkg/config.py", CONFIG), ("pkg/user.py", USER), ("pkg/test_user.py", t.as_str())];
        protected(&files, "FakeSettings", "seen");
    }
    for patch in ["monkeypatch.setattr(user, \"Client\", FakeClient)", "setattr(user, \"Client\", FakeClient)"] {
        let t = format!("{FAKES}def test_it(monkeypatch):\n    {patch}\n    user.connect()\n");
        let files = [("pkg/__init__.py", ""), ("pkg/config.py", CONFIG), ("pkg/user.py", USER), ("pkg/test_user.py", t.as_str())];
        protected(&files, "FakeClient", "connected");
    }
}

#[test]
fn reading_globals_writes_nothing_but_writing_it_does() {
    // `"x" not in globals()` and `globals().get("x")` only read the namespace
    for read in [
        "if \"alias\" not in globals():\n    alias = 1\n",
        "if globals().get(\"alias\") is None:\n    alias = 1\n",
        "alias = globals()[\"holder\"]\n",
    ] {
        let m = format!("{M}\n{read}");
        let t = "from pkg import m\n\n\ndef g():\n    m.holder.y = 2\n";
        let files = [("pkg/__init__.py", ""), ("pkg/m.py", m.as_str()), ("pkg/t.py", t)];
        clean(&files, "A", &["a", "x", "y"]);
    }
    // anything else may write into the module: `holder` may then hold a `B`
    for write in [
        "globals()[\"holder\"] = B()\n",
        "globals().update(holder=B())\n",
        "exec(\"holder = B()\", globals())\n",
    ] {
        let m = format!("{M}\n{write}");
        let files = [("pkg/__init__.py", ""), ("pkg/m.py", m.as_str())];
        protected(&files, "B", "x");
    }
}

#[test]
fn dunders_read_off_a_class_are_outside_objects() {
    // `Spec.__new__` / `Spec.__init__` are functions: storing on them reaches no instance
    let src = "from collections import namedtuple\n\n\nclass A:\n    def __init__(self):\n        self.a = 1\n\n\nclass Plain:\n    pass\n\n\nSpec = namedtuple(\"Spec\", \"x y\")\nSpec.__new__.__defaults__ = (None, None)\nPlain.__init__.__doc__ = \"\"\nPlain.__init__.tag = \"\"\n";
    clean(&[("m.py", src)], "A", &["a"]);
    // a dunder the class defines (or gets assigned) is what it holds: anything, here
    let defined = "class A:\n    def __init__(self):\n        self.a = 1\n\n\nclass Holder:\n    __marker__ = A()\n\n\nHolder.__marker__.tag = 1\n";
    protected(&[("m.py", defined)], "A", "tag");
    let late = "class A:\n    def __init__(self):\n        self.a = 1\n\n\nclass Holder:\n    pass\n\n\nHolder.__marker__ = A()\nHolder.__marker__.tag = 1\n";
    protected(&[("m.py", late)], "A", "tag");
}

/// `A` and a reader of `sys.modules` items.
const TABLE_A: &str = "import sys\n\n\nclass A:\n    def __init__(self):\n        self.a = 1\n\n\n";

#[test]
fn items_of_sys_modules_are_modules_unless_the_project_puts_objects_there() {
    // a module fetched from `sys.modules`, or made: its namespace is no instance's
    let load = "import types\n\n\ndef load(name):\n    if name in sys.modules:\n        module = sys.modules[name]\n    else:\n        sys.modules[name] = module = types.ModuleType(name)\n    module.__dict__.clear()\n    module.__file__ = name\n    sys.modules.get(name).tag = 1\n";
    let src = format!("{TABLE_A}{load}");
    clean(&[("m.py", src.as_str())], "A", &["a"]);
    // every way an object gets into the table reaches what reads its items
    for put in [
        "def put():\n    sys.modules[\"fake\"] = A()\n",
        "def put():\n    table = sys.modules\n    table[\"fake\"] = A()\n",
        "def put():\n    sys.modules.setdefault(\"fake\", A())\n",
        "def put(other):\n    sys.modules.update(other)\n",
        "def test_put(monkeypatch):\n    monkeypatch.setitem(sys.modules, \"fake\", A())\n",
        "from unittest import mock\n\n\ndef put():\n    with mock.patch.dict(sys.modules, {\"fake\": A()}):\n        pass\n",
        "from unittest import mock\n\n\ndef put():\n    with mock.patch.dict(\"sys.modules\", fake=A()):\n        pass\n",
        "def put(register):\n    register(sys.modules)\n",
    ] {
        let src = format!("{TABLE_A}{put}\n\ndef read(name):\n    sys.modules[name].tag = 1\n");
        protected(&[("m.py", src.as_str())], "A", "tag");
    }
}

#[test]
fn modules_made_or_imported_by_importlib_are_modules() {
    // markdown's `htmlparser.py`: a second copy of `html.parser`, patched
    let made = "import importlib.util\n\n\ndef load():\n    spec = importlib.util.find_spec(\"html.parser\")\n    mod = importlib.util.module_from_spec(spec)\n    spec.loader.exec_module(mod)\n    mod.piclose = None\n    return mod\n";
    let imported = "import importlib\n\n\ndef load(name):\n    mod = importlib.import_module(name)\n    mod.piclose = None\n    top = __import__(name)\n    top.piclose = None\n";
    for load in [made, imported] {
        let src = format!("{TABLE_A}{load}");
        clean(&[("m.py", src.as_str())], "A", &["a"]);
    }
    // a project loader's `create_module()` makes the object; an object the project puts
    // into `sys.modules` is what `import_module` may return; a patched factory, anything
    let loader = "\n\nclass Loader:\n    def create_module(self, spec):\n        return A()\n";
    let put = "\n\ndef put():\n    sys.modules[\"fake\"] = A()\n";
    let patched = "\n\ndef test_it(monkeypatch):\n    monkeypatch.setattr(importlib, \"import_module\", lambda n: A())\n";
    for (load, extra) in [(made, loader), (imported, put), (imported, patched)] {
        let src = format!("{TABLE_A}{load}{extra}");
        protected(&[("m.py", src.as_str())], "A", "piclose");
    }
}
