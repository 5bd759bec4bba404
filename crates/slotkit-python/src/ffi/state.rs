//! An instance's field values as a tuple, and back: what pickling, copying and `replace` use.
//! Unset fields travel as a marker object chosen by the caller.

use std::ptr;

use pyo3::ffi;

use super::base;
use super::layout;
use super::store;
use super::util::{fail, qualname, Owned};

/// A new instance of `cls` with every field unset (zeroed memory), `__new__` and `__init__`
/// not run. Returns a new reference or NULL with an error set.
///
/// # Safety
/// The GIL must be held; `cls` live.
pub unsafe fn new_instance(cls: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: forwarded; the type checks come before the allocation.
    unsafe {
        if ffi::PyType_Check(cls) == 0 || layout::of_class(cls).is_none() {
            return fail(ffi::PyExc_TypeError, "new_instance() needs a finished slotkit Record class");
        }
        let tp = cls.cast::<ffi::PyTypeObject>();
        if !base::check_concrete(tp) {
            return ptr::null_mut();
        }
        base::alloc(tp)
    }
}

/// [`set`] for a new instance only: refused when any field is already set.
///
/// # Safety
/// As for [`set`].
pub unsafe fn restore(obj: *mut ffi::PyObject, values: *mut ffi::PyObject, unset: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded.
    unsafe {
        let Some(layout) = layout::pin_instance(obj) else {
            ffi::PyErr_SetString(ffi::PyExc_TypeError, c"not a slotkit Record instance".as_ptr());
            return false;
        };
        if layout.fields.iter().any(|f| store::is_set_at(obj, f.offset)) {
            let msg = format!(
                "{}.__setstate__() restores a new, empty instance only (as pickle and copy create); \
                 use slotkit.replace() to change a record",
                qualname(ffi::Py_TYPE(obj))
            );
            super::util::raise(ffi::PyExc_TypeError, &msg);
            return false;
        }
        set(obj, values, unset)
    }
}

/// Returns a new tuple of `obj`'s field values in layout order, `unset` standing for unset ones.
///
/// # Safety
/// The GIL must be held; both pointers live.
pub unsafe fn get(obj: *mut ffi::PyObject, unset: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: forwarded; values are new references stolen by the tuple.
    unsafe {
        let Some(layout) = layout::pin_instance(obj) else {
            return fail(ffi::PyExc_TypeError, "not a slotkit Record instance");
        };
        let Some(out) = Owned::from_new(ffi::PyTuple_New(layout.fields.len() as ffi::Py_ssize_t)) else {
            return ptr::null_mut();
        };
        for (i, f) in layout.fields.iter().enumerate() {
            let mut v = store::peek(obj, f);
            if v.is_null() {
                ffi::Py_INCREF(unset);
                v = unset;
            }
            ffi::PyTuple_SET_ITEM(out.as_ptr(), i as ffi::Py_ssize_t, v);
        }
        out.into_ptr()
    }
}

/// Sets every field of `obj` from `values` (a tuple in layout order; `unset` unsets a field),
/// checking each value as the constructor does. Frozen classes are written too: this is how a
/// record is rebuilt. Returns false with an error set.
///
/// # Safety
/// The GIL must be held; all pointers live.
pub unsafe fn set(obj: *mut ffi::PyObject, values: *mut ffi::PyObject, unset: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded; tuple items are borrowed while the tuple is held by the caller.
    unsafe {
        let Some(layout) = layout::pin_instance(obj) else {
            ffi::PyErr_SetString(ffi::PyExc_TypeError, c"not a slotkit Record instance".as_ptr());
            return false;
        };
        if ffi::PyTuple_Check(values) == 0 || ffi::PyTuple_GET_SIZE(values) as usize != layout.fields.len() {
            let msg = format!(
                "{} state must be a tuple of {} values",
                qualname(ffi::Py_TYPE(obj)),
                layout.fields.len()
            );
            super::util::raise(ffi::PyExc_TypeError, &msg);
            return false;
        }
        for (i, f) in layout.fields.iter().enumerate() {
            let v = ffi::PyTuple_GET_ITEM(values, i as ffi::Py_ssize_t);
            if v == unset {
                store::clear(obj, f);
            } else if !store::store(obj, f, v) {
                return false;
            }
        }
        true
    }
}
