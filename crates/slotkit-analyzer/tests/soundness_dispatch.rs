//! Private functions and methods reached by a computed name (issue 9): `getattr(self,
//! "_visit_" + kind)(node)` calls `_visit_Node(node)` without a call site naming it, so
//! its parameters hold anything; a computed name that cannot reach it (another prefix,
//! another class family) leaves the call-site typing alone.

mod support;

use support::{clean, protected};

const NODES: &str = "import operator\n\n\nclass Node:\n    def __init__(self):\n        self.kind = \"n\"\n\n\nclass Other:\n    def __init__(self):\n        self.n = 1\n\n\n";

/// `_visit_Node` stores on its parameter; its only direct call passes an `Other`.
fn visitor(dispatch: &str) -> String {
    format!("{NODES}class Visitor:\n    def visit(self, node):\n        {dispatch}\n\n    def _visit_Node(self, node):\n        node.seen = True\n\n    def run(self):\n        self._visit_Node(Other())\n\n\ndef main():\n    Visitor().visit(Node())\n")
}

#[test]
fn computed_names_reach_private_methods() {
    let dispatches = [
        "return getattr(self, \"_visit_\" + type(node).__name__)(node)",
        "return getattr(self, f\"_visit_{type(node).__name__}\")(node)",
        "name = \"_visit_\" + type(node).__name__\n        return getattr(self, name)(node)",
        "return operator.methodcaller(\"_visit_Node\", node)(self)",
        "return self.__getattribute__(\"_visit_\" + type(node).__name__)(node)",
    ];
    for d in dispatches {
        protected(&visitor(d), "Node", "seen");
    }
    // a receiver typed when linking: a `Visitor` held in a variable
    let held = visitor("return None\n\n\ndef dispatch(v: Visitor, node):\n    return getattr(v, \"_visit_\" + type(node).__name__)(node)");
    protected(&held, "Node", "seen");
}

#[test]
fn computed_names_that_cannot_reach_it_leave_the_typing() {
    // another prefix
    let other = visitor("return getattr(self, \"_handle_\" + type(node).__name__)(node)");
    clean(&other, "Node", &["kind"]);
    // a receiver of another family
    let elsewhere = format!("{}\n\nclass Config:\n    def __init__(self):\n        self.x = 1\n\n    def get(self, key):\n        return getattr(self, key)\n", visitor("return None"));
    clean(&elsewhere, "Node", &["kind"]);
}

#[test]
fn computed_names_reach_private_functions() {
    let base = format!("{NODES}def _mark(node):\n    node.seen = True\n\n\ndef run():\n    _mark(Other())\n\n\n");
    clean(&base, "Node", &["kind"]);
    for d in ["def go(kind):\n    globals()[\"_\" + kind](Node())\n", "import sys\n\n\ndef go(name):\n    getattr(sys.modules[__name__], name)(Node())\n"] {
        protected(&format!("{base}{d}"), "Node", "seen");
    }
}
