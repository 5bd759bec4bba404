//! ## What it does
//! Checks for zero-argument `super()` (or `__class__`) inside a
//! `@dataclass(slots=True)` class when the target Python is older than 3.14.
//!
//! ## Why is this bad?
//! `slots=True` makes the decorator build a new class, but the methods' `__class__`
//! cell still points to the old one, so `super()` raises `TypeError: super(type, obj):
//! obj must be an instance or subtype of type` (gh-90562, fixed in 3.14).
//!
//! ## Example
//! ```python
//! @dataclass(slots=True)
//! class Child(Base):
//!     def total(self):
//!         return super().total() + 1
//! ```
//!
//! Use instead:
//! ```python
//! @dataclass(slots=True)
//! class Child(Base):
//!     def total(self):
//!         return super(Child, self).total() + 1
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::model::class::DataclassKind;

pub const CODE: &str = "SK110";

pub fn check(c: &mut Checker) {
    if c.version.minor >= 14 {
        return;
    }
    let version = c.version;
    for class in &c.project.classes {
        if !matches!(class.dataclass, DataclassKind::Dataclass { slots: true, .. }) {
            continue;
        }
        for range in &class.class_cell_uses {
            c.report(
                CODE,
                Category::Broken,
                class.module,
                *range,
                format!(
                    "zero-argument `super()` in `@dataclass(slots=True)` class `{}` fails on Python {version} (gh-90562); use `super({}, self)`",
                    class.name, class.name
                ),
            );
        }
    }
}
