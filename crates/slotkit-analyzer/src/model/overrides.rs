//! Unannotated parameters of an overriding method take the overridden method's
//! annotations.
//!
//! ```python
//! class BaseCommand:
//!     def parse_args(self, ctx: Context, args: list[str]) -> list[str]: ...
//!
//! class OptParseCommand(BaseCommand):
//!     def parse_args(self, ctx, args):
//!         ctx.args = args            # ctx: a Context
//! ```
//!
//! Code that calls `parse_args` on a `BaseCommand` passes what the base's annotation
//! asks for, and an override serves those calls; a caller that passes something else to
//! the subclass's method breaks the substitution principle the annotation states (this
//! is the inference pyright makes for unannotated overrides). Trusting it is trusting
//! annotations, as everywhere in the analysis.
//!
//! The parameter takes the union of what every project ancestor defining the method
//! annotates at the same position under the same name; anything when one of them does
//! not annotate it, names it differently, or when a class of the chain has a base
//! outside the project (which may define the method for outside callers). Only plain
//! instance methods and classmethods: static methods, properties and decorated methods
//! keep unknown parameters.

use ruff_python_ast::StmtFunctionDef;

use super::class::{ClassId, MemberKind};
use super::extract::Walker;
use super::flow::{push, Val};
use super::members::decorator_name;
use super::project::Project;
use super::ty::{Sym, Ty};

impl Walker<'_> {
    /// Is `func` a method of the class being walked that may override one (plain or a
    /// classmethod)?
    fn overridable(&self, func: &StmtFunctionDef) -> Option<usize> {
        let idx = self.in_class_body()?;
        let plain = func
            .decorator_list
            .iter()
            .all(|d| decorator_name(&self.facts.table, &d.expression) == "builtins.classmethod");
        plain.then_some(idx)
    }

    /// The type of unannotated parameter #`i` (0 is the receiver) of a method.
    pub(super) fn overriding_param(&self, func: &StmtFunctionDef, i: usize) -> Option<Ty> {
        let idx = self.overridable(func)?;
        let positional = func.parameters.posonlyargs.len() + func.parameters.args.len();
        if i == 0 || i >= positional {
            return None;
        }
        let name = func.parameters.iter_non_variadic_params().nth(i)?.parameter.name.to_string();
        Some(vec![Sym::Overridden(idx, func.name.to_string(), i - 1, name)])
    }

    /// Record the positional parameters of a method after its receiver, with their
    /// annotations, for the methods that override it.
    pub(super) fn note_method_params(&mut self, func: &StmtFunctionDef) {
        let Some(idx) = self.overridable(func) else { return };
        let params: Vec<_> = func
            .parameters
            .posonlyargs
            .iter()
            .chain(&func.parameters.args)
            .skip(1)
            .map(|p| {
                let ty = p.parameter.annotation.as_deref().map(|a| self.defs.annotation(&self.facts.table, a));
                (p.parameter.name.to_string(), ty)
            })
            .collect();
        if let Some(c) = self.facts.classes.get_mut(idx) {
            c.method_params.push((func.name.to_string(), params));
        }
    }
}

/// Does the one definition of method `m` in `class` have parameter `name` at `pos`?
fn annotated_name(class: &super::class::ClassInfo, m: &str, pos: usize, name: &str) -> bool {
    let defs: Vec<_> = class.method_params.iter().filter(|(n, _)| n == m).collect();
    matches!(defs.as_slice(), [(_, params)] if params.get(pos).is_some_and(|(n, _)| n == name))
}

impl Project {
    /// What the methods `cid`'s method `m` overrides annotate for its parameter (`pos`,
    /// `name`) (module docs).
    pub(super) fn overridden_param(&self, cid: ClassId, m: &str, pos: usize, name: &str, depth: usize) -> Vec<Val> {
        let chain: Vec<ClassId> = std::iter::once(cid).chain(crate::plan::ancestors(self, cid)).collect();
        let plain_bases = chain.iter().all(|k| self.plain_bases(*k));
        if !plain_bases {
            return vec![Val::Unknown];
        }
        let mut out = Vec::new();
        let mut found = false;
        for &k in chain.iter().skip(1) {
            let Some(class) = self.classes.get(k) else { continue };
            if class.member(m).is_none() {
                continue;
            }
            let annotated = class.member(m).is_some_and(|mm| mm.kind == MemberKind::Method)
                && class.method_params.iter().filter(|(n, _)| n == m).count() == 1;
            let ty = class
                .method_params
                .iter()
                .find(|(n, _)| n == m)
                .and_then(|(_, params)| params.get(pos))
                .filter(|(n, _)| annotated && n == name)
                .and_then(|(_, t)| t.as_ref());
            if depth > super::ty::MAX_DEPTH {
                self.memo.cut_short();
                return vec![Val::Unknown];
            }
            let vals = match ty {
                Some(ty) => self.eval_ty(class.module, ty, depth),
                // unannotated there too: what that method overrides (`depth` bounds it)
                None if annotated_name(class, m, pos, name) => self.overridden_param(k, m, pos, name, depth + 1),
                None => return vec![Val::Unknown],
            };
            found = true;
            for v in vals {
                push(&mut out, v);
            }
        }
        if !found {
            return vec![Val::Unknown];
        }
        out
    }
}
