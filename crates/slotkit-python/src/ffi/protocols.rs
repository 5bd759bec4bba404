//! `repr` and `==` of Record instances, field by field.

use std::ptr;

use pyo3::ffi;
use slotkit_core::unset::F64_UNSET_BITS;
use slotkit_core::{Kind, Scalar};

use super::layout;
use super::store;
use super::util::{qualname, repr_of, text_of, Owned};

/// `Point3D(x=1.0, y=2.0, z=<unset>)`; `...` for a record met again while printing itself.
pub unsafe extern "C" fn record_repr(obj: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held and `obj` live.
    unsafe {
        let Some(layout) = layout::of_instance(obj) else {
            let base_repr = (*ptr::addr_of_mut!(ffi::PyBaseObject_Type)).tp_repr.expect("object has tp_repr");
            return base_repr(obj);
        };
        match ffi::Py_ReprEnter(obj) {
            0 => {}
            r if r > 0 => return ffi::PyUnicode_FromString(c"...".as_ptr()),
            _ => return ptr::null_mut(),
        }
        let mut out = qualname(ffi::Py_TYPE(obj));
        out.push('(');
        let mut ok = true;
        for (i, f) in layout.fields.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&text_of(f.name.as_ptr()));
            out.push('=');
            match Owned::from_new(store::peek(obj, f)) {
                None => out.push_str("<unset>"),
                Some(v) => match repr_of(v.as_ptr()) {
                    Some(text) => out.push_str(&text),
                    None => {
                        ok = false;
                        break;
                    }
                },
            }
        }
        ffi::Py_ReprLeave(obj);
        if !ok {
            return ptr::null_mut();
        }
        out.push(')');
        ffi::PyUnicode_FromStringAndSize(out.as_ptr().cast(), out.len() as ffi::Py_ssize_t)
    }
}

/// `==` / `!=` between instances of the same class: field by field, unset equal to unset.
/// Other comparisons and other classes: `NotImplemented`.
pub unsafe extern "C" fn record_richcompare(a: *mut ffi::PyObject, b: *mut ffi::PyObject, op: std::ffi::c_int) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held and both operands live.
    unsafe {
        let not_impl = || {
            let n = ffi::Py_NotImplemented();
            ffi::Py_INCREF(n);
            n
        };
        if (op != ffi::Py_EQ && op != ffi::Py_NE) || ffi::Py_TYPE(a) != ffi::Py_TYPE(b) {
            return not_impl();
        }
        let Some(layout) = layout::of_instance(a) else {
            return not_impl();
        };
        let mut equal = true;
        for f in &layout.fields {
            match fields_equal(a, b, f) {
                Some(true) => {}
                Some(false) => {
                    equal = false;
                    break;
                }
                None => return ptr::null_mut(),
            }
        }
        let result = if (op == ffi::Py_EQ) == equal { ffi::Py_True() } else { ffi::Py_False() };
        ffi::Py_INCREF(result);
        result
    }
}

/// Compares one field of two instances of the same class; `None` when `__eq__` raised.
///
/// # Safety
/// The GIL must be held; `a` and `b` must be live instances of the class owning `f`.
pub unsafe fn fields_equal(a: *mut ffi::PyObject, b: *mut ffi::PyObject, f: &layout::FieldSlot) -> Option<bool> {
    // SAFETY: forwarded; object values are held by strong references while user `__eq__` runs,
    // since it may reassign the fields it is comparing.
    unsafe {
        let (x, y) = (store::raw(a, f), store::raw(b, f));
        match f.kind {
            Kind::Scalar(Scalar::F64) => {
                if x == F64_UNSET_BITS || y == F64_UNSET_BITS {
                    return Some(x == y);
                }
                Some(f64::from_bits(x) == f64::from_bits(y))
            }
            Kind::Scalar(_) => Some(x == y),
            _ => {
                if x == y {
                    return Some(true);
                }
                if x == 0 || y == 0 {
                    return Some(false);
                }
                let xa = Owned::from_borrowed(x as usize as *mut ffi::PyObject);
                let ya = Owned::from_borrowed(y as usize as *mut ffi::PyObject);
                match ffi::PyObject_RichCompareBool(xa.as_ptr(), ya.as_ptr(), ffi::Py_EQ) {
                    r if r < 0 => None,
                    r => Some(r == 1),
                }
            }
        }
    }
}
