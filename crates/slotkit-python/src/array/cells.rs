//! Python values to staged cells (with the checks and messages of a Record field, from
//! `ffi::convert`) and column rows back to Python values.

use std::ffi::c_int;
use std::ptr;

use pyo3::ffi;
use slotkit_core::unset::{decode_bool, decode_f64, decode_i64, UNSET_RAW};
use slotkit_core::{Kind, Scalar};

use super::column::{Cell, Column, Storage};
use crate::ffi::convert::{self, Source};
use crate::ffi::util::{qualname, raise, repr_of, text_of, Owned};

/// The checked cell for any value written to `col` (`extend_columns`, imports). NULL-free:
/// returns `None` with a Python error set.
///
/// # Safety
/// GIL held; `cls` is the array's Record class; `value` live.
pub unsafe fn from_value(cls: *mut ffi::PyTypeObject, col: &Column, value: *mut ffi::PyObject) -> Option<Cell> {
    // SAFETY: forwarded; conversions come from ffi::convert with the Record's own messages.
    unsafe {
        let name = col.name.as_ptr();
        if let Kind::Scalar(s) = col.kind {
            let bits = convert::scalar_bits(cls, name, s, value)?;
            return Some(match s {
                Scalar::F64 => Cell::F64(decode_f64(bits)),
                Scalar::I64 => Cell::I64(decode_i64(bits)),
                Scalar::Bool => Cell::Bool(decode_bool(bits)),
            });
        }
        let stored = Owned::from_new(convert::object_value(cls, name, col.kind, value, Source::Value))?;
        from_stored(cls, col, stored)
    }
}

/// The cell for a value already accepted by a Record field of this kind (an exact
/// float/int/bool/str/bytes or `None`, or anything for an object field).
///
/// # Safety
/// GIL held; all live.
pub unsafe fn from_stored(cls: *mut ffi::PyTypeObject, col: &Column, v: Owned) -> Option<Cell> {
    // SAFETY: accessors are applied after the exact-type checks the Record's conversion made.
    unsafe {
        let p = v.as_ptr();
        if p == ffi::Py_None() && col.storage != Storage::Object {
            return Some(Cell::Null);
        }
        Some(match col.storage {
            Storage::F64 => Cell::F64(ffi::PyFloat_AsDouble(p)),
            Storage::Bool => Cell::Bool(p == ffi::Py_True()),
            Storage::I64 => Cell::I64(int64(cls, col, p)?),
            Storage::Str => {
                let mut n: ffi::Py_ssize_t = 0;
                let data = ffi::PyUnicode_AsUTF8AndSize(p, &mut n);
                if data.is_null() {
                    return None;
                }
                Cell::Text(v, data.cast(), n as usize)
            }
            Storage::Bytes => {
                let data = ffi::PyBytes_AS_STRING(p);
                let n = ffi::PyBytes_Size(p) as usize;
                Cell::Text(v, data.cast(), n)
            }
            Storage::Object => Cell::Obj(v),
        })
    }
}

/// An exact int as i64 for an int column, or `OverflowError` (a boxed `int` field holds any
/// int; its column holds -2**63+1 .. 2**63-1, as unboxed int fields do).
///
/// # Safety
/// GIL held; `p` an exact int.
unsafe fn int64(cls: *mut ffi::PyTypeObject, col: &Column, p: *mut ffi::PyObject) -> Option<i64> {
    // SAFETY: forwarded.
    unsafe {
        let mut overflowed: c_int = 0;
        let v = ffi::PyLong_AsLongLongAndOverflow(p, &mut overflowed);
        if v == -1 && !ffi::PyErr_Occurred().is_null() {
            return None;
        }
        if overflowed != 0 || v == i64::MIN {
            let shown = repr_of(p).unwrap_or_default();
            let msg = format!("{}.{}: {shown} does not fit an int column (-2**63+1 .. 2**63-1)", qualname(cls), text_of(col.name.as_ptr()));
            raise(ffi::PyExc_OverflowError, &msg);
            return None;
        }
        Some(v)
    }
}

