//! The type of a call: module functions and methods (annotated or inferred returns,
//! resolved when linking), builtins that build containers, `getattr`, `locals()`,
//! `type(...)`, `cast`, classes called, and a few outside methods whose results are known.

use ruff_python_ast::{self as ast, Expr};

use super::exprs::{container_method, lazy, plain_builtin, is_builtin};
use super::extract::{FrameKind, Walker};
use super::imports::Binding;
use super::ty::{elements, union_into, unknown, Sym, Ty};

impl Walker<'_> {
    pub(super) fn call_ty(&self, c: &ast::ExprCall, depth: usize) -> Ty {
        let rec = |e: &Expr| self.ty_depth(e, depth + 1);
        let args = &c.arguments.args;
        let arg0 = || args.first().map(&rec);
        if let Expr::Attribute(a) = &*c.func {
            let m = a.attr.as_str();
            // `self.__class__(...)`: an instance of the receiver's class
            if m == "__class__" {
                let classes: Ty = rec(&a.value).into_iter().filter_map(class_of).collect();
                return instances_of(&classes, self.method_class());
            }
            // `super().m(...)` in a method: what `m` returns on the family (the base's
            // definition is among them)
            if let (Expr::Call(sc), Some(idx)) = (&*a.value, self.method_class()) {
                let zero_arg_super = matches!(&*sc.func, Expr::Name(n) if n.id.as_str() == "super" && !self.is_local("super"))
                    && sc.arguments.args.is_empty();
                if zero_arg_super && !m.starts_with("__") {
                    return vec![Sym::Ret(Box::new(Sym::This(idx)), m.to_string())];
                }
            }
            if m != "__new__" {
                // `obj.method()` on a project instance: the method's return (annotated or
                // inferred), resolved when linking; on a builtin container, its elements
                let recv = rec(&a.value);
                // a factory of this module: what its `return`s gave (walked before the call)
                let module = format!("{}.", self.facts.table.module);
                let returns = |f: &str| {
                    let name = f.strip_prefix(module.as_str())?;
                    self.inferred_returns.get(name).cloned()
                };
                if let Some(t) = super::outside_results::known_result(&recv, m, c, &returns) {
                    return t;
                }
                // also `cls.create()` on a class object: its classmethod's return
                let typed = recv
                    .iter()
                    .all(|s| lazy(s) || matches!(s, Sym::Container(_) | Sym::LocalCls(_) | Sym::NamedCls(_)));
                if typed && !recv.is_empty() {
                    let mut out = Vec::new();
                    for s in recv {
                        let t = match s {
                            Sym::Container(inner) => container_method(&inner, m),
                            s => vec![Sym::Ret(Box::new(s), m.to_string())],
                        };
                        union_into(&mut out, t);
                    }
                    if matches!(m, "setdefault" | "get" | "pop") {
                        if let Some(d) = args.get(1) {
                            union_into(&mut out, rec(d));
                        }
                    }
                    return out;
                }
            }
            if m == "__new__" {
                if let Some(first) = args.first() {
                    return instances_of(&rec(first), self.method_class());
                }
            }
        }
        let name = match &*c.func {
            Expr::Name(n) if self.is_local(n.id.as_str()) => String::new(),
            f => self.facts.table.qualify(f).unwrap_or_default(),
        };
        if self.plain_type_call(&c.func) {
            // an instance of a class made by `type(name, (), ns)`: no project class is
            // among its bases, so it is no project instance (jinja2's `missing`)
            return vec![Sym::Made("builtins.object".into())];
        }
        if let Expr::Name(n) = &*c.func {
            let id = n.id.as_str();
            // a nested function with a return annotation, not rebound since
            if self.lookup(id).is_empty() {
                if let Some(t) = self.frames.iter().rev().find_map(|f| f.fn_returns.get(id)) {
                    return t.clone();
                }
            }
            // a module-level function (its name is bound to "no instance" in the scopes)
            let function = self.facts.table.bindings.get(id) == Some(&Binding::Function);
            if function && self.lookup(id).is_empty() {
                return match self.defs.returns.get(id) {
                    Some(r) => self.defs.annotation(&self.facts.table, r),
                    // what its `return`s give, read when the project is linked
                    None => vec![Sym::Made(self.facts.table.qualify_name(id))],
                };
            }
        }
        match name.as_str() {
            "typing.cast" | "typing_extensions.cast" => {
                return args
                    .first()
                    .map_or_else(unknown, |t| self.defs.annotation(&self.facts.table, t))
            }
            "builtins.list" | "builtins.tuple" | "builtins.set" | "builtins.frozenset"
            | "builtins.sorted" | "builtins.reversed" | "builtins.iter" | "builtins.filter"
            | "collections.deque" | "collections.OrderedDict" | "collections.defaultdict"
            | "builtins.dict" => {
                let mut inner = arg0().map(|t| elements(&t)).unwrap_or_default();
                for kw in &c.arguments.keywords {
                    union_into(&mut inner, rec(&kw.value));
                }
                if name == "collections.defaultdict" {
                    inner = unknown();
                }
                return vec![Sym::Container(inner)];
            }
            // a plain object (`missing = object()`): no project instance
            "builtins.object" if args.is_empty() && c.arguments.keywords.is_empty() => {
                return vec![Sym::Made("builtins.object".into())];
            }
            // in a function: a dict of its local names, holding what they hold here
            "builtins.locals" if args.is_empty() => {
                if let Some(frame) = self.frames.last().filter(|f| matches!(f.kind, FrameKind::Function { .. })) {
                    let mut inner = Vec::new();
                    for ty in frame.locals.values() {
                        union_into(&mut inner, ty.clone());
                    }
                    return vec![Sym::Container(inner)];
                }
                return unknown();
            }
            "builtins.next" | "builtins.min" | "builtins.max" => {
                let mut out = arg0().map(|t| elements(&t)).unwrap_or_else(unknown);
                if let Some(d) = args.get(1) {
                    union_into(&mut out, rec(d));
                }
                return out;
            }
            "builtins.enumerate" | "builtins.zip" => {
                let mut inner = Vec::new();
                for a in args.iter() {
                    union_into(&mut inner, elements(&rec(a)));
                }
                return vec![Sym::Container(inner)];
            }
            "builtins.type" if args.len() == 1 => {
                return arg0().unwrap_or_default().into_iter().filter_map(class_of).collect();
            }
            "copy.copy" | "copy.deepcopy" => return arg0().unwrap_or_else(unknown),
            "builtins.getattr" if args.len() >= 2 => {
                let mut out = match args.get(1) {
                    Some(Expr::StringLiteral(s)) => self.attr_ty(&args[0], s.value.to_str(), depth + 1),
                    // a computed name: any attribute (of a module or a function: anything)
                    _ => {
                        let recv = rec(&args[0]);
                        if recv.is_empty() && !matches!(&args[0], Expr::StringLiteral(_)) {
                            unknown()
                        } else {
                            recv.into_iter()
                                .map(|s| match s {
                                    Sym::Container(_) | Sym::SelfArgs(_) => Sym::Container(Vec::new()),
                                    s if lazy(&s) || matches!(s, Sym::Global(_)) => Sym::AnyAttr(Box::new(s)),
                                    _ => Sym::Unknown,
                                })
                                .filter(|s| *s != Sym::Container(Vec::new()))
                                .collect()
                        }
                    }
                };
                if let Some(d) = args.get(2) {
                    union_into(&mut out, rec(d));
                }
                return out;
            }
            // a real builtin (a name bound nowhere, say by an outside star import, may be
            // anything)
            n if n.starts_with("builtins.") && plain_builtin(&n["builtins.".len()..])
                && is_builtin(&n["builtins.".len()..]) =>
            {
                return Vec::new()
            }
            _ => {}
        }
        instances_of(&rec(&c.func), self.method_class())
    }

    /// `type(name, (), ns)` (or with `(object,)` as bases).
    fn plain_type_call(&self, e: &Expr) -> bool {
        let Expr::Call(t) = e else { return false };
        let args = &t.arguments.args;
        let named_type = self.is_builtin_name(&t.func, "type");
        let plain_bases = match args.get(1) {
            Some(Expr::Tuple(b)) => b.elts.iter().all(|e| self.is_builtin_name(e, "object")),
            _ => false,
        };
        named_type && args.len() == 3 && t.arguments.keywords.is_empty() && plain_bases
    }
}

