//! Read-guarded stores: `v.a = x` where every path from the function's entry to the
//! store first *loads* `v.a` on the same, unchanged local variable `v`.
//!
//! Such a store cannot break a class `C` slotted without a slot `a`, unless `C` (or a class
//! of its MRO) defines `a` at class level or defines `__getattr__`/`__getattribute__`: for
//! an instance of the slotted `C`, the guarding load raises `AttributeError`, so the store is
//! never reached with it. (The load could only succeed through the instance `__dict__` the
//! fix removes; what put `a` there is another store of `a`, judged on its own: the first one
//! in time cannot be guarded.) `fix_safety` uses this to keep such stores on receivers of
//! unknown type from blocking every class that lacks the slot. See `docs/fix-safety.md`.
//!
//! The analysis is local and conservative: only function locals that no `global`,
//! `nonlocal` or `:=` can rebind behind the walk's back are tracked; facts flow through
//! straight-line code and into the branches a condition guards (with `and`/`or`/`not`
//! and `hasattr(v, "a")` understood), never out of loop, `try`, `with` or `match` bodies.

use rustc_hash::FxHashSet as HashSet;

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{self as ast, BoolOp, Expr, ExprContext, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

/// (variable, attribute) pairs known to have been loaded successfully.
type Facts = HashSet<(String, String)>;

/// Ranges of the attribute targets (`v.a` in `v.a = x`) of every read-guarded store in
/// the functions of `suite` (a module's body).
pub fn guarded_stores(suite: &[Stmt]) -> HashSet<TextRange> {
    let mut finder = Functions { out: HashSet::default() };
    for s in suite {
        finder.visit_stmt(s);
    }
    finder.out
}

/// Finds every function (methods and nested functions included) and analyses its body.
struct Functions {
    out: HashSet<TextRange>,
}

impl<'a> Visitor<'a> for Functions {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::FunctionDef(f) = stmt {
            let mut flow = Flow {
                unstable: unstable_names(&f.body),
                out: &mut self.out,
            };
            flow.block(&f.body, &mut Facts::default());
        }
        walk_stmt(self, stmt);
    }
}

struct Flow<'o> {
    unstable: HashSet<String>,
    out: &'o mut HashSet<TextRange>,
}

