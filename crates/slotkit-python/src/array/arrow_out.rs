//! Export through the Arrow PyCapsule Interface: `__arrow_c_schema__`, `__arrow_c_array__`
//! (one struct array) and `__arrow_c_stream__` (a stream of that one batch). Buffers are
//! shared, not copied (bool columns excepted: Arrow wants a bitmap, so they are packed into one
//! owned by the export). Every export holds the array and counts as a live export until its
//! consumer releases it, so the buffers cannot move meanwhile.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use pyo3::exceptions::PyTypeError;
use pyo3::ffi as pyffi;
use pyo3::prelude::*;

use super::arrow_abi::{self as abi, ArrowArray, ArrowArrayStream, ArrowSchema};
use super::column::Storage;
use super::core::{no_memory, RecordArrayBase};
use super::raw::Bitmap;

/// Keeps the array (and its buffers) alive and counted as exported while any part of an
/// export lives.
struct Keep {
    /// A strong reference to the array.
    owner: *mut pyffi::PyObject,
    exports: Arc<AtomicUsize>,
    /// Bitmaps packed from bool columns.
    _packed: Vec<Bitmap>,
    /// Keepers of imported (foreign) buffers the export points into, which the array may copy
    /// and drop meanwhile.
    _foreign: Vec<super::raw::Keeper>,
}

impl Drop for Keep {
    fn drop(&mut self) {
        self.exports.fetch_sub(1, Ordering::SeqCst);
        // Release callbacks run on any thread, with or without the GIL, and also while the
        // interpreter finalizes (a pyarrow Table freed by the last collection): never panic here.
        // SAFETY: `owner` is a strong reference we own; it is released once, with the GIL held
        // (taken here if this thread does not hold it), or leaked when the interpreter is gone.
        unsafe {
            if pyffi::PyGILState_Check() == 1 {
                pyffi::Py_DECREF(self.owner);
            } else if pyffi::Py_IsInitialized() != 0 {
                let state = pyffi::PyGILState_Ensure();
                pyffi::Py_DECREF(self.owner);
                pyffi::PyGILState_Release(state);
            }
        }
    }
}

// SAFETY: the owner reference is only released under the GIL (Drop above); the counter is an
// atomic; the bitmaps and foreign keepers are only read (by the consumer) until dropped.
unsafe impl Send for Keep {}
// SAFETY: as above.
unsafe impl Sync for Keep {}

/// One column as Arrow sees it.
#[derive(Clone)]
struct ColSnap {
    name: CString,
    format: &'static CStr,
    nullable: bool,
    null_count: i64,
    buffers: Vec<*const c_void>,
}

/// What an export needs: the column descriptions and buffer addresses, and the keep-alive.
struct Snapshot {
    len: i64,
    cols: Vec<ColSnap>,
    _keep: Arc<Keep>,
}

// SAFETY: the raw buffer addresses are only read by consumers; the memory is kept by `keep`.
unsafe impl Send for Snapshot {}
// SAFETY: as above.
unsafe impl Sync for Snapshot {}

fn snapshot(slf: &Bound<'_, RecordArrayBase>) -> PyResult<Arc<Snapshot>> {
    let this = slf.borrow();
    let mut cols = Vec::with_capacity(this.table.columns.len());
    let mut packed = Vec::new();
    let mut foreign = Vec::new();
    for col in &this.table.columns {
        foreign.extend(col.values.keeper());
        foreign.extend(col.data.keeper());
        let name = CString::new(col.name.bind(slf.py()).to_string()).map_err(|_| PyTypeError::new_err("field name with NUL"))?;
        let validity = col.validity.as_ref().map_or(ptr::null(), |v| v.buf.as_ptr().cast::<c_void>());
        let null_count = col.null_count() as i64;
        let validity = if null_count == 0 { ptr::null() } else { validity };
        let (format, buffers): (&'static CStr, Vec<*const c_void>) = match col.storage {
            Storage::F64 => (c"g", vec![validity, col.values.as_ptr().cast()]),
            Storage::I64 => (c"l", vec![validity, col.values.as_ptr().cast()]),
            Storage::Bool => {
                let mut bits = Bitmap::ones(0, this.table.len).map_err(no_memory)?;
                for &b in col.values.bytes() {
                    bits.push(b != 0);
                }
                let p = bits.buf.as_ptr().cast();
                packed.push(bits);
                (c"b", vec![validity, p])
            }
            Storage::Str => (c"U", vec![validity, col.values.as_ptr().cast(), col.data.as_ptr().cast()]),
            Storage::Bytes => (c"Z", vec![validity, col.values.as_ptr().cast(), col.data.as_ptr().cast()]),
            Storage::Object => {
                return Err(PyTypeError::new_err(format!(
                    "{}.{} holds arbitrary Python objects: Arrow carries float, int, bool, str and bytes fields only",
                    this.qualname(),
                    col.name.bind(slf.py())
                )))
            }
        };
        cols.push(ColSnap { name, format, nullable: col.nullable, null_count, buffers });
    }
    this.exports.fetch_add(1, Ordering::SeqCst);
    let keep = Arc::new(Keep { owner: slf.clone().into_any().into_ptr(), exports: this.exports.clone(), _packed: packed, _foreign: foreign });
    Ok(Arc::new(Snapshot { len: this.table.len as i64, cols, _keep: keep }))
}

