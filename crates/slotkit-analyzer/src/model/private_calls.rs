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
use super::by_name::literal_prefix;
use super::extract::{CallSite, Walker};
use super::flow::Val;
use super::class::ClassId;
use super::imports::Binding;
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
                let tracked = is_private(id) || self.facts.table.closed;
                if tracked && !self.callees.contains(&n.range()) && !shadowed {
                    let q = self.facts.table.qualify_name(id);
                    self.facts.escaped.push(q);
                    if self.in_class_body().is_some() {
                        // `alias = _m` in a class body: the method as a value
                        self.facts.escaped.push(method_key(id));
                    }
                }
            }
            // `getattr(x, "_m")`: the method as a value; `getattr(self, "_visit_" + kind)`:
            // every private method or function named with that prefix
            Expr::Call(c) if self.is_builtin_call(c, "getattr") => match c.arguments.args.get(1) {
                Some(Expr::StringLiteral(s)) => {
                    if is_private(s.value.to_str()) {
                        self.facts.escaped.push(method_key(s.value.to_str()));
                    } else {
                        self.facts.open_names.push(s.value.to_str().to_string());
                        let scope = self.getattr_scope(c.arguments.args.first());
                        self.facts.escaped_prefixes.push((scope, s.value.to_str().to_string()));
                    }
                }
                // its value only read or called here (`model::by_name`): the calls are
                // call sites of what it may reach
                Some(name) if self.by_name.quiet.contains(&c.range()) => {
                    if let Some(obj) = c.arguments.args.first() {
                        let ty = self.expr_ty(obj);
                        self.getattr_recv.insert(c.range(), ty);
                    }
                    if self.by_name.module_level.contains(&c.range()) {
                        // a module variable: escapes if another module imports this one
                        let scope = self.getattr_scope(c.arguments.args.first());
                        self.facts.escaped_if_imported.push((scope, literal_prefix(name)));
                    }
                }
                Some(name) => {
                    if std::env::var_os("SLOTKIT_DEBUG_UNKNOWN").is_some() {
                        let line = self.source[..c.range().start().to_usize()].matches('\n').count() + 1;
                        eprintln!("escaping getattr: {}:{line}", self.facts.table.module);
                    }
                    let scope = self.getattr_scope(c.arguments.args.first());
                    self.facts.escaped_prefixes.push((scope, literal_prefix(name)));
                }
                None => {}
            },
            // `operator.methodcaller(name, ...)`, `x.__getattribute__(name)`
            Expr::Call(c) if self.reaches_by_name(c) => match c.arguments.args.get(self.name_position(c)) {
                Some(Expr::StringLiteral(s)) => self.facts.escaped.push(method_key(s.value.to_str())),
                Some(name) => self.facts.escaped_prefixes.push((String::new(), literal_prefix(name))),
                None => {}
            },
            // `globals()`: this module's functions by any name
            Expr::Call(c) if self.is_builtin_call(c, "globals") => {
                let module = self.facts.table.module.clone();
                self.facts.escaped_prefixes.push((module, String::new()));
            }
            // a public method as a value (`handler = obj.enter`): it may be called with anything
            Expr::Attribute(a) if a.ctx == ExprContext::Load && !is_private(a.attr.as_str()) && !self.callees.contains(&a.range()) => {
                self.facts.open_names.push(a.attr.to_string());
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

impl Walker<'_> {
    /// A call of builtin `name` (not shadowed).
    fn is_builtin_call(&self, c: &ruff_python_ast::ExprCall, name: &str) -> bool {
        matches!(&*c.func, Expr::Name(n) if n.id.as_str() == name && !self.is_local(name) && !self.facts.table.bindings.contains_key(name))
    }

    /// `operator.methodcaller(name)`, `operator.attrgetter(name)`, `x.__getattribute__(name)`,
    /// `object.__getattribute__(x, name)`: a method reached by name.
    fn reaches_by_name(&self, c: &ruff_python_ast::ExprCall) -> bool {
        match &*c.func {
            Expr::Attribute(a) if a.attr.as_str() == "__getattribute__" => true,
            f => matches!(
                self.facts.table.qualify(f).as_deref(),
                Some("operator.methodcaller" | "operator.attrgetter")
            ),
        }
    }
}

