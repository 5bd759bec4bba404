//! Attribute types of instances: what attribute `name` of an instance of a class family
//! may hold (declarations, stores through typed and unknown receivers, kept copies and
//! computed `setattr`s), attributes of outside objects, and names no instance can have.


use super::class::{ClassId, MemberKind};
use super::flow::{push, Val};
use super::project::{BaseTarget, Project};

impl Project {
    /// `cid`, its project bases and its project subclasses: the classes whose attribute
    /// declarations describe an instance typed `cid` (it may be of a subclass).
    pub(super) fn family(&self, cid: ClassId) -> Vec<ClassId> {
        let mut family: Vec<ClassId> = vec![cid];
        family.extend(crate::plan::ancestors(self, cid));
        family.extend(self.descendants(cid));
        family
    }

    /// Are the direct bases of `cid` project classes or outside bases that define no
    /// attributes (`object`, `abc.ABC`, `typing.Generic`)?
    pub(super) fn plain_bases(&self, cid: ClassId) -> bool {
        self.bases.get(cid).is_some_and(|bases| {
            bases.iter().all(|b| match b {
                BaseTarget::Project(_) => true,
                BaseTarget::External(d) => crate::fix_safety::PLAIN_BASES.contains(&d.as_str()),
                _ => false,
            })
        })
    }

    /// What attribute `name` of an instance of `cid` (or of a subclass) may hold.
    pub(super) fn attr_of(&self, cid: ClassId, name: &str, depth: usize) -> Vec<Val> {
        // `c._x = self._x`: an attribute whose type refers back to itself adds nothing to
        // what its other stores give (a value has to come from somewhere), so a re-entered
        // evaluation gives nothing instead of running into the depth limit (anything)
        self.once_on_stack((cid, name.to_string()), || self.attr_of_inner(cid, name, depth))
    }

    /// Evaluate `f` unless the same question (`key`) is being answered further up, which
    /// gives nothing (values come from somewhere).
    pub(super) fn once_on_stack(&self, key: (ClassId, String), f: impl FnOnce() -> Vec<Val>) -> Vec<Val> {
        if self.attr_stack.borrow().contains(&key) {
            self.memo.cut_short();
            return Vec::new();
        }
        self.attr_stack.borrow_mut().push(key);
        let out = f();
        self.attr_stack.borrow_mut().pop();
        out
    }

    fn attr_of_inner(&self, cid: ClassId, name: &str, depth: usize) -> Vec<Val> {
        let family = self.family(cid);
        let mut out = Vec::new();
        let mut declared = false;
        for k in &family {
            let Some(class) = self.classes.get(*k) else { continue };
            // attributes put there through `__dict__`, `vars()`, a computed `setattr` or a
            // patch may hold anything
            if !class.attr_hooks.is_empty() || self.open_classes.contains(k) {
                return vec![Val::Unknown];
            }
            for (n, t) in &class.attr_types {
                if n == name || n == "*" {
                    declared = true;
                    for v in self.eval_ty(class.module, t, depth + 1) {
                        push(&mut out, v);
                    }
                }
            }
            if let Some(m) = class.member(name) {
                match m.kind {
                    MemberKind::Method | MemberKind::Annotation => declared = true,
                    // `self.Inner`: the nested class (its type is not in `attr_types`)
                    MemberKind::Class if !m.conditional => match self.nested_class(*k, name) {
                        Some(inner) => {
                            declared = true;
                            push(&mut out, Val::Class(inner));
                        }
                        None => return vec![Val::Unknown],
                    },
                    // a class-level default: its type is in `attr_types`, unless it is a
                    // descriptor instance (then `__get__` returns anything)
                    MemberKind::Value if !self.is_descriptor_call(m.value_call.as_deref()) => {
                        declared = true
                    }
                    // a property: what its getter returns (annotated or inferred; setters
                    // and deleters add nothing)
                    MemberKind::Property => {
                        let mut getters = class.method_returns.iter().filter(|(n, _)| n == name).peekable();
                        if getters.peek().is_none() {
                            return vec![Val::Unknown];
                        }
                        declared = true;
                        for (_, t) in getters {
                            self.eval_ty(class.module, t, depth + 1).into_iter().for_each(|v| push(&mut out, v));
                        }
                    }
                    _ => return vec![Val::Unknown],
                }
            }
            if let Some(extra) = self.extra_attr_vals.get(*k) {
                for (n, vals) in extra {
                    // `*`: an attribute of any name (a computed `setattr` of a known value)
                    if n == name || n == "*" {
                        declared = true;
                        vals.iter().for_each(|v| push(&mut out, v.clone()));
                    }
                }
            }
            if self.unsettled_attr_vals.contains(&(*k, name.to_string())) {
                push(&mut out, Val::Unknown);
            }
        }
        if let Some(vals) = self.loose_attr_vals.get(name) {
            vals.iter().for_each(|v| push(&mut out, v.clone()));
            // the rounds did not settle: what such stores give may be anything
            if self.outside_unsettled {
                push(&mut out, Val::Unknown);
            }
        }
        if !declared {
            return vec![Val::Unknown];
        }
        out
    }

