//! Resolving symbolic types (`ty.rs`) across the project once every module is parsed:
//! which project classes a receiver may be an instance of, or whether it may be
//! anything (`Unknown`).

use rustc_hash::FxHashSet as HashSet;

use super::class::{ClassId, ModuleId};
use super::project::{BaseTarget, Project};
use super::ty::{Sym, Ty};

/// A resolved value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Val {
    /// an instance of this class or of a subclass
    Inst(ClassId),
    /// this class object or a subclass
    Class(ClassId),
    /// a container of these
    Container(Vec<Val>),
    /// an object made outside the project (an instance of an outside class): not a
    /// project instance itself, but its attributes and items may be anything
    Opaque,
    /// the object an outside module-level name refers to (`sys`, `os.path`, an outside
    /// class or function): an outside object like `Opaque`, and never a project module
    /// (a computed `getattr` on it reaches no project function: `model::closed`)
    Foreign,
    Unknown,
}

const MAX_DEPTH: usize = 10;

/// Containers nested deeper than this in an attribute's value are anything: stores such
/// as `ctx.blocks.update((k, list(v)) for k, v in self.blocks.items())` would otherwise
/// nest one level deeper in each round of attribute typing and never settle.
const MAX_NESTING: usize = 4;

/// `vals` with containers nested deeper than `MAX_NESTING` replaced by `Unknown`.
pub fn cap_nesting(vals: Vec<Val>) -> Vec<Val> {
    fn cap(vals: Vec<Val>, left: usize) -> Vec<Val> {
        let mut out = Vec::new();
        for v in vals {
            let v = match v {
                Val::Container(_) if left == 0 => Val::Unknown,
                Val::Container(inner) => Val::Container(cap(inner, left - 1)),
                v => v,
            };
            push(&mut out, v);
        }
        out
    }
    cap(vals, MAX_NESTING)
}

/// pytest's builtin fixtures whose values are outside objects that hold no value of the
/// test's choosing (`request` is not one: `request.param` may be anything).
const BUILTIN_FIXTURES: &[&str] = &[
    "monkeypatch", "tmp_path", "tmpdir", "tmp_path_factory", "tmpdir_factory", "capsys",
    "capsysbinary", "capfd", "capfdbinary", "caplog", "recwarn", "pytestconfig",
    "record_property", "record_testsuite_property", "record_xml_attribute",
];

/// What method `m` of a builtin container holding `inner` returns.
fn container_method(inner: Vec<Val>, m: &str) -> Vec<Val> {
    use super::exprs::{ELEMENT_METHODS, VIEW_METHODS};
    if m == "items" {
        // pairs: unpacking one gives the keys and values (`exprs::container_method`)
        vec![Val::Container(vec![Val::Container(inner)])]
    } else if ELEMENT_METHODS.contains(&m) {
        inner
    } else if VIEW_METHODS.contains(&m) {
        vec![Val::Container(inner)]
    } else if m.starts_with("__") {
        vec![Val::Unknown]
    } else {
        // `append`, `index`, ... or no method of a builtin container (`exprs::container_method`)
        Vec::new()
    }
}


pub(super) fn push(out: &mut Vec<Val>, v: Val) {
    if !out.contains(&v) {
        out.push(v);
    }
}

impl Project {
    /// Resolve a type written in module `mid`.
    pub fn eval_ty(&self, mid: ModuleId, ty: &Ty, depth: usize) -> Vec<Val> {
        let mut out = Vec::new();
        for s in ty {
            for v in self.eval_sym(mid, s, depth) {
                push(&mut out, v);
            }
        }
        out
    }

