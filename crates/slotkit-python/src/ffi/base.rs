//! `_RecordBase`: the root of every Record class. It owns `__new__` (an instance with every
//! field unset), the deallocator, `repr` and `==`.

use std::ffi::c_void;
use std::ptr;

use pyo3::ffi;

use super::layout;
use super::registry;
use super::typespec::{self, slot};
use super::store;
use super::util::{fail, qualname, Owned};

/// `tp_new`: allocates an instance with every field unset. Arguments are ignored: they belong to
/// `__init__` (the generated one, or the user's).
pub unsafe extern "C" fn record_new(
    cls: *mut ffi::PyTypeObject,
    _args: *mut ffi::PyObject,
    _kwds: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held and `cls` a subtype of _RecordBase.
    unsafe {
        if layout::of_class(cls.cast()).is_none() {
            let msg = format!("cannot create '{}' instances: it is not a finished slotkit Record class", qualname(cls));
            return fail(ffi::PyExc_TypeError, &msg);
        }
        if !check_concrete(cls) {
            return ptr::null_mut();
        }
        // Zeroed memory is an instance with every field unset (see `slotkit_core::unset`).
        alloc(cls)
    }
}

/// Allocates a zeroed instance of `cls` with refcount 1 (holding a reference to `cls`).
///
/// Non-GC classes with no attribute dict get a plain `PyObject_Malloc`: they have no GC header
/// and no pre-header (weak references are an ordinary slot here, never CPython's managed one), so
/// this is exactly what `PyType_GenericAlloc` would produce, minus its generic bookkeeping.
/// Everything else goes through `tp_alloc`.
///
/// # Safety
/// GIL held; `cls` a live Record class.
#[inline]
pub unsafe fn alloc(cls: *mut ffi::PyTypeObject) -> *mut ffi::PyObject {
    // SAFETY: forwarded; the size is the class's basicsize and the memory is zeroed before use.
    unsafe {
        let simple = (*cls).tp_flags & ffi::Py_TPFLAGS_HAVE_GC == 0
            && (*cls).tp_dictoffset == 0
            && (*cls).tp_itemsize == 0
            && (*cls).tp_alloc.map(|f| f as usize) == Some(ffi::PyType_GenericAlloc as *const () as usize);
        if !simple {
            let alloc = (*cls).tp_alloc.unwrap_or(ffi::PyType_GenericAlloc);
            return alloc(cls, 0);
        }
        let size = (*cls).tp_basicsize as usize;
        let mem = ffi::PyObject_Malloc(size).cast::<ffi::PyObject>();
        if mem.is_null() {
            return ffi::PyErr_NoMemory();
        }
        ptr::write_bytes(mem.cast::<u8>(), 0, size);
        ffi::PyObject_Init(mem, cls)
    }
}

/// Refuses to instantiate an abstract class, with CPython's own message. Returns false with
/// `TypeError` set.
///
/// # Safety
/// GIL held; `cls` a live type.
#[inline]
pub unsafe fn check_concrete(cls: *mut ffi::PyTypeObject) -> bool {
    // SAFETY: forwarded; `__abstractmethods__` is read only on the cold, abstract path.
    unsafe {
        if (*cls).tp_flags & ffi::Py_TPFLAGS_IS_ABSTRACT == 0 {
            return true;
        }
        let names = Owned::from_new(ffi::PyObject_GetAttrString(cls.cast(), c"__abstractmethods__".as_ptr()));
        let listed = match names {
            Some(n) => {
                let sorted = Owned::from_new(ffi::PySequence_List(n.as_ptr()));
                match sorted {
                    Some(l) if ffi::PyList_Sort(l.as_ptr()) == 0 => {
                        let parts: Vec<String> = (0..ffi::PyList_GET_SIZE(l.as_ptr()))
                            .map(|i| super::util::text_of(ffi::PyList_GET_ITEM(l.as_ptr(), i)))
                            .collect();
                        parts
                    }
                    _ => Vec::new(),
                }
            }
            None => Vec::new(),
        };
        ffi::PyErr_Clear();
        let noun = if listed.len() == 1 { "method" } else { "methods" };
        // CPython's own wording (Objects/typeobject.c object_new), which changed in 3.12.
        let name = super::util::short_name(cls);
        let msg = if ffi::Py_Version < 0x030C_0000 {
            format!("Can't instantiate abstract class {name} with abstract {noun} {}", listed.join(", "))
        } else {
            format!(
                "Can't instantiate abstract class {name} without an implementation for abstract {noun} '{}'",
                listed.join("', '")
            )
        };
        super::util::raise(ffi::PyExc_TypeError, &msg);
        false
    }
}

