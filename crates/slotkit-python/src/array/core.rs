//! `slotkit._core.RecordArrayBase`: the native half of `slotkit.RecordArray` (storage, checked
//! writes, row copies, column views and the Arrow interface); `python/slotkit/_array.py`
//! derives the public class and adds slicing, masks, sorting, pickling and `from_arrow`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use pyo3::exceptions::{PyMemoryError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};
use pyo3::{PyTraverseError, PyVisit};

use super::cells;
use super::column::Column;
use super::raw::NoMemory;
use super::staged;
use super::table::Table;
use crate::ffi::layout;

#[pyclass(subclass, module = "slotkit._core", name = "RecordArrayBase")]
pub struct RecordArrayBase {
    pub cls: Py<PyType>,
    /// Byte offset of each column's field in an instance of `cls`.
    pub offsets: Vec<isize>,
    pub table: Table,
    /// Live numpy views, memoryviews and Arrow exports of the buffers: while non-zero, nothing
    /// may reallocate them (`BufferError`, as `bytearray` does).
    pub exports: Arc<AtomicUsize>,
}

pub fn no_memory(_: NoMemory) -> PyErr {
    PyMemoryError::new_err("RecordArray: out of memory")
}

#[pymethods]
impl RecordArrayBase {
    #[new]
    #[pyo3(signature = (record_class, capacity = 0))]
    fn new(py: Python<'_>, record_class: &Bound<'_, PyAny>, capacity: usize) -> PyResult<Self> {
        let cls = record_class;
        // SAFETY: GIL held; `cls` live.
        let Some(lay) = (unsafe { layout::of_class(cls.as_ptr()) }) else {
            return Err(PyTypeError::new_err(format!("RecordArray needs a slotkit Record class, got {}", cls.repr()?)));
        };
        let cls = cls.cast::<PyType>()?.clone().unbind();
        let mut columns = Vec::with_capacity(lay.fields.len());
        let mut offsets = Vec::with_capacity(lay.fields.len());
        for f in &lay.fields {
            // SAFETY: field names are live str objects owned by the layout.
            let name = unsafe { Bound::from_borrowed_ptr(py, f.name.as_ptr()) }.cast_into::<PyString>()?.unbind();
            let mut col = Column::new(name, f.kind).map_err(no_memory)?;
            col.reserve(capacity, 0, false, 0, true).map_err(no_memory)?;
            columns.push(col);
            offsets.push(f.offset);
        }
        Ok(RecordArrayBase { cls, offsets, table: Table { columns, len: 0 }, exports: Arc::new(AtomicUsize::new(0)) })
    }

    /// The Record class of the rows.
    #[getter]
    fn record_class(&self, py: Python<'_>) -> Py<PyType> {
        self.cls.clone_ref(py)
    }

