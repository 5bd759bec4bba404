//! Each field's slot, found in what CPython built and checked against it: own fields in the
//! class's own member definitions (inside the class object, out of Python's reach), inherited
//! fields in the native layout of the Record base. The class dictionary and the Python-side
//! `__slotkit_fields__` are only checked, never trusted: `__init_subclass__` and `__set_name__`
//! run between `type.__new__` and this finish and can rebind anything.
//!
//! Also here: turning a slot unboxed, read-only or hidden, slotkit's descriptors, and re-tagging
//! the slot names that `__class__` assignment compares.

use std::collections::HashMap;
use std::ptr;

use pyo3::ffi;
use slotkit_core::{Kind, Scalar};

use super::convert::{self, Source};
use super::descr;
use super::layout::{self, Default, FieldSlot, Layout};
use super::specs::Spec;
use super::util::{qualname, raise, text_of, Owned};

/// A field's final slot, and whether this class declares it.
pub struct Resolved {
    pub slot: FieldSlot,
    pub own: bool,
}

/// This class's own member definitions by name (built once: a class may have many fields).
///
/// # Safety
/// GIL held; `tp` a live heap type.
unsafe fn own_member_index(tp: *mut ffi::PyTypeObject) -> HashMap<Vec<u8>, usize> {
    // SAFETY: member names are NUL-terminated strings owned by the class.
    unsafe {
        own_members(tp)
            .iter()
            .enumerate()
            .filter(|(_, m)| !m.name.is_null())
            .map(|(i, m)| (std::ffi::CStr::from_ptr(m.name).to_bytes().to_vec(), i))
            .collect()
    }
}

/// The layout of the Record base this class inherits its fields from: the Record class in its
/// MRO with the most fields (all Record bases with fields lie on one chain).
///
/// # Safety
/// GIL held; `tp` a live class whose MRO is set.
pub unsafe fn parent_layout<'a>(tp: *mut ffi::PyTypeObject) -> Option<&'a Layout> {
    // SAFETY: forwarded; MRO entries are live classes held by the MRO tuple, and their layouts
    // live as long as they do (the new class holds them through its MRO).
    unsafe {
        let mro = (*tp).tp_mro;
        let mut best: Option<&Layout> = None;
        for i in 1..ffi::PyTuple_GET_SIZE(mro) {
            if let Some(l) = layout::of_class(ffi::PyTuple_GET_ITEM(mro, i)) {
                if best.is_none_or(|b| l.fields.len() > b.fields.len()) {
                    best = Some(l);
                }
            }
        }
        best
    }
}

/// The member definitions a heap type adds, stored after its type struct.
///
/// # Safety
/// GIL held; `tp` a live heap type.
unsafe fn own_members<'a>(tp: *mut ffi::PyTypeObject) -> &'a mut [ffi::PyMemberDef] {
    // SAFETY: Py_SIZE counts the definitions that follow the struct at the metatype's
    // basicsize (the guard checks this layout at import).
    unsafe {
        let n = ffi::Py_SIZE(tp.cast()).max(0) as usize;
        let first = tp.cast::<u8>().offset((*ffi::Py_TYPE(tp.cast())).tp_basicsize).cast::<ffi::PyMemberDef>();
        std::slice::from_raw_parts_mut(first, n)
    }
}

/// This class's own member definition whose slot is at `offset`.
///
/// # Safety
/// GIL held; `tp` a live heap type.
unsafe fn own_member_at<'a>(tp: *mut ffi::PyTypeObject, offset: isize) -> Option<&'a mut ffi::PyMemberDef> {
    // SAFETY: forwarded.
    unsafe {
        // `type.__new__` lays slots out in the order of their definitions, so offsets ascend:
        // a binary search (classes may have thousands of fields), checked, with a scan as the
        // fallback should that order ever change.
        let members = own_members(tp);
        let found = match members.binary_search_by_key(&offset, |m| m.offset) {
            Ok(i) => Some(i),
            Err(_) => members.iter().position(|m| m.offset == offset),
        };
        found.map(|i| &mut members[i]).filter(|m| m.type_code != ffi::Py_T_PYSSIZET)
    }
}

/// # Safety
/// GIL held.
unsafe fn refuse(tp: *mut ffi::PyTypeObject, name: *mut ffi::PyObject, why: &str) {
    // SAFETY: forwarded.
    unsafe { raise(ffi::PyExc_TypeError, &format!("{}.{}: {why}", qualname(tp), text_of(name))) }
}

