//! ## What it does
//! Checks for `@dataclass(slots=True)` on a class that also declares `__slots__`.
//!
//! ## Why is this bad?
//! The decorator raises `TypeError: C already specifies __slots__` when the module is
//! imported.
//!
//! ## Example
//! ```python
//! @dataclass(slots=True)
//! class Point:
//!     __slots__ = ("x",)
//!     x: int
//! ```
//!
//! Use instead:
//! ```python
//! @dataclass(slots=True)
//! class Point:
//!     x: int
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::model::class::DataclassKind;

pub const CODE: &str = "SK105";

pub fn check(c: &mut Checker) {
    for (_, class) in c.slotted() {
        if let (DataclassKind::Dataclass { slots: true, .. }, Some(decl)) = (class.dataclass, &class.slots) {
            c.report(
                CODE,
                Category::Broken,
                class.module,
                decl.range,
                format!("`{}` uses `@dataclass(slots=True)` and also declares `__slots__`: TypeError at import", class.name),
            );
        }
    }
}
