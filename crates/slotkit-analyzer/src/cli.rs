//! The `slotkit check` / `slotkit fix` command line. `run` never panics on user
//! input; it returns the exit code (0 nothing found, 1 findings, 2 usage or error).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use crate::checker::Checker;
use crate::config;
use crate::discover::python_files;
use crate::error::AnalyzerError;
use crate::fix::{apply, file_fixes, unified_diff, verify, write_atomic, WriteOutcome};
use crate::model::project::Project;
use crate::output;
use crate::output::summary::Summary;
use crate::registry::{find, RULES};
use crate::savings::PyVersion;

const USAGE: &str = "\
usage: slotkit check [PATH...] [--format text|json|sarif] [--select CODES] [--ignore CODES]
                     [--python 3.N] [--explain CODE] [--no-summary]
       slotkit fix [PATH...] [--diff] [--python 3.N]

check  report broken, wasted and missing __slots__ (never imports the code)
fix    add __slots__ to the classes proven safe (bases first); --diff prints the change

exit codes: 0 nothing found, 1 findings (or changes with --diff), 2 usage or internal error
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Debug)]
pub struct Options {
    pub command: String,
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub python: Option<PyVersion>,
    pub diff: bool,
    pub explain: Option<String>,
    pub summary: bool,
    pub help: bool,
}

fn codes(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn parse_args(argv: &[String]) -> Result<Options, AnalyzerError> {
    let usage = |m: String| AnalyzerError::Usage(m);
    let mut it = argv.iter();
    let command = it.next().cloned().unwrap_or_default();
    if command != "check" && command != "fix" {
        return Err(usage(format!("unknown command {command:?} (expected check or fix)")));
    }
    let mut o = Options {
        command,
        paths: Vec::new(),
        format: Format::Text,
        select: Vec::new(),
        ignore: Vec::new(),
        python: None,
        diff: false,
        explain: None,
        summary: true,
        help: false,
    };
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, AnalyzerError> {
            match inline.clone().or_else(|| it.next().cloned()) {
                Some(v) => Ok(v),
                None => Err(usage(format!("{name} needs a value"))),
            }
        };
        match flag {
            "-h" | "--help" => o.help = true,
            "--format" => {
                o.format = match value("--format")?.as_str() {
                    "text" | "full" | "concise" => Format::Text,
                    "json" => Format::Json,
                    "sarif" => Format::Sarif,
                    other => return Err(usage(format!("unknown format {other:?}"))),
                }
            }
            "--select" => o.select.extend(codes(&value("--select")?)),
            "--ignore" => o.ignore.extend(codes(&value("--ignore")?)),
            "--python" | "--target-version" => {
                let v = value("--python")?;
                let v = v.strip_prefix("py3").map_or(v.clone(), |m| format!("3.{m}"));
                o.python = Some(v.parse().map_err(usage)?);
            }
            "--diff" if o.command == "fix" => o.diff = true,
            "--explain" => o.explain = Some(value("--explain")?),
            "--no-summary" => o.summary = false,
            f if f.starts_with('-') && f.len() > 1 => {
                return Err(usage(format!("unknown option {f}")))
            }
            _ => o.paths.push(PathBuf::from(arg)),
        }
    }
    if o.paths.is_empty() {
        o.paths.push(PathBuf::from("."));
    }
    Ok(o)
}

fn selected(code: &str, select: &[String], ignore: &[String]) -> bool {
    let matches = |p: &String| p == "ALL" || code.starts_with(p.as_str());
    (select.is_empty() || select.iter().any(matches)) && !ignore.iter().any(matches)
}

/// Entry point used by the Python bridge and the tests.
pub fn run(argv: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    match run_inner(argv, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "slotkit: error: {e}");
            if matches!(e, AnalyzerError::Usage(_)) {
                let _ = write!(err, "\n{USAGE}");
            }
            2
        }
    }
}

