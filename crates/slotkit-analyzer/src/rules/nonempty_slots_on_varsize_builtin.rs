//! ## What it does
//! Checks for non-empty `__slots__` in subclasses of `int`, `bytes` and `tuple`
//! (including namedtuples), and for `__slots__` in a `typing.NamedTuple` class body.
//!
//! ## Why is this bad?
//! These builtins store their items inside the object, so Python raises `TypeError:
//! nonempty __slots__ not supported for subtype of 'int'`. In a `NamedTuple` body,
//! `__slots__` raises `AttributeError: Cannot overwrite NamedTuple attribute
//! __slots__`. Only `__slots__ = ()` is allowed in subclasses.
//!
//! ## Example
//! ```python
//! class Flags(int):
//!     __slots__ = ("label",)
//! ```
//!
//! Use instead:
//! ```python
//! class Flags(int):
//!     __slots__ = ()
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::layout::OwnSlots;

pub const CODE: &str = "SK103";

pub fn check(c: &mut Checker) {
    let allow_special = c.version.minor >= 15;
    for (cid, class) in c.slotted() {
        let Some(decl) = &class.slots else { continue };
        if matches!(c.layouts.own_slots(cid), OwnSlots::Names(_))
            && c.project.bases.get(cid).is_some_and(|bs| {
                bs.iter().any(|b| matches!(b, crate::model::project::BaseTarget::External(d) if d.ends_with(".NamedTuple")))
            })
        {
            c.report(
                CODE,
                Category::Broken,
                class.module,
                decl.range,
                format!("`__slots__` in the `NamedTuple` class `{}` raises AttributeError", class.name),
            );
            continue;
        }
        let inherited = c.layouts.inherited(cid);
        let Some(builtin) = inherited.varsize else { continue };
        let bad = decl.names.iter().any(|(n, _)| {
            !(allow_special && (n == "__dict__" || n == "__weakref__"))
        });
        if bad {
            c.report(
                CODE,
                Category::Broken,
                class.module,
                decl.range,
                format!(
                    "non-empty `__slots__` on `{}`, a subclass of `{builtin}`: TypeError at import (use `__slots__ = ()`)",
                    class.name
                ),
            );
        }
    }
}