/// The cell for field `kind` read raw from a Record instance's slot; `None` with an error set
/// when the field is unset (a row needs every field) or does not fit its column.
///
/// # Safety
/// GIL held; `bits` the raw 8 bytes of field `col` of a live instance of `cls` (which keeps
/// any object it points to alive for the call).
pub unsafe fn from_slot(cls: *mut ffi::PyTypeObject, col: &Column, bits: u64) -> Option<Cell> {
    // SAFETY: object slots hold a live reference (or NULL when unset), scalar slots the encoding
    // of slotkit_core::unset.
    unsafe {
        if bits == UNSET_RAW {
            let msg = format!(
                "{}.{} is unset: a RecordArray row needs every field set",
                qualname(cls),
                text_of(col.name.as_ptr())
            );
            raise(ffi::PyExc_ValueError, &msg);
            return None;
        }
        match col.kind {
            Kind::Scalar(Scalar::F64) => Some(Cell::F64(decode_f64(bits))),
            Kind::Scalar(Scalar::I64) => Some(Cell::I64(decode_i64(bits))),
            Kind::Scalar(Scalar::Bool) => Some(Cell::Bool(decode_bool(bits))),
            _ => from_stored(cls, col, Owned::from_borrowed(bits as usize as *mut ffi::PyObject)),
        }
    }
}

/// Row `i` of `col` as the raw slot bits of a Record field (a new reference for object kinds),
/// or `None` with an error set.
///
/// # Safety
/// GIL held; `i < len`.
pub unsafe fn to_slot(cls: *mut ffi::PyTypeObject, col: &Column, i: usize) -> Option<u64> {
    // SAFETY: forwarded.
    unsafe {
        match col.kind {
            Kind::Scalar(Scalar::F64) => Some(slotkit_core::unset::encode_f64(col.values.get::<f64>(i))),
            Kind::Scalar(Scalar::Bool) => Some(slotkit_core::unset::encode_bool(col.values.get::<u8>(i) != 0)),
            Kind::Scalar(Scalar::I64) => {
                let v = col.values.get::<i64>(i);
                match slotkit_core::unset::encode_i64(v) {
                    Some(bits) => Some(bits),
                    None => {
                        let msg = format!("{}.{}: -9223372036854775808 (written through a view) does not fit an int field", qualname(cls), text_of(col.name.as_ptr()));
                        raise(ffi::PyExc_OverflowError, &msg);
                        None
                    }
                }
            }
            _ => {
                let p = to_object(col, i);
                (!p.is_null()).then_some(p as usize as u64)
            }
        }
    }
}

/// Row `i` of `col` as a new Python object (`None` for a null), or NULL with an error set.
///
/// # Safety
/// GIL held; `i < len`.
pub unsafe fn to_object(col: &Column, i: usize) -> *mut ffi::PyObject {
    // SAFETY: constructors return new references or NULL with an error set.
    unsafe {
        if !col.is_valid(i) {
            let none = ffi::Py_None();
            ffi::Py_INCREF(none);
            return none;
        }
        match col.storage {
            Storage::F64 => ffi::PyFloat_FromDouble(col.values.get::<f64>(i)),
            Storage::I64 => ffi::PyLong_FromLongLong(col.values.get::<i64>(i)),
            Storage::Bool => ffi::PyBool_FromLong((col.values.get::<u8>(i) != 0) as std::ffi::c_long),
            Storage::Str => {
                let t = col.text(i);
                ffi::PyUnicode_DecodeUTF8(t.as_ptr().cast(), t.len() as ffi::Py_ssize_t, ptr::null())
            }
            Storage::Bytes => {
                let t = col.text(i);
                ffi::PyBytes_FromStringAndSize(t.as_ptr().cast(), t.len() as ffi::Py_ssize_t)
            }
            Storage::Object => {
                let p = col.objects[i].as_ptr();
                ffi::Py_INCREF(p);
                p
            }
        }
    }
}
