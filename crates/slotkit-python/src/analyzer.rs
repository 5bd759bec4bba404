//! Bridge from Python to the pure-Rust analyzer (`slotkit check` / `slotkit fix`).

use pyo3::prelude::*;

pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
