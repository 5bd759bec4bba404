//! ## What it does
//! Checks for weak references to instances of a slotted class that has no
//! `__weakref__` slot: `weakref.ref`, `proxy`, `finalize`, `WeakMethod`, and storing the
//! instance in a local `WeakSet` (`.add`), `WeakValueDictionary` (as a value) or
//! `WeakKeyDictionary` (as a key).
//! Outside the class's methods, it fires only when the instance can only be of project
//! classes that all lack `__weakref__`.
//!
//! ## Why is this bad?
//! Instances of a class whose whole hierarchy declares `__slots__` do not support weak
//! references unless one class lists `"__weakref__"`: `TypeError: cannot create weak
//! reference to 'Node' object`.
//!
//! ## Example
//! ```python
//! class Node:
//!     __slots__ = ("parent",)
//!
//!     def watch(self):
//!         return weakref.ref(self)
//! ```
//!
//! Use instead:
//! ```python
//! class Node:
//!     __slots__ = ("parent", "__weakref__")
//!
//!     def watch(self):
//!         return weakref.ref(self)
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::layout::Tri;
use crate::model::class::{ClassId, UseKind};

pub const CODE: &str = "SK107";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.project.classes.iter().enumerate() {
        let reports = c.failing_uses(cid, &UseKind::Weakref, fails_on);
        for (module, range) in reports {
            c.report(
                CODE,
                Category::Broken,
                module,
                range,
                format!(
                    "weak reference to `{}`, which has no `__weakref__` slot: TypeError at run time",
                    class.name
                ),
            );
        }
    }
}

/// Has an instance of `cid` no `__weakref__`? (Code written for instances of a subclass
/// that has one is not an error.)
fn fails_on(c: &mut Checker, cid: ClassId) -> bool {
    c.layouts.layout(cid).weakref == Tri::No && !c.subclass_provides(cid, |l| l.weakref != Tri::No)
}
