//! The per-class layout: each field's name, kind, byte offset and default, kept in storage that
//! the metaclass appends after CPython's `PyHeapTypeObject`.

use std::cell::Cell;
use std::ptr;
use std::sync::atomic::{AtomicIsize, Ordering};

use pyo3::ffi;
use slotkit_core::Kind;

use super::registry;
use super::util::Owned;

/// What a field holds when the constructor is not given a value for it.
pub enum Default {
    Required,
    /// Raw bits for an unboxed field, converted and checked once at class creation.
    Raw(u64),
    /// An object default (already checked against the field's kind).
    Value(Owned),
    /// Called with no arguments for each new instance; its result is checked like an argument.
    Factory(Owned),
}

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
    /// The constructor fast path is valid: `__new__` is slotkit's and `__init__` is the one
    /// generated for this class. Recomputed when a dunder is assigned on the class or a base.
    pub fast: Cell<bool>,
    /// The class (or a base) defines `__post_init__`.
    pub post_init: Cell<bool>,
    /// Class options that change behaviour at run time.
    pub options: Options,
}

/// The class keywords that act on instances (the others shape the layout at creation).
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// `==` compares fields (`eq=True`, the default); otherwise identity.
    pub eq: bool,
    /// `<`, `<=`, `>`, `>=` compare fields in order.
    pub order: bool,
}

impl Layout {
    /// The index of the field called `name`, if any.
    ///
    /// # Safety
    /// The GIL must be held and `name` must be a live object.
    #[inline]
    pub unsafe fn find(&self, name: *mut ffi::PyObject) -> Option<usize> {
        // Pointer equality first over all fields: call sites and annotations share interned
        // strings, so the slower comparison by value is rarely reached.
        if let Some(i) = self.fields.iter().position(|f| f.name.as_ptr() == name) {
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
