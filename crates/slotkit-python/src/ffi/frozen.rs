//! `frozen=True`: instances refuse assignment and deletion of any attribute, the way frozen
//! dataclasses do. The generated `__init__` and unpickling write fields directly, below this.

use std::ffi::c_int;
use std::sync::atomic::{AtomicPtr, Ordering};

use pyo3::ffi;

use super::util::{raise, text_of};

static FROZEN_ERROR: AtomicPtr<ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());

/// `slotkit.FrozenInstanceError`, a subclass of `AttributeError`.
pub fn error_type() -> *mut ffi::PyObject {
    FROZEN_ERROR.load(Ordering::Relaxed)
}

/// Creates the exception class. Returns a new reference (kept by the module) or NULL.
///
/// # Safety
/// The GIL must be held.
pub unsafe fn create_error() -> *mut ffi::PyObject {
    // SAFETY: GIL held (caller); the class is stored and never released.
    unsafe {
        let exc = ffi::PyErr_NewExceptionWithDoc(
            c"slotkit.FrozenInstanceError".as_ptr(),
            c"Raised when assigning to or deleting an attribute of a frozen Record.".as_ptr(),
            ffi::PyExc_AttributeError,
            std::ptr::null_mut(),
        );
        FROZEN_ERROR.store(exc, Ordering::Relaxed);
        exc
    }
}

/// `tp_setattro` of frozen Record classes.
pub unsafe extern "C" fn frozen_setattro(_obj: *mut ffi::PyObject, name: *mut ffi::PyObject, value: *mut ffi::PyObject) -> c_int {
    // SAFETY: called by CPython with the GIL held; `name` live.
    unsafe {
        let verb = if value.is_null() { "delete" } else { "assign to" };
        raise(error_type(), &format!("cannot {verb} field '{}'", text_of(name)));
    }
    -1
}
