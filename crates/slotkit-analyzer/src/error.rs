//! Typed errors of the analyzer.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AnalyzerError {
    #[error("{0}")]
    Usage(String),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid pyproject.toml at {path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("file walk failed: {0}")]
    Walk(String),
}