    pub fn eval_sym(&self, mid: ModuleId, sym: &Sym, depth: usize) -> Vec<Val> {
        self.memo.evaluations.set(self.memo.evaluations.get() + 1);
        if depth > MAX_DEPTH {
            self.memo.depth_limit();
            return vec![Val::Unknown];
        }
        let local = |idx: &usize| self.modules.get(mid).and_then(|m| m.classes.get(*idx)).copied();
        match sym {
            Sym::This(i) | Sym::Local(i) => local(i).map_or_else(|| vec![Val::Unknown], |c| vec![Val::Inst(c)]),
            Sym::LocalCls(i) => local(i).map_or_else(|| vec![Val::Unknown], |c| vec![Val::Class(c)]),
            Sym::Named(d) => self.eval_dotted(0, d, depth),
            Sym::Made(d) => self.eval_dotted(1, d, depth),
            Sym::NamedCls(d) => self.eval_dotted(2, d, depth),
            Sym::Global(d) => self.eval_dotted(3, d, depth),
            Sym::DescrObj(_) => vec![Val::Unknown],
            Sym::SelfArgs(i) => {
                let first = local(i).map_or(Val::Unknown, Val::Inst);
                vec![Val::Container(vec![first, Val::Unknown])]
            }
            Sym::AnyAttr(base) => {
                let mut out = Vec::new();
                for b in self.eval_sym(mid, base, depth + 1) {
                    let vals = match b {
                        Val::Inst(c) => self.any_attr_of(c, depth + 1),
                        Val::Container(_) => Vec::new(),
                        Val::Opaque | Val::Foreign => self.outside_any_attr(),
                        Val::Class(_) | Val::Unknown => vec![Val::Unknown],
                    };
                    vals.into_iter().for_each(|v| push(&mut out, v));
                }
                out
            }
            Sym::Fixture(name) => self.fixture_value(name, depth + 1),
            Sym::Callback(deco, pos) => self.callback_arg(deco, *pos, depth + 1),
            Sym::FactoryCallback(factory, args, pos) => self.factory_arg(mid, factory, args, *pos, depth + 1),
            Sym::Overridden(idx, m, pos, name) => match local(idx) {
                Some(c) => self.overridden_param(c, m, *pos, name, depth + 1),
                None => vec![Val::Unknown],
            },
            Sym::Stored(base, name, value) => self.stored_attr(mid, base, name, value, depth + 1),
            Sym::OutsideOr(outside, promised) => {
                let vals = self.eval_sym(mid, outside, depth + 1);
                if vals.contains(&Val::Unknown) {
                    self.eval_ty(mid, promised, depth + 1)
                } else {
                    vals
                }
            }
            Sym::Excluding(value, class) => {
                // instances of the class (or of a subclass) are not in the `else` branch;
                // an outside class or anything else excludes nothing
                let excluded: Vec<ClassId> = self
                    .eval_ty(mid, class, depth + 1)
                    .into_iter()
                    .filter_map(|v| if let Val::Inst(c) = v { Some(c) } else { None })
                    .flat_map(|c| std::iter::once(c).chain(self.descendants(c)))
                    .collect();
                let mut out = self.eval_ty(mid, value, depth + 1);
                out.retain(|v| !matches!(v, Val::Inst(c) if excluded.contains(c)));
                out
            }
            Sym::Container(inner) => vec![Val::Container(self.eval_ty(mid, inner, depth + 1))],
            Sym::Attr(base, name) => {
                let mut out = Vec::new();
                for b in self.eval_sym(mid, base, depth + 1) {
                    let vals = match b {
                        Val::Inst(c) => self.attr_of(c, name, depth + 1),
                        Val::Container(_) => Vec::new(),
                        // an outside object's attribute: another outside object, unless the
                        // analysed code stores something under that name on an object
                        // that may be an outside one (or patches it)
                        Val::Opaque | Val::Foreign => self.outside_attr(name),
                        Val::Class(c) => self.class_attr(c, name, depth + 1),
                        Val::Unknown => vec![Val::Unknown],
                    };
                    vals.into_iter().for_each(|v| push(&mut out, v));
                }
                out
            }
            Sym::Elem(base) => {
                if let Some(items) = self.module_table_item(base, depth) {
                    return items;
                }
                let mut out = Vec::new();
                for b in self.eval_sym(mid, base, depth + 1) {
                    match b {
                        Val::Container(inner) => inner.into_iter().for_each(|v| push(&mut out, v)),
                        // `obj[k]` / `for x in obj` on a project instance: its annotations
                        Val::Inst(c) => self.item_of(c, depth + 1).into_iter().for_each(|v| push(&mut out, v)),
                        _ => push(&mut out, Val::Unknown),
                    }
                }
                out
            }
            Sym::Ret(base, name) => {
                if let Some(vals) = self.module_table_method(base, name, depth) {
                    return vals;
                }
                let mut out = Vec::new();
                let bases = self.eval_sym(mid, base, depth + 1);
                if bases.is_empty() {
                    if self.never_passed(base) {
                        // a parameter nobody passes a value to here: no call happens
                        return Vec::new();
                    }
                    // a method of a module, function, string or outside class: anything
                    return vec![Val::Unknown];
                }
                for b in bases {
                    let vals = match b {
                        Val::Inst(c) => self.method_return(c, name, depth + 1),
                        Val::Container(inner) => container_method(inner, name),
                        Val::Class(c) => self.class_method_return(c, name, depth + 1),
                        _ => vec![Val::Unknown],
                    };
                    vals.into_iter().for_each(|v| push(&mut out, v));
                }
                out
            }
            Sym::Arg(f, pos, name) => {
                let canonical = self.canonical_function(f).unwrap_or_else(|| f.clone());
                if *pos == super::runner::RUNNER_CALLERS {
                    // the test runner passes nothing (`model::runner`)
                    let cid = name.parse::<usize>().ok().and_then(|i| local(&i));
                    return if self.called_beyond_runner(&canonical, cid) { vec![Val::Unknown] } else { Vec::new() };
                }
                if *pos == super::private_calls::OUTSIDE_CALLERS {
                    // a private method: also reached by a computed `getattr` on its family
                    let reached = canonical.strip_prefix("<method>.").is_some_and(|m| {
                        let cid = name.parse::<usize>().ok().and_then(|i| local(&i));
                        // a public method of a closed class with an outside base: outside
                        // code may call it (`model::closed`)
                        let outside_base = !super::private_calls::is_private(m) && cid.is_none_or(|c| self.has_outside_base(c));
                        cid.is_none() || outside_base || self.method_reached_by_name(cid, m)
                    });
                    return if self.has_outside_callers(&canonical) || reached { vec![Val::Unknown] } else { Vec::new() };
                }
                // typed from every call site: a question asked once per state (`memo`)
                let key = (4, format!("{canonical}\0{pos}\0{name}"));
                self.memo.ask(key, depth, || self.args_passed(&canonical, *pos, name, depth))
            }
            Sym::Unknown => vec![Val::Unknown],
        }
    }