    /// Every attribute name an instance of `cid` may have in its `__dict__`: those its
    /// family declares or is given (`*` for a computed `setattr`), and those stored on
    /// receivers of unknown type.
    pub(super) fn attribute_names(&self, cid: ClassId) -> Vec<String> {
        let family = self.family(cid);
        let mut names: Vec<String> = Vec::new();
        let mut add = |n: &str| {
            if !names.iter().any(|m| m == n) {
                names.push(n.to_string());
            }
        };
        for k in &family {
            let Some(class) = self.classes.get(*k) else { continue };
            class.attr_types.iter().for_each(|(n, _)| add(n));
            class.members.iter().filter(|m| m.kind == MemberKind::Annotation).for_each(|m| add(&m.name));
            if let Some(extra) = self.extra_attr_vals.get(*k) {
                extra.iter().for_each(|(n, _)| add(n));
            }
        }
        self.loose_attr_vals.keys().for_each(|n| add(n));
        names
    }

    /// What attribute `name` of an instance of `cid` (or of a subclass) may hold.
    pub(super) fn attr_of_instance(&self, cid: ClassId, name: &str) -> Vec<Val> {
        self.attr_of(cid, name, 0)
    }

    /// Attribute `name` of an outside object: another outside object (see the limits in
    /// `docs/fix-safety.md`), or what the analysed code stores under that name on
    /// objects that may be outside ones.
    pub(super) fn outside_attr(&self, name: &str) -> Vec<Val> {
        let mut out = vec![Val::Opaque];
        if self.outside_attr_names.contains(name) {
            match self.outside_attr_vals.get(name).filter(|_| !self.outside_unsettled) {
                Some(vals) => vals.iter().for_each(|v| push(&mut out, v.clone())),
                None => push(&mut out, Val::Unknown),
            }
        }
        out
    }

    /// What reading `name` on the class object `cid` gives. A dunder that no project class
    /// of its MRO defines or gets assigned later (`Spec.__new__`, `Spec.__init__`,
    /// `Spec.__doc__`) comes from `object`, `type` or an outside base: an outside object
    /// (`Spec.__new__.__defaults__ = ...` stores on a function, not on an instance).
    /// A class-level value (`items = {}`) holds what the attribute of an instance may hold
    /// (the value, what is added to it through the class or its instances:
    /// `Item.items[k] = self`), when nothing stores that name through a typed receiver
    /// (which may be the class object), the class and its bases are plain (no outside base
    /// or metaclass to define it otherwise) and no class of the family makes it something
    /// else (a method, a property, a descriptor). Anything else may hold anything.
    pub(super) fn class_attr(&self, cid: ClassId, name: &str, depth: usize) -> Vec<Val> {
        let dunder = name.len() > 4 && name.starts_with("__") && name.ends_with("__") && name != "__class__";
        if !dunder {
            return match self.class_level_value(cid, name) {
                true => self.attr_of(cid, name, depth),
                false => vec![Val::Unknown],
            };
        }
        let project_defined = std::iter::once(cid).chain(crate::plan::ancestors(self, cid)).filter_map(|k| self.classes.get(k)).any(|k| {
            k.member(name).is_some() || k.late_class_attrs.iter().any(|n| n == name) || !k.attr_hooks.is_empty()
        });
        if !project_defined {
            self.outside_attr(name)
        } else {
            vec![Val::Unknown]
        }
    }

