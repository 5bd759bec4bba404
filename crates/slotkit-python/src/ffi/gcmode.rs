//! GC or not, and the one precondition of dropping the GC header: no instance of the class may
//! exist yet (the allocation's pre-header depends on the flag).

use std::ptr;

use pyo3::ffi;

use super::base;
use super::specs::ClassOptions;
use super::util::{qualname, raise, Owned};

/// GC or not: the fields' verdict (`auto`), overridden by `gc=True`/`gc=False`, and forced by a
/// GC base outside slotkit or by a `__weakref__`/`__dict__` that a non-Record base brought in
/// (CPython 3.12+ keeps those in a pre-header that assumes a GC header). `gc=False` where that
/// would be unsafe is refused (`None`, with `TypeError` set). `unsure` (an instance may have been
/// made before the class was finished, and could not be ruled out) keeps the class GC.
///
/// # Safety
/// GIL held; `cls` live, its hidden slots not yet installed.
pub unsafe fn decide(cls: *mut ffi::PyObject, opts: &ClassOptions, weakref_inherited: bool, auto: bool, unsure: bool) -> Option<bool> {
    // SAFETY: forwarded.
    unsafe {
        let tp = cls.cast::<ffi::PyTypeObject>();
        let foreign_gc_base = foreign_gc_base(tp);
        let foreign_weakref = (*tp).tp_weaklistoffset != 0 && !weakref_inherited;
        let foreign_dict = (*tp).tp_dictoffset != 0;
        match opts.gc {
            Some(false) => {
                let why = if opts.own_dict_slot {
                    Some("extra=True keeps an attribute dict, which can close a cycle".to_owned())
                } else if let Some(base) = foreign_gc_base {
                    Some(format!("its base {} is a built-in type with a GC header of its own", qualname(base)))
                } else if foreign_weakref || foreign_dict {
                    Some("a base outside slotkit adds __weakref__ or __dict__, which CPython stores assuming a GC header".to_owned())
                } else {
                    None
                };
                if let Some(why) = why {
                    raise(ffi::PyExc_TypeError, &format!("{}: gc=False is refused: {why}", qualname(tp)));
                    return None;
                }
                Some(unsure)
            }
            Some(true) => Some(true),
            None => Some(auto || unsure || foreign_gc_base.is_some() || base_needs_gc(tp) || foreign_weakref || foreign_dict),
        }
    }
}

/// A base in the class's layout chain that is a built-in (static) GC type, like `dict`.
///
/// # Safety
/// GIL held; `tp` live.
unsafe fn foreign_gc_base(tp: *mut ffi::PyTypeObject) -> Option<*mut ffi::PyTypeObject> {
    // SAFETY: the tp_base chain consists of live types.
    unsafe {
        let mut t = (*tp).tp_base;
        while !t.is_null() {
            if (*t).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE == 0 && (*t).tp_flags & ffi::Py_TPFLAGS_HAVE_GC != 0 {
                return Some(t);
            }
            t = (*t).tp_base;
        }
        None
    }
}

/// True when a base in the class's layout chain can hold a reference cycle: a GC Record class
/// (its fields accept anything), or a plain class that adds slots of its own. Plain mixins with
/// `__slots__ = ()` add nothing and do not count.
///
/// # Safety
/// GIL held; `tp` live.
unsafe fn base_needs_gc(tp: *mut ffi::PyTypeObject) -> bool {
    // SAFETY: forwarded; the tp_base chain consists of live types.
    unsafe {
        let mut t = (*tp).tp_base;
        while !t.is_null() {
            if (*t).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE != 0 {
                let record = super::layout::of_class(t.cast()).is_some();
                if (record && ffi::PyType_IS_GC(t) != 0) || (!record && ffi::Py_SIZE(t.cast()) > 0) {
                    return true;
                }
            }
            t = (*t).tp_base;
        }
        false
    }
}

/// True when CPython's `subtype_dealloc` for instances of `tp` hands over to slotkit's
/// deallocator (a Record class or slotkit's root in its layout chain), which releases every
/// object slot, read-only ones included.
///
/// # Safety
/// GIL held; `tp` live.
pub unsafe fn ends_in_record_dealloc(tp: *mut ffi::PyTypeObject) -> bool {
    // SAFETY: forwarded; deallocators are compared as addresses.
    unsafe {
        let ours = base::record_dealloc as *const () as usize;
        let mut t = (*tp).tp_base;
        while !t.is_null() {
            let d = (*t).tp_dealloc.map_or(0, |f| f as usize);
            if d == ours {
                return true;
            }
            if !super::registry::is_python_class(t) {
                return false;
            }
            t = (*t).tp_base;
        }
        false
    }
}

