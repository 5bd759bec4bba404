//! One pass over a module's AST: its bindings, its classes with their facts, and the
//! uses of instances, each attributed to a symbolic receiver type (`ty.rs`). Uses on a
//! receiver that may be of unknown type are kept as *unknown uses*.
//!
//! Each scope (module, function) is walked twice: first silently, so that every name
//! has the union of all the values assigned to it anywhere in the scope (flow
//! insensitive, so loops and later assignments are covered), then recording uses.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::TextRange;

use super::bindings::{collect_bindings, collect_imports};

use super::imports::ImportTable;
use super::ty::{union_into, Sym, Ty, TypeDefs};

pub use super::facts::{CallSite, ModuleFacts, SymUse};

pub(super) enum FrameKind {
    Module,
    Class(usize),
    Function { method_of: Option<usize> },
}

pub(super) struct Frame {
    pub kind: FrameKind,
    /// bindings at the point being walked
    pub locals: HashMap<String, Ty>,
    /// every value each name gets anywhere in the scope (from the silent walk): what
    /// nested functions, which run later, see
    pub all: HashMap<String, Ty>,
    /// inside an `if`/loop/`try` body: assignments add to a binding instead of replacing it
    pub branch: usize,
    pub qual: String,
    /// in a function: the names it or a nested function declares `global`/`nonlocal`
    pub rebinds: HashSet<String>,
    /// in a function: its nested functions with a return annotation (undecorated)
    pub fn_returns: HashMap<String, Ty>,
    /// `name = factory(args)`: the factory (dotted) and the positional argument types
    pub factory_calls: HashMap<String, (String, Vec<Ty>)>,
    /// how many bindings of each name the scope's silent walk saw (a factory call counts
    /// only for a name bound once)
    pub bind_counts: HashMap<String, usize>,
    /// `x.attr = name`: the attributes (receiver, name) a local's container was stored
    /// into, which grow with it (`Walker::add_to_container`)
    pub stored_into: HashMap<String, Vec<(Ty, String)>>,
    /// in `__setstate__(self, state)`: the name of `state` (`model::setstate`)
    pub setstate_param: Option<String>,
    /// in a function: the targets of stores that copy an attribute back onto the object
    /// it was read from (`model::self_copy`)
    pub self_copies: rustc_hash::FxHashSet<ruff_text_size::TextRange>,
}

impl Frame {
    pub fn new(kind: FrameKind, locals: HashMap<String, Ty>, qual: String) -> Frame {
        Frame {
            kind,
            locals,
            all: HashMap::default(),
            branch: 0,
            qual,
            rebinds: HashSet::default(),
            fn_returns: HashMap::default(),
            factory_calls: HashMap::default(),
            bind_counts: HashMap::default(),
            stored_into: HashMap::default(),
            setstate_param: None,
            self_copies: Default::default(),
        }
    }
}

pub(super) struct Walker<'s> {
    pub source: &'s str,
    pub facts: ModuleFacts,
    pub frames: Vec<Frame>,
    pub defs: TypeDefs,
    /// false during the silent first walk of a scope
    pub recording: bool,
    /// class statement start offset -> class index (classes are met twice)
    pub class_at: HashMap<u32, usize>,
    /// depth of `if TYPE_CHECKING:` bodies being walked
    pub type_checking: usize,
    /// per function being walked (recording): the union of its `return` values, or
    /// `None` when its result is not inferred (annotated, async, generator, decorated)
    pub returns_stack: Vec<Option<Ty>>,
    /// per function being walked: the union of its `yield` values (pytest fixtures)
    pub yields_stack: Vec<Option<Ty>>,
    /// module-level functions without a return annotation -> what their `return`s give
    pub inferred_returns: HashMap<String, Ty>,
    /// `__dict__` / `vars()` expressions that only read the dict (`model::dict_reads`)
    pub inert_dicts: HashSet<TextRange>,
    /// `y.__dict__` updated from another instance's `__dict__`: that instance's type
    pub dict_copies: HashMap<TextRange, Ty>,
    /// `globals()` calls whose result is only read (`"x" in globals()`), which write
    /// nothing into the module (`model::dict_reads`, `model::namespace`)
    pub read_only_globals: HashSet<TextRange>,
    /// names some function declares `global` or `nonlocal` (`bindings::collect_rebound_names`)
    pub rebound: HashSet<String>,
    /// callee names of calls (`model::private_calls`)
    pub callees: HashSet<TextRange>,
    /// an item or attribute path narrowed by `isinstance` (`model::narrow_paths`)
    pub narrowed_path: Option<(String, Ty)>,
    /// `a.x = v` -> the next statement when it stores on `a.x` (`model::stored_paths`)
    pub store_pairs: HashMap<TextRange, TextRange>,
    /// the partner statement of the store just walked, its path and narrowed type
    pub pending_store: Option<(TextRange, String, Ty)>,
    /// comprehension targets bound while typing a comprehension (`Walker::lookup`)
    pub comp_scopes: std::cell::RefCell<Vec<HashMap<String, Ty>>>,
    /// computed `getattr`s whose value does not escape, and the calls of their values
    /// (`model::by_name`)
    pub by_name: super::by_name::ByName,
    /// the receiver's type of each such `getattr` walked so far, and the instance's of
    /// each `type(x)` / `x.__class__`
    pub getattr_recv: HashMap<TextRange, Ty>,
}

