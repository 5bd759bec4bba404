//! Class and function definitions: the facts of a class statement, and the scopes
//! (parameters and their types) of functions and methods.

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::Ranged;

use super::class::{BaseRef, ClassInfo};
use super::extract::{Frame, FrameKind, Walker};
use super::imports::is_namedtuple_call;
use super::insert::insert_point;
use super::members::{collect_members, dataclass_kind, decorator_name};
use super::ty::{union_into, Sym, Ty};

impl Walker<'_> {
    pub(super) fn visit_class(&mut self, class: &ast::StmtClassDef) {
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

    pub(super) fn visit_function(&mut self, func: &ast::StmtFunctionDef) {
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
