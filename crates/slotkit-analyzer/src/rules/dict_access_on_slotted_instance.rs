//! ## What it does
//! Checks for `vars(obj)` and `obj.__dict__` where `obj` is an instance of a class
//! without `__dict__` (`self` in its methods, or a variable of known type).
//! Outside the class's methods, it fires only when `obj` can only be an instance of
//! project classes that all lack `__dict__`.
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
use crate::model::class::{ClassId, UseKind};

pub const CODE: &str = "SK109";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.project.classes.iter().enumerate() {
        let reports = c.failing_uses(cid, &UseKind::Dict, fails_on);
        for (module, range) in reports {
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

/// Has an instance of `cid` no `__dict__`? (Code written for instances of a subclass that
/// has one is not an error.)
fn fails_on(c: &mut Checker, cid: ClassId) -> bool {
    c.layouts.layout(cid).dict_free() && !c.subclass_provides(cid, |l| l.dict != Tri::No)
}