pub fn extract(source: &str, module: &ast::ModModule, table: ImportTable) -> ModuleFacts {
    let mut facts = ModuleFacts {
        table,
        ..ModuleFacts::default()
    };
    collect_imports(&module.body, &mut facts.table);
    collect_bindings(&module.body, &mut facts.table, false);
    collect_bindings(&module.body, &mut facts.table, true);
    let defs = TypeDefs::collect(&facts.table, &module.body);
    let mut walker = Walker {
        source,
        facts,
        frames: vec![Frame::new(FrameKind::Module, HashMap::default(), String::new())],
        defs,
        recording: false,
        class_at: HashMap::default(),
        type_checking: 0,
        returns_stack: Vec::new(),
        yields_stack: Vec::new(),
        inferred_returns: HashMap::default(),
        inert_dicts: HashSet::default(),
        dict_copies: HashMap::default(),
        read_only_globals: HashSet::default(),
        rebound: super::bindings::collect_rebound_names(&module.body),
        callees: HashSet::default(),
        narrowed_path: None,
        store_pairs: {
            let mut pairs = HashMap::default();
            super::stored_paths::store_then_use(&module.body, &mut pairs);
            pairs
        },
        pending_store: None,
        comp_scopes: std::cell::RefCell::new(Vec::new()),
        by_name: super::by_name::ByName::default(),
        getattr_recv: HashMap::default(),
    };
    walker.by_name = {
        let bindings = &walker.facts.table.bindings;
        super::by_name::collect(&module.body, &|n: &str| !bindings.contains_key(n), walker.facts.table.closed)
    };
    for stmt in &module.body {
        walker.visit_stmt(stmt);
    }
    walker.end_silent_walk(HashMap::default());
    walker.facts.confined_classes = walker.by_name.confined.iter().cloned().collect();
    let returns: Vec<(String, Expr)> = walker.defs.returns.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (name, ann) in returns {
        let ty = walker.defs.annotation(&walker.facts.table, &ann);
        walker.facts.returns.insert(name, ty);
    }
    walker.facts.callbacks = walker.defs.callbacks(&walker.facts.table);
    walker.facts.factories = walker.defs.factories(&walker.facts.table);
    walker.recording = true;
    for stmt in &module.body {
        walker.visit_stmt(stmt);
    }
    for (name, ty) in std::mem::take(&mut walker.inferred_returns) {
        let slot = walker.facts.returns.entry(name).or_default();
        union_into(slot, ty);
    }
    walker.facts.globals = walker.module_globals();
    if let Some(all) = super::stage::dunder_all(&module.body) {
        let escaped = all.iter().map(|n| walker.facts.table.qualify_name(n)).collect::<Vec<_>>();
        walker.facts.escaped.extend(escaped);
    }
    walker.facts
}

