//! Recording a use of an instance on every value its receiver may hold: on `self` it is
//! the class's own use, on a symbolic receiver a typed use resolved when the project is
//! linked, on an unknown receiver an *unknown use*.

use ruff_text_size::TextRange;

use super::class::{Use, UseKind};
use super::extract::{SymUse, Walker};
use super::ty::{Sym, Ty};

impl Walker<'_> {
    /// Record a use of `kind` on every value the receiver may hold.
    pub fn record(&mut self, recv: &Ty, kind: UseKind, range: TextRange, value: Option<&Ty>) {
        if !self.recording {
            return;
        }
        for sym in recv {
            let mut inert = kind == UseKind::Dict && self.inert_dicts.contains(&range);
            match sym {
                Sym::This(idx) => {
                    if let Some(c) = self.facts.classes.get_mut(*idx) {
                        match (&kind, value) {
                            (UseKind::Write(n), Some(v)) => c.attr_types.push((n.clone(), v.clone())),
                            // an attribute of any name holding `v` (`flow::attr_of` reads `*`)
                            (UseKind::DynamicSetattr, Some(v)) => {
                                c.attr_types.push(("*".to_string(), v.clone()));
                                inert = true;
                            }
                            // `self`-typed `__dict__` updated from the same class's instance:
                            // no attribute the class does not already have
                            (UseKind::Dict, Some(v)) => inert |= v.as_slice() == [Sym::This(*idx)],
                            _ => {}
                        }
                        c.self_uses.push(Use { kind: kind.clone(), range, inert });
                    }
                }
                Sym::Local(_) | Sym::Named(_) | Sym::Made(_) | Sym::Attr(..) | Sym::Elem(_) | Sym::Global(_)
                | Sym::Ret(..) | Sym::Arg(..) | Sym::AnyAttr(_) | Sym::Fixture(_) | Sym::Callback(..)
                | Sym::FactoryCallback(..) | Sym::Stored(..) | Sym::Overridden(..) | Sym::Excluding(..)
                | Sym::OutsideOr(..) => {
                    self.facts.typed_uses.push(SymUse {
                        sym: sym.clone(),
                        use_: Use { kind: kind.clone(), range, inert },
                        value: value.cloned(),
                    });
                }
                Sym::Unknown => {
                    if let UseKind::Write(n) = &kind {
                        self.facts.loose_writes.push(n.clone());
                        let v = value.cloned().unwrap_or_else(super::ty::unknown);
                        self.facts.loose_attr_types.push((n.clone(), v));
                    }
                    self.facts.unknown_uses.push(Use { kind: kind.clone(), range, inert });
                }
                Sym::DescrObj(idx) => {
                    if kind == UseKind::Dict {
                        if let Some(c) = self.facts.classes.get_mut(*idx) {
                            c.dict_descriptor = true;
                        }
                    }
                }
                Sym::LocalCls(idx) => {
                    if let UseKind::Write(n) = &kind {
                        if let Some(c) = self.facts.classes.get_mut(*idx) {
                            c.late_class_attrs.push(n.clone());
                        }
                    }
                }
                Sym::NamedCls(d) => {
                    if let UseKind::Write(n) = &kind {
                        self.facts.class_attr_writes.push((d.clone(), n.clone()));
                    }
                }
                Sym::Container(_) | Sym::SelfArgs(_) => {}
            }
        }
    }
}
