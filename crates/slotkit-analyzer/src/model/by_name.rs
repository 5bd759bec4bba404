//! Computed `getattr`s whose value does not escape.
//!
//! `getattr(obj, name)` with a computed name may give any function or method of `obj`.
//! When the value can go anywhere (stored, returned, passed on), whatever it reaches may
//! be called with anything: those functions and methods keep parameters of unknown type
//! (`model::private_calls`). Most computed `getattr`s in real code do less:
//!
//! - the value is only **read**: compared (`getattr(o, n) is None`, `== v`), tested (`if
//!   getattr(o, n):`), discarded, formatted, or handed to a builtin that does not call
//!   it (`str`, `repr`, `print`, `isinstance`, `callable`, `type`, `len`, `hasattr`,
//!   `getattr`...): it reaches no call;
//! - the value is **called** where it is made (`getattr(self, "visit_" + kind)(node)`),
//!   or bound to a local of a function whose every load is a call or a read (`fn =
//!   getattr(v, cmd, None)` ... `if fn is None` ... `fn()`): each such call is a call
//!   site of every function and method whose name starts with the name's literal prefix
//!   (`Project::args_passed`), with those arguments.
//!
//! Anything else (an attribute of the value, an item, an element of a container, a
//! return, an argument of any other call, a module-level variable, a local also loaded
//! elsewhere) lets it escape, as before.
//!
//! `type(x)(...)` and `x.__class__(...)` make an instance of whatever class `x` is: those
//! calls are call sites of every class's `__init__` whose instances `x` may be
//! (`model::closed`).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::TextRange;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::value_uses::{collect_methods, Ctx, Pass, Scope};

/// The callee of the call sites of computed `getattr`s' values: followed by the name's
/// literal prefix.
pub const BY_NAME: &str = "<by-name>";
/// The callee of `type(x)(...)` call sites.
pub const BY_TYPE: &str = "<by-type>";

/// What the pre-pass finds in a module.
#[derive(Debug, Default)]
pub struct ByName {
    /// computed `getattr` calls whose value does not escape
    pub quiet: HashSet<TextRange>,
    /// calls of such values: the call's range -> (the `getattr`'s range, the literal
    /// prefix of its name) for each `getattr` whose value it may call
    pub calls: HashMap<TextRange, Vec<(TextRange, String)>>,
    /// those of `quiet` bound to a module variable (in a closed module): they escape
    /// after all when another module imports this one (`Project::link_parsed`)
    pub module_level: HashSet<TextRange>,
    /// `type(x)` / `x.__class__` whose value (the class of `x`) escapes: it may be called
    /// with anything (`model::closed`: the `__init__` of a class `x` may be)
    pub class_of_escapes: HashSet<TextRange>,
    /// calls of a local bound to `type(x)` / `x.__class__` (`cls = type(x); cls(a)`): the
    /// call's range -> the ranges of the expressions giving the class
    pub class_of_calls: HashMap<TextRange, Vec<TextRange>>,
    /// (closed modules) top-level classes none of whose instances leaves the module: the
    /// class is only called or tested (`isinstance`), each instance made is only entered
    /// (`with C(...):`), read or has its attributes used, and no method lets `self`
    /// escape. A value of unknown type elsewhere is none of their instances.
    pub confined: HashSet<String>,
}

/// Classify the computed `getattr`s of a module. `is_builtin(name)` says whether a
/// name is the builtin of that name (not bound by the module); in a `closed` module
/// (`model::closed`) module variables are tracked like a function's locals.
pub fn collect(body: &[Stmt], is_builtin: &dyn Fn(&str) -> bool, closed: bool) -> ByName {
    let mut methods = HashSet::default();
    collect_methods(body, &mut methods);
    let top_classes = body
        .iter()
        .filter_map(|s| match s {
            Stmt::ClassDef(c) => Some(c.name.to_string()),
            _ => None,
        })
        .collect();
    let mut pass = Pass {
        is_builtin,
        scopes: Vec::new(),
        stack: Vec::new(),
        found: Vec::new(),
        bound_name: None,
        in_class: false,
        methods,
        top_classes,
        method_of: None,
        self_escapes: HashSet::default(),
        module_scope: false,
    };
    if closed {
        pass.scopes.push(Scope { loads: HashMap::default(), shared: HashSet::default() });
        pass.stack.push(0);
        pass.module_scope = true;
    }
    pass.body(body);
    let mut out = ByName::default();
    let found = std::mem::take(&mut pass.found);
    for g in &found {
        let uses: Vec<Ctx> = match (g.ctx, &g.local) {
            (Ctx::Bound(s), Some(name)) => {
                let scope = &pass.scopes[s];
                if scope.shared.contains(name) {
                    vec![Ctx::Escapes]
                } else {
                    scope.loads.get(name).cloned().unwrap_or_default()
                }
            }
            (ctx, _) => vec![ctx],
        };
        if let Some(class) = &g.instance_of {
            if uses.iter().any(|c| matches!(c, Ctx::Escapes | Ctx::Bound(_) | Ctx::AttrOf(true))) {
                pass.self_escapes.insert(class.clone());
            }
            continue;
        }
        let escapes = uses.iter().any(|c| match c {
            Ctx::Escapes | Ctx::Bound(_) | Ctx::AttrOf(true) => true,
            // a function's attribute may be the function itself (`__func__`)
            Ctx::AttrOf(false) => !g.class_of,
            Ctx::Read | Ctx::Called(_) => false,
        });
        if g.class_of {
            if escapes {
                out.class_of_escapes.insert(g.range);
            } else if g.local.is_some() {
                // (called where it is made: a `type(x)(...)` call site of its own)
                for c in &uses {
                    if let Ctx::Called(call) = c {
                        out.class_of_calls.entry(*call).or_default().push(g.range);
                    }
                }
            }
            continue;
        }
        if escapes {
            continue;
        }
        out.quiet.insert(g.range);
        if closed && g.ctx == Ctx::Bound(0) {
            out.module_level.insert(g.range);
        }
        for c in uses {
            if let Ctx::Called(call) = c {
                out.calls.entry(call).or_default().push((g.range, g.prefix.clone()));
            }
        }
    }
    if closed {
        // the class's name only called or tested where it is used
        let module_loads = pass.scopes.first().map(|s| &s.loads);
        for class in &pass.top_classes {
            let named = module_loads.and_then(|l| l.get(class)).map_or(&[][..], |v| v.as_slice());
            let only_called = named.iter().all(|c| matches!(c, Ctx::Called(_) | Ctx::Read));
            if only_called && !pass.self_escapes.contains(class) {
                out.confined.insert(class.clone());
            }
        }
    }
    out
}

/// The literal start of a computed name (`"_visit_" + kind`, `f"do_{x}"`): names that do
/// not start with it cannot be reached. Empty when unknown.
pub fn literal_prefix(e: &Expr) -> String {
    match e {
        Expr::BinOp(b) if b.op == ast::Operator::Add => literal_prefix(&b.left),
        Expr::StringLiteral(s) => s.value.to_str().to_string(),
        Expr::FString(f) => match f.value.iter().next() {
            Some(ast::FStringPart::Literal(l)) => l.value.to_string(),
            Some(ast::FStringPart::FString(fs)) => match fs.elements.iter().next() {
                Some(ast::InterpolatedStringElement::Literal(l)) => l.value.to_string(),
                _ => String::new(),
            },
            None => String::new(),
        },
        _ => String::new(),
    }
}
