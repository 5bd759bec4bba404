//! `[tool.slotkit]` and `requires-python` from the nearest `pyproject.toml`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::AnalyzerError;
use crate::savings::PyVersion;

#[derive(Debug, Default, Clone)]
pub struct Config {
    /// directory holding the pyproject.toml (globs are relative to it)
    pub root: Option<PathBuf>,
    pub exclude: Vec<String>,
    pub python: Option<PyVersion>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

#[derive(Deserialize, Default)]
struct PyProject {
    project: Option<ProjectTable>,
    tool: Option<ToolTable>,
}

#[derive(Deserialize, Default)]
struct ProjectTable {
    #[serde(rename = "requires-python")]
    requires_python: Option<String>,
}

#[derive(Deserialize, Default)]
struct ToolTable {
    slotkit: Option<SlotkitTable>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct SlotkitTable {
    #[serde(default)]
    exclude: Vec<String>,
    python: Option<String>,
    #[serde(default)]
    select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
}

/// Lowest `3.N` allowed by a `requires-python` specifier such as `>=3.9,<4`.
pub fn min_python(spec: &str) -> Option<PyVersion> {
    spec.split(',')
        .filter_map(|part| {
            let p = part.trim();
            let v = p.strip_prefix(">=").or_else(|| p.strip_prefix("~="))
                .or_else(|| p.strip_prefix("=="))?;
            let mut it = v.trim().split('.');
            let major: u32 = it.next()?.trim().parse().ok()?;
            let minor: u32 = it.next()?.trim().trim_end_matches('*').parse().ok()?;
            (major == 3).then_some(PyVersion { major, minor })
        })
        .min()
}

/// Find the nearest `pyproject.toml` at or above `start`.
pub fn find_pyproject(start: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(start).ok()?;
    let mut dir = if abs.is_file() { abs.parent()?.to_path_buf() } else { abs };
    loop {
        let candidate = dir.join("pyproject.toml");
        if candidate.is_file() {
            return Some(candidate);
        }
        if !dir.pop() {
            return None;
        }
    }
}

pub fn load(start: &Path) -> Result<Config, AnalyzerError> {
    let Some(path) = find_pyproject(start) else {
        return Ok(Config::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|source| AnalyzerError::Read {
        path: path.clone(),
        source,
    })?;
    let parsed: PyProject = toml::from_str(&text).map_err(|e| AnalyzerError::Config {
        path: path.clone(),
        message: e.to_string(),
    })?;
    let tool = parsed.tool.and_then(|t| t.slotkit).unwrap_or_default();
    let python = match tool.python {
        Some(v) => Some(v.parse().map_err(|message| AnalyzerError::Config {
            path: path.clone(),
            message,
        })?),
        None => parsed
            .project
            .and_then(|p| p.requires_python)
            .and_then(|s| min_python(&s)),
    };
    Ok(Config {
        root: path.parent().map(Path::to_path_buf),
        exclude: tool.exclude,
        python,
        select: tool.select,
        ignore: tool.ignore,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_python_minimum() {
        assert_eq!(min_python(">=3.9, <4").map(|v| v.minor), Some(9));
        assert_eq!(min_python("~=3.12"), Some(PyVersion { major: 3, minor: 12 }));
        assert_eq!(min_python("<4"), None);
    }
}
