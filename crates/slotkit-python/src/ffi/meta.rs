//! `RecordMeta`: the native metaclass. It lets `type.__new__` lay out each class from the
//! namespace `slotkit._build.prepare` returns, finishes the layout (`finalize`), keeps the
//! per-class `Layout` after CPython's type struct, gives every class the vectorcall
//! constructor, and keeps the constructor fast path honest when dunders are reassigned.

use std::ffi::{c_int, c_void};
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

use pyo3::ffi;

use super::layout;
use super::registry;
use super::typespec::{self, slot};
use super::util::{fail, raise, Owned};

fn type_type() -> *mut ffi::PyTypeObject {
    ptr::addr_of_mut!(ffi::PyType_Type)
}

/// `RecordMeta.__new__(mcls, name, bases, ns, **kwds)`.
unsafe extern "C" fn meta_new(
    mcls: *mut ffi::PyTypeObject,
    args: *mut ffi::PyObject,
    kwds: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held; args is a tuple, kwds NULL or a dict. Every
    // new reference is held by an `Owned` until handed back.
    unsafe {
        let type_new = (*type_type()).tp_new.expect("type has tp_new");
        let well_formed = ffi::PyTuple_GET_SIZE(args) == 3
            && ffi::PyUnicode_Check(ffi::PyTuple_GET_ITEM(args, 0)) != 0
            && ffi::PyTuple_Check(ffi::PyTuple_GET_ITEM(args, 1)) != 0
            && ffi::PyDict_Check(ffi::PyTuple_GET_ITEM(args, 2)) != 0;
        if !well_formed {
            // `RecordMeta(obj)` and malformed calls: let type.__new__ answer as it does.
            return type_new(mcls, args, kwds);
        }
        let builder = registry::builder();
        if builder.is_null() {
            return fail(ffi::PyExc_TypeError, "slotkit is not initialised: import slotkit first");
        }
        let Some(kw) = Owned::from_new(if kwds.is_null() { ffi::PyDict_New() } else { ffi::PyDict_Copy(kwds) }) else {
            return ptr::null_mut();
        };
        let call_args = [
            mcls.cast::<ffi::PyObject>(),
            ffi::PyTuple_GET_ITEM(args, 0),
            ffi::PyTuple_GET_ITEM(args, 1),
            ffi::PyTuple_GET_ITEM(args, 2),
            kw.as_ptr(),
        ];
        let Some(prepared) = Owned::from_new(ffi::PyObject_Vectorcall(builder, call_args.as_ptr(), 5, ptr::null_mut())) else {
            return ptr::null_mut();
        };
        if ffi::PyTuple_Check(prepared.as_ptr()) == 0 || ffi::PyTuple_GET_SIZE(prepared.as_ptr()) != 4 {
            return fail(ffi::PyExc_SystemError, "slotkit: prepare() must return a 4-tuple");
        }
        let ns = ffi::PyTuple_GET_ITEM(prepared.as_ptr(), 0);
        let init_kw = ffi::PyTuple_GET_ITEM(prepared.as_ptr(), 1);
        let specs = ffi::PyTuple_GET_ITEM(prepared.as_ptr(), 2);
        let options = ffi::PyTuple_GET_ITEM(prepared.as_ptr(), 3);
        let Some(new_args) = Owned::from_new(ffi::PyTuple_Pack(3, ffi::PyTuple_GET_ITEM(args, 0), ffi::PyTuple_GET_ITEM(args, 1), ns)) else {
            return ptr::null_mut();
        };
        let Some(cls) = Owned::from_new(type_new(mcls, new_args.as_ptr(), init_kw)) else {
            return ptr::null_mut();
        };
        if !super::finalize::finalize(cls.as_ptr(), specs, options) {
            return ptr::null_mut();
        }
        let finish = registry::finisher();
        if Owned::from_new(ffi::PyObject_CallOneArg(finish, cls.as_ptr())).is_none() {
            return ptr::null_mut();
        }
        cls.into_ptr()
    }
}

/// `RecordMeta.__call__`: the tuple/dict call path (`PyObject_Call`), sent to the class's
/// vectorcall when it has one, else to `type.__call__`.
unsafe extern "C" fn meta_call(
    cls: *mut ffi::PyObject,
    args: *mut ffi::PyObject,
    kwds: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held and `cls` an instance of RecordMeta.
    unsafe {
        if (*cls.cast::<ffi::PyTypeObject>()).tp_vectorcall.is_some() {
            ffi::PyVectorcall_Call(cls, args, kwds)
        } else {
            let call = (*type_type()).tp_call.expect("type has tp_call");
            call(cls, args, kwds)
        }
    }
}

