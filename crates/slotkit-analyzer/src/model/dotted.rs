//! Dotted names: what the object a module-level name refers to is (a class, a module
//! variable, a function's result), and what the call sites of a function pass for a
//! parameter. Each is a question `model::memo` answers once per state.

use super::class::ClassId;
use super::flow::{push, Val};
use super::project::{BaseTarget, Project};

/// Outside classes with lowercase names: calling one makes an outside object.
const LOWERCASE_CLASSES: &[&str] = &[
    "threading.local",
    "shlex.shlex",
    "functools.partial",
    "datetime.date",
    "datetime.datetime",
    "datetime.time",
    "datetime.timedelta",
    "datetime.timezone",
    "array.array",
    "collections.deque",
    "memoryview",
    "builtins.memoryview",
    "builtins.bytearray",
    "builtins.object",
];

impl Project {
    /// What a module-level function `dotted` returns, from its annotation.
    pub(super) fn function_return(&self, dotted: &str, depth: usize) -> Option<Vec<Val>> {
        let canonical = self.canonical_function(dotted)?;
        let (module, name) = canonical.rsplit_once('.')?;
        let mid = *self.module_index.get(module)?;
        let ty = self.modules.get(mid)?.returns.get(name)?;
        Some(self.eval_ty(mid, ty, depth + 1))
    }

    /// The module a module factory returns (`model::outside_results`), if known.
    fn made_module(&self, factory: super::outside_results::ModuleFactory, depth: usize) -> Option<Vec<Val>> {
        use super::outside_results::ModuleFactory;
        match factory {
            // a project loader's `create_module()` may return any object
            ModuleFactory::FromSpec => {
                let own_loader = self.classes.iter().any(|c| c.members.iter().any(|m| m.name == "create_module"));
                (!own_loader).then(|| self.named_instances("types.ModuleType", depth, false))
            }
            ModuleFactory::Imported => self.module_table_item(&super::ty::Sym::Global("sys.modules".to_string()), depth),
        }
    }

    /// Instances of the class `dotted` names: a project class (a Protocol matches any
    /// class), or project subclasses of an outside class.
    pub(super) fn named_instances(&self, dotted: &str, depth: usize, called: bool) -> Vec<Val> {
        match self.resolve(dotted) {
            BaseTarget::Project(c) => {
                if self.classes.get(c).is_some_and(|k| k.protocol) {
                    vec![Val::Unknown]
                } else {
                    vec![Val::Inst(c)]
                }
            }
            // `object()`: exactly an object, no subclass
            BaseTarget::External(d) if called && d == "builtins.object" => vec![Val::Opaque],
            BaseTarget::External(d) => {
                let mut out: Vec<Val> = self
                    .external_subclasses
                    .get(&d)
                    .map(|list| list.iter().map(|c| Val::Inst(*c)).collect())
                    .unwrap_or_default();
                // `Outside()` makes an outside object; `outside_function()` may return
                // anything, project instances included (`random.choice(items)`)
                let last = d.rsplit('.').next().unwrap_or(&d);
                let class_like = !called
                    || last.chars().next().is_some_and(char::is_uppercase)
                    || crate::stdlib::external_base(&d).is_some()
                    || LOWERCASE_CLASSES.contains(&d.as_str());
                // a patched factory (`monkeypatch.setattr(ctypes, "CDLL", Fake)`) returns anything
                let patched = self.outside_attr_names.contains(last);
                if let (true, false, Some(factory)) = (called, patched, super::outside_results::module_factory(&d)) {
                    if let Some(module) = self.made_module(factory, depth + 1) {
                        return module;
                    }
                }
                if let (true, false, Some(class)) = (called && !class_like, patched, super::outside_results::function_result_class(&d)) {
                    // a function known to return an instance of an outside class
                    return self.named_instances(class, depth + 1, false);
                }
                out.push(if class_like && !patched { Val::Opaque } else { Val::Unknown });
                out
            }
            BaseTarget::NamedTuple => Vec::new(),
            // `pkg.mod.Class.create(...)`: the classmethod's or staticmethod's return
            BaseTarget::Unknown(_) if called && self.class_of_dotted_method(dotted).is_some() => {
                let (c, m) = self.class_of_dotted_method(dotted).unwrap_or_default();
                self.class_method_return(c, &m, depth + 1)
            }
            // a function: what it promises to return
            BaseTarget::Unknown(_) => self.function_return(dotted, depth).unwrap_or_else(|| vec![Val::Unknown]),
        }
    }

    /// `pkg.mod.Class.method` → (the project class, `method`).
    fn class_of_dotted_method(&self, dotted: &str) -> Option<(ClassId, String)> {
        let (class, method) = dotted.rsplit_once('.')?;
        match self.resolve(class) {
            BaseTarget::Project(c) => Some((c, method.to_string())),
            _ => None,
        }
    }

    /// A dotted-name symbol of kind `kind` (0 `Named`, 1 `Made`, 2 `NamedCls`, 3 `Global`),
    /// answered once per state (`model::memo`).
    pub(super) fn eval_dotted(&self, kind: u8, d: &str, depth: usize) -> Vec<Val> {
        self.memo.ask((kind, d.to_string()), depth, || self.eval_dotted_uncached(kind, d, depth))
    }

