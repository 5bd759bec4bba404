//! ## What it does
//! Reports a file that cannot be read or parsed as Python.
//!
//! ## Why is this bad?
//! The analyzer cannot see the classes in the file, so their `__slots__` are neither
//! checked nor fixed. The other files are still checked, but bases defined in this file
//! cannot be resolved, so their subclasses are reported as needing review.
//!
//! ## Example
//! ```python
//! class Point(
//!     __slots__ = ("x",)
//! ```
//!
//! Use instead:
//! ```python
//! class Point:
//!     __slots__ = ("x",)
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;

pub const CODE: &str = "SK000";

pub fn check(c: &mut Checker) {
    for (mid, m) in c.project.modules.iter().enumerate() {
        if let Some((range, msg)) = &m.error {
            c.report(CODE, Category::Syntax, mid, *range, format!("cannot analyse file: {msg}"));
        }
    }
}