/// Class attribute assignment: `type.__setattr__`, refusing to rebind a field. When
/// `__setattr__` or `__delattr__` changes, instance writes may no longer go through slotkit's
/// checked `tp_setattro`, so the class and its subclasses get checking descriptors for their
/// checked object fields (whose member descriptors are read-only).
unsafe extern "C" fn meta_setattro(cls: *mut ffi::PyObject, name: *mut ffi::PyObject, value: *mut ffi::PyObject) -> c_int {
    // SAFETY: called by CPython with the GIL held; `cls` is an instance of RecordMeta.
    unsafe {
        if let Some(layout) = layout::of_class(cls) {
            if let Some(i) = layout.find(name) {
                let msg = format!(
                    "cannot {} '{}' on {}: it is a field (its slot would become unreachable)",
                    if value.is_null() { "delete" } else { "rebind" },
                    super::util::text_of(layout.fields[i].name.as_ptr()),
                    super::util::qualname(cls.cast())
                );
                raise(ffi::PyExc_TypeError, &msg);
                return -1;
            }
        }
        // Construction flags follow from the class's version tag, which CPython renews on
        // every change of the class or a base (see `refresh`).
        let setattro = (*type_type()).tp_setattro.expect("type has tp_setattro");
        let r = setattro(cls, name, value);
        if r == 0 && matches!(super::util::text_of(name).as_str(), "__setattr__" | "__delattr__") && !checking_descriptors_tree(cls) {
            return -1;
        }
        r
    }
}

/// Installs checking descriptors on `cls` and every subclass. Returns false with an error set.
///
/// # Safety
/// The GIL must be held and `cls` a live class.
unsafe fn checking_descriptors_tree(cls: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded; subclasses come from type.__subclasses__() as a new list.
    unsafe {
        if !super::slots::checking_descriptors(cls.cast()) {
            return false;
        }
        let Some(subs) = Owned::from_new(ffi::PyObject_CallMethod(cls, c"__subclasses__".as_ptr(), ptr::null())) else {
            return false;
        };
        for i in 0..ffi::PyList_GET_SIZE(subs.as_ptr()) {
            if !checking_descriptors_tree(ffi::PyList_GET_ITEM(subs.as_ptr(), i)) {
                return false;
            }
        }
        true
    }
}

/// Recomputes the construction flags of one class from its current attributes (its own and its
/// bases'), and records the version tag they hold for. Returns false with an error set.
///
/// # Safety
/// The GIL must be held and `cls` a live class.
pub unsafe fn refresh(cls: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded from the caller; attribute lookups return new references released here.
    unsafe {
        let Some(layout) = layout::of_class(cls) else {
            return true;
        };
        layout::revalidate(cls, layout)
    }
}

unsafe extern "C" fn meta_traverse(cls: *mut ffi::PyObject, visit: ffi::visitproc, arg: *mut c_void) -> c_int {
    // SAFETY: called by the collector with the GIL held; `cls` is a live RecordMeta instance.
    unsafe {
        let p = *layout::slot_ptr(cls);
        if !p.is_null() {
            let r = (*p).traverse(visit, arg);
            if r != 0 {
                return r;
            }
        }
        let r = super::owned::visit_owned_instances(cls, visit, arg);
        if r != 0 {
            return r;
        }
        // A class holds a strong reference to its (heap) metaclass.
        let r = visit(ffi::Py_TYPE(cls).cast(), arg);
        if r != 0 {
            return r;
        }
        let traverse = (*type_type()).tp_traverse.expect("type has tp_traverse");
        traverse(cls, visit, arg)
    }
}

unsafe extern "C" fn meta_clear(cls: *mut ffi::PyObject) -> c_int {
    // SAFETY: called by the collector with the GIL held. The layout is detached before it is
    // dropped, so code run by releasing its defaults cannot reach a half-freed layout.
    unsafe {
        let old = layout::take(cls);
        drop(old);
        let clear = (*type_type()).tp_clear.expect("type has tp_clear");
        clear(cls)
    }
}

/// Frees a Record class. `type_dealloc` frees the class but does not release the reference the
/// class holds on its (heap) metaclass, so that is released here afterwards. The layout is
/// dropped last: it refers to nothing inside the class.
unsafe extern "C" fn meta_dealloc(cls: *mut ffi::PyObject) {
    // SAFETY: called by CPython when the class's refcount reaches zero, with the GIL held.
    unsafe {
        let meta = ffi::Py_TYPE(cls);
        let old = layout::take(cls);
        let dealloc = (*type_type()).tp_dealloc.expect("type has tp_dealloc");
        dealloc(cls);
        ffi::Py_DECREF(meta.cast());
        drop(old);
    }
}

static BASE_META: AtomicPtr<ffi::PyTypeObject> = AtomicPtr::new(ptr::null_mut());

