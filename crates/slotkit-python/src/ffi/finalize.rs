//! Finishing a class that `type.__new__` has laid out: verify every field's slot against what
//! CPython made (nothing Python code did in between is trusted), unbox the scalar slots, record
//! the layout, install the generated `__init__`, choose GC or non-GC, and set the fast paths.
//!
//! The pieces live beside this file: `specs` (what `prepare` asked for), `slots` (finding and
//! verifying each field's slot, descriptors, hidden slots), `gcmode` (GC or not, and the check
//! that no instance exists yet).

use pyo3::ffi;
use slotkit_core::{kind, Kind, Scalar};

use super::layout::{self, FieldSlot, Layout, Options};
use super::specs;
use super::util::Owned;
use super::{base, construct, gcmode, init, meta, protocols, setattr, slots};

const WEAKREF_SLOT: &std::ffi::CStr = c"__slotkit_weakref__";
const DICT_SLOT: &std::ffi::CStr = c"__slotkit_dict__";

/// Completes `cls`. Returns false with a Python error set (the caller drops the class).
///
/// # Safety
/// The GIL must be held; `cls` must be a class just returned by `type.__new__` for
/// `RecordMeta`; `specs` a list and `options` a dict from `prepare` (both are validated: nothing
/// in them can make the layout disagree with the class).
pub unsafe fn finalize(cls: *mut ffi::PyObject, specs: *mut ffi::PyObject, options: *mut ffi::PyObject) -> bool {
    // SAFETY: forwarded from the caller; every borrowed pointer is used while its owner lives.
    unsafe {
        let tp = cls.cast::<ffi::PyTypeObject>();
        let Some(specs) = specs::parse(specs) else { return false };
        let Some(opts) = specs::parse_options(options) else { return false };
        let instantiable_before = !base::has_record_new(tp);
        if !gcmode::check_unborn(cls, instantiable_before) {
            return false;
        }
        let parent = slots::parent_layout(tp);
        let Some(mut fields) = slots::resolve_fields(tp, parent, specs) else { return false };
        let own_scalars: Vec<usize> = (0..fields.len())
            .filter(|&i| fields[i].own && matches!(fields[i].slot.kind, Kind::Scalar(_)))
            .collect();
        let weakref_inherited = parent.is_some_and(|p| p.weakref_slot);
        let has_checked_objects = fields.iter().any(|f| f.slot.kind.is_object() && f.slot.kind.is_checked());
        let auto_gc = kind::needs_gc(fields.iter().map(|f| f.slot.kind)) || opts.own_dict_slot || opts.hidden_objects;
        let Some(needs_gc) = gcmode::decide(cls, &opts, weakref_inherited, auto_gc, instantiable_before && gcmode::objects_frozen()) else {
            return false;
        };
        let own_scalar_info: Vec<(Owned, Scalar, isize)> = own_scalars
            .iter()
            .map(|&i| {
                let Kind::Scalar(s) = fields[i].slot.kind else { unreachable!("own_scalars holds scalars") };
                (fields[i].slot.name.clone(), s, fields[i].slot.offset)
            })
            .collect();
        let checked_writes_through_setattro = has_checked_objects && opts.checked_setattr;
        let own_checked_objects: Vec<(Owned, Kind, isize)> = fields
            .iter()
            .filter(|f| f.own && f.slot.kind.is_object() && f.slot.kind.is_checked())
            .map(|f| (f.slot.name.clone(), f.slot.kind, f.slot.offset))
            .collect();
        let descriptor_fields: Vec<(Owned, Kind, isize)> = if has_checked_objects && !opts.checked_setattr {
            fields
                .iter()
                .filter(|f| f.slot.kind.is_object() && f.slot.kind.is_checked())
                .map(|f| (f.slot.name.clone(), f.slot.kind, f.slot.offset))
                .collect()
        } else {
            Vec::new()
        };
        let positional = (0..fields.len()).filter(|&i| !fields[i].slot.kw_only).collect();
        layout::install(
            cls,
            Box::new(Layout::new(
                fields.drain(..).map(|f| f.slot).collect::<Vec<FieldSlot>>(),
                positional,
                Options { eq: opts.runtime.eq, order: opts.runtime.order },
                weakref_inherited || opts.own_weakref_slot,
            )),
        );
        for (name, scalar, offset) in &own_scalar_info {
            if !slots::unbox(tp, name.as_ptr(), *scalar, *offset) {
                return false;
            }
        }
        // The member descriptors of checked object fields refuse writes (so neither
        // `P.name.__set__` nor `object.__setattr__` can store an unchecked value, which could
        // also close a cycle in a non-GC class); slotkit writes those slots itself. Read-only
        // members are released by slotkit's deallocator only, which every non-GC class and
        // most GC ones end in; a GC class whose layout chain ends elsewhere (a plain slotted
        // base listed first) checks in slotkit descriptors instead.
        let read_only_ok = !needs_gc || gcmode::ends_in_record_dealloc(tp);
        for (name, kind, offset) in &own_checked_objects {
            let ok = if read_only_ok {
                slots::make_read_only(tp, *offset)
            } else {
                slots::install_descriptor(tp, name.as_ptr(), *kind, *offset)
            };
            if !ok {
                return false;
            }
        }
        // Classes whose writes do not go through the checked tp_setattro (frozen, or with a
        // `__setattr__` of their own) check in slotkit descriptors instead.
        for (name, kind, offset) in &descriptor_fields {
            if !slots::install_descriptor(tp, name.as_ptr(), *kind, *offset) {
                return false;
            }
        }
        if opts.own_weakref_slot {
            let Some(offset) = slots::hide(tp, WEAKREF_SLOT) else { return false };
            (*tp).tp_weaklistoffset = offset;
        }
        if opts.own_dict_slot {
            let Some(offset) = slots::hide(tp, DICT_SLOT) else { return false };
            (*tp).tp_dictoffset = offset;
            if !slots::install_dict_descriptor(tp) {
                return false;
            }
        }
        if !slots::retag_names(tp) || !install_init(cls) {
            return false;
        }
        if let Some(shown) = &opts.shown_slots {
            if ffi::PyDict_SetItemString((*tp).tp_dict, c"__slots__".as_ptr(), shown.as_ptr()) < 0 {
                return false;
            }
        }
        if instantiable_before && (*tp).tp_new.map(|f| f as usize) == (*std::ptr::addr_of!(ffi::PyBaseObject_Type)).tp_new.map(|f| f as usize) {
            // A plain base listed first made `object.__new__` this class's constructor; a
            // Record's is slotkit's (so `cls.__new__(cls)`, copy and pickle work).
            (*tp).tp_new = (*super::registry::base_type()).tp_new;
        }
        if !needs_gc {
            gcmode::make_non_gc(tp);
        }
        if checked_writes_through_setattro {
            // `__setattr__` in the class dict is slotkit's Python-level checked setattr (for
            // `super().__setattr__` callers); instances are written through its C twin.
            (*tp).tp_setattro = Some(setattr::checked_setattro);
        }
        if opts.hash_fields {
            (*tp).tp_hash = Some(protocols::record_hash);
        }
        (*tp).tp_vectorcall = Some(construct::record_vectorcall);
        if let Some(l) = layout::of_class(cls) {
            l.object_slots.set(base::has_object_slots(tp));
        }
        ffi::PyType_Modified(tp);
        meta::refresh(cls)
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
