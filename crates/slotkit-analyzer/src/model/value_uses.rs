//! Where each value of a module is used (`model::by_name`'s pre-pass): the context of
//! every `getattr(obj, name)` with a computed name, `type(x)` / `x.__class__`, call of a
//! top-level class, and load of a name, per function scope.

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::by_name::literal_prefix;

/// Builtins that may be given a value without calling it or handing it on.
const READERS: &[&str] = &[
    "print", "str", "repr", "format", "isinstance", "issubclass", "callable", "type", "id", "hash", "bool", "len",
    "hasattr", "getattr", "dir",
];

/// `unittest.TestCase` assertions: they compare and format what they are given (unless
/// a class of the module defines a method of that name).
const ASSERTIONS: &[&str] = &[
    "assertEqual", "assertNotEqual", "assertTrue", "assertFalse", "assertIs", "assertIsNot", "assertIsNone",
    "assertIsNotNone", "assertIn", "assertNotIn", "assertIsInstance", "assertNotIsInstance", "assertAlmostEqual",
    "assertNotAlmostEqual", "assertGreater", "assertGreaterEqual", "assertLess", "assertLessEqual",
    "assertListEqual", "assertTupleEqual", "assertSetEqual", "assertDictEqual", "assertCountEqual",
    "assertSequenceEqual", "assertMultiLineEqual", "assertRegex", "assertNotRegex",
];

/// Attributes of a function or method that are only data.
const DATA_ATTRS: &[&str] = &["__name__", "__qualname__", "__doc__", "__module__"];

/// Where a value is used.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Ctx {
    Escapes,
    Read,
    /// the callee of this call
    Called(TextRange),
    /// the value of `<local> = ...` in a function: the `usize` is the scope
    Bound(usize),
    /// an attribute of it is read; `true` for `__init__` / `__call__` (which, on a class,
    /// run `__init__`): the value escapes, but a class's other attributes make no instance
    AttrOf(bool),
}

pub(super) struct Getattr {
    /// `type(x)` / `x.__class__` (the class of an instance) rather than a `getattr`
    pub(super) class_of: bool,
    /// `C(...)` of a class `C` defined at the top of the module: its name
    pub(super) instance_of: Option<String>,
    pub(super) range: TextRange,
    pub(super) prefix: String,
    pub(super) ctx: Ctx,
    /// the name bound, for `Ctx::Bound`
    pub(super) local: Option<String>,
}

pub(super) struct Scope {
    /// loads of each name in the scope (nested scopes included), with their context
    pub(super) loads: HashMap<String, Vec<Ctx>>,
    /// names declared `global`/`nonlocal`
    pub(super) shared: HashSet<String>,
}

pub(super) struct Pass<'a> {
    pub(super) is_builtin: &'a dyn Fn(&str) -> bool,
    pub(super) scopes: Vec<Scope>,
    /// indexes into `scopes` of the functions being walked (innermost last)
    pub(super) stack: Vec<usize>,
    pub(super) found: Vec<Getattr>,
    /// the local `<name> = ...` binds, while its value is walked
    pub(super) bound_name: Option<String>,
    /// is the statement being walked directly in a class body?
    pub(super) in_class: bool,
    /// methods defined by the module's classes
    pub(super) methods: HashSet<String>,
    /// classes defined at the top of the module
    pub(super) top_classes: HashSet<String>,
    /// the top-level class whose method is being walked, and its first parameter
    pub(super) method_of: Option<(String, String)>,
    /// top-level classes whose methods let `self` escape (pass it, return it, store it)
    pub(super) self_escapes: HashSet<String>,
    /// is `scopes[0]` the module's (a closed module)?
    pub(super) module_scope: bool,
}

