//! Session 8's rules (issue 9), found on packages tried for the first time (cachetools):
//! a pickled state copied back in `__setstate__`, nested classes called through the
//! outer class, linked structures whose stores read the attribute they store, and what
//! the test runner passes to a test's parameter with a default. Each positive case has
//! negative twins where the shortcut would drop a slot the code needs.

mod support;

use support::{clean, clean_files, protected, protected_files};

/// `Other` holds nothing anybody stores on; each case adds the code under test.
const OTHER: &str = "class Other:\n    def __init__(self):\n        self.n = 1\n\n\n";

/// cachetools' `TTLCache`: a nested linked-list node made through the outer class, a
/// ring of them, and the ring's root copied back from a pickled state.
const RING: &str = "class Ring:\n    class Link:\n        __slots__ = (\"next\", \"prev\")\n\n        def unlink(self):\n            nxt = self.next\n            prv = self.prev\n            prv.next = nxt\n            nxt.prev = prv\n\n    def __init__(self):\n        self.root = root = Ring.Link()\n        root.prev = root.next = root\n\n    def add(self):\n        link = Ring.Link()\n        root = self.root\n        link.prev = prv = root.prev\n        prv.next = root.prev = link\n\n    def __setstate__(self, state):\n        self.__dict__.update(state)\n        root = self.root\n        root.prev = root.next = root\n";

#[test]
fn a_linked_ring_made_through_the_outer_class_is_typed() {
    let src = format!("{OTHER}{RING}");
    clean(&src, "Other", &["n"]);
    // the nested class rebound on the outer class: `Ring.Link()` may make anything
    protected(&format!("{src}\n\nRing.Link = Other\n"), "Other", "prev");
    // a store whose value is the attribute it stores, fed by a value of unknown type
    protected(&format!("{src}\n\ndef feed(ring: Ring, x):\n    ring.root.prev = x\n"), "Other", "next");
}

#[test]
fn a_pickled_state_copied_back_adds_no_attribute_types() {
    let src = format!("{OTHER}{RING}");
    clean(&src, "Other", &["n"]);
    // a class of the family that pickles its own way hands `__setstate__` what it likes
    for own in [
        "\n\nclass Ring2(Ring):\n    def __getstate__(self):\n        return {\"root\": Other()}\n",
        "\n\nclass Ring2(Ring):\n    def __reduce__(self):\n        return (Ring2, (), {\"root\": Other()})\n",
    ] {
        protected(&format!("{src}{own}"), "Other", "prev");
    }
    // another class's `__reduce__` may hand `Ring.__setstate__` its own state; the project
    // calls `__setstate__` itself; (a `(cls, args)` reduce hands no state: still clean)
    for more in [
        "\n\nclass Maker:\n    def __reduce__(self):\n        return (Ring, (), {\"root\": Other()})\n",
        "\n\ndef restore(ring):\n    ring.__setstate__({\"root\": Other()})\n",
    ] {
        protected(&format!("{src}{more}"), "Other", "prev");
    }
    clean(&format!("{src}\n\nclass Maker:\n    def __reduce__(self):\n        return (Ring, ())\n"), "Other", &["n"]);
    // the state rebound first, or an outside base that pickles its own way
    protected(&src.replace("        self.__dict__.update(state)\n", "        state = {\"root\": Other()}\n        self.__dict__.update(state)\n"), "Other", "prev");
    let dict_base = src.replace("class Ring:\n", "import collections\n\n\nclass Ring(collections.OrderedDict):\n");
    protected(&dict_base, "Other", "prev");
}

#[test]
fn chains_of_stores_that_do_not_settle_are_anything() {
    // `c1.v = c0.v`, `c2.v = c1.v`, ...: each link needs one more round; past the rounds
    // the analysis runs, the values still growing are anything (sound), so the store on
    // the last one reaches `Other`
    let mut src = String::from(OTHER);
    let n = 16;
    for i in 0..n {
        src.push_str(&format!("class C{i}:\n    def __init__(self):\n        self.v = None\n\n\n"));
    }
    src.push_str("def link():\n    c0 = C0()\n    c0.v = Other()\n");
    for i in 1..n {
        src.push_str(&format!("    c{i} = C{i}()\n    c{i}.v = c{}.v\n", i - 1));
    }
    src.push_str(&format!("    c{}.v.tag = 1\n", n - 1));
    protected(&src, "Other", "tag");
    // a short chain settles: `tag` goes to `Other` as a typed store
    let short: String = src.lines().filter(|l| !l.contains("c4") && !(5..n).any(|i| l.contains(&format!("c{i}")) || l.contains(&format!("C{i}")))).collect::<Vec<_>>().join("\n");
    let short = format!("{short}\n    c3.v.tag = 1\n");
    clean(&short, "Other", &["n", "tag"]);
}

/// The library: a factory whose results are `Key`s, and `Other`.
const KEYS: &str = "class Key(tuple):\n    pass\n\n\nclass Other:\n    def __init__(self):\n        self.n = 1\n\n\ndef hashkey(*args):\n    return Key(args)\n";

