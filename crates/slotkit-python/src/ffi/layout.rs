//! The per-class layout: each field's name, kind, byte offset and default, kept in storage that
//! the metaclass appends after CPython's `PyHeapTypeObject`.

use std::cell::Cell;
use std::collections::HashMap;
use std::ptr;
use std::sync::atomic::{AtomicIsize, Ordering};

use pyo3::ffi;
use slotkit_core::Kind;

use super::registry;
use super::util::Owned;

/// What a field holds when the constructor is not given a value for it.
#[derive(Clone)]
pub enum Default {
    Required,
    /// Raw bits for an unboxed field, converted and checked once at class creation.
    Raw(u64),
    /// An object default (already checked against the field's kind).
    Value(Owned),
    /// Called with no arguments for each new instance; its result is checked like an argument.
    Factory(Owned),
}

#[derive(Clone)]
pub struct FieldSlot {
    /// Interned field name.
    pub name: Owned,
    pub kind: Kind,
    /// Byte offset of the 8-byte slot inside an instance.
    pub offset: isize,
    pub default: Default,
    pub kw_only: bool,
}

pub struct Layout {
    pub fields: Vec<FieldSlot>,
    /// Indices into `fields` of the fields that can be passed positionally, in order.
    pub positional: Vec<usize>,
    /// How many positional fields have no default (for CPython's "takes from N to M" wording).
    pub required_positional: usize,
    /// The constructor fast path is valid: `__new__` is slotkit's and `__init__` is the one
    /// generated for this class.
    pub fast: Cell<bool>,
    /// The class (or a base) defines `__post_init__`.
    pub post_init: Cell<bool>,
    /// The class's `tp_version_tag` when `fast` and `post_init` were computed. CPython gives a
    /// class a new tag whenever it or any base is modified (a mixin gaining `__post_init__`, an
    /// `__init__` replaced), so a different tag means: compute them again.
    pub version: Cell<std::ffi::c_uint>,
    /// Class options that change behaviour at run time.
    pub options: Options,
    /// The class (or a Record base) has slotkit's hidden weak-reference slot.
    pub weakref_slot: bool,
    /// Some class in the layout chain has an object slot (a `T_OBJECT_EX` member) for the
    /// deallocator to release; false for all-unboxed records, whose deallocation then skips the
    /// walk. Set once the class is finished.
    pub object_slots: Cell<bool>,
    /// Name (interned pointer) to field index, for classes with many fields.
    index: HashMap<usize, usize>,
}

/// Above this many fields, names are found through a hash map instead of a scan.
const SCAN_LIMIT: usize = 12;

/// The class keywords that act on instances (the others shape the layout at creation).
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// `==` compares fields (`eq=True`, the default); otherwise identity.
    pub eq: bool,
    /// `<`, `<=`, `>`, `>=` compare fields in order.
    pub order: bool,
}

impl Layout {
    pub fn new(fields: Vec<FieldSlot>, positional: Vec<usize>, options: Options, weakref_slot: bool) -> Layout {
        let required_positional = positional.iter().filter(|&&i| matches!(fields[i].default, Default::Required)).count();
        let index = if fields.len() > SCAN_LIMIT {
            fields.iter().enumerate().map(|(i, f)| (f.name.as_ptr() as usize, i)).collect()
        } else {
            HashMap::new()
        };
        Layout {
            fields,
            positional,
            required_positional,
            fast: Cell::new(false),
            post_init: Cell::new(false),
            version: Cell::new(0),
            options,
            weakref_slot,
            object_slots: Cell::new(true),
            index,
        }
    }

    /// The index of the field called `name`, if any.
    ///
    /// # Safety
    /// The GIL must be held and `name` must be a live object.
    #[inline]
    pub unsafe fn find(&self, name: *mut ffi::PyObject) -> Option<usize> {
        // Pointer equality first over all fields: call sites and annotations share interned
        // strings, so the slower comparison by value is rarely reached.
        if self.index.is_empty() {
            if let Some(i) = self.fields.iter().position(|f| f.name.as_ptr() == name) {
                return Some(i);
            }
        } else if let Some(&i) = self.index.get(&(name as usize)) {
            return Some(i);
        }
        // SAFETY: GIL held and `name` live (caller); field names are live strs we own.
        self.fields.iter().position(|f| unsafe { super::util::same_name(name, f.name.as_ptr()) })
    }

    /// Calls `visit` on every object this layout holds (for the metaclass's `tp_traverse`).
    pub fn traverse(&self, visit: ffi::visitproc, arg: *mut std::ffi::c_void) -> std::ffi::c_int {
        for f in &self.fields {
            let obj = match &f.default {
                Default::Value(o) | Default::Factory(o) => o.as_ptr(),
                Default::Required | Default::Raw(_) => continue,
            };
            // SAFETY: `obj` is a live object we own; `visit` comes from the collector.
            let r = unsafe { visit(obj, arg) };
            if r != 0 {
                return r;
            }
        }
        0
    }
}

/// Byte offset of the layout pointer inside a class object: right after `type`'s own struct.
static SLOT_OFFSET: AtomicIsize = AtomicIsize::new(0);

/// Records where the metaclass keeps the layout pointer (`type.__basicsize__`).
pub fn set_slot_offset(offset: isize) {
    SLOT_OFFSET.store(offset, Ordering::Relaxed);
}

pub fn slot_offset() -> isize {
    SLOT_OFFSET.load(Ordering::Relaxed)
}

