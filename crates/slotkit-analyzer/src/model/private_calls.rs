//! Private module-level functions are called by the project only.
//!
//! An unannotated parameter of a module-level function holds what its call sites in the
//! project pass, and also what callers outside the project may pass (anything): that
//! second part is `Sym::Arg(f, OUTSIDE_CALLERS, _)`. For a *private* function (`_name`,
//! not a dunder) whose name never escapes, there are no outside callers: the parameter
//! holds only what the project passes (pyparsing's `_makeTags(tagStr, xml,
//! suppress_LT=Suppress("<"), ...)`). Trusting the underscore convention is like trusting
//! annotations: code outside the project that calls a private function anyway is not
//! seen.
//!
//! The name escapes (so the function may be called from anywhere) when it is used other
//! than as the callee of a call by name: passed or stored as a value, reached as a module
//! attribute (`helpers._f`, call or not: attribute calls are not call sites here),
//! decorated (the decorator gets the function), or listed in `__all__`.
//!
//! Private plain methods likewise (`dateutil`'s `self._parse_numeric_token(tokens, idx,
//! info, ymd, res, fuzzy)`): a call `x._m(a, b)` anywhere in the project, whatever `x`,
//! gives `_m`'s second and third parameters `a` and `b` (matched by name: any class's
//! `_m`). Not when `x` may be a class object (`C._m(obj, a)` starts at `self`), and not
//! at all once the name escapes: `self._m` not called, `getattr(x, "_m")`, `alias = _m`
//! in a class body. Decorated methods (static, class, properties, wrappers) keep
//! unknown parameters.

use ruff_python_ast::{Expr, ExprContext};
use ruff_text_size::Ranged;

use super::class::ModuleId;
use super::extract::{CallSite, Walker};
use super::flow::Val;
use super::project::Project;
use super::ty::Sym;

/// `Sym::Arg` position standing for "what callers outside the project pass".
pub const OUTSIDE_CALLERS: usize = usize::MAX - 1;

/// The callee key of private methods named `name`: calls are matched by name, whatever
/// the receiver (no module can be named `<method>`).
pub fn method_key(name: &str) -> String {
    format!("<method>.{name}")
}

/// `_name`, not `__name__`.
pub fn is_private(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    last.starts_with('_') && !(last.starts_with("__") && last.ends_with("__"))
}

impl Walker<'_> {
    /// Before a call's children are walked: its callee, a name or a method, is a call.
    pub(super) fn note_callee(&mut self, func: &Expr) {
        if let Expr::Name(_) | Expr::Attribute(_) = func {
            self.callees.insert(func.range());
        }
    }

    /// A private name used as a value, or reached as a module attribute: it escapes.
    pub(super) fn note_private_ref(&mut self, expr: &Expr) {
        if !self.recording {
            return;
        }
        match expr {
            Expr::Name(n) if n.ctx == ExprContext::Load => {
                let id = n.id.as_str();
                // a function's own local of that name is another variable
                let shadowed = self.frames.iter().skip(1).any(|f| {
                    matches!(f.kind, super::extract::FrameKind::Function { .. })
                        && (f.locals.contains_key(id) || f.all.contains_key(id))
                });
                if is_private(id) && !self.callees.contains(&n.range()) && !shadowed {
                    let q = self.facts.table.qualify_name(id);
                    self.facts.escaped.push(q);
                    if self.in_class_body().is_some() {
                        // `alias = _m` in a class body: the method as a value
                        self.facts.escaped.push(method_key(id));
                    }
                }
            }
            // `getattr(x, "_m")`: the method as a value
            Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "getattr") => {
                if let Some(Expr::StringLiteral(s)) = c.arguments.args.get(1) {
                    if is_private(s.value.to_str()) {
                        self.facts.escaped.push(method_key(s.value.to_str()));
                    }
                }
            }
            Expr::Attribute(a) if a.ctx == ExprContext::Load && is_private(a.attr.as_str()) => {
                if let Some(q) = self.facts.table.qualify(expr) {
                    self.facts.escaped.push(q);
                }
                if !self.callees.contains(&a.range()) {
                    // `self._m` as a value (a bound method handed on)
                    self.facts.escaped.push(method_key(a.attr.as_str()));
                }
            }
            _ => {}
        }
    }
}

impl Project {
    /// Is this a method call whose receiver may be a class object (or anything)?
    pub(super) fn receiver_may_be_class(&self, mid: ModuleId, site: &CallSite, depth: usize) -> bool {
        let Some(recv) = &site.receiver else { return false };
        self.eval_ty(mid, recv, depth + 1).iter().any(|v| matches!(v, Val::Class(_) | Val::Unknown))
    }

    /// Is `sym` a parameter position no caller fills (its value is then the parameter's
    /// default, or the other alternatives of its type), or derived from one?
    pub(super) fn never_passed(&self, sym: &Sym) -> bool {
        let (f, pos, name) = match sym {
            Sym::Arg(f, pos, name) => (f, pos, name),
            // a method, attribute or item of such a value: no value either
            Sym::Ret(base, _) | Sym::Attr(base, _) | Sym::Elem(base) | Sym::AnyAttr(base) => {
                return self.never_passed(base)
            }
            _ => return false,
        };
        let canonical = self.canonical_function(f).unwrap_or_else(|| f.clone());
        if *pos == OUTSIDE_CALLERS {
            return !self.has_outside_callers(&canonical);
        }
        let sites = self.calls_of.get(&canonical).map_or(&[][..], |v| v.as_slice());
        !sites.iter().filter_map(|&i| self.call_sites.get(i)).any(|(m, site)| {
            site.spread
                || site.args.get(*pos).is_some()
                || site.keywords.iter().any(|(k, _)| k == name)
                || self.receiver_may_be_class(*m, site, 0)
        })
    }

    /// May callers outside the project call module-level function `canonical`?
    pub(super) fn has_outside_callers(&self, canonical: &str) -> bool {
        !is_private(canonical) || self.escaped_functions.contains(canonical)
    }
}
