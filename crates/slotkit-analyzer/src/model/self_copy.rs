//! Self-copies: `code = bucket.code` ... `bucket.code = code`.
//!
//! A store `x.a = n` where `n` holds what `x.a` held (read from the same object: `x` bound
//! once, outside any loop, or a parameter never rebound) gives the attribute nothing it did
//! not hold: that part of the stored value is dropped. It matters when `x` may be
//! anything: such a store gives its value to every class's attribute `a`, and the `a` of
//! an object of unknown type is anything (jinja2's `Loader.load`: `code = bucket.code`,
//! `code = environment.compile(...)` if it was `None`, `bucket.code = code`).
//!
//! The test is syntactic and conservative (per function, nested scopes aside): `n` is bound
//! only by plain assignments, one of them `n = x.a`, the others calls (not `getattr`) or
//! literals, so no other binding can bring an `x.a`-typed value of another object.

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// How a name is bound in a function body.
#[derive(Default)]
struct Bindings<'a> {
    /// plain `name = value` assignments: (value, inside a loop)
    plain: HashMap<String, Vec<(&'a Expr, bool)>>,
    /// names bound any other way (targets of `for`, `with`, `except`, `:=`, augmented or
    /// unpacking assignments, imports, `del`, `global`/`nonlocal`)
    other: HashSet<String>,
    /// `x.a = n` stores: (target range, x, a, n)
    stores: Vec<(TextRange, String, String, String)>,
    loops: usize,
}

impl<'a> Visitor<'a> for Bindings<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            // nested scopes bind their own names
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Assign(a) => {
                for t in &a.targets {
                    match t {
                        Expr::Name(n) => self.plain.entry(n.id.to_string()).or_default().push((&a.value, self.loops > 0)),
                        Expr::Attribute(at) => {
                            if let (Expr::Name(x), Expr::Name(n), 1) = (&*at.value, &*a.value, a.targets.len()) {
                                self.stores.push((at.range(), x.id.to_string(), at.attr.to_string(), n.id.to_string()));
                            }
                        }
                        t => names_in(t, &mut self.other),
                    }
                }
                self.visit_expr(&a.value);
            }
            Stmt::For(f) => {
                names_in(&f.target, &mut self.other);
                self.visit_expr(&f.iter);
                self.loops += 1;
                f.body.iter().for_each(|s| self.visit_stmt(s));
                self.loops -= 1;
                f.orelse.iter().for_each(|s| self.visit_stmt(s));
            }
            Stmt::While(w) => {
                self.visit_expr(&w.test);
                self.loops += 1;
                w.body.iter().for_each(|s| self.visit_stmt(s));
                self.loops -= 1;
                w.orelse.iter().for_each(|s| self.visit_stmt(s));
            }
            Stmt::AugAssign(a) => {
                names_in(&a.target, &mut self.other);
                walk_stmt(self, stmt);
            }
            Stmt::AnnAssign(a) => {
                names_in(&a.target, &mut self.other);
                walk_stmt(self, stmt);
            }
            Stmt::With(w) => {
                w.items.iter().filter_map(|i| i.optional_vars.as_deref()).for_each(|t| names_in(t, &mut self.other));
                walk_stmt(self, stmt);
            }
            Stmt::Try(t) => {
                t.handlers.iter().for_each(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        self.other.insert(n.to_string());
                    }
                });
                walk_stmt(self, stmt);
            }
            Stmt::Delete(d) => d.targets.iter().for_each(|t| names_in(t, &mut self.other)),
            Stmt::Global(g) => g.names.iter().for_each(|n| { self.other.insert(n.to_string()); }),
            Stmt::Nonlocal(g) => g.names.iter().for_each(|n| { self.other.insert(n.to_string()); }),
            Stmt::Import(i) => i.names.iter().for_each(|a| {
                let bound = a.asname.as_ref().map_or_else(|| a.name.split('.').next().unwrap_or_default().to_string(), |n| n.to_string());
                self.other.insert(bound);
            }),
            Stmt::ImportFrom(i) => i.names.iter().for_each(|a| {
                self.other.insert(a.asname.as_ref().unwrap_or(&a.name).to_string());
            }),
            Stmt::Match(_) => {
                // capture patterns bind names: not followed here
                self.other.insert("*".to_string());
                walk_stmt(self, stmt);
            }
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Named(n) => {
                names_in(&n.target, &mut self.other);
                walk_expr(self, expr);
            }
            // their own scopes
            Expr::Lambda(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {}
            _ => walk_expr(self, expr),
        }
    }
}