/// True when `cls` is built by slotkit's own `__new__` (not a user-written one).
///
/// # Safety
/// `cls` must be a live type; the GIL must be held.
#[inline]
pub unsafe fn has_record_new(cls: *mut ffi::PyTypeObject) -> bool {
    // SAFETY: both are live types; function pointers are compared as the addresses CPython
    // stored, which is what `type.__new__` copies into subclasses.
    unsafe { (*cls).tp_new.map(|f| f as usize) == (*registry::base_type()).tp_new.map(|f| f as usize) }
}

/// `tp_dealloc` of `_RecordBase` and of every non-GC Record class; for GC Record classes it is
/// the base deallocator that CPython's `subtype_dealloc` hands over to (which has by then run
/// the finalizer, cleared weak references and the writable slots, behind CPython's trashcan).
///
/// Non-GC instances get what `subtype_dealloc` would give them and more: `__del__` (through
/// `tp_finalize`, resurrection allowed), weak references cleared, and a depth limit: a chain of
/// a million records (a linked list) is freed iteratively (`dealloc::release_later`), since
/// CPython's trashcan only serves GC objects.
pub unsafe extern "C" fn record_dealloc(obj: *mut ffi::PyObject) {
    // SAFETY: called by CPython with the GIL held when `obj`'s refcount reached zero.
    unsafe {
        if (*ffi::Py_TYPE(obj)).tp_flags & ffi::Py_TPFLAGS_HAVE_GC != 0 {
            release(obj);
        } else {
            super::dealloc::non_gc(obj);
        }
    }
}

/// Runs a non-GC instance's finalizer (`__del__`), if its class has one. Returns false when the
/// finalizer resurrected the object (it must not be freed).
///
/// # Safety
/// GIL held; `obj` has refcount zero and a non-GC class.
pub unsafe fn finalize(obj: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded; CPython's helper resurrects the object for the call and reports
    // whether it stayed alive.
    unsafe { (*ffi::Py_TYPE(obj)).tp_finalize.is_none() || ffi::PyObject_CallFinalizerFromDealloc(obj) == 0 }
}

/// Releases everything an instance holds and frees it: weak references, every object slot of
/// every heap type in its class chain, the memory, and the reference to its class.
///
/// Object slots are found by walking the heap types of the class chain and their `T_OBJECT_EX`
/// member definitions (`for_each_object_slot`) — memory owned by the (still referenced) class itself — so this works
/// even after the collector has cleared the class's layout. Read-only members are included:
/// slotkit makes the members of checked fields read-only (CPython's own slot clearing skips
/// those, which is why every Record chain ends in this function).
///
/// # Safety
/// GIL held; `obj`'s refcount is zero and its finalizer has run.
pub unsafe fn release(obj: *mut ffi::PyObject) {
    // SAFETY: the class stays alive until the Py_DECREF at the end (the instance holds a
    // reference to it); member definitions are read from each heap type's own allocation.
    unsafe {
        let tp = ffi::Py_TYPE(obj);
        // Idempotent: a GC subclass's subtype_dealloc may have cleared them already.
        if (*tp).tp_weaklistoffset != 0 {
            ffi::PyObject_ClearWeakRefs(obj);
        }
        // All-unboxed records (the layout says so) have nothing to release; a class whose
        // layout the collector has already detached is walked to be safe.
        if layout::of_class(tp.cast()).is_none_or(|l| l.object_slots.get()) {
            for_each_object_slot(tp, |offset| {
                store::put_object(obj, offset, ptr::null_mut());
                true
            });
        }
        let free = (*tp).tp_free.unwrap_or(ffi::PyObject_Free);
        free(obj.cast::<c_void>());
        ffi::Py_DECREF(tp.cast());
    }
}

