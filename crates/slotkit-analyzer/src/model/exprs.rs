//! The symbolic type of an expression, as far as one module can tell.

use ruff_python_ast::{self as ast, Expr};
use rustc_hash::FxHashMap as HashMap;

use super::extract::{FrameKind, Walker};
use super::imports::Binding;
use super::ty::{elements, union_into, unknown, Sym, Ty};

/// Builtins whose result never holds a project instance.
pub(super) fn plain_builtin(name: &str) -> bool {
    !matches!(
        name,
        "getattr" | "next" | "anext" | "min" | "max" | "vars" | "iter" | "list" | "tuple"
            | "set" | "frozenset" | "sorted" | "reversed" | "dict" | "type" | "super"
            | "filter" | "enumerate" | "zip" | "map" | "object" | "globals" | "locals"
            | "eval" | "exec" | "staticmethod" | "classmethod" | "property"
    )
}

/// Methods of containers that return an element, or a container of the elements.
pub const ELEMENT_METHODS: &[&str] = &["pop", "popleft", "popitem", "get", "setdefault", "__getitem__"];
pub const VIEW_METHODS: &[&str] = &[
    "copy", "values", "keys", "items", "union", "intersection", "difference",
    "symmetric_difference", "fromkeys",
];

/// A value resolved when the project is linked, which may be a project instance.
pub fn lazy(s: &Sym) -> bool {
    matches!(
        s,
        Sym::This(_) | Sym::Local(_) | Sym::Named(_) | Sym::Made(_) | Sym::Attr(..) | Sym::Elem(_)
            | Sym::Ret(..) | Sym::Arg(..) | Sym::AnyAttr(_) | Sym::Fixture(_) | Sym::Callback(..)
            | Sym::FactoryCallback(..) | Sym::Stored(..) | Sym::Overridden(..) | Sym::Excluding(..)
            | Sym::OutsideOr(..)
    )
}

/// What method `m` of a builtin container holding `inner` returns. The three lists cover
/// every method of `list`, `dict`, `set`, `frozenset`, `tuple` and `deque`; another name
/// raises `AttributeError` on them (a value annotated as a container is trusted to be
/// one), except dunders, which may be anything.
pub fn container_method(inner: &Ty, m: &str) -> Ty {
    if m == "items" {
        // pairs: unpacking one gives the keys and values
        vec![Sym::Container(vec![Sym::Container(inner.clone())])]
    } else if ELEMENT_METHODS.contains(&m) {
        inner.clone()
    } else if VIEW_METHODS.contains(&m) {
        vec![Sym::Container(inner.clone())]
    } else if m.starts_with("__") {
        unknown()
    } else {
        Vec::new()
    }
}

