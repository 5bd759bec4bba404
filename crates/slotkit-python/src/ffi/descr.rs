//! slotkit's field descriptor: checks (and converts) on write, knows "unset", supports `del`.
//!
//! Every unboxed field (`f64`, `i64`, `bool`) has one: CPython's typed member descriptors accept
//! anything with `__float__`, clobber the slot on a failed write and cannot be unset. Checked
//! object fields (`str`, `bytes`, boxed numbers) get one in the classes whose writes do not all go
//! through slotkit's checked `tp_setattro` (frozen classes, classes with a `__setattr__` of their
//! own), so that `object.__setattr__` and `super().__setattr__` are checked there too; elsewhere
//! they keep CPython's member descriptor (made read-only), whose reads are specialized.

use std::ffi::{c_int, c_void};
use std::ptr;

use pyo3::ffi;
use slotkit_core::unset::{decode_f64, UNSET_RAW};
use slotkit_core::{Kind, Scalar};

use super::keep_alive;
use super::registry;
use super::typespec::{self, slot};
use super::convert::{self, Source};
use super::store;
use super::util::{fail, raise, short_name, text_of};

#[repr(C)]
pub struct FieldDescr {
    ob_base: ffi::PyObject,
    /// The class whose instances are known to have this slot (strong): the class that declared
    /// the field, or the subclass this descriptor was installed on.
    owner: *mut ffi::PyTypeObject,
    /// The field name (strong, a str).
    name: *mut ffi::PyObject,
    kind: Kind,
    offset: isize,
}

/// Creates a descriptor for field `name` of `owner`. Returns a new reference or NULL.
///
/// # Safety
/// The GIL must be held; `owner` must be a Record class whose instances have a slot of `kind`
/// at `offset`, and `name` a str.
pub unsafe fn new(owner: *mut ffi::PyTypeObject, name: *mut ffi::PyObject, kind: Kind, offset: isize) -> *mut ffi::PyObject {
    // SAFETY: GIL held (caller); the allocation is a FieldDescr (basicsize from the spec).
    unsafe {
        let tp = registry::descr_type();
        let obj = ffi::PyType_GenericAlloc(tp, 0);
        if obj.is_null() {
            return obj;
        }
        let d = obj.cast::<FieldDescr>();
        ffi::Py_INCREF(owner.cast());
        ffi::Py_INCREF(name);
        (*d).owner = owner;
        (*d).name = name;
        (*d).kind = kind;
        (*d).offset = offset;
        obj
    }
}

/// Checks that `obj` is an instance of the owner class (anything else lacks the slot).
///
/// # Safety
/// The GIL must be held; `d` and `obj` live.
#[inline(always)]
unsafe fn check_instance(d: *mut FieldDescr, obj: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded from the caller. A cleared descriptor (NULL owner) fails the fast test
    // and is refused by the slow one.
    unsafe { ffi::Py_TYPE(obj) == (*d).owner || check_instance_slow(d, obj) }
}

/// [`check_instance`] for subclass instances and for the error.
///
/// # Safety
/// As for [`check_instance`].
#[cold]
#[inline(never)]
unsafe fn check_instance_slow(d: *mut FieldDescr, obj: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe {
        if (*d).owner.is_null() || (*d).name.is_null() {
            raise(ffi::PyExc_TypeError, "this field descriptor was cleared and no longer applies");
            return false;
        }
        if ffi::PyType_IsSubtype(ffi::Py_TYPE(obj), (*d).owner) != 0 {
            return true;
        }
        let msg = format!(
            "descriptor '{}' for '{}' objects doesn't apply to a '{}' object",
            text_of((*d).name),
            short_name((*d).owner),
            short_name(ffi::Py_TYPE(obj))
        );
        raise(ffi::PyExc_TypeError, &msg);
        false
    }
}

