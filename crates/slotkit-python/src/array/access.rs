//! The native helpers of `RecordArrayBase` behind its Python methods: index and name lookup,
//! the resize guard, reading a record into checked cells, and building a record from a row.

use std::sync::atomic::Ordering;

use pyo3::exceptions::{PyBufferError, PyIndexError, PyKeyError, PyTypeError};
use pyo3::prelude::*;
use pyo3::ffi;

use super::cells;
use super::column::Cell;
use super::core::RecordArrayBase;
use super::table::Table;
use crate::ffi::util::{qualname, Owned};

impl RecordArrayBase {
    pub fn cls_ptr(&self) -> *mut ffi::PyTypeObject {
        self.cls.as_ptr().cast()
    }

    pub fn qualname(&self) -> String {
        // SAFETY: the class is live (held).
        unsafe { qualname(self.cls_ptr()) }
    }

    /// Refuses a change of length while views or exports exist.
    pub fn check_resizable(&self) -> PyResult<()> {
        let n = self.exports.load(Ordering::SeqCst);
        if n == 0 {
            return Ok(());
        }
        Err(PyBufferError::new_err(format!(
            "RecordArray of {} has {n} live export(s) (numpy views, memoryviews or Arrow data) of its buffers; \
             changing its length would leave them dangling: drop them first (del view)",
            self.qualname()
        )))
    }

    /// Index `i` (negative from the end) checked against the length.
    pub fn index(&self, i: isize) -> PyResult<usize> {
        let len = self.table.len as isize;
        let j = if i < 0 { i + len } else { i };
        if j < 0 || j >= len {
            return Err(PyIndexError::new_err("RecordArray index out of range"));
        }
        Ok(j as usize)
    }

    /// The column called `name`.
    pub fn column(&self, py: Python<'_>, name: &str) -> PyResult<usize> {
        self.table.columns.iter().position(|c| c.name.bind(py) == name).ok_or_else(|| {
            PyKeyError::new_err(format!("{} has no field '{name}'", self.qualname()))
        })
    }

    /// The checked cells of a record of the array's class (exact type, every field set).
    pub fn row_of(&self, py: Python<'_>, rec: &Bound<'_, PyAny>) -> PyResult<Vec<Cell>> {
        if !rec.get_type().is(self.cls.bind(py)) {
            return Err(PyTypeError::new_err(format!(
                "RecordArray of {q} takes {q} records, got {}",
                rec.get_type().name().map(|n| n.to_string()).unwrap_or_default(),
                q = self.qualname()
            )));
        }
        let mut row = Vec::with_capacity(self.offsets.len());
        for (col, &off) in self.table.columns.iter().zip(&self.offsets) {
            // SAFETY: `rec` is an instance of `cls`, whose field `col` lies at `off` (8 bytes).
            let bits = unsafe { *rec.as_ptr().cast::<u8>().offset(off).cast::<u64>() };
            // SAFETY: GIL held; all live.
            match unsafe { cells::from_slot(self.cls_ptr(), col, bits) } {
                Some(c) => row.push(c),
                None => return Err(PyErr::fetch(py)),
            }
        }
        Ok(row)
    }

    /// Row `i` as a new record of the array's class (a copy, built as pickle and copy build a
    /// record: a new instance with its fields stored).
    pub fn record(&self, py: Python<'_>, i: usize) -> PyResult<Py<PyAny>> {
        // SAFETY: GIL held; new_instance returns a new reference or NULL with an error set.
        let obj = unsafe { Owned::from_new(crate::ffi::state::new_instance(self.cls.as_ptr())) }.ok_or_else(|| PyErr::fetch(py))?;
        for (col, &off) in self.table.columns.iter().zip(&self.offsets) {
            // SAFETY: GIL held; i < len.
            let Some(bits) = (unsafe { cells::to_slot(self.cls_ptr(), col, i) }) else {
                return Err(PyErr::fetch(py));
            };
            // SAFETY: `obj` is a new, empty instance of `cls` with field `col` at `off`; object
            // slots take the new reference `to_slot` made.
            unsafe {
                if col.kind.is_object() {
                    crate::ffi::store::put_object(obj.as_ptr(), off, bits as usize as *mut ffi::PyObject);
                } else {
                    crate::ffi::store::put_raw(obj.as_ptr(), off, bits);
                }
            }
        }
        // SAFETY: a new reference we own.
        Ok(unsafe { Bound::from_owned_ptr(py, obj.into_ptr()).unbind() })
    }

    /// A new array of the same Python type and class holding `table`.
    pub fn with_table<'py>(slf: &Bound<'py, Self>, table: Table) -> PyResult<Bound<'py, Self>> {
        let py = slf.py();
        let this = slf.borrow();
        let out = slf.get_type().call1((this.cls.clone_ref(py),))?.cast_into::<Self>()?;
        drop(this);
        out.borrow_mut().table = table;
        Ok(out)
    }
}

