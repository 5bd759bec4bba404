//! Class-level facts: members of the body, decorators and dataclass/attrs options.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::class::{ClassInfo, DataclassKind, Member, MemberKind};
use super::imports::ImportTable;
use super::slots_decl::read_slots;

pub fn decorator_name(table: &ImportTable, expr: &Expr) -> String {
    let target = match expr {
        Expr::Call(c) => &*c.func,
        e => e,
    };
    table.qualify(target).unwrap_or_default()
}

fn keyword_true(call: &ast::ExprCall, name: &str) -> bool {
    call.arguments.keywords.iter().any(|k| {
        k.arg.as_ref().is_some_and(|a| a.as_str() == name)
            && matches!(&k.value, Expr::BooleanLiteral(b) if b.value)
    })
}

pub fn dataclass_kind(table: &ImportTable, decorators: &[ast::Decorator]) -> DataclassKind {
    for d in decorators {
        let name = decorator_name(table, &d.expression);
        let call = match &d.expression {
            Expr::Call(c) => Some(c),
            _ => None,
        };
        let kw = |k: &str| call.is_some_and(|c| keyword_true(c, k));
        let kw_false = |k: &str| {
            call.is_some_and(|c| {
                c.arguments.keywords.iter().any(|kwd| {
                    kwd.arg.as_ref().is_some_and(|a| a.as_str() == k)
                        && matches!(&kwd.value, Expr::BooleanLiteral(b) if !b.value)
                })
            })
        };
        match name.as_str() {
            "dataclasses.dataclass" | "pydantic.dataclasses.dataclass" => {
                return DataclassKind::Dataclass {
                    slots: kw("slots"),
                    weakref_slot: kw("weakref_slot"),
                }
            }
            "attr.s" | "attr.attrs" | "attrs.attrs" | "attr.attributes" => {
                return DataclassKind::Attrs { slots: kw("slots") }
            }
            "attr.define" | "attrs.define" | "attr.frozen" | "attrs.frozen" | "attr.mutable"
            | "attrs.mutable" => {
                return DataclassKind::Attrs {
                    slots: !kw_false("slots"),
                }
            }
            _ => {}
        }
    }
    DataclassKind::None
}

fn member_kind(table: &ImportTable, func: &ast::StmtFunctionDef) -> MemberKind {
    for d in &func.decorator_list {
        let name = decorator_name(table, &d.expression);
        if name == "builtins.property"
            || name.ends_with(".setter")
            || name.ends_with(".getter")
            || name.ends_with(".deleter")
            || name.ends_with("hybrid_property")
        {
            return MemberKind::Property;
        }
        if name.ends_with("cached_property") {
            return MemberKind::CachedProperty;
        }
    }
    MemberKind::Method
}

fn call_name(table: &ImportTable, value: &Expr) -> Option<String> {
    match value {
        Expr::Call(c) => table.qualify(&c.func),
        _ => None,
    }
}

fn is_classvar(table: &ImportTable, ann: &Expr) -> bool {
    table
        .qualify(ann)
        .is_some_and(|d| d.ends_with("ClassVar") || d.ends_with("InitVar"))
}

pub fn collect_members(table: &ImportTable, body: &[Stmt], info: &mut ClassInfo, conditional: bool) {
    let add = |info: &mut ClassInfo, name: &str, kind: MemberKind, range: TextRange, decorator: Option<String>, value_call: Option<String>, instance_method: bool| {
        if name == "__slots__" {
            return;
        }
        if let Some(existing) = info.members.iter_mut().find(|m| m.name == name) {
            if kind == MemberKind::Property {
                existing.kind = kind;
            }
            return;
        }
        info.members.push(Member {
            name: name.to_string(),
            kind,
            range,
            conditional,
            decorator,
            value_call,
            instance_method,
        });
    };
    for stmt in body {
        match stmt {
            Stmt::FunctionDef(f) => {
                let name = f.name.as_str();
                if matches!(name, "__setattr__" | "__getattribute__" | "__delattr__") {
                    info.attr_hooks.push(name.to_string());
                }
                let decorator = f
                    .decorator_list
                    .iter()
                    .map(|d| decorator_name(table, &d.expression))
                    .find(|d| !d.is_empty() && !d.starts_with("builtins."));
                let bare = f.decorator_list.is_empty()
                    && !matches!(name, "__init_subclass__" | "__class_getitem__" | "__set_name__");
                add(info, name, member_kind(table, f), f.name.range(), decorator, None, bare);
            }
            Stmt::ClassDef(c) => add(info, c.name.as_str(), MemberKind::Class, c.name.range(), None, None, false),
            Stmt::Assign(a) => {
                for t in &a.targets {
                    if let Expr::Name(n) = t {
                        if n.id.as_str() == "__slots__" {
                            info.slots = Some(read_slots(&a.value, a.range()));
                        }
                        add(info, n.id.as_str(), MemberKind::Value, n.range(), None, call_name(table, &a.value), false);
                    }
                }
            }
            Stmt::AnnAssign(a) => {
                if let Expr::Name(n) = &*a.target {
                    let name = n.id.as_str();
                    if name == "__slots__" {
                        if let Some(v) = &a.value {
                            info.slots = Some(read_slots(v, a.range()));
                        }
                    }
                    let classvar = is_classvar(table, &a.annotation);
                    if !classvar && name != "__slots__" {
                        info.annotations.push(name.to_string());
                    }
                    let kind = if a.value.is_some() || classvar {
                        MemberKind::Value
                    } else {
                        MemberKind::Annotation
                    };
                    let call = a.value.as_deref().and_then(|v| call_name(table, v));
                    add(info, name, kind, n.range(), None, call, false);
                }
            }
            Stmt::If(s) => {
                let type_checking = table
                    .qualify(&s.test)
                    .is_some_and(|d| d.ends_with("TYPE_CHECKING"));
                if !type_checking {
                    collect_members(table, &s.body, info, true);
                }
                for clause in &s.elif_else_clauses {
                    collect_members(table, &clause.body, info, true);
                }
            }
            Stmt::Try(t) => {
                collect_members(table, &t.body, info, true);
                for ast::ExceptHandler::ExceptHandler(h) in &t.handlers {
                    collect_members(table, &h.body, info, true);
                }
            }
            _ => {}
        }
    }
}
