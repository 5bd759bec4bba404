//! ## What it does
//! Checks for `__slots__` on a class whose instances still get a `__dict__` from a
//! base: a base without `__slots__`, a mixin, a `Protocol` or ABC intermediate without
//! `__slots__ = ()`, or an exception class.
//!
//! ## Why is this bad?
//! The slots save nothing: instances keep a `__dict__` and accept any attribute, so the
//! memory saving and the typo protection are both lost. `BaseException` always has a
//! `__dict__`, so slots in exception classes never help.
//!
//! ## Example
//! ```python
//! class Mixin:
//!     def describe(self):
//!         return repr(self)
//!
//! class Point(Mixin):
//!     __slots__ = ("x", "y")
//! ```
//!
//! Use instead:
//! ```python
//! class Mixin:
//!     __slots__ = ()
//!
//!     def describe(self):
//!         return repr(self)
//!
//! class Point(Mixin):
//!     __slots__ = ("x", "y")
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::layout::Tri;

pub const CODE: &str = "SK201";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.slotted() {
        let Some(decl) = &class.slots else { continue };
        if decl.has("__dict__") {
            continue;
        }
        let inherited = c.layouts.inherited(cid);
        if inherited.dict != Tri::Yes || inherited.dict_from_slot {
            continue;
        }
        let source = inherited.dict_source.unwrap_or_else(|| "a base".into());
        let message = if inherited.exception {
            format!(
                "`__slots__` in exception class `{}` save nothing: `BaseException` instances always have a `__dict__`",
                class.name
            )
        } else {
            format!(
                "`__slots__` in `{}` save nothing: base `{source}` has no `__slots__`, so instances keep a `__dict__`",
                class.name
            )
        };
        c.report(CODE, Category::Wasted, class.module, decl.range, message);
    }
}
