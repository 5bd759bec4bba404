//! Attribute writes on classes with checked object fields (`name: str`): the value's exact type
//! is checked and the slot written. Only such classes get this `tp_setattro`; reads keep CPython's specialized slot
//! path everywhere, and so do writes on every other class.

use std::ffi::c_int;

use pyo3::ffi;

use super::layout;
use super::store;

/// `tp_setattro` for Record classes with checked object fields.
pub unsafe extern "C" fn checked_setattro(obj: *mut ffi::PyObject, name: *mut ffi::PyObject, value: *mut ffi::PyObject) -> c_int {
    // SAFETY: called by CPython with the GIL held; `obj` live, `name` live, `value` NULL (delete)
    // or live.
    unsafe {
        if !value.is_null() {
            if let Some(layout) = layout::of_instance(obj) {
                if let Some(i) = layout.find(name) {
                    let f = &layout.fields[i];
                    if f.kind.is_object() {
                        // The field's own member descriptor is what a generic setattr would
                        // find (RecordMeta refuses to rebind a field name on the class), so the
                        // slot is written directly, after the check.
                        return if store::store(obj, f, value) { 0 } else { -1 };
                    }
                }
            }
        }
        ffi::PyObject_GenericSetAttr(obj, name, value)
    }
}
