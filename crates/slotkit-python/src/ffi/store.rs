//! Reading and writing one field of an instance, by kind: the checks, the unboxing, and the
//! encoding of "unset". Used by the constructor, the descriptors and `setattr`.

use std::ffi::c_int;
use std::ptr;

use pyo3::ffi;
use slotkit_core::unset::{f64_bits, BOOL_UNSET, F64_UNSET_BITS, I64_UNSET};
use slotkit_core::{Atom, Kind, Scalar};

use super::layout::{FieldSlot, Layout};
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

/// Raises `TypeError: Cls.field expects float, got str`.
///
/// # Safety
/// The GIL must be held; `cls` and `value` must be live.
pub unsafe fn type_error(cls: *mut ffi::PyTypeObject, name: *mut ffi::PyObject, kind: Kind, value: *mut ffi::PyObject) {
    // SAFETY: GIL held and all live (caller).
    unsafe {
        let msg = format!(
            "{}.{} expects {}, got {}",
            qualname(cls),
            text_of(name),
            kind.expected(),
            short_name(ffi::Py_TYPE(value))
        );
        raise(ffi::PyExc_TypeError, &msg);
    }
}

/// Converts `value` for an unboxed field to the bits to store, or raises (`None`).
///
/// # Safety
/// The GIL must be held; `cls`, `name` and `value` must be live.
#[inline]
pub unsafe fn scalar_bits(
    cls: *mut ffi::PyTypeObject,
    name: *mut ffi::PyObject,
    scalar: Scalar,
    value: *mut ffi::PyObject,
) -> Option<u64> {
    // SAFETY: GIL held and `value` live (caller); the PyFloat/PyLong accessors are applied only
    // to objects whose type was just checked.
    unsafe {
        if scalar == Scalar::F64 && ffi::PyFloat_CheckExact(value) != 0 {
            return Some(f64_bits(ffi::PyFloat_AS_DOUBLE(value)));
        }
        if scalar == Scalar::I64 && ffi::PyLong_CheckExact(value) != 0 {
            let mut overflowed: c_int = 0;
            let v = ffi::PyLong_AsLongLongAndOverflow(value, &mut overflowed);
            if overflowed == 0 && v != I64_UNSET && !(v == -1 && !ffi::PyErr_Occurred().is_null()) {
                return Some(v as u64);
            }
        }
        scalar_bits_slow(cls, name, scalar, value)
    }
}

/// The general conversion: subclasses, `int` for `float`, bools, and every error.
///
/// # Safety
/// As for [`scalar_bits`].
#[cold]
unsafe fn scalar_bits_slow(
    cls: *mut ffi::PyTypeObject,
    name: *mut ffi::PyObject,
    scalar: Scalar,
    value: *mut ffi::PyObject,
) -> Option<u64> {
    let kind = Kind::Scalar(scalar);
    // SAFETY: forwarded from the caller; accessors are applied only after the type checks.
    unsafe {
        let is_int = ffi::PyLong_Check(value) != 0 && ffi::PyBool_Check(value) == 0;
        match scalar {
            Scalar::F64 => {
                let v = if ffi::PyFloat_CheckExact(value) != 0 {
                    ffi::PyFloat_AS_DOUBLE(value)
                } else if ffi::PyFloat_Check(value) != 0 {
                    ffi::PyFloat_AsDouble(value)
                } else if is_int {
                    let v = ffi::PyLong_AsDouble(value);
                    if v == -1.0 && !ffi::PyErr_Occurred().is_null() {
                        ffi::PyErr_Clear();
                        overflow(cls, name, value, "is too large for a float field");
                        return None;
                    }
                    v
                } else {
                    type_error(cls, name, kind, value);
                    return None;
                };
                Some(f64_bits(v))
            }
            Scalar::I64 => {
                if !is_int {
                    type_error(cls, name, kind, value);
                    return None;
                }
                let mut overflowed: c_int = 0;
                let v = ffi::PyLong_AsLongLongAndOverflow(value, &mut overflowed);
                if overflowed != 0 || v == I64_UNSET {
                    overflow(cls, name, value, "does not fit an int field (-2**63+1 .. 2**63-1)");
                    return None;
                }
                if v == -1 && !ffi::PyErr_Occurred().is_null() {
                    return None;
                }
                Some(v as u64)
            }
            Scalar::Bool => {
                if value == ffi::Py_True() {
                    Some(1)
                } else if value == ffi::Py_False() {
                    Some(0)
                } else {
                    type_error(cls, name, kind, value);
                    None
                }
            }
        }
    }
}

