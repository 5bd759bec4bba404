//! Column views through the buffer protocol: `numpy.asarray(ColumnView)` (what `pts.x` returns)
//! shares the column's memory, writable. Each live view counts as an export of the array, which
//! refuses to change its length until the view is released (the `bytearray` rule), so a view
//! never points at freed memory.

use std::ffi::{c_int, c_void, CStr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use pyo3::exceptions::{PyBufferError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;

use super::column::Storage;
use super::core::RecordArrayBase;

#[pyclass(module = "slotkit._core", name = "ColumnView")]
pub struct ColumnView {
    array: Py<RecordArrayBase>,
    column: usize,
    /// The array's export counter (shared, so release never needs to borrow the array).
    exports: Arc<AtomicUsize>,
}

/// Shape and strides handed out with a view, freed at release.
struct Dims {
    shape: [ffi::Py_ssize_t; 1],
    strides: [ffi::Py_ssize_t; 1],
}

#[pymethods]
impl ColumnView {
    #[new]
    pub fn new(py: Python<'_>, array: Bound<'_, RecordArrayBase>, name: &str) -> PyResult<Self> {
        let column = array.borrow().column(py, name)?;
        let storage = array.borrow().table.columns[column].storage;
        if storage.width() == 0 {
            return Err(PyTypeError::new_err(format!(
                "{}.{name} is stored as {storage:?}: only float, int and bool columns have a numpy view \
                 (use pts.column_list({name:?}) or the Arrow interface)",
                array.borrow().qualname()
            )));
        }
        let exports = array.borrow().exports.clone();
        Ok(ColumnView { array: array.unbind(), column, exports })
    }

    fn __traverse__(&self, visit: pyo3::PyVisit<'_>) -> Result<(), pyo3::PyTraverseError> {
        visit.call(&self.array)
    }

    unsafe fn __getbuffer__(slf: Bound<'_, Self>, view: *mut ffi::Py_buffer, flags: c_int) -> PyResult<()> {
        if view.is_null() {
            return Err(PyBufferError::new_err("NULL view"));
        }
        let py = slf.py();
        let this = slf.borrow();
        let mut arr = this.array.bind(py).try_borrow_mut().map_err(|_| PyBufferError::new_err("RecordArray is being modified"))?;
        // A writable view needs own memory: imported (foreign) values are copied now.
        arr.table.columns[this.column].values.own().map_err(super::core::no_memory)?;
        let col = &arr.table.columns[this.column];
        let (format, width): (&'static CStr, usize) = match col.storage {
            Storage::F64 => (c"d", 8),
            Storage::I64 => (c"q", 8),
            Storage::Bool => (c"?", 1),
            _ => unreachable!("checked at creation"),
        };
        let len = arr.table.len;
        let dims = Box::new(Dims { shape: [len as ffi::Py_ssize_t], strides: [width as ffi::Py_ssize_t] });
        // SAFETY: `view` is the consumer's Py_buffer to fill (non-NULL, checked). The data stays
        // allocated and in place while the export count is non-zero (every reallocation checks
        // it); `obj` holds a reference to this view, which holds the array.
        unsafe {
            let v = &mut *view;
            v.buf = col.values.as_ptr().cast_mut().cast::<c_void>();
            v.obj = slf.clone().into_any().into_ptr();
            v.len = (len * width) as ffi::Py_ssize_t;
            v.readonly = 0;
            v.itemsize = width as ffi::Py_ssize_t;
            v.format = if flags & ffi::PyBUF_FORMAT != 0 { format.as_ptr().cast_mut() } else { std::ptr::null_mut() };
            v.ndim = 1;
            let dims = Box::into_raw(dims);
            v.shape = if flags & ffi::PyBUF_ND != 0 { (*dims).shape.as_mut_ptr() } else { std::ptr::null_mut() };
            v.strides = if flags & ffi::PyBUF_STRIDES == ffi::PyBUF_STRIDES { (*dims).strides.as_mut_ptr() } else { std::ptr::null_mut() };
            v.suboffsets = std::ptr::null_mut();
            v.internal = dims.cast::<c_void>();
        }
        this.exports.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    unsafe fn __releasebuffer__(&self, view: *mut ffi::Py_buffer) {
        // SAFETY: `internal` is the Dims box made in __getbuffer__ for this very view.
        unsafe { drop(Box::from_raw((*view).internal.cast::<Dims>())) };
        self.exports.fetch_sub(1, Ordering::SeqCst);
    }
}
