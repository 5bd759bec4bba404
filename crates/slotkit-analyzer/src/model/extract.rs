//! One pass over a module's AST: its bindings, its classes with their facts, and the
//! uses of instances whose type can be inferred locally.

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::bindings::{collect_bindings, collect_imports};
use super::class::{BaseRef, ClassInfo, Use, UseKind};
use super::imports::{is_namedtuple_call, ImportTable};
use super::insert::insert_point;
use super::members::{collect_members, dataclass_kind, decorator_name};

/// A use on a receiver whose declared/constructed type is a dotted name.
#[derive(Debug, Clone)]
pub struct TypedUse {
    pub type_dotted: String,
    pub use_: Use,
}

#[derive(Debug, Default)]
pub struct ModuleFacts {
    pub table: ImportTable,
    pub classes: Vec<ClassInfo>,
    pub typed_uses: Vec<TypedUse>,
    /// attribute names written on receivers of unknown type (`x.name = ...`)
    pub loose_writes: Vec<String>,
    /// `SomeClass.name = ...` (dotted class, attribute) after class creation
    pub class_attr_writes: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Recv {
    Instance(usize),
    Cls(usize),
    /// the `obj` parameter of a descriptor's `__get__`/`__set__`
    DescrObj(usize),
    Typed(String),
}

enum FrameKind {
    Module,
    Class(usize),
    Function { method_of: Option<usize> },
}

struct Frame {
    kind: FrameKind,
    locals: HashMap<String, Recv>,
    qual: String,
}

struct Walker<'s> {
    source: &'s str,
    facts: ModuleFacts,
    frames: Vec<Frame>,
}

const WEAKREF_FUNCS: &[&str] = &[
    "weakref.ref",
    "weakref.proxy",
    "weakref.finalize",
    "weakref.WeakMethod",
    "_weakref.ref",
    "_weakref.proxy",
];

/// Last name of the callees `visit_call` cares about (a cheap filter before qualifying).
const INTERESTING_CALLS: &[&str] = &[
    "vars", "setattr", "__setattr__", "super", "ref", "proxy", "finalize", "WeakMethod", "object",
    "add",
];

pub fn extract(source: &str, module: &ast::ModModule, table: ImportTable) -> ModuleFacts {
    let mut facts = ModuleFacts {
        table,
        ..ModuleFacts::default()
    };
    collect_imports(&module.body, &mut facts.table);
    collect_bindings(&module.body, &mut facts.table, false);
    collect_bindings(&module.body, &mut facts.table, true);
    let mut walker = Walker {
        source,
        facts,
        frames: vec![Frame {
            kind: FrameKind::Module,
            locals: HashMap::default(),
            qual: String::new(),
        }],
    };
    for stmt in &module.body {
        walker.visit_stmt(stmt);
    }
    walker.facts
}


