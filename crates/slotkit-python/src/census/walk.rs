//! The heap walk: every object `gc.get_objects()` returns, and every object reachable from them
//! through `tp_traverse` that the collector does not track (strings, floats, ints, bytes,
//! non-GC Records, untracked tuples and dicts), each counted once.
//!
//! The collector is disabled for the walk and nothing here runs Python code (C `__sizeof__`
//! methods only allocate their result), so no object is freed or moved while pointers to it
//! are held. The census's own objects are left out: the list `gc.get_objects()` returned (it
//! is not in itself), and objects of the types passed in `excluded` (the census result, whose
//! data is one string reachable only through it), which are neither counted nor traversed.

use std::ffi::{c_int, c_void, CStr};
use std::ptr;

use pyo3::ffi;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::layout::{for_each_value, Storage, Version};
use super::sizes::Sizer;
use super::tally::{Name, Tally};

/// `T_OBJECT` (a member that reads NULL as None), deprecated in pyo3-ffi under that name.
const T_OBJECT: std::ffi::c_int = 6;

pub struct Walk {
    pub sizer: Sizer,
    pub tallies: HashMap<usize, Tally>,
    /// objects reached that the collector does not track (tracked ones are the roots)
    seen: HashSet<usize>,
    stack: Vec<*mut ffi::PyObject>,
    excluded: HashSet<usize>,
    /// memory not in any object: values arrays without a dict (3.11, 3.12)
    pub loose_bytes: u64,
    pub objects: u64,
}

/// The `visitproc` given to `tp_traverse`: queues each untracked object not seen yet.
unsafe extern "C" fn visit(obj: *mut ffi::PyObject, arg: *mut c_void) -> c_int {
    if obj.is_null() {
        return 0;
    }
    // SAFETY: `arg` is the `Walk` that called `tp_traverse` (see `traverse`); `obj` is a live
    // object the traversed one refers to.
    unsafe {
        let walk = &mut *arg.cast::<Walk>();
        walk.reach(obj);
    }
    0
}

impl Walk {
    /// # Safety
    /// GIL held.
    pub unsafe fn new(version: Version, excluded: &[*mut ffi::PyObject]) -> Option<Walk> {
        // SAFETY: forwarded.
        let sizer = unsafe { Sizer::new(version)? };
        Some(Walk {
            sizer,
            tallies: HashMap::default(),
            seen: HashSet::default(),
            stack: Vec::new(),
            excluded: excluded.iter().map(|p| *p as usize).collect(),
            loose_bytes: 0,
            objects: 0,
        })
    }

    /// Queues `obj` when the collector does not track it and it was not seen before.
    ///
    /// # Safety
    /// GIL held; `obj` live.
    unsafe fn reach(&mut self, obj: *mut ffi::PyObject) {
        // SAFETY: PyObject_GC_IsTracked reads the type flags and the GC header only.
        if unsafe { ffi::PyObject_GC_IsTracked(obj) } != 0 {
            return;
        }
        if self.seen.insert(obj as usize) {
            self.stack.push(obj);
        }
    }

    /// Counts every root (a list of the tracked objects) and what it reaches.
    ///
    /// # Safety
    /// GIL held; the collector disabled; `roots` a live list.
    pub unsafe fn run(&mut self, roots: *mut ffi::PyObject) {
        // SAFETY: the list holds a reference to each root for the whole walk; reached objects
        // are kept alive by the roots (nothing is released: no Python code runs).
        unsafe {
            let n = ffi::PyList_GET_SIZE(roots);
            for i in 0..n {
                let obj = ffi::PyList_GET_ITEM(roots, i);
                self.count(obj);
                while let Some(o) = self.stack.pop() {
                    self.count(o);
                }
            }
        }
    }

    /// Counts one object and queues what it refers to.
    unsafe fn count(&mut self, obj: *mut ffi::PyObject) {
        // SAFETY: `obj` is live (see `run`); every pointer read is of it or its type.
        unsafe {
            let tp = ffi::Py_TYPE(obj);
            if self.excluded.contains(&(tp as usize)) {
                return;
            }
            self.objects += 1;
            let size = self.sizer.size(obj);
            let info = self.sizer.info(tp);
            let version = self.sizer.version;
            let mut tally = self.tallies.remove(&(tp as usize)).unwrap_or_default();
            tally.count += 1;
            tally.instance_bytes += size as u64;
            // instances of classes; classes themselves (instances of metaclasses) have no
            // attributes in the sense of a census
            if info.heap && ffi::PyType_Check(obj) == 0 {
                self.instance(obj, tp, &mut tally, version);
            }
            self.tallies.insert(tp as usize, tally);
            if let Some(traverse) = (*tp).tp_traverse {
                // only GC objects (`tp_is_gc`: static types are not) may be traversed
                if self.sizer.is_gc(obj, tp, info) {
                    traverse(obj, visit, ptr::from_mut(self).cast());
                }
            }
            if !info.gc && info.heap {
                // non-GC Records: their object fields are not visible through tp_traverse
                for_each_member(tp, |name, offset, object| {
                    if object {
                        let v = *obj.cast::<u8>().offset(offset).cast::<*mut ffi::PyObject>();
                        if !v.is_null() {
                            self.reach(v);
                        }
                    }
                    let _ = name;
                });
            }
        }
    }

