//! Reading and parsing the files, before the project is linked: each module's text,
//! syntax tree and import table, star imports expanded across modules, then the facts
//! each module's walk extracts.

use rustc_hash::FxHashSet as HashSet;
use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;

use rayon::prelude::*;
use ruff_text_size::TextRange;

use super::extract::{extract, ModuleFacts};
use super::imports::{module_name, Binding, ImportTable};
use super::project::Module;
use crate::source::LineIndex;

pub(super) struct Parsed {
    pub(super) module: Module,
    pub(super) facts: Option<ModuleFacts>,
}

/// A module read and parsed, with the names it binds, before its facts are extracted.
struct Staged {
    module: Module,
    ast: Option<ruff_python_parser::Parsed<ruff_python_ast::ModModule>>,
    table: ImportTable,
    /// what `from this import *` binds: `None` for every public name (no `__all__`)
    exports: Option<Vec<String>>,
}

/// The names a literal `__all__` lists (`= [...]`, `+= [...]`, `.extend([...])` at module
/// level); `Some(empty)` when `__all__` is built otherwise (nothing is taken as exported).
pub(super) fn dunder_all(body: &[ruff_python_ast::Stmt]) -> Option<Vec<String>> {
    use ruff_python_ast::{Expr, Stmt};
    let literal = |e: &Expr| -> Option<Vec<String>> {
        let elts = match e {
            Expr::List(l) => &l.elts,
            Expr::Tuple(t) => &t.elts,
            _ => return None,
        };
        elts.iter()
            .map(|x| match x {
                Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
                _ => None,
            })
            .collect()
    };
    let is_all = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == "__all__");
    let mut names: Option<Vec<String>> = None;
    let mut dynamic = false;
    for stmt in body {
        let (value, add) = match stmt {
            Stmt::Assign(a) if a.targets.iter().any(is_all) => (Some(&*a.value), false),
            Stmt::AnnAssign(a) if is_all(&a.target) => (a.value.as_deref(), false),
            Stmt::AugAssign(a) if is_all(&a.target) => (Some(&*a.value), true),
            Stmt::Expr(e) => match &*e.value {
                Expr::Call(c) => match &*c.func {
                    Expr::Attribute(at) if is_all(&at.value) => (c.arguments.args.first(), true),
                    _ => continue,
                },
                _ => continue,
            },
            _ => continue,
        };
        match value.and_then(literal) {
            Some(list) if add => names.get_or_insert_with(Vec::new).extend(list),
            Some(list) => names = Some(list),
            None => dynamic = true,
        }
    }
    if dynamic {
        return Some(Vec::new());
    }
    names
}

fn read_text(path: &std::path::Path) -> (String, Option<String>) {
    crate::encoding::read_source(path)
}

fn stage_one(path: PathBuf, display: String, source: Option<(String, Option<String>)>) -> Staged {
    let (name, is_package) = match &source {
        // in-memory sources: the module name is the dotted display path
        Some(_) => {
            let trimmed = display.trim_end_matches(".py");
            let is_package = trimmed.ends_with("__init__");
            let dotted = trimmed.trim_end_matches("/__init__").replace('/', ".");
            (dotted, is_package)
        }
        None => module_name(&path),
    };
    let mut table = ImportTable::new(name.clone(), is_package);
    let (text, read_error) = source.unwrap_or_else(|| read_text(&path));
    let mut module = Module {
        path,
        display,
        name,
        lines: LineIndex::new(&text),
        text,
        table: ImportTable::default(),
        error: read_error.map(|m| (TextRange::default(), m)),
        returns: HashMap::default(),
        callbacks: HashMap::default(),
        factories: HashMap::default(),
        factory_vars: HashMap::default(),
        globals: HashMap::default(),
        classes: Vec::new(),
        guarded_stores: HashSet::default(),
    };
    if module.error.is_some() {
        return Staged { module, ast: None, table, exports: None };
    }
    match ruff_python_parser::parse_module(&module.text) {
        Ok(parsed) => {
            module.guarded_stores = super::guards::guarded_stores(&parsed.syntax().body);
            table.closed = super::closed::is_closed_module(&module.name, &module.path, &parsed.syntax().body);
            super::bindings::collect_imports(&parsed.syntax().body, &mut table);
            super::bindings::collect_bindings(&parsed.syntax().body, &mut table, false);
            super::bindings::collect_bindings(&parsed.syntax().body, &mut table, true);
            let exports = dunder_all(&parsed.syntax().body);
            Staged { module, ast: Some(parsed), table, exports }
        }
        Err(err) => {
            module.error = Some(crate::syntax_position::syntax_error(&module.text, err.location, err.error.to_string()));
            Staged { module, ast: None, table, exports: None }
        }
    }
}

/// `from m import *`: bind the names star-imported project modules export (their
/// `__all__`, else their public names; names the module binds itself still win:
/// `extract` binds them again).
fn expand_stars(staged: &mut [Staged]) {
    let index: HashMap<String, usize> =
        staged.iter().enumerate().map(|(i, s)| (s.module.name.clone(), i)).collect();
    for _ in 0..8 {
        let mut changed = false;
        for i in 0..staged.len() {
            let Some(me) = staged.get(i) else { continue };
            let mut add: Vec<(String, String)> = Vec::new();
            for star in &me.table.stars {
                let Some(other) = index.get(star).and_then(|j| staged.get(*j)) else { continue };
                for name in other.table.bindings.keys() {
                    let exported = match &other.exports {
                        Some(list) => list.contains(name),
                        None => !name.starts_with('_'),
                    };
                    if exported && !me.table.bindings.contains_key(name) {
                        add.push((name.clone(), format!("{star}.{name}")));
                    }
                }
            }
            if let Some(me) = staged.get_mut(i) {
                for (name, target) in add {
                    changed = true;
                    me.table.bindings.insert(name, Binding::From(target));
                }
            }
        }
        if !changed {
            break;
        }
    }
}

fn stage_two(s: Staged) -> Parsed {
    let facts = s.ast.map(|parsed| extract(&s.module.text, parsed.syntax(), s.table));
    Parsed { module: s.module, facts }
}

/// A file to analyse: path, display name, and its text (with a read error) when it is
/// given in memory.
pub(super) type Input = (PathBuf, String, Option<(String, Option<String>)>);

pub(super) fn parse_all(items: Vec<Input>) -> Vec<Parsed> {
    let mut staged: Vec<Staged> = items.into_par_iter().map(|(p, d, s)| stage_one(p, d, s)).collect();
    expand_stars(&mut staged);
    staged.into_par_iter().map(stage_two).collect()
}
