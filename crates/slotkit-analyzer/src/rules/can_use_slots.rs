//! ## What it does
//! Reports classes that can safely gain `__slots__`, with the inferred attribute set,
//! the estimated bytes saved per instance on the target Python (`--python`, default
//! from `requires-python`), and the project bases that must be slotted first.
//! `slotkit fix` applies exactly these.
//!
//! A class qualifies when every base is known to be free of `__dict__` (or is planned
//! to be slotted), every attribute written on its instances is known (writes in all
//! methods, instances created in `__new__`/classmethods, constant-name `setattr`, and
//! writes through variables of known type), and nothing needs a `__dict__`: no
//! `vars()`/`__dict__`, no dynamic `setattr`, no `cached_property`, no `__class__`
//! assignment, no monkeypatching of instances, no class attribute that doubles as an
//! instance default, no unknown metaclass or class decorator, and no subclass that
//! would break. `"__weakref__"` is added when instances are weakly referenced.
//!
//! Receivers are typed by following the flows real code uses: class-valued names and
//! parameters (`cls: type[X] = X`, `cls or X`, TypeVar bounds), containers and `for`
//! targets, attribute types (annotations, `self.x = X(...)`), return annotations,
//! `isinstance` narrowing, classes defined in functions. Classes that cannot have
//! instances (Protocols without subclasses, `TYPE_CHECKING`-only classes, namespace
//! classes never instantiated, Enums) get no finding.
//!
//! Each finding carries a fix applicability (`fix.applicability` in JSON): `safe` when
//! nothing in the analysed code can break the class, `unsafe` when a use on a receiver
//! of unknown type could reach it; the message then names those uses (file:line).
//! `slotkit fix` applies safe fixes only; see `docs/fix-safety.md`.
//!
//! ## Why is this bad?
//! Without `__slots__` every instance carries a `__dict__` (about 40 to 170 bytes on
//! 3.11+, over 1.3 KB with 30 or more attributes) and accepts misspelled attributes.
//!
//! ## Example
//! ```python
//! class Point:
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
use crate::diagnostic::{Category, FixInfo};
use crate::fix_safety::Applicability;
use crate::plan::Verdict;

pub const CODE: &str = "SK301";

pub fn tuple_text(slots: &[String]) -> String {
    match slots {
        [] => "()".to_string(),
        [one] => format!("(\"{one}\",)"),
        many => format!(
            "({})",
            many.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
        ),
    }
}

pub fn check(c: &mut Checker) {
    let project = c.project;
    let version = c.version;
    let order = c.plan.order.clone();
    for cid in order {
        let Some(Verdict::Safe(plan)) = c.plan.verdicts.get(cid).cloned() else { continue };
        let Some(class) = project.classes.get(cid) else { continue };
        let mut message = format!(
            "`{}` can use `__slots__ = {}`: saves ~{} B per instance on Python {version}",
            class.name,
            tuple_text(&plan.slots),
            plan.saved_bytes
        );
        if !plan.kept_for_unknown.is_empty() {
            let names: Vec<String> = plan.kept_for_unknown.iter().map(|(n, _)| format!("`{n}`")).collect();
            let first = plan.kept_for_unknown.first().map_or("", |(_, at)| at.as_str());
            message.push_str(&format!(
                " ({} kept for uses that may reach it, such as {first})",
                names.join(", ")
            ));
        }
        if !plan.after.is_empty() {
            let names: Vec<&str> = plan.after.iter().map(|a| c.class_name(*a)).collect();
            message.push_str(&format!(" (slot these bases first: `{}`)", names.join("`, `")));
        }
        if plan.applicability == Applicability::Unsafe {
            message.push_str(" [unsafe fix: ");
            message.push_str(&plan.unknown_uses.join("; "));
            message.push(']');
        }
        c.report(CODE, Category::Opportunity, class.module, class.name_range, message);
        c.attach_fix(FixInfo {
            applicability: plan.applicability,
            notes: plan.unknown_uses.clone(),
        });
    }
}
