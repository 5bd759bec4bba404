//! `__dataclass_fields__` of a Record class: the standard dataclass protocol, so that
//! `dataclasses`, orjson, cattrs, msgspec and others take Records (python/slotkit/_dataclass.py
//! builds the `dataclasses.Field` objects; docs/ecosystem.md says what works).
//!
//! A descriptor rather than a plain dict in the class, so that what an *instance* lists can leave
//! out its unset fields: orjson reads every field listed by `obj.__dataclass_fields__` with
//! `getattr` and dereferences the result without checking it (a crash on an unset slot, for
//! stdlib dataclasses too). On the class (`P.__dataclass_fields__`) it is the full dict, as
//! `dataclasses.fields(P)` expects. An instance with every field set gets that same dict; one
//! with unset fields gets a dict without them, made once per pattern of unset fields and kept by
//! the descriptor (orjson releases the dict before iterating it, so it must stay alive).

use std::sync::Mutex;

use pyo3::exceptions::PyTypeError;
use pyo3::gc::PyVisit;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::PyTraverseError;

use crate::ffi;

#[pyclass(module = "slotkit._core", name = "DataclassFields")]
pub struct DataclassFields {
    full: Option<Py<PyDict>>,
    /// One dict per pattern of unset fields seen (`true` = left out), in `full`'s key order.
    partial: Mutex<Vec<(Vec<bool>, Py<PyDict>)>>,
}

#[pymethods]
impl DataclassFields {
    #[new]
    fn new(fields: Bound<'_, PyDict>) -> Self {
        DataclassFields { full: Some(fields.unbind()), partial: Mutex::new(Vec::new()) }
    }

    fn __get__(&self, py: Python<'_>, obj: &Bound<'_, PyAny>, _owner: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyDict>> {
        let Some(full) = self.full.as_ref() else {
            return Err(PyTypeError::new_err("this __dataclass_fields__ descriptor was cleared"));
        };
        if obj.is_none() {
            return Ok(full.clone_ref(py));
        }
        // SAFETY: the GIL is held (we have `py`) and `obj` is live for the call.
        let Some(unset) = (unsafe { ffi::dcfields::unset_names(obj.as_ptr()) }) else {
            return Err(PyTypeError::new_err(format!(
                "__dataclass_fields__ of a Record class read from a {} object",
                obj.get_type().name()?
            )));
        };
        if unset.is_empty() {
            return Ok(full.clone_ref(py));
        }
        // Owned before anything below can run Python code (a key's `__eq__` could reassign
        // `obj.__class__` and free the layout the names are borrowed from).
        // SAFETY: each name is borrowed from the class's layout, alive until Python code runs.
        let unset: Vec<Bound<'_, PyAny>> = unset.into_iter().map(|n| unsafe { Bound::from_borrowed_ptr(py, n) }).collect();
        let full = full.bind(py);
        let mut mask = Vec::with_capacity(full.len());
        for key in full.keys() {
            // Layout names are interned, as are annotation names: the pointer test decides
            // almost always; equality covers a name that is not the same object.
            let mut left_out = false;
            for name in &unset {
                if name.as_ptr() == key.as_ptr() || key.eq(name)? {
                    left_out = true;
                    break;
                }
            }
            mask.push(left_out);
        }
        // The lock is never held across a call that could run Python code (a dict's allocation
        // can start a collection whose finalizers read this very attribute).
        if let Some(dict) = self.find(py, &mask) {
            return Ok(dict);
        }
        let dict = PyDict::new(py);
        for ((key, value), left_out) in full.iter().zip(&mask) {
            if !left_out {
                dict.set_item(key, value)?;
            }
        }
        let dict = dict.unbind();
        let mut partial = self.partial.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, kept)) = partial.iter().find(|(m, _)| *m == mask) {
            return Ok(kept.clone_ref(py)); // made meanwhile by a finalizer; `dict` is dropped
        }
        partial.push((mask, dict.clone_ref(py)));
        Ok(dict)
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        if let Some(full) = &self.full {
            visit.call(full)?;
        }
        if let Ok(partial) = self.partial.try_lock() {
            for (_, dict) in partial.iter() {
                visit.call(dict)?;
            }
        }
        Ok(())
    }

    fn __clear__(&mut self) {
        self.full = None;
        self.partial.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

impl DataclassFields {
    /// The kept dict for this pattern of unset fields, if one was made.
    fn find(&self, py: Python<'_>, mask: &[bool]) -> Option<Py<PyDict>> {
        let partial = self.partial.lock().unwrap_or_else(|e| e.into_inner());
        partial.iter().find(|(m, _)| m == mask).map(|(_, dict)| dict.clone_ref(py))
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<DataclassFields>()
}
