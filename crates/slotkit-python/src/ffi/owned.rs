//! Letting the collector see through non-GC records that only a class holds.
//!
//! A non-GC instance is invisible to the cycle collector, and so is its reference to its class.
//! `Point.ORIGIN = Point(0, 0)` makes a cycle class → dict → instance → class that the collector
//! cannot break, so a class created at run time (in a function, a test, a plugin loader) would
//! never be freed. When an instance is held *only* by the class's own dictionary (its reference
//! count equals the number of times it appears there, directly or in tuples held only there),
//! its references are really the class's: the class's `tp_traverse` reports them on its behalf
//! (also for instances in tuples that only the dictionary holds)
//! (the instance's class and its object fields). That accounting is exact, so the collector frees
//! such a class once nothing else refers to it, and keeps it (and the instance) otherwise.
//! Instances held elsewhere too (a list stored on the class, a global) are not reported: then the
//! class stays alive, as before, which is a leak only for classes created at run time.

use std::ffi::{c_int, c_void};
use std::ptr;

use pyo3::ffi;

use super::base;
use super::layout;

/// Visits, for every non-GC Record instance owned only by `cls`'s dictionary, what that
/// instance refers to.
///
/// # Safety
/// Called from `cls`'s `tp_traverse` with the GIL held; `visit` and `arg` from the collector.
pub unsafe fn visit_owned_instances(cls: *mut ffi::PyObject, visit: ffi::visitproc, arg: *mut c_void) -> c_int {
    // SAFETY: the dict is owned by the live class; `PyDict_Next` hands out borrowed references
    // and runs no Python code; nothing here allocates.
    unsafe {
        let dict = (*cls.cast::<ffi::PyTypeObject>()).tp_dict;
        if dict.is_null() {
            return 0;
        }
        let mut pos: ffi::Py_ssize_t = 0;
        let (mut key, mut value) = (ptr::null_mut(), ptr::null_mut());
        while ffi::PyDict_Next(dict, &mut pos, &mut key, &mut value) != 0 {
            // Cheap tests first: most values (functions, descriptors) are neither.
            let candidate = ffi::PyTuple_CheckExact(value) != 0 || is_non_gc_record(value);
            if !candidate || (ffi::Py_REFCNT(value) != 1 && occurrences(dict, value) != ffi::Py_REFCNT(value)) {
                continue;
            }
            let r = visit_owned(value, visit, arg, 0);
            if r != 0 {
                return r;
            }
        }
        0
    }
}

/// True for an instance of a non-GC Record class.
///
/// # Safety
/// GIL held; `obj` live.
#[inline]
unsafe fn is_non_gc_record(obj: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded.
    unsafe {
        let tp = ffi::Py_TYPE(obj);
        (*tp).tp_flags & ffi::Py_TPFLAGS_HAVE_GC == 0 && layout::of_class(tp.cast()).is_some()
    }
}

/// How many values of `dict` are `obj`.
///
/// # Safety
/// GIL held; `dict` a live dict.
unsafe fn occurrences(dict: *mut ffi::PyObject, obj: *mut ffi::PyObject) -> ffi::Py_ssize_t {
    // SAFETY: as for `visit_owned_instances`.
    unsafe {
        let mut pos: ffi::Py_ssize_t = 0;
        let (mut key, mut value) = (ptr::null_mut(), ptr::null_mut());
        let mut n = 0;
        while ffi::PyDict_Next(dict, &mut pos, &mut key, &mut value) != 0 {
            n += (value == obj) as ffi::Py_ssize_t;
        }
        n
    }
}

/// `obj` is owned by the class: report what it refers to if it is a non-GC record, or look
/// inside it if it is a tuple (whose items it then owns when each has no other reference).
///
/// # Safety
/// As for [`visit_owned_instances`].
unsafe fn visit_owned(obj: *mut ffi::PyObject, visit: ffi::visitproc, arg: *mut c_void, depth: u32) -> c_int {
    // SAFETY: forwarded; member definitions are read from each heap type's own allocation.
    unsafe {
        let tp = ffi::Py_TYPE(obj);
        if ffi::PyTuple_CheckExact(obj) != 0 && depth < 4 {
            for i in 0..ffi::PyTuple_GET_SIZE(obj) {
                let item = ffi::PyTuple_GET_ITEM(obj, i);
                if ffi::Py_REFCNT(item) == 1 {
                    let r = visit_owned(item, visit, arg, depth + 1);
                    if r != 0 {
                        return r;
                    }
                }
            }
            return 0;
        }
        if !is_non_gc_record(obj) {
            return 0;
        }
        let r = visit(tp.cast(), arg);
        if r != 0 {
            return r;
        }
        let mut result = 0;
        base::for_each_object_slot(tp, |offset| {
            let v = *obj.cast::<u8>().offset(offset).cast::<*mut ffi::PyObject>();
            if !v.is_null() {
                result = visit(v, arg);
            }
            result == 0
        });
        result
    }
}