impl Walker<'_> {
    /// The class whose method (or a function nested in one) is being walked.
    pub fn method_class(&self) -> Option<usize> {
        match self.frames.last().map(|f| &f.kind) {
            Some(FrameKind::Function { method_of }) => *method_of,
            _ => None,
        }
    }

    pub fn in_class_body(&self) -> Option<usize> {
        match self.frames.last().map(|f| &f.kind) {
            Some(FrameKind::Class(idx)) => Some(*idx),
            _ => None,
        }
    }

    /// Bind `name` in the innermost scope: a plain assignment replaces the value,
    /// one in a branch or loop (or during the silent walk) adds to it.
    pub fn bind(&mut self, name: &str, ty: Ty) {
        let recording = self.recording;
        if let (Some(frame), false) = (self.frames.last_mut(), recording) {
            *frame.bind_counts.entry(name.to_string()).or_default() += 1;
        }
        if let Some(frame) = self.frames.last_mut() {
            if recording && frame.branch == 0 {
                frame.locals.insert(name.to_string(), ty);
            } else {
                let slot = frame.locals.entry(name.to_string()).or_default();
                union_into(slot, ty);
            }
        }
    }

    /// Add to what `name` may hold (container growth): never replaces.
    pub fn grow(&mut self, name: &str, ty: Ty) {
        if let Some(frame) = self.frames.last_mut() {
            let slot = frame.locals.entry(name.to_string()).or_default();
            union_into(slot, ty);
        }
    }

    /// The silent walk of the innermost scope is done: keep its unions as `all` and
    /// start the recording walk from the parameters.
    pub fn end_silent_walk(&mut self, params: HashMap<String, Ty>) {
        if let Some(frame) = self.frames.last_mut() {
            frame.all = std::mem::replace(&mut frame.locals, params);
        }
    }

    /// Walk a loop body twice: silently first, so that values assigned late in the body
    /// reach the uses early in it.
    pub(super) fn walk_loop_body(&mut self, body: &[Stmt]) {
        self.enter_branch(1);
        if self.recording {
            self.recording = false;
            body.iter().for_each(|s| self.visit_stmt(s));
            self.recording = true;
        }
        body.iter().for_each(|s| self.visit_stmt(s));
        self.enter_branch(-1);
    }

    pub(super) fn enter_branch(&mut self, delta: isize) {
        if let Some(f) = self.frames.last_mut() {
            f.branch = f.branch.saturating_add_signed(delta);
        }
    }

    pub(super) fn walk_branch(&mut self, body: &[Stmt]) {
        self.enter_branch(1);
        body.iter().for_each(|s| self.visit_stmt(s));
        self.enter_branch(-1);
    }

    /// `else:` after `if isinstance(x, T):` (and `elif`s after it): `x` is not a `T`
    /// there. `tests` are the conditions of the clauses before this one; `then` walks the
    /// clause.
    pub(super) fn walk_else_body(&mut self, tests: &[&Expr], then: impl FnOnce(&mut Self)) {
        let excluded: Vec<(String, super::ty::Ty)> = tests
            .iter()
            .filter_map(|t| super::stmts::isinstance_call(t))
            .map(|(name, t)| (name.to_string(), self.defs.annotation(&self.facts.table, t)))
            .collect();
        let mut saved = Vec::new();
        for (name, ty) in excluded {
            let old = self.lookup(&name);
            let narrowed = vec![Sym::Excluding(old.clone(), ty)];
            if let Some(f) = self.frames.last_mut() {
                f.locals.insert(name.clone(), narrowed);
            }
            saved.push((name, old));
        }
        then(self);
        for (name, old) in saved.into_iter().rev() {
            if let Some(f) = self.frames.last_mut() {
                let slot = f.locals.entry(name).or_default();
                union_into(slot, old);
            }
        }
    }

    /// `if isinstance(x, T):` — in the body, `x` is a `T`.
    pub(super) fn walk_if_body(&mut self, test: &Expr, body: &[Stmt]) {
        let narrowed = super::stmts::narrowing(test).map(|(name, t)| (name, self.defs.annotation(&self.facts.table, t)));
        let Some((name, ty)) = narrowed else {
            if !self.walk_first_with_path_narrowed(test, body) {
                self.walk_branch(body);
            }
            return;
        };
        let old = self.lookup(name);
        if let Some(f) = self.frames.last_mut() {
            f.locals.insert(name.to_string(), ty);
        }
        self.walk_branch(body);
        if let Some(f) = self.frames.last_mut() {
            let slot = f.locals.entry(name.to_string()).or_default();
            union_into(slot, old);
        }
    }
}
