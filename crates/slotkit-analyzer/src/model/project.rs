//! The whole project: every parsed module and every class, with bases resolved and
//! uses of instances attributed to their classes.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::PathBuf;

use ruff_text_size::TextRange;

use super::class::{ClassId, ClassInfo, ModuleId, Use};
use super::extract::SymUse;
use super::stage::{parse_all, Parsed};
use super::flow::Val;
use super::ty::{Sym, Ty};
use super::imports::{Binding, ImportTable};
use crate::source::LineIndex;

#[derive(Debug)]
pub struct Module {
    pub path: PathBuf,
    pub display: String,
    pub name: String,
    pub text: String,
    pub lines: LineIndex,
    pub table: ImportTable,
    /// module-level function -> the type its return annotation promises
    pub returns: HashMap<String, super::ty::Ty>,
    /// module-level function -> what it passes to the callable it gets first
    pub callbacks: HashMap<String, Vec<super::ty::Ty>>,
    /// module-level function -> what the decorator it returns passes (`model::callbacks`)
    pub factories: HashMap<String, Vec<super::callbacks::FactoryArg>>,
    /// module-level `name = factory(args)` (`model::callbacks`)
    pub factory_vars: HashMap<String, (String, Vec<super::ty::Ty>)>,
    /// module-level variables -> what its own assignments give them (`model::namespace`)
    pub globals: HashMap<String, super::ty::Ty>,
    /// why the file could not be analysed: (range, message)
    pub error: Option<(TextRange, String)>,
    pub classes: Vec<ClassId>,
    /// attribute targets of read-guarded stores (`super::guards`)
    pub guarded_stores: HashSet<TextRange>,
}

/// A write into a module's namespace, from module #0: the name (`None`: any) and the
/// value (`None`: anything) (`model::namespace`).
pub type LinkedWrite = (ModuleId, Option<String>, Option<Ty>);


/// A resolved base class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseTarget {
    Project(ClassId),
    /// a dotted name outside the project (stdlib, third party)
    External(String),
    /// `namedtuple(...)` call or a name bound to one
    NamedTuple,
    Unknown(String),
}

