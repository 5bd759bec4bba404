//! Results of a few standard-library methods whose value is never a project instance.
//!
//! What a method of an outside object returns is unknown in general: outside code may
//! hand back what the project gave it. A handful of command-line parsers are an exception
//! worth knowing, because `vars(parser.parse_args())` is a common idiom and `vars()` on a
//! receiver of unknown type makes every fix of a project unsafe (sqlparse's `cli.py`,
//! click's tests): `argparse.ArgumentParser.parse_args()` returns a new `Namespace`
//! unless a `namespace` is passed, `optparse.OptionParser.parse_args()` a new `Values`
//! unless `values` is passed (typeshed: `argparse.pyi`, `optparse.pyi`). Only for a parser
//! the analysed code makes itself (`argparse.ArgumentParser(...)`): a value annotated
//! `ArgumentParser` may be a project subclass overriding the method.

use ruff_python_ast::{self as ast};

use super::ty::{Sym, Ty};

/// (outside class, method, the parameter that hands in the result object, its position
/// after `self`, the class of the object made otherwise, the result is a pair with a list)
const KNOWN: &[(&str, &str, &str, usize, &str, bool)] = &[
    ("argparse.ArgumentParser", "parse_args", "namespace", 1, "argparse.Namespace", false),
    ("argparse.ArgumentParser", "parse_known_args", "namespace", 1, "argparse.Namespace", true),
    ("argparse.ArgumentParser", "parse_intermixed_args", "namespace", 1, "argparse.Namespace", false),
    ("argparse.ArgumentParser", "parse_known_intermixed_args", "namespace", 1, "argparse.Namespace", true),
    ("optparse.OptionParser", "parse_args", "values", 1, "optparse.Values", true),
];

/// The result of `recv.method(...)` when every value `recv` may hold is one of the known
/// parsers and the call hands in no object of its own. `returns` gives what a function of
/// this module returns, for a parser made by a factory (`parser = create_parser()`).
pub fn known_result(recv: &Ty, method: &str, call: &ast::ExprCall, returns: &dyn Fn(&str) -> Option<Ty>) -> Option<Ty> {
    let expanded: Ty = recv
        .iter()
        .flat_map(|s| match s {
            Sym::Made(f) => returns(f).unwrap_or_else(|| vec![s.clone()]),
            s => vec![s.clone()],
        })
        .collect();
    let mut out: Option<Ty> = None;
    for s in &expanded {
        // made right there (`argparse.ArgumentParser(...)`): exactly that class (an
        // annotation may also stand for a project subclass overriding the method)
        let Sym::Made(class) = s else { return None };
        let &(_, _, param, pos, made, pair) = KNOWN.iter().find(|k| k.0 == class && k.1 == method)?;
        let given = call.arguments.args.len() > pos
            || call.arguments.args.iter().any(|a| matches!(a, ast::Expr::Starred(_)))
            || call.arguments.keywords.iter().any(|k| k.arg.as_ref().is_none_or(|a| a.as_str() == param));
        if given {
            return None;
        }
        let obj = Sym::Made(made.to_string());
        let t = if pair { vec![Sym::Container(vec![obj, Sym::Container(Vec::new())])] } else { vec![obj] };
        out = Some(t);
    }
    out
}

/// Outside functions that return an instance of a known outside class (typeshed), or of
/// one of its subclasses: `logging.getLogger()` returns a `logging.Logger` (a project
/// class reaches it only by subclassing `logging.Logger`, which `logging.setLoggerClass`
/// requires). Project subclasses are matched by the base they name, as everywhere.
const FUNCTION_RESULTS: &[(&str, &str)] = &[
    ("logging.getLogger", "logging.Logger"),
    ("re.compile", "re.Pattern"),
    ("re.match", "re.Match"),
    ("re.search", "re.Match"),
    ("re.fullmatch", "re.Match"),
    ("builtins.open", "io.IOBase"),
    ("io.open", "io.IOBase"),
    // a new class (`Spec = namedtuple(...)`): an instance of `type`, no project object
    ("collections.namedtuple", "builtins.type"),
];

/// The outside class whose instances outside function `dotted` returns, if known.
pub fn function_result_class(dotted: &str) -> Option<&'static str> {
    FUNCTION_RESULTS.iter().find(|(f, _)| *f == dotted).map(|(_, c)| *c)
}

/// Outside functions that return a module: `importlib.util.module_from_spec(spec)` makes a
/// new `types.ModuleType` unless the spec's loader makes the object itself
/// (`create_module()`), and `importlib.import_module(name)` / `__import__(name)` return an
/// item of `sys.modules` (`model::module_table`). markdown's `htmlparser.py` loads a second
/// copy of `html.parser` with the first and patches four names into it; they were stores
/// on a receiver of unknown type, reaching every class of the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModuleFactory {
    /// a new module, unless a project class defines `create_module`
    FromSpec,
    /// an item of `sys.modules`
    Imported,
}

pub fn module_factory(dotted: &str) -> Option<ModuleFactory> {
    match dotted {
        "importlib.util.module_from_spec" => Some(ModuleFactory::FromSpec),
        "importlib.import_module" | "builtins.__import__" => Some(ModuleFactory::Imported),
        _ => None,
    }
}
