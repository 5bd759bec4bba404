//! An attribute read right after it was stored holds the stored value.
//!
//! ```python
//! ctx.obj = Repo(home)
//! ctx.obj.verbose = verbose     # ctx.obj: the Repo just stored
//! ```
//!
//! Between the two statements nothing runs but the store itself and the load of
//! `ctx.obj` (the second statement's value is a name or a constant, evaluated first,
//! and no name can be rebound in between). The load gives back what was stored when
//! the attribute is a plain instance attribute of every class the receiver may be: no
//! class of the family defines the name at class level (a property or another
//! descriptor), none has `__setattr__`/`__getattribute__`, and none has a base outside
//! the project that could (`object`, `abc.ABC`, `typing.Generic` are fine). Otherwise,
//! or when the receiver may be an outside object or anything, the read gives what the
//! attribute gives anyway plus the stored value.
//!
//! Only direct siblings in one block pair up: `if c: ctx.obj = Foo()` followed by
//! `ctx.obj.title = ...` after the `if` is not narrowed (the `if` may not have run).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};
use rustc_hash::FxHashMap as HashMap;

use super::class::{ClassId, MemberKind};
use super::extract::Walker;
use super::flow::{push, Val};
use super::project::Project;
use super::ty::{Sym, Ty};

/// `a.x = <value>` followed directly by `a.x.y = <name or constant>`: the second
/// statement's range for the first's.
pub fn store_then_use(body: &[Stmt], out: &mut HashMap<TextRange, TextRange>) {
    for (i, stmt) in body.iter().enumerate() {
        if let (Some(path), Some(Stmt::Assign(next))) = (stored_path(stmt), body.get(i + 1)) {
            let inert = matches!(
                &*next.value,
                Expr::Name(_) | Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BooleanLiteral(_) | Expr::NoneLiteral(_)
            );
            let uses = matches!(next.targets.as_slice(), [Expr::Attribute(t)] if same_path(&t.value, path));
            if inert && uses {
                out.insert(stmt.range(), next.range());
            }
        }
        for inner in nested_bodies(stmt) {
            store_then_use(inner, out);
        }
    }
}

/// The target `a.x` of `a.x = v` (one target, `a` a name).
fn stored_path(stmt: &Stmt) -> Option<&ast::ExprAttribute> {
    let Stmt::Assign(a) = stmt else { return None };
    match a.targets.as_slice() {
        [Expr::Attribute(t)] if matches!(&*t.value, Expr::Name(_)) => Some(t),
        _ => None,
    }
}

fn same_path(e: &Expr, path: &ast::ExprAttribute) -> bool {
    let (Expr::Attribute(a), Expr::Name(base)) = (e, &*path.value) else { return false };
    a.attr.as_str() == path.attr.as_str() && matches!(&*a.value, Expr::Name(n) if n.id == base.id)
}

fn nested_bodies(stmt: &Stmt) -> Vec<&[Stmt]> {
    match stmt {
        Stmt::FunctionDef(f) => vec![&f.body],
        Stmt::ClassDef(c) => vec![&c.body],
        Stmt::If(s) => std::iter::once(&s.body[..]).chain(s.elif_else_clauses.iter().map(|c| &c.body[..])).collect(),
        Stmt::For(f) => vec![&f.body, &f.orelse],
        Stmt::While(w) => vec![&w.body, &w.orelse],
        Stmt::With(w) => vec![&w.body],
        Stmt::Try(t) => {
            let mut v: Vec<&[Stmt]> = vec![&t.body, &t.orelse, &t.finalbody];
            v.extend(t.handlers.iter().map(|ast::ExceptHandler::ExceptHandler(h)| &h.body[..]));
            v
        }
        Stmt::Match(m) => m.cases.iter().map(|c| &c.body[..]).collect(),
        _ => Vec::new(),
    }
}

impl Walker<'_> {
    /// Before a statement: the narrowing a store just before it left, if it is that
    /// store's partner (any other statement drops it).
    pub(super) fn take_stored_path(&mut self, stmt: &Stmt) -> Option<(String, Ty)> {
        let (next, key, ty) = self.pending_store.take()?;
        (next == stmt.range()).then_some((key, ty))
    }

    /// After `a.x = v` (typed `value`): remember it for its partner statement.
    pub(super) fn note_store(&mut self, stmt: &Stmt, value: &Ty) {
        let (Some(&next), Some(target)) = (self.store_pairs.get(&stmt.range()), stored_path(stmt)) else { return };
        let base = self.expr_ty(&target.value);
        let key = self.source.get(target.range().start().to_usize()..target.range().end().to_usize()).unwrap_or("");
        let ty = vec![Sym::Stored(base, target.attr.to_string(), value.clone())];
        self.pending_store = Some((next, key.to_string(), ty));
    }
}

impl Project {
    /// Attribute `name` of `base` right after `value` was stored there (module docs).
    pub(super) fn stored_attr(&self, mid: super::class::ModuleId, base: &Ty, name: &str, value: &Ty, depth: usize) -> Vec<Val> {
        let receivers = self.eval_ty(mid, base, depth);
        let mut out = self.eval_ty(mid, value, depth);
        let plain = !receivers.is_empty()
            && receivers.iter().all(|v| matches!(v, Val::Inst(c) if self.plain_attribute(*c, name)));
        if !plain {
            for s in base {
                for v in self.eval_sym(mid, &Sym::Attr(Box::new(s.clone()), name.to_string()), depth) {
                    push(&mut out, v);
                }
            }
        }
        out
    }

    /// Is `name` a plain instance attribute on every instance typed `cid` (module docs)?
    fn plain_attribute(&self, cid: ClassId, name: &str) -> bool {
        if name.starts_with("__") {
            return false;
        }
        self.family(cid).into_iter().all(|k| {
            let Some(class) = self.classes.get(k) else { return false };
            let member_ok = class.member(name).is_none_or(|m| m.kind == MemberKind::Annotation);
            let bases_ok = self.plain_bases(k);
            member_ok && bases_ok && class.attr_hooks.is_empty() && !class.late_class_attrs.iter().any(|n| n == name)
        })
    }
}
