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
