//! ## What it does
//! Checks for a name listed twice in one `__slots__`.
//!
//! ## Why is this bad?
//! Python accepts it but allocates a second, unreachable field: 8 bytes wasted per
//! instance.
//!
//! ## Example
//! ```python
//! class Point:
//!     __slots__ = ("x", "y", "x")
//! ```
//!
//! Use instead:
//! ```python
//! class Point:
//!     __slots__ = ("x", "y")
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;

pub const CODE: &str = "SK203";

pub fn check(c: &mut Checker) {
    for (_, class) in c.slotted() {
        let Some(decl) = &class.slots else { continue };
        for (i, (name, range)) in decl.names.iter().enumerate() {
            if decl.names.iter().take(i).any(|(n, _)| n == name) {
                c.report(
                    CODE,
                    Category::Wasted,
                    class.module,
                    *range,
                    format!("slot `{name}` is listed twice in `__slots__` of `{}`", class.name),
                );
            }
        }
    }
}