impl Walker<'_> {
    /// The value a name holds: local scopes first, then module bindings.
    /// The union of the types of `parts`, with the comprehension's targets bound (they
    /// are its own names: `model::stmts` keeps them from leaking into the scope).
    fn in_comprehension(&self, generators: &[ast::Comprehension], rec: impl Fn(&Expr) -> Ty, parts: &[&Expr]) -> Ty {
        let pushed = generators.len();
        for g in generators {
            let mut scope: HashMap<String, Ty> = HashMap::default();
            bind_target(&g.target, elements(&rec(&g.iter)), &mut scope);
            self.comp_scopes.borrow_mut().push(scope);
        }
        let mut out = Vec::new();
        for p in parts {
            union_into(&mut out, rec(p));
        }
        let mut scopes = self.comp_scopes.borrow_mut();
        let keep = scopes.len().saturating_sub(pushed);
        scopes.truncate(keep);
        out
    }

    pub fn lookup(&self, name: &str) -> Ty {
        if let Some(t) = self.comp_scopes.borrow().iter().rev().find_map(|s| s.get(name)) {
            return t.clone();
        }
        let innermost = self.frames.len().saturating_sub(1);
        for (i, frame) in self.frames.iter().enumerate().rev() {
            if matches!(frame.kind, FrameKind::Class(_)) {
                continue;
            }
            // enclosing scopes: everything the name gets there (closures run later)
            let found = if i == innermost {
                frame.locals.get(name).or_else(|| frame.all.get(name))
            } else {
                frame.all.get(name).or_else(|| frame.locals.get(name))
            };
            if let Some(r) = found {
                let mut r = r.clone();
                // a module or enclosing-scope name some function assigns through
                // `global`/`nonlocal` (a function's own local of that name is another one)
                let own_local = i == innermost
                    && matches!(frame.kind, FrameKind::Function { .. })
                    && !frame.rebinds.contains(name);
                if self.rebound.contains(name) && !own_local {
                    union_into(&mut r, unknown());
                }
                // a module variable read in a function: also what other code writes into
                // the module's namespace (`model::namespace`)
                if i == 0 && innermost > 0 && matches!(self.facts.table.bindings.get(name), Some(Binding::Other)) {
                    union_into(&mut r, vec![Sym::Global(self.facts.table.qualify_name(name))]);
                }
                return r;
            }
        }
        let table = &self.facts.table;
        match table.bindings.get(name) {
            Some(Binding::Module(_)) | Some(Binding::NamedTupleFactory) | Some(Binding::Function) => {
                Vec::new()
            }
            // a name imported from another module: also this module's own binding of it,
            // which other code may replace (`monkeypatch.setattr(user, "settings", v)`,
            // `model::namespace`)
            Some(Binding::From(_)) => vec![
                Sym::Global(table.qualify_name(name)),
                Sym::Global(format!("{}.{name}", table.module)),
            ],
            Some(_) => vec![Sym::Global(table.qualify_name(name))],
            // a builtin (or a name bound in a way the walk does not model)
            None if is_builtin(name) => Vec::new(),
            None => unknown(),
        }
    }

    /// Is `e` the name of builtin `name` (`vars`, `type`, ...), not shadowed here?
    pub(super) fn is_builtin_name(&self, e: &Expr, name: &str) -> bool {
        matches!(e, Expr::Name(n) if n.id.as_str() == name && !self.is_local(name))
            && self.facts.table.qualify(e).is_some_and(|q| q.strip_prefix("builtins.") == Some(name))
    }

    /// Bound by an assignment in a scope (not an import, def or builtin)?
    pub fn is_local(&self, name: &str) -> bool {
        self.frames.iter().any(|f| {
            !matches!(f.kind, FrameKind::Class(_))
                && (f.locals.contains_key(name) || f.all.contains_key(name))
        })
    }

    pub fn expr_ty(&self, expr: &Expr) -> Ty {
        self.ty_depth(expr, 0)
    }

    pub(super) fn ty_depth(&self, expr: &Expr, depth: usize) -> Ty {
        if depth > 12 {
            return unknown();
        }
        let rec = |e: &Expr| self.ty_depth(e, depth + 1);
        if let Some(t) = self.narrowed_path_ty(expr) {
            return t;
        }
        match expr {
            Expr::Name(n) => self.lookup(n.id.as_str()),
            Expr::Attribute(a) => self.attribute_ty(a, depth),
            Expr::Call(c) => self.call_ty(c, depth),
            Expr::List(ast::ExprList { elts, .. })
            | Expr::Tuple(ast::ExprTuple { elts, .. })
            | Expr::Set(ast::ExprSet { elts, .. }) => {
                let mut inner = Vec::new();
                for e in elts {
                    let t = match e {
                        Expr::Starred(s) => elements(&rec(&s.value)),
                        e => rec(e),
                    };
                    union_into(&mut inner, t);
                }
                vec![Sym::Container(inner)]
            }
            Expr::Dict(d) => {
                let mut inner = Vec::new();
                for item in &d.items {
                    match &item.key {
                        Some(k) => union_into(&mut inner, rec(k)),
                        None => union_into(&mut inner, elements(&rec(&item.value))),
                    }
                    union_into(&mut inner, rec(&item.value));
                }
                vec![Sym::Container(inner)]
            }
            Expr::ListComp(c) => vec![Sym::Container(self.in_comprehension(&c.generators, |e| rec(e), &[&c.elt]))],
            Expr::SetComp(c) => vec![Sym::Container(self.in_comprehension(&c.generators, |e| rec(e), &[&c.elt]))],
            Expr::Generator(c) => vec![Sym::Container(self.in_comprehension(&c.generators, |e| rec(e), &[&c.elt]))],
            Expr::DictComp(c) => {
                let mut parts: Vec<&Expr> = vec![&c.value];
                if let Some(k) = c.key.as_deref() {
                    parts.push(k);
                }
                vec![Sym::Container(self.in_comprehension(&c.generators, |e| rec(e), &parts))]
            }
            Expr::BoolOp(b) => {
                let mut out = Vec::new();
                for v in &b.values {
                    union_into(&mut out, rec(v));
                }
                out
            }
            Expr::If(i) => {
                let mut out = rec(&i.body);
                union_into(&mut out, rec(&i.orelse));
                out
            }
            Expr::Named(n) => rec(&n.value),
            Expr::Subscript(s) => {
                let base = rec(&s.value);
                let slice = matches!(&*s.slice, Expr::Slice(_));
                let first = matches!(&*s.slice, Expr::NumberLiteral(n) if n.value.as_int().and_then(|i| i.as_u64()) == Some(0));
                let mut out = Vec::new();
                for b in base {
                    let t = match b {
                        // `self, args = args[0], args[1:]` in `def m(*args)`
                        Sym::SelfArgs(idx) if first => vec![Sym::This(idx)],
                        Sym::SelfArgs(_) if slice => vec![Sym::Container(unknown())],
                        b if slice => vec![b],
                        b => elements(&vec![b]),
                    };
                    union_into(&mut out, t);
                }
                out
            }
            Expr::Starred(s) => elements(&rec(&s.value)),
            Expr::BinOp(b) => {
                let (l, r) = (rec(&b.left), rec(&b.right));
                if l.is_empty() && r.is_empty() {
                    Vec::new()
                } else {
                    match (&l[..], &r[..]) {
                        // `xs + ys` on lists keeps the elements of both
                        ([Sym::Container(a)], [Sym::Container(b)]) => {
                            let mut inner = a.clone();
                            union_into(&mut inner, b.clone());
                            vec![Sym::Container(inner)]
                        }
                        // `a + b` on a project instance: what its `__add__` returns
                        (left, _) if !left.is_empty() && left.iter().all(lazy) =>
                        {
                            let dunder = binop_dunder(b.op);
                            left.iter().map(|s| Sym::Ret(Box::new(s.clone()), dunder.into())).collect()
                        }
                        _ => unknown(),
                    }
                }
            }
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::FString(_)
            | Expr::Compare(_)
            | Expr::UnaryOp(_)
            | Expr::Lambda(_) => Vec::new(),
            _ => unknown(),
        }
    }

    fn attribute_ty(&self, a: &ast::ExprAttribute, depth: usize) -> Ty {
        self.attr_ty(&a.value, a.attr.as_str(), depth)
    }

    /// The type of `value.attr`.
    pub(super) fn attr_ty(&self, value: &Expr, attr: &str, depth: usize) -> Ty {
        // `mod.Name` through an import
        if let Some(first) = chain_root(value) {
            let local = self
                .frames
                .iter()
                .any(|f| !matches!(f.kind, FrameKind::Class(_)) && f.locals.contains_key(first));
            let module_like = match self.facts.table.bindings.get(first) {
                Some(Binding::Module(_)) => true,
                // `from . import nodes`: a submodule (or a name of the package)
                Some(Binding::From(_)) => true,
                _ => false,
            };
            if !local && module_like {
                return match self.facts.table.qualify(value) {
                    Some(d) => vec![Sym::Global(format!("{d}.{attr}"))],
                    None => unknown(),
                };
            }
        }
        let base = self.ty_depth(value, depth + 1);
        let mut out = Vec::new();
        for s in base {
            let t = match s {
                Sym::This(idx) | Sym::Local(idx) if attr == "__class__" => vec![Sym::LocalCls(idx)],
                Sym::Named(d) if attr == "__class__" => vec![Sym::NamedCls(d)],
                s if lazy(&s) => vec![Sym::Attr(Box::new(s), attr.to_string())],
                // attributes of class objects and module variables, typed when linking
                // (`Project::class_attr`: dunders from `object`/`type`/outside bases; a
                // module variable's instance: its attribute types)
                s @ (Sym::LocalCls(_) | Sym::NamedCls(_) | Sym::Global(_)) => vec![Sym::Attr(Box::new(s), attr.to_string())],
                Sym::Unknown => unknown(),
                Sym::DescrObj(_) => unknown(),
                // methods of lists and dicts; of the `*args` tuple
                Sym::Container(_) | Sym::SelfArgs(_) => Vec::new(),
                _ => unknown(),
            };
            union_into(&mut out, t);
        }
        out
    }

}


