//! The last number an unboxed field read created, kept alive until the next such read.
//!
//! A read of an unboxed `float`/`int` field creates the object it returns, so the caller holds
//! its only reference. orjson's serializer for dataclasses without `__dict__` (orjson 3.11 to
//! 3.13, `serialize_dataclass_inner_fallback`) calls `PyObject_GetAttr(obj, name)`, releases the
//! result at once, and only then writes it: it assumes the object keeps the value alive, as a
//! slot does. Holding one more reference to the last created number until the next unboxed read
//! makes that assumption true for every read orjson makes: it writes each number before its next
//! `getattr`, and writing a number runs no Python code. The previous number is released by the
//! next read instead of by its caller, which moves that deallocation rather than adding one. See
//! docs/ecosystem.md for the measured cost and what this does not cover.
//!
//! A float read reuses the kept float when nothing else holds it any more (reference count 1: the
//! caller has dropped the previous read), writing the new value into it instead of freeing one
//! float and allocating another. No code can observe that: whoever held the old value released
//! it, as CPython's own in-place float operations assume when they reuse an operand with a
//! reference count of 1.
//!
//! One process-wide slot, not one per thread: every access holds the GIL (the module declares
//! `gil_used = true`), and a thread switch cannot happen between a C caller's `getattr` and its
//! use of the value unless that caller runs Python code in between.

use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

use pyo3::ffi;

static LAST: AtomicPtr<ffi::PyObject> = AtomicPtr::new(ptr::null_mut());

/// Keeps a strong reference to `v` and releases the one kept before.
///
/// # Safety
/// The GIL must be held; `v` must be a live exact `float` or `int` (whose deallocation runs no
/// Python code).
#[inline(always)]
pub unsafe fn hold(v: *mut ffi::PyObject) {
    // SAFETY: GIL held (caller), so no other thread touches LAST between the load and the store
    // (plain loads and stores: an atomic swap would be a locked instruction on every read). The
    // old value is an exact float or int that this slot owns; releasing it runs no Python code.
    unsafe {
        ffi::Py_INCREF(v);
        let old = LAST.load(Ordering::Relaxed);
        LAST.store(v, Ordering::Relaxed);
        if !old.is_null() {
            ffi::Py_DECREF(old);
        }
    }
}

/// A float holding `value`, kept as [`hold`] keeps it: the kept float itself when only this slot
/// holds it (its value is overwritten), else a new one. NULL with an error set on failure.
///
/// # Safety
/// The GIL must be held.
#[inline(always)]
pub unsafe fn float(value: f64) -> *mut ffi::PyObject {
    // SAFETY: GIL held (caller). LAST is NULL or an owned exact int or float; with a reference
    // count of 1 this slot is its only owner, so no other code holds it (borrowed references
    // last only while their owner does) and overwriting an exact float's value is unobservable.
    unsafe {
        let last = LAST.load(Ordering::Relaxed);
        if !last.is_null() && ffi::Py_REFCNT(last) == 1 && ffi::Py_TYPE(last) == ptr::addr_of_mut!(ffi::PyFloat_Type) {
            (*last.cast::<ffi::PyFloatObject>()).ob_fval = value;
            ffi::Py_INCREF(last);
            return last;
        }
        let v = ffi::PyFloat_FromDouble(value);
        if !v.is_null() {
            hold(v);
        }
        v
    }
}
