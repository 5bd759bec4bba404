//! ## What it does
//! Checks for `"__weakref__"` or `"__dict__"` in `__slots__` when a base class already
//! provides one.
//!
//! ## Why is this bad?
//! Python raises `TypeError: __weakref__ slot disallowed: we already got one` (the same
//! for `__dict__`) when the class is created. A base without `__slots__` already gives
//! instances both a `__dict__` and a `__weakref__`.
//!
//! ## Example
//! ```python
//! class Base:
//!     __slots__ = ("__weakref__",)
//!
//! class Child(Base):
//!     __slots__ = ("x", "__weakref__")
//! ```
//!
//! Use instead:
//! ```python
//! class Base:
//!     __slots__ = ("__weakref__",)
//!
//! class Child(Base):
//!     __slots__ = ("x",)
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::layout::Tri;

pub const CODE: &str = "SK104";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.slotted() {
        let Some(decl) = &class.slots else { continue };
        let inherited = c.layouts.inherited(cid);
        for (name, range) in &decl.names {
            let already = match name.as_str() {
                "__weakref__" => inherited.weakref == Tri::Yes,
                "__dict__" => inherited.dict == Tri::Yes,
                _ => false,
            };
            if already {
                c.report(
                    CODE,
                    Category::Broken,
                    class.module,
                    *range,
                    format!(
                        "`{name}` slot in `{}` but a base already provides one: TypeError at import",
                        class.name
                    ),
                );
            }
        }
    }
}