fn names_in(t: &Expr, out: &mut HashSet<String>) {
    match t {
        Expr::Name(n) => {
            out.insert(n.id.to_string());
        }
        Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => elts.iter().for_each(|e| names_in(e, out)),
        Expr::Starred(s) => names_in(&s.value, out),
        _ => {}
    }
}

/// A value no binding of it can type as an attribute of another object.
fn no_attribute_value(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => !matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "getattr"),
        Expr::NoneLiteral(_) | Expr::BooleanLiteral(_) | Expr::NumberLiteral(_) | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_) | Expr::FString(_) => true,
        _ => false,
    }
}

/// The targets of the self-copy stores in a function body (`params`: its parameters).
pub fn self_copies(body: &[Stmt], params: &[String]) -> HashSet<TextRange> {
    let mut b = Bindings::default();
    body.iter().for_each(|s| b.visit_stmt(s));
    if b.other.contains("*") {
        return HashSet::default();
    }
    let mut out = HashSet::default();
    for (range, x, a, n) in &b.stores {
        // `x` names one object throughout: a parameter never rebound, or bound once
        // outside any loop
        let once = match b.plain.get(x) {
            None => params.contains(x),
            Some(list) => list.len() == 1 && !list[0].1 && !params.contains(x),
        };
        if !once || b.other.contains(x) || b.other.contains(n) {
            continue;
        }
        let Some(values) = b.plain.get(n) else { continue };
        let copy = |e: &Expr| matches!(e, Expr::Attribute(at) if at.attr.as_str() == a && matches!(&*at.value, Expr::Name(r) if r.id.as_str() == x));
        let copies = values.iter().filter(|(e, _)| copy(e)).count();
        if copies >= 1 && values.iter().all(|(e, _)| copy(e) || no_attribute_value(e)) {
            out.insert(*range);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn copies(src: &str) -> usize {
        let parsed = ruff_python_parser::parse_module(src).expect("valid");
        let Some(Stmt::FunctionDef(f)) = parsed.syntax().body.first() else { panic!("a function") };
        let params: Vec<String> = f.parameters.iter_non_variadic_params().map(|p| p.parameter.name.to_string()).collect();
        self_copies(&f.body, &params).len()
    }

    #[test]
    fn a_value_read_from_the_same_object_is_a_self_copy() {
        // jinja2's `Loader.load`
        let src = "def load(bcc, env):\n    code = None\n    if bcc is not None:\n        bucket = bcc.get_bucket()\n        code = bucket.code\n    if code is None:\n        code = env.compile()\n    if bcc is not None and bucket.code is None:\n        bucket.code = code\n";
        assert_eq!(copies(src), 1);
        // a parameter never rebound
        assert_eq!(copies("def f(x):\n    n = x.a\n    x.a = n\n"), 1);
    }

    #[test]
    fn another_object_or_a_rebinding_is_no_self_copy() {
        for src in [
            // another object's attribute could be the value
            "def f(x, y):\n    n = x.a\n    if y:\n        n = y.a\n    x.a = n\n",
            "def f(x, y):\n    n = x.a\n    n = getattr(y, 'a')\n    x.a = n\n",
            "def f(x, y):\n    n = x.a\n    n = y\n    x.a = n\n",
            // `x` rebound, or bound in a loop (the value may be another iteration's object)
            "def f(x, y):\n    n = x.a\n    x = y\n    x.a = n\n",
            "def f(xs):\n    n = None\n    for i in xs:\n        x = i\n        if n is None:\n            n = x.a\n        else:\n            x.a = n\n",
            "def f(x, y):\n    n = x.a\n    for x in y:\n        x.a = n\n",
            // `n` bound another way
            "def f(x, y):\n    n = x.a\n    for n in y:\n        pass\n    x.a = n\n",
            "def f(x):\n    n = x.a\n    (n := x.b)\n    x.a = n\n",
            // another attribute of the same object
            "def f(x):\n    n = x.b\n    x.a = n\n",
        ] {
            assert_eq!(copies(src), 0, "{src}");
        }
    }
}
