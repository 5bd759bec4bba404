//! Assignments: binding names, unpacking, stores on attributes (uses of the receiver),
//! containers growing (`xs[k] = v`, `self.items.append(v)`) and weak mappings.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::class::UseKind;
use super::extract::Walker;
use super::ty::{elements, Sym, Ty};

impl Walker<'_> {
    /// Assign a value of type `ty` (from `value`, when known) to `target`.
    pub fn assign(&mut self, target: &Expr, ty: &Ty, value: Option<&Expr>) {
        match target {
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let literal = match value {
                    Some(Expr::Tuple(t)) if t.elts.len() == elts.len() => Some(&t.elts),
                    Some(Expr::List(l)) if l.elts.len() == elts.len() => Some(&l.elts),
                    _ => None,
                };
                let each = elements(ty);
                for (i, e) in elts.iter().enumerate() {
                    match literal.and_then(|l| l.get(i)) {
                        Some(v) if !matches!(v, Expr::Starred(_)) && !matches!(e, Expr::Starred(_)) => {
                            let t = self.expr_ty(v);
                            self.assign(e, &t, Some(v));
                        }
                        _ => self.assign(e, &each, None),
                    }
                }
            }
            Expr::Starred(s) => {
                let t = vec![Sym::Container(elements(ty))];
                self.assign(&s.value, &t, None);
            }
            Expr::Name(n) => self.bind(n.id.as_str(), ty.clone()),
            Expr::Attribute(a) => {
                let recv = self.expr_ty(&a.value);
                let attr = a.attr.as_str();
                let kind = match attr {
                    "__dict__" => UseKind::Dict,
                    "__class__" => UseKind::ClassAssign,
                    _ => UseKind::Write(attr.to_string()),
                };
                let name = (attr != "__dict__").then_some(attr);
                self.note_namespace_store(&a.value, name, Some(ty.clone()));
                self.record(&recv, kind, a.range(), Some(ty));
            }
            Expr::Subscript(s) => {
                self.note_module_table_store(s, ty);
                self.weak_mapping_store(s, ty);
                self.add_to_container(&s.value, vec![Sym::Container(ty.clone())]);
            }
            _ => {}
        }
    }

    /// `xs.append(v)`, `xs[k] = v`: the container named by `target` may now hold `more`.
    pub fn add_to_container(&mut self, target: &Expr, more: Ty) {
        match target {
            Expr::Name(n) => self.grow(n.id.as_str(), more),
            Expr::Attribute(a) => {
                let recv = self.expr_ty(&a.value);
                if !self.recording {
                    return;
                }
                for sym in recv {
                    match sym {
                        Sym::This(idx) => {
                            if let Some(c) = self.facts.classes.get_mut(idx) {
                                c.attr_types.push((a.attr.to_string(), more.clone()));
                            }
                        }
                        s if super::exprs::lazy(&s) => {
                            // a container attribute of a typed receiver: its type grows
                            self.facts.typed_grows.push((s, a.attr.to_string(), more.clone()));
                        }
                        _ => self.facts.loose_attr_types.push((a.attr.to_string(), more.clone())),
                    }
                }
            }
            _ => {}
        }
    }

    /// `weak_values[key] = obj` / `weak_keys[obj] = value` on weak mappings.
    fn weak_mapping_store(&mut self, s: &ast::ExprSubscript, value: &Ty) {
        let container = self.expr_ty(&s.value);
        let is = |name: &str| container.iter().any(|c| matches!(c, Sym::Named(t) | Sym::Made(t) if t == name));
        let held = if is("weakref.WeakValueDictionary") {
            value.clone()
        } else if is("weakref.WeakKeyDictionary") {
            self.expr_ty(&s.slice)
        } else {
            return;
        };
        self.record(&held, UseKind::Weakref, s.range(), None);
    }
}
