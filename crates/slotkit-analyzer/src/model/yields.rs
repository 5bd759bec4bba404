//! Does a function body yield (making the function a generator)? Nested functions,
//! lambdas and classes have their own bodies and do not count.

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, Stmt};

struct Finder {
    found: bool,
}

impl<'a> Visitor<'a> for Finder {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found || matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            return;
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_) => self.found = true,
            Expr::Lambda(_) => {}
            _ if !self.found => walk_expr(self, expr),
            _ => {}
        }
    }
}

/// `yield`, `yield from` or `await` directly in `body`.
pub fn contains_yield(body: &[Stmt]) -> bool {
    let mut f = Finder { found: false };
    body.iter().for_each(|s| f.visit_stmt(s));
    f.found
}
