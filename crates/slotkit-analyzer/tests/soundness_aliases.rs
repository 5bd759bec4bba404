//! A container reached through another name grows the attribute it belongs to (issue 9):
//! `d = self.items; d[k] = v`, `lst = self.groups[k]; lst.append(v)`, `self.items = d;
//! d[k] = v`, a function adding to the container it is given (`_fill(self.items, v)`),
//! `heapq.heappush(self.heap, v)`, `xs.__setitem__(k, v)`, `xs[i:j] = [v]` (the elements),
//! `list.append(xs, v)`. Before, only `self.items[k] = v` did: `B` was slotted
//! without the `tag` the program stores on the items, and the fixed program failed.

mod support;

use support::{clean, protected};

fn program(init: &str, add: &str, mark: &str) -> String {
    format!(
        "import heapq\n\n\nclass B:\n    def __init__(self):\n        self.b = 1\n\n\ndef _fill(d, v):\n    d[\"k\"] = v\n\n\nclass A:\n    def __init__(self):\n{init}\n\n    def _add(self, v):\n{add}\n\n    def mark(self):\n{mark}\n\n\ndef main():\n    a = A()\n    a._add(B())\n    a.mark()\n"
    )
}

const ITEMS: &str = "        for x in self.items.values():\n            x.tag = 1";

#[test]
fn a_container_grown_through_another_name_grows_the_attribute() {
    for (init, add, mark) in [
        ("        self.items = {}", "        d = self.items\n        d[\"k\"] = v", ITEMS),
        ("        self.groups = {\"k\": []}", "        lst = self.groups[\"k\"]\n        lst.append(v)", "        for l in self.groups.values():\n            for x in l:\n                x.tag = 1"),
        ("        d = {}\n        self.items = d\n        d[\"k\"] = B()", "        pass", ITEMS),
        ("        self.items = {}", "        _fill(self.items, v)", ITEMS),
        ("        self.heap = []", "        heapq.heappush(self.heap, v)", "        for x in self.heap:\n            x.tag = 1"),
        // and the forms that name the container directly but were missed
        ("        self.items = {}", "        self.items.__setitem__(\"k\", v)", ITEMS),
        ("        self.heap = []", "        self.heap[0:0] = [v]", "        for x in self.heap:\n            x.tag = 1"),
        ("        self.heap = []", "        list.append(self.heap, v)", "        for x in self.heap:\n            x.tag = 1"),
        ("        self.items = {}", "        dict.update(self.items, {\"k\": v})", ITEMS),
    ] {
        protected(&program(init, add, mark), "B", "tag");
    }
    // the same attribute grown with nothing new: `B` needs no `tag`
    clean(&program("        self.items = {}", "        d = {}\n        d[\"k\"] = v", ITEMS), "B", &["b"]);
}

#[test]
fn a_container_passed_on_twice_then_filled_grows_the_attribute() {
    let src = program(
        "        self.items = {}",
        "        _pass_on(self.items, v)",
        ITEMS,
    )
    .replace("def _fill(d, v):", "def _pass_on(d, v):\n    _fill(d, v)\n\n\ndef _fill(d, v):");
    protected(&src, "B", "tag");
}
