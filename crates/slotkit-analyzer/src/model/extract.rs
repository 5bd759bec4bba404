//! One pass over a module's AST: its bindings, its classes with their facts, and the
//! uses of instances, each attributed to a symbolic receiver type (`ty.rs`). Uses on a
//! receiver that may be of unknown type are kept as *unknown uses*.
//!
//! Each scope (module, function) is walked twice: first silently, so that every name
//! has the union of all the values assigned to it anywhere in the scope (flow
//! insensitive, so loops and later assignments are covered), then recording uses.

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::bindings::{collect_bindings, collect_imports};
use super::class::{BaseRef, ClassInfo, Use, UseKind};
use super::imports::{is_namedtuple_call, ImportTable};
use super::insert::insert_point;
use super::members::{collect_members, dataclass_kind, decorator_name};
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
                Sym::Local(_) | Sym::Named(_) | Sym::Attr(..) | Sym::Elem(_) | Sym::Global(_)
                | Sym::Ret(..) | Sym::Arg(..) => {
                    self.facts.typed_uses.push(SymUse {
                        sym: sym.clone(),
                        use_,
                        value: value.cloned(),
                    });
                }
                Sym::Unknown => {
                    if let UseKind::Write(n) = &kind {
                        self.facts.loose_writes.push(n.clone());
                        if let Some(v) = value {
                            self.facts.loose_attr_types.push((n.clone(), v.clone()));
                        }
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
                Sym::Container(_) => {}
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
    fn walk_loop_body(&mut self, body: &[Stmt]) {
        self.enter_branch(1);
        if self.recording {
            self.recording = false;
            body.iter().for_each(|s| self.visit_stmt(s));
            self.recording = true;
        }
        body.iter().for_each(|s| self.visit_stmt(s));
        self.enter_branch(-1);
    }

    fn enter_branch(&mut self, delta: isize) {
        if let Some(f) = self.frames.last_mut() {
            f.branch = f.branch.saturating_add_signed(delta);
        }
    }

    fn walk_branch(&mut self, body: &[Stmt]) {
        self.enter_branch(1);
        body.iter().for_each(|s| self.visit_stmt(s));
        self.enter_branch(-1);
    }

    /// `if isinstance(x, T):` — in the body, `x` is a `T`.
    fn walk_if_body(&mut self, test: &Expr, body: &[Stmt]) {
        let narrowed = narrowing(test).map(|(name, t)| (name, self.defs.annotation(&self.facts.table, t)));
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
                        Sym::Local(_) | Sym::Named(_) | Sym::Attr(..) | Sym::Elem(_) | Sym::Ret(..) | Sym::Arg(..) => {
                            // a container attribute of a typed receiver: its type grows
                            self.facts.typed_grows.push((sym, a.attr.to_string(), more.clone()));
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
        let is = |name: &str| container.iter().any(|c| matches!(c, Sym::Named(t) if t == name));
        let held = if is("weakref.WeakValueDictionary") {
            value.clone()
        } else if is("weakref.WeakKeyDictionary") {
            self.expr_ty(&s.slice)
        } else {
            return;
        };
        self.record(&held, UseKind::Weakref, s.range(), None);
    }

    fn visit_class(&mut self, class: &ast::StmtClassDef) {
        for d in &class.decorator_list {
            self.visit_decorator(d);
        }
        let key = class.range().start().to_u32();
        let idx = match self.class_at.get(&key) {
            Some(&idx) => idx,
            None => {
                let idx = self.facts.classes.len();
                let info = self.class_info(class);
                self.facts.classes.push(info);
                self.class_at.insert(key, idx);
                idx
            }
        };
        if let Some(args) = &class.arguments {
            for e in args.args.iter() {
                if !matches!(e, Expr::Name(_) | Expr::Attribute(_)) {
                    self.visit_expr(e);
                }
            }
            for kw in &args.keywords {
                self.visit_expr(&kw.value);
            }
        }
        let qual = self.facts.classes.get(idx).map(|c| c.qualname.clone()).unwrap_or_default();
        self.frames.push(Frame::new(FrameKind::Class(idx), HashMap::default(), qual));
        for stmt in &class.body {
            self.visit_stmt(stmt);
        }
        self.frames.pop();
        self.bind(class.name.as_str(), vec![Sym::LocalCls(idx)]);
    }

    fn class_info(&self, class: &ast::StmtClassDef) -> ClassInfo {
        let table = &self.facts.table;
        let mut bases = Vec::new();
        let mut metaclass = None;
        let mut protocol = false;
        if let Some(args) = &class.arguments {
            for base in args.args.iter() {
                if matches!(base, Expr::Starred(_)) {
                    continue;
                }
                let dotted = table.qualify(base);
                protocol |= dotted.as_deref().is_some_and(|d| {
                    matches!(d, "typing.Protocol" | "typing_extensions.Protocol")
                });
                bases.push(BaseRef {
                    text: self
                        .source
                        .get(base.range().start().to_usize()..base.range().end().to_usize())
                        .unwrap_or_default()
                        .to_string(),
                    dotted,
                    namedtuple_call: is_namedtuple_call(table, base),
                    range: base.range(),
                });
            }
            for kw in &args.keywords {
                if kw.arg.as_ref().is_some_and(|a| a.as_str() == "metaclass") {
                    metaclass = Some(table.qualify(&kw.value).unwrap_or_default());
                }
            }
        }
        let parent_qual = self.frames.last().map(|f| f.qual.clone()).unwrap_or_default();
        let qualname = if parent_qual.is_empty() {
            class.name.to_string()
        } else {
            format!("{parent_qual}.{}", class.name)
        };
        let mut info = ClassInfo {
            module: 0,
            name: class.name.to_string(),
            qualname,
            range: class.range(),
            name_range: class.name.range(),
            top_level: self.frames.iter().all(|f| !matches!(f.kind, FrameKind::Function { .. })),
            bases,
            metaclass,
            decorators: class
                .decorator_list
                .iter()
                .map(|d| decorator_name(table, &d.expression))
                .collect(),
            dataclass: dataclass_kind(table, &class.decorator_list),
            slots: None,
            members: Vec::new(),
            annotations: Vec::new(),
            self_uses: Vec::new(),
            reads: Vec::new(),
            class_cell_uses: Vec::new(),
            attr_hooks: Vec::new(),
            dict_descriptor: false,
            late_class_attrs: Vec::new(),
            attr_types: Vec::new(),
            method_returns: Vec::new(),
            type_checking: self.type_checking > 0,
            protocol,
            insert_at: insert_point(self.source, &class.body),
        };
        collect_members(table, &class.body, &mut info, false);
        info
    }

    fn visit_function(&mut self, func: &ast::StmtFunctionDef) {
        for d in &func.decorator_list {
            self.visit_decorator(d);
        }
        for p in func.parameters.iter_non_variadic_params() {
            if let Some(default) = &p.default {
                self.visit_expr(default);
            }
        }
        self.bind(func.name.as_str(), Vec::new());
        if !self.recording {
            // the enclosing scope's silent walk: a function body binds nothing in it
            return;
        }
        if let (Some(idx), Some(r)) = (self.in_class_body(), &func.returns) {
            let ty = self.defs.annotation(&self.facts.table, r);
            if let Some(c) = self.facts.classes.get_mut(idx) {
                c.method_returns.push((func.name.to_string(), ty));
            }
        }
        let locals = self.parameters(func);
        let method_of = self.in_class_body().or_else(|| self.method_class());
        let qual = self.frames.last().map(|f| f.qual.clone()).unwrap_or_default();
        let qual = format!("{qual}.{}.<locals>", func.name).trim_start_matches('.').to_string();
        self.frames.push(Frame::new(FrameKind::Function { method_of }, locals.clone(), qual));
        self.recording = false;
        for stmt in &func.body {
            self.visit_stmt(stmt);
        }
        self.end_silent_walk(locals);
        self.recording = true;
        for stmt in &func.body {
            self.visit_stmt(stmt);
        }
        self.frames.pop();
    }

    /// Types of the parameters: `self`/`cls` of methods, annotations (trusted), and
    /// `Unknown` for the rest (any caller may pass anything).
    fn parameters(&mut self, func: &ast::StmtFunctionDef) -> HashMap<String, Ty> {
        let mut locals: HashMap<String, Ty> = HashMap::default();
        let mut params = func.parameters.iter_non_variadic_params();
        let _ = &mut params;
        if let Some(idx) = self.in_class_body() {
            let decos: Vec<String> = func
                .decorator_list
                .iter()
                .map(|d| decorator_name(&self.facts.table, &d.expression))
                .collect();
            let is_static = decos.iter().any(|d| d == "builtins.staticmethod");
            let is_cls = func.name.as_str() == "__new__"
                || func.name.as_str() == "__init_subclass__"
                || func.name.as_str() == "__class_getitem__"
                || decos.iter().any(|d| d == "builtins.classmethod");
            if !is_static {
                if let Some(first) = params.next() {
                    let recv = if is_cls { Sym::LocalCls(idx) } else { Sym::This(idx) };
                    locals.insert(first.parameter.name.to_string(), vec![recv]);
                }
                if matches!(func.name.as_str(), "__get__" | "__set__" | "__delete__") {
                    if let Some(obj) = params.next() {
                        locals.insert(obj.parameter.name.to_string(), vec![Sym::DescrObj(idx)]);
                    }
                    if func.name.as_str() == "__get__" {
                        // the owner class: stores on it are class attributes
                        if let Some(owner) = params.next() {
                            locals.insert(owner.parameter.name.to_string(), Vec::new());
                        }
                    }
                }
            }
        }
        // a module-level function: its call sites in the project say what it gets
        let module_level = matches!(self.frames.last().map(|f| &f.kind), Some(FrameKind::Module));
        let positional = func.parameters.posonlyargs.len() + func.parameters.args.len();
        let fname = self.facts.table.qualify_name(func.name.as_str());
        for (i, p) in func.parameters.iter_non_variadic_params().enumerate() {
            if locals.contains_key(p.parameter.name.as_str()) {
                continue;
            }
            let ty = match &p.parameter.annotation {
                Some(ann) => {
                    let mut t = self.defs.annotation(&self.facts.table, ann);
                    // a default that does not match the annotation still flows in
                    if let Some(d) = &p.default {
                        let dt = self.expr_ty(d);
                        union_into(&mut t, dt);
                    }
                    t
                }
                None => {
                    let mut t = super::ty::unknown();
                    if module_level {
                        let pos = if i < positional { i } else { usize::MAX };
                        t.push(Sym::Arg(fname.clone(), pos, p.parameter.name.to_string()));
                    }
                    if let Some(d) = &p.default {
                        let dt = self.expr_ty(d);
                        union_into(&mut t, dt);
                    }
                    t
                }
            };
            locals.insert(p.parameter.name.to_string(), ty);
        }
        let variadic = [&func.parameters.vararg, &func.parameters.kwarg];
        for v in variadic.into_iter().flatten() {
            let inner = match &v.annotation {
                Some(ann) => self.defs.annotation(&self.facts.table, ann),
                None => super::ty::unknown(),
            };
            locals.insert(v.name.to_string(), vec![Sym::Container(inner)]);
        }
        locals
    }
}

impl<'a> Visitor<'a> for Walker<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::ClassDef(c) => return self.visit_class(c),
            Stmt::FunctionDef(f) => return self.visit_function(f),
            Stmt::Assign(a) => {
                self.visit_expr(&a.value);
                let ty = self.expr_ty(&a.value);
                if let (Some(idx), [Expr::Name(n)]) = (self.in_class_body(), a.targets.as_slice()) {
                    if self.recording {
                        if let Some(c) = self.facts.classes.get_mut(idx) {
                            c.attr_types.push((n.id.to_string(), ty.clone()));
                        }
                    }
                }
                for t in &a.targets {
                    self.assign(t, &ty, Some(&a.value));
                    self.visit_target_subexprs(t);
                }
                return;
            }
            Stmt::AnnAssign(a) => {
                let ty = self.defs.annotation(&self.facts.table, &a.annotation);
                if let Some(v) = &a.value {
                    self.visit_expr(v);
                }
                match (&*a.target, self.in_class_body()) {
                    (Expr::Name(n), Some(idx)) => {
                        if self.recording {
                            if let Some(c) = self.facts.classes.get_mut(idx) {
                                c.attr_types.push((n.id.to_string(), ty));
                            }
                        }
                    }
                    (t, _) => {
                        self.assign(t, &ty, a.value.as_deref());
                        self.visit_target_subexprs(t);
                    }
                }
                return;
            }
            Stmt::AugAssign(a) => {
                self.visit_expr(&a.value);
                let ty = self.expr_ty(&a.value);
                if let Expr::Name(n) = &*a.target {
                    self.grow(n.id.as_str(), ty.clone());
                }
                self.assign(&a.target, &ty, None);
                self.visit_target_subexprs(&a.target);
                return;
            }
            Stmt::For(f) => {
                self.visit_expr(&f.iter);
                let ty = elements(&self.expr_ty(&f.iter));
                self.enter_branch(1);
                self.assign(&f.target, &ty, None);
                self.enter_branch(-1);
                self.visit_target_subexprs(&f.target);
                self.walk_loop_body(&f.body);
                self.walk_branch(&f.orelse);
                return;
            }
            Stmt::While(w) => {
                self.visit_expr(&w.test);
                self.walk_loop_body(&w.body);
                self.walk_branch(&w.orelse);
                return;
            }
            Stmt::Try(t) => {
                self.walk_branch(&t.body);
                for h in &t.handlers {
                    self.enter_branch(1);
                    self.visit_except_handler(h);
                    self.enter_branch(-1);
                }
                self.walk_branch(&t.orelse);
                self.walk_branch(&t.finalbody);
                return;
            }
            Stmt::Match(_) => {
                self.enter_branch(1);
                walk_stmt(self, stmt);
                self.enter_branch(-1);
                return;
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(v) = &item.optional_vars {
                        // `__enter__` may return anything
                        self.assign(v, &super::ty::unknown(), None);
                        self.visit_target_subexprs(v);
                    }
                }
                for s in &w.body {
                    self.visit_stmt(s);
                }
                return;
            }
            Stmt::If(s) => {
                let tc = self
                    .facts
                    .table
                    .qualify(&s.test)
                    .is_some_and(|d| d.ends_with("TYPE_CHECKING"));
                self.visit_expr(&s.test);
                self.type_checking += usize::from(tc);
                self.walk_if_body(&s.test, &s.body);
                self.type_checking -= usize::from(tc);
                for clause in &s.elif_else_clauses {
                    match &clause.test {
                        Some(t) => {
                            self.visit_expr(t);
                            self.walk_if_body(t, &clause.body);
                        }
                        None => self.walk_branch(&clause.body),
                    }
                }
                return;
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.visit_target_subexprs(t);
                }
                return;
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_except_handler(&mut self, handler: &'a ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(h) = handler;
        if let Some(t) = &h.type_ {
            self.visit_expr(t);
        }
        if let (Some(name), Some(t)) = (&h.name, &h.type_) {
            let ty = self.defs.annotation(&self.facts.table, t);
            self.bind(name.as_str(), ty);
        }
        for s in &h.body {
            self.visit_stmt(s);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(a) => {
                if a.attr.as_str() == "__dict__" {
                    let r = self.expr_ty(&a.value);
                    self.record(&r, UseKind::Dict, a.range(), None);
                } else if a.ctx == ExprContext::Load && self.recording {
                    let r = self.expr_ty(&a.value);
                    for s in r {
                        if let Sym::This(idx) = s {
                            if let Some(c) = self.facts.classes.get_mut(idx) {
                                c.reads.push(a.attr.to_string());
                            }
                        }
                    }
                }
                if a.ctx == ExprContext::Load {
                    // `pkg.mod.Class` passed around or called
                    self.note_class_ref(expr);
                }
                if let Expr::Name(n) = &*a.value {
                    // `Class.attr` does not pass the class around, but `Class.create()`
                    // may instantiate it: kept to check against its methods
                    if self.recording {
                        for s in self.lookup(n.id.as_str()) {
                            if matches!(s, Sym::LocalCls(_) | Sym::NamedCls(_) | Sym::Global(_)) {
                                self.facts.class_attr_refs.push((s, a.attr.to_string()));
                            }
                        }
                    }
                    return;
                }
            }
            Expr::Call(c) => self.visit_call(c),
            Expr::Name(n) if n.ctx == ExprContext::Load => {
                if n.id.as_str() == "__class__" {
                    if let Some(idx) = self.method_class() {
                        if self.recording {
                            if let Some(c) = self.facts.classes.get_mut(idx) {
                                c.class_cell_uses.push(n.range());
                            }
                        }
                    }
                }
                self.note_class_ref(expr);
            }
            Expr::ListComp(ast::ExprListComp { generators, .. })
            | Expr::SetComp(ast::ExprSetComp { generators, .. })
            | Expr::Generator(ast::ExprGenerator { generators, .. })
            | Expr::DictComp(ast::ExprDictComp { generators, .. }) => {
                self.bind_generators(generators);
            }
            Expr::Named(n) => {
                let ty = self.expr_ty(&n.value);
                self.assign(&n.target, &ty, Some(&n.value));
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

/// `isinstance(name, T)`, alone or in an `and` chain: (name, T).
fn narrowing(test: &Expr) -> Option<(&str, &Expr)> {
    match test {
        Expr::Call(c) => {
            let is_isinstance = matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "isinstance");
            match (is_isinstance, c.arguments.args.first(), c.arguments.args.get(1)) {
                (true, Some(Expr::Name(n)), Some(t)) => Some((n.id.as_str(), t)),
                _ => None,
            }
        }
        Expr::BoolOp(b) if b.op == ast::BoolOp::And => b.values.iter().find_map(narrowing),
        _ => None,
    }
}

impl Walker<'_> {
    /// Bind comprehension targets to the elements of their iterables.
    pub fn bind_generators(&mut self, generators: &[ast::Comprehension]) {
        for g in generators {
            let ty = elements(&self.expr_ty(&g.iter));
            self.assign(&g.target, &ty, None);
        }
    }

    /// A class object referenced as a value (called, passed, stored): it may be instantiated.
    fn note_class_ref(&mut self, expr: &Expr) {
        if !self.recording {
            return;
        }
        for s in self.expr_ty(expr) {
            if matches!(s, Sym::LocalCls(_) | Sym::NamedCls(_) | Sym::Global(_)) {
                self.facts.class_refs.push(s);
            }
        }
    }

    /// Visit the expressions inside assignment targets (subscripts, attribute bases).
    fn visit_target_subexprs(&mut self, target: &Expr) {
        match target {
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.visit_target_subexprs(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.visit_target_subexprs(e)),
            Expr::Starred(s) => self.visit_target_subexprs(&s.value),
            Expr::Attribute(a) => self.visit_expr(&a.value),
            Expr::Subscript(s) => {
                self.visit_expr(&s.value);
                self.visit_expr(&s.slice);
            }
            _ => {}
        }
    }
}
