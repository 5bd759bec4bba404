//! `self.__dict__.update(state)` in `__setstate__(self, state)`.
//!
//! `pickle` and `copy` call `__setstate__` with the state the object's class made when it
//! was pickled or copied: unless some class of the family (or an outside base) defines
//! `__getstate__`, `__reduce__` or `__reduce_ex__`, that is the instance `__dict__` of an
//! object of the same family (`object.__reduce_ex__`). Copying it back gives the instance
//! no attribute the family does not already have, like `Frame.copy()`'s
//! `rv.__dict__.update(self.__dict__)` (`model::dict_reads`). Without this, cachetools'
//! `TTLCache.__setstate__` made every attribute of `TTLCache` anything, so each store on
//! its linked list's `root.prev` was an unknown use reaching every class.
//!
//! Also not when the project calls `__setstate__` itself (`super().__setstate__(state)`
//! included: the state is then what that code passes), or when some project class's
//! `__reduce__`/`__reduce_ex__` may return a state (a tuple of three or more items), which
//! pickle hands to the `__setstate__` of whatever class that tuple names.
//!
//! The use still needs the `__dict__` (the class keeps it); only the opening of its
//! attributes is avoided. The state is the one pickle hands in: pickled data made outside
//! the analysed code is outside this (`docs/fix-safety.md`, Limits).

use ruff_python_ast::{self as ast, Expr};

use super::class::ClassId;
use super::extract::{FrameKind, Walker};
use super::project::{BaseTarget, Project};
use super::ty::Sym;

/// Methods by which a class pickles its own way: the state may be anything then.
const OWN_PICKLING: &[&str] = &["__getstate__", "__reduce__", "__reduce_ex__"];

impl Walker<'_> {
    /// The `state` parameter when the innermost scope is `__setstate__(self, state)` of a
    /// class and the body never rebinds it.
    pub(super) fn setstate_param(&self, func: &ast::StmtFunctionDef) -> Option<String> {
        if func.name.as_str() != "__setstate__" || self.in_class_body().is_none() || !func.decorator_list.is_empty() {
            return None;
        }
        let mut params = func.parameters.iter_non_variadic_params();
        let (_, state) = (params.next()?, params.next()?);
        Some(state.parameter.name.to_string())
    }

    /// `self.__dict__.update(state)` (or `vars(self).update(state)`) where `receiver` is
    /// the `__dict__` expression and `arg` the argument: the class index of `self` when it
    /// is the copy back of a pickled state.
    pub(super) fn setstate_copy(&self, receiver_ty: &[Sym], arg: &Expr) -> Option<usize> {
        let frame = self.frames.last()?;
        let FrameKind::Function { method_of: Some(idx) } = frame.kind else { return None };
        let state = frame.setstate_param.as_deref()?;
        let Expr::Name(n) = arg else { return None };
        let untouched = !frame.bind_counts.contains_key(state) && !frame.rebinds.contains(state);
        (n.id.as_str() == state && untouched && receiver_ty == [Sym::This(idx)]).then_some(idx)
    }
}

impl Project {
    /// Does some class of `cid`'s family (its project bases, itself, its subclasses), or an
    /// outside base other than `object`, an ABC or `Generic`, pickle its own way?
    pub(super) fn pickles_its_own_way(&self, cid: ClassId) -> bool {
        let called = !self.sites_of(&super::private_calls::method_key("__setstate__")).is_empty()
            || self.open_names.contains("__setstate__");
        if called || self.classes.iter().any(|c| c.reduce_with_state) {
            return true;
        }
        let mut family = self.descendants(cid);
        let mut stack = vec![cid];
        while let Some(c) = stack.pop() {
            family.push(c);
            for b in self.bases.get(c).map_or(&[][..], |v| v.as_slice()) {
                match b {
                    BaseTarget::Project(p) if !family.contains(p) => stack.push(*p),
                    BaseTarget::Project(_) => {}
                    BaseTarget::External(d) if plain_outside_base(d) => {}
                    _ => return true,
                }
            }
        }
        family
            .iter()
            .filter_map(|k| self.classes.get(*k))
            .any(|k| k.members.iter().any(|m| OWN_PICKLING.contains(&m.name.as_str())))
    }
}

/// May a `__reduce__` body return a state: a `return` other than a tuple of at most two
/// items (`(cls, args)`), nested scopes aside?
pub fn returns_a_state(body: &[ast::Stmt]) -> bool {
    use ruff_python_ast::visitor::{walk_stmt, Visitor};
    struct Returns(bool);
    impl<'a> Visitor<'a> for Returns {
        fn visit_stmt(&mut self, stmt: &'a ast::Stmt) {
            match stmt {
                ast::Stmt::FunctionDef(_) | ast::Stmt::ClassDef(_) => {}
                ast::Stmt::Return(r) => {
                    let pair = matches!(r.value.as_deref(), Some(Expr::Tuple(t)) if t.elts.len() <= 2 && !t.elts.iter().any(|e| matches!(e, Expr::Starred(_))));
                    self.0 |= !pair;
                }
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut v = Returns(false);
    body.iter().for_each(|s| v.visit_stmt(s));
    v.0
}

/// Outside bases that pickle as `object` does.
fn plain_outside_base(dotted: &str) -> bool {
    crate::fix_safety::PLAIN_BASES.contains(&dotted)
        || dotted.starts_with("collections.abc.")
}