/// `isinstance(obj, RecordClass)`: true at once for real instances; anything else is decided by
/// the base metaclass (ABC registrations, protocols), so its answer is unchanged, only faster.
unsafe extern "C" fn meta_instancecheck(cls: *mut ffi::PyObject, inst: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held; both live.
    unsafe {
        if ffi::PyObject_TypeCheck(inst, cls.cast()) != 0 {
            return ffi::PyBool_FromLong(1);
        }
        delegate(cls, inst, c"__instancecheck__")
    }
}

/// `issubclass(sub, RecordClass)`, likewise.
unsafe extern "C" fn meta_subclasscheck(cls: *mut ffi::PyObject, sub: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held; both live.
    unsafe {
        if ffi::PyType_Check(sub) != 0 && ffi::PyType_IsSubtype(sub.cast(), cls.cast()) != 0 {
            return ffi::PyBool_FromLong(1);
        }
        delegate(cls, sub, c"__subclasscheck__")
    }
}

/// Calls the base metaclass's implementation of `name` (`super().name(arg)`).
///
/// # Safety
/// GIL held; both live.
unsafe fn delegate(cls: *mut ffi::PyObject, arg: *mut ffi::PyObject, name: &std::ffi::CStr) -> *mut ffi::PyObject {
    // SAFETY: forwarded; the base metaclass lives for the process (RecordMeta holds it).
    unsafe {
        let base = BASE_META.load(Ordering::Relaxed);
        let Some(func) = Owned::from_new(ffi::PyObject_GetAttrString(base.cast(), name.as_ptr())) else {
            return ptr::null_mut();
        };
        let args = [cls, arg];
        ffi::PyObject_Vectorcall(func.as_ptr(), args.as_ptr(), 2, ptr::null_mut())
    }
}

/// Creates `RecordMeta`, a subclass of `base` (`type`, or a pure-Python extension of it such as
/// `abc.ABCMeta`) one pointer larger. Returns a new reference.
///
/// # Safety
/// The GIL must be held; `base` must be `type` or a subclass of it with `type`'s basicsize and
/// itemsize.
pub unsafe fn create(base: *mut ffi::PyTypeObject) -> *mut ffi::PyTypeObject {
    // SAFETY: GIL held (caller). The slot table and spec are leaked statics, as CPython keeps
    // pointers into the spec's name.
    unsafe {
        BASE_META.store(base, Ordering::Relaxed);
        let base_size = (*type_type()).tp_basicsize;
        let methods = Box::leak(Box::new([
            ffi::PyMethodDef {
                ml_name: c"__instancecheck__".as_ptr(),
                ml_meth: ffi::PyMethodDefPointer { PyCFunction: meta_instancecheck },
                ml_flags: ffi::METH_O,
                ml_doc: ptr::null(),
            },
            ffi::PyMethodDef {
                ml_name: c"__subclasscheck__".as_ptr(),
                ml_meth: ffi::PyMethodDefPointer { PyCFunction: meta_subclasscheck },
                ml_flags: ffi::METH_O,
                ml_doc: ptr::null(),
            },
            ffi::PyMethodDef::zeroed(),
        ]));
        layout::set_slot_offset(base_size);
        let meta = typespec::create(
            c"slotkit.RecordMeta",
            base_size as usize + std::mem::size_of::<*mut c_void>(),
            ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_BASETYPE | ffi::Py_TPFLAGS_HAVE_GC,
            vec![
                slot(ffi::Py_tp_new, meta_new as *mut c_void),
                slot(ffi::Py_tp_call, meta_call as *mut c_void),
                slot(ffi::Py_tp_setattro, meta_setattro as *mut c_void),
                slot(ffi::Py_tp_traverse, meta_traverse as *mut c_void),
                slot(ffi::Py_tp_clear, meta_clear as *mut c_void),
                slot(ffi::Py_tp_dealloc, meta_dealloc as *mut c_void),
                slot(ffi::Py_tp_methods, methods.as_mut_ptr() as *mut c_void),
                slot(ffi::Py_tp_doc, c"The metaclass of slotkit Records.".as_ptr() as *mut c_void),
            ],
            base,
        );
        if meta.is_null() {
            return meta;
        }
        // Classes are called through their own tp_vectorcall (set by finalize); on 3.11 a heap
        // type does not inherit the flag, so it is set here, before the type is used.
        (*meta).tp_flags |= ffi::Py_TPFLAGS_HAVE_VECTORCALL;
        (*meta).tp_vectorcall_offset = std::mem::offset_of!(ffi::PyTypeObject, tp_vectorcall) as ffi::Py_ssize_t;
        if (*meta).tp_itemsize != (*type_type()).tp_itemsize {
            ffi::Py_DECREF(meta.cast());
            raise(ffi::PyExc_ImportError, "slotkit: RecordMeta did not inherit type's item size");
            return ptr::null_mut();
        }
        meta
    }
}