#[derive(Debug, Default)]
pub struct Project {
    pub modules: Vec<Module>,
    pub classes: Vec<ClassInfo>,
    pub bases: Vec<Vec<BaseTarget>>,
    pub subclasses: Vec<Vec<ClassId>>,
    /// transitive subclasses, computed once
    pub all_descendants: Vec<Vec<ClassId>>,
    /// per class: (member, descriptor) for members decorated with a project
    /// descriptor whose `__get__`/`__set__` stores into the instance `__dict__`
    pub dict_descriptor_members: Vec<Vec<(String, String)>>,
    /// uses of instances from outside the class body (typed receivers)
    pub outside_uses: Vec<Vec<(ModuleId, Use)>>,
    /// for an outside use whose receiver can only be instances of project classes: those
    /// classes (the broken-tier rules claim a run-time error only when every one of them
    /// lacks what the use needs)
    pub sole_receivers: HashMap<(ModuleId, TextRange), Option<Vec<ClassId>>>,
    /// attribute names written on receivers of unknown type anywhere
    pub loose_writes: HashSet<String>,
    /// uses on receivers whose type the analysis cannot pin down (see `fix_safety`)
    pub unknown_uses: Vec<(ModuleId, Use)>,
    /// outside class (dotted) -> project classes that name it as a direct base
    pub external_subclasses: HashMap<String, Vec<ClassId>>,
    /// attribute types added by stores through typed receivers, per class
    pub extra_attr_vals: Vec<Vec<(String, Vec<Val>)>>,
    /// attribute types stored through receivers of unknown type, per attribute name
    pub loose_attr_vals: HashMap<String, Vec<Val>>,
    /// the class (or a subclass) is instantiated or passed around as a value somewhere
    pub referenced: Vec<bool>,
    /// attribute names stored (or patched) on objects that may be outside objects
    pub outside_attr_names: HashSet<String>,
    /// what those stores put there (a name without an entry: anything)
    pub outside_attr_vals: HashMap<String, Vec<Val>>,
    /// the stores and attribute types did not settle: those attributes may be anything
    pub outside_unsettled: bool,
    /// attributes of project instances whose values had not settled: anything
    pub unsettled_attr_vals: HashSet<(ClassId, String)>,
    /// values stored through typed receivers that may be anything once linked, by
    /// attribute name: every class's attribute of that name may hold them (`link_flows`)
    pub unknown_receiver_stores: HashMap<String, Vec<Val>>,
    /// every attribute name stored or patched through a typed receiver (on instances, but
    /// also on class objects, which the attribute rounds do not follow)
    pub typed_write_names: HashSet<String>,
    /// private module-level functions whose name escapes (`model::private_calls`)
    pub escaped_functions: HashSet<String>,
    /// (module scope, prefix) of private names reached by computed names
    /// (`model::private_calls`; an empty scope: any module, and every class's methods)
    pub escaped_prefixes: Vec<(String, String)>,
    /// (class, prefix): private methods of that class's family reached by computed names
    pub escaped_class_prefixes: Vec<(ClassId, String)>,
    /// closed modules (`model::closed`)
    pub closed_modules: HashSet<String>,
    /// closed modules no module of the project imports: only the test runner or the
    /// interpreter holds their module object (`model::by_name`)
    pub unimported_closed: HashSet<String>,
    /// classes of those modules none of whose instances leaves the module: a value of
    /// unknown type is none of them (`model::by_name`)
    pub confined: HashSet<ClassId>,
    /// public names called, read as values or reached by a literal `getattr` in open code
    pub open_names: HashSet<String>,
    /// (module, receiver type, prefix) of computed `getattr`s whose receiver is typed when
    /// linking
    pub escaped_receivers: Vec<(ModuleId, Ty, String)>,
    /// what each of those receivers may be, as of the last attribute round
    pub escaped_receiver_vals: Vec<Vec<Val>>,
    /// dotted names already resolved (`Project::resolve`) and already asked whether they
    /// name a module or function: both depend only on the modules' bindings, fixed once
    /// every module is read
    pub resolve_cache: std::cell::RefCell<HashMap<String, BaseTarget>>,
    pub module_or_function_cache: std::cell::RefCell<HashMap<String, bool>>,
    /// evaluation questions answered once per state (`model::memo`)
    pub memo: super::memo::Memo,
    /// attributes being evaluated (`Project::attr_of`): a re-entered one gives nothing
    pub attr_stack: std::cell::RefCell<Vec<(ClassId, String)>>,
    /// classes whose instances get attributes of any name (`__dict__`, computed `setattr`,
    /// monkeypatching): their attributes may hold anything
    pub open_classes: HashSet<ClassId>,
    /// pytest fixture name -> (module, type of the value) of each project fixture
    pub fixtures: HashMap<String, Vec<(ModuleId, Ty)>>,
    /// some module defines `pytest_generate_tests` (which may parametrize any argument)
    pub generates_tests: bool,
    /// calls of module-level functions by name, with the argument types
    pub call_sites: Vec<(ModuleId, super::extract::CallSite)>,
    /// canonical function (module.name) -> indexes into `call_sites`
    pub calls_of: HashMap<String, Vec<usize>>,
    /// calls of computed `getattr`s' values: (the name's literal prefix, index into
    /// `call_sites`) (`model::by_name`)
    pub by_name_sites: Vec<(String, usize)>,
    /// `type(x)(...)` calls: indexes into `call_sites`
    pub by_type_sites: Vec<usize>,
    /// callee key -> how each function, method or class of that key can be called
    pub arities: HashMap<String, Vec<super::by_name_sites::Arity>>,
    pub module_index: HashMap<String, ModuleId>,
    /// project module (or `*`: any) -> writes into its namespace (`model::namespace`)
    pub namespace_writes: HashMap<String, Vec<LinkedWrite>>,
    /// what modules put into `sys.modules` (`model::module_table`)
    pub module_table_items: Vec<(ModuleId, super::ty::Ty)>,
    /// name -> values stored under it on typed receivers that may be anything (a module)
    pub maybe_module_stores: HashMap<String, Vec<Val>>,
    pub class_index: HashMap<(ModuleId, String), ClassId>,
}

