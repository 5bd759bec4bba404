//! ## What it does
//! Checks for a name that is both listed in `__slots__` and defined in the class body
//! (a class variable, a method, a property or a dataclass field default).
//!
//! ## Why is this bad?
//! Python refuses to create the class: `ValueError: 'x' in __slots__ conflicts with
//! class variable`. Class attributes cannot provide defaults for slots.
//!
//! ## Example
//! ```python
//! class Point:
//!     __slots__ = ("x", "y")
//!     x = 0
//! ```
//!
//! Use instead:
//! ```python
//! class Point:
//!     __slots__ = ("x", "y")
//!
//!     def __init__(self, x=0, y=0):
//!         self.x = x
//!         self.y = y
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::model::class::MemberKind;

pub const CODE: &str = "SK101";

pub fn check(c: &mut Checker) {
    for (_, class) in c.slotted() {
        let Some(decl) = &class.slots else { continue };
        for (name, range) in &decl.names {
            if let Some(m) = class.member(name).filter(|m| !m.conditional) {
                let what = match m.kind {
                    MemberKind::Method => "method",
                    MemberKind::Property | MemberKind::CachedProperty => "property",
                    MemberKind::Class => "nested class",
                    MemberKind::Value => "class variable",
                    MemberKind::Annotation => continue,
                };
                c.report(
                    CODE,
                    Category::Broken,
                    class.module,
                    *range,
                    format!(
                        "`{name}` in `__slots__` of `{}` conflicts with a {what} of the same name (ValueError at import)",
                        class.name
                    ),
                );
            }
        }
    }
}
