//! Statements and expressions: assignments, loops, branches, comprehensions and the
//! uses they make of instances.

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::Ranged;

use super::class::UseKind;
use super::extract::Walker;
use super::ty::{elements, Sym};

impl<'a> Visitor<'a> for Walker<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let stored = self.take_stored_path(stmt);
        match stmt {
            Stmt::ClassDef(c) => return self.visit_class(c),
            Stmt::FunctionDef(f) => return self.visit_function(f),
            Stmt::Assign(a) => {
                self.visit_expr(&a.value);
                let ty = self.expr_ty(&a.value);
                let narrowed = match (stored, &self.narrowed_path) {
                    (Some(s), None) => {
                        self.narrowed_path = Some(s);
                        true
                    }
                    _ => false,
                };
                if let (Some(idx), [Expr::Name(n)]) = (self.in_class_body(), a.targets.as_slice()) {
                    if self.recording {
                        if let Some(c) = self.facts.classes.get_mut(idx) {
                            c.attr_types.push((n.id.to_string(), ty.clone()));
                        }
                    }
                }
                for t in &a.targets {
                    self.assign(t, &ty, Some(&a.value));
                    self.visit_target_subexprs(t);
                }
                if narrowed {
                    self.narrowed_path = None;
                }
                self.note_store(stmt, &ty);
                self.note_factory_call(a);
                return;
            }
            Stmt::AnnAssign(a) => {
                let mut ty = self.defs.annotation(&self.facts.table, &a.annotation);
                if let Some(v) = &a.value {
                    self.visit_expr(v);
                    // `missing: Any = object()` outside a class body: the annotation says
                    // nothing, the value is what the name holds here
                    if ty.contains(&Sym::Unknown) && self.in_class_body().is_none() {
                        ty = self.expr_ty(v);
                    }
                }
                match (&*a.target, self.in_class_body()) {
                    (Expr::Name(n), Some(idx)) => {
                        if self.recording {
                            if let Some(c) = self.facts.classes.get_mut(idx) {
                                c.attr_types.push((n.id.to_string(), ty));
                            }
                        }
                    }
                    (t, _) => {
                        self.assign(t, &ty, a.value.as_deref());
                        self.visit_target_subexprs(t);
                    }
                }
                return;
            }
            Stmt::AugAssign(a) => {
                self.visit_expr(&a.value);
                let ty = self.expr_ty(&a.value);
                if let Expr::Name(n) = &*a.target {
                    self.grow(n.id.as_str(), ty.clone());
                }
                self.assign(&a.target, &ty, None);
                self.visit_target_subexprs(&a.target);
                return;
            }
            Stmt::For(f) => {
                self.visit_expr(&f.iter);
                let ty = elements(&self.expr_ty(&f.iter));
                self.enter_branch(1);
                self.assign(&f.target, &ty, None);
                self.enter_branch(-1);
                self.visit_target_subexprs(&f.target);
                self.walk_loop_body(&f.body);
                self.walk_branch(&f.orelse);
                return;
            }
            Stmt::While(w) => {
                self.visit_expr(&w.test);
                self.walk_loop_body(&w.body);
                self.walk_branch(&w.orelse);
                return;
            }
            Stmt::Try(t) => {
                self.walk_branch(&t.body);
                for h in &t.handlers {
                    self.enter_branch(1);
                    self.visit_except_handler(h);
                    self.enter_branch(-1);
                }
                self.walk_branch(&t.orelse);
                self.walk_branch(&t.finalbody);
                return;
            }
            Stmt::Match(_) => {
                self.enter_branch(1);
                walk_stmt(self, stmt);
                self.enter_branch(-1);
                return;
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(v) = &item.optional_vars {
                        // what `__enter__` returns: a project instance's (annotated or
                        // inferred), resolved when linking; anything else may return anything
                        let entered: super::ty::Ty = if w.is_async {
                            super::ty::unknown()
                        } else {
                            let mut t = Vec::new();
                            for s in self.expr_ty(&item.context_expr) {
                                let e = if super::exprs::lazy(&s) {
                                    vec![Sym::Ret(Box::new(s), "__enter__".into())]
                                } else {
                                    super::ty::unknown()
                                };
                                super::ty::union_into(&mut t, e);
                            }
                            if t.is_empty() { super::ty::unknown() } else { t }
                        };
                        self.assign(v, &entered, None);
                        self.visit_target_subexprs(v);
                    }
                }
                for s in &w.body {
                    self.visit_stmt(s);
                }
                return;
            }
            Stmt::If(s) => {
                let tc = self
                    .facts
                    .table
                    .qualify(&s.test)
                    .is_some_and(|d| d.ends_with("TYPE_CHECKING"));
                self.visit_expr(&s.test);
                self.type_checking += usize::from(tc);
                self.walk_if_body(&s.test, &s.body);
                self.type_checking -= usize::from(tc);
                let mut tests: Vec<&Expr> = vec![&s.test];
                for clause in &s.elif_else_clauses {
                    // not an instance of what an earlier clause tested
                    self.walk_else_body(&tests, |w| match &clause.test {
                        Some(t) => {
                            w.visit_expr(t);
                            w.walk_if_body(t, &clause.body);
                        }
                        None => w.walk_branch(&clause.body),
                    });
                    if let Some(t) = &clause.test {
                        tests.push(t);
                    }
                }
                return;
            }
            Stmt::Return(r) => {
                if let Some(v) = &r.value {
                    self.visit_expr(v);
                }
                if self.recording {
                    let ty = r.value.as_deref().map(|v| self.expr_ty(v)).unwrap_or_default();
                    if let Some(Some(acc)) = self.returns_stack.last_mut() {
                        super::ty::union_into(acc, ty);
                    }
                }
                return;
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.visit_target_subexprs(t);
                }
                return;
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_except_handler(&mut self, handler: &'a ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(h) = handler;
        if let Some(t) = &h.type_ {
            self.visit_expr(t);
        }
        if let (Some(name), Some(t)) = (&h.name, &h.type_) {
            let ty = self.defs.annotation(&self.facts.table, t);
            self.bind(name.as_str(), ty);
        }
        for s in &h.body {
            self.visit_stmt(s);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.note_dict_reads(expr);
        if let Expr::Call(c) = expr {
            self.note_callee(&c.func);
            self.note_module_table_call(c);
        }
        self.note_private_ref(expr);
        self.note_class_of(expr);
        match expr {
            Expr::Attribute(a) => {
                if a.attr.as_str() == "__dict__" {
                    self.note_namespace_store(&a.value, None, None);
                    let r = self.expr_ty(&a.value);
                    let copied_from = self.dict_copies.get(&a.range()).cloned();
                    self.record(&r, UseKind::Dict, a.range(), copied_from.as_ref());
                } else if a.ctx == ExprContext::Load && self.recording {
                    let r = self.expr_ty(&a.value);
                    for s in r {
                        if let Sym::This(idx) = s {
                            if let Some(c) = self.facts.classes.get_mut(idx) {
                                c.reads.push(a.attr.to_string());
                            }
                        }
                    }
                }
                if a.ctx == ExprContext::Load {
                    // `pkg.mod.Class` passed around or called
                    self.note_class_ref(expr);
                }
                if let Expr::Name(n) = &*a.value {
                    // `Class.attr` does not pass the class around, but `Class.create()`
                    // may instantiate it: kept to check against its methods
                    if self.recording {
                        for s in self.lookup(n.id.as_str()) {
                            if matches!(s, Sym::LocalCls(_) | Sym::NamedCls(_) | Sym::Global(_)) {
                                self.facts.class_attr_refs.push((s, a.attr.to_string()));
                            }
                        }
                    }
                    return;
                }
            }
            Expr::Call(c) => self.visit_call(c),
            Expr::Lambda(l) => return self.visit_lambda(l),
            Expr::Yield(y) if self.recording => {
                let ty = y.value.as_deref().map(|v| self.expr_ty(v)).unwrap_or_default();
                if let Some(Some(acc)) = self.yields_stack.last_mut() {
                    super::ty::union_into(acc, ty);
                }
            }
            Expr::YieldFrom(_) if self.recording => {
                if let Some(Some(acc)) = self.yields_stack.last_mut() {
                    super::ty::union_into(acc, super::ty::unknown());
                }
            }
            Expr::Name(n) if n.ctx == ExprContext::Load => {
                if n.id.as_str() == "__class__" {
                    if let Some(idx) = self.method_class() {
                        if self.recording {
                            if let Some(c) = self.facts.classes.get_mut(idx) {
                                c.class_cell_uses.push(n.range());
                            }
                        }
                    }
                }
                self.note_class_ref(expr);
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. }) => {
                // the targets are the comprehension's own names: what the enclosing
                // scope's names of the same spelling hold is back afterwards
                let saved = self.save_targets(generators);
                self.bind_generators(generators);
                walk_expr(self, expr);
                self.restore_targets(saved);
                return;
            }
            Expr::Named(n) => {
                let ty = self.expr_ty(&n.value);
                self.assign(&n.target, &ty, Some(&n.value));
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

/// `isinstance(name, T)` alone: (name, T).
pub(super) fn isinstance_call(test: &Expr) -> Option<(&str, &Expr)> {
    match test {
        Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "isinstance") => {
            match (c.arguments.args.first(), c.arguments.args.get(1)) {
                (Some(Expr::Name(n)), Some(t)) => Some((n.id.as_str(), t)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `isinstance(name, T)`, alone or in an `and` chain: (name, T).
pub(super) fn narrowing(test: &Expr) -> Option<(&str, &Expr)> {
    match test {
        Expr::Call(_) => isinstance_call(test),
        Expr::BoolOp(b) if b.op == ast::BoolOp::And => b.values.iter().find_map(narrowing),
        _ => None,
    }
}

impl Walker<'_> {
    /// What the innermost scope binds to the names comprehension targets use.
    fn save_targets(&self, generators: &[ast::Comprehension]) -> Vec<(String, Option<super::ty::Ty>)> {
        fn names<'e>(e: &'e Expr, out: &mut Vec<&'e str>) {
            match e {
                Expr::Name(n) => out.push(n.id.as_str()),
                Expr::Tuple(t) => t.elts.iter().for_each(|x| names(x, out)),
                Expr::List(l) => l.elts.iter().for_each(|x| names(x, out)),
                Expr::Starred(s) => names(&s.value, out),
                _ => {}
            }
        }
        let mut targets = Vec::new();
        generators.iter().for_each(|g| names(&g.target, &mut targets));
        let frame = self.frames.last();
        targets
            .into_iter()
            .map(|n| (n.to_string(), frame.and_then(|f| f.locals.get(n).cloned())))
            .collect()
    }

    fn restore_targets(&mut self, saved: Vec<(String, Option<super::ty::Ty>)>) {
        if let Some(frame) = self.frames.last_mut() {
            for (name, old) in saved {
                match old {
                    Some(t) => frame.locals.insert(name, t),
                    None => frame.locals.remove(&name),
                };
            }
        }
    }

    /// Bind comprehension targets to the elements of their iterables.
    pub fn bind_generators(&mut self, generators: &[ast::Comprehension]) {
        for g in generators {
            let ty = elements(&self.expr_ty(&g.iter));
            self.assign(&g.target, &ty, None);
        }
    }

    /// A class object referenced as a value (called, passed, stored): it may be instantiated.
    fn note_class_ref(&mut self, expr: &Expr) {
        if !self.recording {
            return;
        }
        for s in self.expr_ty(expr) {
            if matches!(s, Sym::LocalCls(_) | Sym::NamedCls(_) | Sym::Global(_)) {
                self.facts.class_refs.push(s);
            }
        }
    }

    /// Visit the expressions inside assignment targets (subscripts, attribute bases).
    fn visit_target_subexprs(&mut self, target: &Expr) {
        match target {
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.visit_target_subexprs(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.visit_target_subexprs(e)),
            Expr::Starred(s) => self.visit_target_subexprs(&s.value),
            Expr::Attribute(a) => self.visit_expr(&a.value),
            Expr::Subscript(s) => {
                self.visit_expr(&s.value);
                self.visit_expr(&s.slice);
            }
            _ => {}
        }
    }
}