impl Walker<'_> {
    fn lookup(&self, name: &str) -> Option<Recv> {
        for frame in self.frames.iter().rev() {
            if matches!(frame.kind, FrameKind::Class(_)) {
                continue;
            }
            if let Some(r) = frame.locals.get(name) {
                return Some(r.clone());
            }
        }
        None
    }

    /// The class whose method (or a function nested in one) is being walked.
    fn method_class(&self) -> Option<usize> {
        match self.frames.last().map(|f| &f.kind) {
            Some(FrameKind::Function { method_of }) => *method_of,
            _ => None,
        }
    }

    fn recv(&self, expr: &Expr) -> Option<Recv> {
        match expr {
            Expr::Name(n) => self.lookup(n.id.as_str()),
            _ => None,
        }
    }

    fn record(&mut self, recv: Option<Recv>, kind: UseKind, range: TextRange) -> bool {
        match recv {
            Some(Recv::Instance(idx)) => {
                if let Some(c) = self.facts.classes.get_mut(idx) {
                    c.self_uses.push(Use { kind, range });
                }
                true
            }
            Some(Recv::Typed(dotted)) => {
                self.facts.typed_uses.push(TypedUse {
                    type_dotted: dotted,
                    use_: Use { kind, range },
                });
                true
            }
            Some(Recv::DescrObj(idx)) => {
                if kind == UseKind::Dict {
                    if let Some(c) = self.facts.classes.get_mut(idx) {
                        c.dict_descriptor = true;
                    }
                }
                kind == UseKind::Dict
            }
            Some(Recv::Cls(_)) | None => false,
        }
    }

    fn bind(&mut self, name: &str, recv: Option<Recv>) {
        if let Some(frame) = self.frames.last_mut() {
            match recv {
                Some(r) => {
                    frame.locals.insert(name.to_string(), r);
                }
                None => {
                    frame.locals.remove(name);
                }
            }
        }
    }

    fn store_target(&mut self, target: &Expr) {
        match target {
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.store_target(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.store_target(e)),
            Expr::Starred(s) => self.store_target(&s.value),
            Expr::Attribute(a) => {
                let recv = self.recv(&a.value);
                let attr = a.attr.as_str();
                if attr == "__dict__" {
                    return;
                }
                let kind = if attr == "__class__" {
                    UseKind::ClassAssign
                } else {
                    UseKind::Write(attr.to_string())
                };
                match recv {
                    // `cls.name = ...` in a classmethod / `__init_subclass__`
                    Some(Recv::Cls(idx)) => {
                        if let Some(c) = self.facts.classes.get_mut(idx) {
                            c.late_class_attrs.push(attr.to_string());
                        }
                    }
                    Some(_) => {
                        self.record(recv, kind, a.range());
                    }
                    None => {
                        self.facts.loose_writes.push(attr.to_string());
                        // `Point.name = ...`: a class attribute set after creation
                        if matches!(&*a.value, Expr::Name(_) | Expr::Attribute(_)) {
                            if let Some(d) = self.facts.table.qualify(&a.value) {
                                self.facts.class_attr_writes.push((d, attr.to_string()));
                            }
                        }
                    }
                }
            }
            Expr::Name(n) => self.bind(n.id.as_str(), None),
            _ => {}
        }
    }

    /// The inferred type of a value assigned to a plain name.
    fn value_type(&self, value: &Expr) -> Option<Recv> {
        match value {
            Expr::Name(_) => self.recv(value),
            Expr::Call(call) => {
                if let Some(Recv::Cls(idx)) = self.recv(&call.func) {
                    return Some(Recv::Instance(idx));
                }
                if let Expr::Attribute(a) = &*call.func {
                    if a.attr.as_str() == "__new__" {
                        let first = call.arguments.args.first();
                        if let Some(Recv::Cls(idx)) = first.and_then(|e| self.recv(e)) {
                            return Some(Recv::Instance(idx));
                        }
                        // `int.__new__(symbol, ...)`: an instance of the named class
                        return first
                            .filter(|e| matches!(e, Expr::Name(_) | Expr::Attribute(_)))
                            .and_then(|e| self.facts.table.qualify(e))
                            .map(Recv::Typed);
                    }
                }
                self.facts.table.qualify(&call.func).map(Recv::Typed)
            }
            _ => None,
        }
    }

    fn visit_class(&mut self, class: &ast::StmtClassDef) {
        for d in &class.decorator_list {
            self.visit_decorator(d);
        }
        let table = &self.facts.table;
        let mut bases = Vec::new();
        let mut metaclass = None;
        if let Some(args) = &class.arguments {
            for base in args.args.iter() {
                if matches!(base, Expr::Starred(_)) {
                    continue;
                }
                bases.push(BaseRef {
                    text: self
                        .source
                        .get(base.range().start().to_usize()..base.range().end().to_usize())
                        .unwrap_or_default()
                        .to_string(),
                    dotted: table.qualify(base),
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
        let decorators = class
            .decorator_list
            .iter()
            .map(|d| decorator_name(table, &d.expression))
            .collect();
        let dataclass = dataclass_kind(table, &class.decorator_list);
        let parent_qual = self.frames.last().map(|f| f.qual.clone()).unwrap_or_default();
        let top_level = self
            .frames
            .iter()
            .all(|f| !matches!(f.kind, FrameKind::Function { .. }));
        let qualname = if parent_qual.is_empty() {
            class.name.to_string()
        } else {
            format!("{parent_qual}.{}", class.name)
        };
        let mut info = ClassInfo {
            module: 0,
            name: class.name.to_string(),
            qualname: qualname.clone(),
            range: class.range(),
            name_range: class.name.range(),
            top_level,
            bases,
            metaclass,
            decorators,
            dataclass,
            slots: None,
            members: Vec::new(),
            annotations: Vec::new(),
            self_uses: Vec::new(),
            reads: Vec::new(),
            class_cell_uses: Vec::new(),
            attr_hooks: Vec::new(),
            dict_descriptor: false,
            late_class_attrs: Vec::new(),
            insert_at: insert_point(self.source, &class.body),
        };
        collect_members(&self.facts.table, &class.body, &mut info, false);
        let idx = self.facts.classes.len();
        self.facts.classes.push(info);
        if let Some(args) = &class.arguments {
            for e in args.args.iter() {
                self.visit_expr(e);
            }
        }
        self.frames.push(Frame {
            kind: FrameKind::Class(idx),
            locals: HashMap::default(),
            qual: qualname,
        });
        for stmt in &class.body {
            self.visit_stmt(stmt);
        }
        self.frames.pop();
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
        let in_class = match self.frames.last().map(|f| &f.kind) {
            Some(FrameKind::Class(idx)) => Some(*idx),
            _ => None,
        };
        let inherited = self.method_class();
        let mut locals = HashMap::default();
        let mut params = func.parameters.iter_non_variadic_params();
        let mut method_of = inherited;
        if let Some(idx) = in_class {
            method_of = Some(idx);
            let decos: Vec<String> = func
                .decorator_list
                .iter()
                .map(|d| decorator_name(&self.facts.table, &d.expression))
                .collect();
            let is_static = decos.iter().any(|d| d == "builtins.staticmethod");
            let is_cls = func.name.as_str() == "__new__"
                || func.name.as_str() == "__init_subclass__"
                || decos.iter().any(|d| d == "builtins.classmethod");
            if !is_static {
                if let Some(first) = params.next() {
                    let recv = if is_cls {
                        Recv::Cls(idx)
                    } else {
                        Recv::Instance(idx)
                    };
                    locals.insert(first.parameter.name.to_string(), recv);
                }
                if matches!(func.name.as_str(), "__get__" | "__set__" | "__delete__") {
                    if let Some(obj) = params.next() {
                        locals.insert(obj.parameter.name.to_string(), Recv::DescrObj(idx));
                    }
                }
            }
        }
        for p in params {
            if let Some(ann) = &p.parameter.annotation {
                if let Some(d) = self.facts.table.qualify(ann) {
                    locals.insert(p.parameter.name.to_string(), Recv::Typed(d));
                }
            }
        }
        let qual = self.frames.last().map(|f| f.qual.clone()).unwrap_or_default();
        self.frames.push(Frame {
            kind: FrameKind::Function { method_of },
            locals,
            qual: format!("{qual}.{}.<locals>", func.name).trim_start_matches('.').to_string(),
        });
        for stmt in &func.body {
            self.visit_stmt(stmt);
        }
        self.frames.pop();
    }

    fn visit_call(&mut self, call: &ast::ExprCall) {
        let last = match &*call.func {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.as_str(),
            _ => return,
        };
        let aliased = matches!(&*call.func, Expr::Name(n) if self.facts.table.bindings.contains_key(n.id.as_str()));
        if !INTERESTING_CALLS.contains(&last) && !aliased {
            return;
        }
        let name = self.facts.table.qualify(&call.func).unwrap_or_default();
        let args = &call.arguments.args;
        let first = args.first();
        match name.as_str() {
            "builtins.vars" => {
                if let Some(a) = first {
                    let r = self.recv(a);
                    self.record(r, UseKind::Dict, call.range());
                }
            }
            "builtins.setattr" | "builtins.object.__setattr__" => {
                if let (Some(obj), Some(attr)) = (first, args.get(1)) {
                    let r = self.recv(obj);
                    match attr {
                        Expr::StringLiteral(s) => {
                            let n = s.value.to_str().to_string();
                            if !self.record(r, UseKind::Write(n.clone()), call.range()) {
                                self.facts.loose_writes.push(n);
                            }
                        }
                        _ => {
                            self.record(r, UseKind::DynamicSetattr, call.range());
                        }
                    }
                }
            }
            "builtins.super" if args.is_empty() && call.arguments.keywords.is_empty() => {
                if let Some(idx) = self.method_class() {
                    if let Some(c) = self.facts.classes.get_mut(idx) {
                        c.class_cell_uses.push(call.range());
                    }
                }
            }
            _ if last == "add" => {
                // `weak_set.add(obj)` on a local `weakref.WeakSet()`
                if let Expr::Attribute(a) = &*call.func {
                    let container = self.recv(&a.value);
                    if matches!(&container, Some(Recv::Typed(t)) if t == "weakref.WeakSet") {
                        if let Some(obj) = first {
                            let r = self.recv(obj);
                            self.record(r, UseKind::Weakref, call.range());
                        }
                    }
                }
            }
            n if WEAKREF_FUNCS.contains(&n) => {
                if let Some(a) = first {
                    let r = self.recv(a);
                    self.record(r, UseKind::Weakref, call.range());
                }
            }
            n if n.ends_with("patch.object") || n == "monkeypatch.setattr" => {
                if let Some(a) = first {
                    let r = self.recv(a);
                    self.record(r, UseKind::Patch, call.range());
                }
            }
            _ => {
                if let Expr::Attribute(a) = &*call.func {
                    let is_mp = matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "monkeypatch");
                    if is_mp && a.attr.as_str() == "setattr" {
                        if let Some(obj) = first {
                            let r = self.recv(obj);
                            self.record(r, UseKind::Patch, call.range());
                        }
                    }
                }
            }
        }
    }
}


impl<'a> Visitor<'a> for Walker<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::ClassDef(c) => return self.visit_class(c),
            Stmt::FunctionDef(f) => return self.visit_function(f),
            Stmt::Assign(a) => {
                self.visit_expr(&a.value);
                for t in &a.targets {
                    self.store_target(t);
                    self.weak_mapping_store(t, &a.value);
                }
                if let [Expr::Name(n)] = a.targets.as_slice() {
                    let ty = self.value_type(&a.value);
                    self.bind(n.id.as_str(), ty);
                }
                for t in &a.targets {
                    self.visit_target_subexprs(t);
                }
                return;
            }
            Stmt::AnnAssign(a) => {
                self.store_target(&a.target);
                if let Expr::Name(n) = &*a.target {
                    if !matches!(self.frames.last().map(|f| &f.kind), Some(FrameKind::Class(_))) {
                        let ty = self.facts.table.qualify(&a.annotation).map(Recv::Typed);
                        self.bind(n.id.as_str(), ty);
                    }
                }
            }
            Stmt::AugAssign(a) => self.store_target(&a.target),
            Stmt::For(f) => self.store_target(&f.target),
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        self.store_target(v);
                    }
                }
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Attribute(a) => {
                if a.attr.as_str() == "__dict__" {
                    let r = self.recv(&a.value);
                    self.record(r, UseKind::Dict, a.range());
                } else if a.ctx == ExprContext::Load {
                    if let Some(Recv::Instance(idx)) = self.recv(&a.value) {
                        if let Some(c) = self.facts.classes.get_mut(idx) {
                            c.reads.push(a.attr.to_string());
                        }
                    }
                }
            }
            Expr::Call(c) => self.visit_call(c),
            Expr::Name(n) if n.id.as_str() == "__class__" && n.ctx == ExprContext::Load => {
                if let Some(idx) = self.method_class() {
                    if let Some(c) = self.facts.classes.get_mut(idx) {
                        c.class_cell_uses.push(n.range());
                    }
                }
            }
            _ => {}
        }
        walk_expr(self, expr);
    }
}

