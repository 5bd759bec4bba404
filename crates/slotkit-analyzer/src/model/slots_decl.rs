//! Reading a `__slots__ = ...` value.

use ruff_python_ast::Expr;
use ruff_text_size::{Ranged, TextRange};

use super::class::SlotsDecl;

/// Interpret the value assigned to `__slots__`.
pub fn read_slots(value: &Expr, range: TextRange) -> SlotsDecl {
    let mut decl = SlotsDecl {
        names: Vec::new(),
        single_string: false,
        dynamic: false,
        range,
    };
    let items: Vec<&Expr> = match value {
        Expr::StringLiteral(s) => {
            decl.single_string = true;
            decl.names.push((s.value.to_str().to_string(), s.range()));
            return decl;
        }
        Expr::Tuple(t) => t.elts.iter().collect(),
        Expr::List(l) => l.elts.iter().collect(),
        Expr::Set(s) => s.elts.iter().collect(),
        Expr::Dict(d) => {
            let mut keys = Vec::new();
            for item in &d.items {
                match &item.key {
                    Some(k) => keys.push(k),
                    None => decl.dynamic = true,
                }
            }
            keys
        }
        _ => {
            decl.dynamic = true;
            return decl;
        }
    };
    for item in items {
        match item {
            Expr::StringLiteral(s) => decl.names.push((s.value.to_str().to_string(), s.range())),
            _ => decl.dynamic = true,
        }
    }
    decl
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decl(src: &str) -> SlotsDecl {
        let parsed = ruff_python_parser::parse_expression(src).expect("valid test input");
        read_slots(parsed.expr(), parsed.expr().range())
    }

    #[test]
    fn reads_tuples_strings_and_dicts() {
        let d = decl("('a', 'b')");
        assert_eq!(d.names.len(), 2);
        assert!(!d.single_string && !d.dynamic);
        assert!(decl("'a'").single_string);
        assert_eq!(decl("{'a': 'doc'}").names[0].0, "a");
        assert!(decl("tuple(x)").dynamic);
        assert!(decl("('a', b)").dynamic);
    }
}
