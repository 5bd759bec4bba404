//! `slotkit fix`: choose the edits (safe only, safe and unsafe, or those a `--plan`
//! file lists), then print them (`--diff`, `--format json`) or write them.

use std::io::Write;
use std::path::Path;

use crate::error::AnalyzerError;
use crate::fix::{apply, class_edits, group_edits, unified_diff, verify, write_atomic, WriteOutcome};
use crate::fix_plan::{self, Request};
use crate::fix_safety::Applicability;
use crate::model::project::Project;
use crate::output::plural;
use crate::plan::make_plan;
use crate::savings::PyVersion;

pub struct FixOptions {
    pub diff: bool,
    pub json: bool,
    pub unsafe_fixes: bool,
    pub request: Option<Request>,
}

pub fn read_request(path: &Path) -> Result<Request, AnalyzerError> {
    let text = std::fs::read_to_string(path).map_err(|source| AnalyzerError::Read { path: path.into(), source })?;
    serde_json::from_str(&text)
        .map_err(|e| AnalyzerError::Usage(format!("{}: not a fix plan: {e}", path.display())))
}

/// Report the files that could not be parsed as SK000 lines; returns their number.
fn report_unparsable(project: &Project, out: &mut dyn Write) -> std::io::Result<usize> {
    let mut n = 0;
    for m in &project.modules {
        if let Some((range, msg)) = &m.error {
            let (line, col) = m.lines.line_col(&m.text, range.start().to_usize());
            writeln!(out, "{}:{line}:{col}: SK000 cannot analyse file: {msg}", m.display)?;
            n += 1;
        }
    }
    Ok(n)
}

pub fn run_fix(
    project: &Project,
    version: PyVersion,
    opts: &FixOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<i32> {
    let plan = make_plan(project, version);
    let all = class_edits(project, &plan);
    if opts.json {
        serde_json::to_writer_pretty(&mut *out, &fix_plan::report(project, &all))?;
        writeln!(out)?;
        let unparsable = project.modules.iter().any(|m| m.error.is_some());
        return Ok(i32::from(unparsable || !all.is_empty()));
    }
    let chosen = match &opts.request {
        Some(request) => match fix_plan::select(project, &all, request) {
            Ok(c) => c,
            Err(e) => {
                writeln!(err, "slotkit: error: {e}")?;
                return Ok(2);
            }
        },
        None => all
            .iter()
            .filter(|e| opts.unsafe_fixes || e.plan.applicability == Applicability::Safe)
            .cloned()
            .collect(),
    };
    let hidden = all.len() - all.iter().filter(|e| opts.unsafe_fixes || e.plan.applicability == Applicability::Safe).count();
    let unparsable = report_unparsable(project, out)?;
    let mut fixed_classes = 0;
    let mut fixed_files = 0;
    let mut problems = 0;
    for f in &group_edits(project, &chosen) {
        let Some(m) = project.modules.get(f.module) else { continue };
        let Some(new) = apply(&m.text, &f.edits) else { continue };
        if !verify(&m.text, &new, f.edits.len()) {
            writeln!(err, "{}: skipped, the fixed file would not parse (please report)", m.display)?;
            problems += 1;
            continue;
        }
        if opts.diff {
            write!(out, "{}", unified_diff(&m.display, &m.text, &new))?;
        } else {
            match write_atomic(&m.path, &m.text, &new) {
                Ok(WriteOutcome::Written) => {
                    writeln!(out, "{}: added __slots__ to {}", m.display, f.classes.join(", "))?;
                }
                Ok(WriteOutcome::ChangedOnDisk) => {
                    writeln!(err, "{}: skipped, the file changed since it was read", m.display)?;
                    problems += 1;
                    continue;
                }
                Err(e) => {
                    writeln!(err, "{}: {e}", m.display)?;
                    problems += 1;
                    continue;
                }
            }
        }
        fixed_classes += f.classes.len();
        fixed_files += 1;
    }
    let verb = if opts.diff { "Would add" } else { "Added" };
    write!(
        err,
        "{verb} __slots__ to {} in {}.",
        plural(fixed_classes, "class", "classes"),
        plural(fixed_files, "file", "files")
    )?;
    if hidden > 0 && opts.request.is_none() {
        write!(err, " {} not applied (rerun with `--unsafe-fixes`, ideally with `--verify CMD`).", plural(hidden, "unsafe fix", "unsafe fixes"))?;
    }
    writeln!(err)?;
    if unparsable > 0 {
        writeln!(err, "{} could not be analysed (SK000 above); no class in them was slotted.", plural(unparsable, "file", "files"))?;
    }
    Ok(if problems > 0 {
        2
    } else if unparsable > 0 || (opts.diff && fixed_classes > 0) {
        1
    } else {
        0
    })
}