    /// Is `name` a plain class-level value of `cid` that no code replaces (`class_attr`)?
    fn class_level_value(&self, cid: ClassId, name: &str) -> bool {
        if self.typed_write_names.contains(name) {
            return false;
        }
        let Some(names) = crate::fix_safety::class_level_names(self, cid) else { return false };
        if !names.contains(name) {
            return false;
        }
        self.family(cid).iter().all(|k| {
            self.classes.get(*k).is_some_and(|class| {
                class.metaclass.is_none()
                    && !class.late_class_attrs.iter().any(|n| n == name)
                    && class.member(name).is_none_or(|m| {
                        m.kind == MemberKind::Value && !m.conditional && !self.is_descriptor_call(m.value_call.as_deref())
                    })
            })
        })
    }

    /// Any attribute of an outside object (`getattr(obj, name)`).
    pub(super) fn outside_any_attr(&self) -> Vec<Val> {
        let mut out = vec![Val::Opaque];
        for name in &self.outside_attr_names {
            self.outside_attr(name).into_iter().for_each(|v| push(&mut out, v));
        }
        out
    }

    /// Any attribute of an instance of `cid` or of a subclass (`getattr(obj, name)` with
    /// a computed name): every attribute type the family declares or gets stored, what
    /// stores on unknown receivers put anywhere, and, for a family with an outside base,
    /// whatever an outside object's attribute may hold.
    pub(super) fn any_attr_of(&self, cid: ClassId, depth: usize) -> Vec<Val> {
        let family = self.family(cid);
        let mut out = Vec::new();
        for k in &family {
            let Some(class) = self.classes.get(*k) else { continue };
            if !class.attr_hooks.is_empty() || self.open_classes.contains(k) {
                return vec![Val::Unknown];
            }
            for (_, t) in &class.attr_types {
                self.eval_ty(class.module, t, depth + 1).into_iter().for_each(|v| push(&mut out, v));
            }
            for m in &class.members {
                match m.kind {
                    MemberKind::Method | MemberKind::Annotation => {}
                    MemberKind::Value if !self.is_descriptor_call(m.value_call.as_deref()) => {}
                    _ => return vec![Val::Unknown],
                }
            }
            if let Some(extra) = self.extra_attr_vals.get(*k) {
                extra.iter().flat_map(|(_, v)| v.iter()).for_each(|v| push(&mut out, v.clone()));
            }
            let mut outside_base = false;
            for t in self.bases.get(*k).map_or(&[][..], |b| b.as_slice()) {
                match t {
                    BaseTarget::Project(_) | BaseTarget::NamedTuple => {}
                    BaseTarget::External(d) => {
                        outside_base |= !matches!(d.as_str(), "builtins.object" | "typing.Generic"
                            | "typing.Protocol" | "abc.ABC" | "typing_extensions.Protocol")
                    }
                    BaseTarget::Unknown(_) => return vec![Val::Unknown],
                }
            }
            if outside_base {
                self.outside_any_attr().into_iter().for_each(|v| push(&mut out, v));
            }
        }
        self.loose_attr_vals.values().flatten().for_each(|v| push(&mut out, v.clone()));
        out
    }

    /// Can no instance of `cid` (or of a project subclass) have attribute `name`? True
    /// when no class of the family defines it, none has `__getattr__`/`__getattribute__`
    /// or a base outside the project (but `object`, `abc.ABC`, `typing.Generic`), no
    /// instance of the family gets it stored (typed stores, stores on unknown receivers,
    /// attributes of computed names), no class object gets it stored, and it is no dunder
    /// (`object` has those).
    pub(super) fn lacks_attribute(&self, cid: ClassId, name: &str) -> bool {
        if (name.starts_with("__") && name.ends_with("__")) || self.typed_write_names.contains(name) {
            return false;
        }
        let family = self.family(cid);
        for k in &family {
            let Some(class) = self.classes.get(*k) else { return false };
            if self.open_classes.contains(k) || !class.attr_hooks.is_empty() {
                return false;
            }
            if class.member(name).is_some() || class.member("__getattr__").is_some() || class.member("__getattribute__").is_some() {
                return false;
            }
            if class.late_class_attrs.iter().any(|n| n == name) {
                return false;
            }
            if !self.plain_bases(*k) {
                return false;
            }
        }
        !self.attribute_names(cid).iter().any(|n| n == name || n == "*")
    }
}
