//! ruff-style `path:line:col: CODE message` lines; `[*]` marks a safe fix (unsafe
//! fixes say so, with their unknown uses, at the end of the message).

use std::io::Write;

use crate::diagnostic::Diagnostic;
use crate::fix_safety::Applicability;

pub fn write(out: &mut dyn Write, diags: &[Diagnostic]) -> std::io::Result<()> {
    for d in diags {
        let mark = match &d.fix {
            Some(f) if f.applicability == Applicability::Safe => "[*] ",
            _ => "",
        };
        writeln!(out, "{}:{}:{}: {} {mark}{}", d.path, d.line, d.column, d.code, d.message)?;
    }
    Ok(())
}
