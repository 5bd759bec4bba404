//! ## What it does
//! Checks for a class whose bases each add non-empty `__slots__` (or are different
//! builtin layouts), which Python cannot combine.
//!
//! ## Why is this bad?
//! Creating the class raises `TypeError: multiple bases have instance lay-out
//! conflict`. Same-named slots still conflict. It works only if all but one base
//! declare `__slots__ = ()`.
//!
//! ## Example
//! ```python
//! class A:
//!     __slots__ = ("a",)
//!
//! class B:
//!     __slots__ = ("b",)
//!
//! class C(A, B):
//!     pass
//! ```
//!
//! Use instead:
//! ```python
//! class A:
//!     __slots__ = ("a",)
//!
//! class B:
//!     __slots__ = ()
//!
//! class C(A, B):
//!     __slots__ = ("b",)
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::layout::layout_conflict;

pub const CODE: &str = "SK102";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.project.classes.iter().enumerate() {
        if class.bases.len() < 2 {
            continue;
        }
        let layouts = c.layouts.base_layouts(cid);
        if let Some((i, j)) = layout_conflict(&layouts) {
            let (Some(a), Some(b)) = (class.bases.get(i), class.bases.get(j)) else {
                continue;
            };
            c.report(
                CODE,
                Category::Broken,
                class.module,
                class.name_range,
                format!(
                    "bases `{}` and `{}` of `{}` both define an instance layout (non-empty `__slots__`): TypeError at import",
                    a.text, b.text, class.name
                ),
            );
        }
    }
}
