//! Uses of an instance `__dict__` that put no attribute into it.
//!
//! Every `x.__dict__` / `vars(x)` is a use that blocks the class of `x` (it needs a
//! `__dict__`). Most of them also *open* the class's attributes: code holding the dict
//! can store any name with any value, so attribute reads on that class family are of
//! unknown type (`docs/fix-safety.md`). Two shapes are exempt from opening:
//!
//! - **reads**: the dict is only read where it appears (`dict(x.__dict__)`,
//!   `x.__dict__.copy()` / `.items()` / `.keys()` / `.values()` / `.get(k)`, `k in
//!   x.__dict__`, `x.__dict__[k]` as a value, the argument of `y.__dict__.update(...)`);
//! - **copies**: `y.__dict__.update(x.__dict__)` gives `y` the attributes of `x`, with
//!   the values `x`'s attributes hold: the copy is resolved when the project is linked
//!   (`Project::attribute_round`), so `Frame.copy()`'s `rv.__dict__.update(self.__dict__)`
//!   adds nothing to the `Frame` family it copies within.
//!
//! The dict's object is a real `dict` here (an instance `__dict__`, or what `vars()`
//! returns), so these methods are `dict`'s own.

use ruff_python_ast::{self as ast, CmpOp, Expr, ExprContext};
use ruff_text_size::Ranged;

use super::extract::Walker;

/// `dict` methods that read the dict without changing it.
const READ_METHODS: &[&str] = &["copy", "items", "keys", "values", "get", "__contains__", "__getitem__"];

impl Walker<'_> {
    /// The instance whose `__dict__` `e` is (`x.__dict__`, `vars(x)`), if it is one.
    fn dict_owner<'e>(&self, e: &'e Expr) -> Option<&'e Expr> {
        match e {
            Expr::Attribute(a) if a.attr.as_str() == "__dict__" => Some(&a.value),
            Expr::Call(c) if c.arguments.args.len() == 1 && c.arguments.keywords.is_empty() => {
                let is_vars = self.is_builtin_name(&c.func, "vars");
                match (is_vars, c.arguments.args.first()) {
                    (true, Some(Expr::Starred(_))) | (false, _) | (true, None) => None,
                    (true, Some(a)) => Some(a),
                }
            }
            _ => None,
        }
    }

    /// Before the children of `expr` are walked: note the dicts in it that are only read
    /// (an instance `__dict__` or `vars(x)`, and `globals()`, whose reads write nothing
    /// into the module: `model::namespace`), and the copies from one instance's
    /// `__dict__` to another's.
    pub(super) fn note_dict_reads(&mut self, expr: &Expr) {
        for read in read_positions(self, expr) {
            if self.dict_owner(read).is_some() {
                self.inert_dicts.insert(read.range());
            } else if matches!(read, Expr::Call(c) if c.arguments.is_empty() && self.is_builtin_name(&c.func, "globals")) {
                self.read_only_globals.insert(read.range());
            }
        }
        if let Expr::Call(c) = expr {
            let args = &c.arguments.args;
            if let Expr::Attribute(a) = &*c.func {
                let only = args.len() == 1 && c.arguments.keywords.is_empty();
                if let (true, true, Some(owner)) = (a.attr.as_str() == "update", only, self.dict_owner(&a.value)) {
                    if let Some(src) = args.first().and_then(|s| self.dict_owner(s).map(|o| (s, o))) {
                        let ty = self.expr_ty(src.1);
                        self.inert_dicts.insert(src.0.range());
                        self.dict_copies.insert(a.value.range(), ty);
                    } else if let Some(idx) = args.first().and_then(|s| self.setstate_copy(&self.expr_ty(owner), s)) {
                        // a pickled state copied back (`model::setstate`)
                        self.dict_copies.insert(a.value.range(), vec![super::ty::Sym::This(idx)]);
                        if self.recording {
                            if let Some(c) = self.facts.classes.get_mut(idx) {
                                c.setstate_copy = true;
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The subexpressions of `expr` that are only read there if they are dicts: the receiver
/// of a reading method, the argument of `dict(...)`, the right side of `in`/`not in`, the
/// value of an item read.
fn read_positions<'e>(w: &Walker<'_>, expr: &'e Expr) -> Vec<&'e Expr> {
    match expr {
        Expr::Call(c) => {
            let args = &c.arguments.args;
            let only = args.len() == 1 && c.arguments.keywords.is_empty();
            let mut out = Vec::new();
            if let Expr::Attribute(a) = &*c.func {
                if READ_METHODS.contains(&a.attr.as_str()) {
                    out.push(&*a.value);
                }
            }
            if only && w.is_builtin_name(&c.func, "dict") {
                out.extend(args.first());
            }
            out
        }
        Expr::Compare(cmp) => cmp
            .ops
            .iter()
            .zip(cmp.comparators.iter())
            .filter(|(op, _)| matches!(op, CmpOp::In | CmpOp::NotIn))
            .map(|(_, right)| right)
            .collect(),
        Expr::Subscript(ast::ExprSubscript { value, ctx: ExprContext::Load, .. }) => vec![&**value],
        _ => Vec::new(),
    }
}
