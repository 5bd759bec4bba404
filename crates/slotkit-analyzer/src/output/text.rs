//! ruff-style `path:line:col: CODE message` lines.

use std::io::Write;

use crate::diagnostic::Diagnostic;

pub fn write(out: &mut dyn Write, diags: &[Diagnostic]) -> std::io::Result<()> {
    for d in diags {
        writeln!(out, "{}:{}:{}: {} {}", d.path, d.line, d.column, d.code, d.message)?;
    }
    Ok(())
}
