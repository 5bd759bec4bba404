//! ## What it does
//! Checks for `__slots__` assigned a single string.
//!
//! ## Why is this bad?
//! `__slots__ = "name"` declares one slot, but code that iterates `__slots__` (copy and
//! pickle helpers, `__repr__`, serialisers, `__match_args__ = __slots__`) sees the
//! characters `n`, `a`, `m`, `e`. Adding a second slot later by writing
//! `"name", "age"` is easy to get wrong.
//!
//! ## Example
//! ```python
//! class User:
//!     __slots__ = "name"
//! ```
//!
//! Use instead:
//! ```python
//! class User:
//!     __slots__ = ("name",)
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;

pub const CODE: &str = "SK204";

pub fn check(c: &mut Checker) {
    for (_, class) in c.slotted() {
        let Some(decl) = &class.slots else { continue };
        if decl.single_string {
            let name = decl.names.first().map_or("", |(n, _)| n.as_str());
            c.report(
                CODE,
                Category::Wasted,
                class.module,
                decl.range,
                format!("`__slots__` of `{}` is a single string; use a tuple: `(\"{name}\",)`", class.name),
            );
        }
    }
}
