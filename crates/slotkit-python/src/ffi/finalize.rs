//! Finishing a class that `type.__new__` has laid out: unbox the scalar slots, record the
//! layout, install the generated `__init__`, choose GC or non-GC, and set the fast paths.

use std::ptr;

use pyo3::ffi;
use slotkit_core::{kind, Kind, Scalar};

use super::layout::{self, Default, FieldSlot, Layout, Options};
use super::util::{raise, text_of, Owned};
use super::{base, construct, descr, init, meta, protocols, setattr, store};

/// One field spec from `prepare`: `(name, kind_code, default, factory, kw_only)` where
/// `default` is `()` or `(value,)` and `factory` is `None` or a callable.
struct Spec {
    name: Owned,
    kind: Kind,
    default: Option<Owned>,
    factory: Option<Owned>,
    kw_only: bool,
}

/// The class options `prepare` resolved (inherited ones included).
struct ClassOptions {
    runtime: Options,
    /// Hash from the fields (`frozen` with `eq`).
    hash_fields: bool,
    /// `gc=True` / `gc=False`; `None` decides from the fields.
    gc: Option<bool>,
    /// A Record base already provides slotkit's weak-reference slot.
    weakref_inherited: bool,
    /// This class adds the hidden weak-reference / attribute-dict slot.
    own_weakref_slot: bool,
    own_dict_slot: bool,
    /// `prepare` put slotkit's checked `__setattr__`/`__delattr__` in the class namespace.
    checked_setattr: bool,
    /// Hidden object slots (cached properties) that can hold anything.
    hidden_objects: bool,
    /// What `cls.__slots__` shows: the field names, without hidden slots.
    shown_slots: Option<Owned>,
}

const WEAKREF_SLOT: &std::ffi::CStr = c"__slotkit_weakref__";
const DICT_SLOT: &std::ffi::CStr = c"__slotkit_dict__";

/// Completes `cls`. Returns false with a Python error set (the caller drops the class).
///
/// # Safety
/// The GIL must be held; `cls` must be a class just returned by `type.__new__` for
/// `RecordMeta`, with no instance created yet; `specs` a list and `options` a dict from
/// `prepare`.
pub unsafe fn finalize(cls: *mut ffi::PyObject, specs: *mut ffi::PyObject, options: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded from the caller; every borrowed pointer is used while its owner lives.
    unsafe {
        let tp = cls.cast::<ffi::PyTypeObject>();
        let Some(specs) = parse_specs(specs) else { return false };
        let Some(opts) = parse_options(options) else { return false };
        let mut fields = Vec::with_capacity(specs.len());
        let mut own_scalars = Vec::new();
        for spec in specs {
            let Some((offset, own_member)) = slot_of(tp, &spec) else { return false };
            if own_member && !spec.kind.is_object() {
                own_scalars.push(fields.len());
            }
            let Some(default) = convert_default(tp, &spec) else { return false };
            fields.push(FieldSlot { name: spec.name, kind: spec.kind, offset, default, kw_only: spec.kw_only });
        }
        let positional = (0..fields.len()).filter(|&i| !fields[i].kw_only).collect();
        let has_checked_objects = fields.iter().any(|f| f.kind.is_object() && f.kind.is_checked());
        let auto_gc = kind::needs_gc(fields.iter().map(|f| f.kind)) || opts.own_dict_slot || opts.hidden_objects;
        let Some(needs_gc) = decide_gc(cls, &opts, auto_gc) else { return false };
        let own_scalar_info: Vec<(Owned, Scalar, isize)> = own_scalars
            .iter()
            .map(|&i| {
                let Kind::Scalar(s) = fields[i].kind else { unreachable!("own_scalars holds scalars") };
                (fields[i].name.clone(), s, fields[i].offset)
            })
            .collect();
        layout::install(
            cls,
            Box::new(Layout {
                fields,
                positional,
                fast: std::cell::Cell::new(false),
                post_init: std::cell::Cell::new(false),
                options: opts.runtime,
            }),
        );
        for (name, scalar, offset) in &own_scalar_info {
            if !unbox_slot(tp, name.as_ptr(), *scalar, *offset) {
                return false;
            }
        }
        if opts.own_weakref_slot {
            let Some(offset) = hide_slot(tp, WEAKREF_SLOT) else { return false };
            (*tp).tp_weaklistoffset = offset;
        }
        if opts.own_dict_slot {
            let Some(offset) = hide_slot(tp, DICT_SLOT) else { return false };
            (*tp).tp_dictoffset = offset;
            if !install_dict_descriptor(tp) {
                return false;
            }
        }
        if !retag_slot_names(tp) || !install_init(cls) {
            return false;
        }
        if let Some(shown) = &opts.shown_slots {
            if ffi::PyDict_SetItemString((*tp).tp_dict, c"__slots__".as_ptr(), shown.as_ptr()) < 0 {
                return false;
            }
        }
        if !needs_gc {
            make_non_gc(tp);
        }
        if has_checked_objects && opts.checked_setattr {
            // `__setattr__` in the class dict is slotkit's Python-level checked setattr (for
            // `super().__setattr__` callers); instances are written through its C twin.
            (*tp).tp_setattro = Some(setattr::checked_setattro);
        }
        if opts.hash_fields {
            (*tp).tp_hash = Some(protocols::record_hash);
        }
        (*tp).tp_vectorcall = Some(construct::record_vectorcall);
        ffi::PyType_Modified(tp);
        meta::refresh(cls)
    }
}

