//! `--format json`: the diagnostics and the summary as one JSON object.

use std::io::Write;

use serde::Serialize;

use super::summary::Summary;
use crate::diagnostic::Diagnostic;

#[derive(Serialize)]
struct Report<'a> {
    diagnostics: &'a [Diagnostic],
    summary: &'a Summary,
}

pub fn write(out: &mut dyn Write, diags: &[Diagnostic], summary: &Summary) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &Report { diagnostics: diags, summary })?;
    writeln!(out)
}