/// True when some heap type in `tp`'s layout chain has an object slot (`T_OBJECT_EX` member).
///
/// # Safety
/// The GIL must be held; `tp` a live type.
pub unsafe fn has_object_slots(tp: *mut ffi::PyTypeObject) -> bool {
    let mut found = false;
    // SAFETY: forwarded.
    unsafe {
        for_each_object_slot(tp, |_| {
            found = true;
            false
        })
    };
    found
}

/// Calls `f` with every member definition (`PyMemberDef`) that the heap types of `tp`'s layout
/// chain add, most derived first, until `f` returns false.
///
/// # Safety
/// The GIL must be held; `tp` a live type (its chain stays alive while `f` runs).
pub unsafe fn for_each_member_def(tp: *mut ffi::PyTypeObject, mut f: impl FnMut(&ffi::PyMemberDef) -> bool) {
    // SAFETY: a heap type's member definitions follow its struct at its metatype's basicsize,
    // and Py_SIZE(t) counts them (CPython's own subtype_dealloc relies on the same); the chain
    // is alive (caller), so are its types' member tables.
    unsafe {
        let mut t = tp;
        while !t.is_null() {
            if (*t).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE != 0 {
                let n = ffi::Py_SIZE(t.cast()).max(0);
                let members = t.cast::<u8>().offset((*ffi::Py_TYPE(t.cast())).tp_basicsize).cast::<ffi::PyMemberDef>();
                for i in 0..n {
                    if !f(&*members.offset(i)) {
                        return;
                    }
                }
            }
            t = (*t).tp_base;
        }
    }
}

/// Calls `f` with the offset of every object slot (`T_OBJECT_EX` member definition) that the
/// heap types of `tp`'s layout chain add, most derived first, until `f` returns false.
/// Read-only members are included (slotkit makes checked fields read-only); unboxed and hidden
/// slots have other type codes and are not. Offsets of slot members lie inside every instance of
/// `tp`'s subclasses.
///
/// # Safety
/// The GIL must be held; `tp` a live type (its chain stays alive while `f` runs).
pub unsafe fn for_each_object_slot(tp: *mut ffi::PyTypeObject, mut f: impl FnMut(isize) -> bool) {
    // SAFETY: forwarded (caller).
    unsafe { for_each_member_def(tp, |m| m.type_code != ffi::Py_T_OBJECT_EX || f(m.offset)) }
}

/// Creates `_RecordBase`. Returns a new reference.
///
/// # Safety
/// The GIL must be held.
pub unsafe fn create() -> *mut ffi::PyTypeObject {
    // SAFETY: GIL held (caller); the slot table and spec are leaked statics.
    unsafe {
        typespec::create(
            c"slotkit._RecordBase",
            std::mem::size_of::<ffi::PyObject>(),
            ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_BASETYPE,
            vec![
                slot(ffi::Py_tp_new, record_new as *mut c_void),
                slot(ffi::Py_tp_dealloc, record_dealloc as *mut c_void),
                slot(ffi::Py_tp_repr, super::protocols::record_repr as *mut c_void),
                slot(ffi::Py_tp_richcompare, super::protocols::record_richcompare as *mut c_void),
                slot(ffi::Py_tp_hash, ffi::PyObject_HashNotImplemented as *mut c_void),
                slot(ffi::Py_tp_doc, c"Root of slotkit Record classes.".as_ptr() as *mut c_void),
            ],
            ptr::null_mut(),
        )
    }
}
