//! ## What it does
//! Checks for assignments to an attribute that is not a slot on instances of a class
//! without `__dict__`: in its methods (`self.y = ...`) and from outside where the
//! instance's type is known (`p = Point(); p.y = ...`, or a parameter `p: Point`).
//!
//! ## Why is this bad?
//! A fully slotted instance has no `__dict__`, so the assignment raises
//! `AttributeError: 'Point' object has no attribute 'y'` at run time.
//!
//! ## Example
//! ```python
//! class Point:
//!     __slots__ = ("x",)
//!
//!     def __init__(self, x, y):
//!         self.x = x
//!         self.y = y
//! ```
//!
//! Use instead:
//! ```python
//! class Point:
//!     __slots__ = ("x", "y")
//!
//!     def __init__(self, x, y):
//!         self.x = x
//!         self.y = y
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::model::class::UseKind;
use crate::plan::ancestors;

pub const CODE: &str = "SK106";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.project.classes.iter().enumerate() {
        let layout = c.layouts.layout(cid);
        if !layout.dict_free() {
            continue;
        }
        let own_empty = class.slots.as_ref().is_some_and(|d| d.storage_names().next().is_none());
        let mro: Vec<usize> = std::iter::once(cid).chain(ancestors(c.project, cid)).collect();
        let defined = |n: &str| {
            mro.iter()
                .filter_map(|k| c.project.classes.get(*k))
                .any(|k| k.member(n).is_some())
        };
        let mut reports = Vec::new();
        for (module, u, inside) in c.project.instance_uses(cid) {
            let UseKind::Write(name) = &u.kind else { continue };
            if layout.has_slot(name) || defined(name) || name == "__dict__" {
                continue;
            }
            if (inside && own_empty)
                || c.subclass_provides(cid, |l| l.has_slot(name) || !l.dict_free())
            {
                continue;
            }
            reports.push((module, u.range, name.clone()));
        }
        for (module, range, name) in reports {
            c.report(
                CODE,
                Category::Broken,
                module,
                range,
                format!(
                    "`{name}` is not a slot of `{}`, which has no `__dict__`: AttributeError at run time",
                    class.name
                ),
            );
        }
    }
}
