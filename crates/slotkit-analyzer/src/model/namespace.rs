//! Module variables: what a module-level name holds, wherever it is read.
//!
//! `logger = logging.getLogger(__name__)` in `tags.py`, read as `tags.logger` in a test
//! or as `logger` in a function of `tags.py`, holds what the module-level assignments of
//! `tags.py` give it, and also whatever other code writes into that module's namespace:
//!
//! - stores on the module object: `tags.logger = v`, `setattr(tags, "logger", v)`,
//!   `monkeypatch.setattr(tags, "logger", v)`, `patch.object(tags, "logger", v)`, and the
//!   string forms `monkeypatch.setattr("pkg.tags.logger", v)`, `patch("pkg.tags.logger")`
//!   (without a value: a mock, anything);
//! - stores of that name on receivers that may be a module (unknown receivers, outside
//!   objects): the values `attrs::outside_attr` collects for the name;
//! - computed stores on receivers that may be a module (`setattr(obj, name, v)` with
//!   `obj` unknown): their values, for every module variable;
//! - a function of the module declaring the name `global` (anything, as before);
//! - the module's namespace handed out whole: `vars(tags)`, `tags.__dict__`,
//!   `setattr(tags, name, v)` with a computed name, `globals()` in `tags.py`, a string
//!   patch target that is not a literal: every variable of that module is anything.
//!
//! Reads inside the module's own functions get the same (they used to see the
//! module-level assignments only, and a test that replaced the variable broke a safe
//! fix). Code at module level keeps its flow-sensitive view.

use ruff_text_size::Ranged;
use ruff_python_ast::{self as ast, Expr};

use super::extract::Walker;
use super::flow::{push, Val};
use super::imports::Binding;
use super::project::Project;
use super::ty::{unknown, Sym, Ty};

/// A write into a module's namespace: (the module as written, dotted; the name, `None`
/// for a computed one or the whole namespace; the value, `None` for anything).
pub type NamespaceWrite = (String, Option<String>, Option<Ty>);

impl Walker<'_> {
    /// `e` names a module (an imported module, or an attribute path from one; whether
    /// the path ends at a module is settled when linking): its dotted name.
    pub(super) fn module_path(&self, e: &Expr) -> Option<String> {
        let root = match e {
            Expr::Name(n) => n,
            Expr::Attribute(a) => return self.module_path(&a.value).map(|m| format!("{m}.{}", a.attr.as_str())),
            _ => return None,
        };
        // a function's own variable of that name is another object
        let id = root.id.as_str();
        let in_function = self.frames.iter().skip(1).any(|f| {
            matches!(f.kind, super::extract::FrameKind::Function { .. }) && (f.locals.contains_key(id) || f.all.contains_key(id))
        });
        if in_function {
            return None;
        }
        match self.facts.table.bindings.get(root.id.as_str()) {
            Some(Binding::Module(m) | Binding::From(m)) => Some(m.clone()),
            _ => self.facts.table.also_imported.get(root.id.as_str()).cloned(),
        }
    }

    /// `recv.<name> = value` and its call forms: a namespace write when `recv` names a
    /// module.
    pub(super) fn note_namespace_store(&mut self, recv: &Expr, name: Option<&str>, value: Option<Ty>) {
        if !self.recording {
            return;
        }
        if let Some(m) = self.module_path(recv) {
            self.facts.namespace_writes.push((m, name.map(str::to_string), value));
        }
    }

    /// `patch("pkg.mod.name", ...)` / `monkeypatch.setattr("pkg.mod.name", v)`: a string
    /// target (a module path and a name).
    pub(super) fn note_string_patch(&mut self, call: &ast::ExprCall) {
        if !self.recording {
            return;
        }
        let args = &call.arguments.args;
        let value = match args.get(1) {
            Some(v) => Some(self.expr_ty(v)),
            None => call.arguments.keywords.iter().find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "new")).map(|k| self.expr_ty(&k.value)),
        };
        let write = match args.first() {
            Some(Expr::StringLiteral(s)) => match s.value.to_str().rsplit_once('.') {
                Some((module, name)) => (module.to_string(), Some(name.to_string()), value),
                None => return,
            },
            // a computed target: any module, any name
            Some(_) => ("*".to_string(), None, None),
            None => return,
        };
        self.facts.namespace_writes.push(write);
    }

    /// `globals()` in this module: its namespace may be written under any name.
    pub(super) fn note_globals_call(&mut self, call: &ast::ExprCall) {
        if self.recording && call.arguments.args.is_empty() && !self.read_only_globals.contains(&call.range()) {
            let module = self.facts.table.module.clone();
            self.facts.namespace_writes.push((module, None, None));
        }
    }

    /// The module-level names this module binds (not imports, classes or functions) and
    /// what they may hold; names some function rebinds through `global` hold anything.
    pub(super) fn module_globals(&self) -> rustc_hash::FxHashMap<String, Ty> {
        let Some(module) = self.frames.first() else { return Default::default() };
        module
            .all
            .iter()
            .filter(|(n, _)| matches!(self.facts.table.bindings.get(n.as_str()), Some(Binding::Other)))
            .map(|(n, t)| {
                let mut t = if self.rebound.contains(n) { unknown() } else { t.clone() };
                // also an imported module or name (`try: import ctypes`): what that is
                if let Some(d) = self.facts.table.also_imported.get(n) {
                    super::ty::union_into(&mut t, vec![Sym::Global(d.clone())]);
                }
                (n.clone(), t)
            })
            .collect()
    }
}

