//! ## What it does
//! Checks for assignments to an attribute that is not a slot on instances of a class
//! without `__dict__`: in its methods (`self.y = ...`) and from outside where the
//! instance's type is known (`p = Point(); p.y = ...`, or a parameter `p: Point`).
//! From outside, it fires only when the receiver can only be instances of project classes
//! and none of them takes the attribute: a receiver that may also be something else (an
//! `Open` instance, any object) may be what the code was written for.
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
use crate::model::class::{ClassId, UseKind};
use crate::plan::ancestors;

pub const CODE: &str = "SK106";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.project.classes.iter().enumerate() {
        if !c.layouts.layout(cid).dict_free() {
            continue;
        }
        let own_empty = class.slots.as_ref().is_some_and(|d| d.storage_names().next().is_none());
        let mut reports = Vec::new();
        for (module, u, inside) in c.project.instance_uses(cid) {
            let UseKind::Write(name) = &u.kind else { continue };
            // in its own methods: unless code meant for a subclass (an empty `__slots__`
            // declares an abstract base); from outside: whatever the receiver may be
            let fails = if inside {
                !own_empty && fails_on(c, cid, name)
            } else {
                c.fails_on_every_receiver(module, u, |c, k| fails_on(c, k, name))
            };
            if fails {
                reports.push((module, u.range, name.clone()));
            }
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

/// Does storing `name` fail on an instance of `cid` (or of any subclass)?
fn fails_on(c: &mut Checker, cid: ClassId, name: &str) -> bool {
    let layout = c.layouts.layout(cid);
    let defined = std::iter::once(cid)
        .chain(ancestors(c.project, cid))
        .filter_map(|k| c.project.classes.get(k))
        .any(|k| k.member(name).is_some());
    layout.dict_free()
        && !layout.has_slot(name)
        && !defined
        && name != "__dict__"
        && !c.subclass_provides(cid, |l| l.has_slot(name) || !l.dict_free())
}
