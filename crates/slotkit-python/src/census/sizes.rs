//! The bytes of one object, `sys.getsizeof` semantics without running Python code.
//!
//! `sys.getsizeof(o)` is `o.__sizeof__()` plus the pre-header (GC head, managed dict/weakref
//! words). The census never calls a `__sizeof__` written in Python (that runs arbitrary code in
//! the middle of a heap walk): a type whose `__sizeof__` is `object.__sizeof__` or written in
//! Python is measured as `object.__sizeof__` does it (`tp_basicsize + |ob_size| * tp_itemsize`),
//! a type whose `__sizeof__` is a C method (`str`, `int`, `list`, `set`, `type`, ...) gets that
//! method called, and a dict is measured here: like `dict.__sizeof__` for combined tables, and
//! exactly (values array with its prefix, see `layout`) for split ones. One exception to
//! `sys.getsizeof`: a one-digit `int` counts 32 bytes, what CPython allocates for it (see `size`).

use std::ffi::CStr;
use std::ptr;

use pyo3::ffi;
use rustc_hash::FxHashMap as HashMap;

use super::layout::Version;

extern "C" {
    /// The attribute `name` found along `tp`'s MRO, borrowed, without running Python code or
    /// raising (exported by CPython 3.11 to 3.15; not in pyo3-ffi).
    fn _PyType_Lookup(tp: *mut ffi::PyTypeObject, name: *mut ffi::PyObject) -> *mut ffi::PyObject;
}

/// How to size the instances of one type.
/// `int.__sizeof__` of a one-digit int on 3.11 to 3.15.
const INT_ONE_DIGIT: usize = 28;

#[derive(Clone, Copy)]
enum Method {
    /// `tp_basicsize + |ob_size| * tp_itemsize`
    Generic,
    /// a dict or dict subclass
    Dict,
    /// a C `__sizeof__` (borrowed method descriptor, alive while its type is)
    Call(*mut ffi::PyObject),
}

#[derive(Clone, Copy)]
pub struct TypeInfo {
    method: Method,
    pub gc: bool,
    /// a heap type (a class made by a `class` statement or `type()`)
    pub heap: bool,
    pub has_is_gc: bool,
}

pub struct Sizer {
    pub version: Version,
    types: HashMap<usize, TypeInfo>,
    object_sizeof: *mut ffi::PyObject,
    name: *mut ffi::PyObject,
    /// `__sizeof__` calls that failed (their objects count with the generic size)
    pub failures: usize,
}

impl Sizer {
    /// # Safety
    /// GIL held.
    pub unsafe fn new(version: Version) -> Option<Sizer> {
        // SAFETY: interning a static name; looking it up on `object`, which lives forever.
        unsafe {
            let name = ffi::PyUnicode_InternFromString(c"__sizeof__".as_ptr());
            if name.is_null() {
                return None;
            }
            let object_sizeof = _PyType_Lookup(ptr::addr_of_mut!(ffi::PyBaseObject_Type), name);
            Some(Sizer { version, types: HashMap::default(), object_sizeof, name, failures: 0 })
        }
    }

    /// # Safety
    /// GIL held; `tp` live.
    pub unsafe fn info(&mut self, tp: *mut ffi::PyTypeObject) -> TypeInfo {
        if let Some(i) = self.types.get(&(tp as usize)) {
            return *i;
        }
        // SAFETY: `_PyType_Lookup` returns a borrowed reference from the MRO's dicts (no Python
        // code runs); the type and its MRO stay alive during the walk.
        let info = unsafe {
            let flags = (*tp).tp_flags;
            let found = _PyType_Lookup(tp, self.name);
            let method = if flags & ffi::Py_TPFLAGS_DICT_SUBCLASS != 0 {
                Method::Dict
            } else if found.is_null() || found == self.object_sizeof {
                Method::Generic
            } else if ffi::Py_TYPE(found) == ptr::addr_of_mut!(ffi::PyMethodDescr_Type) {
                Method::Call(found)
            } else {
                Method::Generic
            };
            TypeInfo {
                method,
                gc: flags & ffi::Py_TPFLAGS_HAVE_GC != 0,
                heap: flags & ffi::Py_TPFLAGS_HEAPTYPE != 0,
                has_is_gc: (*tp).tp_is_gc.is_some(),
            }
        };
        self.types.insert(tp as usize, info);
        info
    }

    /// `_PyObject_IS_GC`: the type is GC and, when it has `tp_is_gc`, says so for this object.
    ///
    /// # Safety
    /// GIL held; `obj` live of type `tp`.
    pub unsafe fn is_gc(&self, obj: *mut ffi::PyObject, tp: *mut ffi::PyTypeObject, info: TypeInfo) -> bool {
        // SAFETY: tp_is_gc is a C function of the type, taking the object.
        info.gc && (!info.has_is_gc || unsafe { (*tp).tp_is_gc.is_some_and(|f| f(obj) != 0) })
    }

