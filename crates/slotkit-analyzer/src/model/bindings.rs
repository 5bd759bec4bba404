//! Module-level bindings: imports anywhere in the module, and top-level classes,
//! functions and aliases (also inside top-level `if`/`try`).

use ruff_python_ast::visitor::{walk_stmt, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};

use super::imports::{is_namedtuple_call, Binding, ImportTable};

pub fn collect_imports(body: &[Stmt], table: &mut ImportTable) {
    struct Imports<'t>(&'t mut ImportTable);
    impl<'a> Visitor<'a> for Imports<'_> {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            self.0.add_import(stmt);
            walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, _expr: &'a Expr) {}
    }
    let mut v = Imports(table);
    for stmt in body {
        v.visit_stmt(stmt);
    }
}

/// Module-level classes, functions and aliases (also inside top-level `if`/`try`).
pub fn collect_bindings(body: &[Stmt], table: &mut ImportTable, aliases: bool) {
    for stmt in body {
        match stmt {
            Stmt::ClassDef(c) if !aliases => {
                table.bindings.insert(c.name.to_string(), Binding::Class);
            }
            Stmt::FunctionDef(f) if !aliases => {
                table.bindings.insert(f.name.to_string(), Binding::Function);
            }
            Stmt::Assign(a) if aliases => {
                let binding = if is_namedtuple_call(table, &a.value) {
                    Binding::NamedTupleFactory
                } else if matches!(*a.value, Expr::Name(_) | Expr::Attribute(_)) {
                    table.qualify(&a.value).map_or(Binding::Other, Binding::Alias)
                } else {
                    Binding::Other
                };
                for t in &a.targets {
                    if let Expr::Name(n) = t {
                        if let Some(Binding::Module(m) | Binding::From(m)) = table.bindings.get(n.id.as_str()) {
                            table.also_imported.insert(n.id.to_string(), m.clone());
                        }
                        if table.bindings.get(n.id.as_str()) != Some(&Binding::Class) {
                            table.bindings.insert(n.id.to_string(), binding.clone());
                        }
                    }
                }
            }
            Stmt::If(s) => {
                collect_bindings(&s.body, table, aliases);
                for clause in &s.elif_else_clauses {
                    collect_bindings(&clause.body, table, aliases);
                }
            }
            Stmt::Try(t) => {
                collect_bindings(&t.body, table, aliases);
                for ast::ExceptHandler::ExceptHandler(h) in &t.handlers {
                    collect_bindings(&h.body, table, aliases);
                }
                collect_bindings(&t.orelse, table, aliases);
            }
            _ => {}
        }
    }
}

/// Names some function of the module declares `global` or `nonlocal`: an assignment there
/// rebinds a name of another scope, which the walk does not follow, so what such a name
/// holds is unknown (`Walker::lookup`).
pub fn collect_rebound_names(body: &[Stmt]) -> rustc_hash::FxHashSet<String> {
    struct Rebound(rustc_hash::FxHashSet<String>);
    impl<'a> Visitor<'a> for Rebound {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            match stmt {
                Stmt::Global(g) => self.0.extend(g.names.iter().map(|n| n.to_string())),
                Stmt::Nonlocal(n) => self.0.extend(n.names.iter().map(|n| n.to_string())),
                _ => walk_stmt(self, stmt),
            }
        }
    }
    let mut v = Rebound(rustc_hash::FxHashSet::default());
    body.iter().for_each(|s| v.visit_stmt(s));
    v.0
}