/// Every field's slot: inherited ones copied from the parent's layout (the specs must name them
/// in order), own ones from this class's member definitions, each verified to be what the class
/// resolves the name to. Returns `None` with `TypeError` set.
///
/// # Safety
/// GIL held; `tp` just returned by `type.__new__`; `parent` the result of [`parent_layout`].
pub unsafe fn resolve_fields(tp: *mut ffi::PyTypeObject, parent: Option<&Layout>, specs: Vec<Spec>) -> Option<Vec<Resolved>> {
    // SAFETY: forwarded; every pointer read is owned by `tp`, its MRO or the specs.
    unsafe {
        let inherited = parent.map_or(&[][..], |p| &p.fields[..]);
        if specs.len() < inherited.len() {
            raise(ffi::PyExc_TypeError, &format!("{}: the field list does not include the inherited fields", qualname(tp)));
            return None;
        }
        let mut out: Vec<Resolved> = Vec::with_capacity(specs.len());
        let members = own_member_index(tp);
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::with_capacity(specs.len());
        for (i, spec) in specs.into_iter().enumerate() {
            if !seen.insert(text_of(spec.name.as_ptr())) {
                refuse(tp, spec.name.as_ptr(), "the field is declared twice");
                return None;
            }
            let resolved = if let Some(base) = inherited.get(i) {
                if !super::util::same_name(spec.name.as_ptr(), base.name.as_ptr()) {
                    let msg = format!(
                        "{}: inherited field {} is out of order or renamed (expected '{}')",
                        qualname(tp),
                        text_of(spec.name.as_ptr()),
                        text_of(base.name.as_ptr())
                    );
                    raise(ffi::PyExc_TypeError, &msg);
                    return None;
                }
                Resolved { slot: base.clone(), own: false }
            } else {
                let offset = own_slot(tp, &members, &spec)?;
                let default = convert_default(tp, &spec)?;
                let slot = FieldSlot { name: spec.name, kind: spec.kind, offset, default, kw_only: spec.kw_only };
                Resolved { slot, own: true }
            };
            // Own fields were checked against the class's own dict entry above.
            if !resolved.own && !resolves_to_slot(tp, &resolved.slot) {
                return None;
            }
            out.push(resolved);
        }
        Some(out)
    }
}

/// The offset of the object slot `type.__new__` made for an own field, after checking that the
/// class attribute is still that slot's member descriptor.
///
/// # Safety
/// GIL held; `tp` live.
unsafe fn own_slot(tp: *mut ffi::PyTypeObject, members: &HashMap<Vec<u8>, usize>, spec: &Spec) -> Option<isize> {
    // SAFETY: forwarded.
    unsafe {
        let name = spec.name.as_ptr();
        let Some(member) = members.get(text_of(name).as_bytes()).map(|&i| &own_members(tp)[i]) else {
            refuse(tp, name, "the class has no slot for this field");
            return None;
        };
        let offset = member.offset;
        if member.type_code != ffi::Py_T_OBJECT_EX
            || member.flags & ffi::Py_READONLY != 0
            || offset < std::mem::size_of::<ffi::PyObject>() as isize
            || offset + 8 > (*tp).tp_basicsize
        {
            refuse(tp, name, "the slot for this field is not an object slot");
            return None;
        }
        let d = ffi::PyDict_GetItemWithError((*tp).tp_dict, name);
        let genuine = !d.is_null()
            && ffi::Py_TYPE(d) == ptr::addr_of_mut!(ffi::PyMemberDescr_Type)
            && ptr::eq((*d.cast::<ffi::PyMemberDescrObject>()).d_member.cast_const(), member);
        if !genuine {
            if ffi::PyErr_Occurred().is_null() {
                refuse(
                    tp,
                    name,
                    "the field's slot descriptor was replaced while the class was being created \
                     (in __init_subclass__ or __set_name__); a field's class attribute cannot be rebound",
                );
            }
            return None;
        }
        Some(offset)
    }
}

