//! Reading and writing one field of an instance, by kind: the unboxing and the encoding of
//! "unset" (the all-zero pattern for every kind, see `slotkit_core::unset`). What a field
//! accepts is decided in `convert`. Used by the constructor, the descriptors and `setattr`.

use std::ptr;

use pyo3::ffi;
use slotkit_core::unset::{decode_bool, decode_f64, decode_i64, encode_f64, UNSET_RAW};
use slotkit_core::{Atom, Kind, Scalar};

use super::convert::{self, Source};
use super::layout::FieldSlot;
use super::util::{qualname, raise, short_name, text_of};

/// Address of the 8-byte slot at `offset` in `obj`.
///
/// # Safety
/// `offset` must be a field offset of `obj`'s class (checked against its basicsize at class
/// creation) and `obj` a live instance of it.
#[inline]
unsafe fn slot(obj: *mut ffi::PyObject, offset: isize) -> *mut u64 {
    // SAFETY: in bounds of the instance (caller); slots are 8-byte aligned by CPython's layout.
    unsafe { obj.cast::<u8>().offset(offset).cast::<u64>() }
}

/// The raw 8 bytes of the slot at `offset` (an unboxed field's encoded value, or `UNSET_RAW`).
///
/// # Safety
/// As for [`slot`].
#[inline]
pub unsafe fn raw_at(obj: *mut ffi::PyObject, offset: isize) -> u64 {
    // SAFETY: forwarded from the caller.
    unsafe { *slot(obj, offset) }
}

/// Writes raw bits into an unboxed slot.
///
/// # Safety
/// As for [`slot`]; the field must be unboxed.
#[inline]
pub unsafe fn put_raw(obj: *mut ffi::PyObject, offset: isize, bits: u64) {
    // SAFETY: forwarded from the caller.
    unsafe { *slot(obj, offset) = bits };
}

/// Stores a new reference into an object slot, releasing the previous value (if any) after the
/// store, so that a finalizer it triggers sees a consistent object.
///
/// # Safety
/// As for [`slot`]; the field must be an object field; `value` is a new (stolen) reference or
/// NULL (to unset); the GIL must be held.
#[inline]
pub unsafe fn put_object(obj: *mut ffi::PyObject, offset: isize, value: *mut ffi::PyObject) {
    // SAFETY: forwarded from the caller.
    unsafe {
        let p = slot(obj, offset).cast::<*mut ffi::PyObject>();
        let old = std::mem::replace(&mut *p, value);
        if !old.is_null() {
            ffi::Py_DECREF(old);
        }
    }
}

