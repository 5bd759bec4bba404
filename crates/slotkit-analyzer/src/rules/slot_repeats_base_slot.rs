//! ## What it does
//! Checks for a slot that a base class already declares.
//!
//! ## Why is this bad?
//! The subclass slot shadows the base's one: every instance carries an extra, unused
//! 8-byte field, and the base's descriptor becomes unreachable (the data model calls
//! this undefined). It is usually left over from copying `__slots__` between classes.
//!
//! ## Example
//! ```python
//! class Base:
//!     __slots__ = ("name",)
//!
//! class Child(Base):
//!     __slots__ = ("name", "age")
//! ```
//!
//! Use instead:
//! ```python
//! class Base:
//!     __slots__ = ("name",)
//!
//! class Child(Base):
//!     __slots__ = ("age",)
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;

pub const CODE: &str = "SK202";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.slotted() {
        let Some(decl) = &class.slots else { continue };
        let inherited = c.layouts.inherited(cid);
        for (name, range) in &decl.names {
            if name == "__dict__" || name == "__weakref__" {
                continue;
            }
            if let Some((_, owner)) = inherited.slots.iter().find(|(n, _)| **n == **name) {
                let base = c.class_name(*owner);
                c.report(
                    CODE,
                    Category::Wasted,
                    class.module,
                    *range,
                    format!("slot `{name}` of `{}` repeats a slot of base `{base}` (8 bytes wasted per instance)", class.name),
                );
            }
        }
    }
}
