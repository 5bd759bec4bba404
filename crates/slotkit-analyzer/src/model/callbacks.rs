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
//! A decorator *factory* works the same way once called: click's
//!
//! ```python
//! def make_pass_decorator(object_type: t.Type[T], ensure: bool = False
//! ) -> t.Callable[["t.Callable[te.Concatenate[T, P], R]"], "t.Callable[P, R]"]: ...
//!
//! pass_repo = click.make_pass_decorator(Repo)
//!
//! @pass_repo
//! def clone(repo, src):   # repo: a Repo
//! ```
//!
//! The factory's return annotation is a callable taking the decorated function; that
//! function's arguments are read off it, a TypeVar bound by a `Type[T]` parameter taking
//! the class passed there (an instance of it or of a subclass). The decorator is the call
//! itself (`@make_pass_decorator(Repo)`) or a name assigned the call, in the same scope,
//! an enclosing one, or another module (`from complex.cli import pass_environment`).
//!
//! Trusting that annotation is trusting annotations, as everywhere in the analysis: code
//! that calls the wrapped function with something else (through `__wrapped__`, say)
//! contradicts it. Positions the annotation does not name (the `P` of `Concatenate`,
//! `Callable[..., R]`), keyword-only parameters, methods, decorators that are calls
//! (`@app.route("/")`) or outside functions: anything, as before.

use ruff_python_ast::{self as ast, Expr, StmtFunctionDef};

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

/// What a decorator factory's decorator passes at one position: the class given for the
/// factory's parameter #n (`Type[T]`), or a type.
#[derive(Debug, Clone)]
pub enum FactoryArg {
    Param(usize),
    Ty(Ty),
}

/// `Type[T]` / `type[T]` (possibly quoted): `T`.
fn type_of_name(ann: &Expr) -> Option<String> {
    match ann {
        Expr::StringLiteral(s) => {
            let parsed = ruff_python_parser::parse_expression(s.value.to_str()).ok()?;
            type_of_name(parsed.expr())
        }
        Expr::Subscript(sub) => {
            let head = match &*sub.value {
                Expr::Name(n) => n.id.to_string(),
                Expr::Attribute(a) => a.attr.to_string(),
                _ => return None,
            };
            match (&*head, &*sub.slice) {
                ("Type" | "type", Expr::Name(n)) => Some(n.id.to_string()),
                _ => None,
            }
        }
        _ => None,
    }
}

impl TypeDefs {
    /// The module's functions returning `Callable[[Callable[[A, ...], R]], ...]` (a
    /// decorator factory): what the decorator passes, per position.
    pub fn factories(&self, table: &ImportTable) -> rustc_hash::FxHashMap<String, Vec<FactoryArg>> {
        let mut out = rustc_hash::FxHashMap::default();
        for (name, ret) in &self.returns {
            let Some(args) = self.decorator_args(table, ret, 0) else { continue };
            let params = self.param_anns.get(name).cloned().unwrap_or_default();
            let specs = args
                .iter()
                .map(|a| {
                    let bound = match a {
                        Expr::Name(n) if self.typevars.contains_key(n.id.as_str()) => params
                            .iter()
                            .position(|p| p.as_ref().and_then(type_of_name).as_deref() == Some(n.id.as_str())),
                        _ => None,
                    };
                    match bound {
                        Some(k) => FactoryArg::Param(k),
                        None => FactoryArg::Ty(self.ann(table, a, 1)),
                    }
                })
                .collect();
            out.insert(name.clone(), specs);
        }
        out
    }

    /// `Callable[[Callable[[A, B], R]], X]` (or `Concatenate`): `[A, B]`, unevaluated.
    fn decorator_args(&self, table: &ImportTable, ann: &Expr, depth: usize) -> Option<Vec<Expr>> {
        if depth > 4 {
            return None;
        }
        let callable_parts = |e: &Expr| -> Option<(Expr, Expr)> {
            let Expr::Subscript(s) = e else { return None };
            if last_segment(&table.qualify(&s.value)?) != "Callable" {
                return None;
            }
            let Expr::Tuple(t) = &*s.slice else { return None };
            Some((t.elts.first()?.clone(), t.elts.get(1)?.clone()))
        };
        let unquote = |e: &Expr| -> Option<Expr> {
            match e {
                Expr::StringLiteral(s) => Some(ruff_python_parser::parse_expression(s.value.to_str()).ok()?.expr().clone()),
                e => Some(e.clone()),
            }
        };
        let ann = unquote(ann)?;
        let (params, _) = callable_parts(&ann)?;
        let Expr::List(l) = params else { return None };
        let [inner] = l.elts.as_slice() else { return None };
        let (inner_params, _) = callable_parts(&unquote(inner)?)?;
        match inner_params {
            Expr::List(l) => Some(l.elts.clone()),
            Expr::Subscript(c) if last_segment(&table.qualify(&c.value)?) == "Concatenate" => match &*c.slice {
                Expr::Tuple(ct) => Some(ct.elts.split_last()?.1.to_vec()),
                _ => None,
            },
            _ => None,
        }
    }
}

