//! `sys.modules`: what its items may be.
//!
//! An item of `sys.modules` is a module (`types.ModuleType`, or a project subclass of it),
//! or whatever the analysed code puts there: `sys.modules[name] = obj` (the "module as an
//! instance" idiom), `sys.modules.setdefault(name, obj)`, `monkeypatch.setitem(sys.modules,
//! name, obj)`, `patch.dict(sys.modules, {name: obj})`. `sys.modules` handed to any other
//! call (or `update`d) may get anything. Without this, `module = sys.modules[name]` was a
//! receiver of unknown type, and `module.__dict__` on it blocked every fix of a project
//! (pyparsing's `examples/statemachine`).

use ruff_python_ast::{self as ast, Expr};

use super::extract::Walker;
use super::flow::{push, Val};
use super::project::Project;
use super::ty::{elements, unknown, Sym, Ty};

/// The dotted name of the table.
const TABLE: &str = "sys.modules";

/// Calls that only read what they are given.
const READERS: &[&str] = &[
    "builtins.dict", "builtins.list", "builtins.len", "builtins.sorted", "builtins.set", "builtins.tuple",
    "builtins.iter", "builtins.id", "builtins.print", "builtins.isinstance", "builtins.repr", "builtins.str",
];

/// Methods of the table that only read it, and those that give an item.
const READ_METHODS: &[&str] = &["get", "keys", "values", "items", "copy", "pop", "__contains__", "__getitem__"];
const ITEM_METHODS: &[&str] = &["get", "pop", "setdefault"];

fn is_table(ty: &Ty) -> bool {
    ty.iter().any(|s| matches!(s, Sym::Global(d) if d == TABLE))
}

impl Walker<'_> {
    /// Record what a call or a subscript store may put into `sys.modules`.
    pub(super) fn note_module_table_call(&mut self, call: &ast::ExprCall) {
        if !self.recording {
            return;
        }
        let args = &call.arguments.args;
        // a method of the table itself
        if let Expr::Attribute(a) = &*call.func {
            if is_table(&self.expr_ty(&a.value)) {
                let item = match a.attr.as_str() {
                    "setdefault" | "__setitem__" => args.get(1).map(|v| self.expr_ty(v)),
                    m if READ_METHODS.contains(&m) => return,
                    _ => Some(unknown()),
                };
                self.facts.module_table_items.push(item.unwrap_or_else(unknown));
                return;
            }
        }
        let given = args.iter().position(|a| is_table(&self.expr_ty(a)) || is_table_string(a));
        let by_keyword = call.arguments.keywords.iter().any(|k| is_table(&self.expr_ty(&k.value)));
        let Some(pos) = given.or(by_keyword.then_some(usize::MAX)) else { return };
        let callee = self.facts.table.qualify(&call.func).unwrap_or_default();
        let method = callee.rsplit('.').next().unwrap_or("");
        let item = if READERS.contains(&callee.as_str()) {
            return;
        } else if method == "setitem" && pos == 0 {
            // `monkeypatch.setitem(sys.modules, name, obj)`
            args.get(2).map_or_else(unknown, |v| self.expr_ty(v))
        } else if callee.ends_with("patch.dict") && pos == 0 {
            // `patch.dict(sys.modules, {name: obj}, other=obj)`
            let mut t = args.get(1).map_or_else(Vec::new, |v| elements(&self.expr_ty(v)));
            for k in &call.arguments.keywords {
                match k.arg {
                    Some(_) => super::ty::union_into(&mut t, self.expr_ty(&k.value)),
                    None => super::ty::union_into(&mut t, unknown()),
                }
            }
            t
        } else {
            unknown()
        };
        self.facts.module_table_items.push(item);
    }

    /// `table[name] = obj` where `table` may be `sys.modules`.
    pub(super) fn note_module_table_store(&mut self, target: &ast::ExprSubscript, value: &Ty) {
        if self.recording && is_table(&self.expr_ty(&target.value)) {
            self.facts.module_table_items.push(value.clone());
        }
    }
}

/// `"sys.modules"` (the string form `patch.dict` takes).
fn is_table_string(e: &Expr) -> bool {
    matches!(e, Expr::StringLiteral(s) if s.value.to_str() == TABLE)
}

impl Project {
    /// What an item of `sys.modules` may be, if `base` is `sys.modules`.
    pub(super) fn module_table_item(&self, base: &Sym, depth: usize) -> Option<Vec<Val>> {
        if !matches!(base, Sym::Global(d) if d == TABLE) {
            return None;
        }
        // one question per state (`model::memo`): the table is read in many places
        Some(self.memo.ask((5, TABLE.to_string()), depth, || {
            let mut out = self.eval_sym(0, &Sym::Named("types.ModuleType".to_string()), depth + 1);
            for (mid, ty) in &self.module_table_items {
                self.eval_ty(*mid, ty, depth + 1).into_iter().for_each(|v| push(&mut out, v));
            }
            out
        }))
    }

    /// `sys.modules.get(name)` called by its dotted name: an item.
    pub(super) fn module_table_call(&self, dotted: &str, depth: usize) -> Option<Vec<Val>> {
        let (base, method) = dotted.rsplit_once('.')?;
        (base == TABLE).then(|| self.module_table_method(&Sym::Global(base.to_string()), method, depth)).flatten()
    }

    /// `sys.modules.get(name)` and the like: an item.
    pub(super) fn module_table_method(&self, base: &Sym, method: &str, depth: usize) -> Option<Vec<Val>> {
        if ITEM_METHODS.contains(&method) {
            self.module_table_item(base, depth)
        } else if method == "values" {
            self.module_table_item(base, depth).map(|items| vec![Val::Container(items)])
        } else {
            None
        }
    }
}