// ---- schemas ----

struct SchemaPrivate {
    _format: &'static CStr,
    _name: CString,
    children: Vec<*mut ArrowSchema>,
}

unsafe extern "C" fn release_schema(s: *mut ArrowSchema) {
    // SAFETY: `s` is a schema we produced; private_data is our Box; children are Boxes we made.
    unsafe {
        let p = Box::from_raw((*s).private_data.cast::<SchemaPrivate>());
        for &c in &p.children {
            abi::release_schema(c);
            drop(Box::from_raw(c));
        }
        (*s).release = None;
    }
}

fn fill_schema(out: &mut ArrowSchema, format: &'static CStr, name: CString, flags: i64, children: Vec<*mut ArrowSchema>) {
    let mut p = Box::new(SchemaPrivate { _format: format, _name: name, children });
    out.format = format.as_ptr();
    out.name = p._name.as_ptr();
    out.metadata = ptr::null();
    out.flags = flags;
    out.n_children = p.children.len() as i64;
    out.children = if p.children.is_empty() { ptr::null_mut() } else { p.children.as_mut_ptr() };
    out.dictionary = ptr::null_mut();
    out.release = Some(release_schema);
    out.private_data = Box::into_raw(p).cast();
}

fn struct_schema(snap: &Snapshot, out: &mut ArrowSchema) {
    let children = snap
        .cols
        .iter()
        .map(|c| {
            let mut s = Box::new(ArrowSchema::empty());
            fill_schema(&mut s, c.format, c.name.clone(), if c.nullable { abi::FLAG_NULLABLE } else { 0 }, Vec::new());
            Box::into_raw(s)
        })
        .collect();
    fill_schema(out, c"+s", CString::default(), 0, children);
}

// ---- arrays ----

struct ArrayPrivate {
    _snap: Arc<Snapshot>,
    buffers: Vec<*const c_void>,
    children: Vec<*mut ArrowArray>,
}

unsafe extern "C" fn release_array(a: *mut ArrowArray) {
    // SAFETY: `a` is an array we produced; private_data is our Box; children are Boxes we made
    // (a consumer that moved a child out left its release NULL, which release_array skips).
    unsafe {
        let p = Box::from_raw((*a).private_data.cast::<ArrayPrivate>());
        for &c in &p.children {
            abi::release_array(c);
            drop(Box::from_raw(c));
        }
        (*a).release = None;
        drop(p);
    }
}

fn fill_array(out: &mut ArrowArray, snap: &Arc<Snapshot>, null_count: i64, buffers: Vec<*const c_void>, children: Vec<*mut ArrowArray>) {
    let mut p = Box::new(ArrayPrivate { _snap: snap.clone(), buffers, children });
    out.length = snap.len;
    out.null_count = null_count;
    out.offset = 0;
    out.n_buffers = p.buffers.len() as i64;
    out.n_children = p.children.len() as i64;
    out.buffers = p.buffers.as_mut_ptr();
    out.children = if p.children.is_empty() { ptr::null_mut() } else { p.children.as_mut_ptr() };
    out.dictionary = ptr::null_mut();
    out.release = Some(release_array);
    out.private_data = Box::into_raw(p).cast();
}

fn struct_array(snap: &Arc<Snapshot>, out: &mut ArrowArray) {
    let children = snap
        .cols
        .iter()
        .map(|c| {
            let mut a = Box::new(ArrowArray::empty());
            fill_array(&mut a, snap, c.null_count, c.buffers.clone(), Vec::new());
            Box::into_raw(a)
        })
        .collect();
    fill_array(out, snap, 0, vec![ptr::null()], children);
}

// ---- streams ----

struct StreamPrivate {
    snap: Arc<Snapshot>,
    done: bool,
}

unsafe extern "C" fn stream_schema(s: *mut ArrowArrayStream, out: *mut ArrowSchema) -> c_int {
    // SAFETY: `s` is our live stream; `out` is the consumer's struct to fill.
    unsafe {
        let p = &*(*s).private_data.cast::<StreamPrivate>();
        struct_schema(&p.snap, &mut *out);
    }
    0
}