impl super::extract::Walker<'_> {
    /// `name = factory(args)`: remember the factory call (a decorator may be that name).
    pub(super) fn note_factory_call(&mut self, a: &ast::StmtAssign) {
        let ([Expr::Name(n)], Expr::Call(c)) = (a.targets.as_slice(), &*a.value) else { return };
        let Some(call) = self.factory_call(c) else { return };
        let module_level = self.frames.len() == 1;
        let once = self.frames.last().is_some_and(|f| f.bind_counts.get(n.id.as_str()) == Some(&1));
        if module_level && self.recording && once {
            self.facts.factory_vars.insert(n.id.to_string(), call.clone());
        }
        if let Some(f) = self.frames.last_mut() {
            f.factory_calls.insert(n.id.to_string(), call);
        }
    }

    /// The factory call the innermost scope binding `name` assigned it, if that is its
    /// only binding there.
    fn factory_named(&self, name: &str) -> Option<(String, Vec<Ty>)> {
        let frame = self.frames.iter().rev().find(|f| {
            !matches!(f.kind, super::extract::FrameKind::Class(_))
                && (f.locals.contains_key(name) || f.all.contains_key(name) || f.bind_counts.contains_key(name))
        })?;
        if frame.bind_counts.get(name) != Some(&1) {
            return None;
        }
        frame.factory_calls.get(name).cloned()
    }

    /// A call of a dotted name with positional arguments only: (callee, argument types).
    fn factory_call(&self, c: &ast::ExprCall) -> Option<(String, Vec<Ty>)> {
        if c.arguments.args.iter().any(|a| matches!(a, Expr::Starred(_))) {
            return None;
        }
        let local = matches!(&*c.func, Expr::Name(n) if self.frames.iter().skip(1).any(|f| f.locals.contains_key(n.id.as_str()) || f.all.contains_key(n.id.as_str())));
        if local {
            return None;
        }
        let callee = self.facts.table.qualify(&c.func)?;
        Some((callee, c.arguments.args.iter().map(|a| self.expr_ty(a)).collect()))
    }

    /// The type of parameter #`pos` (a positional one, not `self`) of a decorated
    /// function that is not a method: what its innermost decorator passes there.
    pub(super) fn decorated_param(&self, func: &StmtFunctionDef, pos: usize) -> Option<Ty> {
        let innermost = func.decorator_list.last()?;
        if self.in_class_body().is_some() {
            return None;
        }
        let positional = func.parameters.posonlyargs.len() + func.parameters.args.len();
        if pos >= positional {
            return Some(unknown());
        }
        match &innermost.expression {
            // a name assigned a factory's call once, in the innermost scope binding it
            Expr::Name(n) if self.factory_named(n.id.as_str()).is_some() => {
                let (callee, args) = self.factory_named(n.id.as_str())?;
                Some(vec![Sym::FactoryCallback(callee, args, pos)])
            }
            e @ (Expr::Name(_) | Expr::Attribute(_)) => {
                let dotted = self.facts.table.qualify(e)?;
                Some(vec![Sym::Callback(dotted, pos)])
            }
            // `@make_pass_decorator(Repo)`
            Expr::Call(c) => match self.factory_call(c) {
                Some((callee, args)) => Some(vec![Sym::FactoryCallback(callee, args, pos)]),
                None => Some(unknown()),
            },
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
        // a module variable assigned a factory's call (`pass_environment = ...`)
        let found = found.or_else(|| {
            let (module, name) = dotted.rsplit_once('.')?;
            let module = self.project_module(module)?;
            let mid = *self.module_index.get(&module)?;
            let (callee, args) = self.modules.get(mid)?.factory_vars.get(name)?.clone();
            // not when other code may replace the variable (`model::namespace`)
            let writes = self.namespace_writes.get(&module).into_iter().chain(self.namespace_writes.get("*")).flatten();
            if writes.into_iter().any(|(_, n, _)| n.as_deref().is_none_or(|n| n == name)) {
                return None;
            }
            Some(self.factory_arg(mid, &callee, &args, pos, depth + 1))
        });
        found.unwrap_or_else(|| vec![Val::Unknown])
    }

    /// What the decorator `factory(args)` (typed in module `mid`) passes at position `pos`.
    pub(super) fn factory_arg(&self, mid: super::class::ModuleId, factory: &str, args: &[Ty], pos: usize, depth: usize) -> Vec<Val> {
        let found = self.canonical_function(factory).and_then(|canonical| {
            let (module, name) = canonical.rsplit_once('.')?;
            let fmid = *self.module_index.get(module)?;
            match self.modules.get(fmid)?.factories.get(name)?.get(pos)? {
                FactoryArg::Ty(ty) => Some(self.eval_ty(fmid, ty, depth + 1)),
                // `Type[T]`: instances of the class passed there
                FactoryArg::Param(k) => {
                    let given = self.eval_ty(mid, args.get(*k)?, depth + 1);
                    Some(given.into_iter().map(|v| match v {
                        Val::Class(c) => Val::Inst(c),
                        _ => Val::Unknown,
                    }).collect())
                }
            }
        });
        found.unwrap_or_else(|| vec![Val::Unknown])
    }
}
