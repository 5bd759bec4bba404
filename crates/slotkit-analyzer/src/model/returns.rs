//! What calling a method of a project instance or class object returns, and what an
//! item of a project instance is: the union over the class family's definitions (return
//! annotations, or what their `return`s give).

use super::class::{ClassId, MemberKind};
use super::flow::{push, Val};
use super::project::Project;

impl Project {
    /// What method `name` returns on an instance of `cid` or of a subclass: the union of
    /// the return annotations of every definition (`Unknown` if one is missing).
    pub(super) fn method_return(&self, cid: ClassId, name: &str, depth: usize) -> Vec<Val> {
        // `return super().m(...)` in an override: what the family's definitions return,
        // this one included; a re-entered evaluation adds nothing (a value has to come from
        // somewhere, as in `attr_of`)
        self.once_on_stack((cid, format!("{name}()")), || self.method_return_inner(cid, name, depth))
    }

    fn method_return_inner(&self, cid: ClassId, name: &str, depth: usize) -> Vec<Val> {
        let family = self.family(cid);
        let mut out = Vec::new();
        let mut found = false;
        for k in family {
            let Some(class) = self.classes.get(k) else { continue };
            let Some(m) = class.member(name) else { continue };
            if m.kind == MemberKind::Class && !m.conditional {
                // `self.Inner()`: an instance of the nested class (or of a subclass)
                match self.nested_class(k, name) {
                    Some(inner) => {
                        found = true;
                        push(&mut out, Val::Inst(inner));
                        continue;
                    }
                    None => return vec![Val::Unknown],
                }
            }
            if m.kind != MemberKind::Method {
                return vec![Val::Unknown];
            }
            let mut defs = class.method_returns.iter().filter(|(n, _)| n == name).peekable();
            if defs.peek().is_none() {
                return vec![Val::Unknown];
            }
            for (_, ty) in defs {
                found = true;
                self.eval_ty(class.module, ty, depth).into_iter().for_each(|v| push(&mut out, v));
            }
        }
        if !found {
            // calling a method no instance of the family has raises: nothing returned
            if self.lacks_attribute(cid, name) {
                return Vec::new();
            }
            return vec![Val::Unknown];
        }
        out
    }

    /// What `Class.name(...)` returns: a classmethod's or staticmethod's return (a plain
    /// method called on the class gets its instance from the caller: anything).
    pub(super) fn class_method_return(&self, cid: ClassId, name: &str, depth: usize) -> Vec<Val> {
        let mro = std::iter::once(cid).chain(crate::plan::ancestors(self, cid));
        for k in mro {
            let Some(m) = self.classes.get(k).and_then(|c| c.member(name)) else { continue };
            // `Outer.Inner()`: an instance of the nested class, as `self.Inner()` gives,
            // unless the name is rebound on a class object of the family
            let nested = m.kind == MemberKind::Class
                && !self.family(cid).iter().any(|f| self.classes.get(*f).is_some_and(|c| c.late_class_attrs.iter().any(|n| n == name)));
            if !nested && (m.kind != MemberKind::Method || m.instance_method) {
                return vec![Val::Unknown];
            }
            return self.method_return(cid, name, depth);
        }
        vec![Val::Unknown]
    }

    /// An item of a project instance: what `__getitem__` returns and what `__iter__`
    /// yields (`Unknown` unless both, where defined, are annotated).
    pub(super) fn item_of(&self, cid: ClassId, depth: usize) -> Vec<Val> {
        let mut out = Vec::new();
        let mut any = false;
        for (dunder, iterated) in [("__getitem__", false), ("__iter__", true)] {
            let defined = std::iter::once(cid)
                .chain(crate::plan::ancestors(self, cid))
                .chain(self.descendants(cid))
                .any(|k| self.classes.get(k).is_some_and(|c| c.member(dunder).is_some()));
            if !defined {
                continue;
            }
            any = true;
            for v in self.method_return(cid, dunder, depth) {
                match (iterated, v) {
                    (true, Val::Container(inner)) => inner.into_iter().for_each(|x| push(&mut out, x)),
                    (true, _) => push(&mut out, Val::Unknown),
                    (false, v) => push(&mut out, v),
                }
            }
        }
        if !any {
            return vec![Val::Unknown];
        }
        out
    }
}