impl Walker<'_> {
    /// What a computed `getattr(obj, name)` may reach: `<class>#idx` for `self` in a
    /// method of this module's class #idx (its family's methods), the dotted name of a
    /// module or class written there, or anything (empty).
    fn getattr_scope(&self, obj: Option<&Expr>) -> String {
        let Some(obj) = obj else { return String::new() };
        let ty = self.expr_ty(obj);
        if let [super::ty::Sym::This(idx)] = ty.as_slice() {
            return format!("<class>#{idx}");
        }
        if let Some(m) = self.module_path(obj) {
            return m;
        }
        // anything else: what the receiver may be is read when linking
        if !ty.contains(&super::ty::Sym::Unknown) && !ty.is_empty() {
            self.facts.getattr_receivers.borrow_mut().push(ty);
            return format!("<receiver>#{}", self.facts.getattr_receivers.borrow().len() - 1);
        }
        String::new()
    }

    /// Where the name is among the arguments of a call `reaches_by_name` accepts.
    fn name_position(&self, c: &ruff_python_ast::ExprCall) -> usize {
        match &*c.func {
            // `object.__getattribute__(x, name)`
            Expr::Attribute(a) if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "object") => 1,
            _ => 0,
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
        if *pos == super::runner::RUNNER_CALLERS {
            return !self.called_beyond_runner(&canonical, None);
        }
        if *pos == OUTSIDE_CALLERS {
            // (the class is not known here: any class's computed `getattr` counts)
            let method = canonical.strip_prefix("<method>.").is_some_and(|m| self.method_reached_by_name(None, m));
            return !self.has_outside_callers(&canonical) && !method;
        }
        let sites = self.sites_of(&canonical);
        !sites.iter().filter_map(|&i| self.call_sites.get(i)).any(|(m, site)| {
            site.spread
                || site.args.get(*pos).is_some()
                || site.keywords.iter().any(|(k, _)| k == name)
                || self.receiver_may_be_class(*m, site, 0)
        })
    }

    /// Resolve where computed `getattr`s reach (`Walker::getattr_scope`), once classes
    /// and modules are known (bases are not linked yet: class families are read later).
    pub(super) fn link_escaped_scopes(&mut self, scopes: Vec<(ModuleId, String, String)>) {
        for (mid, scope, prefix) in scopes {
            if let Some(idx) = scope.strip_prefix("<class>#").and_then(|i| i.parse::<usize>().ok()) {
                match self.modules.get(mid).and_then(|m| m.classes.get(idx)) {
                    Some(&c) => self.escaped_class_prefixes.push((c, prefix)),
                    None => self.escaped_prefixes.push((String::new(), prefix)),
                }
            } else if scope.is_empty() {
                self.escaped_prefixes.push((scope, prefix));
            } else if let Some(m) = self.project_module(&scope) {
                self.escaped_prefixes.push((m, prefix));
            } else if let Some(c) = self.class_by_dotted(&scope) {
                self.escaped_class_prefixes.push((c, prefix));
            } else if self.is_outside_name(&scope) {
                // an outside module or class: no project function or method there
            } else {
                self.escaped_prefixes.push((String::new(), prefix));
            }
        }
    }

    /// The project class a dotted name (as written, through imports) names.
    fn class_by_dotted(&self, dotted: &str) -> Option<ClassId> {
        let (module, name) = dotted.rsplit_once('.')?;
        let module = self.project_module(module)?;
        let mid = *self.module_index.get(&module)?;
        let m = self.modules.get(mid)?;
        match m.table.bindings.get(name)? {
            Binding::Class => m.classes.iter().copied().find(|c| self.classes.get(*c).is_some_and(|k| k.qualname == name)),
            Binding::From(t) if t != dotted => self.class_by_dotted(&t.clone()),
            _ => None,
        }
    }

    /// Does `dotted` name something outside the project (its first segment is no project
    /// module)?
    fn is_outside_name(&self, dotted: &str) -> bool {
        let first = dotted.split('.').next().unwrap_or(dotted);
        !self.module_index.keys().any(|m| m == first || m.starts_with(&format!("{first}.")))
    }

    /// The values of the receivers of computed `getattr`s that may reach a name starting
    /// with one of their prefixes, as the last attribute round typed them
    /// (`link_flows`: receivers and parameters depend on each other and are iterated
    /// from nothing up, so a receiver that may reach `_m` only because `_m`'s parameters
    /// are open is no reason for them to be open; `None` if they did not settle).
    fn getattr_receiver_vals(&self, name: &str) -> Option<Vec<Val>> {
        if self.outside_unsettled {
            return None;
        }
        let mut out = Vec::new();
        for ((_, _, prefix), vals) in self.escaped_receivers.iter().zip(&self.escaped_receiver_vals) {
            if name.starts_with(prefix.as_str()) {
                // a receiver with no project value may be a module
                if vals.is_empty() {
                    out.push(Val::Opaque);
                }
                out.extend(vals.iter().cloned());
            }
        }
        Some(out)
    }

    /// Type the receivers of computed `getattr`s once more (one attribute round).
    pub(super) fn type_getattr_receivers(&mut self) {
        let vals = self.escaped_receivers.iter().map(|(mid, ty, _)| self.eval_ty(*mid, ty, 2)).collect();
        self.escaped_receiver_vals = vals;
    }

    /// May a computed `getattr` reach private method `name` of class `cid`?
    pub(super) fn method_reached_by_name(&self, cid: Option<ClassId>, name: &str) -> bool {
        let reaches = |c: ClassId| {
            cid.is_none_or(|k| {
                self.family(c).contains(&k) || self.descendants(c).into_iter().any(|d| crate::plan::ancestors(self, d).contains(&k))
            })
        };
        let by_receiver = match self.getattr_receiver_vals(name) {
            None => true,
            Some(vals) => vals.iter().any(|v| match v {
                Val::Unknown => true,
                Val::Inst(c) | Val::Class(c) => reaches(*c),
                _ => false,
            }),
        };
        by_receiver || self.escaped_class_prefixes.iter().any(|(c, prefix)| {
            // what an instance of `c` or of a subclass may find by name: the family, and
            // the other bases of the subclasses (mixins)
            name.starts_with(prefix.as_str())
                && cid.is_none_or(|k| {
                    self.family(*c).contains(&k)
                        || self.descendants(*c).into_iter().any(|d| crate::plan::ancestors(self, d).contains(&k))
                })
        })
    }

    /// Module-level function `canonical` reached by a computed `getattr` on a receiver that
    /// may be its module, of unknown type or an outside object?
    pub(super) fn has_outside_callers_by_receiver(&self, canonical: &str) -> bool {
        let last = canonical.rsplit('.').next().unwrap_or(canonical);
        let unknown_reaches = self.unknown_may_hold_module_of(canonical);
        self.getattr_receiver_vals(last).is_none_or(|vals| {
            vals.iter().any(|v| match v {
                Val::Unknown => unknown_reaches,
                Val::Opaque => true,
                _ => false,
            })
        })
    }

    /// May callers outside the project call module-level function `canonical`?
    pub(super) fn has_outside_callers(&self, canonical: &str) -> bool {
        let last = canonical.rsplit('.').next().unwrap_or(canonical);
        let scope_of = |scope: &str| in_scope(scope, canonical);
        let by_receiver = || !canonical.starts_with("<method>.") && self.has_outside_callers_by_receiver(canonical);
        let closed = match canonical.strip_prefix("<method>.") {
            Some(m) => !is_private(m) && self.closed_method_kept(m),
            None => !is_private(canonical) && self.closed_and_kept(canonical),
        };
        if closed {
            return self.escaped_prefixes.iter().any(|(scope, prefix)| scope_of(scope) && last.starts_with(prefix.as_str())) || by_receiver();
        }
        !is_private(canonical)
            || self.escaped_functions.contains(canonical)
            || self.escaped_prefixes.iter().any(|(scope, prefix)| scope_of(scope) && last.starts_with(prefix.as_str()))
            || by_receiver()
    }
}

/// Does a computed `getattr`'s scope (a module, or empty: anywhere) hold `canonical`?
pub(super) fn in_scope(scope: &str, canonical: &str) -> bool {
    scope.is_empty() || canonical.strip_prefix(scope).is_some_and(|r| r.starts_with('.') && !r[1..].contains('.'))
}
