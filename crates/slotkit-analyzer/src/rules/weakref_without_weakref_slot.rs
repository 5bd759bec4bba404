//! ## What it does
//! Checks for weak references to instances of a slotted class that has no
//! `__weakref__` slot: `weakref.ref`, `proxy`, `finalize`, `WeakMethod`, and storing the
//! instance in a local `WeakSet` (`.add`), `WeakValueDictionary` (as a value) or
//! `WeakKeyDictionary` (as a key).
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
use crate::model::class::UseKind;

pub const CODE: &str = "SK107";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.project.classes.iter().enumerate() {
        let layout = c.layouts.layout(cid);
        if layout.weakref != Tri::No {
            continue;
        }
        // code written for instances of a subclass that has the capability
        if c.subclass_provides(cid, |l| l.weakref != Tri::No) {
            continue;
        }
        let uses: Vec<_> = c
            .project
            .instance_uses(cid)
            .filter(|(_, u, _)| u.kind == UseKind::Weakref)
            .map(|(m, u, _)| (m, u.range))
            .collect();
        for (module, range) in uses {
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
