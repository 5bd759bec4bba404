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
            setstate_copy: false,
            reduce_with_state: false,
            late_class_attrs: Vec::new(),
            attr_types: Vec::new(),
            method_returns: Vec::new(),
            method_params: Vec::new(),
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
        let module_level = matches!(self.frames.last().map(|f| &f.kind), Some(FrameKind::Module));
        if module_level && !func.decorator_list.is_empty() && self.recording {
            // the decorator gets the function: it may be called from anywhere
            let q = self.facts.table.qualify_name(func.name.as_str());
            self.facts.escaped.push(q);
        }
        for p in func.parameters.iter_non_variadic_params() {
            if let Some(default) = &p.default {
                self.visit_expr(default);
            }
        }
        self.bind(func.name.as_str(), Vec::new());
        let in_function = matches!(self.frames.last().map(|f| &f.kind), Some(FrameKind::Function { .. }));
        if let (true, true, Some(r)) = (in_function, func.decorator_list.is_empty() && !func.is_async, &func.returns) {
            // a nested function: calls of it by name give what its annotation promises
            let ty = self.defs.annotation(&self.facts.table, r);
            if let Some(f) = self.frames.last_mut() {
                f.fn_returns.insert(func.name.to_string(), ty);
            }
        }
        if !self.recording {
            // the enclosing scope's silent walk: a function body binds nothing in it
            return;
        }
        // a property's setter or deleter shares the getter's name: what it returns is no
        // value of the attribute
        let accessor = func.decorator_list.iter().any(|d| {
            let n = decorator_name(&self.facts.table, &d.expression);
            n.ends_with(".setter") || n.ends_with(".deleter")
        });
        if let (Some(idx), Some(r), false) = (self.in_class_body(), &func.returns, accessor) {
            let ty = self.defs.annotation(&self.facts.table, r);
            if let Some(c) = self.facts.classes.get_mut(idx) {
                c.method_returns.push((func.name.to_string(), ty));
            }
        }
        let locals = self.parameters(func);
        let class_body = self.in_class_body();
        let module_level = matches!(self.frames.last().map(|f| &f.kind), Some(FrameKind::Module));
        let method_of = class_body.or_else(|| self.method_class());
        let qual = self.frames.last().map(|f| f.qual.clone()).unwrap_or_default();
        let qual = format!("{qual}.{}.<locals>", func.name).trim_start_matches('.').to_string();
        let mut frame = Frame::new(FrameKind::Function { method_of }, locals.clone(), qual);
        frame.rebinds = super::bindings::collect_rebound_names(&func.body);
        frame.setstate_param = self.setstate_param(func);
        if let (Some(idx), true) = (self.in_class_body(), matches!(func.name.as_str(), "__reduce__" | "__reduce_ex__")) {
            if super::setstate::returns_a_state(&func.body) {
                if let Some(c) = self.facts.classes.get_mut(idx) {
                    c.reduce_with_state = true;
                }
            }
        }
        let params: Vec<String> = func.parameters.iter_non_variadic_params().map(|p| p.parameter.name.to_string()).collect();
        frame.self_copies = super::self_copy::self_copies(&func.body, &params);
        self.frames.push(frame);
        self.recording = false;
        for stmt in &func.body {
            self.visit_stmt(stmt);
        }
        self.end_silent_walk(locals);
        self.recording = true;
        let infer = func.returns.is_none() && (class_body.is_some() || module_level);
        let inferable = infer && self.inferable(func);
        // a pytest fixture's value: what it returns, or yields
        let fixture = self.fixture_name(func);
        let generator = super::yields::contains_yield(&func.body);
        let fixture_ok = fixture.is_some() && !func.is_async;
        let collect_returns = inferable || (fixture_ok && !generator);
        self.returns_stack.push(if collect_returns { Some(Vec::new()) } else { None });
        self.yields_stack.push(if fixture_ok && generator { Some(Vec::new()) } else { None });
        for stmt in &func.body {
            self.visit_stmt(stmt);
        }
        let yielded = self.yields_stack.pop().flatten();
        let returned = self.returns_stack.pop().flatten();
        self.frames.pop();
        if let Some(name) = fixture {
            let value = if generator { yielded.clone() } else { returned.clone() };
            self.facts.fixtures.push((name, value.unwrap_or_else(super::ty::unknown)));
        }
        if infer && !accessor {
            // no annotation: what its `return`s give (`Unknown` when not inferable)
            let ty = if inferable { returned } else { None }.unwrap_or_else(super::ty::unknown);
            match class_body {
                Some(idx) => {
                    if let Some(c) = self.facts.classes.get_mut(idx) {
                        c.method_returns.push((func.name.to_string(), ty));
                    }
                }
                None => {
                    let slot = self.inferred_returns.entry(func.name.to_string()).or_default();
                    union_into(slot, ty);
                }
            }
        }
    }

    /// Can the result of calling `func` be read off its `return` statements? Not for
    /// coroutines, generators and functions wrapped by a decorator (which may return
    /// anything); `staticmethod`/`classmethod` keep the function's result, and so does a
    /// `property` getter (the attribute's value).
    fn inferable(&self, func: &ast::StmtFunctionDef) -> bool {
        if func.is_async {
            return false;
        }
        let plain = func.decorator_list.iter().all(|d| {
            let n = decorator_name(&self.facts.table, &d.expression);
            n == "builtins.staticmethod" || n == "builtins.classmethod" || n == "builtins.property" || n.ends_with(".getter")
        });
        plain && !super::yields::contains_yield(&func.body)
    }

    /// Types of the parameters: `self`/`cls` of methods, annotations (trusted), and
    /// `Unknown` for the rest (any caller may pass anything).
    fn parameters(&mut self, func: &ast::StmtFunctionDef) -> HashMap<String, Ty> {
        let mut locals: HashMap<String, Ty> = HashMap::default();
        let injected = self.injected(func);
        let mut self_args = None;
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
                } else if let (false, Some(v)) = (is_cls, &func.parameters.vararg) {
                    // `def __init__(*args)`: `args[0]` is `self`
                    self_args = Some((v.name.to_string(), idx));
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
        // a private plain method: its calls `x._m(...)` in the project say what it gets
        let has_self = func.parameters.posonlyargs.len() + func.parameters.args.len() > 0;
        // (in a closed module, public methods too: `model::closed`)
        let closed_public = self.facts.table.closed && super::closed::project_called(func.name.as_str());
        let private_method = self.in_class_body().is_some()
            && has_self
            && func.decorator_list.is_empty()
            && (super::private_calls::is_private(func.name.as_str()) || closed_public);
        // the `__init__` of a class of a closed module made by calls of its name only
        let init_of = self.closed_init_class(func);
        let mkey = super::private_calls::method_key(func.name.as_str());
        // how it can be called, for the calls of computed `getattr`s (`model::by_name`)
        let arity_key = if module_level {
            Some(fname.clone())
        } else if let Some(class) = &init_of {
            Some(class.clone())
        } else if private_method {
            Some(mkey.clone())
        } else {
            None
        };
        if let Some(key) = arity_key {
            let skip = usize::from(!module_level);
            self.facts.arities.push((key, super::by_name_sites::Arity::of(&func.parameters, skip)));
        }
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
                    // pytest passes fixtures to the parameters without a default
                    let fixture = match &p.default {
                        None => self.fixture_param(&injected, p.parameter.name.as_str()),
                        Some(_) => None,
                    };
                    let no_fixture = fixture.is_none();
                    // a decorated function: what its decorator passes (`model::callbacks`)
                    let decorated = match no_fixture {
                        true => self.decorated_param(func, i),
                        false => None,
                    };
                    // a method overriding an annotated one: what the base promises
                    // (a public method of a closed module too: what the base promises
                    // holds for outside callers of the base's method)
                    let public = !super::private_calls::is_private(func.name.as_str());
                    let inherited = match (no_fixture, decorated.is_none(), !private_method || public) {
                        (true, true, true) => self.overriding_param(func, i),
                        _ => None,
                    };

                    let mut t = fixture
                        .or_else(|| decorated.clone())
                        .or(inherited.clone())
                        .unwrap_or_else(super::ty::unknown);
                    // the callee whose call sites fill this parameter, and its position in a
                    // call (a method's call starts at its second parameter)
                    let callee = if module_level {
                        Some((&fname, i))
                    } else if let (Some(class), true) = (&init_of, i > 0) {
                        Some((class, i - 1))
                    } else if private_method && no_fixture && i > 0 {
                        Some((&mkey, i - 1))
                    } else {
                        None
                    };
                    if let (Some((key, at)), None) = (callee, &decorated) {
                        if no_fixture {
                            // callers outside the project: none for a private function or
                            // method whose name does not escape (`model::private_calls`)
                            let outside = super::private_calls::OUTSIDE_CALLERS;
                            // a method's: its class (computed `getattr`s reach its family)
                            let class = if module_level { String::new() } else { self.in_class_body().map(|i| i.to_string()).unwrap_or_default() };
                            let from_outside = Sym::Arg(key.clone(), outside, class);
                            // a public method of a closed class overriding an annotated one:
                            // outside callers (of the base's method) pass what it promises
                            t = match (&inherited, private_method && public) {
                                (Some(promised), true) => vec![Sym::OutsideOr(Box::new(from_outside), promised.clone())],
                                _ => vec![from_outside],
                            };
                        }
                        let pos = if i < positional { at } else { usize::MAX };
                        t.push(Sym::Arg(key.clone(), pos, p.parameter.name.to_string()));
                    }
                    // a test the runner calls passes nothing to a parameter with a default:
                    // it holds that and what the project's own calls pass (`model::runner`)
                    let runner = p.default.is_some() && (module_level || i > 0);
                    if runner && self.runner_called(func) {
                        let (key, at) = if module_level { (fname.clone(), i) } else { (mkey.clone(), i - 1) };
                        let class = if module_level { String::new() } else { self.in_class_body().map(|c| c.to_string()).unwrap_or_default() };
                        let pos = if i < positional { at } else { usize::MAX };
                        t = vec![
                            Sym::Arg(key.clone(), super::runner::RUNNER_CALLERS, class),
                            Sym::Arg(key, pos, p.parameter.name.to_string()),
                        ];
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
        self.note_method_params(func);
        let variadic = [&func.parameters.vararg, &func.parameters.kwarg];
        for (k, v) in variadic.into_iter().enumerate() {
            let Some(v) = v else { continue };
            let inner = match (&v.annotation, &init_of) {
                (Some(ann), _) => self.defs.annotation(&self.facts.table, ann),
                // `def __init__(self, *args)` of a closed class: the calls' positional
                // arguments from there on (`model::closed`)
                (None, Some(class)) if k == 0 => {
                    let outside = super::private_calls::OUTSIDE_CALLERS;
                    let from = super::closed::STAR_FROM + positional.saturating_sub(1);
                    vec![Sym::Arg(class.clone(), outside, String::new()), Sym::Arg(class.clone(), from, String::new())]
                }
                _ => super::ty::unknown(),
            };
            locals.insert(v.name.to_string(), vec![Sym::Container(inner)]);
        }
        if let Some((name, idx)) = self_args {
            locals.insert(name, vec![Sym::SelfArgs(idx)]);
        }
        locals
    }

    /// A lambda: its parameters are anything, except the closure-capture idiom
    /// `lambda t, cur_=cur: ...` (a parameter whose default is the enclosing name it
    /// is named after), which holds the captured value.
    pub(super) fn visit_lambda(&mut self, lambda: &ast::ExprLambda) {
        let mut locals: HashMap<String, Ty> = HashMap::default();
        if let Some(params) = &lambda.parameters {
            for p in params.iter_non_variadic_params() {
                if let Some(default) = &p.default {
                    self.visit_expr(default);
                }
                let name = p.parameter.name.as_str();
                let ty = match p.default.as_deref() {
                    Some(Expr::Name(d)) if d.id.as_str().trim_matches('_') == name.trim_matches('_') => {
                        self.expr_ty(&Expr::Name(d.clone()))
                    }
                    _ => super::ty::unknown(),
                };
                locals.insert(name.to_string(), ty);
            }
            for v in [&params.vararg, &params.kwarg].into_iter().flatten() {
                locals.insert(v.name.to_string(), vec![Sym::Container(super::ty::unknown())]);
            }
        }
        let method_of = self.method_class();
        let qual = self.frames.last().map(|f| f.qual.clone()).unwrap_or_default();
        self.frames.push(Frame::new(FrameKind::Function { method_of }, locals, qual));
        self.returns_stack.push(None);
        self.yields_stack.push(None);
        self.visit_expr(&lambda.body);
        self.yields_stack.pop();
        self.returns_stack.pop();
        self.frames.pop();
    }
}
