//! Calls that use an instance: `vars()`, `setattr()`, weak references, monkeypatching,
//! zero-argument `super()`, and containers growing (`xs.append(v)`).

use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::class::UseKind;
use super::extract::Walker;
use super::ty::{elements, Sym, Ty};

const WEAKREF_FUNCS: &[&str] = &[
    "weakref.ref",
    "weakref.proxy",
    "weakref.finalize",
    "weakref.WeakMethod",
    "_weakref.ref",
    "_weakref.proxy",
];

/// Methods that put their argument into the receiver container.
const ADDERS: &[&str] = &["append", "add", "appendleft", "insert", "setdefault", "push", "__setitem__"];
/// Container classes whose methods may be called unbound (`list.append(xs, v)`).
const CONTAINER_CLASSES: &[&str] = &[
    "builtins.list", "builtins.dict", "builtins.set", "collections.deque", "collections.OrderedDict",
    "collections.defaultdict",
];
const EXTENDERS: &[&str] = &["extend", "update", "extendleft"];
/// Outside functions that add their second argument to the container given first.
const ADDING_FUNCTIONS: &[&str] = &[
    "heapq.heappush", "heapq.heappushpop", "heapq.heapreplace", "bisect.insort", "bisect.insort_left",
    "bisect.insort_right", "operator.setitem",
];

