//! ## What it does
//! Checks for `vars(obj)` and `obj.__dict__` where `obj` is an instance of a class
//! without `__dict__` (`self` in its methods, or a variable of known type).
//!
//! ## Why is this bad?
//! Slotted instances have no `__dict__`: `vars()` raises `TypeError: vars() argument
//! must have __dict__ attribute` and `obj.__dict__` raises `AttributeError`. This often
//! hides in `__repr__`, `__eq__`, `__getstate__` or serialisation helpers.
//!
//! ## Example
//! ```python
//! class Point:
//!     __slots__ = ("x", "y")
//!
//!     def to_dict(self):
//!         return vars(self)
//! ```
//!
//! Use instead:
//! ```python
//! class Point:
//!     __slots__ = ("x", "y")
//!
//!     def to_dict(self):
//!         return {name: getattr(self, name) for name in self.__slots__}
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::layout::Tri;
use crate::model::class::UseKind;

pub const CODE: &str = "SK109";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.project.classes.iter().enumerate() {
        if !c.layouts.layout(cid).dict_free() {
            continue;
        }
        // code written for instances of a subclass that has the capability
        if c.subclass_provides(cid, |l| l.dict != Tri::No) {
            continue;
        }
        let uses: Vec<_> = c
            .project
            .instance_uses(cid)
            .filter(|(_, u, _)| u.kind == UseKind::Dict)
            .map(|(m, u, _)| (m, u.range))
            .collect();
        for (module, range) in uses {
            c.report(
                CODE,
                Category::Broken,
                module,
                range,
                format!("`__dict__` / `vars()` on an instance of `{}`, which has no `__dict__`", class.name),
            );
        }
    }
}