/// What calling a value of type `callee` returns: instances of the classes it may be,
/// `Unknown` for functions and everything else.
fn instances_of(callee: &Ty, method_of: Option<usize>) -> Ty {
    let mut out = Vec::new();
    if callee.is_empty() {
        // a function of this module, or a builtin: its result is not modelled
        return unknown();
    }
    for s in callee {
        let t = match s {
            Sym::LocalCls(idx) if method_of == Some(*idx) => vec![Sym::This(*idx)],
            Sym::LocalCls(idx) => vec![Sym::Local(*idx)],
            Sym::NamedCls(d) => vec![Sym::Named(d.clone())],
            Sym::Global(d) => vec![Sym::Made(d.clone())],
            // calling an instance: its `__call__`
            s if lazy(s) => vec![Sym::Ret(Box::new(s.clone()), "__call__".into())],
            _ => unknown(),
        };
        union_into(&mut out, t);
    }
    out
}

fn class_of(s: Sym) -> Option<Sym> {
    match s {
        Sym::This(i) | Sym::Local(i) => Some(Sym::LocalCls(i)),
        Sym::Named(d) => Some(Sym::NamedCls(d)),
        // the class of a descriptor's instance argument: stores on it are class attributes
        Sym::DescrObj(_) => None,
        _ => Some(Sym::Unknown),
    }
}
