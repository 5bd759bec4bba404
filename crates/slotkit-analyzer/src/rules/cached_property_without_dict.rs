//! ## What it does
//! Checks for `functools.cached_property` on a class whose instances have no
//! `__dict__`.
//!
//! ## Why is this bad?
//! `cached_property` stores the computed value in the instance `__dict__`. Without one,
//! the first access raises `TypeError: No '__dict__' attribute on 'C' instance to cache
//! 'area' property.`
//!
//! ## Example
//! ```python
//! class Circle:
//!     __slots__ = ("r",)
//!
//!     @cached_property
//!     def area(self):
//!         return 3.14159 * self.r**2
//! ```
//!
//! Use instead:
//! ```python
//! class Circle:
//!     __slots__ = ("r", "_area")
//!
//!     @property
//!     def area(self):
//!         try:
//!             return self._area
//!         except AttributeError:
//!             self._area = 3.14159 * self.r**2
//!             return self._area
//! ```
use crate::checker::Checker;
use crate::diagnostic::Category;
use crate::model::class::MemberKind;

pub const CODE: &str = "SK108";

pub fn check(c: &mut Checker) {
    for (cid, class) in c.project.classes.iter().enumerate() {
        let layout = c.layouts.layout(cid);
        if !layout.dict_free() || c.subclass_provides(cid, |l| !l.dict_free()) {
            continue;
        }
        for m in &class.members {
            if m.kind == MemberKind::CachedProperty {
                c.report(
                    CODE,
                    Category::Broken,
                    class.module,
                    m.range,
                    format!(
                        "`cached_property` `{}` on `{}`, which has no `__dict__`: TypeError on first access",
                        m.name, class.name
                    ),
                );
            }
        }
    }
}