    /// What the call sites of function `canonical` pass as its parameter `name` (at `pos`).
    pub(super) fn args_passed(&self, canonical: &str, pos: usize, name: &str, depth: usize) -> Vec<Val> {
        let mut out = Vec::new();
        let made = match self.resolve(canonical) {
            BaseTarget::Project(c) => Some(c),
            _ => None,
        };
        for i in self.sites_of(canonical) {
            let Some((m, site)) = self.call_sites.get(i) else { continue };
            if site.callee.starts_with(super::by_name::BY_NAME)
                && !(self.admits(canonical, site) && self.by_name_reaches(*m, site, canonical, made.is_some(), depth))
            {
                continue;
            }
            if let (Some(x), Some(c)) = (&site.made_from, made) {
                // `type(x)(...)`: only if `x` may be an instance of the class
                if !self.may_be_instance_of(*m, x, c, depth) {
                    continue;
                }
            }
            // `C._m(obj, x)`: the arguments start at `self` (only a method's; a function or
            // class reached by a computed `getattr` on a class is called as it is)
            let method = canonical.starts_with("<method>.");
            if method && self.receiver_may_be_class(*m, site, depth) {
                let shifted = site.args.get(pos.saturating_add(1)).is_some() || site.spread || site.keywords.iter().any(|(k, _)| k == name);
                if shifted {
                    push(&mut out, Val::Unknown);
                    continue;
                }
            }
            if pos >= super::closed::STAR_FROM {
                // `*args` of a closed class's `__init__`: every positional argument from there on
                if site.spread {
                    push(&mut out, Val::Unknown);
                }
                for t in site.args.iter().skip(pos - super::closed::STAR_FROM) {
                    self.eval_ty(*m, t, depth + 1).into_iter().for_each(|v| push(&mut out, v));
                }
                continue;
            }
            let ty = match (site.args.get(pos), site.keywords.iter().find(|(k, _)| k == name)) {
                (Some(t), _) | (None, Some((_, t))) => self.eval_ty(*m, t, depth + 1),
                (None, None) if site.spread => vec![Val::Unknown],
                // the default, already in the parameter's type
                (None, None) => Vec::new(),
            };
            ty.into_iter().for_each(|v| push(&mut out, v));
        }
        out
    }

    fn eval_dotted_uncached(&self, kind: u8, d: &str, depth: usize) -> Vec<Val> {
        let global = kind == 3;
        match kind {
            0 => self.named_instances(d, depth, false),
            1 => {
                if let Some(item) = self.module_table_call(d, depth) {
                    return item;
                }
                // a class or factory other code replaced in its module (`model::namespace`)
                let mut out = self.named_instances(d, depth, true);
                self.replaced_binding(d, true, depth).into_iter().for_each(|v| push(&mut out, v));
                out
            }
            _ => {
                let mut out = match self.resolve(d) {
                    BaseTarget::Project(c) => vec![Val::Class(c)],
                    BaseTarget::External(_) if global => vec![Val::Foreign],
                    BaseTarget::External(_) | BaseTarget::NamedTuple => Vec::new(),
                    // a module variable: what it may hold (`model::namespace`)
                    BaseTarget::Unknown(_) if global => match self.global_var(d, depth) {
                        Some(vals) => return vals,
                        None if self.is_module_or_function(d) => Vec::new(),
                        None => vec![Val::Unknown],
                    },
                    BaseTarget::Unknown(_) if self.is_module_or_function(d) => Vec::new(),
                    BaseTarget::Unknown(_) => vec![Val::Unknown],
                };
                // a class or function other code replaced in its module
                if global {
                    self.replaced_binding(d, false, depth).into_iter().for_each(|v| push(&mut out, v));
                }
                out
            }
        }
    }

    /// Does `dotted` name a project module or function (following imports)?
    pub(super) fn is_module_or_function(&self, dotted: &str) -> bool {
        if let Some(&hit) = self.module_or_function_cache.borrow().get(dotted) {
            return hit;
        }
        let out = self.is_module_or_function_uncached(dotted);
        self.module_or_function_cache.borrow_mut().insert(dotted.to_string(), out);
        out
    }

    fn is_module_or_function_uncached(&self, dotted: &str) -> bool {
        let mut d = dotted.to_string();
        for _ in 0..16 {
            if self.module_index.contains_key(&d) {
                return true;
            }
            let Some((module, name)) = d.rsplit_once('.') else { return false };
            let Some(m) = self.module_index.get(module).and_then(|m| self.modules.get(*m)) else {
                // `pkg.mod.attr`: find the module prefix and follow the first name
                let parts: Vec<&str> = d.split('.').collect();
                let Some(split) = (1..parts.len()).rev().find(|s| self.module_index.contains_key(&parts[..*s].join("."))) else {
                    return false;
                };
                let module = parts[..split].join(".");
                let Some(m) = self.module_index.get(&module).and_then(|m| self.modules.get(*m)) else { return false };
                let rest = parts[split..].join(".");
                match m.table.bindings.get(parts[split]) {
                    Some(super::imports::Binding::Module(t) | super::imports::Binding::From(t)) => {
                        let tail = rest.split_once('.').map_or(String::new(), |(_, t)| format!(".{t}"));
                        d = format!("{t}{tail}");
                        continue;
                    }
                    _ => return false,
                }
            };
            match m.table.bindings.get(name) {
                Some(super::imports::Binding::Function) => return true,
                Some(super::imports::Binding::Module(t) | super::imports::Binding::From(t)) => d = t.clone(),
                _ => return false,
            }
        }
        false
    }
}
