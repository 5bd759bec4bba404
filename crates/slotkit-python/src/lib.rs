//! `slotkit._core`: the native half of slotkit. Raw CPython code lives in `ffi`; this file only
//! creates the types at import and exposes a few helpers to the Python package.

use pyo3::exceptions::PyImportError;
use pyo3::prelude::*;
use pyo3::types::PyType;

mod analyzer;
mod ffi;

use slotkit_core::Kind;

/// The storage kind code for a built-in annotation name (`float` → `f64`, `str` → `str`,
/// `str | None` → `str?`, anything else → `object`).
#[pyfunction]
fn kind_for(name: &str, nullable: bool) -> &'static str {
    Kind::for_annotation(name, nullable).code()
}

/// True when `obj` is a finished Record class.
#[pyfunction]
fn is_record_class(obj: &Bound<'_, PyAny>) -> bool {
    // SAFETY: the GIL is held (we have a Bound) and the pointer is live for the call.
    unsafe { ffi::layout::of_class(obj.as_ptr()).is_some() }
}

/// Registers the Python function that prepares class bodies (`slotkit._build.prepare`).
#[pyfunction]
fn _set_builder(func: &Bound<'_, PyAny>) -> PyResult<()> {
    if !func.is_callable() {
        return Err(pyo3::exceptions::PyTypeError::new_err("builder must be callable"));
    }
    // SAFETY: GIL held; `func` is live.
    unsafe { ffi::registry::set_builder(func.as_ptr()) };
    Ok(())
}

/// The field values of a Record instance as a tuple, `unset` standing for unset fields.
#[pyfunction]
fn get_state<'py>(obj: &Bound<'py, PyAny>, unset: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: GIL held; both live; the result is a new reference or NULL with an error set.
    unsafe { Bound::from_owned_ptr_or_err(obj.py(), ffi::state::get(obj.as_ptr(), unset.as_ptr())) }
}

/// Sets every field of a Record instance from a tuple (as `get_state` returns), with checks.
#[pyfunction]
fn set_state(obj: &Bound<'_, PyAny>, values: &Bound<'_, PyAny>, unset: &Bound<'_, PyAny>) -> PyResult<()> {
    // SAFETY: GIL held; all live.
    if unsafe { ffi::state::set(obj.as_ptr(), values.as_ptr(), unset.as_ptr()) } {
        Ok(())
    } else {
        Err(PyErr::fetch(obj.py()))
    }
}

/// `hash()` from the fields, as frozen records hash (for `obj.__hash__()` from Python).
#[pyfunction]
fn hash_fields(obj: &Bound<'_, PyAny>) -> PyResult<isize> {
    // SAFETY: GIL held; `obj` live.
    let h = unsafe { ffi::protocols::record_hash(obj.as_ptr()) };
    if h == -1 {
        Err(PyErr::fetch(obj.py()))
    } else {
        Ok(h)
    }
}

/// Turns a new reference to a type (or NULL with an error set) into a `Bound<PyType>`.
fn owned_type<'py>(py: Python<'py>, ptr: *mut pyo3::ffi::PyTypeObject) -> PyResult<Bound<'py, PyType>> {
    // SAFETY: `ptr` is a new reference to a type object or NULL with a Python error set.
    unsafe { Bound::from_owned_ptr_or_err(py, ptr.cast())?.cast_into::<PyType>().map_err(Into::into) }
}

#[pymodule(gil_used = true)]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    // SAFETY: module init runs with the GIL held.
    if !unsafe { ffi::guard::check() } {
        return Err(PyErr::take(py).unwrap_or_else(|| PyImportError::new_err("slotkit: layout check failed")));
    }
    // SAFETY: GIL held; each create() returns a new reference or NULL with an error set.
    let (meta, base, init, descr) = unsafe {
        if !ffi::registry::intern_names() {
            return Err(PyErr::fetch(py));
        }
        (
            owned_type(py, ffi::meta::create())?,
            owned_type(py, ffi::base::create())?,
            owned_type(py, ffi::init::create())?,
            owned_type(py, ffi::descr::create())?,
        )
    };
    ffi::registry::set_types(
        meta.as_ptr().cast(),
        base.as_ptr().cast(),
        init.as_ptr().cast(),
        descr.as_ptr().cast(),
    );
    m.add("RecordMeta", &meta)?;
    m.add("_RecordBase", &base)?;
    m.add("GeneratedInit", &init)?;
    m.add("UnboxedField", &descr)?;
    // SAFETY: GIL held; a new exception class or NULL with an error set.
    let frozen_error = unsafe { Bound::from_owned_ptr_or_err(py, ffi::frozen::create_error())? };
    m.add("FrozenInstanceError", &frozen_error)?;
    std::mem::forget(frozen_error);
    // The module keeps these types alive for the life of the process.
    for t in [meta, base, init, descr] {
        std::mem::forget(t);
    }
    m.add_function(wrap_pyfunction!(kind_for, m)?)?;
    m.add_function(wrap_pyfunction!(is_record_class, m)?)?;
    m.add_function(wrap_pyfunction!(_set_builder, m)?)?;
    m.add_function(wrap_pyfunction!(get_state, m)?)?;
    m.add_function(wrap_pyfunction!(set_state, m)?)?;
    m.add_function(wrap_pyfunction!(hash_fields, m)?)?;
    analyzer::register(m)?;
    Ok(())
}
