//! Symbolic value types: what a local name, an attribute or a container element may
//! hold, as far as one module can tell. Names of other modules stay dotted strings and
//! are resolved when the project is linked (see `flow.rs`). `Unknown` is explicit: a
//! use on a receiver that may be `Unknown` is an *unknown use*.

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::{self as ast, Expr, Operator, Stmt};

use super::imports::ImportTable;

/// One possible value. A type is a list of them (a union); the empty list holds no
/// instance of a project class (None, numbers, strings, functions, modules).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Sym {
    /// `self` in a method of this module's class #idx
    This(usize),
    /// an instance of this module's class #idx (or of a subclass)
    Local(usize),
    /// this module's class #idx itself (or a subclass)
    LocalCls(usize),
    /// an instance of the class a canonical dotted name resolves to (or a subclass)
    Named(String),
    /// what calling the object a dotted name resolves to returns: an instance of a
    /// class, or the result of a function
    Made(String),
    /// the class object a canonical dotted name resolves to (or a subclass)
    NamedCls(String),
    /// the object a dotted module-level name refers to (class, function, variable)
    Global(String),
    /// the `obj` parameter of a descriptor's `__get__`/`__set__` in class #idx
    DescrObj(usize),
    /// a list / tuple / set / dict / iterator holding these
    Container(Vec<Sym>),
    /// attribute `name` read on an instance of the inner value
    Attr(Box<Sym>, String),
    /// an element of the inner iterable
    Elem(Box<Sym>),
    /// what method `name` returns when called on an instance of the inner value
    Ret(Box<Sym>, String),
    /// the values passed for parameter (position, name) of the module-level function
    /// `dotted` at its call sites in the project
    Arg(String, usize, String),
    /// `*args` of a method with no named positional parameter: item 0 is `self`
    /// (this module's class #idx), the others anything
    SelfArgs(usize),
    /// an attribute with a computed name (`getattr(obj, name)`) of the inner value
    AnyAttr(Box<Sym>),
    /// the value pytest passes for a test's or fixture's parameter `name`: a project
    /// fixture of that name, a builtin fixture, or anything (resolved when linking)
    Fixture(String),
    /// what the decorator a dotted name resolves to passes at position #n of the function
    /// it decorates, by its first parameter's `Callable[[A, ...], R]` annotation
    /// (`model::callbacks`)
    Callback(String, usize),
    /// what the decorator made by calling the function a dotted name resolves to, with
    /// these positional argument types, passes at position #n (`model::callbacks`)
    FactoryCallback(String, Vec<Vec<Sym>>, usize),
    /// attribute `name` of the first value, read right after the second was stored there
    /// (`model::stored_paths`)
    Stored(Vec<Sym>, String, Vec<Sym>),
    /// parameter (position after the first, name) of method `m` of this module's class
    /// #idx, unannotated there: what the base methods it overrides annotate
    /// (`model::overrides`)
    Overridden(usize, String, usize, String),
    /// what outside callers pass to a parameter (the first, an `Arg` at
    /// `OUTSIDE_CALLERS`): nothing without outside callers, else what the overridden
    /// method's annotation promises (the second) (`model::closed`)
    OutsideOr(Box<Sym>, Vec<Sym>),
    /// the first value when it is not an instance of the second (the `else` of
    /// `if isinstance(x, T):`)
    Excluding(Vec<Sym>, Vec<Sym>),
    Unknown,
}

pub type Ty = Vec<Sym>;

/// Past this many alternatives a type is widened to `Unknown` (sound, cheap).
const MAX_UNION: usize = 24;
pub(crate) const MAX_DEPTH: usize = 8;

pub fn unknown() -> Ty {
    vec![Sym::Unknown]
}

/// `a ∪ b`, deduplicated. `Unknown` stays next to the known alternatives: a use on
/// the value is then both an unknown use and a use of each known class.
pub fn union_into(into: &mut Ty, more: Ty) {
    if into.len() == 1 && into.first() == Some(&Sym::Unknown) && more.is_empty() {
        return;
    }
    for s in more {
        if !into.contains(&s) {
            into.push(s);
        }
    }
    if into.len() > MAX_UNION {
        *into = unknown();
    }
}

