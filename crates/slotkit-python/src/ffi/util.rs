//! Small helpers over the raw C API: owned references, raising errors, type names.

use std::ffi::CStr;
use std::ptr;

use pyo3::ffi;

/// An owned (strong) reference; releases it on drop. The GIL must be held wherever one of these
/// is created, cloned or dropped, which holds for every function of this crate that touches one.
pub struct Owned(*mut ffi::PyObject);

impl Owned {
    /// Takes ownership of a new reference. Returns `None` for NULL (a Python error is set).
    pub fn from_new(ptr: *mut ffi::PyObject) -> Option<Owned> {
        if ptr.is_null() {
            None
        } else {
            Some(Owned(ptr))
        }
    }

    /// Creates a new strong reference to a borrowed, non-NULL object.
    ///
    /// # Safety
    /// `ptr` must point to a live object and the GIL must be held.
    pub unsafe fn from_borrowed(ptr: *mut ffi::PyObject) -> Owned {
        // SAFETY: the caller guarantees `ptr` is live and the GIL is held.
        unsafe { ffi::Py_INCREF(ptr) };
        Owned(ptr)
    }

    pub fn as_ptr(&self) -> *mut ffi::PyObject {
        self.0
    }

    /// Gives the reference to the caller (who must release it).
    pub fn into_ptr(self) -> *mut ffi::PyObject {
        let p = self.0;
        std::mem::forget(self);
        p
    }
}

impl Clone for Owned {
    fn clone(&self) -> Owned {
        // SAFETY: `self.0` is a live object we hold a reference to; the GIL is held (type docs).
        unsafe { Owned::from_borrowed(self.0) }
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        // SAFETY: we own one reference to a live object and the GIL is held (type docs).
        unsafe { ffi::Py_DECREF(self.0) };
    }
}

/// Sets a Python exception of type `exc` with message `msg`.
///
/// # Safety
/// The GIL must be held and `exc` must be an exception class.
pub unsafe fn raise(exc: *mut ffi::PyObject, msg: &str) {
    // SAFETY: GIL held (caller); the pointer/length pair describes valid UTF-8 owned by `msg`.
    unsafe {
        let text = ffi::PyUnicode_FromStringAndSize(msg.as_ptr().cast(), msg.len() as ffi::Py_ssize_t);
        if !text.is_null() {
            ffi::PyErr_SetObject(exc, text);
            ffi::Py_DECREF(text);
        }
    }
}

/// Raises and returns NULL, for `return fail(...)` in functions returning an object.
///
/// # Safety
/// As for [`raise`].
pub unsafe fn fail(exc: *mut ffi::PyObject, msg: &str) -> *mut ffi::PyObject {
    // SAFETY: forwarded from the caller.
    unsafe { raise(exc, msg) };
    ptr::null_mut()
}

/// A `str` object's text, or a placeholder when it is not a str or cannot be encoded.
///
/// # Safety
/// The GIL must be held and `obj` must be a live object.
pub unsafe fn text_of(obj: *mut ffi::PyObject) -> String {
    // SAFETY: GIL held and `obj` live (caller); AsUTF8AndSize returns a buffer owned by `obj`,
    // valid while `obj` is, which outlives the copy made here.
    unsafe {
        if ffi::PyUnicode_Check(obj) == 0 {
            return "<?>".to_owned();
        }
        let mut len: ffi::Py_ssize_t = 0;
        let data = ffi::PyUnicode_AsUTF8AndSize(obj, &mut len);
        if data.is_null() {
            ffi::PyErr_Clear();
            return "<?>".to_owned();
        }
        let bytes = std::slice::from_raw_parts(data.cast::<u8>(), len as usize);
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// `repr(obj)` as a Rust string, or `None` with the Python error left set.
///
/// # Safety
/// The GIL must be held and `obj` must be a live object.
pub unsafe fn repr_of(obj: *mut ffi::PyObject) -> Option<String> {
    // SAFETY: GIL held and `obj` live (caller); the result is owned and released by `Owned`.
    unsafe {
        let r = Owned::from_new(ffi::PyObject_Repr(obj))?;
        Some(text_of(r.as_ptr()))
    }
}

/// A type's `__qualname__` for messages (`Point3D`, `Outer.Inner`).
///
/// # Safety
/// The GIL must be held and `tp` must be a live type.
pub unsafe fn qualname(tp: *mut ffi::PyTypeObject) -> String {
    // SAFETY: GIL held and `tp` live (caller); the new reference is released by `Owned`.
    unsafe {
        match Owned::from_new(ffi::PyType_GetQualName(tp)) {
            Some(name) => text_of(name.as_ptr()),
            None => {
                ffi::PyErr_Clear();
                short_name(tp).to_owned()
            }
        }
    }
}

/// The last dotted component of a type's `tp_name` (`str`, `int`, `Point3D`).
///
/// # Safety
/// `tp` must be a live type (its `tp_name` is a NUL-terminated string it owns).
pub unsafe fn short_name<'a>(tp: *mut ffi::PyTypeObject) -> &'a str {
    // SAFETY: every type has a valid NUL-terminated tp_name living as long as the type.
    let full = unsafe { CStr::from_ptr((*tp).tp_name) }.to_str().unwrap_or("?");
    full.rsplit('.').next().unwrap_or(full)
}

/// Compares an attribute name with a field name: pointer equality first (both are usually
/// interned), then by value.
///
/// # Safety
/// The GIL must be held; both must be live objects and `field` a str.
#[inline]
pub unsafe fn same_name(name: *mut ffi::PyObject, field: *mut ffi::PyObject) -> bool {
    if name == field {
        return true;
    }
    // SAFETY: GIL held, both live (caller). PyUnicode_Compare on a non-str sets an error only
    // when types mismatch, which the check rules out.
    unsafe { ffi::PyUnicode_Check(name) != 0 && ffi::PyUnicode_Compare(name, field) == 0 }
}
