//! Assignments: binding names, unpacking, stores on attributes (uses of the receiver),
//! containers growing (`xs[k] = v`, `self.items.append(v)`) and weak mappings.

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use rustc_hash::FxHashSet as HashSet;

use super::class::UseKind;
use super::extract::Walker;
use super::project::Project;
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
                if let (Some(Expr::Name(local)), Some(frame)) = (value, self.frames.last_mut()) {
                    // the local's container now is the attribute's too
                    frame.stored_into.entry(local.id.to_string()).or_default().push((recv.clone(), attr.to_string()));
                }
                self.note_namespace_store(&a.value, name, Some(ty.clone()));
                // `x.a = n` with `n` read off `x.a` (`model::self_copy`): that part adds nothing
                let copied = |s: &Sym| matches!(s, Sym::Attr(b, n) if n == attr && recv.contains(b));
                // (not when a nested function rebinds either name: `nonlocal x`)
                let names = [Some(&*a.value), value].map(|e| match e {
                    Some(Expr::Name(n)) => Some(n.id.as_str()),
                    _ => None,
                });
                let self_copy = self.frames.last().is_some_and(|f| {
                    f.self_copies.contains(&a.range()) && names.iter().all(|n| n.is_some_and(|n| !f.rebinds.contains(n)))
                });
                let ty: Ty = if self_copy { ty.iter().filter(|s| !copied(s)).cloned().collect() } else { ty.clone() };
                self.record(&recv, kind, a.range(), Some(&ty));
            }
            Expr::Subscript(s) => {
                self.note_module_table_store(s, ty);
                self.weak_mapping_store(s, ty);
                // `xs[i:j] = seq` adds the elements of `seq`
                let added = match &*s.slice {
                    Expr::Slice(_) => elements(ty),
                    _ => ty.clone(),
                };
                self.add_to_container(&s.value, vec![Sym::Container(added)]);
            }
            _ => {}
        }
    }

    /// `xs.append(v)`, `xs[k] = v`: the container named by `target` may now hold `more`.
    pub fn add_to_container(&mut self, target: &Expr, more: Ty) {
        match target {
            Expr::Name(n) => {
                let name = n.id.as_str();
                if self.recording {
                    // an alias of an attribute's container (`d = self.items; d[k] = v`,
                    // `lst = self.groups[k]; lst.append(v)`), or a container stored into an
                    // attribute (`self.items = d; d[k] = v`): the attribute's grows too
                    for sym in self.lookup(name) {
                        self.grow_alias(&sym, &more);
                    }
                    let stored = self.frames.last().and_then(|f| f.stored_into.get(name)).cloned().unwrap_or_default();
                    for (recv, attr) in stored {
                        self.grow_attr(recv, &attr, more.clone());
                    }
                }
                self.grow(name, more)
            }
            Expr::Attribute(a) => {
                let recv = self.expr_ty(&a.value);
                if !self.recording {
                    return;
                }
                self.grow_attr(recv, a.attr.as_str(), more);
            }
            _ => {}
        }
    }

    /// The container a value of type `sym` is gets `more`: if it is an attribute's (or
    /// an element of one), that attribute's type grows.
    fn grow_alias(&mut self, sym: &Sym, more: &Ty) {
        let mut owners = Vec::new();
        container_owners(sym, more.clone(), &mut owners);
        for owner in owners {
            match owner {
                Owner::Attr(base, attr, more) => self.grow_attr(vec![base], &attr, more),
                // what the call sites pass grows (`Project::link_arg_grows`)
                Owner::Param(key, pos, name) => self.facts.arg_grows.push((key, pos, name)),
            }
        }
    }

    /// Attribute `attr` of receivers `recv` may now hold `more`.
    fn grow_attr(&mut self, recv: Ty, attr: &str, more: Ty) {
        for sym in recv {
            match sym {
                Sym::This(idx) => {
                    if let Some(c) = self.facts.classes.get_mut(idx) {
                        c.attr_types.push((attr.to_string(), more.clone()));
                    }
                }
                s if super::exprs::lazy(&s) => {
                    // a container attribute of a typed receiver: its type grows
                    self.facts.typed_grows.push((s, attr.to_string(), more.clone()));
                }
                _ => self.facts.loose_attr_types.push((attr.to_string(), more.clone())),
            }
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

/// Where a container holding a value of type `sym` belongs.
pub(super) enum Owner {
    /// attribute (of the receiver) whose container it is, and what the attribute then
    /// holds (for an element of the attribute's container: a container of `more`)
    Attr(Sym, String, Ty),
    /// a parameter (callee key, position, name): what its call sites pass
    Param(String, usize, String),
}

/// The owners of the container `sym` is, which now holds `more` (`Sym::Container`).
pub(super) fn container_owners(sym: &Sym, more: Ty, out: &mut Vec<Owner>) {
    match sym {
        Sym::Attr(base, attr) => out.push(Owner::Attr((**base).clone(), attr.clone(), more)),
        Sym::Elem(inner) => container_owners(inner, vec![Sym::Container(more)], out),
        Sym::Arg(key, pos, name) if *pos != super::private_calls::OUTSIDE_CALLERS && *pos != super::runner::RUNNER_CALLERS => {
            out.push(Owner::Param(key.clone(), *pos, name.clone()))
        }
        _ => {}
    }
}

impl Project {
    /// A function adds to the container a parameter holds (`def _fill(d, v): d[k] = v`):
    /// an attribute's container passed there (`_fill(self.items, v)`) may hold anything
    /// more (what is added is known in the function's scope only).
    pub(super) fn link_arg_grows(&self, flows: &mut super::project::Flows) {
        use super::assign::{container_owners, Owner};
        let anything = vec![Sym::Container(vec![Sym::Unknown])];
        // a parameter passed on to another function that adds to it: that one's too
        let mut todo = std::mem::take(&mut flows.arg_grows);
        let mut seen: HashSet<(String, usize, String)> = todo.iter().cloned().collect();
        while let Some((key, pos, name)) = todo.pop() {
            let canonical = self.canonical_function(&key).unwrap_or(key);
            for i in self.sites_of(&canonical) {
                let Some((m, site)) = self.call_sites.get(i) else { continue };
                let passed = site.args.get(pos).or_else(|| site.keywords.iter().find(|(k, _)| *k == name).map(|(_, t)| t));
                let mut owners = Vec::new();
                for sym in passed.into_iter().flatten() {
                    container_owners(sym, anything.clone(), &mut owners);
                }
                for owner in owners {
                    match owner {
                        Owner::Attr(base, attr, more) => flows.grows.push((*m, (base, attr, more))),
                        Owner::Param(k, p, n) => {
                            if seen.insert((k.clone(), p, n.clone())) {
                                todo.push((k, p, n));
                            }
                        }
                    }
                }
            }
        }
    }
}