impl Flow<'_> {
    fn tracked<'e>(&self, e: &'e Expr) -> Option<&'e str> {
        match e {
            Expr::Name(n) if !self.unstable.contains(n.id.as_str()) => Some(n.id.as_str()),
            _ => None,
        }
    }

    fn block(&mut self, stmts: &[Stmt], facts: &mut Facts) {
        for s in stmts {
            self.stmt(s, facts);
        }
    }

    fn stmt(&mut self, stmt: &Stmt, facts: &mut Facts) {
        match stmt {
            Stmt::Expr(e) => self.eval(&e.value, facts),
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.eval(v, facts);
                }
            }
            Stmt::Assign(a) => {
                self.eval(&a.value, facts);
                for t in &a.targets {
                    self.store(t, facts);
                }
            }
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.eval(v, facts);
                    self.store(&a.target, facts);
                }
            }
            Stmt::AugAssign(a) => {
                // `v.a += x` loads `v.a` first: the store is guarded by its own load
                if let Expr::Attribute(t) = &*a.target {
                    self.eval(&t.value, facts);
                    if let Some(v) = self.tracked(&t.value) {
                        facts.insert((v.to_string(), t.attr.to_string()));
                    }
                    self.eval(&a.value, facts);
                    self.store(&a.target, facts);
                } else {
                    self.eval(&a.value, facts);
                    self.store(&a.target, facts);
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    kill_target(t, facts);
                }
            }
            Stmt::If(s) => {
                self.eval(&s.test, facts);
                let killed = bound_in(std::slice::from_ref(stmt));
                let mut body = facts.clone();
                body.extend(self.when(&s.test, true));
                self.block(&s.body, &mut body);
                let mut rest = facts.clone();
                rest.extend(self.when(&s.test, false));
                for clause in &s.elif_else_clauses {
                    if let Some(test) = &clause.test {
                        self.eval(test, &mut rest);
                        let mut branch = rest.clone();
                        branch.extend(self.when(test, true));
                        self.block(&clause.body, &mut branch);
                        rest.extend(self.when(test, false));
                    } else {
                        let mut branch = rest.clone();
                        self.block(&clause.body, &mut branch);
                    }
                }
                forget(facts, &killed);
            }
            Stmt::For(f) => {
                self.eval(&f.iter, facts);
                let killed = bound_in(std::slice::from_ref(stmt));
                forget(facts, &killed);
                self.block(&f.body, &mut facts.clone());
                self.block(&f.orelse, &mut facts.clone());
            }
            Stmt::While(w) => {
                let killed = bound_in(std::slice::from_ref(stmt));
                forget(facts, &killed);
                self.eval(&w.test, facts);
                let mut body = facts.clone();
                body.extend(self.when(&w.test, true));
                self.block(&w.body, &mut body);
                self.block(&w.orelse, &mut facts.clone());
                forget(facts, &killed);
            }
            Stmt::Try(t) => {
                let killed = bound_in(std::slice::from_ref(stmt));
                let mut body = facts.clone();
                self.block(&t.body, &mut body);
                self.block(&t.orelse, &mut body);
                forget(facts, &killed);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    self.block(&h.body, &mut facts.clone());
                }
                self.block(&t.finalbody, &mut facts.clone());
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.eval(&item.context_expr, facts);
                    if let Some(v) = &item.optional_vars {
                        self.store(v, facts);
                    }
                }
                let killed = bound_in(std::slice::from_ref(stmt));
                self.block(&w.body, &mut facts.clone());
                forget(facts, &killed);
            }
            Stmt::Match(m) => {
                self.eval(&m.subject, facts);
                // capture patterns bind names: start every case, and go on, knowing nothing
                facts.clear();
                for case in &m.cases {
                    self.block(&case.body, &mut Facts::default());
                }
            }
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) | Stmt::Import(_) | Stmt::ImportFrom(_) => {
                let killed = bound_in(std::slice::from_ref(stmt));
                forget(facts, &killed);
            }
            _ => {}
        }
    }

    /// A store to `target` after its value was evaluated.
    fn store(&mut self, target: &Expr, facts: &mut Facts) {
        match target {
            Expr::Attribute(a) => {
                self.eval(&a.value, facts);
                if let Some(v) = self.tracked(&a.value) {
                    if facts.contains(&(v.to_string(), a.attr.to_string())) {
                        self.out.insert(a.range());
                    }
                }
            }
            Expr::Name(n) => facts.retain(|(v, _)| v != n.id.as_str()),
            Expr::Tuple(t) => {
                for e in &t.elts {
                    self.store(e, facts);
                }
            }
            Expr::List(l) => {
                for e in &l.elts {
                    self.store(e, facts);
                }
            }
            Expr::Starred(s) => self.store(&s.value, facts),
            Expr::Subscript(s) => {
                self.eval(&s.value, facts);
                self.eval(&s.slice, facts);
            }
            _ => {}
        }
    }

    /// Record the loads that evaluating `e` always performs.
    fn eval(&mut self, e: &Expr, facts: &mut Facts) {
        facts.extend(self.sure(e));
    }

    /// The `(v, a)` loads that evaluating `e` performs on every path that completes.
    fn sure(&self, e: &Expr) -> Facts {
        let mut f = Facts::default();
        self.sure_into(e, &mut f);
        f
    }

    fn sure_into(&self, e: &Expr, f: &mut Facts) {
        match e {
            Expr::Attribute(a) if a.ctx == ExprContext::Load => {
                self.sure_into(&a.value, f);
                if let Some(v) = self.tracked(&a.value) {
                    f.insert((v.to_string(), a.attr.to_string()));
                }
            }
            Expr::Call(c) => {
                self.sure_into(&c.func, f);
                for a in &c.arguments.args {
                    self.sure_into(a, f);
                }
                for k in &c.arguments.keywords {
                    self.sure_into(&k.value, f);
                }
            }
            Expr::BoolOp(b) => {
                if let Some(first) = b.values.first() {
                    self.sure_into(first, f);
                }
            }
            Expr::Compare(c) => {
                self.sure_into(&c.left, f);
                if let Some(first) = c.comparators.first() {
                    self.sure_into(first, f);
                }
            }
            Expr::BinOp(b) => {
                self.sure_into(&b.left, f);
                self.sure_into(&b.right, f);
            }
            Expr::UnaryOp(u) => self.sure_into(&u.operand, f),
            Expr::If(i) => self.sure_into(&i.test, f),
            Expr::Subscript(s) => {
                self.sure_into(&s.value, f);
                self.sure_into(&s.slice, f);
            }
            Expr::Tuple(t) => t.elts.iter().for_each(|x| self.sure_into(x, f)),
            Expr::List(l) => l.elts.iter().for_each(|x| self.sure_into(x, f)),
            Expr::Set(s) => s.elts.iter().for_each(|x| self.sure_into(x, f)),
            Expr::Dict(d) => {
                for item in &d.items {
                    if let Some(k) = &item.key {
                        self.sure_into(k, f);
                    }
                    self.sure_into(&item.value, f);
                }
            }
            Expr::Starred(s) => self.sure_into(&s.value, f),
            Expr::Await(a) => self.sure_into(&a.value, f),
            Expr::Named(n) => self.sure_into(&n.value, f),
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.sure_into(part, f);
                }
            }
            // the first iterable of a comprehension is evaluated eagerly
            Expr::ListComp(c) => self.first_iter(&c.generators, f),
            Expr::SetComp(c) => self.first_iter(&c.generators, f),
            Expr::DictComp(c) => self.first_iter(&c.generators, f),
            Expr::Generator(c) => self.first_iter(&c.generators, f),
            _ => {}
        }
    }

    fn first_iter(&self, generators: &[ast::Comprehension], f: &mut Facts) {
        if let Some(g) = generators.first() {
            self.sure_into(&g.iter, f);
        }
    }

    /// The loads known to have happened when `e` evaluated to true (`truthy`) or false.
    fn when(&self, e: &Expr, truthy: bool) -> Facts {
        match e {
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => self.when(&u.operand, !truthy),
            // `a and b` is true when every operand was true; `a or b` false when every one was
            Expr::BoolOp(b) if (b.op == BoolOp::And) == truthy => {
                b.values.iter().flat_map(|v| self.when(v, truthy)).collect()
            }
            // `a and b` is false when some operand was the first false one: what every
            // such case has in common (the earlier operands true, this one false)
            Expr::BoolOp(b) => {
                let mut common: Option<Facts> = None;
                let mut before = Facts::default();
                for v in &b.values {
                    let mut case = before.clone();
                    case.extend(self.when(v, truthy));
                    common = Some(match common {
                        None => case,
                        Some(c) => c.intersection(&case).cloned().collect(),
                    });
                    before.extend(self.when(v, !truthy));
                }
                common.unwrap_or_default()
            }
            Expr::Call(c) if truthy && is_hasattr(c) => {
                let mut f = self.sure(e);
                if let ([obj, Expr::StringLiteral(name)], true) = (&*c.arguments.args, c.arguments.keywords.is_empty()) {
                    if let Some(v) = self.tracked(obj) {
                        f.insert((v.to_string(), name.value.to_str().to_string()));
                    }
                }
                f
            }
            _ => self.sure(e),
        }
    }
}

