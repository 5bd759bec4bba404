//! One pass over a module's AST: its bindings, its classes with their facts, and the
//! uses of instances, each attributed to a symbolic receiver type (`ty.rs`). Uses on a
//! receiver that may be of unknown type are kept as *unknown uses*.
//!
//! Each scope (module, function) is walked twice: first silently, so that every name
//! has the union of all the values assigned to it anywhere in the scope (flow
//! insensitive, so loops and later assignments are covered), then recording uses.

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::bindings::{collect_bindings, collect_imports};
use super::class::{ClassInfo, Use, UseKind};
use super::imports::ImportTable;
use super::ty::{elements, union_into, Sym, Ty, TypeDefs};

/// A use on a receiver whose type is symbolic (resolved when the project is linked).
#[derive(Debug, Clone)]
pub struct SymUse {
    pub sym: Sym,
    pub use_: Use,
    /// for writes: the type of the stored value
    pub value: Option<Ty>,
}

#[derive(Debug, Default)]
pub struct ModuleFacts {
    pub table: ImportTable,
    pub classes: Vec<ClassInfo>,
    pub typed_uses: Vec<SymUse>,
    /// uses on receivers of unknown type
    pub unknown_uses: Vec<Use>,
    /// attribute names written on receivers of unknown type (`x.name = ...`)
    pub loose_writes: Vec<String>,
    /// (name, value type) of stores on receivers of unknown type
    pub loose_attr_types: Vec<(String, Ty)>,
    /// `SomeClass.name = ...` (dotted class, attribute) after class creation
    pub class_attr_writes: Vec<(String, String)>,
    /// class objects called or passed around as values (instantiation evidence)
    pub class_refs: Vec<Sym>,
    /// `recv.attr.append(v)` on a typed receiver: (receiver, attribute, added type)
    pub typed_grows: Vec<(Sym, String, Ty)>,
    /// module-level function -> the type its return annotation promises
    pub returns: HashMap<String, Ty>,
    /// `Class.attr` reads: (class, attribute)
    pub class_attr_refs: Vec<(Sym, String)>,
    /// calls of module-level functions by name
    pub call_sites: Vec<CallSite>,
    /// pytest fixtures defined here: (fixture name, type of its value)
    pub fixtures: Vec<(String, Ty)>,
}

/// `f(a, b, k=c)` where `f` names a module-level function (dotted as qualified here).
#[derive(Debug, Clone)]
pub struct CallSite {
    pub callee: String,
    pub args: Vec<Ty>,
    pub keywords: Vec<(String, Ty)>,
    /// `*args` / `**kwargs` at the call: parameters past `args` may get anything
    pub spread: bool,
}

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
}

