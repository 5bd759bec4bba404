//! `isinstance` narrowing of a path: `if isinstance(v[0], T): v[0].attr = x`.
//!
//! Names are narrowed for the whole body of the `if` (`Walker::walk_if_body`); an item
//! or attribute path (`v[0]`, `v["k"]`, `v.a`, on a name) can change under any code that
//! runs, so it is narrowed for the first statement of the body only, and only when that
//! statement is an assignment whose value runs no code before the target is evaluated (a
//! name or a constant): pyparsing's `if isinstance(v[0], ParseResults): v[0]._parent =
//! self`. The path may still be evaluated twice (its `__getitem__` may give another
//! object each time); a `__getitem__` returning objects of changing types is not seen.

use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::extract::Walker;
use super::ty::Ty;

/// `v[<constant>]` or `v.a` with `v` a name.
fn is_path(e: &Expr) -> bool {
    match e {
        Expr::Subscript(s) => {
            matches!(&*s.value, Expr::Name(_))
                && matches!(&*s.slice, Expr::NumberLiteral(_) | Expr::StringLiteral(_))
        }
        Expr::Attribute(a) => matches!(&*a.value, Expr::Name(_)),
        _ => false,
    }
}

/// A value whose evaluation runs no user code.
fn inert_value(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Name(_) | Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_)
    )
}

impl Walker<'_> {
    /// The source text of `e`.
    fn text_of(&self, e: &Expr) -> &str {
        self.source.get(e.range().start().to_usize()..e.range().end().to_usize()).unwrap_or("")
    }

    /// Walk the first statement of an `if isinstance(<path>, T):` body with the path
    /// narrowed to `T`, when that is sound (module docs); `false` if not applicable.
    pub(super) fn walk_first_with_path_narrowed(&mut self, test: &Expr, body: &[Stmt]) -> bool {
        let Expr::Call(c) = test else { return false };
        let is_isinstance = matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "isinstance" && !self.is_local("isinstance"));
        let (Some(path), Some(t), true) = (c.arguments.args.first(), c.arguments.args.get(1), is_isinstance) else {
            return false;
        };
        let Some(Stmt::Assign(first)) = body.first() else { return false };
        if !is_path(path) || !inert_value(&first.value) {
            return false;
        }
        let ty: Ty = self.defs.annotation(&self.facts.table, t);
        let key = self.text_of(path).to_string();
        self.narrowed_path = Some((key, ty));
        self.enter_branch(1);
        self.visit_stmt(&body[0]);
        self.narrowed_path = None;
        body[1..].iter().for_each(|s| self.visit_stmt(s));
        self.enter_branch(-1);
        true
    }

    /// The narrowed type of `e`, if it is the narrowed path.
    pub(super) fn narrowed_path_ty(&self, e: &Expr) -> Option<Ty> {
        let (key, ty) = self.narrowed_path.as_ref()?;
        (is_path(e) && self.text_of(e) == key).then(|| ty.clone())
    }
}