fn is_hasattr(c: &ast::ExprCall) -> bool {
    matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "hasattr")
}

fn forget(facts: &mut Facts, killed: &Killed) {
    facts.retain(|(v, a)| !killed.names.contains(v) && !killed.attrs.contains(&(v.clone(), a.clone())));
}

fn kill_target(t: &Expr, facts: &mut Facts) {
    match t {
        Expr::Name(n) => facts.retain(|(v, _)| v != n.id.as_str()),
        Expr::Attribute(a) => {
            if let Expr::Name(n) = &*a.value {
                facts.remove(&(n.id.to_string(), a.attr.to_string()));
            }
        }
        Expr::Tuple(t) => t.elts.iter().for_each(|e| kill_target(e, facts)),
        Expr::List(l) => l.elts.iter().for_each(|e| kill_target(e, facts)),
        _ => {}
    }
}

/// Names (re)bound or deleted, and `del v.a` done, anywhere in `stmts` (nested function
/// and class bodies excluded, their names included).
#[derive(Default)]
struct Killed {
    names: HashSet<String>,
    attrs: HashSet<(String, String)>,
}

fn bound_in(stmts: &[Stmt]) -> Killed {
    let mut k = Killed::default();
    for s in stmts {
        k.visit_stmt(s);
    }
    k
}

impl<'a> Visitor<'a> for Killed {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(f) => {
                self.names.insert(f.name.to_string());
            }
            Stmt::ClassDef(c) => {
                self.names.insert(c.name.to_string());
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let bound = a.asname.as_ref().unwrap_or(&a.name);
                    self.names.insert(bound.as_str().split('.').next().unwrap_or_default().to_string());
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    self.names.insert(a.asname.as_ref().unwrap_or(&a.name).to_string());
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    if let Expr::Attribute(a) = t {
                        if let Expr::Name(n) = &*a.value {
                            self.attrs.insert((n.id.to_string(), a.attr.to_string()));
                        }
                    }
                }
                walk_stmt(self, stmt);
            }
            Stmt::Try(t) => {
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        self.names.insert(n.to_string());
                    }
                }
                walk_stmt(self, stmt);
            }
            // capture patterns of a `match` are not collected: the flow clears every fact there
            _ => walk_stmt(self, stmt),
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Name(n) if n.ctx != ExprContext::Load => {
                self.names.insert(n.id.to_string());
            }
            Expr::Lambda(_) => {}
            _ => walk_expr(self, expr),
        }
    }
}

