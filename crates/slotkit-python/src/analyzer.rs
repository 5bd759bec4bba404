//! Bridge from Python to the pure-Rust analyzer (`slotkit check` / `slotkit fix`).

use pyo3::prelude::*;

/// Run the analyzer CLI (`argv[0]` is `check` or `fix`), writing to Python's
/// `sys.stdout` / `sys.stderr`, and return the exit code.
#[pyfunction]
fn analyzer_main(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    let (code, out, err) = py.detach(|| {
        let mut out: Vec<u8> = Vec::new();
        let mut err: Vec<u8> = Vec::new();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            slotkit_analyzer::run(&argv, &mut out, &mut err)
        }));
        let code = match result {
            Ok(code) => code,
            Err(_) => {
                err.extend_from_slice(b"slotkit: internal error (panic), please report it\n");
                2
            }
        };
        (code, out, err)
    });
    let sys = py.import("sys")?;
    for (stream, bytes) in [("stdout", out), ("stderr", err)] {
        if !bytes.is_empty() {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            sys.getattr(stream)?.call_method1("write", (text,))?;
        }
    }
    Ok(code)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(analyzer_main, m)?)?;
    Ok(())
}