/// # Safety
/// The GIL must be held; all pointers live.
unsafe fn overflow(cls: *mut ffi::PyTypeObject, name: *mut ffi::PyObject, value: *mut ffi::PyObject, why: &str) {
    // SAFETY: forwarded from the caller.
    unsafe {
        let shown = super::util::repr_of(value).unwrap_or_else(|| {
            ffi::PyErr_Clear();
            "value".to_owned()
        });
        let shown = if shown.len() > 40 { format!("{}...", &shown[..37]) } else { shown };
        let msg = format!("{}.{}: {shown} {why}", qualname(cls), text_of(name));
        raise(ffi::PyExc_OverflowError, &msg);
    }
}

/// True when `value` may be stored in an object field of `kind`.
///
/// # Safety
/// The GIL must be held and `value` live.
#[inline]
pub unsafe fn object_accepts(kind: Kind, value: *mut ffi::PyObject) -> bool {
    let Kind::Atomic { atom, nullable } = kind else {
        return true;
    };
    // SAFETY: GIL held, `value` live (caller); the type objects are static.
    unsafe {
        if nullable && value == ffi::Py_None() {
            return true;
        }
        let tp = ffi::Py_TYPE(value);
        tp == match atom {
            Atom::Str => ptr::addr_of_mut!(ffi::PyUnicode_Type),
            Atom::Bytes => ptr::addr_of_mut!(ffi::PyBytes_Type),
            Atom::Int => ptr::addr_of_mut!(ffi::PyLong_Type),
            Atom::Float => ptr::addr_of_mut!(ffi::PyFloat_Type),
            Atom::Bool => ptr::addr_of_mut!(ffi::PyBool_Type),
        }
    }
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
                put_raw(obj, field.offset, f64_bits(ffi::PyFloat_AS_DOUBLE(value)));
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
            _ => store_slow(obj, field, value),
        }
    }
}

/// [`store`] for every other case, errors included.
///
/// # Safety
/// As for [`store`].
#[cold]
#[inline(never)]
unsafe fn store_slow(obj: *mut ffi::PyObject, field: &FieldSlot, value: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe {
        match field.kind {
            Kind::Scalar(s) => {
                let Some(bits) = scalar_bits(ffi::Py_TYPE(obj), field.name.as_ptr(), s, value) else {
                    return false;
                };
                put_raw(obj, field.offset, bits);
            }
            kind => {
                if !object_accepts(kind, value) {
                    type_error(ffi::Py_TYPE(obj), field.name.as_ptr(), kind, value);
                    return false;
                }
                ffi::Py_INCREF(value);
                put_object(obj, field.offset, value);
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
            Kind::Scalar(Scalar::F64) if bits == F64_UNSET_BITS => ptr::null_mut(),
            Kind::Scalar(Scalar::F64) => ffi::PyFloat_FromDouble(f64::from_bits(bits)),
            Kind::Scalar(Scalar::I64) if bits as i64 == I64_UNSET => ptr::null_mut(),
            Kind::Scalar(Scalar::I64) => ffi::PyLong_FromLongLong(bits as i64),
            Kind::Scalar(Scalar::Bool) if bits == BOOL_UNSET => ptr::null_mut(),
            Kind::Scalar(Scalar::Bool) => ffi::PyBool_FromLong((bits != 0) as std::ffi::c_long),
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
pub unsafe fn is_set_at(obj: *mut ffi::PyObject, kind: Kind, offset: isize) -> bool {
    // SAFETY: forwarded from the caller.
    let bits = unsafe { *slot(obj, offset) };
    match kind {
        Kind::Scalar(Scalar::F64) => bits != F64_UNSET_BITS,
        Kind::Scalar(Scalar::I64) => bits as i64 != I64_UNSET,
        Kind::Scalar(Scalar::Bool) => bits != BOOL_UNSET,
        _ => bits != 0,
    }
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
        match kind {
            Kind::Scalar(Scalar::F64) => put_raw(obj, offset, F64_UNSET_BITS),
            Kind::Scalar(Scalar::I64) => put_raw(obj, offset, I64_UNSET as u64),
            Kind::Scalar(Scalar::Bool) => put_raw(obj, offset, BOOL_UNSET),
            _ => put_object(obj, offset, ptr::null_mut()),
        }
    }
}

/// Writes the unset marker into every unboxed field of a freshly allocated (zeroed) instance.
///
/// # Safety
/// The GIL must be held; `obj` must be a live instance of the class `layout` belongs to.
pub unsafe fn mark_all_unset(obj: *mut ffi::PyObject, layout: &Layout) {
    for f in layout.fields.iter().filter(|f| !f.kind.is_object()) {
        // SAFETY: forwarded from the caller.
        unsafe { clear(obj, f) };
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
