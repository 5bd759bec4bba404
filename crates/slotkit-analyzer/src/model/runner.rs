//! Test functions and methods called by the test runner: what it passes to a parameter
//! with a default.
//!
//! In a closed module (`model::closed`), a test the runner collects (`test*`, undecorated)
//! is called by `unittest` with no argument, and by pytest with fixtures for the parameters
//! *without* a default: pytest refuses to parametrize one that has a default ("function
//! already takes an argument 'key' with a default value"), directly, through `pytestmark`
//! or `pytest_generate_tests`. So such a parameter holds its default, plus what the
//! project's own calls of the test pass (`Sym::Arg(key, RUNNER_CALLERS, class)` stands for
//! the runner: nothing, unless other outside code may call the test too: an open module
//! calls or reads the name, a computed `getattr` reaches it, or the class has an outside
//! base other than `unittest.TestCase`). cachetools' `def test_pickle(self,
//! key=cachetools.keys.hashkey)` stored nothing on anything before: `key()` was a call of
//! anything, and `k.__dict__` on its result a use no slot keeps working, which made every
//! fix of the project unsafe.

use ruff_python_ast as ast;

use super::class::ClassId;
use super::extract::{FrameKind, Walker};
use super::project::{BaseTarget, Project};

/// `Sym::Arg` position standing for "what the test runner passes": nothing.
pub const RUNNER_CALLERS: usize = usize::MAX - 2;

/// Outside bases whose code calls a test method with no argument.
const RUNNER_BASES: &[&str] = &[
    "builtins.object",
    "unittest.TestCase",
    "unittest.case.TestCase",
    "unittest.IsolatedAsyncioTestCase",
    "unittest.async_case.IsolatedAsyncioTestCase",
];

impl Walker<'_> {
    /// Is `func` a test the runner calls, in a closed module (module docs)?
    pub(super) fn runner_called(&self, func: &ast::StmtFunctionDef) -> bool {
        if !self.facts.table.closed || !func.decorator_list.is_empty() || !func.name.as_str().starts_with("test") {
            return false;
        }
        match self.frames.last().map(|f| &f.kind) {
            Some(FrameKind::Module) => true,
            Some(FrameKind::Class(_)) => func.parameters.posonlyargs.len() + func.parameters.args.len() > 0,
            _ => false,
        }
    }
}

impl Project {
    /// May code other than the test runner call test `canonical` (a module-level function,
    /// or `<method>.name` of class `cid`) from outside the project?
    pub(super) fn called_beyond_runner(&self, canonical: &str, cid: Option<ClassId>) -> bool {
        let (scope_ok, last) = match canonical.strip_prefix("<method>.") {
            Some(m) => {
                // (the class not known: every class defining a method of that name)
                let runner_bases = match cid {
                    Some(c) => self.only_runner_bases(c),
                    None => (0..self.classes.len())
                        .filter(|k| self.classes.get(*k).is_some_and(|c| c.member(m).is_some()))
                        .all(|k| self.only_runner_bases(k)),
                };
                (runner_bases && !self.method_reached_by_name(cid, m), m)
            }
            None => {
                let (module, name) = canonical.rsplit_once('.').unwrap_or(("", canonical));
                (self.closed_modules.contains(module) && !self.escaped_functions.contains(canonical), name)
            }
        };
        !scope_ok
            || self.open_names.contains(last)
            || self.escaped_prefixes.iter().any(|(scope, prefix)| super::private_calls::in_scope(scope, canonical) && last.starts_with(prefix.as_str()))
            || (!canonical.starts_with("<method>.") && self.has_outside_callers_by_receiver(canonical))
    }

    /// Are the class's outside bases (over its project ancestors) only `object` and
    /// `unittest`'s test cases?
    fn only_runner_bases(&self, cid: ClassId) -> bool {
        std::iter::once(cid).chain(crate::plan::ancestors(self, cid)).all(|k| {
            self.bases.get(k).is_some_and(|bases| {
                bases.iter().all(|b| match b {
                    BaseTarget::Project(_) => true,
                    BaseTarget::External(d) => RUNNER_BASES.contains(&d.as_str()),
                    _ => false,
                })
            })
        })
    }
}