impl Walker<'_> {
    /// `weak_values[key] = obj` / `weak_keys[obj] = value` on local weak mappings.
    fn weak_mapping_store(&mut self, target: &Expr, value: &Expr) {
        let Expr::Subscript(s) = target else { return };
        let held = match self.recv(&s.value) {
            Some(Recv::Typed(t)) if t == "weakref.WeakValueDictionary" => value,
            Some(Recv::Typed(t)) if t == "weakref.WeakKeyDictionary" => &*s.slice,
            _ => return,
        };
        let r = self.recv(held);
        self.record(r, UseKind::Weakref, s.range());
    }

    /// Visit the expressions inside assignment targets (subscripts, attribute bases).
    fn visit_target_subexprs(&mut self, target: &Expr) {
        match target {
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.visit_target_subexprs(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.visit_target_subexprs(e)),
            Expr::Starred(s) => self.visit_target_subexprs(&s.value),
            Expr::Attribute(a) => {
                if a.attr.as_str() == "__dict__" {
                    let r = self.recv(&a.value);
                    self.record(r, UseKind::Dict, a.range());
                }
                self.visit_expr(&a.value);
            }
            Expr::Subscript(s) => {
                self.visit_expr(&s.value);
                self.visit_expr(&s.slice);
            }
            _ => {}
        }
    }
}