impl Walker<'_> {
    /// `patch.object(obj, "name", ...)` / `monkeypatch.setattr(obj, "name", v)`: blocks a
    /// known class (it replaces a method or attribute on the instance); on an unknown
    /// receiver it is a store of that name.
    fn patch(&mut self, call: &ast::ExprCall) {
        let args = &call.arguments.args;
        let Some(obj) = args.first() else { return };
        if matches!(obj, Expr::StringLiteral(_)) {
            // `monkeypatch.setattr("pkg.mod.name", v)`
            return self.note_string_patch(call);
        }
        match args.get(1) {
            Some(Expr::StringLiteral(s)) => {
                let value = args.get(2).map(|v| self.expr_ty(v));
                self.note_namespace_store(obj, Some(s.value.to_str()), value);
            }
            // a computed name: any variable of the module may now hold the value
            _ => {
                let value = args.get(2).map(|v| self.expr_ty(v));
                self.note_namespace_store(obj, None, value)
            }
        }
        let recv = self.expr_ty(obj);
        if let (true, true, Some(Expr::StringLiteral(s))) = (recv.is_empty(), self.recording, args.get(1)) {
            // a module or outside object: its attribute now holds the value
            let name = s.value.to_str().to_string();
            let value = args.get(2).map_or_else(super::ty::unknown, |v| self.expr_ty(v));
            self.facts.loose_writes.push(name.clone());
            self.facts.loose_attr_types.push((name, value));
        }
        // module globals (`mod.logger`) and unknown receivers: a store of that name
        let (loose, known): (Vec<Sym>, Vec<Sym>) =
            recv.into_iter().partition(|s| matches!(s, Sym::Unknown | Sym::Global(_)));
        self.record(&known, UseKind::Patch, call.range(), None);
        if !loose.is_empty() {
            let kind = match args.get(1) {
                Some(Expr::StringLiteral(s)) => UseKind::Write(s.value.to_str().to_string()),
                _ => UseKind::DynamicSetattr,
            };
            let value = args.get(2).map(|v| self.expr_ty(v));
            self.record(&loose, kind, call.range(), value.as_ref());
        }
    }

    /// Remember a call of a module-level function: its parameters get these values.
    fn note_call_site(&mut self, call: &ast::ExprCall) {
        // the call of a computed `getattr`'s value (`model::by_name`): a call of every
        // function and method its name may reach
        if let Some(reached) = self.by_name.calls.get(&call.range()) {
            let targets = reached
                .iter()
                .map(|(g, prefix)| {
                    let recv = self.getattr_recv.get(g).cloned().unwrap_or_else(super::ty::unknown);
                    (format!("{}{prefix}", super::by_name::BY_NAME), Some(recv), None)
                })
                .collect();
            return self.push_call_sites(call, targets);
        }
        // `cls(...)` with `cls = type(x)`: a call of the class of `x` (`model::by_name`)
        if let Some(made) = self.by_name.class_of_calls.get(&call.range()) {
            let targets = made
                .iter()
                .map(|g| {
                    let x = self.getattr_recv.get(g).cloned().unwrap_or_else(super::ty::unknown);
                    (super::by_name::BY_TYPE.to_string(), None, Some(x))
                })
                .collect();
            return self.push_call_sites(call, targets);
        }
        // `type(x)(...)`, `x.__class__(...)`: a call of the class of `x`
        let made_from = match &*call.func {
            Expr::Call(t) if t.arguments.args.len() == 1 && t.arguments.keywords.is_empty() && self.is_builtin_name(&t.func, "type") => {
                t.arguments.args.first()
            }
            Expr::Attribute(a) if a.attr.as_str() == "__class__" => Some(&*a.value),
            _ => None,
        };
        if let Some(x) = made_from {
            let ty = self.expr_ty(x);
            return self.push_call_sites(call, vec![(super::by_name::BY_TYPE.to_string(), None, Some(ty))]);
        }
        let (callee, receiver) = match &*call.func {
            Expr::Name(n) => {
                let id = n.id.as_str();
                let callee = match self.lookup(id).as_slice() {
                    [] if self.facts.table.bindings.get(id) == Some(&super::imports::Binding::Function) => {
                        self.facts.table.qualify_name(id)
                    }
                    // a class of a closed module: its `__init__` gets these (`model::closed`)
                    [Sym::LocalCls(_)]
                        if self.facts.table.closed
                            && self.facts.table.bindings.get(id) == Some(&super::imports::Binding::Class) =>
                    {
                        self.facts.table.qualify_name(id)
                    }
                    // (an imported name is also its importing module's binding: `lookup`)
                    [Sym::Global(d)] | [Sym::Global(d), Sym::Global(_)] => d.clone(),
                    _ => return,
                };
                (callee, None)
            }
            // `x._m(...)`: a call of every private method named `_m` (`model::private_calls`),
            // and in a closed module of every method named so (`model::closed`)
            Expr::Attribute(a) if super::private_calls::is_private(a.attr.as_str()) || self.facts.table.closed => {
                (super::private_calls::method_key(a.attr.as_str()), Some(self.expr_ty(&a.value)))
            }
            // a call in an open module: what it calls may be a closed class's method
            Expr::Attribute(a) => {
                self.facts.open_names.push(a.attr.to_string());
                return;
            }
            _ => return,
        };
        self.push_call_sites(call, vec![(callee, receiver, None)]);
    }

    /// Record `call` as a call site of each (callee, receiver, class made from).
    fn push_call_sites(&mut self, call: &ast::ExprCall, targets: Vec<(String, Option<Ty>, Option<Ty>)>) {
        let mut spread = false;
        let mut args = Vec::new();
        for a in call.arguments.args.iter() {
            if matches!(a, Expr::Starred(_)) {
                spread = true;
                break;
            }
            args.push(self.arg_ty(a));
        }
        let mut keywords = Vec::new();
        for kw in call.arguments.keywords.iter() {
            match &kw.arg {
                Some(k) => keywords.push((k.to_string(), self.expr_ty(&kw.value))),
                None => spread = true,
            }
        }
        for (callee, receiver, made_from) in targets {
            let site = super::extract::CallSite { callee, args: args.clone(), keywords: keywords.clone(), spread, receiver, made_from };
            self.facts.call_sites.push(site);
        }
    }

    /// `type(x)` / `x.__class__`: remember what `x` is; when the class escapes (stored,
    /// returned, passed on: `model::by_name`), it may be called with anything, a call site
    /// of every class `x` may be an instance of.
    pub(super) fn note_class_of(&mut self, expr: &Expr) {
        let x = match expr {
            Expr::Call(c) if self.is_builtin_name(&c.func, "type") && c.arguments.args.len() == 1 => c.arguments.args.first(),
            Expr::Attribute(a) if a.attr.as_str() == "__class__" && a.ctx == ast::ExprContext::Load => Some(&*a.value),
            _ => None,
        };
        let Some(x) = x else { return };
        // (an empty type: no project instance, `type(None)`)
        let ty = self.expr_ty(x);
        if self.recording && self.by_name.class_of_escapes.contains(&expr.range()) {
            if std::env::var_os("SLOTKIT_DEBUG_UNKNOWN").is_some() {
                let line = self.source[..expr.range().start().to_usize()].matches('\n').count() + 1;
                eprintln!("escaping class of: {}:{line} {:?}", self.facts.table.module, ty);
            }
            let site = super::extract::CallSite {
                callee: super::by_name::BY_TYPE.to_string(),
                args: Vec::new(),
                keywords: Vec::new(),
                spread: true,
                receiver: None,
                made_from: Some(ty.clone()),
            };
            self.facts.call_sites.push(site);
        }
        self.getattr_recv.insert(expr.range(), ty);
    }

    /// What an argument passes: an imported module is that module (an outside one is never
    /// a project module: `Val::Foreign`), anything else its type.
    fn arg_ty(&self, a: &Expr) -> super::ty::Ty {
        let ty = self.expr_ty(a);
        match a {
            Expr::Name(n) if ty.is_empty() && !self.is_local(n.id.as_str()) => {
                match self.facts.table.bindings.get(n.id.as_str()) {
                    Some(super::imports::Binding::Module(m)) => vec![Sym::Global(m.clone())],
                    _ => ty,
                }
            }
            _ => ty,
        }
    }

    pub fn visit_call(&mut self, call: &ast::ExprCall) {
        if self.recording {
            self.note_call_site(call);
        }
        let args = &call.arguments.args;
        let first = args.first();
        let adding = self.facts.table.qualify(&call.func).is_some_and(|f| ADDING_FUNCTIONS.contains(&f.as_str()));
        if let (true, Some(target), Some(v)) = (adding, first, args.last()) {
            // `heapq.heappush(self.heap, v)`: the container holds `v` too
            let more = vec![Sym::Container(self.expr_ty(v))];
            self.add_to_container(target, more);
        }
        // `list.append(xs, v)`, `dict.update(d, other)`: the container is the first argument
        let unbound = match &*call.func {
            Expr::Attribute(a) => self.facts.table.qualify(&a.value).is_some_and(|c| CONTAINER_CLASSES.contains(&c.as_str())),
            _ => false,
        };
        if let (true, Expr::Attribute(a), Some(target)) = (unbound, &*call.func, first) {
            let m = a.attr.as_str();
            let rest = args.get(1..).unwrap_or_default();
            let t = if ADDERS.contains(&m) {
                rest.last().map(|v| self.expr_ty(v)).unwrap_or_default()
            } else if EXTENDERS.contains(&m) {
                let mut t = Vec::new();
                rest.iter().for_each(|v| super::ty::union_into(&mut t, elements(&self.expr_ty(v))));
                t
            } else {
                Vec::new()
            };
            if !t.is_empty() {
                self.add_to_container(target, vec![Sym::Container(t)]);
            }
        } else if let Expr::Attribute(a) = &*call.func {
            let m = a.attr.as_str();
            if ADDERS.contains(&m) {
                // the value is the last positional argument (`insert(i, v)`, `setdefault(k, v)`)
                if let Some(v) = args.last() {
                    let mut t = self.expr_ty(v);
                    if m == "setdefault" {
                        if let Some(k) = first {
                            super::ty::union_into(&mut t, self.expr_ty(k));
                        }
                    }
                    self.add_to_container(&a.value, vec![Sym::Container(t)]);
                }
                if m == "add" {
                    let container = self.expr_ty(&a.value);
                    let weak = container.iter().any(|c| matches!(c, Sym::Named(t) | Sym::Made(t) if t == "weakref.WeakSet"));
                    if let (true, Some(obj)) = (weak, first) {
                        let r = self.expr_ty(obj);
                        self.record(&r, UseKind::Weakref, call.range(), None);
                    }
                }
            } else if EXTENDERS.contains(&m) {
                let mut t = Vec::new();
                for v in args.iter() {
                    super::ty::union_into(&mut t, elements(&self.expr_ty(v)));
                }
                for kw in &call.arguments.keywords {
                    super::ty::union_into(&mut t, self.expr_ty(&kw.value));
                }
                self.add_to_container(&a.value, vec![Sym::Container(t)]);
            }
        }
        let name = match &*call.func {
            Expr::Name(n) if self.is_local(n.id.as_str()) => String::new(),
            f => self.facts.table.qualify(f).unwrap_or_default(),
        };
        match name.as_str() {
            "builtins.globals" => self.note_globals_call(call),
            "builtins.vars" => {
                if let Some(a) = first {
                    self.note_namespace_store(a, None, None);
                    let r = self.expr_ty(a);
                    let copied_from = self.dict_copies.get(&call.range()).cloned();
                    self.record(&r, UseKind::Dict, call.range(), copied_from.as_ref());
                }
            }
            "builtins.setattr" | "builtins.object.__setattr__" => {
                if let (Some(obj), Some(attr)) = (first, args.get(1)) {
                    let r = self.expr_ty(obj);
                    let value = args.get(2).map(|v| self.expr_ty(v));
                    let literal = match attr {
                        Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
                        _ => None,
                    };
                    self.note_namespace_store(obj, literal.as_deref(), value.clone());
                    match attr {
                        Expr::StringLiteral(s) => {
                            let n = s.value.to_str().to_string();
                            self.record(&r, UseKind::Write(n), call.range(), value.as_ref());
                        }
                        _ => self.record(&r, UseKind::DynamicSetattr, call.range(), value.as_ref()),
                    }
                }
            }
            "builtins.super" if args.is_empty() && call.arguments.keywords.is_empty() => {
                if let (Some(idx), true) = (self.method_class(), self.recording) {
                    if let Some(c) = self.facts.classes.get_mut(idx) {
                        c.class_cell_uses.push(call.range());
                    }
                }
            }
            n if WEAKREF_FUNCS.contains(&n) => {
                if let Some(a) = first {
                    let r = self.expr_ty(a);
                    self.record(&r, UseKind::Weakref, call.range(), None);
                }
            }
            n if n.ends_with("patch.object") || n == "monkeypatch.setattr" => self.patch(call),
            // `mock.patch("pkg.mod.name", new)`: a string target
            "unittest.mock.patch" | "mock.patch" | "monkeypatch.delattr" => self.note_string_patch(call),
            _ => {
                if let Expr::Attribute(a) = &*call.func {
                    let is_mp = matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "monkeypatch");
                    if is_mp && a.attr.as_str() == "setattr" && (args.len() >= 3 || matches!(first, Some(Expr::StringLiteral(_)))) {
                        self.patch(call);
                    }
                    if is_mp && a.attr.as_str() == "delattr" {
                        match first {
                            Some(Expr::StringLiteral(_)) => self.note_string_patch(call),
                            Some(obj) => self.note_namespace_store(obj, None, None),
                            None => {}
                        }
                    }
                }
            }
        }
    }
}