impl Frame {
    pub fn new(kind: FrameKind, locals: HashMap<String, Ty>, qual: String) -> Frame {
        Frame { kind, locals, all: HashMap::default(), branch: 0, qual }
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
    };
    for stmt in &module.body {
        walker.visit_stmt(stmt);
    }
    walker.end_silent_walk(HashMap::default());
    let returns: Vec<(String, Expr)> = walker.defs.returns.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    for (name, ann) in returns {
        let ty = walker.defs.annotation(&walker.facts.table, &ann);
        walker.facts.returns.insert(name, ty);
    }
    walker.recording = true;
    for stmt in &module.body {
        walker.visit_stmt(stmt);
    }
    for (name, ty) in std::mem::take(&mut walker.inferred_returns) {
        let slot = walker.facts.returns.entry(name).or_default();
        union_into(slot, ty);
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

    /// Record a use of `kind` on every value the receiver may hold.
    pub fn record(&mut self, recv: &Ty, kind: UseKind, range: TextRange, value: Option<&Ty>) {
        if !self.recording {
            return;
        }
        for sym in recv {
            let use_ = Use { kind: kind.clone(), range };
            match sym {
                Sym::This(idx) => {
                    if let Some(c) = self.facts.classes.get_mut(*idx) {
                        if let (UseKind::Write(n), Some(v)) = (&kind, value) {
                            c.attr_types.push((n.clone(), v.clone()));
                        }
                        c.self_uses.push(use_);
                    }
                }
                Sym::Local(_) | Sym::Named(_) | Sym::Made(_) | Sym::Attr(..) | Sym::Elem(_) | Sym::Global(_)
                | Sym::Ret(..) | Sym::Arg(..) | Sym::AnyAttr(_) | Sym::Fixture(_) => {
                    self.facts.typed_uses.push(SymUse {
                        sym: sym.clone(),
                        use_,
                        value: value.cloned(),
                    });
                }
                Sym::Unknown => {
                    if let UseKind::Write(n) = &kind {
                        self.facts.loose_writes.push(n.clone());
                        let v = value.cloned().unwrap_or_else(super::ty::unknown);
                        self.facts.loose_attr_types.push((n.clone(), v));
                    }
                    self.facts.unknown_uses.push(use_);
                }
                Sym::DescrObj(idx) => {
                    if kind == UseKind::Dict {
                        if let Some(c) = self.facts.classes.get_mut(*idx) {
                            c.dict_descriptor = true;
                        }
                    }
                }
                Sym::LocalCls(idx) => {
                    if let UseKind::Write(n) = &kind {
                        if let Some(c) = self.facts.classes.get_mut(*idx) {
                            c.late_class_attrs.push(n.clone());
                        }
                    }
                }
                Sym::NamedCls(d) => {
                    if let UseKind::Write(n) = &kind {
                        self.facts.class_attr_writes.push((d.clone(), n.clone()));
                    }
                }
                Sym::Container(_) | Sym::SelfArgs(_) => {}
            }
        }
    }

    /// Bind `name` in the innermost scope: a plain assignment replaces the value,
    /// one in a branch or loop (or during the silent walk) adds to it.
    pub fn bind(&mut self, name: &str, ty: Ty) {
        let recording = self.recording;
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

    /// `if isinstance(x, T):` — in the body, `x` is a `T`.
    pub(super) fn walk_if_body(&mut self, test: &Expr, body: &[Stmt]) {
        let narrowed = super::stmts::narrowing(test).map(|(name, t)| (name, self.defs.annotation(&self.facts.table, t)));
        let Some((name, ty)) = narrowed else { return self.walk_branch(body) };
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

    /// Assign a value of type `ty` (from `value`, when known) to `target`.
    pub fn assign(&mut self, target: &Expr, ty: &Ty, value: Option<&Expr>) {
        match target {
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let literal = match value {
                    Some(Expr::Tuple(t)) if t.elts.len() == elts.len() => Some(&t.elts),
                    Some(Expr::List(l)) if l.elts.len() == elts.len() => Some(&l.elts),
                    _ => None,
                };
                let each = elements(ty);
                for (i, e) in elts.iter().enumerate() {
                    match literal.and_then(|l| l.get(i)) {
                        Some(v) if !matches!(v, Expr::Starred(_)) && !matches!(e, Expr::Starred(_)) => {
                            let t = self.expr_ty(v);
                            self.assign(e, &t, Some(v));
                        }
                        _ => self.assign(e, &each, None),
                    }
                }
            }
            Expr::Starred(s) => {
                let t = vec![Sym::Container(elements(ty))];
                self.assign(&s.value, &t, None);
            }
            Expr::Name(n) => self.bind(n.id.as_str(), ty.clone()),
            Expr::Attribute(a) => {
                let recv = self.expr_ty(&a.value);
                let attr = a.attr.as_str();
                let kind = match attr {
                    "__dict__" => UseKind::Dict,
                    "__class__" => UseKind::ClassAssign,
                    _ => UseKind::Write(attr.to_string()),
                };
                self.record(&recv, kind, a.range(), Some(ty));
            }
            Expr::Subscript(s) => {
                self.weak_mapping_store(s, ty);
                self.add_to_container(&s.value, vec![Sym::Container(ty.clone())]);
            }
            _ => {}
        }
    }

    /// `xs.append(v)`, `xs[k] = v`: the container named by `target` may now hold `more`.
    pub fn add_to_container(&mut self, target: &Expr, more: Ty) {
        match target {
            Expr::Name(n) => self.grow(n.id.as_str(), more),
            Expr::Attribute(a) => {
                let recv = self.expr_ty(&a.value);
                if !self.recording {
                    return;
                }
                for sym in recv {
                    match sym {
                        Sym::This(idx) => {
                            if let Some(c) = self.facts.classes.get_mut(idx) {
                                c.attr_types.push((a.attr.to_string(), more.clone()));
                            }
                        }
                        s if super::exprs::lazy(&s) => {
                            // a container attribute of a typed receiver: its type grows
                            self.facts.typed_grows.push((s, a.attr.to_string(), more.clone()));
                        }
                        _ => self.facts.loose_attr_types.push((a.attr.to_string(), more.clone())),
                    }
                }
            }
            _ => {}
        }
    }

    /// `weak_values[key] = obj` / `weak_keys[obj] = value` on weak mappings.
    fn weak_mapping_store(&mut self, s: &ast::ExprSubscript, value: &Ty) {
        let container = self.expr_ty(&s.value);
        let is = |name: &str| container.iter().any(|c| matches!(c, Sym::Named(t) | Sym::Made(t) if t == name));
        let held = if is("weakref.WeakValueDictionary") {
            value.clone()
        } else if is("weakref.WeakKeyDictionary") {
            self.expr_ty(&s.slice)
        } else {
            return;
        };
        self.record(&held, UseKind::Weakref, s.range(), None);
    }

}
