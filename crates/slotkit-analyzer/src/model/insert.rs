//! Where `fix` inserts `__slots__` in a class body: after the docstring, before the
//! comments attached to the next statement, with the body's indentation.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::class::InsertPoint;

pub fn is_docstring(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Expr(e) if matches!(*e.value, Expr::StringLiteral(_)))
}

pub fn insert_point(source: &str, body: &[Stmt]) -> Option<InsertPoint> {
    let first = body.first()?;
    let has_doc = is_docstring(first);
    let (anchor, after_line) = if has_doc {
        match body.get(1) {
            Some(second) => (second, false),
            None => (first, true),
        }
    } else {
        (first, false)
    };
    let start = anchor.range().start().to_usize();
    let line_start = source.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = source.get(line_start..start)?;
    if indent.is_empty() || !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    if after_line {
        let end = anchor.range().end().to_usize();
        let rest = source.get(end..)?;
        let line_end = rest.find('\n').map_or(source.len(), |i| end + i);
        let tail = source.get(end..line_end)?;
        if !tail.trim().is_empty() {
            return None;
        }
        return Some(InsertPoint {
            offset: line_end,
            indent: indent.to_string(),
            after_line: true,
            blank_after: false,
            blank_before: true,
        });
    }
    // keep comments attached to the statement they precede
    let floor = if has_doc {
        first.range().end().to_usize()
    } else {
        0
    };
    let mut offset = line_start;
    while offset > 0 {
        let prev_start = source.get(..offset - 1)?.rfind('\n').map_or(0, |i| i + 1);
        if prev_start <= floor {
            break;
        }
        let prev = source.get(prev_start..offset)?;
        if prev.trim_start().starts_with('#') {
            offset = prev_start;
        } else {
            break;
        }
    }
    let previous_blank = source
        .get(..offset)
        .is_some_and(|s| s.ends_with("\n\n") || s.ends_with("\n \n"));
    Some(InsertPoint {
        offset,
        indent: indent.to_string(),
        after_line: false,
        blank_after: matches!(anchor, Stmt::FunctionDef(_) | Stmt::ClassDef(_)),
        blank_before: has_doc && !previous_blank,
    })
}