/// Address of the layout pointer stored in a class created by `RecordMeta`.
///
/// # Safety
/// `cls` must be a live instance of `RecordMeta` (or of a subclass of it).
#[inline]
pub unsafe fn slot_ptr(cls: *mut ffi::PyObject) -> *mut *mut Layout {
    // SAFETY: RecordMeta's basicsize is `type`'s plus one pointer; subclasses cannot change it
    // (type's itemsize forbids added slots), so the pointer lies inside `cls`'s allocation.
    unsafe { cls.cast::<u8>().offset(slot_offset()).cast::<*mut Layout>() }
}

/// The layout of `cls` if it is a finished Record class, else `None`.
///
/// # Safety
/// The GIL must be held and `cls` must be a live object.
#[inline]
pub unsafe fn of_class<'a>(cls: *mut ffi::PyObject) -> Option<&'a Layout> {
    // SAFETY: GIL held, `cls` live (caller). The type check guarantees the slot exists; the
    // layout lives until the metaclass clears or frees the class, which cannot happen while the
    // caller holds `cls`, and all mutation is by the GIL-holding owner.
    unsafe {
        if ffi::PyObject_TypeCheck(cls, registry::meta_type()) == 0 {
            return None;
        }
        let p = *slot_ptr(cls);
        (!p.is_null()).then(|| &*p)
    }
}

/// The layout of an instance's class.
///
/// # Safety
/// The GIL must be held and `obj` must be a live object.
#[inline]
pub unsafe fn of_instance<'a>(obj: *mut ffi::PyObject) -> Option<&'a Layout> {
    // SAFETY: forwarded; an instance keeps its class alive.
    unsafe { of_class(ffi::Py_TYPE(obj).cast()) }
}

/// A class's layout together with a strong reference to the class, so that the layout stays
/// alive while Python code runs (a field's `__eq__`, `__repr__`, `__hash__` or `__index__` can
/// assign `obj.__class__` or drop the last other reference to the class).
pub struct Pinned<'a> {
    _cls: Owned,
    layout: &'a Layout,
}

impl std::ops::Deref for Pinned<'_> {
    type Target = Layout;
    fn deref(&self) -> &Layout {
        self.layout
    }
}

/// The layout of an instance's class, pinned for the caller's whole operation.
///
/// # Safety
/// The GIL must be held and `obj` must be a live object.
pub unsafe fn pin_instance<'a>(obj: *mut ffi::PyObject) -> Option<Pinned<'a>> {
    // SAFETY: forwarded; the class is live (the instance holds it) when the reference is taken,
    // and the layout is only freed by the class's clear/dealloc, which cannot run while we hold
    // the class.
    unsafe {
        let tp = ffi::Py_TYPE(obj).cast::<ffi::PyObject>();
        let layout = of_class(tp)?;
        Some(Pinned { _cls: Owned::from_borrowed(tp), layout })
    }
}

/// Installs `layout` on `cls`, freeing any previous one.
///
/// # Safety
/// The GIL must be held and `cls` must be a live instance of `RecordMeta`.
pub unsafe fn install(cls: *mut ffi::PyObject, layout: Box<Layout>) {
    // SAFETY: the slot exists (caller); the old pointer, if any, came from Box::into_raw.
    unsafe {
        let slot = slot_ptr(cls);
        let old = std::mem::replace(&mut *slot, Box::into_raw(layout));
        if !old.is_null() {
            drop(Box::from_raw(old));
        }
    }
}

/// Detaches the layout from `cls` (for clear and dealloc) and returns it, to be dropped by the
/// caller once the class no longer needs it.
///
/// # Safety
/// The GIL must be held and `cls` must be a live instance of `RecordMeta`.
pub unsafe fn take(cls: *mut ffi::PyObject) -> Option<Box<Layout>> {
    // SAFETY: the slot exists (caller); a non-null pointer came from Box::into_raw.
    unsafe {
        let slot = slot_ptr(cls);
        let old = std::mem::replace(&mut *slot, ptr::null_mut());
        (!old.is_null()).then(|| Box::from_raw(old))
    }
}

/// Brings `layout.fast` and `layout.post_init` up to date with `cls` as it is now, if its
/// version tag moved since they were computed. Returns false with an error set.
///
/// # Safety
/// The GIL must be held; `layout` is `cls`'s layout and `cls` is held by the caller.
#[inline]
pub unsafe fn current(cls: *mut ffi::PyObject, layout: &Layout) -> bool {
    // SAFETY: forwarded.
    unsafe {
        let tag = (*cls.cast::<ffi::PyTypeObject>()).tp_version_tag;
        (tag != 0 && tag == layout.version.get()) || revalidate(cls, layout)
    }
}

/// Recomputes `fast` (the class is built by slotkit's `__new__` and its `__init__` is the one
/// generated for it) and `post_init` (the class or a base defines `__post_init__`) from the
/// class's attributes, and records the version tag they hold for (0 when the class changed
/// meanwhile, so that the next call looks again).
///
/// # Safety
/// As for [`current`].
#[cold]
pub unsafe fn revalidate(cls: *mut ffi::PyObject, layout: &Layout) -> bool {
    // SAFETY: forwarded; attribute lookups go through `type`'s, which also assigns the class a
    // version tag; every new reference is released.
    unsafe {
        let tp = cls.cast::<ffi::PyTypeObject>();
        let init = Owned::from_new(ffi::PyObject_GetAttr(cls, registry::init_name()));
        if init.is_none() {
            ffi::PyErr_Clear();
        }
        let tag = (*tp).tp_version_tag;
        let own_init = init.is_some_and(|i| super::init::is_generated_for(i.as_ptr(), cls));
        layout.fast.set(own_init && super::base::has_record_new(tp));
        let post = ffi::PyObject_HasAttr(cls, registry::post_init_name()) != 0;
        layout.post_init.set(post);
        let now = (*tp).tp_version_tag;
        layout.version.set(if now == tag { now } else { 0 });
        true
    }
}
