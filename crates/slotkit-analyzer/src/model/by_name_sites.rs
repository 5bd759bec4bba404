//! Where the call sites of computed `getattr`s' values and of `type(x)(...)` lead
//! (`model::by_name` finds them): the functions, methods and classes whose name starts
//! with the name's literal prefix, whose signature accepts the call, and that the
//! receiver may hold.

use super::class::{ClassId, ModuleId};
use super::extract::CallSite;
use super::flow::Val;
use super::project::{BaseTarget, Project};
use super::ty::Ty;

/// How a function can be called: a call with a wrong number of arguments raises
/// `TypeError` before its parameters are bound, so a computed `getattr`'s value called
/// with two arguments passes nothing to a function that takes three.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arity {
    /// positional parameters (after `self` for a method or a class)
    pub positional: usize,
    /// those without a default
    pub required: usize,
    /// `*args`
    pub varargs: bool,
    /// a keyword-only parameter without a default
    pub required_keyword: bool,
}

impl Arity {
    /// The arity of `params`, the first `skip` positional ones (`self`) left out.
    pub fn of(params: &ruff_python_ast::Parameters, skip: usize) -> Arity {
        let positional: Vec<&ruff_python_ast::ParameterWithDefault> = params.posonlyargs.iter().chain(params.args.iter()).collect();
        let rest = positional.get(skip..).unwrap_or_default();
        Arity {
            positional: rest.len(),
            required: rest.iter().filter(|p| p.default.is_none()).count(),
            varargs: params.vararg.is_some(),
            required_keyword: params.kwonlyargs.iter().any(|p| p.default.is_none()),
        }
    }

    /// Can a call with these arguments bind? (keywords are not matched to names: a call
    /// with any keyword may fill the missing parameters)
    fn admits(&self, site: &CallSite) -> bool {
        if site.spread {
            return true;
        }
        let n = site.args.len();
        let too_many = n > self.positional && !self.varargs;
        let too_few = site.keywords.is_empty() && (n < self.required || self.required_keyword);
        !too_many && !too_few
    }
}

impl Project {
    /// The call sites (indexes into `call_sites`) that may call `canonical`: its calls by
    /// name, the calls of computed `getattr`s whose name may be its name, and for a class
    /// (whose `__init__` the sites fill) the `type(x)(...)` calls.
    pub(super) fn sites_of(&self, canonical: &str) -> Vec<usize> {
        let mut out: Vec<usize> = self.calls_of.get(canonical).cloned().unwrap_or_default();
        let last = canonical.rsplit('.').next().unwrap_or(canonical);
        out.extend(self.by_name_sites.iter().filter(|(prefix, _)| last.starts_with(prefix.as_str())).map(|(_, i)| *i));
        if self.is_project_class(canonical) {
            out.extend(self.by_type_sites.iter().copied());
        }
        out
    }

    fn is_project_class(&self, canonical: &str) -> bool {
        matches!(self.resolve(canonical), BaseTarget::Project(_))
    }

    /// May `x` (a `type(x)(...)` site's) be an instance of class `c` itself?
    pub(super) fn may_be_instance_of(&self, mid: ModuleId, x: &Ty, c: ClassId, depth: usize) -> bool {
        self.eval_ty(mid, x, depth + 1).iter().any(|v| match v {
            Val::Unknown => !self.confined.contains(&c),
            Val::Inst(k) => *k == c || self.descendants(*k).contains(&c),
            _ => false,
        })
    }

    /// Can `site`'s arguments bind to some function, method or class of key `canonical`?
    pub(super) fn admits(&self, canonical: &str, site: &CallSite) -> bool {
        self.arities.get(canonical).is_none_or(|all| all.iter().any(|a| a.admits(site)))
    }

    /// May the call of a computed `getattr`'s value at `site` call `canonical`? A method
    /// only if the receiver may be a project instance or class (or anything); a function
    /// or class of a module only if the receiver may be a module (anything, an outside
    /// object such as an item of `sys.modules`, a project module) or a class (its nested
    /// classes).
    /// `class`: `canonical` is a class (its `__init__`'s key).
    pub(super) fn by_name_reaches(&self, mid: ModuleId, site: &CallSite, canonical: &str, class: bool, depth: usize) -> bool {
        let Some(recv) = &site.receiver else { return true };
        let vals = self.eval_ty(mid, recv, depth + 1);
        if canonical.starts_with("<method>.") {
            return vals.iter().any(|v| matches!(v, Val::Unknown | Val::Inst(_) | Val::Class(_)));
        }
        let unknown_reaches = self.unknown_may_hold_module_of(canonical);
        // (a class object's attribute is a class nested in it, not a module function)
        vals.is_empty()
            || vals.iter().any(|v| match v {
                Val::Unknown => unknown_reaches,
                Val::Opaque => true,
                Val::Class(_) => class,
                _ => false,
            })
    }

    /// May a value of unknown type be the module object holding module-level `canonical`?
    /// Not for a closed module nobody imports: no analysed code holds it, and nothing
    /// outside imports it.
    pub(super) fn unknown_may_hold_module_of(&self, canonical: &str) -> bool {
        let module = canonical.rsplit_once('.').map_or("", |(m, _)| m);
        !self.unimported_closed.contains(module)
    }
}