    /// The defining `module.name` of a module-level function, following imports.
    pub fn canonical_function(&self, dotted: &str) -> Option<String> {
        let mut d = dotted.to_string();
        for _ in 0..16 {
            let (module, name) = d.rsplit_once('.')?;
            let m = self.modules.get(*self.module_index.get(module)?)?;
            match m.table.bindings.get(name)? {
                super::imports::Binding::Function => return Some(d),
                super::imports::Binding::From(t) | super::imports::Binding::Alias(t) => d = t.clone(),
                _ => return None,
            }
        }
        None
    }

    /// The class statement `name` nested directly in the body of class `outer`.
    pub(super) fn nested_class(&self, outer: ClassId, name: &str) -> Option<ClassId> {
        let o = self.classes.get(outer)?;
        let qualname = format!("{}.{name}", o.qualname);
        let module = self.modules.get(o.module)?;
        module
            .classes
            .iter()
            .copied()
            .find(|&c| self.classes.get(c).is_some_and(|k| k.qualname == qualname))
    }
    pub(super) fn is_descriptor_call(&self, callee: Option<&str>) -> bool {
        let Some(d) = callee else { return false };
        match self.resolve(d) {
            BaseTarget::Project(k) => self.classes.get(k).is_some_and(|c| c.member("__get__").is_some()),
            _ => false,
        }
    }


    /// The value pytest passes for a parameter `name` of a test or fixture: what the
    /// project's fixtures of that name give (any of them, whichever pytest picks), a
    /// builtin fixture (an outside object), or anything.
    fn fixture_value(&self, name: &str, depth: usize) -> Vec<Val> {
        if self.generates_tests {
            // `pytest_generate_tests` may parametrize any argument
            return vec![Val::Unknown];
        }
        match self.fixtures.get(name) {
            Some(defs) => {
                let mut out = Vec::new();
                for (m, ty) in defs {
                    self.eval_ty(*m, ty, depth).into_iter().for_each(|v| push(&mut out, v));
                }
                out
            }
            None if BUILTIN_FIXTURES.contains(&name) => vec![Val::Opaque],
            None => vec![Val::Unknown],
        }
    }

    /// Project classes a set of values may be instances of; `true` when one may be anything.
    pub fn instance_classes(vals: &[Val]) -> (Vec<ClassId>, bool) {
        let mut classes = Vec::new();
        let mut unknown = false;
        let mut seen = HashSet::default();
        for v in vals {
            match v {
                Val::Inst(c) => {
                    if seen.insert(*c) {
                        classes.push(*c);
                    }
                }
                Val::Unknown => unknown = true,
                Val::Class(_) | Val::Container(_) | Val::Opaque | Val::Foreign => {}
            }
        }
        (classes, unknown)
    }
}
