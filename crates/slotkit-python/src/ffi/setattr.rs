//! Attribute writes on classes with checked object fields (`name: str`): the value is checked
//! (and converted, for boxed numbers) and the slot written directly. Only such classes get this
//! `tp_setattro`; reads keep CPython's specialized slot path everywhere, and so do writes on every
//! other class.
//!
//! The member definitions of checked object fields are read-only to CPython (finalize sets
//! `Py_READONLY`), so the member descriptor itself (`P.name.__set__(p, 1)`, `object.__setattr__`)
//! refuses writes: this function is the one way in for instance attribute writes.

use std::ffi::c_int;

use pyo3::ffi;

use super::layout;
use super::store;

/// `tp_setattro` for Record classes with checked object fields.
pub unsafe extern "C" fn checked_setattro(obj: *mut ffi::PyObject, name: *mut ffi::PyObject, value: *mut ffi::PyObject) -> c_int {
    // SAFETY: called by CPython with the GIL held; `obj` live, `name` live, `value` NULL (delete)
    // or live. Nothing reads the layout after `store` (whose slow path pins the class while a
    // conversion runs Python code) or after `clear` (whose released value may run a finalizer).
    unsafe {
        if let Some(layout) = layout::of_instance(obj) {
            if let Some(i) = layout.find(name) {
                let f = &layout.fields[i];
                if f.kind.is_object() {
                    // The field's own member descriptor is what a generic setattr would find
                    // (RecordMeta refuses to rebind a field name on the class, finalize verifies
                    // it), so the slot is written directly, after the check.
                    if !value.is_null() {
                        return if store::store(obj, f, value) { 0 } else { -1 };
                    }
                    if !store::is_set_at(obj, f.offset) {
                        store::unset_error(obj, f.name.as_ptr());
                        return -1;
                    }
                    store::clear(obj, f);
                    return 0;
                }
            }
        }
        ffi::PyObject_GenericSetAttr(obj, name, value)
    }
}