unsafe extern "C" fn descr_get(this: *mut ffi::PyObject, obj: *mut ffi::PyObject, _tp: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held; `this` is a FieldDescr.
    unsafe {
        let d = this.cast::<FieldDescr>();
        if obj.is_null() || obj == ffi::Py_None() {
            ffi::Py_INCREF(this);
            return this;
        }
        if !check_instance(d, obj) {
            return ptr::null_mut();
        }
        // Unboxed numbers are created here; keep_alive holds the last one (see there: orjson).
        let (kind, offset) = ((*d).kind, (*d).offset);
        let v = match kind {
            Kind::Scalar(Scalar::F64) => match store::raw_at(obj, offset) {
                UNSET_RAW => ptr::null_mut(),
                bits => keep_alive::float(decode_f64(bits)),
            },
            Kind::Scalar(Scalar::I64) => {
                let v = store::peek_at(obj, kind, offset);
                if !v.is_null() {
                    keep_alive::hold(v);
                }
                v
            }
            _ => store::peek_at(obj, kind, offset),
        };
        if v.is_null() {
            store::unset_error(obj, (*d).name);
        }
        v
    }
}

unsafe extern "C" fn descr_set(this: *mut ffi::PyObject, obj: *mut ffi::PyObject, value: *mut ffi::PyObject) -> c_int {
    // SAFETY: called by CPython with the GIL held; `this` is a FieldDescr; `obj` live.
    unsafe {
        let d = this.cast::<FieldDescr>();
        if !check_instance(d, obj) {
            return -1;
        }
        let (kind, offset) = ((*d).kind, (*d).offset);
        if value.is_null() {
            if !store::is_set_at(obj, offset) {
                store::unset_error(obj, (*d).name);
                return -1;
            }
            store::clear_at(obj, kind, offset);
            return 0;
        }
        // The caller (CPython's setattr, or `descr.__set__`) holds this descriptor, and the
        // descriptor holds its owner, so `offset` stays valid for `obj` while a conversion runs.
        match kind {
            Kind::Scalar(s) => match convert::scalar_bits(ffi::Py_TYPE(obj), (*d).name, s, value) {
                Some(bits) => {
                    store::put_raw(obj, offset, bits);
                    0
                }
                None => -1,
            },
            kind => {
                let v = convert::object_value(ffi::Py_TYPE(obj), (*d).name, kind, value, Source::Value);
                if v.is_null() {
                    return -1;
                }
                store::put_object(obj, offset, v);
                0
            }
        }
    }
}

unsafe extern "C" fn descr_repr(this: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: GIL held; `this` is a FieldDescr.
    unsafe {
        let d = this.cast::<FieldDescr>();
        if (*d).owner.is_null() || (*d).name.is_null() {
            return ffi::PyUnicode_FromString(c"<cleared slotkit field>".as_ptr());
        }
        let text = format!("<field '{}' ({}) of '{}' objects>", text_of((*d).name), (*d).kind.code(), short_name((*d).owner));
        ffi::PyUnicode_FromStringAndSize(text.as_ptr().cast(), text.len() as ffi::Py_ssize_t)
    }
}

unsafe extern "C" fn descr_traverse(this: *mut ffi::PyObject, visit: ffi::visitproc, arg: *mut c_void) -> c_int {
    // SAFETY: called by the collector; fields are NULL or live.
    unsafe {
        let d = this.cast::<FieldDescr>();
        for p in [(*d).owner.cast::<ffi::PyObject>(), (*d).name] {
            if !p.is_null() {
                let r = visit(p, arg);
                if r != 0 {
                    return r;
                }
            }
        }
        visit(ffi::Py_TYPE(this).cast(), arg)
    }
}

unsafe extern "C" fn descr_clear(this: *mut ffi::PyObject) -> c_int {
    // SAFETY: GIL held; pointers are swapped to NULL before release.
    unsafe {
        let d = this.cast::<FieldDescr>();
        let owner = std::mem::replace(&mut (*d).owner, ptr::null_mut());
        let name = std::mem::replace(&mut (*d).name, ptr::null_mut());
        ffi::Py_XDECREF(owner.cast());
        ffi::Py_XDECREF(name);
        0
    }
}

