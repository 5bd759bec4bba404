//! Creating slotkit's native types from slot tables (`PyType_FromSpecWithBases`).

use std::ffi::{c_int, c_ulong, c_void, CStr};
use std::ptr;

use pyo3::ffi;

/// One `PyType_Slot` entry.
pub fn slot(id: c_int, pfunc: *mut c_void) -> ffi::PyType_Slot {
    ffi::PyType_Slot { slot: id, pfunc }
}

/// Creates a type named `name` with `slots`, instances of `basicsize` bytes and `flags`,
/// deriving from `base` (`object` when NULL). Returns a new reference, or NULL with an error set.
///
/// The spec and slot table are leaked on purpose: CPython keeps pointers into them (the name,
/// member and getset tables) for the life of the type, and these types live as long as the
/// process.
///
/// # Safety
/// The GIL must be held; every slot must have the signature CPython expects for its id; `base`
/// must be NULL or a live type.
pub unsafe fn create(
    name: &'static CStr,
    basicsize: usize,
    flags: c_ulong,
    mut slots: Vec<ffi::PyType_Slot>,
    base: *mut ffi::PyTypeObject,
) -> *mut ffi::PyTypeObject {
    slots.push(slot(0, ptr::null_mut()));
    let slots: &'static mut [ffi::PyType_Slot] = Box::leak(slots.into_boxed_slice());
    let spec = Box::leak(Box::new(ffi::PyType_Spec {
        name: name.as_ptr(),
        basicsize: basicsize as c_int,
        itemsize: 0,
        flags: flags as _,
        slots: slots.as_mut_ptr(),
    }));
    // SAFETY: GIL held (caller); the spec is 'static; `bases` is released after use.
    unsafe {
        if base.is_null() {
            return ffi::PyType_FromSpec(spec).cast();
        }
        let bases = ffi::PyTuple_Pack(1, base.cast::<ffi::PyObject>());
        if bases.is_null() {
            return ptr::null_mut();
        }
        let created = ffi::PyType_FromSpecWithBases(spec, bases);
        ffi::Py_DECREF(bases);
        created.cast()
    }
}