/// # Safety
/// GIL held; `specs` live.
unsafe fn parse_specs(specs: *mut ffi::PyObject) -> Option<Vec<Spec>> {
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

/// The byte offset of a field's slot, found through the descriptor the class's MRO holds for
/// it, and whether that descriptor is a fresh member descriptor of `tp` itself.
///
/// # Safety
/// GIL held; `tp` a live class.
unsafe fn slot_of(tp: *mut ffi::PyTypeObject, spec: &Spec) -> Option<(isize, bool)> {
    // SAFETY: forwarded; the MRO tuple and dicts are owned by live classes.
    unsafe {
        let mro = (*tp).tp_mro;
        let mut found = ptr::null_mut();
        let mut owner = ptr::null_mut();
        for i in 0..ffi::PyTuple_GET_SIZE(mro) {
            let t = ffi::PyTuple_GET_ITEM(mro, i).cast::<ffi::PyTypeObject>();
            let dict = (*t).tp_dict;
            if dict.is_null() {
                continue;
            }
            let d = ffi::PyDict_GetItemWithError(dict, spec.name.as_ptr());
            if !d.is_null() {
                found = d;
                owner = t;
                break;
            }
            if !ffi::PyErr_Occurred().is_null() {
                return None;
            }
        }
        let offset_and_own = if found.is_null() {
            None
        } else if ffi::Py_TYPE(found) == ptr::addr_of_mut!(ffi::PyMemberDescr_Type) {
            let m = (*found.cast::<ffi::PyMemberDescrObject>()).d_member;
            ((*m).type_code == ffi::Py_T_OBJECT_EX).then(|| ((*m).offset, owner == tp))
        } else {
            descr::scalar_slot(found).and_then(|(s, off)| (Kind::Scalar(s) == spec.kind).then_some((off, false)))
        };
        let valid = offset_and_own.filter(|&(off, _)| {
            off >= std::mem::size_of::<ffi::PyObject>() as isize && off + 8 <= (*tp).tp_basicsize
        });
        if valid.is_none() {
            let msg = format!(
                "{}: field '{}' has no slot of its own (it is shadowed by another attribute of the same name)",
                super::util::qualname(tp),
                text_of(spec.name.as_ptr())
            );
            raise(ffi::PyExc_TypeError, &msg);
        }
        valid
    }
}

/// # Safety
/// GIL held; `tp` live.
unsafe fn convert_default(tp: *mut ffi::PyTypeObject, spec: &Spec) -> Option<Default> {
    // SAFETY: forwarded.
    unsafe {
        if let Some(f) = &spec.factory {
            return Some(Default::Factory(f.clone()));
        }
        let Some(value) = &spec.default else { return Some(Default::Required) };
        match spec.kind {
            Kind::Scalar(s) => store::scalar_bits(tp, spec.name.as_ptr(), s, value.as_ptr()).map(Default::Raw),
            kind if store::object_accepts(kind, value.as_ptr()) => Some(Default::Value(value.clone())),
            kind => {
                store::type_error(tp, spec.name.as_ptr(), kind, value.as_ptr());
                None
            }
        }
    }
}

/// Turns this class's own `T_OBJECT_EX` slot into an unboxed one: the member definition's type
/// code changes (so CPython's traverse/clear/dealloc skip it) and the class attribute becomes a
/// slotkit descriptor.
///
/// # Safety
/// GIL held; `tp` has a fresh member descriptor for `name` and no instances yet.
unsafe fn unbox_slot(tp: *mut ffi::PyTypeObject, name: *mut ffi::PyObject, scalar: Scalar, offset: isize) -> bool {
    // SAFETY: forwarded; the member definition lives inside `tp`'s own allocation.
    unsafe {
        let member_descr = ffi::PyDict_GetItemWithError((*tp).tp_dict, name);
        if member_descr.is_null() || ffi::Py_TYPE(member_descr) != ptr::addr_of_mut!(ffi::PyMemberDescr_Type) {
            if ffi::PyErr_Occurred().is_null() {
                raise(ffi::PyExc_SystemError, "slotkit: member descriptor vanished");
            }
            return false;
        }
        let def = (*member_descr.cast::<ffi::PyMemberDescrObject>()).d_member;
        (*def).type_code = match scalar {
            Scalar::F64 => ffi::Py_T_DOUBLE,
            Scalar::I64 => ffi::Py_T_LONGLONG,
            Scalar::Bool => ffi::Py_T_LONGLONG,
        };
        let Some(d) = Owned::from_new(descr::new(tp, name, scalar, offset)) else { return false };
        ffi::PyDict_SetItem((*tp).tp_dict, name, d.as_ptr()) == 0
    }
}

/// Makes the recorded slot names carry their kinds (`x:f64`), so that `__class__` assignment,
/// which compares only slot names and sizes, refuses classes whose same-named slots differ.
///
/// # Safety
/// GIL held; `tp` a heap type whose layout is installed.
unsafe fn retag_slot_names(tp: *mut ffi::PyTypeObject) -> bool {
    // SAFETY: forwarded; `ht_slots` is a tuple owned by the heap type, replaced atomically.
    unsafe {
        let Some(layout) = layout::of_class(tp.cast()) else { return true };
        let et = tp.cast::<ffi::PyHeapTypeObject>();
        let old = (*et).ht_slots;
        if old.is_null() || ffi::PyTuple_Check(old) == 0 {
            return true;
        }
        let n = ffi::PyTuple_GET_SIZE(old);
        let Some(new) = Owned::from_new(ffi::PyTuple_New(n)) else { return false };
        for i in 0..n {
            let item = ffi::PyTuple_GET_ITEM(old, i);
            let tagged = match layout.find(item) {
                Some(fi) => {
                    let text = format!("{}:{}", text_of(item), layout.fields[fi].kind.code());
                    ffi::PyUnicode_FromStringAndSize(text.as_ptr().cast(), text.len() as ffi::Py_ssize_t)
                }
                None => {
                    ffi::Py_INCREF(item);
                    item
                }
            };
            if tagged.is_null() {
                return false;
            }
            ffi::PyTuple_SET_ITEM(new.as_ptr(), i, tagged);
        }
        (*et).ht_slots = new.into_ptr();
        ffi::Py_DECREF(old);
        true
    }
}

/// Gives the class its generated `__init__` unless its body defines one.
///
/// # Safety
/// GIL held; `cls` a live Record class.
unsafe fn install_init(cls: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded; setattr goes through RecordMeta so CPython updates `tp_init`.
    unsafe {
        let dict = (*cls.cast::<ffi::PyTypeObject>()).tp_dict;
        if !ffi::PyDict_GetItemString(dict, c"__init__".as_ptr()).is_null() {
            return true;
        }
        let Some(init) = Owned::from_new(init::new(cls)) else { return false };
        ffi::PyObject_SetAttrString(cls, c"__init__".as_ptr(), init.as_ptr()) == 0
    }
}

/// GC or not: the fields' verdict (`auto`), overridden by `gc=True`/`gc=False`, and forced by a
/// GC base, a `__del__`, or a `__weakref__`/`__dict__` slot that a non-Record base brought in
/// (CPython 3.12+ keeps those in a pre-header that assumes a GC header). `gc=False` where that
/// would be unsafe is refused (`None`, with `TypeError` set).
///
/// # Safety
/// GIL held; `cls` live, its hidden slots not yet installed.
unsafe fn decide_gc(cls: *mut ffi::PyObject, opts: &ClassOptions, auto: bool) -> Option<bool> {
    // SAFETY: forwarded.
    unsafe {
        let tp = cls.cast::<ffi::PyTypeObject>();
        let base = (*tp).tp_base;
        let gc_base = !base.is_null() && ffi::PyType_IS_GC(base) != 0;
        let has_del = ffi::PyObject_HasAttrString(cls, c"__del__".as_ptr()) != 0;
        let foreign_weakref = (*tp).tp_weaklistoffset != 0 && !opts.weakref_inherited;
        let foreign_dict = (*tp).tp_dictoffset != 0;
        match opts.gc {
            Some(false) => {
                let why = if opts.own_dict_slot {
                    Some("extra=True keeps an attribute dict, which can close a cycle")
                } else if has_del {
                    Some("it defines __del__, which only runs for GC types")
                } else if foreign_weakref || foreign_dict {
                    Some("a base outside slotkit adds __weakref__ or __dict__, which CPython stores assuming a GC header")
                } else {
                    None
                };
                if let Some(why) = why {
                    let msg = format!("{}: gc=False is refused: {why}", super::util::qualname(tp));
                    raise(ffi::PyExc_TypeError, &msg);
                    return None;
                }
                Some(false)
            }
            Some(true) => Some(true),
            None => Some(auto || gc_base || has_del || foreign_weakref || foreign_dict),
        }
    }
}

/// # Safety
/// GIL held; `options` live.
unsafe fn parse_options(options: *mut ffi::PyObject) -> Option<ClassOptions> {
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
            weakref_inherited: flag(c"weakref_inherited"),
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

/// Turns this class's own hidden slot into raw storage CPython manages through an offset
/// (`tp_weaklistoffset` / `tp_dictoffset`): its member definition stops being an object slot (so
/// the slot loops of traverse/clear/dealloc leave it to CPython's own weakref and dict handling)
/// and its descriptor leaves the class. Returns the slot's offset.
///
/// # Safety
/// GIL held; `tp` just created with `name` among its own `__slots__`, no instance yet.
unsafe fn hide_slot(tp: *mut ffi::PyTypeObject, name: &std::ffi::CStr) -> Option<isize> {
    // SAFETY: forwarded; the member definition lives inside `tp`'s own allocation.
    unsafe {
        let dict = (*tp).tp_dict;
        let d = ffi::PyDict_GetItemString(dict, name.as_ptr());
        if d.is_null() || ffi::Py_TYPE(d) != ptr::addr_of_mut!(ffi::PyMemberDescr_Type) {
            raise(ffi::PyExc_SystemError, "slotkit: hidden slot is missing");
            return None;
        }
        let def = (*d.cast::<ffi::PyMemberDescrObject>()).d_member;
        (*def).type_code = ffi::Py_T_PYSSIZET;
        (*def).flags |= ffi::Py_READONLY;
        let offset = (*def).offset;
        if ffi::PyDict_DelItemString(dict, name.as_ptr()) < 0 {
            return None;
        }
        Some(offset)
    }
}

/// Gives a class with an attribute dict the usual `__dict__` attribute (created on first use).
///
/// # Safety
/// GIL held; `tp` live with `tp_dictoffset` set.
unsafe fn install_dict_descriptor(tp: *mut ffi::PyTypeObject) -> bool {
    // SAFETY: forwarded; the getset table is a leaked static, as descriptors keep pointers to it.
    unsafe {
        let getset: &'static mut ffi::PyGetSetDef = Box::leak(Box::new(ffi::PyGetSetDef {
            name: c"__dict__".as_ptr(),
            get: Some(ffi::PyObject_GenericGetDict),
            set: Some(ffi::PyObject_GenericSetDict),
            doc: c"The dictionary of attributes set beyond the declared fields (extra=True).".as_ptr(),
            closure: ptr::null_mut(),
        }));
        let Some(d) = Owned::from_new(ffi::PyDescr_NewGetSet(tp, getset)) else { return false };
        ffi::PyDict_SetItemString((*tp).tp_dict, c"__dict__".as_ptr(), d.as_ptr()) == 0
    }
}

/// Drops the GC header from every future instance. Must run before the first instance exists:
/// the allocation's pre-header depends on this flag.
///
/// # Safety
/// GIL held; `tp` a Record class with no instances.
unsafe fn make_non_gc(tp: *mut ffi::PyTypeObject) {
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
