use pyo3::prelude::*;

mod analyzer;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    analyzer::register(m)?;
    Ok(())
}