/// True when looking `field`'s name up on the class finds a descriptor of that very slot (a
/// member descriptor or slotkit's own, with the same offset and storage); otherwise raises.
///
/// # Safety
/// GIL held; `tp` live with its MRO set.
unsafe fn resolves_to_slot(tp: *mut ffi::PyTypeObject, field: &FieldSlot) -> bool {
    // SAFETY: forwarded.
    unsafe {
        let (d, owner) = mro_lookup(tp, field.name.as_ptr());
        if d.is_null() {
            if ffi::PyErr_Occurred().is_null() {
                refuse(tp, field.name.as_ptr(), "the field has no slot descriptor");
            }
            return false;
        }
        let genuine = if ffi::Py_TYPE(d) == ptr::addr_of_mut!(ffi::PyMemberDescr_Type) {
            let m = (*d.cast::<ffi::PyMemberDescrObject>()).d_member;
            (*m).type_code == ffi::Py_T_OBJECT_EX && (*m).offset == field.offset && field.kind.is_object()
        } else {
            descr::field_slot(d).is_some_and(|(o, kind, offset)| {
                !o.is_null() && kind == field.kind && offset == field.offset && ffi::PyType_IsSubtype(tp, o) != 0
            })
        };
        if !genuine {
            let msg = format!(
                "the field is shadowed by the attribute {} of {} (rename one of them)",
                text_of(field.name.as_ptr()),
                qualname(owner)
            );
            refuse(tp, field.name.as_ptr(), &msg);
        }
        genuine
    }
}

/// What `name` resolves to on class `tp` (borrowed) and the class whose dict holds it, by the
/// MRO; NULL when nothing does (with an error set only if a lookup failed).
///
/// # Safety
/// GIL held; `tp` live with its MRO set.
unsafe fn mro_lookup(tp: *mut ffi::PyTypeObject, name: *mut ffi::PyObject) -> (*mut ffi::PyObject, *mut ffi::PyTypeObject) {
    // SAFETY: forwarded; MRO dicts are owned by live classes.
    unsafe {
        let mro = (*tp).tp_mro;
        for i in 0..ffi::PyTuple_GET_SIZE(mro) {
            let t = ffi::PyTuple_GET_ITEM(mro, i).cast::<ffi::PyTypeObject>();
            let dict = (*t).tp_dict;
            if dict.is_null() {
                continue;
            }
            let d = ffi::PyDict_GetItemWithError(dict, name);
            if !d.is_null() || !ffi::PyErr_Occurred().is_null() {
                return (d, t);
            }
        }
        (ptr::null_mut(), ptr::null_mut())
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
        let name = spec.name.as_ptr();
        match spec.kind {
            Kind::Scalar(s) => {
                let bits = match convert::scalar_value(tp, name, s, spec.kind, value.as_ptr(), Source::Default)? {
                    convert::Number::F64(f) => slotkit_core::unset::encode_f64(f),
                    convert::Number::I64(i) => match slotkit_core::unset::encode_i64(i) {
                        Some(raw) => raw,
                        None => {
                            refuse(tp, name, "the default -2**63 does not fit an int field");
                            return None;
                        }
                    },
                    convert::Number::Bool(b) => slotkit_core::unset::encode_bool(b),
                };
                Some(Default::Raw(bits))
            }
            kind => {
                let v = Owned::from_new(convert::object_value(tp, name, kind, value.as_ptr(), Source::Default))?;
                Some(Default::Value(v))
            }
        }
    }
}

/// Turns this class's own `T_OBJECT_EX` slot into an unboxed one: the member definition's type
/// code changes (so CPython's traverse/clear/dealloc skip it) and the class attribute becomes a
/// slotkit descriptor.
///
/// # Safety
/// GIL held; `tp` has a verified member descriptor for `name` and no instances yet.
pub unsafe fn unbox(tp: *mut ffi::PyTypeObject, name: *mut ffi::PyObject, scalar: Scalar, offset: isize) -> bool {
    // SAFETY: forwarded; the member definition lives inside `tp`'s own allocation.
    unsafe {
        let Some(member) = own_member_at(tp, offset) else {
            raise(ffi::PyExc_SystemError, "slotkit: member definition vanished");
            return false;
        };
        member.type_code = match scalar {
            Scalar::F64 => ffi::Py_T_DOUBLE,
            Scalar::I64 | Scalar::Bool => ffi::Py_T_LONGLONG,
        };
        install_descriptor(tp, name, Kind::Scalar(scalar), offset)
    }
}

/// Makes the member descriptor of this class's own field at `offset` refuse writes (`Py_READONLY`):
/// slotkit writes the slot itself, after the check.
///
/// # Safety
/// GIL held; `tp` live with an own member definition at `offset`.
pub unsafe fn make_read_only(tp: *mut ffi::PyTypeObject, offset: isize) -> bool {
    // SAFETY: forwarded; the member definition lives inside `tp`'s own allocation.
    unsafe {
        let Some(member) = own_member_at(tp, offset) else {
            raise(ffi::PyExc_SystemError, "slotkit: member definition vanished");
            return false;
        };
        member.flags |= ffi::Py_READONLY;
        true
    }
}

