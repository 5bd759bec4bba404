//! `isinstance` narrowing in `else` branches (issue 9): after `if isinstance(x, A):`,
//! the `else` and later `elif` clauses see `x` without `A` (and its subclasses). Positive
//! cases (the store there does not reach `A`) and negative ones (an `and` chain, another
//! class tested, code after the `if`, a class the analysis cannot see): the shortcut there
//! would drop a slot the code needs.

mod support;

use support::{clean_files as clean, protected_files as protected};

/// `x` may be an `A` or a `B` (a `Sub` is an `A`).
const AB: &str = "class A:\n    def __init__(self):\n        self.a = 1\n\n\nclass Sub(A):\n    pass\n\n\nclass B:\n    def __init__(self):\n        self.b = 1\n\n\ndef pick(n):\n    if n == 0:\n        return A()\n    if n == 1:\n        return Sub()\n    return B()\n\n\n";

#[test]
fn the_else_of_isinstance_is_not_an_instance() {
    // `else`, and an `elif` after the test: `x` is not an `A` (nor a `Sub`) there
    for body in [
        "def f():\n    x = pick(0)\n    if isinstance(x, A):\n        pass\n    else:\n        x.tag = 1\n",
        "def f():\n    x = pick(0)\n    if isinstance(x, A):\n        pass\n    elif x:\n        x.tag = 1\n",
    ] {
        let src = format!("{AB}{body}");
        clean(&[("m.py", src.as_str())], "A", &["a"]);
        clean(&[("m.py", src.as_str())], "B", &["b", "tag"]);
    }
    // not excluded: an `and` (the test may fail for an `A`), the `if` body of another
    // test, after the `if`, a type the analysis cannot see
    for body in [
        "def f(cond):\n    x = pick(0)\n    if isinstance(x, A) and cond:\n        pass\n    else:\n        x.tag = 1\n",
        "def f():\n    x = pick(0)\n    if isinstance(x, B):\n        pass\n    else:\n        x.tag = 1\n",
        "def f():\n    x = pick(0)\n    if isinstance(x, A):\n        pass\n    else:\n        pass\n    x.tag = 1\n",
        "def f(kind):\n    x = pick(0)\n    if isinstance(x, kind):\n        pass\n    else:\n        x.tag = 1\n",
    ] {
        let src = format!("{AB}{body}");
        protected(&[("m.py", src.as_str())], "A", "tag");
    }
}
