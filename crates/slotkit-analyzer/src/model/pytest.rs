//! pytest's dependency injection: the parameters of test functions and fixtures get
//! the values of the fixtures named like them (`docs/fix-safety.md`, "Parameters").

use ruff_python_ast::{self as ast, Expr};

use super::extract::{FrameKind, Walker};
use super::members::decorator_name;
use super::ty::{Sym, Ty};

/// Which parameters pytest fills from fixtures.
pub(super) enum Injected {
    /// not a test or a fixture
    No,
    /// every parameter except these (parametrized: any value)
    Except(Vec<String>),
    /// parametrized in a way not read here: no parameter is a fixture
    None,
}

impl Walker<'_> {
    /// A test module by pytest's default file patterns, or a `conftest.py`.
    fn test_module(&self) -> bool {
        let last = self
            .facts
            .table
            .module
            .rsplit('.')
            .next()
            .unwrap_or_default();
        last.starts_with("test_") || last.ends_with("_test") || last == "conftest"
    }

    /// The name a fixture function registers (`@pytest.fixture(name="x")` or its own).
    pub(super) fn fixture_name(&self, func: &ast::StmtFunctionDef) -> Option<String> {
        for d in &func.decorator_list {
            let name = decorator_name(&self.facts.table, &d.expression);
            if !(name == "pytest.fixture"
                || name.ends_with(".fixture") && name.starts_with("pytest"))
            {
                continue;
            }
            if let Expr::Call(c) = &d.expression {
                for k in &c.arguments.keywords {
                    if k.arg.as_ref().is_some_and(|a| a.as_str() == "name") {
                        return match &k.value {
                            Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
                            _ => None,
                        };
                    }
                }
            }
            return Some(func.name.to_string());
        }
        None
    }

    /// Does pytest call `func` with fixture values (a test or a fixture in a test module
    /// or conftest), and which parameters are parametrized instead?
    pub(super) fn injected(&self, func: &ast::StmtFunctionDef) -> Injected {
        let fixture = self.fixture_name(func).is_some();
        if !self.test_module() || func.is_async {
            return Injected::No;
        }
        let test = func.name.as_str().starts_with("test")
            && match self.frames.last().map(|f| &f.kind) {
                Some(FrameKind::Module) => true,
                Some(FrameKind::Class(idx)) => self
                    .facts
                    .classes
                    .get(*idx)
                    .is_some_and(|c| c.name.starts_with("Test") && c.top_level),
                _ => false,
            };
        if !fixture && !test {
            return Injected::No;
        }
        // `pytestmark = pytest.mark.parametrize(...)`, a parametrized test class
        let class_marks = match self.frames.last().map(|f| &f.kind) {
            Some(FrameKind::Class(idx)) => self
                .facts
                .classes
                .get(*idx)
                .is_some_and(|c| c.decorators.iter().any(|d| d.contains("parametrize"))),
            _ => false,
        };
        if class_marks || self.facts.table.bindings.contains_key("pytestmark") {
            return Injected::None;
        }
        let mut names = Vec::new();
        for d in &func.decorator_list {
            let name = decorator_name(&self.facts.table, &d.expression);
            if !name.contains("parametrize") {
                continue;
            }
            let Expr::Call(c) = &d.expression else {
                return Injected::None;
            };
            let argnames = c.arguments.args.first().or_else(|| {
                c.arguments
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "argnames"))
                    .map(|k| &k.value)
            });
            match argnames {
                Some(Expr::StringLiteral(s)) => {
                    names.extend(s.value.to_str().split(',').map(|n| n.trim().to_string()));
                }
                Some(
                    Expr::List(ast::ExprList { elts, .. })
                    | Expr::Tuple(ast::ExprTuple { elts, .. }),
                ) => {
                    for e in elts {
                        let Expr::StringLiteral(s) = e else {
                            return Injected::None;
                        };
                        names.push(s.value.to_str().to_string());
                    }
                }
                _ => return Injected::None,
            }
        }
        Injected::Except(names)
    }

    /// The type of parameter `name` of a test or fixture.
    pub(super) fn fixture_param(&self, injected: &Injected, name: &str) -> Option<Ty> {
        match injected {
            Injected::Except(names) if !names.iter().any(|n| n == name) => {
                Some(vec![Sym::Fixture(name.to_string())])
            }
            _ => None,
        }
    }
}