/// Puts a slotkit field descriptor for `name` in `tp`'s own dictionary.
///
/// # Safety
/// GIL held; every instance of `tp` has a slot of `kind` at `offset`.
pub unsafe fn install_descriptor(tp: *mut ffi::PyTypeObject, name: *mut ffi::PyObject, kind: Kind, offset: isize) -> bool {
    // SAFETY: forwarded.
    unsafe {
        let Some(d) = Owned::from_new(descr::new(tp, name, kind, offset)) else { return false };
        ffi::PyDict_SetItem((*tp).tp_dict, name, d.as_ptr()) == 0
    }
}

/// Gives `tp` a checking descriptor for every checked object field that still resolves to a
/// member descriptor (for classes whose writes stopped going through the checked setattr).
///
/// # Safety
/// GIL held; `tp` live.
pub unsafe fn checking_descriptors(tp: *mut ffi::PyTypeObject) -> bool {
    // SAFETY: forwarded; the layout is owned by `tp`, which the caller holds.
    unsafe {
        let Some(layout) = layout::of_class(tp.cast()) else { return true };
        let wanted: Vec<(Owned, Kind, isize)> = layout
            .fields
            .iter()
            .filter(|f| f.kind.is_object() && f.kind.is_checked())
            .map(|f| (f.name.clone(), f.kind, f.offset))
            .collect();
        for (name, kind, offset) in wanted {
            let (found, _) = mro_lookup(tp, name.as_ptr());
            if !found.is_null() && ffi::Py_TYPE(found) == ptr::addr_of_mut!(ffi::PyMemberDescr_Type) && !install_descriptor(tp, name.as_ptr(), kind, offset) {
                return false;
            }
        }
        ffi::PyType_Modified(tp);
        true
    }
}

/// Makes the recorded slot names carry their kinds (`x:f64`, `__slotkit_weakref__:weakref`),
/// so that `__class__` assignment, which compares only slot names and sizes, refuses classes
/// whose same-named slots differ, and classes outside slotkit (whose slot names cannot contain
/// a colon) altogether.
///
/// # Safety
/// GIL held; `tp` a heap type whose layout is installed.
pub unsafe fn retag_names(tp: *mut ffi::PyTypeObject) -> bool {
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
        let kinds: HashMap<String, &str> = layout.fields.iter().map(|f| (text_of(f.name.as_ptr()), f.kind.code())).collect();
        for i in 0..n {
            let item = ffi::PyTuple_GET_ITEM(old, i);
            let text = text_of(item);
            let tag = match kinds.get(&text) {
                Some(&code) => Some(code),
                None => match text.as_str() {
                    "__slotkit_weakref__" => Some("weakref"),
                    "__slotkit_dict__" => Some("dict"),
                    _ => None,
                },
            };
            let tagged = match tag {
                Some(tag) => {
                    let text = format!("{text}:{tag}");
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

/// Turns this class's own hidden slot into raw storage CPython manages through an offset
/// (`tp_weaklistoffset` / `tp_dictoffset`): its member definition stops being an object slot (so
/// the slot loops of traverse/clear/dealloc leave it to CPython's own weakref and dict handling)
/// and its descriptor leaves the class. Returns the slot's offset.
///
/// # Safety
/// GIL held; `tp` just created with `name` among its own `__slots__`, no instance yet.
pub unsafe fn hide(tp: *mut ffi::PyTypeObject, name: &std::ffi::CStr) -> Option<isize> {
    // SAFETY: forwarded; the member definition lives inside `tp`'s own allocation.
    unsafe {
        let Some(member) = own_members(tp).iter_mut().find(|m| !m.name.is_null() && std::ffi::CStr::from_ptr(m.name) == name) else {
            raise(ffi::PyExc_SystemError, "slotkit: hidden slot is missing");
            return None;
        };
        member.type_code = ffi::Py_T_PYSSIZET;
        member.flags |= ffi::Py_READONLY;
        let offset = member.offset;
        let dict = (*tp).tp_dict;
        if !ffi::PyDict_GetItemString(dict, name.as_ptr()).is_null() && ffi::PyDict_DelItemString(dict, name.as_ptr()) < 0 {
            return None;
        }
        Some(offset)
    }
}

/// Gives a class with an attribute dict the usual `__dict__` attribute (created on first use).
///
/// # Safety
/// GIL held; `tp` live with `tp_dictoffset` set.
pub unsafe fn install_dict_descriptor(tp: *mut ffi::PyTypeObject) -> bool {
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