    /// The object's `sys.getsizeof` bytes (see module docs).
    ///
    /// # Safety
    /// GIL held; `obj` live; the garbage collector disabled (a C `__sizeof__` allocates).
    pub unsafe fn size(&mut self, obj: *mut ffi::PyObject) -> usize {
        // SAFETY: forwarded; every read is of the live object or its type.
        unsafe {
            let tp = ffi::Py_TYPE(obj);
            let info = self.info(tp);
            let body = match info.method {
                Method::Generic => generic(obj, tp),
                Method::Dict => match self.version.split_dict_extra(obj) {
                    Some(extra) => (*tp).tp_basicsize as usize + extra,
                    None => self.dict_sizeof(obj, tp),
                },
                Method::Call(descr) => {
                    let args = [obj];
                    let r = ffi::PyObject_Vectorcall(descr, args.as_ptr(), 1, ptr::null_mut());
                    let n = self.take_size(r).unwrap_or_else(|| generic(obj, tp));
                    // a one-digit int says 28, but CPython makes most of them (arithmetic,
                    // `_PyLong_FromMedium`) with `sizeof(PyLongObject)`, 32 bytes, and pymalloc
                    // rounds 28 up to 32 anyway
                    if n == INT_ONE_DIGIT && tp == ptr::addr_of_mut!(ffi::PyLong_Type) { 32 } else { n }
                }
            };
            body + self.version.pre_header(tp, self.is_gc(obj, tp, info))
        }
    }

    /// A combined dict: `dict.__sizeof__` (C code).
    unsafe fn dict_sizeof(&mut self, obj: *mut ffi::PyObject, tp: *mut ffi::PyTypeObject) -> usize {
        // SAFETY: GIL held; calling dict's C `__sizeof__` through the method of the exact type.
        unsafe {
            let descr = _PyType_Lookup(ptr::addr_of_mut!(ffi::PyDict_Type), self.name);
            if descr.is_null() {
                return generic(obj, tp);
            }
            let args = [obj];
            let r = ffi::PyObject_Vectorcall(descr, args.as_ptr(), 1, ptr::null_mut());
            self.take_size(r).unwrap_or_else(|| generic(obj, tp))
        }
    }

    unsafe fn take_size(&mut self, r: *mut ffi::PyObject) -> Option<usize> {
        // SAFETY: `r` is a new reference or NULL with an error set.
        unsafe {
            if r.is_null() {
                ffi::PyErr_Clear();
                self.failures += 1;
                return None;
            }
            let n = ffi::PyLong_AsSsize_t(r);
            ffi::Py_DECREF(r);
            if n < 0 {
                ffi::PyErr_Clear();
                self.failures += 1;
                return None;
            }
            Some(n as usize)
        }
    }
}

/// `object.__sizeof__`: `tp_basicsize + |ob_size| * tp_itemsize`.
///
/// # Safety
/// `obj` live of type `tp`.
unsafe fn generic(obj: *mut ffi::PyObject, tp: *mut ffi::PyTypeObject) -> usize {
    // SAFETY: a type with tp_itemsize != 0 is a PyVarObject, so ob_size is there.
    unsafe {
        let item = (*tp).tp_itemsize;
        let n = if item != 0 { ffi::Py_SIZE(obj).unsigned_abs() * item as usize } else { 0 };
        (*tp).tp_basicsize as usize + n
    }
}

/// The `__module__.__qualname__` of a type, from its C fields (no Python code runs).
///
/// # Safety
/// GIL held; `tp` live.
pub unsafe fn type_name(tp: *mut ffi::PyTypeObject) -> String {
    // SAFETY: heap types keep their qualified name in ht_qualname and module in their dict;
    // static types have a C string tp_name "module.Name".
    unsafe {
        if (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE != 0 {
            let q = (*tp.cast::<ffi::PyHeapTypeObject>()).ht_qualname;
            let qual = utf8(q).unwrap_or_else(|| "?".to_owned());
            let module = ffi::PyDict_GetItemString((*tp).tp_dict, c"__module__".as_ptr());
            return match utf8(module) {
                Some(m) if m != "builtins" => format!("{m}.{qual}"),
                _ => qual,
            };
        }
        CStr::from_ptr((*tp).tp_name).to_string_lossy().into_owned()
    }
}

/// A `str` object's text, or None for NULL or a non-str.
///
/// # Safety
/// GIL held; `s` live or NULL.
pub unsafe fn utf8(s: *mut ffi::PyObject) -> Option<String> {
    // SAFETY: PyUnicode_AsUTF8String makes a new bytes object (unlike PyUnicode_AsUTF8, it
    // caches nothing in the string, whose size the census measures); released here.
    unsafe {
        if s.is_null() || ffi::PyUnicode_Check(s) == 0 {
            return None;
        }
        let b = ffi::PyUnicode_AsUTF8String(s);
        if b.is_null() {
            ffi::PyErr_Clear();
            return None;
        }
        let p = ffi::PyBytes_AsString(b);
        let n = ffi::PyBytes_Size(b);
        let text = String::from_utf8_lossy(std::slice::from_raw_parts(p.cast::<u8>(), n as usize)).into_owned();
        ffi::Py_DECREF(b);
        Some(text)
    }
}