/// Checks and stores a borrowed `value` into `field` of `obj`. Returns false with an error set.
///
/// The common cases (an exact `float` for a float field, any value for an unchecked object
/// field, an exact `str` for a `str` field) are decided here, inline in the constructor's loop;
/// everything else goes to [`store_slow`].
///
/// # Safety
/// The GIL must be held; `obj` must be a live instance of a class whose layout holds `field`.
#[inline(always)]
pub unsafe fn store(obj: *mut ffi::PyObject, field: &FieldSlot, value: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded from the caller; `value` is live (borrowed from the caller's args).
    unsafe {
        let tp = ffi::Py_TYPE(value);
        match field.kind {
            Kind::Scalar(Scalar::F64) if tp == ptr::addr_of_mut!(ffi::PyFloat_Type) => {
                put_raw(obj, field.offset, encode_f64(ffi::PyFloat_AS_DOUBLE(value)));
                true
            }
            Kind::Object => {
                ffi::Py_INCREF(value);
                put_object(obj, field.offset, value);
                true
            }
            Kind::Atomic { atom: Atom::Str, .. } if tp == ptr::addr_of_mut!(ffi::PyUnicode_Type) => {
                ffi::Py_INCREF(value);
                put_object(obj, field.offset, value);
                true
            }
            // A boxed float given an exact float (the point-cloud pass's writes).
            Kind::Atomic { atom: Atom::Float, .. } if tp == ptr::addr_of_mut!(ffi::PyFloat_Type) => {
                ffi::Py_INCREF(value);
                put_object(obj, field.offset, value);
                true
            }
            _ => store_slow(obj, field, value),
        }
    }
}

/// [`store`] for every other case, errors included. May run Python code (conversions).
///
/// # Safety
/// As for [`store`].
#[cold]
#[inline(never)]
unsafe fn store_slow(obj: *mut ffi::PyObject, field: &FieldSlot, value: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded from the caller. `field` belongs to the layout of `obj`'s class or of a
    // class the caller holds (a generated `__init__`'s owner); `obj`'s class is pinned here so a
    // conversion's Python code (`__index__`, `__float__`) cannot free it under us.
    unsafe {
        let cls = ffi::Py_TYPE(obj);
        let _pin = super::util::Owned::from_borrowed(cls.cast());
        match field.kind {
            Kind::Scalar(s) => {
                let Some(bits) = convert::scalar_bits(cls, field.name.as_ptr(), s, value) else {
                    return false;
                };
                put_raw(obj, field.offset, bits);
            }
            kind => {
                let v = convert::object_value(cls, field.name.as_ptr(), kind, value, Source::Value);
                if v.is_null() {
                    return false;
                }
                put_object(obj, field.offset, v);
            }
        }
        true
    }
}

/// A field's value as a new reference, or NULL (no error set) when it is unset.
///
/// # Safety
/// As for [`store`].
#[inline]
pub unsafe fn peek(obj: *mut ffi::PyObject, field: &FieldSlot) -> *mut ffi::PyObject {
    // SAFETY: forwarded from the caller.
    unsafe { peek_at(obj, field.kind, field.offset) }
}

/// [`peek`] by kind and offset.
///
/// # Safety
/// As for [`slot`]; `kind` must be the kind of the slot at `offset`; the GIL must be held.
#[inline]
pub unsafe fn peek_at(obj: *mut ffi::PyObject, kind: Kind, offset: isize) -> *mut ffi::PyObject {
    // SAFETY: forwarded from the caller.
    unsafe {
        let bits = *slot(obj, offset);
        match kind {
            Kind::Scalar(_) if bits == UNSET_RAW => ptr::null_mut(),
            Kind::Scalar(Scalar::F64) => ffi::PyFloat_FromDouble(decode_f64(bits)),
            Kind::Scalar(Scalar::I64) => ffi::PyLong_FromLongLong(decode_i64(bits)),
            Kind::Scalar(Scalar::Bool) => ffi::PyBool_FromLong(decode_bool(bits) as std::ffi::c_long),
            _ => {
                let p = bits as usize as *mut ffi::PyObject;
                if !p.is_null() {
                    ffi::Py_INCREF(p);
                }
                p
            }
        }
    }
}

/// The raw 8 bytes of a field (for equality and hashing of unboxed values).
///
/// # Safety
/// As for [`store`].
#[inline]
pub unsafe fn raw(obj: *mut ffi::PyObject, field: &FieldSlot) -> u64 {
    // SAFETY: forwarded from the caller.
    unsafe { *slot(obj, field.offset) }
}

/// True when the field at `offset` holds a value.
///
/// # Safety
/// As for [`peek_at`].
pub unsafe fn is_set_at(obj: *mut ffi::PyObject, offset: isize) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe { *slot(obj, offset) != UNSET_RAW }
}

/// Marks `field` of `obj` unset, releasing an object value.
///
/// # Safety
/// As for [`store`].
pub unsafe fn clear(obj: *mut ffi::PyObject, field: &FieldSlot) {
    // SAFETY: forwarded from the caller.
    unsafe { clear_at(obj, field.kind, field.offset) }
}

/// [`clear`] by kind and offset.
///
/// # Safety
/// As for [`peek_at`].
pub unsafe fn clear_at(obj: *mut ffi::PyObject, kind: Kind, offset: isize) {
    // SAFETY: forwarded from the caller.
    unsafe {
        if kind.is_object() {
            put_object(obj, offset, ptr::null_mut());
        } else {
            put_raw(obj, offset, UNSET_RAW);
        }
    }
}

/// Raises `AttributeError: 'Point3D' object has no attribute 'x'`, as CPython does for an
/// unset slot.
///
/// # Safety
/// The GIL must be held; `obj` and `name` must be live.
pub unsafe fn unset_error(obj: *mut ffi::PyObject, name: *mut ffi::PyObject) {
    // SAFETY: forwarded from the caller.
    unsafe {
        let msg = format!("'{}' object has no attribute '{}'", slot_error_type_name(ffi::Py_TYPE(obj)), text_of(name));
        raise(ffi::PyExc_AttributeError, &msg);
    }
}

/// The class name CPython itself shows for an unset slot: the short name up to 3.12, the fully
/// qualified `module.QualName` (without `builtins.`/`__main__.`) from 3.13.
///
/// # Safety
/// The GIL must be held and `tp` live.
unsafe fn slot_error_type_name(tp: *mut ffi::PyTypeObject) -> String {
    // SAFETY: forwarded from the caller.
    unsafe {
        if ffi::Py_Version < 0x030D_0000 {
            return short_name(tp).to_owned();
        }
        let qual = qualname(tp);
        let module = super::util::Owned::from_new(ffi::PyObject_GetAttrString(tp.cast(), c"__module__".as_ptr()));
        match module {
            Some(m) if ffi::PyUnicode_Check(m.as_ptr()) != 0 => {
                let m = text_of(m.as_ptr());
                if m == "builtins" || m == "__main__" { qual } else { format!("{m}.{qual}") }
            }
            _ => {
                ffi::PyErr_Clear();
                qual
            }
        }
    }
}
