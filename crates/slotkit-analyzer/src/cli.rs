//! The `slotkit check` / `slotkit fix` command line. `run` never panics on user
//! input; it returns the exit code (0 nothing found, 1 findings, 2 usage or error).

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use crate::checker::Checker;
use crate::config;
use crate::discover::python_files;
use crate::error::AnalyzerError;
use crate::cli_fix;
use crate::help;
use crate::model::project::Project;
use crate::output;
use crate::output::summary::Summary;
use crate::registry::{find, RULES};
use crate::savings::PyVersion;

const USAGE: &str = "\
usage: slotkit check [PATH...] [--format text|json|sarif] [--select CODES] [--ignore CODES]
                     [--python 3.N] [--explain CODE] [--no-summary]
       slotkit fix [PATH...] [--unsafe-fixes] [--diff] [--format json] [--plan FILE]
                   [--verify CMD] [--python 3.N]
run `slotkit check --help` or `slotkit fix --help` for the options
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
    pub unsafe_fixes: bool,
    pub plan: Option<PathBuf>,
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
        unsafe_fixes: false,
        plan: None,
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
                    "sarif" if o.command == "check" => Format::Sarif,
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
            "--unsafe-fixes" if o.command == "fix" => o.unsafe_fixes = true,
            "--plan" if o.command == "fix" => o.plan = Some(PathBuf::from(value("--plan")?)),
            "--verify" if o.command == "fix" => {
                return Err(usage("--verify is run by the `slotkit` Python command (python -m slotkit fix --verify CMD)".into()))
            }
            "--explain" if o.command == "check" => o.explain = Some(value("--explain")?),
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
        let text = if opts.command == "fix" { help::FIX } else { help::CHECK };
        write!(out, "{text}").map_err(io)?;
        return Ok(0);
    }
    if let Some(code) = &opts.explain {
        let rule = find(code).ok_or_else(|| AnalyzerError::Usage(format!("unknown rule {code:?}")))?;
        write!(out, "{}", help::explain(rule)).map_err(io)?;
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
    if nfiles == 0 {
        let shown: Vec<String> = opts.paths.iter().map(|p| p.display().to_string()).collect();
        writeln!(err, "slotkit: no Python files found under {} (nothing to {}).", shown.join(", "), opts.command)
            .map_err(io)?;
        return Ok(0);
    }
    let project = Project::build(files);
    let t_parse = start.elapsed();
    if opts.command == "fix" {
        let request = opts.plan.as_deref().map(cli_fix::read_request).transpose()?;
        let fix = cli_fix::FixOptions {
            diff: opts.diff,
            json: opts.format == Format::Json,
            unsafe_fixes: opts.unsafe_fixes,
            request,
        };
        return cli_fix::run_fix(&project, version, &fix, out, err).map_err(io);
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
        "Checked {} in {:.0} ms ({:.0} files/s), target Python {version}.",
        crate::output::plural(nfiles, "file", "files"),
        secs * 1000.0,
        nfiles as f64 / secs
    )
    .map_err(io)?;
    Ok(if diags.is_empty() { 0 } else { 1 })
}