unsafe extern "C" fn descr_dealloc(this: *mut ffi::PyObject) {
    // SAFETY: refcount reached zero, GIL held; the heap type is released after the free.
    unsafe {
        let tp = ffi::Py_TYPE(this);
        ffi::PyObject_GC_UnTrack(this.cast());
        descr_clear(this);
        ffi::PyObject_GC_Del(this.cast());
        ffi::Py_DECREF(tp.cast());
    }
}

unsafe extern "C" fn get_name(this: *mut ffi::PyObject, _: *mut c_void) -> *mut ffi::PyObject {
    // SAFETY: GIL held; `this` is a FieldDescr.
    unsafe {
        let name = (*this.cast::<FieldDescr>()).name;
        if name.is_null() {
            return fail(ffi::PyExc_AttributeError, "descriptor was cleared");
        }
        ffi::Py_INCREF(name);
        name
    }
}

unsafe extern "C" fn get_objclass(this: *mut ffi::PyObject, _: *mut c_void) -> *mut ffi::PyObject {
    // SAFETY: GIL held; `this` is a FieldDescr.
    unsafe {
        let owner = (*this.cast::<FieldDescr>()).owner.cast::<ffi::PyObject>();
        if owner.is_null() {
            return fail(ffi::PyExc_AttributeError, "descriptor was cleared");
        }
        ffi::Py_INCREF(owner);
        owner
    }
}

/// Creates the descriptor type. Returns a new reference.
///
/// # Safety
/// The GIL must be held.
pub unsafe fn create() -> *mut ffi::PyTypeObject {
    // SAFETY: GIL held (caller); tables are leaked statics.
    unsafe {
        let getset = Box::leak(Box::new([
            ffi::PyGetSetDef { name: c"__name__".as_ptr(), get: Some(get_name), set: None, doc: ptr::null(), closure: ptr::null_mut() },
            ffi::PyGetSetDef { name: c"__objclass__".as_ptr(), get: Some(get_objclass), set: None, doc: ptr::null(), closure: ptr::null_mut() },
            ffi::PyGetSetDef { name: ptr::null(), get: None, set: None, doc: ptr::null(), closure: ptr::null_mut() },
        ]));
        typespec::create(
            c"slotkit.UnboxedField",
            std::mem::size_of::<FieldDescr>(),
            // Only slotkit creates these (with a live owner and name).
            ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_HAVE_GC | ffi::Py_TPFLAGS_DISALLOW_INSTANTIATION,
            vec![
                slot(ffi::Py_tp_descr_get, descr_get as *mut c_void),
                slot(ffi::Py_tp_descr_set, descr_set as *mut c_void),
                slot(ffi::Py_tp_repr, descr_repr as *mut c_void),
                slot(ffi::Py_tp_traverse, descr_traverse as *mut c_void),
                slot(ffi::Py_tp_clear, descr_clear as *mut c_void),
                slot(ffi::Py_tp_dealloc, descr_dealloc as *mut c_void),
                slot(ffi::Py_tp_getset, getset.as_mut_ptr() as *mut c_void),
            ],
            ptr::null_mut(),
        )
    }
}

/// The owner, kind and offset of a slotkit field descriptor, or `None` for any other object.
///
/// # Safety
/// The GIL must be held and `obj` live.
pub unsafe fn field_slot(obj: *mut ffi::PyObject) -> Option<(*mut ffi::PyTypeObject, Kind, isize)> {
    // SAFETY: the exact type check guarantees the FieldDescr layout.
    unsafe {
        (ffi::Py_TYPE(obj) == registry::descr_type()).then(|| {
            let d = obj.cast::<FieldDescr>();
            ((*d).owner, (*d).kind, (*d).offset)
        })
    }
}