fn run_inner(argv: &[String], out: &mut dyn Write, err: &mut dyn Write) -> Result<i32, AnalyzerError> {
    let io = |e: std::io::Error| AnalyzerError::Walk(format!("output failed: {e}"));
    let mut opts = parse_args(argv)?;
    if opts.help {
        write!(out, "{USAGE}").map_err(io)?;
        return Ok(0);
    }
    if let Some(code) = &opts.explain {
        let rule = find(code).ok_or_else(|| AnalyzerError::Usage(format!("unknown rule {code:?}")))?;
        write!(out, "{}", rule.page()).map_err(io)?;
        return Ok(0);
    }
    for c in opts.select.iter().chain(&opts.ignore) {
        if c != "ALL" && !RULES.iter().any(|r| r.code.starts_with(c.as_str())) {
            return Err(AnalyzerError::Usage(format!("unknown rule selector {c:?}")));
        }
    }
    let first = opts.paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let cfg = config::load(&first)?;
    if opts.select.is_empty() {
        opts.select = cfg.select.iter().map(|s| s.to_ascii_uppercase()).collect();
    }
    opts.ignore.extend(cfg.ignore.iter().map(|s| s.to_ascii_uppercase()));
    let version = opts.python.or(cfg.python).unwrap_or(PyVersion::DEFAULT);
    let start = Instant::now();
    let files = python_files(&opts.paths, cfg.root.as_deref(), &cfg.exclude)?;
    let nfiles = files.len();
    let project = Project::build(files);
    let t_parse = start.elapsed();
    if opts.command == "fix" {
        return run_fix(&project, version, opts.diff, out, err).map_err(io);
    }
    let checker = Checker::new(&project, version);
    let t_plan = start.elapsed();
    let diags: Vec<_> = checker
        .run()
        .into_iter()
        .filter(|d| selected(d.code, &opts.select, &opts.ignore))
        .collect();
    let elapsed = start.elapsed();
    if std::env::var_os("SLOTKIT_TIMING").is_some() {
        let _ = writeln!(err, "timing: walk+parse+link {t_parse:?}, plan {:?}, rules {:?}", t_plan - t_parse, elapsed - t_plan);
    }
    let summary = Summary::new(nfiles, &diags);
    match opts.format {
        Format::Text => {
            output::text::write(out, &diags).map_err(io)?;
            if opts.summary {
                writeln!(out, "{}", summary.line()).map_err(io)?;
            }
        }
        Format::Json => output::json::write(out, &diags, &summary).map_err(io)?,
        Format::Sarif => output::sarif::write(out, &diags).map_err(io)?,
    }
    let secs = elapsed.as_secs_f64().max(1e-9);
    writeln!(
        err,
        "Checked {nfiles} files in {:.0} ms ({:.0} files/s), target Python {version}.",
        secs * 1000.0,
        nfiles as f64 / secs
    )
    .map_err(io)?;
    Ok(if diags.is_empty() { 0 } else { 1 })
}

fn run_fix(
    project: &Project,
    version: PyVersion,
    diff: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<i32> {
    let mut plan = crate::plan::make_plan(project, version);
    // safe fixes only unless asked (temporary hook until `--unsafe-fixes` lands)
    plan.restrict(std::env::var_os("SLOTKIT_UNSAFE_FIXES").is_some());
    let fixes = file_fixes(project, &plan);
    let mut fixed_classes = 0;
    let mut fixed_files = 0;
    let mut problems = 0;
    for f in &fixes {
        let Some(m) = project.modules.get(f.module) else { continue };
        let Some(new) = apply(&m.text, &f.edits) else { continue };
        if !verify(&m.text, &new, f.edits.len()) {
            writeln!(err, "{}: skipped, the fixed file would not parse (please report)", m.display)?;
            problems += 1;
            continue;
        }
        if diff {
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
    let verb = if diff { "Would add" } else { "Added" };
    writeln!(err, "{verb} __slots__ to {fixed_classes} classes in {fixed_files} files.")?;
    Ok(if problems > 0 {
        2
    } else if diff && fixed_classes > 0 {
        1
    } else {
        0
    })
}