    /// The field names, in column order.
    #[getter]
    fn field_names<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.table.columns.iter().map(|c| c.name.clone_ref(py)))
    }

    /// Bytes held by the column buffers (allocated capacity, validity bitmaps included).
    #[getter]
    fn nbytes(&self) -> usize {
        self.table.columns.iter().map(Column::nbytes).sum()
    }

    /// Number of live views and Arrow exports of the buffers.
    #[getter]
    fn exports(&self) -> usize {
        self.exports.load(Ordering::SeqCst)
    }

    fn __len__(&self) -> usize {
        self.table.len
    }

    /// Appends one record of the array's class (every field set). Checked before written.
    fn append(&mut self, py: Python<'_>, record: &Bound<'_, PyAny>) -> PyResult<()> {
        let row = self.row_of(py, record)?;
        self.check_resizable()?;
        self.table.push_rows(&[row], py).map_err(no_memory)
    }

    /// Appends records from an iterable: all are checked before any is written. The array is
    /// borrowed per item only, so `pts.extend(pts)` (or any iterable that reads it) works.
    fn extend(slf: &Bound<'_, Self>, records: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        let mut rows = Vec::with_capacity(records.len().unwrap_or(0));
        for (k, rec) in records.try_iter()?.enumerate() {
            let rec = rec?;
            let row = slf.borrow().row_of(py, &rec).map_err(|e| {
                let msg = format!("item {k}: {}", e.value(py));
                let new = PyErr::from_type(e.get_type(py), msg);
                new.set_cause(py, Some(e));
                new
            })?;
            rows.push(row);
        }
        let mut this = slf.try_borrow_mut()?;
        this.check_resizable()?;
        this.table.push_rows(&rows, py).map_err(no_memory)
    }

    /// Appends whole columns, one keyword per field, all of one length: every value is checked
    /// (as the Record's field checks it) before anything is written. numpy arrays of the
    /// column's own dtype are copied with one memcpy.
    #[pyo3(signature = (**columns))]
    fn extend_columns(&mut self, py: Python<'_>, columns: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        let q = self.qualname();
        let given = columns.cloned().unwrap_or_else(|| PyDict::new(py));
        for key in given.keys() {
            let k: String = key.extract()?;
            if self.column(py, &k).is_err() {
                return Err(PyTypeError::new_err(format!("extend_columns(): {q} has no field '{k}'")));
            }
        }
        let missing: Vec<String> =
            self.table.columns.iter().map(|c| c.name.bind(py).to_string()).filter(|n| !given.contains(n).unwrap_or(false)).collect();
        if !missing.is_empty() {
            return Err(PyTypeError::new_err(format!("extend_columns(): missing column(s) for {q}: {}", missing.join(", "))));
        }
        let mut stagedcols = Vec::with_capacity(self.table.columns.len());
        for col in &self.table.columns {
            let obj = given.get_item(col.name.bind(py))?.expect("checked present");
            stagedcols.push(staged::stage(py, self.cls_ptr(), col, &obj)?);
        }
        let n = stagedcols.first().map_or(0, staged::Staged::len);
        if let Some((c, s)) = self.table.columns.iter().zip(&stagedcols).find(|(_, s)| s.len() != n) {
            return Err(PyValueError::new_err(format!(
                "extend_columns(): columns differ in length ({} has {}, {} has {n})",
                c.name.bind(py),
                s.len(),
                self.table.columns[0].name.bind(py)
            )));
        }
        self.check_resizable()?;
        staged::commit(py, &mut self.table.columns, &stagedcols, self.table.len, n).map_err(no_memory)?;
        self.table.len += n;
        Ok(())
    }

    /// `pts[i]`: a copy of row `i` as a record; other keys (slices, masks, index arrays) go to
    /// the Python class's `_select`.
    fn __getitem__(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let int = key.is_instance_of::<pyo3::types::PyInt>();
        if int || (key.hasattr("__index__")? && !key.hasattr("__len__")?) {
            let i = if int { index_of(key)? } else { index_of(&key.call_method0("__index__")?)? };
            let this = slf.borrow();
            let i = this.index(i)?;
            return this.record(slf.py(), i);
        }
        Ok(slf.call_method1("_select", (key,))?.unbind())
    }

    /// `pts[i] = record`: checked, then written.
    fn __setitem__(&mut self, py: Python<'_>, key: &Bound<'_, PyAny>, record: &Bound<'_, PyAny>) -> PyResult<()> {
        if !key.is_instance_of::<pyo3::types::PyInt>() && !key.hasattr("__index__")? {
            let got = key.get_type().name()?;
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "RecordArray assignment takes one integer index, not {got}"
            )));
        }
        let i = self.index(index_of(&key.call_method0("__index__")?)?)?;
        let row = self.row_of(py, record)?;
        if self.table.resizes_text(i, &row) {
            self.check_resizable()?;
        }
        self.table.put_row(i, &row, py).map_err(no_memory)
    }

    fn __iter__(slf: &Bound<'_, Self>) -> RowIter {
        RowIter { array: slf.clone().unbind(), next: 0 }
    }

    /// Removes every row (capacity is kept).
    fn clear(&mut self) -> PyResult<()> {
        self.check_resizable()?;
        for c in &mut self.table.columns {
            c.clear();
        }
        self.table.len = 0;
        Ok(())
    }

    /// Gives back spare capacity (what amortized growth reserved).
    fn shrink_to_fit(&mut self) -> PyResult<()> {
        self.check_resizable()?;
        for c in &mut self.table.columns {
            c.shrink().map_err(no_memory)?;
        }
        Ok(())
    }

    /// Column `name` as a list of Python values (`None` for nulls).
    fn _column_list<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyList>> {
        let col = &self.table.columns[self.column(py, name)?];
        let out = PyList::empty(py);
        for i in 0..self.table.len {
            // SAFETY: GIL held; i < len; a new reference or NULL with an error set.
            let v = unsafe { Bound::from_owned_ptr_or_err(py, cells::to_object(col, i)) }?;
            out.append(v)?;
        }
        Ok(out)
    }

    /// Validity of column `name` as bytes (1 = value, 0 = null), or None when it has no nulls.
    fn _validity<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, pyo3::types::PyBytes>>> {
        let col = &self.table.columns[self.column(py, name)?];
        Ok(col.validity.as_ref().map(|_| {
            let v: Vec<u8> = (0..self.table.len).map(|i| col.is_valid(i) as u8).collect();
            pyo3::types::PyBytes::new(py, &v)
        }))
    }

    /// Storage of column `name`: `f64`, `i64`, `bool`, `str`, `bytes` or `object`.
    fn _storage(&self, py: Python<'_>, name: &str) -> PyResult<&'static str> {
        let col = &self.table.columns[self.column(py, name)?];
        Ok(match col.storage {
            super::column::Storage::F64 => "f64",
            super::column::Storage::I64 => "i64",
            super::column::Storage::Bool => "bool",
            super::column::Storage::Str => "str",
            super::column::Storage::Bytes => "bytes",
            super::column::Storage::Object => "object",
        })
    }

    /// A new array with rows `indices` (ints in `0..len`), in that order.
    fn _take<'py>(slf: &Bound<'py, Self>, indices: &Bound<'py, PyAny>) -> PyResult<Bound<'py, Self>> {
        let py = slf.py();
        let idx = super::take::indices(slf.borrow().table.len, indices)?;
        let table = slf.borrow().table.take(&idx, py).map_err(no_memory)?;
        Self::with_table(slf, table)
    }

    /// Exchanges the rows of two arrays of one class (how the Python class sorts in place).
    fn _swap(&mut self, py: Python<'_>, other: &Bound<'_, RecordArrayBase>) -> PyResult<()> {
        let mut other = other.try_borrow_mut()?;
        if !self.cls.bind(py).is(other.cls.bind(py)) {
            return Err(PyTypeError::new_err("_swap(): arrays of different Record classes"));
        }
        self.check_resizable()?;
        other.check_resizable()?;
        std::mem::swap(&mut self.table, &mut other.table);
        Ok(())
    }

    /// Row order sorting column `name` (stable; NaN and nulls last).
    #[pyo3(signature = (name, reverse = false))]
    fn _argsort(&self, py: Python<'_>, name: &str, reverse: bool) -> PyResult<Vec<usize>> {
        let col = &self.table.columns[self.column(py, name)?];
        super::take::argsort(py, col, self.table.len, reverse)
    }

    /// True when `other` holds the same class and equal rows (fields compared with `==`).
    fn _equals(&self, py: Python<'_>, other: &Bound<'_, RecordArrayBase>) -> PyResult<bool> {
        let other = other.borrow();
        if !self.cls.bind(py).is(other.cls.bind(py)) || self.table.len != other.table.len {
            return Ok(false);
        }
        super::take::tables_equal(py, &self.table, &other.table)
    }

    /// A buffer-protocol view of column `name` (what `pts.x` wraps in a numpy array).
    fn _view(slf: &Bound<'_, Self>, name: &str) -> PyResult<super::view::ColumnView> {
        super::view::ColumnView::new(slf.py(), slf.clone(), name)
    }

    /// Arrow PyCapsule interface: the schema (a struct of the fields).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_schema__(slf: &Bound<'_, Self>, requested_schema: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let _ = requested_schema;
        super::arrow_out::schema_capsule(slf)
    }

    /// Arrow PyCapsule interface: (schema, struct array) sharing the column buffers.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_array__(slf: &Bound<'_, Self>, requested_schema: Option<&Bound<'_, PyAny>>) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
        let _ = requested_schema;
        super::arrow_out::array_capsules(slf)
    }

    /// Arrow PyCapsule interface: a stream of one batch sharing the column buffers.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__(slf: &Bound<'_, Self>, requested_schema: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let _ = requested_schema;
        super::arrow_out::stream_capsule(slf)
    }

    /// Appends the rows of an Arrow stream capsule (checked, then written).
    fn _extend_arrow_stream(slf: &Bound<'_, Self>, capsule: &Bound<'_, PyAny>) -> PyResult<()> {
        super::arrow_in::extend_stream(slf, capsule)
    }

    /// Appends the rows of an Arrow (schema, array) capsule pair (checked, then written).
    fn _extend_arrow_array(slf: &Bound<'_, Self>, schema: &Bound<'_, PyAny>, array: &Bound<'_, PyAny>) -> PyResult<()> {
        super::arrow_in::extend_array(slf, schema, array)
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        visit.call(&self.cls)?;
        for col in &self.table.columns {
            for o in &col.objects {
                visit.call(o)?;
            }
        }
        Ok(())
    }

    fn __clear__(&mut self) {
        for col in &mut self.table.columns {
            col.objects.clear();
        }
        if !self.table.columns.iter().any(|c| c.storage == super::column::Storage::Object) {
            return;
        }
        // Rows of object columns are gone: the array is emptied so every column keeps one length.
        for col in &mut self.table.columns {
            col.clear();
        }
        self.table.len = 0;
    }
}

/// Iterator over copies of the rows.
#[pyclass(module = "slotkit._core")]
pub struct RowIter {
    array: Py<RecordArrayBase>,
    next: usize,
}

#[pymethods]
impl RowIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        visit.call(&self.array)
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let arr = self.array.bind(py).borrow();
        if self.next >= arr.table.len {
            return Ok(None);
        }
        let r = arr.record(py, self.next)?;
        self.next += 1;
        Ok(Some(r))
    }
}

/// An integer index as `isize`; one too large for any index is an `IndexError`, as for `list`.
fn index_of(key: &Bound<'_, PyAny>) -> PyResult<isize> {
    key.extract::<isize>().map_err(|e| {
        if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(key.py()) {
            pyo3::exceptions::PyIndexError::new_err("cannot fit 'int' into an index-sized integer")
        } else {
            e
        }
    })
}
