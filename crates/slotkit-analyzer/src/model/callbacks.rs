//! Parameters of a decorated function, from what its decorator promises to pass.
//!
//! A `def` under decorators binds its name to what the decorators return: the function
//! itself is reachable only through the innermost decorator, which gets it as its first
//! argument. When that decorator is a project function whose first parameter is
//! annotated `Callable[[A, B], R]` (or `Callable[Concatenate[A, B, P], R]`), the
//! function's first parameters hold an `A` and a `B`: click's
//!
//! ```python
//! def pass_context(f: "t.Callable[te.Concatenate[Context, P], R]") -> "t.Callable[P, R]": ...
//!
//! @click.pass_context
//! def cli(ctx):
//!     ctx.obj = Foo()      # ctx: a Context
//! ```
//!
//! Trusting that annotation is trusting annotations, as everywhere in the analysis: code
//! that calls the wrapped function with something else (through `__wrapped__`, say)
//! contradicts it. Positions the annotation does not name (the `P` of `Concatenate`,
//! `Callable[..., R]`), keyword-only parameters, methods, decorators that are calls
//! (`@app.route("/")`) or outside functions: anything, as before.

use ruff_python_ast::{Expr, StmtFunctionDef};

use super::flow::Val;
use super::imports::ImportTable;
use super::project::Project;
use super::ty::{unknown, Sym, Ty, TypeDefs};

fn last_segment(d: &str) -> &str {
    d.rsplit('.').next().unwrap_or(d)
}

impl TypeDefs {
    /// The module's functions whose first parameter is annotated with a `Callable` that
    /// names its arguments: function -> the types of those arguments.
    pub fn callbacks(&self, table: &ImportTable) -> rustc_hash::FxHashMap<String, Vec<Ty>> {
        self.first_params
            .iter()
            .filter_map(|(name, ann)| Some((name.clone(), self.callable_args(table, ann, 0)?)))
            .collect()
    }

    /// `Callable[[A, B], R]` → `[A, B]`; `Callable[Concatenate[A, P], R]` → `[A]`;
    /// anything else (`Callable[..., R]`, `Callable[P, R]`, not a callable) → `None`.
    fn callable_args(&self, table: &ImportTable, ann: &Expr, depth: usize) -> Option<Vec<Ty>> {
        if depth > 4 {
            return None;
        }
        match ann {
            Expr::StringLiteral(s) => {
                let parsed = ruff_python_parser::parse_expression(s.value.to_str()).ok()?;
                self.callable_args(table, parsed.expr(), depth + 1)
            }
            Expr::Name(n) => self.aliases.get(n.id.as_str()).and_then(|a| self.callable_args(table, a, depth + 1)),
            Expr::Subscript(s) => {
                if last_segment(&table.qualify(&s.value)?) != "Callable" {
                    return None;
                }
                let Expr::Tuple(t) = &*s.slice else { return None };
                let args = match t.elts.first()? {
                    Expr::List(l) => l.elts.iter().collect::<Vec<_>>(),
                    Expr::Subscript(c) if last_segment(&table.qualify(&c.value)?) == "Concatenate" => match &*c.slice {
                        // the last argument is the ParamSpec
                        Expr::Tuple(ct) => ct.elts.split_last()?.1.iter().collect(),
                        _ => Vec::new(),
                    },
                    _ => return None,
                };
                Some(args.into_iter().map(|a| self.ann(table, a, 1)).collect())
            }
            _ => None,
        }
    }
}

impl super::extract::Walker<'_> {
    /// The type of parameter #`pos` (a positional one, not `self`) of a decorated
    /// function that is not a method: what its innermost decorator passes there.
    pub(super) fn decorated_param(&self, func: &StmtFunctionDef, pos: usize) -> Option<Ty> {
        let innermost = func.decorator_list.last()?;
        if self.in_class_body().is_some() {
            return None;
        }
        let positional = func.parameters.posonlyargs.len() + func.parameters.args.len();
        match &innermost.expression {
            e @ (Expr::Name(_) | Expr::Attribute(_)) if pos < positional => {
                let dotted = self.facts.table.qualify(e)?;
                Some(vec![Sym::Callback(dotted, pos)])
            }
            _ => Some(unknown()),
        }
    }
}

impl Project {
    /// What the decorator `dotted` passes at position `pos` of the function it decorates.
    pub(super) fn callback_arg(&self, dotted: &str, pos: usize, depth: usize) -> Vec<Val> {
        let found = self.canonical_function(dotted).and_then(|canonical| {
            let (module, name) = canonical.rsplit_once('.')?;
            let mid = *self.module_index.get(module)?;
            let ty = self.modules.get(mid)?.callbacks.get(name)?.get(pos)?;
            Some(self.eval_ty(mid, ty, depth + 1))
        });
        found.unwrap_or_else(|| vec![Val::Unknown])
    }
}