/// Bind the names of a comprehension target: a name gets `ty`, the names of a tuple
/// target the elements of `ty` (as `Walker::assign` does without a literal).
fn bind_target(target: &Expr, ty: Ty, scope: &mut HashMap<String, Ty>) {
    match target {
        Expr::Name(n) => {
            scope.insert(n.id.to_string(), ty);
        }
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
            let each = elements(&ty);
            for e in elts {
                bind_target(e, each.clone(), scope);
            }
        }
        Expr::Starred(s) => bind_target(&s.value, vec![Sym::Container(elements(&ty))], scope),
        _ => {}
    }
}


fn binop_dunder(op: ast::Operator) -> &'static str {
    use ast::Operator as O;
    match op {
        O::Add => "__add__",
        O::Sub => "__sub__",
        O::Mult => "__mul__",
        O::MatMult => "__matmul__",
        O::Div => "__truediv__",
        O::Mod => "__mod__",
        O::Pow => "__pow__",
        O::LShift => "__lshift__",
        O::RShift => "__rshift__",
        O::BitOr => "__or__",
        O::BitXor => "__xor__",
        O::BitAnd => "__and__",
        O::FloorDiv => "__floordiv__",
    }
}

fn chain_root(e: &Expr) -> Option<&str> {
    match e {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => chain_root(&a.value),
        _ => None,
    }
}

pub(super) fn is_builtin(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray",
        "bytes", "callable", "chr", "classmethod", "compile", "complex", "delattr", "dict", "dir",
        "divmod", "enumerate", "eval", "exec", "filter", "float", "format", "frozenset", "getattr",
        "globals", "hasattr", "hash", "help", "hex", "id", "input", "int", "isinstance",
        "issubclass", "iter", "len", "list", "locals", "map", "max", "memoryview", "min", "next",
        "object", "oct", "open", "ord", "pow", "print", "property", "range", "repr", "reversed",
        "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum", "super",
        "tuple", "type", "vars", "zip", "__import__", "__name__", "__file__", "__doc__",
        "__spec__", "__package__", "__builtins__", "__debug__", "NotImplemented", "Ellipsis",
        "True", "False", "None", "__class__", "__path__", "__loader__",
    ];
    NAMES.contains(&name) || name.ends_with("Error") || name.ends_with("Exception")
        || name.ends_with("Warning") || matches!(name, "StopIteration" | "KeyboardInterrupt"
        | "SystemExit" | "GeneratorExit" | "StopAsyncIteration")
}