fn with_test(test: &str) -> Vec<(&'static str, String)> {
    vec![
        ("pyproject.toml", "[project]\nname = \"lib\"\n".to_string()),
        ("lib/__init__.py", String::new()),
        ("lib/keys.py", KEYS.to_string()),
        ("tests/__init__.py", String::new()),
        ("tests/test_keys.py", test.to_string()),
    ]
}

fn files<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(p, s)| (*p, s.as_str())).collect()
}

/// cachetools' `test_pickle(self, key=cachetools.keys.hashkey)`.
const TEST: &str = "import unittest\n\nimport lib.keys\n\n\nclass KeysTest(unittest.TestCase):\n    def test_pickle(self, key=lib.keys.hashkey):\n        k = key()\n        k.tag = 1\n\n\ndef test_plain(key=lib.keys.hashkey):\n    key().mark = 1\n";

#[test]
fn the_test_runner_passes_nothing_to_a_parameter_with_a_default() {
    clean_files(&files(&with_test(TEST)), "Other", &["n"]);
    // `Key(tuple)` takes no non-empty `__slots__`: its stores block it; `Other` is clean
    for (change, into) in [
        // decorated (a `mock.patch` passes a mock; a decorator may pass anything)
        ("    def test_pickle", "    @staticmethod\n    def test_pickle"),
        // the project calls the test itself with something else
        ("def test_plain(", "def helper(t):\n    t.test_pickle(lib.keys.Other())\n\n\ndef test_plain("),
        // a base other than `unittest.TestCase`, whose code may call it with anything
        ("class KeysTest(unittest.TestCase):", "import threading\n\n\nclass KeysTest(threading.Thread):"),
    ] {
        let test = TEST.replace(change, into);
        protected_files(&files(&with_test(&test)), "Other", "tag");
    }
    // a module-level test reached by a computed name, or called with a value
    for more in ["\n\nFN = globals()[\"test_\" + \"plain\"]\nFN(lib.keys.Other)\n", "\n\ndef test_other():\n    test_plain(lambda: lib.keys.Other())\n"] {
        protected_files(&files(&with_test(&format!("{TEST}{more}"))), "Other", "mark");
    }
    // the same test in a library module: anyone may call it with anything
    let mut open = with_test(TEST);
    open[3] = ("lib/test_util.py", TEST.replace("import lib.keys\n", "from lib import keys as _k\nimport lib.keys\n"));
    open.truncate(4);
    protected_files(&files(&open), "Other", "tag");
}

/// A store through a path typed where it is written, of unknown type once linked.
const HOLDER: &str = "class Link:\n    def __init__(self):\n        self.prev = None\n\n\nclass Holder:\n    def __init__(self):\n        self.root = Link()\n\n\nclass Other:\n    def __init__(self):\n        self.n = 1\n\n\ndef feed(h, x):\n    h.root.prev = x\n\n\ndef use(hh: Holder):\n    hh.root.prev.tag = 1\n";

#[test]
fn a_store_through_a_typed_path_that_may_be_anything_reaches_every_class() {
    // an outside caller's `feed(holder, Other())` gives the holder's `Link` an `Other`,
    // and `use()` stores `tag` on it. (Before session 8 only receivers of unknown type
    // where the store is written counted: `Other` lost `tag`.)
    protected(HOLDER, "Other", "tag");
    // without `feed`, `prev` only ever holds `None`
    let without = HOLDER.replace("def feed(h, x):\n    h.root.prev = x\n", "def feed(h: Holder, x: Link):\n    h.root.prev = x\n");
    clean(&without, "Other", &["n"]);
}

#[test]
fn a_value_copied_back_onto_the_object_it_was_read_from_adds_nothing() {
    // jinja2's `Loader.load`: `code = bucket.code` ... `bucket.code = code`, `bucket` of
    // unknown type: the store gives every class's `code` what `code` holds, which is not
    // anything (the `code` of an object of unknown type) but the compiled value
    let src = format!("{}class Env:\n    def compile(self) -> str:\n        return \"\"\n\n\ndef load(bcc, env: Env):\n    code = None\n    if bcc is not None:\n        bucket = bcc.get_bucket()\n        code = bucket.code\n    if code is None:\n        code = env.compile()\n    if bcc is not None and bucket.code is None:\n        bucket.code = code\n\n\ndef use(o: Other):\n    o.code.tag = 1\n", OTHER.replace("self.n = 1", "self.n = 1\n        self.code = None"));
    clean(&src, "Other", &["n", "code"]);
    // `bucket` rebound by a nested function in between: another object's `code`
    let nested = src.replace("        code = bucket.code\n", "        code = bucket.code\n\n        def swap():\n            nonlocal bucket\n            bucket = bcc.other\n\n        swap()\n");
    protected(&nested, "Other", "tag");
    // another object's `code` copied: anything, so `o.code.tag` may reach `Other`
    let other = src.replace("        code = bucket.code\n", "        code = bcc.other.code\n");
    protected(&other, "Other", "tag");
}
