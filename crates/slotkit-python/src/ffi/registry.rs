//! The native types this module creates once at import, and the class-body hook set by Python.

use std::sync::atomic::{AtomicPtr, Ordering};

use pyo3::ffi;

static META: AtomicPtr<ffi::PyTypeObject> = AtomicPtr::new(std::ptr::null_mut());
static BASE: AtomicPtr<ffi::PyTypeObject> = AtomicPtr::new(std::ptr::null_mut());
static INIT: AtomicPtr<ffi::PyTypeObject> = AtomicPtr::new(std::ptr::null_mut());
static DESCR: AtomicPtr<ffi::PyTypeObject> = AtomicPtr::new(std::ptr::null_mut());
static BUILDER: AtomicPtr<ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());
static POST_INIT: AtomicPtr<ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());
static INIT_NAME: AtomicPtr<ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());

/// The interned string `"__init__"` (created at import, never released).
pub fn init_name() -> *mut ffi::PyObject {
    INIT_NAME.load(Ordering::Relaxed)
}

/// The interned string `"__post_init__"` (created at import, never released).
pub fn post_init_name() -> *mut ffi::PyObject {
    POST_INIT.load(Ordering::Relaxed)
}

/// Creates the interned names used on hot paths. Returns false with an error set.
///
/// # Safety
/// The GIL must be held.
pub unsafe fn intern_names() -> bool {
    // SAFETY: GIL held (caller); the new references are kept for the life of the process.
    let (post, init) = unsafe {
        (ffi::PyUnicode_InternFromString(c"__post_init__".as_ptr()), ffi::PyUnicode_InternFromString(c"__init__".as_ptr()))
    };
    POST_INIT.store(post, Ordering::Relaxed);
    INIT_NAME.store(init, Ordering::Relaxed);
    !post.is_null() && !init.is_null()
}

/// `RecordMeta`: the metaclass of every Record class.
pub fn meta_type() -> *mut ffi::PyTypeObject {
    META.load(Ordering::Relaxed)
}

/// `_RecordBase`: the root of every Record class (owns `tp_new`, dealloc, repr, eq).
pub fn base_type() -> *mut ffi::PyTypeObject {
    BASE.load(Ordering::Relaxed)
}

/// The type of generated `__init__` objects.
pub fn init_type() -> *mut ffi::PyTypeObject {
    INIT.load(Ordering::Relaxed)
}

/// The type of unboxed-field descriptors.
pub fn descr_type() -> *mut ffi::PyTypeObject {
    DESCR.load(Ordering::Relaxed)
}

/// The Python function that prepares a class body (`slotkit._build.prepare`), borrowed.
pub fn builder() -> *mut ffi::PyObject {
    BUILDER.load(Ordering::Relaxed)
}

/// Stores the types created at module init. Each keeps the module's strong reference forever
/// (the module is never unloaded), so the stored pointers stay valid.
pub fn set_types(
    meta: *mut ffi::PyTypeObject,
    base: *mut ffi::PyTypeObject,
    init: *mut ffi::PyTypeObject,
    descr: *mut ffi::PyTypeObject,
) {
    META.store(meta, Ordering::Relaxed);
    BASE.store(base, Ordering::Relaxed);
    INIT.store(init, Ordering::Relaxed);
    DESCR.store(descr, Ordering::Relaxed);
}

static SUBTYPE_DEALLOC: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Records the deallocator CPython gives classes written in Python (`subtype_dealloc`), read off
/// a probe class at import.
pub fn set_subtype_dealloc(f: usize) {
    SUBTYPE_DEALLOC.store(f, Ordering::Relaxed);
}

/// True when `tp` is `object`, slotkit's root, a Record class, a class written in Python (its
/// instances are freed by CPython's generic deallocator or slotkit's), or a type that adds no
/// instance state to `object` (`typing.Generic`, written in C from 3.12): every base a Record
/// can extend. Other built-in and extension types lay out and free their instances with C code
/// of their own.
///
/// # Safety
/// GIL held; `tp` a live type.
pub unsafe fn is_python_class(tp: *mut ffi::PyTypeObject) -> bool {
    // SAFETY: forwarded; deallocators are compared as addresses.
    unsafe {
        if tp == std::ptr::addr_of_mut!(ffi::PyBaseObject_Type) || tp == base_type() {
            return true;
        }
        let dealloc = (*tp).tp_dealloc.map_or(0, |f| f as usize);
        let object = std::ptr::addr_of_mut!(ffi::PyBaseObject_Type);
        let adds_nothing = (*tp).tp_basicsize == (*object).tp_basicsize
            && (*tp).tp_itemsize == 0
            && (*tp).tp_dictoffset == 0
            && (*tp).tp_weaklistoffset == 0;
        adds_nothing
            || ((*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE != 0
                && (dealloc == SUBTYPE_DEALLOC.load(Ordering::Relaxed)
                    || dealloc == super::base::record_dealloc as *const () as usize))
    }
}

static FINISHER: AtomicPtr<ffi::PyObject> = AtomicPtr::new(std::ptr::null_mut());

/// The Python function run on each finished class (`slotkit._build.finish`), borrowed.
pub fn finisher() -> *mut ffi::PyObject {
    FINISHER.load(Ordering::Relaxed)
}

/// Sets the class-body hooks, taking new strong references and releasing previous ones.
///
/// # Safety
/// The GIL must be held and both must be live objects.
pub unsafe fn set_builder(prepare: *mut ffi::PyObject, finish: *mut ffi::PyObject) {
    // SAFETY: GIL held, both live (caller); old pointers were stored with strong refs.
    unsafe {
        for (slot, func) in [(&BUILDER, prepare), (&FINISHER, finish)] {
            ffi::Py_INCREF(func);
            let old = slot.swap(func, Ordering::Relaxed);
            if !old.is_null() {
                ffi::Py_DECREF(old);
            }
        }
    }
}