impl Pass<'_> {
    pub(super) fn body(&mut self, body: &[Stmt]) {
        for s in body {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.expr(&d.expression, Ctx::Escapes);
                }
                for p in f.parameters.iter() {
                    if let Some(d) = p.default() {
                        self.expr(d, Ctx::Escapes);
                    }
                }
                self.scopes.push(Scope { loads: HashMap::default(), shared: HashSet::default() });
                self.stack.push(self.scopes.len() - 1);
                let scope = self.scopes.len() - 1;
                // a method of a top-level class: does its `self` escape?
                let owner = match (&self.method_of, self.in_class) {
                    (Some((class, _)), true) => f.parameters.posonlyargs.iter().chain(&f.parameters.args).next().map(|p| (class.clone(), p.parameter.name.to_string())),
                    _ => None,
                };
                let was = std::mem::replace(&mut self.in_class, false);
                let outer = self.method_of.take();
                self.body(&f.body);
                self.method_of = outer;
                self.in_class = was;
                self.stack.pop();
                match owner {
                    Some((class, first)) => {
                        let loads = self.scopes[scope].loads.get(&first).cloned().unwrap_or_default();
                        if loads.iter().any(|c| matches!(c, Ctx::Escapes | Ctx::Bound(_) | Ctx::AttrOf(true))) {
                            self.self_escapes.insert(class);
                        }
                    }
                    // `self` of a method with no parameter, or `*args`: escapes
                    None if self.in_class => {
                        if let Some((class, _)) = &self.method_of {
                            self.self_escapes.insert(class.clone());
                        }
                    }
                    None => {}
                }
            }
            Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.expr(&d.expression, Ctx::Escapes);
                }
                if let Some(args) = &c.arguments {
                    for a in args.args.iter() {
                        self.expr(a, Ctx::Escapes);
                    }
                    for k in args.keywords.iter() {
                        self.expr(&k.value, Ctx::Escapes);
                    }
                }
                let was = std::mem::replace(&mut self.in_class, true);
                let top = self.stack.is_empty() || (self.stack.len() == 1 && self.module_scope);
                let outer = std::mem::replace(&mut self.method_of, top.then(|| (c.name.to_string(), String::new())));
                self.body(&c.body);
                self.method_of = outer;
                self.in_class = was;
            }
            // `with C(...):` (no `as`): the context manager is only entered and exited
            Stmt::With(w) => {
                for item in &w.items {
                    let ctx = if item.optional_vars.is_none() { Ctx::Read } else { Ctx::Escapes };
                    self.expr(&item.context_expr, ctx);
                    if let Some(v) = &item.optional_vars {
                        self.expr(v, Ctx::Escapes);
                    }
                }
                self.body(&w.body);
            }
            Stmt::Expr(e) => self.expr(&e.value, Ctx::Read),
            Stmt::Assign(a) => {
                let ctx = match (a.targets.as_slice(), self.stack.last()) {
                    ([Expr::Name(n)], Some(&s)) if !self.in_class => {
                        self.bound_name = Some(n.id.to_string());
                        Ctx::Bound(s)
                    }
                    _ => Ctx::Escapes,
                };
                self.expr(&a.value, ctx);
                self.bound_name = None;
                for t in &a.targets {
                    self.expr(t, Ctx::Escapes);
                }
            }
            Stmt::If(i) => {
                self.expr(&i.test, Ctx::Read);
                self.body(&i.body);
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.expr(t, Ctx::Read);
                    }
                    self.body(&c.body);
                }
            }
            Stmt::While(w) => {
                self.expr(&w.test, Ctx::Read);
                self.body(&w.body);
                self.body(&w.orelse);
            }
            Stmt::Assert(a) => {
                self.expr(&a.test, Ctx::Read);
                if let Some(m) = &a.msg {
                    self.expr(m, Ctx::Read);
                }
            }
            Stmt::Global(g) => self.share(g.names.iter().map(|n| n.to_string())),
            Stmt::Nonlocal(n) => self.share(n.names.iter().map(|n| n.to_string())),
            _ => {
                // anything else: every expression in it escapes, nested bodies walked
                let mut exprs = Vec::new();
                let mut nested = Vec::new();
                parts(stmt, &mut exprs, &mut nested);
                for e in exprs {
                    self.expr(e, Ctx::Escapes);
                }
                for s in nested {
                    self.stmt(s);
                }
            }
        }
    }

    fn share(&mut self, names: impl Iterator<Item = String>) {
        if let Some(&s) = self.stack.last() {
            self.scopes[s].shared.extend(names);
        }
    }

    fn expr(&mut self, e: &Expr, ctx: Ctx) {
        match e {
            Expr::Name(n) if n.ctx == ExprContext::Load => {
                for &s in &self.stack {
                    self.scopes[s].loads.entry(n.id.to_string()).or_default().push(ctx);
                }
            }
            Expr::Call(c) => {
                if self.is_computed_getattr(c) {
                    let prefix = c.arguments.args.get(1).map(literal_prefix).unwrap_or_default();
                    let local = match ctx {
                        Ctx::Bound(_) => self.bound_name.clone(),
                        _ => None,
                    };
                    self.found.push(Getattr { class_of: false, instance_of: None, range: c.range(), prefix, ctx, local });
                }
                if self.is_type_of(c) {
                    self.found_class_of(c.range(), ctx);
                }
                if let Expr::Name(n) = &*c.func {
                    if self.top_classes.contains(n.id.as_str()) {
                        let local = match ctx {
                            Ctx::Bound(_) => self.bound_name.clone(),
                            _ => None,
                        };
                        let instance_of = Some(n.id.to_string());
                        self.found.push(Getattr { class_of: false, instance_of, range: c.range(), prefix: String::new(), ctx, local });
                    }
                }
                self.expr(&c.func, Ctx::Called(c.range()));
                let reader = match &*c.func {
                    Expr::Name(n) => READERS.contains(&n.id.as_str()) && (self.is_builtin)(n.id.as_str()),
                    // `self.assertEqual(...)`
                    Expr::Attribute(a) => {
                        let m = a.attr.as_str();
                        matches!(&*a.value, Expr::Name(s) if s.id.as_str() == "self")
                            && ASSERTIONS.contains(&m)
                            && !self.methods.contains(m)
                    }
                    _ => false,
                };
                let arg_ctx = if reader { Ctx::Read } else { Ctx::Escapes };
                for a in c.arguments.args.iter() {
                    self.expr(a, arg_ctx);
                }
                for k in c.arguments.keywords.iter() {
                    self.expr(&k.value, Ctx::Escapes);
                }
            }
            Expr::Compare(c) => {
                self.expr(&c.left, Ctx::Read);
                for x in c.comparators.iter() {
                    self.expr(x, Ctx::Read);
                }
            }
            Expr::UnaryOp(u) if u.op == ast::UnaryOp::Not => self.expr(&u.operand, Ctx::Read),
            // `isinstance(x, (type(a), B))`, `x in (a, b)`: the elements are only read too
            Expr::Tuple(t) if ctx == Ctx::Read => {
                for e in &t.elts {
                    self.expr(e, Ctx::Read);
                }
            }
            // the value of `a or b` is one of them
            Expr::BoolOp(b) => {
                for v in &b.values {
                    self.expr(v, ctx);
                }
            }
            Expr::If(i) => {
                self.expr(&i.test, Ctx::Read);
                self.expr(&i.body, ctx);
                self.expr(&i.orelse, ctx);
            }
            Expr::Attribute(a) if DATA_ATTRS.contains(&a.attr.as_str()) => self.expr(&a.value, Ctx::Read),
            Expr::Attribute(a) if a.attr.as_str() == "__class__" && a.ctx == ExprContext::Load => {
                self.found_class_of(a.range(), ctx);
                self.expr(&a.value, Ctx::Read);
            }
            Expr::Attribute(a) => self.expr(&a.value, Ctx::AttrOf(matches!(a.attr.as_str(), "__init__" | "__call__"))),
            Expr::FString(f) => {
                for part in f.value.iter() {
                    if let ast::FStringPart::FString(fs) = part {
                        for el in fs.elements.iter() {
                            if let ast::InterpolatedStringElement::Interpolation(i) = el {
                                self.expr(&i.expression, Ctx::Read);
                            }
                        }
                    }
                }
            }
            Expr::Lambda(l) => {
                // its body runs later, with parameters of its own: a scope
                self.scopes.push(Scope { loads: HashMap::default(), shared: HashSet::default() });
                self.stack.push(self.scopes.len() - 1);
                self.expr(&l.body, Ctx::Escapes);
                self.stack.pop();
            }
            _ => {
                let mut kids = Vec::new();
                children(e, &mut kids);
                for k in kids {
                    self.expr(k, Ctx::Escapes);
                }
            }
        }
    }

    fn found_class_of(&mut self, range: TextRange, ctx: Ctx) {
        let local = match ctx {
            Ctx::Bound(_) => self.bound_name.clone(),
            _ => None,
        };
        self.found.push(Getattr { class_of: true, instance_of: None, range, prefix: String::new(), ctx, local });
    }

    /// `type(x)` (the builtin, one argument).
    fn is_type_of(&self, c: &ast::ExprCall) -> bool {
        matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "type" && (self.is_builtin)("type"))
            && c.arguments.args.len() == 1
            && c.arguments.keywords.is_empty()
            && !matches!(c.arguments.args.first(), Some(Expr::Starred(_)))
    }

    fn is_computed_getattr(&self, c: &ast::ExprCall) -> bool {
        matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "getattr" && (self.is_builtin)("getattr"))
            && c.arguments.args.len() >= 2
            && !c.arguments.args.iter().any(|a| matches!(a, Expr::Starred(_)))
            && !matches!(c.arguments.args.get(1), Some(Expr::StringLiteral(_)))
    }
}