/// Drops the GC header from every future instance. Must run before the first instance exists.
///
/// # Safety
/// GIL held; `tp` a Record class with no instances.
pub unsafe fn make_non_gc(tp: *mut ffi::PyTypeObject) {
    // SAFETY: forwarded; slots are plain function pointers of the type struct.
    unsafe {
        (*tp).tp_flags &= !ffi::Py_TPFLAGS_HAVE_GC;
        (*tp).tp_traverse = None;
        (*tp).tp_clear = None;
        (*tp).tp_is_gc = None;
        (*tp).tp_free = Some(ffi::PyObject_Free);
        (*tp).tp_dealloc = Some(base::record_dealloc);
    }
}

/// Checks that nothing was built on the class before it was finished: no subclass (it would
/// have been laid out from an unfinished base), and, when the class could be instantiated
/// during `type.__new__` (its `__new__` came from a plain base, so `__init_subclass__` or
/// `__set_name__` could call it), no instance. Returns false with `TypeError` set.
///
/// Instances are looked for with `gc.get_referrers(cls)` (every heap class is GC while
/// `type.__new__` runs, so its instances are tracked); objects hidden from that walk by
/// `gc.freeze()` are covered by `decide`'s `unsure`, which keeps the class GC.
///
/// # Safety
/// GIL held; `cls` just returned by `type.__new__`.
pub unsafe fn check_unborn(cls: *mut ffi::PyObject, instantiable: bool) -> bool {
    // SAFETY: forwarded; every object created is owned until dropped.
    unsafe {
        let Some(subs) = Owned::from_new(ffi::PyObject_CallMethod(cls, c"__subclasses__".as_ptr(), ptr::null())) else {
            return false;
        };
        if ffi::PyList_Check(subs.as_ptr()) != 0 && ffi::PyList_GET_SIZE(subs.as_ptr()) > 0 {
            let msg = format!(
                "{}: a subclass was created before the class was finished (in __init_subclass__ or __set_name__); \
                 subclass it after the class statement",
                qualname(cls.cast())
            );
            raise(ffi::PyExc_TypeError, &msg);
            return false;
        }
        if !instantiable {
            return true;
        }
        let Some(gc) = Owned::from_new(ffi::PyImport_ImportModule(c"gc".as_ptr())) else { return false };
        let Some(refs) = Owned::from_new(ffi::PyObject_CallMethod(gc.as_ptr(), c"get_referrers".as_ptr(), c"O".as_ptr(), cls)) else {
            return false;
        };
        let Some(refs) = Owned::from_new(ffi::PySequence_Fast(refs.as_ptr(), c"get_referrers".as_ptr())) else {
            return false;
        };
        for i in 0..ffi::PySequence_Fast_GET_SIZE(refs.as_ptr()) {
            let item = ffi::PySequence_Fast_GET_ITEM(refs.as_ptr(), i);
            if ffi::Py_TYPE(item).cast::<ffi::PyObject>() == cls {
                let msg = format!(
                    "{}: an instance was created before the class was finished (in __init_subclass__ or \
                     __set_name__, through a plain base's __new__); create instances after the class statement",
                    qualname(cls.cast())
                );
                raise(ffi::PyExc_TypeError, &msg);
                return false;
            }
        }
        true
    }
}

/// True when `gc.freeze()` has hidden objects from the collector's walks (so [`check_unborn`]
/// could not see every instance).
///
/// # Safety
/// GIL held.
pub unsafe fn objects_frozen() -> bool {
    // SAFETY: forwarded; errors are treated as "frozen" (the safe answer) and cleared.
    unsafe {
        let count = Owned::from_new(ffi::PyImport_ImportModule(c"gc".as_ptr()))
            .and_then(|gc| Owned::from_new(ffi::PyObject_CallMethod(gc.as_ptr(), c"get_freeze_count".as_ptr(), ptr::null())))
            .map(|n| ffi::PyLong_AsLong(n.as_ptr()));
        match count {
            Some(n) if n >= 0 => n > 0,
            _ => {
                ffi::PyErr_Clear();
                true
            }
        }
    }
}