    /// The attribute storage, attribute values and weak references of an instance of a class.
    unsafe fn instance(&mut self, obj: *mut ffi::PyObject, tp: *mut ffi::PyTypeObject, tally: &mut Tally, v: Version) {
        // SAFETY: `obj` live of heap type `tp`; storage views are read before anything else
        // happens (no Python code runs in between).
        unsafe {
            let inline = v.inline_bytes(obj, tp);
            let storage = v.storage(obj, tp);
            let mut storage_bytes = inline;
            match storage {
                Storage::None => {}
                Storage::Dict(d) => {
                    storage_bytes += self.sizer.size(d);
                    match v.split_values(d) {
                        Some(view) => for_each_value(&view, |k, val| self.observe(tally, Name::Py(k as usize), val)),
                        None => {
                            let mut pos: ffi::Py_ssize_t = 0;
                            let (mut k, mut val) = (ptr::null_mut(), ptr::null_mut());
                            while ffi::PyDict_Next(d, &mut pos, &mut k, &mut val) != 0 {
                                if ffi::PyUnicode_CheckExact(k) != 0 {
                                    self.observe(tally, Name::Py(k as usize), val);
                                }
                            }
                        }
                    }
                }
                Storage::Values { bytes, .. } => {
                    storage_bytes += bytes;
                    self.loose_bytes += bytes as u64;
                    for_each_value(&storage, |k, val| self.observe(tally, Name::Py(k as usize), val));
                }
            }
            self.loose_bytes += inline as u64;
            if !matches!(storage, Storage::None) || inline > 0 {
                tally.with_dict += 1;
            }
            tally.dict_bytes += storage_bytes as u64;
            tally.weakrefs |= v.has_weakrefs(obj, tp);
            let item = (*tp).tp_itemsize;
            if item != 0 {
                tally.var_bytes += (ffi::Py_SIZE(obj).unsigned_abs() * item as usize) as u64;
            }
            for_each_member(tp, |name, offset, object| {
                if object {
                    let val = *obj.cast::<u8>().offset(offset).cast::<*mut ffi::PyObject>();
                    if !val.is_null() {
                        self.observe(tally, Name::C(name as usize), val);
                    }
                }
            });
        }
    }

    /// One attribute value: its type, and its size when this reference is its only one.
    unsafe fn observe(&mut self, tally: &mut Tally, name: Name, val: *mut ffi::PyObject) {
        // SAFETY: `val` live; a tracked value also has a reference from the roots list.
        unsafe {
            let refs = ffi::Py_REFCNT(val) - isize::from(ffi::PyObject_GC_IsTracked(val) != 0);
            let held = if refs == 1 { Some(self.sizer.size(val)) } else { None };
            if let Some(n) = held {
                tally.held_bytes += n as u64;
            }
            tally.attr(name).observe(val, held);
        }
    }
}

/// Calls `f(name, offset, is_object)` for each slot member (`__slots__` entry or Record field)
/// that the heap types of `tp`'s layout chain define; dunder members (`__weaklistoffset__`,
/// `__dictoffset__`, slotkit's hidden slots) are not attributes and are skipped.
///
/// # Safety
/// GIL held; `tp` live.
pub unsafe fn for_each_member(tp: *mut ffi::PyTypeObject, mut f: impl FnMut(*const std::ffi::c_char, isize, bool)) {
    // SAFETY: forwarded (caller); a non-null member name is a NUL-terminated C string that lives
    // as long as the type.
    unsafe {
        crate::ffi::base::for_each_member_def(tp, |m| {
            if !m.name.is_null() {
                let name = CStr::from_ptr(m.name).to_bytes();
                if !(name.starts_with(b"__") && name.ends_with(b"__")) {
                    f(m.name, m.offset, m.type_code == ffi::Py_T_OBJECT_EX || m.type_code == T_OBJECT);
                }
            }
            true
        })
    }
}
