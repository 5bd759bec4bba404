//! Module names and the import table: turns a name or attribute chain used in a
//! module into a canonical dotted name (`weakref.ref`, `pkg.mod.Class`).

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use ruff_python_ast::{self as ast, Expr, Stmt};

/// What a module-level name is bound to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// `import a.b as c` binds `c` to module `a.b`; `import a.b` binds `a` to `a`.
    Module(String),
    /// `from m import n [as x]`: the dotted `m.n`
    From(String),
    /// a module-level class definition
    Class,
    /// `X = other.Name` alias: the aliased expression, qualified
    Alias(String),
    /// `X = namedtuple(...)` / `NamedTuple("X", ...)`
    NamedTupleFactory,
    /// a module-level function
    Function,
    /// any other module-level assignment
    Other,
}

#[derive(Debug, Clone, Default)]
pub struct ImportTable {
    pub module: String,
    pub is_package: bool,
    pub bindings: HashMap<String, Binding>,
    /// modules star-imported (`from m import *`), whose public names are bound here
    pub stars: Vec<String>,
    /// module-level names bound both by an import and by an assignment (`try: import
    /// ctypes` / `except ImportError: ctypes = None`): the imported dotted name
    pub also_imported: HashMap<String, String>,
    /// a test module or a module of a test/example/docs package: nothing outside the
    /// analysed code imports it (`model::closed`)
    pub closed: bool,
}

/// Dotted module name of a file, from the chain of packages (`__init__.py`) above it.
pub fn module_name(path: &Path) -> (String, bool) {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("module")
        .to_string();
    let is_package = stem == "__init__";
    let mut parts: Vec<String> = Vec::new();
    if !is_package {
        parts.push(stem);
    }
    let mut dir = path.parent();
    while let Some(d) = dir {
        if !d.join("__init__.py").is_file() {
            break;
        }
        match d.file_name().and_then(|s| s.to_str()) {
            Some(name) => parts.push(name.to_string()),
            None => break,
        }
        dir = d.parent();
    }
    if parts.is_empty() {
        parts.push("__init__".to_string());
    }
    parts.reverse();
    (parts.join("."), is_package)
}

impl ImportTable {
    pub fn new(module: String, is_package: bool) -> Self {
        Self {
            module,
            is_package,
            bindings: HashMap::default(),
            stars: Vec::new(),
            also_imported: HashMap::default(),
            closed: false,
        }
    }

    /// Absolute module for `from <level dots><name> import ...`.
    pub fn relative(&self, level: u32, name: Option<&str>) -> String {
        if level == 0 {
            return name.unwrap_or_default().to_string();
        }
        let mut parts: Vec<&str> = self.module.split('.').collect();
        if !self.is_package {
            parts.pop();
        }
        for _ in 1..level {
            parts.pop();
        }
        let mut base = parts.join(".");
        if let Some(n) = name {
            if !base.is_empty() {
                base.push('.');
            }
            base.push_str(n);
        }
        base
    }

    /// Record the bindings of an import statement (anywhere in the module).
    pub fn add_import(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Import(imp) => {
                for alias in &imp.names {
                    let full = alias.name.as_str().to_string();
                    match &alias.asname {
                        Some(asname) => {
                            self.bindings
                                .insert(asname.as_str().to_string(), Binding::Module(full));
                        }
                        None => {
                            let first = full.split('.').next().unwrap_or_default().to_string();
                            self.bindings.insert(first.clone(), Binding::Module(first));
                        }
                    }
                }
            }
            Stmt::ImportFrom(imp) => {
                let module = self.relative(imp.level, imp.module.as_ref().map(|m| m.as_str()));
                for alias in &imp.names {
                    let name = alias.name.as_str();
                    if name == "*" {
                        if !self.stars.contains(&module) {
                            self.stars.push(module.clone());
                        }
                        continue;
                    }
                    let local = alias.asname.as_ref().map_or(name, |a| a.as_str());
                    let target = if module.is_empty() {
                        name.to_string()
                    } else {
                        format!("{module}.{name}")
                    };
                    self.bindings.insert(local.to_string(), Binding::From(target));
                }
            }
            _ => {}
        }
    }

    /// Canonical dotted name of a `Name` / attribute chain / subscript base.
    pub fn qualify(&self, expr: &Expr) -> Option<String> {
        match expr {
            Expr::Name(n) => Some(self.qualify_name(n.id.as_str())),
            Expr::Attribute(a) => {
                let base = self.qualify(&a.value)?;
                Some(format!("{base}.{}", a.attr.as_str()))
            }
            Expr::Subscript(s) => self.qualify(&s.value),
            Expr::StringLiteral(s) => {
                let text = s.value.to_str();
                let parsed = ruff_python_parser::parse_expression(text).ok()?;
                match parsed.expr() {
                    e @ (Expr::Name(_) | Expr::Attribute(_)) => self.qualify(e),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    pub fn qualify_name(&self, name: &str) -> String {
        match self.bindings.get(name) {
            Some(Binding::Module(m)) => m.clone(),
            Some(Binding::From(t)) => t.clone(),
            Some(_) => format!("{}.{name}", self.module),
            None => format!("builtins.{name}"),
        }
    }
}

/// Is `expr` a call to `namedtuple(...)` / `NamedTuple(...)`?
pub fn is_namedtuple_call(table: &ImportTable, expr: &Expr) -> bool {
    let Expr::Call(ast::ExprCall { func, .. }) = expr else {
        return false;
    };
    matches!(
        table.qualify(func).as_deref(),
        Some("collections.namedtuple" | "typing.NamedTuple" | "typing_extensions.NamedTuple")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_imports_resolve_against_the_package() {
        let t = ImportTable::new("pkg.sub.mod".into(), false);
        assert_eq!(t.relative(1, Some("x")), "pkg.sub.x");
        assert_eq!(t.relative(2, Some("y")), "pkg.y");
        assert_eq!(t.relative(1, None), "pkg.sub");
        let p = ImportTable::new("pkg.sub".into(), true);
        assert_eq!(p.relative(1, Some("x")), "pkg.sub.x");
    }
}