impl Project {
    /// The project module `dotted` names, following `from` imports (`pkg.tags` may be
    /// imported into `pkg` as a name).
    pub(super) fn project_module(&self, dotted: &str) -> Option<String> {
        let mut d = dotted.to_string();
        for _ in 0..16 {
            if self.module_index.contains_key(&d) {
                return Some(d);
            }
            let (module, name) = d.rsplit_once('.')?;
            let m = self.modules.get(*self.module_index.get(module)?)?;
            match m.table.bindings.get(name)? {
                Binding::From(t) | Binding::Module(t) => d = t.clone(),
                _ => return None,
            }
        }
        None
    }

    /// Index the namespace writes by module (after all modules are read).
    pub(super) fn link_namespace_writes(&mut self, writes: Vec<(super::class::ModuleId, NamespaceWrite)>) {
        for (mid, (module, name, value)) in writes {
            let key = if module == "*" { Some("*".to_string()) } else { self.project_module(&module) };
            if let Some(key) = key {
                self.namespace_writes.entry(key).or_default().push((mid, name, value));
            }
        }
    }

    /// What module variable `name` of project module `module` may hold (module docs);
    /// `None` if the module binds no such variable.
    pub(super) fn module_var(&self, module: &str, name: &str, depth: usize) -> Option<Vec<Val>> {
        let mid = *self.module_index.get(module)?;
        let ty = self.modules.get(mid)?.globals.get(name)?;
        let mut out = self.eval_ty(mid, ty, depth + 1);
        let writes = self.namespace_writes.get(module).into_iter().chain(self.namespace_writes.get("*")).flatten();
        for (wmid, wname, value) in writes {
            match (wname, value) {
                (Some(n), Some(v)) if n == name => self.eval_ty(*wmid, v, depth + 1).into_iter().for_each(|x| push(&mut out, x)),
                (Some(n), None) if n == name => return Some(vec![Val::Unknown]),
                (Some(_), _) => {}
                // a computed name with a known value, or the whole namespace
                (None, Some(v)) => self.eval_ty(*wmid, v, depth + 1).into_iter().for_each(|x| push(&mut out, x)),
                (None, None) => return Some(vec![Val::Unknown]),
            }
        }
        // stores of that name, or of any name, on receivers that may be this module
        if self.outside_attr_names.contains(name) {
            self.outside_attr(name).into_iter().filter(|v| !matches!(v, Val::Opaque | Val::Foreign)).for_each(|v| push(&mut out, v));
        }
        if let Some(vals) = self.maybe_module_stores.get(name) {
            vals.iter().for_each(|v| push(&mut out, v.clone()));
        }
        Some(out)
    }

    /// A dotted module-level name that is a variable of a project module, or a module's
    /// import of one (`from pkg.config import settings`): what it holds, with what other
    /// code writes into each module on the way (`monkeypatch.setattr(user, "settings", v)`
    /// replaces `user`'s binding, not `pkg.config`'s).
    pub(super) fn global_var(&self, dotted: &str, depth: usize) -> Option<Vec<Val>> {
        let mut d = dotted.to_string();
        let mut written: Vec<Val> = Vec::new();
        for _ in 0..16 {
            let (module, name) = d.rsplit_once('.')?;
            let module = self.project_module(module)?;
            let m = self.modules.get(*self.module_index.get(&module)?)?;
            match m.table.bindings.get(name)? {
                Binding::Other => {
                    let mut out = self.module_var(&module, name, depth)?;
                    written.into_iter().for_each(|v| push(&mut out, v));
                    return Some(out);
                }
                Binding::From(t) | Binding::Alias(t) => {
                    written.extend(self.namespace_writes_of(&module, name, depth));
                    d = t.clone();
                }
                _ => return None,
            }
        }
        None
    }

    /// What replaces the binding `dotted` names (a class or function of a module, or its
    /// import elsewhere) when other code writes into that module's namespace under that
    /// name (`monkeypatch.setattr(user, "Settings", FakeSettings)`): the written values,
    /// or, for a call of the binding (`called`), what calling them makes. Names written
    /// through a computed name or a receiver of unknown type are followed for variables
    /// only (docs/fix-safety.md, Limits).
    pub(super) fn replaced_binding(&self, dotted: &str, called: bool, depth: usize) -> Vec<Val> {
        let mut out = Vec::new();
        if self.namespace_writes.is_empty() {
            return out;
        }
        let mut d = dotted.to_string();
        for _ in 0..16 {
            let Some((module, name)) = d.rsplit_once('.') else { break };
            let Some(module) = self.project_module(module) else { break };
            for v in self.namespace_writes_of(&module, name, depth) {
                let made = match (called, v) {
                    (true, Val::Class(c)) => Val::Inst(c),
                    (true, _) => Val::Unknown,
                    (false, v) => v,
                };
                push(&mut out, made);
            }
            let Some(m) = self.module_index.get(&module).and_then(|m| self.modules.get(*m)) else { break };
            match m.table.bindings.get(name) {
                Some(Binding::From(t) | Binding::Alias(t)) => d = t.clone(),
                _ => break,
            }
        }
        out
    }

    /// The values other code writes into module `module`'s binding `name`.
    fn namespace_writes_of(&self, module: &str, name: &str, depth: usize) -> Vec<Val> {
        let mut out = Vec::new();
        let writes = self.namespace_writes.get(module).into_iter().chain(self.namespace_writes.get("*")).flatten();
        for (wmid, wname, value) in writes {
            match (wname, value) {
                (Some(n), _) if n != name => {}
                (_, Some(v)) => self.eval_ty(*wmid, v, depth + 1).into_iter().for_each(|x| push(&mut out, x)),
                (_, None) => push(&mut out, Val::Unknown),
            }
        }
        out
    }
}
