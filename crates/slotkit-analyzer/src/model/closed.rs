//! Closed modules: test modules and the modules of a source tree's test, example and
//! documentation folders. Nothing outside the analysed code imports them, so their public
//! functions, classes and methods are called by the analysed code only, like private ones
//! (`model::private_calls`): their parameters hold what the project passes.
//!
//! A module is closed when its dotted name starts with a package named `tests`, `test`,
//! `testing`, `examples`, `example`, `docs`, `doc`, `demo`, `demos`, `benchmarks` or
//! `bench`; when it is a top-level pytest module (`test_*.py`, `*_test.py`,
//! `conftest.py`); or when its file is in such a folder directly below the root of the
//! source tree it belongs to (the nearest folder above it with `pyproject.toml`,
//! `setup.py` or `setup.cfg`), packaged or not (`examples/statemachine/statemachine.py`,
//! whose module is `statemachine`). A module with a doctest in a docstring is open (the
//! doctest calls its functions with anything).
//!
//! What calls them anyway, and is accounted for:
//! - pytest and unittest call test functions and methods, fixtures, hooks and setup /
//!   teardown methods: names starting with `test`, `setup`, `teardown`, `setUp`,
//!   `tearDown`, `pytest_` keep unknown parameters;
//! - a name used as a value (passed, stored, subclassed, decorated, in `__all__`,
//!   `getattr(mod, "main")`) escapes, as for private names; a computed `getattr` whose
//!   value escapes reaches every name with its prefix; one whose value is only called is
//!   a call site (`model::by_name`);
//! - a method name called, or read without a call, in an open module may reach the
//!   closed class's method with anything: that method keeps unknown parameters;
//! - a class with a base outside the project may have its methods called by outside
//!   code: unknown parameters; a method overriding an annotated one keeps what the base
//!   promises;
//! - `__init__` gets the arguments of the calls of the class by name, of calls of a
//!   computed `getattr`'s value that may reach it, and of `type(x)(...)` for an `x` that
//!   may be one of its instances, only for an undecorated class with no base but
//!   `object`, no subclass, no classmethod or staticmethod, and no
//!   `type(self)`/`__class__`/`cls(` in its body.
//!
//! Limits (`docs/fix-safety.md`): code the analysis does not see that imports a closed
//! module anyway (generated code run with `exec`, a module fetched by a computed name
//! from `sys.modules` or `importlib`) is not accounted for.

use std::path::Path;

use ruff_python_ast::{self as ast};

use super::class::ClassId;
use rustc_hash::FxHashSet as HashSet;

use super::imports::Binding;
use super::project::{BaseTarget, Project};
use super::stage::Parsed;

const CLOSED_PACKAGES: &[&str] =
    &["tests", "test", "testing", "examples", "example", "docs", "doc", "demo", "demos", "benchmarks", "bench"];

/// `Arg` positions from this one on stand for "every positional argument from
/// `pos - STAR_FROM` on" (a `*args` parameter).
pub const STAR_FROM: usize = usize::MAX / 2;

/// Is this module closed (module docs)? `path` is its file (a display path for in-memory
/// sources, which then never are in a closed folder), `body` its statements.
pub fn is_closed_module(dotted: &str, path: &Path, body: &[ast::Stmt]) -> bool {
    // doctests run code the analysis does not see, calling the module's functions
    if has_doctest(body) {
        return false;
    }
    let first = dotted.split('.').next().unwrap_or(dotted);
    if CLOSED_PACKAGES.contains(&first) {
        return true;
    }
    // a top-level test module (`test_x.py` next to the code, collected by pytest)
    if !dotted.contains('.') && (first.starts_with("test_") || first.ends_with("_test") || first == "conftest") {
        return true;
    }
    // a file of a source tree's `tests/`, `examples/`... folder, packaged or not
    path.is_file() && in_closed_folder(path)
}

/// Does a docstring of the module, or of a class or function in it, hold a doctest?
fn has_doctest(body: &[ast::Stmt]) -> bool {
    let doc = body.first().is_some_and(|s| match s {
        ast::Stmt::Expr(e) => matches!(&*e.value, ast::Expr::StringLiteral(l) if l.value.to_str().contains(">>>")),
        _ => false,
    });
    doc || body.iter().any(|s| match s {
        ast::Stmt::ClassDef(c) => has_doctest(&c.body),
        ast::Stmt::FunctionDef(f) => has_doctest(&f.body),
        ast::Stmt::If(i) => has_doctest(&i.body) || i.elif_else_clauses.iter().any(|c| has_doctest(&c.body)),
        _ => false,
    })
}

