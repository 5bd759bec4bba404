//! The analyzer's per-class verdicts for `slotkit census` (pure Rust, no CPython access).

use std::path::PathBuf;

use pyo3::prelude::*;

/// `slotkit check`'s verdict for every class in `paths` (analysed as one project, for Python
/// `python` as "3.N"), as a JSON array of `{path, qualname, line, verdict, slots, reasons}`.
#[pyfunction]
pub fn census_verdicts(py: Python<'_>, paths: Vec<String>, python: &str) -> PyResult<String> {
    let version = python
        .parse()
        .map_err(pyo3::exceptions::PyValueError::new_err)?;
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    py.detach(|| {
        std::panic::catch_unwind(|| slotkit_analyzer::verdicts::class_verdicts_json(&paths, version))
            .map_err(|_| pyo3::exceptions::PyRuntimeError::new_err("slotkit: internal error in the analyzer (panic)"))
    })
}
