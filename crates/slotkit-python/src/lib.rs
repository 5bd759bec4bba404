//! `slotkit._core`: the native half of slotkit. Raw CPython code lives in `ffi`; this file only
//! creates the types at import and exposes a few helpers to the Python package.

use pyo3::exceptions::PyImportError;
use pyo3::prelude::*;
use pyo3::types::PyType;

mod analyzer;
mod array;
mod census;
mod dataclass_fields;
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

/// True when a Record may derive from `cls`: `object`, a Record class, or a class written in
/// Python (not a built-in or extension type).
#[pyfunction]
fn is_python_class(cls: &Bound<'_, PyType>) -> bool {
    // SAFETY: the GIL is held (we have a Bound) and the type is live for the call.
    unsafe { ffi::registry::is_python_class(cls.as_ptr().cast()) }
}

/// Registers the Python functions that prepare class bodies and finish classes
/// (`slotkit._build.prepare` and `slotkit._build.finish`).
#[pyfunction]
fn _set_builder(prepare: &Bound<'_, PyAny>, finish: &Bound<'_, PyAny>) -> PyResult<()> {
    if !prepare.is_callable() || !finish.is_callable() {
        return Err(pyo3::exceptions::PyTypeError::new_err("builder hooks must be callable"));
    }
    // SAFETY: GIL held; both live.
    unsafe { ffi::registry::set_builder(prepare.as_ptr(), finish.as_ptr()) };
    Ok(())
}

/// The metaclass RecordMeta derives from: `typing.Protocol`'s (an `abc.ABCMeta`), so that
/// Records combine with `abc.ABC` and `typing.Protocol` bases; plain `type` if that metaclass
/// is not the plain extension of `type` this build expects.
fn meta_base<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyType>> {
    let type_type = py.get_type::<PyType>();
    let candidate = py.import("typing")?.getattr("Protocol")?.get_type();
    let compatible = candidate.is_subclass(&type_type)?
        && candidate.getattr("__basicsize__")?.extract::<isize>()? == type_type.getattr("__basicsize__")?.extract::<isize>()?
        && candidate.getattr("__itemsize__")?.extract::<isize>()? == type_type.getattr("__itemsize__")?.extract::<isize>()?;
    Ok(if compatible { candidate } else { type_type })
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

/// A new instance of Record class `cls` with every field unset, without running `__new__` or
/// `__init__`: what unpickling, copying and `replace` start from.
#[pyfunction]
fn new_instance<'py>(cls: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: GIL held; `cls` live; the result is a new reference or NULL with an error set.
    unsafe { Bound::from_owned_ptr_or_err(cls.py(), ffi::state::new_instance(cls.as_ptr())) }
}

/// Sets the fields of a new, empty Record instance (from `new_instance`) from a tuple as
/// `get_state` returns, with checks: `__setstate__` for pickle and copy. Refused on an instance
/// that has any field set, so it cannot be used to change a (frozen) record.
#[pyfunction]
fn restore(obj: &Bound<'_, PyAny>, values: &Bound<'_, PyAny>, unset: &Bound<'_, PyAny>) -> PyResult<()> {
    // SAFETY: GIL held; all live.
    if unsafe { ffi::state::restore(obj.as_ptr(), values.as_ptr(), unset.as_ptr()) } {
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

/// `setattr`/`delattr` with the checks of exact-type object fields: what the `__setattr__` and
/// `__delattr__` of such classes call, so `super().__setattr__(...)` from a subclass checks too.
#[pyfunction]
#[pyo3(signature = (obj, name, value=None))]
fn checked_setattr(obj: &Bound<'_, PyAny>, name: &Bound<'_, PyAny>, value: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    let value = value.map_or(std::ptr::null_mut(), |v| v.as_ptr());
    // SAFETY: GIL held; `obj` and `name` live; `value` live or NULL (delete).
    if unsafe { ffi::setattr::checked_setattro(obj.as_ptr(), name.as_ptr(), value) } == 0 {
        Ok(())
    } else {
        Err(PyErr::fetch(obj.py()))
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
            owned_type(py, ffi::meta::create(meta_base(py)?.as_ptr().cast()))?,
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
    // The module keeps these types alive for the life of the process.
    for t in [meta, base, init, descr] {
        std::mem::forget(t);
    }
    m.add_function(wrap_pyfunction!(kind_for, m)?)?;
    m.add_function(wrap_pyfunction!(is_record_class, m)?)?;
    m.add_function(wrap_pyfunction!(is_python_class, m)?)?;
    m.add_function(wrap_pyfunction!(_set_builder, m)?)?;
    m.add_function(wrap_pyfunction!(get_state, m)?)?;
    m.add_function(wrap_pyfunction!(set_state, m)?)?;
    m.add_function(wrap_pyfunction!(new_instance, m)?)?;
    m.add_function(wrap_pyfunction!(restore, m)?)?;
    m.add_function(wrap_pyfunction!(hash_fields, m)?)?;
    m.add_function(wrap_pyfunction!(checked_setattr, m)?)?;
    analyzer::register(m)?;
    dataclass_fields::register(m)?;
    array::register(m)?;
    census::register(m)?;
    Ok(())
}
