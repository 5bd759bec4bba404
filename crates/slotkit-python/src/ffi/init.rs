//! The generated `__init__`: one object per class, bound to that class's fields, so that
//! `super().__init__(...)` from a subclass runs the base's own constructor (as dataclasses do).
//! It supports vectorcall and acts as a method descriptor.

use std::ffi::{c_int, c_void};
use std::ptr;

use pyo3::ffi;

use super::construct;
use super::layout;
use super::registry;
use super::typespec::{self, slot};
use super::util::{fail, qualname, short_name};

#[repr(C)]
struct InitObj {
    ob_base: ffi::PyObject,
    vectorcall: Option<ffi::vectorcallfunc>,
    /// The class this `__init__` was generated for (strong).
    owner: *mut ffi::PyObject,
}

/// Creates the generated `__init__` for `owner`. Returns a new reference or NULL.
///
/// # Safety
/// The GIL must be held and `owner` a live Record class.
pub unsafe fn new(owner: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: GIL held (caller); the allocation is an InitObj (spec basicsize).
    unsafe {
        let obj = ffi::PyType_GenericAlloc(registry::init_type(), 0);
        if obj.is_null() {
            return obj;
        }
        let this = obj.cast::<InitObj>();
        ffi::Py_INCREF(owner);
        (*this).owner = owner;
        (*this).vectorcall = Some(init_vectorcall);
        obj
    }
}

/// True when `obj` is the generated `__init__` of `cls`.
///
/// # Safety
/// The GIL must be held; both live.
pub unsafe fn is_generated_for(obj: *mut ffi::PyObject, cls: *mut ffi::PyObject) -> bool {
    // SAFETY: the type check guarantees the InitObj layout.
    unsafe { ffi::Py_TYPE(obj) == registry::init_type() && (*obj.cast::<InitObj>()).owner == cls }
}

unsafe extern "C" fn init_vectorcall(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held and vectorcall arguments.
    unsafe {
        let owner = (*callable.cast::<InitObj>()).owner;
        let nargs = ffi::PyVectorcall_NARGS(nargsf) as usize;
        if owner.is_null() {
            return fail(ffi::PyExc_TypeError, "__init__ of a deleted Record class");
        }
        let owner_tp = owner.cast::<ffi::PyTypeObject>();
        if nargs == 0 || ffi::PyObject_TypeCheck(*args, owner_tp) == 0 {
            let got = if nargs == 0 { "nothing".to_owned() } else { format!("a '{}' object", short_name(ffi::Py_TYPE(*args))) };
            let msg = format!("{}.__init__() needs a '{}' instance as self, got {got}", qualname(owner_tp), qualname(owner_tp));
            return fail(ffi::PyExc_TypeError, &msg);
        }
        let Some(layout) = layout::of_class(owner) else {
            return fail(ffi::PyExc_TypeError, "__init__ of a Record class that is being destroyed");
        };
        if !layout::current(owner, layout) {
            return ptr::null_mut();
        }
        let obj = *args;
        if !construct::bind(layout, owner_tp, obj, args.add(1), nargs - 1, kwnames) || !construct::post_init(layout, obj) {
            return ptr::null_mut();
        }
        let none = ffi::Py_None();
        ffi::Py_INCREF(none);
        none
    }
}

unsafe extern "C" fn init_get(this: *mut ffi::PyObject, obj: *mut ffi::PyObject, _tp: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: GIL held; returns a new reference.
    unsafe {
        if obj.is_null() || obj == ffi::Py_None() {
            ffi::Py_INCREF(this);
            return this;
        }
        PyMethod_New(this, obj)
    }
}

extern "C" {
    fn PyMethod_New(func: *mut ffi::PyObject, self_: *mut ffi::PyObject) -> *mut ffi::PyObject;
}

unsafe extern "C" fn init_repr(this: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: GIL held; `this` is an InitObj.
    unsafe {
        let owner = (*this.cast::<InitObj>()).owner;
        let name = if owner.is_null() { "?".to_owned() } else { qualname(owner.cast()) };
        let text = format!("<generated __init__ of {name}>");
        ffi::PyUnicode_FromStringAndSize(text.as_ptr().cast(), text.len() as ffi::Py_ssize_t)
    }
}

unsafe extern "C" fn init_traverse(this: *mut ffi::PyObject, visit: ffi::visitproc, arg: *mut c_void) -> c_int {
    // SAFETY: called by the collector; owner is NULL or live.
    unsafe {
        let owner = (*this.cast::<InitObj>()).owner;
        if !owner.is_null() {
            let r = visit(owner, arg);
            if r != 0 {
                return r;
            }
        }
        visit(ffi::Py_TYPE(this).cast(), arg)
    }
}

unsafe extern "C" fn init_clear(this: *mut ffi::PyObject) -> c_int {
    // SAFETY: GIL held; the pointer is detached before release.
    unsafe {
        let owner = std::mem::replace(&mut (*this.cast::<InitObj>()).owner, ptr::null_mut());
        ffi::Py_XDECREF(owner);
        0
    }
}

unsafe extern "C" fn init_dealloc(this: *mut ffi::PyObject) {
    // SAFETY: refcount reached zero, GIL held; the heap type is released after the free.
    unsafe {
        let tp = ffi::Py_TYPE(this);
        ffi::PyObject_GC_UnTrack(this.cast());
        init_clear(this);
        ffi::PyObject_GC_Del(this.cast());
        ffi::Py_DECREF(tp.cast());
    }
}

/// Creates the generated-`__init__` type. Returns a new reference.
///
/// # Safety
/// The GIL must be held.
pub unsafe fn create() -> *mut ffi::PyTypeObject {
    // SAFETY: GIL held (caller); tables are leaked statics.
    unsafe {
        let members = Box::leak(Box::new([
            ffi::PyMemberDef {
                name: c"__vectorcalloffset__".as_ptr(),
                type_code: ffi::Py_T_PYSSIZET,
                offset: std::mem::offset_of!(InitObj, vectorcall) as ffi::Py_ssize_t,
                flags: ffi::Py_READONLY,
                doc: ptr::null(),
            },
            ffi::PyMemberDef::default(),
        ]));
        typespec::create(
            c"slotkit.GeneratedInit",
            std::mem::size_of::<InitObj>(),
            // Only slotkit creates these (bound to a live class).
            ffi::Py_TPFLAGS_DEFAULT
                | ffi::Py_TPFLAGS_DISALLOW_INSTANTIATION
                | ffi::Py_TPFLAGS_HAVE_GC
                | ffi::Py_TPFLAGS_HAVE_VECTORCALL
                | ffi::Py_TPFLAGS_METHOD_DESCRIPTOR,
            vec![
                slot(ffi::Py_tp_call, ffi::PyVectorcall_Call as *mut c_void),
                slot(ffi::Py_tp_descr_get, init_get as *mut c_void),
                slot(ffi::Py_tp_repr, init_repr as *mut c_void),
                slot(ffi::Py_tp_traverse, init_traverse as *mut c_void),
                slot(ffi::Py_tp_clear, init_clear as *mut c_void),
                slot(ffi::Py_tp_dealloc, init_dealloc as *mut c_void),
                slot(ffi::Py_tp_members, members.as_mut_ptr() as *mut c_void),
            ],
            ptr::null_mut(),
        )
    }
}