unsafe extern "C" fn stream_next(s: *mut ArrowArrayStream, out: *mut ArrowArray) -> c_int {
    // SAFETY: as for stream_schema.
    unsafe {
        let p = &mut *(*s).private_data.cast::<StreamPrivate>();
        if p.done {
            *out = ArrowArray::empty();
        } else {
            struct_array(&p.snap, &mut *out);
            p.done = true;
        }
    }
    0
}

unsafe extern "C" fn stream_error(_s: *mut ArrowArrayStream) -> *const c_char {
    ptr::null()
}

unsafe extern "C" fn stream_release(s: *mut ArrowArrayStream) {
    // SAFETY: `s` is our stream; private_data is our Box, dropped once (release reset).
    unsafe {
        drop(Box::from_raw((*s).private_data.cast::<StreamPrivate>()));
        (*s).release = None;
    }
}

// ---- capsules ----

unsafe extern "C" fn drop_schema_capsule(cap: *mut pyffi::PyObject) {
    // SAFETY: the capsule holds a Box<ArrowSchema> under this name; a consumer that moved the
    // schema out left its release NULL.
    unsafe {
        let p = pyffi::PyCapsule_GetPointer(cap, abi::SCHEMA.as_ptr()).cast::<ArrowSchema>();
        if !p.is_null() {
            abi::release_schema(p);
            drop(Box::from_raw(p));
        }
    }
}

unsafe extern "C" fn drop_array_capsule(cap: *mut pyffi::PyObject) {
    // SAFETY: as for drop_schema_capsule.
    unsafe {
        let p = pyffi::PyCapsule_GetPointer(cap, abi::ARRAY.as_ptr()).cast::<ArrowArray>();
        if !p.is_null() {
            abi::release_array(p);
            drop(Box::from_raw(p));
        }
    }
}

unsafe extern "C" fn drop_stream_capsule(cap: *mut pyffi::PyObject) {
    // SAFETY: as for drop_schema_capsule.
    unsafe {
        let p = pyffi::PyCapsule_GetPointer(cap, abi::STREAM.as_ptr()).cast::<ArrowArrayStream>();
        if !p.is_null() {
            if let Some(r) = (*p).release {
                r(p);
            }
            drop(Box::from_raw(p));
        }
    }
}

fn capsule<T>(py: Python<'_>, value: Box<T>, name: &'static CStr, dtor: unsafe extern "C" fn(*mut pyffi::PyObject)) -> PyResult<Py<PyAny>> {
    let raw = Box::into_raw(value);
    // SAFETY: GIL held; the name is static; the destructor frees `raw` exactly once.
    let cap = unsafe { pyffi::PyCapsule_New(raw.cast(), name.as_ptr(), Some(dtor)) };
    if cap.is_null() {
        // SAFETY: the capsule was not created, so we still own `raw`.
        drop(unsafe { Box::from_raw(raw) });
        return Err(PyErr::fetch(py));
    }
    // SAFETY: a new reference.
    Ok(unsafe { Bound::from_owned_ptr(py, cap).unbind() })
}

pub fn schema_capsule(slf: &Bound<'_, RecordArrayBase>) -> PyResult<Py<PyAny>> {
    let snap = snapshot(slf)?;
    let mut s = Box::new(ArrowSchema::empty());
    struct_schema(&snap, &mut s);
    capsule(slf.py(), s, abi::SCHEMA, drop_schema_capsule)
}

pub fn array_capsules(slf: &Bound<'_, RecordArrayBase>) -> PyResult<(Py<PyAny>, Py<PyAny>)> {
    let snap = snapshot(slf)?;
    let mut s = Box::new(ArrowSchema::empty());
    struct_schema(&snap, &mut s);
    let mut a = Box::new(ArrowArray::empty());
    struct_array(&snap, &mut a);
    drop(snap);
    Ok((capsule(slf.py(), s, abi::SCHEMA, drop_schema_capsule)?, capsule(slf.py(), a, abi::ARRAY, drop_array_capsule)?))
}

pub fn stream_capsule(slf: &Bound<'_, RecordArrayBase>) -> PyResult<Py<PyAny>> {
    let snap = snapshot(slf)?;
    let p = Box::new(StreamPrivate { snap, done: false });
    let stream = Box::new(ArrowArrayStream {
        get_schema: Some(stream_schema),
        get_next: Some(stream_next),
        get_last_error: Some(stream_error),
        release: Some(stream_release),
        private_data: Box::into_raw(p).cast(),
    });
    capsule(slf.py(), stream, abi::STREAM, drop_stream_capsule)
}