/// The names of the methods the classes of a module define.
pub(super) fn collect_methods(body: &[Stmt], out: &mut HashSet<String>) {
    for s in body {
        if let Stmt::ClassDef(c) = s {
            for m in &c.body {
                if let Stmt::FunctionDef(f) = m {
                    out.insert(f.name.to_string());
                }
            }
            collect_methods(&c.body, out);
        }
    }
}

/// The direct subexpressions and nested statements of a node, through ruff's visitor
/// (which would otherwise walk on into them).
#[derive(Default)]
struct Parts<'a> {
    exprs: Vec<&'a Expr>,
    stmts: Vec<&'a Stmt>,
}

impl<'a> Visitor<'a> for Parts<'a> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        self.exprs.push(expr);
    }
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.stmts.push(stmt);
    }
}

/// The expressions directly in `stmt`, and the statements nested in it.
fn parts<'a>(stmt: &'a Stmt, exprs: &mut Vec<&'a Expr>, stmts: &mut Vec<&'a Stmt>) {
    let mut p = Parts::default();
    walk_stmt(&mut p, stmt);
    exprs.extend(p.exprs);
    stmts.extend(p.stmts);
}

/// The direct subexpressions of `e`.
fn children<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    let mut p = Parts::default();
    walk_expr(&mut p, e);
    out.extend(p.exprs);
}
