//! What `slotkit._build.prepare` hands the native finish: one spec per field and the class
//! options. Both come from Python, so both are only requests: `slots` checks every field against
//! the class CPython built and the layouts of its Record bases.

use pyo3::ffi;
use slotkit_core::Kind;

use super::layout::Options;
use super::util::{raise, text_of, Owned};

/// One field spec: `(name, kind_code, default, factory, kw_only)` where `default` is `()` or
/// `(value,)` and `factory` is `None` or a callable.
pub struct Spec {
    pub name: Owned,
    pub kind: Kind,
    pub default: Option<Owned>,
    pub factory: Option<Owned>,
    pub kw_only: bool,
}

/// The class options `prepare` resolved (inherited ones included).
pub struct ClassOptions {
    pub runtime: Options,
    /// Hash from the fields (`frozen` with `eq`).
    pub hash_fields: bool,
    /// `gc=True` / `gc=False`; `None` decides from the fields.
    pub gc: Option<bool>,
    /// This class adds the hidden weak-reference / attribute-dict slot.
    pub own_weakref_slot: bool,
    pub own_dict_slot: bool,
    /// `prepare` put slotkit's checked `__setattr__`/`__delattr__` in the class namespace.
    pub checked_setattr: bool,
    /// Hidden object slots (cached properties) that can hold anything.
    pub hidden_objects: bool,
    /// What `cls.__slots__` shows: the field names, without hidden slots.
    pub shown_slots: Option<Owned>,
}

/// # Safety
/// GIL held; `specs` live.
pub unsafe fn parse(specs: *mut ffi::PyObject) -> Option<Vec<Spec>> {
    // SAFETY: forwarded; items are checked for type before use.
    unsafe {
        let seq = Owned::from_new(ffi::PySequence_Fast(specs, c"field specs must be a list".as_ptr()))?;
        let n = ffi::PySequence_Fast_GET_SIZE(seq.as_ptr());
        let mut out = Vec::with_capacity(n as usize);
        for i in 0..n {
            let item = ffi::PySequence_Fast_GET_ITEM(seq.as_ptr(), i);
            if ffi::PyTuple_Check(item) == 0 || ffi::PyTuple_GET_SIZE(item) != 5 {
                raise(ffi::PyExc_SystemError, "slotkit: malformed field spec");
                return None;
            }
            let get = |j| ffi::PyTuple_GET_ITEM(item, j);
            let mut name = get(0);
            if ffi::PyUnicode_CheckExact(name) == 0 {
                raise(ffi::PyExc_TypeError, "slotkit: field names must be str");
                return None;
            }
            ffi::Py_INCREF(name);
            ffi::PyUnicode_InternInPlace(&mut name);
            let name = Owned::from_new(name)?;
            let code = text_of(get(1));
            let Some(kind) = Kind::from_code(&code) else {
                raise(ffi::PyExc_SystemError, &format!("slotkit: unknown field kind {code:?}"));
                return None;
            };
            let default = get(2);
            let default = if ffi::PyTuple_Check(default) != 0 && ffi::PyTuple_GET_SIZE(default) == 1 {
                Some(Owned::from_borrowed(ffi::PyTuple_GET_ITEM(default, 0)))
            } else {
                None
            };
            let factory = (get(3) != ffi::Py_None()).then(|| Owned::from_borrowed(get(3)));
            let kw_only = ffi::PyObject_IsTrue(get(4)) == 1;
            out.push(Spec { name, kind, default, factory, kw_only });
        }
        Some(out)
    }
}

/// # Safety
/// GIL held; `options` live.
pub unsafe fn parse_options(options: *mut ffi::PyObject) -> Option<ClassOptions> {
    // SAFETY: forwarded; dict lookups return borrowed references used at once.
    unsafe {
        if ffi::PyDict_Check(options) == 0 {
            raise(ffi::PyExc_SystemError, "slotkit: class options must be a dict");
            return None;
        }
        let flag = |key: &std::ffi::CStr| {
            let v = ffi::PyDict_GetItemString(options, key.as_ptr());
            !v.is_null() && ffi::PyObject_IsTrue(v) == 1
        };
        let gc = ffi::PyDict_GetItemString(options, c"gc".as_ptr());
        let gc = if gc.is_null() || gc == ffi::Py_None() { None } else { Some(ffi::PyObject_IsTrue(gc) == 1) };
        Some(ClassOptions {
            runtime: Options { eq: flag(c"eq"), order: flag(c"order") },
            hash_fields: flag(c"hash_fields"),
            gc,
            own_weakref_slot: flag(c"own_weakref_slot"),
            own_dict_slot: flag(c"own_dict_slot"),
            hidden_objects: flag(c"hidden_objects"),
            checked_setattr: flag(c"checked_setattr"),
            shown_slots: {
                let v = ffi::PyDict_GetItemString(options, c"shown_slots".as_ptr());
                (!v.is_null()).then(|| Owned::from_borrowed(v))
            },
        })
    }
}
