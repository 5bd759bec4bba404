//! Freeing non-GC Record instances without recursing without bound.
//!
//! CPython's trashcan, which turns deep deallocation chains (a list of lists of lists...) into a
//! loop, only serves GC objects. A non-GC record can still sit in a chain: a `gc=False` linked
//! list, or any record whose object field holds the next one. Past `MAX_DEPTH` nested
//! deallocations on this thread, a record is parked on a per-thread list and freed by the
//! outermost call, so the stack stays bounded whatever the chain's length.

use std::cell::{Cell, RefCell};

use pyo3::ffi;

use super::base;

/// Nested non-GC deallocations before further ones are deferred (CPython's trashcan uses 50).
const MAX_DEPTH: u32 = 50;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    static PARKED: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
    /// `PARKED` is not empty (read on every outermost deallocation, without borrowing it).
    static ANY_PARKED: Cell<bool> = const { Cell::new(false) };
}

/// Deallocates a non-GC instance whose refcount reached zero (or parks it for the outermost
/// call to free).
///
/// # Safety
/// GIL held; `obj` has refcount zero and a non-GC Record class.
pub unsafe fn non_gc(obj: *mut ffi::PyObject) {
    let depth = DEPTH.get();
    if depth >= MAX_DEPTH {
        PARKED.with_borrow_mut(|p| p.push(obj as usize));
        ANY_PARKED.set(true);
        return;
    }
    DEPTH.set(depth + 1);
    // SAFETY: forwarded from the caller.
    unsafe { free_one(obj) };
    if depth == 0 && ANY_PARKED.get() {
        // The outermost call frees what deeper ones parked; each may park more, one level down.
        while let Some(next) = PARKED.with_borrow_mut(Vec::pop) {
            // SAFETY: a parked object had refcount zero and nothing else refers to it.
            unsafe { free_one(next as *mut ffi::PyObject) };
        }
        ANY_PARKED.set(false);
    }
    DEPTH.set(depth);
}

/// # Safety
/// As for [`non_gc`].
unsafe fn free_one(obj: *mut ffi::PyObject) {
    // SAFETY: forwarded; a resurrected object is left alone.
    unsafe {
        if base::finalize(obj) {
            base::release(obj);
        }
    }
}