/// Locals a walk cannot follow: declared `global`/`nonlocal` here, declared `nonlocal` in
/// a nested function (a call may rebind them), or bound by `:=` anywhere.
fn unstable_names(body: &[Stmt]) -> HashSet<String> {
    struct Scan {
        names: HashSet<String>,
    }
    impl<'a> Visitor<'a> for Scan {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Global(g) => self.names.extend(g.names.iter().map(|n| n.to_string())),
                Stmt::Nonlocal(n) => self.names.extend(n.names.iter().map(|n| n.to_string())),
                _ => {}
            }
            walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::Named(n) = expr {
                if let Expr::Name(t) = &*n.target {
                    self.names.insert(t.id.to_string());
                }
            }
            walk_expr(self, expr);
        }
    }
    let mut scan = Scan { names: HashSet::default() };
    for s in body {
        scan.visit_stmt(s);
    }
    scan.names
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The source text of every guarded store target.
    fn guarded(src: &str) -> Vec<String> {
        let parsed = ruff_python_parser::parse_module(src).expect("parses");
        let mut found: Vec<String> = guarded_stores(&parsed.syntax().body)
            .into_iter()
            .map(|r| src[r].to_string() + "@" + &src[..r.start().to_usize()].lines().count().to_string())
            .collect();
        found.sort();
        found
    }

    #[test]
    fn a_load_before_the_store_guards_it() {
        let src = "def f(res):\n    if res.year is not None:\n        res.year = 1\n    res.month = 2\n";
        assert_eq!(guarded(src), vec!["res.year@3"]);
    }

    #[test]
    fn the_value_of_the_store_itself_may_guard_it() {
        assert_eq!(guarded("def f(r):\n    r.n = r.n + 1\n    r.m += 1\n"), vec!["r.m@3", "r.n@2"]);
    }

    #[test]
    fn short_circuits_are_followed() {
        let src = "def f(r):\n    if (r.off == 0 and not r.name) or (r.name == 'Z'):\n        r.name = 'UTC'\n        r.off = 0\n    elif r.off != 0 and r.name:\n        r.off = 1\n    if r.a or r.b:\n        r.b = 1\n    if hasattr(r, 'h'):\n        r.h = 1\n";
        assert_eq!(guarded(src), vec!["r.h@10", "r.name@3", "r.off@4", "r.off@6"]);
    }

    #[test]
    fn rebinding_forgets() {
        let src = "def f(r, rs):\n    r.a\n    r = g()\n    r.a = 1\n    r.b\n    for x in rs:\n        r.b = 1\n        r = h()\n    x.c\n    x.c = 2\n";
        // after `r = g()` the load of `r.a` says nothing; in the loop `r` is rebound later
        // in the body, so the back edge forgets `r.b`; `x` is the loop's target
        assert_eq!(guarded(src), vec!["x.c@10"]);
    }

    #[test]
    fn facts_do_not_leave_branches_loops_or_try() {
        let src = "def f(r, c):\n    if c:\n        r.a\n    r.a = 1\n    try:\n        r.b\n    except E:\n        r.b = 1\n    with m:\n        r.d\n    r.d = 1\n    while c:\n        r.e\n    r.e = 1\n";
        assert_eq!(guarded(src), Vec::<String>::new());
    }

    #[test]
    fn unstable_names_are_not_tracked() {
        let src = "def f(r):\n    global g\n    g.a\n    g.a = 1\n    r.b\n    (r := k())\n    r.b = 1\n\ndef h(v):\n    def inner():\n        nonlocal v\n        v = 0\n    v.c\n    inner()\n    v.c = 1\n";
        assert_eq!(guarded(src), Vec::<String>::new());
    }

    #[test]
    fn deleting_the_attribute_forgets_and_module_level_code_is_not_followed() {
        let src = "r.a\nr.a = 1\ndef f(r):\n    r.a\n    del r.a\n    r.a = 1\n";
        assert_eq!(guarded(src), Vec::<String>::new());
    }
}
