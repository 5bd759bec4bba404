//! Whole columns given to `extend_columns`, converted and checked before anything is written:
//! C-contiguous buffers of the column's own type (a numpy float64/int64/bool array) are
//! copied with `memcpy` at commit; anything else is converted value by value with the checks
//! of the Record's field.

use pyo3::buffer::PyUntypedBuffer;
use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;

use super::cells;
use super::column::{Cell, Column, Storage};
use super::raw::NoMemory;
use crate::ffi::util::qualname;

pub enum Staged {
    /// A buffer of the column's element type: `n` items at `ptr` (held by `buf`).
    Raw { buf: PyUntypedBuffer, n: usize },
    /// Converted values of a fixed-width column without nulls, packed as stored (8 or 1 bytes
    /// each): a quarter of the memory of staged cells.
    Packed { bytes: Vec<u8>, n: usize },
    Cells(Vec<Cell>),
}

impl Staged {
    pub fn len(&self) -> usize {
        match self {
            Staged::Raw { n, .. } | Staged::Packed { n, .. } => *n,
            Staged::Cells(c) => c.len(),
        }
    }
}

/// The buffer of `obj` when it is a 1-D C-contiguous buffer of exactly the column's element
/// type (`d`, `q`/`l` of 8 bytes, `?`), else `None` (no error: the caller iterates instead).
fn same_type_buffer(obj: &Bound<'_, PyAny>, storage: Storage) -> Option<PyUntypedBuffer> {
    let buf = PyUntypedBuffer::get(obj).ok()?;
    let fmt = buf.format().to_bytes();
    let fmt = fmt.strip_prefix(b"@").or_else(|| fmt.strip_prefix(b"=")).or_else(|| fmt.strip_prefix(b"<")).unwrap_or(fmt);
    let ok = match storage {
        Storage::F64 => fmt == b"d" && buf.item_size() == 8,
        Storage::I64 => (fmt == b"q" || fmt == b"l") && buf.item_size() == 8,
        Storage::Bool => fmt == b"?" && buf.item_size() == 1,
        _ => false,
    };
    (ok && buf.dimensions() == 1 && buf.is_c_contiguous() && cfg!(target_endian = "little")).then_some(buf)
}

/// Converts and checks one whole column.
pub fn stage(py: Python<'_>, cls: *mut pyo3::ffi::PyTypeObject, col: &Column, obj: &Bound<'_, PyAny>) -> PyResult<Staged> {
    if !col.nullable {
        if let Some(buf) = same_type_buffer(obj, col.storage) {
            let n = buf.item_count();
            if col.storage == Storage::I64 {
                // SAFETY: a C-contiguous buffer of n 8-byte signed ints, held for the read.
                let vals = unsafe { std::slice::from_raw_parts(buf.buf_ptr().cast::<i64>(), n) };
                if let Some(pos) = vals.iter().position(|&v| v == i64::MIN) {
                    // SAFETY: cls is the array's live Record class.
                    let q = unsafe { qualname(cls) };
                    return Err(PyOverflowError::new_err(format!(
                        "{q}.{}: -9223372036854775808 (item {pos}) does not fit an int field (-2**63+1 .. 2**63-1)",
                        col.name.bind(py)
                    )));
                }
            }
            return Ok(Staged::Raw { buf, n });
        }
    }
    let iter = obj.try_iter().map_err(|_| {
        // SAFETY: cls is the array's live Record class.
        PyTypeError::new_err(format!("{}.{}: column must be iterable, got {}", unsafe { qualname(cls) }, col.name.bind(py), obj.get_type().name().map(|n| n.to_string()).unwrap_or_default()))
    })?;
    let hint = obj.len().unwrap_or(0);
    if !col.nullable && col.storage.width() > 0 {
        let mut bytes = Vec::with_capacity(hint * col.storage.width());
        let mut n = 0;
        for item in iter {
            let item = item?;
            // SAFETY: GIL held; cls and item live.
            match unsafe { cells::from_value(cls, col, item.as_ptr()) } {
                Some(Cell::F64(v)) => bytes.extend_from_slice(&v.to_ne_bytes()),
                Some(Cell::I64(v)) => bytes.extend_from_slice(&v.to_ne_bytes()),
                Some(Cell::Bool(v)) => bytes.push(v as u8),
                Some(_) => unreachable!("a fixed-width column without nulls stages numbers"),
                None => return Err(PyErr::fetch(py)),
            }
            n += 1;
        }
        return Ok(Staged::Packed { bytes, n });
    }
    let mut cells = Vec::with_capacity(hint);
    for item in iter {
        let item = item?;
        // SAFETY: GIL held; cls and item live.
        match unsafe { cells::from_value(cls, col, item.as_ptr()) } {
            Some(c) => cells.push(c),
            None => return Err(PyErr::fetch(py)),
        }
    }
    Ok(Staged::Cells(cells))
}

/// Appends staged columns of one length `n` to `cols` (room reserved first; exact when the
/// array is empty).
pub fn commit(py: Python<'_>, cols: &mut [Column], staged: &[Staged], len: usize, n: usize) -> Result<(), NoMemory> {
    let exact = len == 0;
    for (col, s) in cols.iter_mut().zip(staged) {
        let (text, nulls) = match s {
            Staged::Raw { .. } | Staged::Packed { .. } => (0, false),
            Staged::Cells(c) => (c.iter().map(|x| x.text().len()).sum(), c.iter().any(|x| matches!(x, Cell::Null))),
        };
        col.reserve(n, text, nulls, len, exact)?;
    }
    for (col, s) in cols.iter_mut().zip(staged) {
        match s {
            Staged::Raw { buf, n } => {
                // SAFETY: the buffer holds n items of the column's width, C-contiguous, and is
                // held (not released) while we copy.
                let bytes = unsafe { std::slice::from_raw_parts(buf.buf_ptr().cast::<u8>(), n * col.storage.width()) };
                if col.storage == Storage::Bool {
                    let start = col.values.len();
                    col.values.push_bytes(bytes);
                    for b in &mut col.values.bytes_mut()[start..] {
                        *b = (*b != 0) as u8;
                    }
                } else {
                    col.values.push_bytes(bytes);
                }
                if let Some(v) = col.validity.as_mut() {
                    for _ in 0..*n {
                        v.push(true);
                    }
                }
            }
            Staged::Packed { bytes, n } => {
                col.values.push_bytes(bytes);
                if let Some(v) = col.validity.as_mut() {
                    for _ in 0..*n {
                        v.push(true);
                    }
                }
            }
            Staged::Cells(cells) => {
                for c in cells {
                    col.push(c, py);
                }
            }
        }
    }
    Ok(())
}
