//! Construction: binding positional and keyword arguments to fields, defaults, `__post_init__`,
//! and the class's vectorcall entry point (`Point3D(1.0, 2.0, 3.0)` without a tuple or dict).

use std::ptr;

use pyo3::ffi;
use slotkit_core::messages;

use super::base;
use super::layout::{self, Default, Layout};
use super::store;
use super::util::{fail, qualname, text_of, Owned};

/// Which fields the arguments have set so far; inline for up to 128 fields.
struct Seen {
    small: [u64; 2],
    large: Vec<bool>,
}

impl Seen {
    #[inline]
    fn new(n: usize) -> Seen {
        Seen { small: [0; 2], large: if n > 128 { vec![false; n] } else { Vec::new() } }
    }

    #[inline]
    fn mark(&mut self, i: usize) -> bool {
        if self.large.is_empty() {
            let (w, b) = (i / 64, 1u64 << (i % 64));
            let was = self.small[w] & b != 0;
            self.small[w] |= b;
            !was
        } else {
            !std::mem::replace(&mut self.large[i], true)
        }
    }

    #[inline]
    fn has(&self, i: usize) -> bool {
        if self.large.is_empty() {
            self.small[i / 64] & (1u64 << (i % 64)) != 0
        } else {
            self.large[i]
        }
    }
}

/// Sets the fields of `obj` from vectorcall-style arguments, then applies defaults and reports
/// missing arguments. `owner` names the class whose `__init__` is being run (for messages).
/// Returns false with a Python error set.
///
/// # Safety
/// The GIL must be held; `obj` must be a live instance of the class `layout` belongs to (or of a
/// subclass, whose slots keep the base's offsets); `args` must hold `nargs` positional values
/// followed by one value per name in `kwnames` (NULL or a tuple of str).
pub unsafe fn bind(
    layout: &Layout,
    owner: *mut ffi::PyTypeObject,
    obj: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: usize,
    kwnames: *mut ffi::PyObject,
) -> bool {
    let fields = &layout.fields;
    // SAFETY: GIL held; `args`, `kwnames` and `obj` as the caller guarantees; indices into
    // `args` stay below nargs + len(kwnames).
    unsafe {
        let nkw = if kwnames.is_null() { 0 } else { ffi::PyTuple_GET_SIZE(kwnames) as usize };
        if nargs + nkw == fields.len() && fields.len() == layout.positional.len() && in_order(fields, nargs, kwnames, nkw) {
            // Every field given once, in declaration order (positionally, then by keyword with
            // the very name objects of the fields): nothing to track, no defaults to apply.
            for (i, f) in fields.iter().enumerate() {
                if !store::store(obj, f, *args.add(i)) {
                    return false;
                }
            }
            return true;
        }
        if nargs > layout.positional.len() {
            let msg = messages::too_many_positional(&qualname(owner), layout.required_positional, layout.positional.len(), nargs);
            super::util::raise(ffi::PyExc_TypeError, &msg);
            return false;
        }
        let mut seen = Seen::new(fields.len());
        let mut count = 0usize;
        for (i, &fi) in layout.positional[..nargs].iter().enumerate() {
            if !store::store(obj, &fields[fi], *args.add(i)) {
                return false;
            }
            seen.mark(fi);
            count += 1;
        }
        if nkw > 0 {
            for j in 0..nkw {
                let name = ffi::PyTuple_GET_ITEM(kwnames, j as ffi::Py_ssize_t);
                let Some(fi) = layout.find(name) else {
                    let msg = format!(
                        "{}.__init__() got an unexpected keyword argument '{}'",
                        qualname(owner),
                        text_of(name)
                    );
                    super::util::raise(ffi::PyExc_TypeError, &msg);
                    return false;
                };
                if !seen.mark(fi) {
                    let msg = format!(
                        "{}.__init__() got multiple values for argument '{}'",
                        qualname(owner),
                        text_of(name)
                    );
                    super::util::raise(ffi::PyExc_TypeError, &msg);
                    return false;
                }
                if !store::store(obj, &fields[fi], *args.add(nargs + j)) {
                    return false;
                }
                count += 1;
            }
        }
        count == fields.len() || apply_defaults(layout, owner, obj, &seen)
    }
}

/// `P(a, b, c)` naming every field positionally (no keyword-only fields): each argument to its
/// field in order. Kept out of [`bind`] so that the commonest call pays none of its set-up.
///
/// # Safety
/// As for [`bind`], with `nargs == layout.fields.len() == layout.positional.len()` and no
/// keyword arguments.
#[inline(always)]
unsafe fn store_all(layout: &Layout, obj: *mut ffi::PyObject, args: *const *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded; `args` holds one value per field (the caller checked the count).
    unsafe {
        for (i, f) in layout.fields.iter().enumerate() {
            if !store::store(obj, f, *args.add(i)) {
                return false;
            }
        }
    }
    true
}

/// True when the keyword names are, by identity, the names of the fields after the positional
/// ones, in order: the shape of `P(x=1, y=2, z=3)` and of `P(1, y=2, z=3)`.
///
/// # Safety
/// GIL held; `kwnames` NULL (then `nkw` is 0) or a tuple of `nkw` names.
#[inline(always)]
unsafe fn in_order(fields: &[layout::FieldSlot], nargs: usize, kwnames: *mut ffi::PyObject, nkw: usize) -> bool {
    // SAFETY: forwarded; indices stay below nkw.
    unsafe { (0..nkw).all(|j| ffi::PyTuple_GET_ITEM(kwnames, j as ffi::Py_ssize_t) == fields[nargs + j].name.as_ptr()) }
}

