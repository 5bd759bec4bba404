//! Row selection helpers: index lists, a stable argsort by one column, and equality.

use std::cmp::Ordering;

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyIndexError, PyTypeError};
use pyo3::prelude::*;

use super::column::{Column, Storage};
use super::table::Table;

/// Row indices from an int64 buffer (numpy) or an iterable of ints, each checked `< len`.
pub fn indices(len: usize, obj: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    let check = |i: i64| -> PyResult<usize> {
        if i < 0 || i as u64 >= len as u64 {
            Err(PyIndexError::new_err(format!("RecordArray index {i} out of range for length {len}")))
        } else {
            Ok(i as usize)
        }
    };
    if let Ok(buf) = PyBuffer::<i64>::get(obj) {
        if buf.dimensions() == 1 {
            let v = buf.to_vec(obj.py())?;
            return v.into_iter().map(check).collect();
        }
    }
    let mut out = Vec::with_capacity(obj.len().unwrap_or(0));
    for item in obj.try_iter()? {
        let i: i64 = item?.extract().map_err(|_| PyTypeError::new_err("RecordArray indices must be integers"))?;
        out.push(check(i)?);
    }
    Ok(out)
}

/// Stable order of rows by column `col` (ascending, or descending with `reverse`); NaN and
/// nulls sort last either way. Object columns compare with Python's `<`.
pub fn argsort(py: Python<'_>, col: &Column, len: usize, reverse: bool) -> PyResult<Vec<usize>> {
    let mut idx: Vec<usize> = (0..len).collect();
    let dir = |o: Ordering| if reverse { o.reverse() } else { o };
    let last = |a: usize, b: usize| -> Option<Ordering> {
        match (col.is_valid(a), col.is_valid(b)) {
            (true, true) => None,
            (false, false) => Some(Ordering::Equal),
            (false, true) => Some(Ordering::Greater),
            (true, false) => Some(Ordering::Less),
        }
    };
    match col.storage {
        Storage::F64 => idx.sort_by(|&a, &b| {
            last(a, b).unwrap_or_else(|| {
                let (x, y) = (col.values.get::<f64>(a), col.values.get::<f64>(b));
                match (x.is_nan(), y.is_nan()) {
                    (false, false) => dir(x.partial_cmp(&y).unwrap_or(Ordering::Equal)),
                    (a, b) => a.cmp(&b),
                }
            })
        }),
        Storage::I64 => idx.sort_by(|&a, &b| last(a, b).unwrap_or_else(|| dir(col.values.get::<i64>(a).cmp(&col.values.get::<i64>(b))))),
        Storage::Bool => idx.sort_by(|&a, &b| last(a, b).unwrap_or_else(|| dir(col.values.get::<u8>(a).cmp(&col.values.get::<u8>(b))))),
        Storage::Str | Storage::Bytes => idx.sort_by(|&a, &b| last(a, b).unwrap_or_else(|| dir(col.text(a).cmp(col.text(b))))),
        Storage::Object => {
            let mut err: Option<PyErr> = None;
            idx.sort_by(|&a, &b| {
                if err.is_some() {
                    return Ordering::Equal;
                }
                let (x, y) = (col.objects[a].bind(py), col.objects[b].bind(py));
                let r = x.lt(y).and_then(|lt| if lt { Ok(Ordering::Less) } else { y.lt(x).map(|gt| if gt { Ordering::Greater } else { Ordering::Equal }) });
                match r {
                    Ok(o) => dir(o),
                    Err(e) => {
                        err = Some(e);
                        Ordering::Equal
                    }
                }
            });
            if let Some(e) = err {
                return Err(e);
            }
        }
    }
    Ok(idx)
}

/// Row-by-row equality of two tables of one class and length: floats with `==` (NaN unequal,
/// as for records), objects with Python's `==`.
pub fn tables_equal(py: Python<'_>, a: &Table, b: &Table) -> PyResult<bool> {
    for (x, y) in a.columns.iter().zip(&b.columns) {
        for i in 0..a.len {
            let (vx, vy) = (x.is_valid(i), y.is_valid(i));
            if vx != vy {
                return Ok(false);
            }
            if !vx {
                continue;
            }
            let same = match x.storage {
                Storage::F64 => x.values.get::<f64>(i) == y.values.get::<f64>(i),
                Storage::I64 => x.values.get::<i64>(i) == y.values.get::<i64>(i),
                Storage::Bool => (x.values.get::<u8>(i) != 0) == (y.values.get::<u8>(i) != 0),
                Storage::Str | Storage::Bytes => x.text(i) == y.text(i),
                Storage::Object => x.objects[i].bind(py).eq(y.objects[i].bind(py))?,
            };
            if !same {
                return Ok(false);
            }
        }
    }
    Ok(true)
}