/// The elements of an iterable of type `ty`.
pub fn elements(ty: &Ty) -> Ty {
    let mut out = Vec::new();
    for s in ty {
        let e = match s {
            Sym::Container(inner) => inner.clone(),
            // resolved when linking (a project instance: its `__getitem__`/`__iter__`)
            Sym::Attr(..) | Sym::Elem(_) | Sym::Global(_) | Sym::Ret(..) | Sym::Arg(..) | Sym::This(_)
            | Sym::Local(_) | Sym::Named(_) | Sym::Made(_) | Sym::AnyAttr(_) | Sym::Fixture(_)
            | Sym::Callback(..) | Sym::FactoryCallback(..) | Sym::Stored(..) | Sym::Overridden(..)
            | Sym::Excluding(..) | Sym::OutsideOr(..) => {
                vec![Sym::Elem(Box::new(s.clone()))]
            }
            Sym::SelfArgs(idx) => vec![Sym::This(*idx), Sym::Unknown],
            // iterating a class (Enum) or anything else: anything
            _ => unknown(),
        };
        union_into(&mut out, e);
    }
    out
}

/// Module-level `T = TypeVar("T", bound=X)` and type aliases, used to read annotations.
#[derive(Debug, Default)]
pub struct TypeDefs {
    /// TypeVar name -> its bound or constraints (none: unbounded, so anything)
    pub typevars: HashMap<String, Vec<Expr>>,
    pub aliases: HashMap<String, Expr>,
    /// module-level function -> its return annotation
    pub returns: HashMap<String, Expr>,
    /// module-level function -> the annotation of its first parameter (`model::callbacks`)
    pub first_params: HashMap<String, Expr>,
    /// module-level function -> the annotations of its positional parameters
    pub param_anns: HashMap<String, Vec<Option<Expr>>>,
}

fn last_segment(d: &str) -> &str {
    d.rsplit('.').next().unwrap_or(d)
}

impl TypeDefs {
    pub fn collect(table: &ImportTable, body: &[Stmt]) -> TypeDefs {
        let mut defs = TypeDefs::default();
        defs.walk(table, body);
        defs
    }

    fn walk(&mut self, table: &ImportTable, body: &[Stmt]) {
        for stmt in body {
            match stmt {
                Stmt::Assign(a) => {
                    let [Expr::Name(n)] = a.targets.as_slice() else { continue };
                    self.add(table, n.id.as_str(), &a.value);
                }
                Stmt::AnnAssign(a) => {
                    if let (Expr::Name(n), Some(v)) = (&*a.target, &a.value) {
                        self.add(table, n.id.as_str(), v);
                    }
                }
                Stmt::FunctionDef(f) => {
                    if let Some(r) = &f.returns {
                        self.returns.insert(f.name.to_string(), (**r).clone());
                    }
                    let anns = f.parameters.posonlyargs.iter().chain(&f.parameters.args).map(|p| p.parameter.annotation.as_deref().cloned()).collect();
                    self.param_anns.insert(f.name.to_string(), anns);
                    let first = f.parameters.posonlyargs.iter().chain(&f.parameters.args).next();
                    if let Some(ann) = first.and_then(|p| p.parameter.annotation.as_deref()) {
                        self.first_params.insert(f.name.to_string(), ann.clone());
                    }
                }
                Stmt::If(s) => {
                    self.walk(table, &s.body);
                    for c in &s.elif_else_clauses {
                        self.walk(table, &c.body);
                    }
                }
                Stmt::Try(t) => {
                    self.walk(table, &t.body);
                    for ast::ExceptHandler::ExceptHandler(h) in &t.handlers {
                        self.walk(table, &h.body);
                    }
                }
                _ => {}
            }
        }
    }