/// # Safety
/// As for [`bind`].
unsafe fn apply_defaults(layout: &Layout, owner: *mut ffi::PyTypeObject, obj: *mut ffi::PyObject, seen: &Seen) -> bool {
    let mut missing_pos: Vec<String> = Vec::new();
    let mut missing_kw: Vec<String> = Vec::new();
    for (i, f) in layout.fields.iter().enumerate() {
        if seen.has(i) {
            continue;
        }
        // SAFETY: forwarded from the caller.
        unsafe {
            match &f.default {
                Default::Raw(bits) => store::put_raw(obj, f.offset, *bits),
                Default::Value(v) => {
                    ffi::Py_INCREF(v.as_ptr());
                    store::put_object(obj, f.offset, v.as_ptr());
                }
                Default::Factory(factory) => {
                    let Some(v) = Owned::from_new(ffi::PyObject_CallNoArgs(factory.as_ptr())) else {
                        return false;
                    };
                    if !store::store(obj, f, v.as_ptr()) {
                        return false;
                    }
                }
                Default::Required if f.kw_only => missing_kw.push(text_of(f.name.as_ptr())),
                Default::Required => missing_pos.push(text_of(f.name.as_ptr())),
            }
        }
    }
    if missing_pos.is_empty() && missing_kw.is_empty() {
        return true;
    }
    let (names, kw) = if missing_pos.is_empty() { (missing_kw, true) } else { (missing_pos, false) };
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    // SAFETY: GIL held (caller).
    unsafe {
        let msg = messages::missing(&qualname(owner), &names, kw);
        super::util::raise(ffi::PyExc_TypeError, &msg);
    }
    false
}

/// Calls `obj.__post_init__()` when the class defines it. Returns false with an error set.
///
/// # Safety
/// The GIL must be held and `obj` live.
pub unsafe fn post_init(layout: &Layout, obj: *mut ffi::PyObject) -> bool {
    if !layout.post_init.get() {
        return true;
    }
    // SAFETY: GIL held, `obj` live (caller); the name is a str kept alive by the registry.
    unsafe { Owned::from_new(ffi::PyObject_CallMethodNoArgs(obj, super::registry::post_init_name())).is_some() }
}

/// `tp_vectorcall` of every Record class: allocate, bind, `__post_init__`, in one call.
///
/// # Safety
/// Called by CPython with the GIL held, `callable` a Record class and vectorcall arguments.
pub unsafe extern "C" fn record_vectorcall(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: see the function's contract; every object created here is owned until returned.
    unsafe {
        let cls = callable.cast::<ffi::PyTypeObject>();
        let nargs = ffi::PyVectorcall_NARGS(nargsf) as usize;
        let Some(layout) = layout::of_class(callable) else {
            return call_generic(callable, args, nargs, kwnames);
        };
        if !layout::current(callable, layout) {
            return ptr::null_mut();
        }
        if !layout.fast.get() {
            return call_generic(callable, args, nargs, kwnames);
        }
        // The flag test inline: the call to check_concrete cost ~20 instructions per construction.
        if (*cls).tp_flags & ffi::Py_TPFLAGS_IS_ABSTRACT != 0 && !base::check_concrete(cls) {
            return ptr::null_mut();
        }
        let obj = base::alloc(cls);
        if obj.is_null() {
            return ptr::null_mut();
        }
        let bound = if kwnames.is_null() && nargs == layout.fields.len() && nargs == layout.positional.len() {
            store_all(layout, obj, args)
        } else {
            bind(layout, cls, obj, args, nargs, kwnames)
        };
        if !bound || !post_init(layout, obj) {
            ffi::Py_DECREF(obj);
            return ptr::null_mut();
        }
        obj
    }
}

/// The general path (`type.__call__`): `__new__` then `__init__`, for classes whose `__new__` or
/// `__init__` was written or replaced by the user.
///
/// # Safety
/// As for [`record_vectorcall`].
pub unsafe fn call_generic(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: see the function's contract; tuple/dict are built from borrowed args.
    unsafe {
        let Some(tuple) = Owned::from_new(ffi::PyTuple_New(nargs as ffi::Py_ssize_t)) else {
            return ptr::null_mut();
        };
        for i in 0..nargs {
            let a = *args.add(i);
            ffi::Py_INCREF(a);
            ffi::PyTuple_SET_ITEM(tuple.as_ptr(), i as ffi::Py_ssize_t, a);
        }
        let kwargs = if kwnames.is_null() || ffi::PyTuple_GET_SIZE(kwnames) == 0 {
            None
        } else {
            let Some(d) = Owned::from_new(ffi::PyDict_New()) else {
                return ptr::null_mut();
            };
            for j in 0..ffi::PyTuple_GET_SIZE(kwnames) {
                let v = *args.add(nargs + j as usize);
                if ffi::PyDict_SetItem(d.as_ptr(), ffi::PyTuple_GET_ITEM(kwnames, j), v) < 0 {
                    return ptr::null_mut();
                }
            }
            Some(d)
        };
        let Some(type_call) = (*ptr::addr_of_mut!(ffi::PyType_Type)).tp_call else {
            return fail(ffi::PyExc_SystemError, "type.__call__ is missing");
        };
        type_call(callable, tuple.as_ptr(), kwargs.as_ref().map_or(ptr::null_mut(), Owned::as_ptr))
    }
}