/// Module facts that need the whole project to resolve.
#[derive(Default)]
pub(super) struct Flows {
    pub(super) typed: Vec<(ModuleId, SymUse)>,
    pub(super) grows: Vec<(ModuleId, (Sym, String, Ty))>,
    pub(super) loose: Vec<(ModuleId, (String, Ty))>,
    pub(super) refs: Vec<(ModuleId, Sym)>,
    pub(super) attr_refs: Vec<(ModuleId, (Sym, String))>,
    /// parameters whose container the function adds to (`Project::link_arg_grows`)
    pub(super) arg_grows: Vec<(String, usize, String)>,
}

impl Project {
    /// Every recorded use of instances of class `cid`: those in its own methods (`inside` true)
    /// and those on typed receivers elsewhere, each with the module it appears in.
    pub fn instance_uses(&self, cid: ClassId) -> impl Iterator<Item = (ModuleId, &Use, bool)> + '_ {
        let class = self.classes.get(cid);
        let own = class.into_iter().flat_map(|c| c.self_uses.iter().map(move |u| (c.module, u, true)));
        let outside = self.outside_uses.get(cid).into_iter().flatten().map(|(m, u)| (*m, u, false));
        own.chain(outside)
    }

    /// The classes an outside use's receiver can be, when it can only be instances of
    /// project classes; `None` when it may also be something else (any object, an outside
    /// object, a class, a container).
    pub fn sole_receivers(&self, module: ModuleId, u: &Use) -> Option<&[ClassId]> {
        self.sole_receivers.get(&(module, u.range)).and_then(|v| v.as_deref())
    }

    /// Parse `files` (path, display name) in parallel and link them.
    pub fn build(files: Vec<(PathBuf, String)>) -> Project {
        let parsed = parse_all(files.into_iter().map(|(p, d)| (p, d, None)).collect());
        Self::link_parsed(parsed)
    }

    /// Build from in-memory sources `(relative path like "pkg/mod.py", text)`.
    pub fn from_sources(sources: Vec<(String, String)>) -> Project {
        let parsed = parse_all(sources.into_iter().map(|(d, text)| (PathBuf::from(&d), d, Some((text, None)))).collect());
        Self::link_parsed(parsed)
    }

    fn link_parsed(parsed: Vec<Parsed>) -> Project {
        let mut project = Project::default();
        let mut flows = Flows::default();
        let mut class_attr_writes: Vec<(String, String)> = Vec::new();
        let mut escaped: Vec<String> = Vec::new();
        let mut namespace_writes = Vec::new();
        let mut escaped_scopes: Vec<(ModuleId, String, String)> = Vec::new();
        let imported = super::closed::imported_names(&parsed);
        for (mid, mut p) in parsed.into_iter().enumerate() {
            if let Some(mut facts) = p.facts {
                if super::closed::is_imported(&facts.table.module, &imported) {
                    let late = std::mem::take(&mut facts.escaped_if_imported);
                    facts.escaped_prefixes.extend(late);
                }
                for mut class in facts.classes {
                    class.module = mid;
                    let cid = project.classes.len();
                    project
                        .class_index
                        .entry((mid, class.qualname.clone()))
                        .or_insert(cid);
                    p.module.classes.push(cid);
                    project.classes.push(class);
                }
                flows.typed.extend(facts.typed_uses.into_iter().map(|u| (mid, u)));
                flows.grows.extend(facts.typed_grows.into_iter().map(|g| (mid, g)));
                flows.arg_grows.extend(facts.arg_grows);
                flows.loose.extend(facts.loose_attr_types.into_iter().map(|l| (mid, l)));
                flows.refs.extend(facts.class_refs.into_iter().map(|r| (mid, r)));
                flows.attr_refs.extend(facts.class_attr_refs.into_iter().map(|r| (mid, r)));
                for (name, ty) in facts.fixtures {
                    project.fixtures.entry(name).or_default().push((mid, ty));
                }
                if facts.table.bindings.get("pytest_generate_tests") == Some(&Binding::Function) {
                    project.generates_tests = true;
                }
                escaped.extend(facts.escaped);
                if facts.table.closed {
                    project.closed_modules.insert(facts.table.module.clone());
                    if !super::closed::is_imported(&facts.table.module, &imported) {
                        project.unimported_closed.insert(facts.table.module.clone());
                        for name in &facts.confined_classes {
                            if let Some(&cid) = project.class_index.get(&(mid, name.clone())) {
                                project.confined.insert(cid);
                            }
                        }
                    }
                }
                project.open_names.extend(facts.open_names);
                let receivers = facts.getattr_receivers.take();
                for (scope, prefix) in facts.escaped_prefixes {
                    match scope.strip_prefix("<receiver>#").and_then(|i| i.parse::<usize>().ok()) {
                        Some(i) => project.escaped_receivers.push((mid, receivers.get(i).cloned().unwrap_or_else(super::ty::unknown), prefix)),
                        None => escaped_scopes.push((mid, scope, prefix)),
                    }
                }
                for (key, arity) in facts.arities {
                    project.arities.entry(key).or_default().push(arity);
                }
                for site in facts.call_sites {
                    project.call_sites.push((mid, site));
                }
                project
                    .unknown_uses
                    .extend(facts.unknown_uses.into_iter().map(|u| (mid, u)));
                class_attr_writes.extend(facts.class_attr_writes);
                project.loose_writes.extend(facts.loose_writes);
                p.module.table = facts.table;
                p.module.returns = facts.returns;
                p.module.callbacks = facts.callbacks;
                p.module.factories = facts.factories;
                p.module.factory_vars = facts.factory_vars;
                p.module.globals = facts.globals;
                namespace_writes.extend(facts.namespace_writes.into_iter().map(|w| (mid, w)));
                project.module_table_items.extend(facts.module_table_items.into_iter().map(|t| (mid, t)));
            }
            project.module_index.entry(p.module.name.clone()).or_insert(mid);
            project.modules.push(p.module);
        }
        project.escaped_functions = escaped
            .iter()
            .map(|d| project.canonical_function(d).unwrap_or_else(|| d.clone()))
            .collect();
        project.link_namespace_writes(namespace_writes);
        // `pkg.Class.name = v`: linked to the class below, but seen by the flows already
        project.typed_write_names.extend(class_attr_writes.iter().map(|(_, a)| a.clone()));
        project.link_escaped_scopes(escaped_scopes);
        project.link(flows);
        for (dotted, attr) in class_attr_writes {
            if let BaseTarget::Project(cid) = project.resolve(&dotted) {
                if let Some(c) = project.classes.get_mut(cid) {
                    c.late_class_attrs.push(attr);
                }
            }
        }
        // typed again from the final state when the plan asks
        project.state_changed();
        project
    }

    fn link(&mut self, mut flows: Flows) {
        let n = self.classes.len();
        let mut bases: Vec<Vec<BaseTarget>> = Vec::with_capacity(n);
        for class in &self.classes {
            let targets = class
                .bases
                .iter()
                .map(|b| {
                    if b.namedtuple_call {
                        return BaseTarget::NamedTuple;
                    }
                    match &b.dotted {
                        Some(d) => self.resolve(d),
                        None => BaseTarget::Unknown(b.text.clone()),
                    }
                })
                .collect();
            bases.push(targets);
        }
        let mut subclasses = vec![Vec::new(); n];
        for (cid, targets) in bases.iter().enumerate() {
            for t in targets.iter() {
                if let BaseTarget::Project(b) = t {
                    if let Some(list) = subclasses.get_mut(*b) {
                        if !list.contains(&cid) {
                            list.push(cid);
                        }
                    }
                }
            }
        }
        let mut external: HashMap<String, Vec<ClassId>> = HashMap::default();
        for (cid, targets) in bases.iter().enumerate() {
            for t in targets {
                if let BaseTarget::External(d) = t {
                    external.entry(d.clone()).or_default().push(cid);
                }
            }
        }
        self.external_subclasses = external;
        self.bases = bases;
        self.subclasses = subclasses;
        self.all_descendants = (0..n).map(|c| self.compute_descendants(c)).collect();
        let mut calls_of: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, (_, site)) in self.call_sites.iter().enumerate() {
            if let Some(prefix) = site.callee.strip_prefix(super::by_name::BY_NAME) {
                self.by_name_sites.push((prefix.to_string(), i));
                continue;
            }
            if site.callee == super::by_name::BY_TYPE {
                self.by_type_sites.push(i);
                continue;
            }
            let f = self.canonical_function(&site.callee).unwrap_or_else(|| site.callee.clone());
            calls_of.entry(f).or_default().push(i);
        }
        self.calls_of = calls_of;
        self.link_arg_grows(&mut flows);
        self.link_flows(flows);
        let mut cache: HashMap<String, bool> = HashMap::default();
        let mut dd = Vec::with_capacity(n);
        for class in &self.classes {
            let mut list = Vec::new();
            for m in &class.members {
                // `@descriptor def x` or `x = descriptor()` / `x: T = descriptor()`
                let Some(deco) = m.decorator.as_ref().or(m.value_call.as_ref()) else { continue };
                let is_dd = match cache.get(deco) {
                    Some(v) => *v,
                    None => {
                        let v = matches!(self.resolve(deco), BaseTarget::Project(k)
                            if self.classes.get(k).is_some_and(|d| d.dict_descriptor));
                        cache.insert(deco.clone(), v);
                        v
                    }
                };
                if is_dd {
                    let short = deco.rsplit('.').next().unwrap_or(deco).to_string();
                    list.push((m.name.clone(), short));
                }
            }
            dd.push(list);
        }
        self.dict_descriptor_members = dd;
        self.state_changed();
    }

    /// Forget evaluations that read state which has just changed.
    pub(super) fn state_changed(&self) {
        self.memo.clear();
    }

    /// All project subclasses of `cid`, transitively.
    pub fn descendants(&self, cid: ClassId) -> Vec<ClassId> {
        self.all_descendants.get(cid).cloned().unwrap_or_default()
    }

    fn compute_descendants(&self, cid: ClassId) -> Vec<ClassId> {
        let mut out = Vec::new();
        let mut stack = vec![cid];
        let mut seen = HashSet::default();
        while let Some(c) = stack.pop() {
            for &s in self.subclasses.get(c).map_or(&[][..], |v| v.as_slice()) {
                if seen.insert(s) {
                    out.push(s);
                    stack.push(s);
                }
            }
        }
        out
    }

    pub fn module_of(&self, cid: ClassId) -> Option<&Module> {
        self.classes.get(cid).and_then(|c| self.modules.get(c.module))
    }
}

/// Uses that give an instance attributes of any name, with any value (unless resolved
/// when linking: a `__dict__` copy, a computed `setattr` with a known value).
pub(super) fn opens(u: &super::class::Use) -> bool {
    use super::class::UseKind;
    matches!(u.kind, UseKind::Dict | UseKind::DynamicSetattr | UseKind::Patch) && !u.inert
}
