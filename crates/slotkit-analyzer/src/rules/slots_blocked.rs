//! ## What it does
//! Reports classes that would benefit from `__slots__` (their bases are, or could be,
//! free of `__dict__`) but cannot be slotted automatically, with the blockers: uses of
//! `__dict__`/`vars()`, dynamic `setattr`, `cached_property`, class attributes used as
//! instance defaults or assigned after class creation (`Point.x = ...`, `cls.x = ...`,
//! which would replace the slot descriptor), `__class__` assignment, monkeypatched instances, metaclasses or
//! class decorators the analyzer does not understand, unresolvable bases, a project
//! base that is itself blocked, and subclasses that would break. Dataclasses get the
//! `@dataclass(slots=True)` suggestion, with the gh-90562 `super()` warning.
//!
//! ## Why is this bad?
//! It is not wrong; it lists the work left before the class can be slotted, so that a
//! reviewer can decide (for example move `cache = None` into `__init__`).
//!
//! ## Example
//! ```python
//! class Config:
//!     debug = False
//!
//!     def enable(self):
//!         self.debug = True
//! ```
//!
//! Use instead:
//! ```python
//! class Config:
//!     __slots__ = ("debug",)
//!
//!     def __init__(self):
//!         self.debug = False
//!
//!     def enable(self):
//!         self.debug = True
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::plan::Verdict;

pub const CODE: &str = "SK302";

pub fn check(c: &mut Checker) {
    let project = c.project;
    for (cid, class) in project.classes.iter().enumerate() {
        let Some(Verdict::Blocked(reasons)) = c.plan.verdicts.get(cid).cloned() else { continue };
        let mut unique: Vec<String> = Vec::new();
        for r in reasons {
            if !unique.contains(&r) {
                unique.push(r);
            }
        }
        let shown: Vec<String> = unique.iter().take(4).cloned().collect();
        let mut message = format!("`{}` cannot be slotted automatically: {}", class.name, shown.join("; "));
        if unique.len() > shown.len() {
            message.push_str(&format!(" (+{} more)", unique.len() - shown.len()));
        }
        c.report(CODE, Category::Opportunity, class.module, class.name_range, message);
    }
}