/// Markers of a source tree's root: what is below it and not a package the build installs
/// is not importable by users.
const ROOT_MARKERS: &[&str] = &["pyproject.toml", "setup.py", "setup.cfg"];

/// Is `path` in a closed folder (`CLOSED_PACKAGES`) directly below the nearest source-tree
/// root above it? (`<root>/examples/statemachine/statemachine.py`)
fn in_closed_folder(path: &Path) -> bool {
    let Ok(abs) = std::path::absolute(path) else { return false };
    let mut below: Option<&std::ffi::OsStr> = None;
    let mut dir = abs.parent();
    while let Some(d) = dir {
        if ROOT_MARKERS.iter().any(|m| d.join(m).is_file()) {
            return below.and_then(|b| b.to_str()).is_some_and(|b| CLOSED_PACKAGES.contains(&b));
        }
        below = d.file_name();
        dir = d.parent();
    }
    false
}

/// A public name of a closed module that only the analysed code calls (not a dunder, not
/// a name test runners call).
pub fn project_called(name: &str) -> bool {
    let runner = ["test", "setup", "teardown", "setUp", "tearDown", "asyncSetUp", "asyncTearDown", "pytest_"];
    !name.starts_with("__") && !runner.iter().any(|p| name.starts_with(p))
}

impl super::extract::Walker<'_> {
    /// Is `func` the `__init__` of a class of a closed module whose instances are made by
    /// calls of its name only (module docs)? Then its dotted name.
    pub(super) fn closed_init_class(&self, func: &ast::StmtFunctionDef) -> Option<String> {
        if func.name.as_str() != "__init__" || !self.facts.table.closed || !func.decorator_list.is_empty() {
            return None;
        }
        let idx = self.in_class_body()?;
        let class = self.facts.classes.get(idx)?;
        if !class.top_level || !class.bases.is_empty() || class.metaclass.is_some() || !class.decorators.is_empty() {
            return None;
        }
        let text = self.source.get(class.range.start().to_usize()..class.range.end().to_usize())?;
        if ["type(self)", "__class__", "cls(", "classmethod", "staticmethod", "__new__"].iter().any(|t| text.contains(t)) {
            return None;
        }
        Some(self.facts.table.qualify_name(&class.name))
    }
}

impl Project {
    /// Is `canonical` a public name of a closed module that only the analysed code calls,
    /// and that does not escape?
    pub(super) fn closed_and_kept(&self, canonical: &str) -> bool {
        let Some((module, name)) = canonical.rsplit_once('.') else { return false };
        self.closed_modules.contains(module)
            && project_called(name)
            && !self.escaped_functions.contains(canonical)
            && !self.open_names.contains(name)
            && self.class_of_init(canonical).is_none_or(|c| self.descendants(c).is_empty())
    }

    /// A public method name of closed classes that no open module calls or reads.
    pub(super) fn closed_method_kept(&self, name: &str) -> bool {
        project_called(name) && !self.open_names.contains(name)
    }

    fn class_of_init(&self, canonical: &str) -> Option<ClassId> {
        match self.resolve(canonical) {
            BaseTarget::Project(c) => Some(c),
            _ => None,
        }
    }

    /// Has the class a base outside the project (whose code may call its methods)?
    pub(super) fn has_outside_base(&self, cid: ClassId) -> bool {
        std::iter::once(cid).chain(crate::plan::ancestors(self, cid)).any(|k| {
            self.bases.get(k).is_none_or(|bases| {
                bases.iter().any(|b| match b {
                    BaseTarget::Project(_) => false,
                    BaseTarget::External(d) => !crate::fix_safety::PLAIN_BASES.contains(&d.as_str()),
                    _ => true,
                })
            })
        })
    }
}

/// The names some module of the project imports (`import m`, `from m import x`, `from
/// pkg import m`): a module is imported when one of them is its dotted name, a package
/// above it (`import a` then `a.b.c`) or a name in it.
pub(super) fn imported_names(parsed: &[Parsed]) -> Vec<String> {
    let mut out: HashSet<String> = HashSet::default();
    for p in parsed {
        let Some(facts) = &p.facts else { continue };
        for b in facts.table.bindings.values() {
            if let Binding::Module(d) | Binding::From(d) = b {
                out.insert(d.clone());
            }
        }
    }
    out.into_iter().collect()
}

pub(super) fn is_imported(module: &str, names: &[String]) -> bool {
    names.iter().any(|d| {
        d == module
            || d.strip_prefix(module).is_some_and(|r| r.starts_with('.'))
            || module.strip_prefix(d.as_str()).is_some_and(|r| r.starts_with('.'))
    })
}