    fn add(&mut self, table: &ImportTable, name: &str, value: &Expr) {
        match value {
            Expr::Call(c) => {
                let f = table.qualify(&c.func).unwrap_or_default();
                if last_segment(&f) == "TypeVar" {
                    let mut bound: Vec<Expr> = c
                        .arguments
                        .keywords
                        .iter()
                        .filter(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "bound"))
                        .map(|k| k.value.clone())
                        .collect();
                    // constrained TypeVar("T", A, B): the union of the constraints
                    if bound.is_empty() {
                        bound = c.arguments.args.iter().skip(1).cloned().collect();
                    }
                    self.typevars.insert(name.to_string(), bound);
                }
                // `TaskID = NewType("TaskID", int)`: in annotations, the wrapped type
                if last_segment(&f) == "NewType" && c.arguments.args.len() == 2 {
                    self.aliases.insert(name.to_string(), c.arguments.args[1].clone());
                }
            }
            Expr::Subscript(_) | Expr::BinOp(_) | Expr::StringLiteral(_) => {
                self.aliases.insert(name.to_string(), value.clone());
            }
            _ => {}
        }
    }

    /// The type of a value annotated with `ann` (annotations are trusted).
    pub fn annotation(&self, table: &ImportTable, ann: &Expr) -> Ty {
        self.ann(table, ann, 0)
    }

    pub(super) fn ann(&self, table: &ImportTable, ann: &Expr, depth: usize) -> Ty {
        if depth > MAX_DEPTH {
            return unknown();
        }
        let rec = |e: &Expr| self.ann(table, e, depth + 1);
        match ann {
            Expr::NoneLiteral(_) | Expr::EllipsisLiteral(_) | Expr::NumberLiteral(_) => Vec::new(),
            Expr::StringLiteral(s) => match ruff_python_parser::parse_expression(s.value.to_str()) {
                Ok(parsed) => rec(parsed.expr()),
                Err(_) => unknown(),
            },
            Expr::BinOp(b) if b.op == Operator::BitOr => {
                let mut t = rec(&b.left);
                union_into(&mut t, rec(&b.right));
                t
            }
            Expr::Tuple(t) => {
                let mut out = Vec::new();
                for e in &t.elts {
                    union_into(&mut out, rec(e));
                }
                out
            }
            Expr::List(l) => {
                let mut out = Vec::new();
                for e in &l.elts {
                    union_into(&mut out, rec(e));
                }
                out
            }
            Expr::Subscript(s) => self.generic(table, s, depth),
            Expr::Name(n) => {
                let id = n.id.as_str();
                if let Some(bound) = self.typevars.get(id) {
                    if bound.is_empty() {
                        return unknown();
                    }
                    let mut out = Vec::new();
                    for b in bound {
                        union_into(&mut out, rec(b));
                    }
                    return out;
                }
                if let Some(alias) = self.aliases.get(id) {
                    return rec(alias);
                }
                self.plain(table, ann)
            }
            Expr::Attribute(_) => self.plain(table, ann),
            _ => unknown(),
        }
    }

    fn plain(&self, table: &ImportTable, ann: &Expr) -> Ty {
        let Some(d) = table.qualify(ann) else { return unknown() };
        match d.as_str() {
            "typing.Any" | "typing_extensions.Any" | "builtins.object" | "typing.Hashable"
            | "collections.abc.Hashable" => unknown(),
            _ => match last_segment(&d) {
                // builtins and typing names that cannot hold a project instance
                "None" | "NoReturn" | "Never" | "Callable" | "LiteralString" | "str" | "bytes"
                | "int" | "float" | "bool" | "complex" | "Text" | "Pattern" | "Match" => Vec::new(),
                "list" | "List" | "set" | "Set" | "tuple" | "Tuple" | "dict" | "Dict"
                | "Iterable" | "Iterator" | "Sequence" | "Mapping" | "MutableMapping"
                | "MutableSequence" | "Collection" | "frozenset" | "FrozenSet" => {
                    vec![Sym::Container(unknown())]
                }
                "type" | "Type" => vec![Sym::NamedCls("builtins.object".into())],
                _ => vec![Sym::Named(d)],
            },
        }
    }

    fn generic(&self, table: &ImportTable, s: &ast::ExprSubscript, depth: usize) -> Ty {
        let rec = |e: &Expr| self.ann(table, e, depth + 1);
        let args: Vec<&Expr> = match &*s.slice {
            Expr::Tuple(t) => t.elts.iter().collect(),
            e => vec![e],
        };
        let all = || {
            let mut out = Vec::new();
            for a in &args {
                union_into(&mut out, rec(a));
            }
            out
        };
        let head = table.qualify(&s.value).unwrap_or_default();
        match last_segment(&head) {
            "Optional" | "Union" => all(),
            "Annotated" | "ClassVar" | "Final" | "Required" | "NotRequired" | "ReadOnly"
            | "TypeGuard" | "TypeIs" => args.first().map_or_else(unknown, |a| rec(a)),
            "Literal" | "Callable" | "Pattern" | "Match" => Vec::new(),
            "type" | "Type" => {
                let inner = all();
                inner
                    .into_iter()
                    .map(|s| match s {
                        Sym::Named(d) => Sym::NamedCls(d),
                        other => other,
                    })
                    .collect()
            }
            "list" | "List" | "set" | "Set" | "frozenset" | "FrozenSet" | "tuple" | "Tuple"
            | "Sequence" | "MutableSequence" | "Iterable" | "Iterator" | "Collection"
            | "Generator" | "AsyncIterator" | "AsyncIterable" | "AsyncGenerator" | "Deque"
            | "deque" | "AbstractSet" | "MutableSet" | "dict" | "Dict" | "Mapping"
            | "MutableMapping" | "DefaultDict" | "defaultdict" | "OrderedDict" | "ChainMap"
            | "Counter" | "KeysView" | "ValuesView" | "ItemsView" | "Reversible" | "WeakSet"
            | "WeakValueDictionary" | "WeakKeyDictionary" => vec![Sym::Container(all())],
            // a generic project class `Box[int]`: an instance of `Box`
            _ if !head.is_empty() => self.plain(table, &s.value),
            _ => unknown(),
        }
    }
}
