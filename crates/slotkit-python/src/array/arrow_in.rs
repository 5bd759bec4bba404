//! Import through the Arrow PyCapsule Interface: a stream (`__arrow_c_stream__`) or one struct
//! array (`__arrow_c_array__`) of columns named like the Record's fields. Every batch is
//! converted into new columns, checked as the fields check their values, and only then appended:
//! a bad value anywhere leaves the array unchanged. float64 and int64 columns without nulls of a
//! single-batch import are not copied: the column points into the batch, kept alive, until the
//! first write, growth or numpy view copies it ([`RawBuf::own`]). Other columns are copied.

use std::ffi::CStr;
use std::sync::Arc;

use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use slotkit_core::Kind;

use super::arrow_abi::{self as abi, ArrowArray, ArrowArrayStream, ArrowSchema};
use super::column::{Column, Storage};
use super::core::{no_memory, RecordArrayBase};
use super::raw::{bit, Keeper, RawBuf};
use super::table::Table;

/// A batch borrowed from the producer, released on drop.
struct Batch(Box<ArrowArray>);

// SAFETY: the Arrow C Data Interface lets a consumer release an array from any thread, and the
// buffers are only read.
unsafe impl Send for Batch {}
// SAFETY: as above.
unsafe impl Sync for Batch {}

impl Drop for Batch {
    fn drop(&mut self) {
        // SAFETY: the struct is a valid array from the producer (or already released).
        unsafe { abi::release_array(&mut *self.0) };
    }
}

struct Schema(Box<ArrowSchema>);

impl Drop for Schema {
    fn drop(&mut self) {
        // SAFETY: as for Batch.
        unsafe { abi::release_schema(&mut *self.0) };
    }
}

fn cstr(p: *const std::ffi::c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: Arrow strings are NUL-terminated and live while their schema does.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// Takes the struct a capsule holds (marking the capsule's copy released).
fn take_capsule<T>(cap: &Bound<'_, PyAny>, name: &CStr, empty: impl FnOnce() -> T) -> PyResult<Box<T>> {
    // SAFETY: GIL held; GetPointer checks the capsule's type and name (error otherwise).
    let p = unsafe { pyo3::ffi::PyCapsule_GetPointer(cap.as_ptr(), name.as_ptr()) }.cast::<T>();
    if p.is_null() {
        return Err(PyErr::fetch(cap.py()));
    }
    // SAFETY: the capsule holds a valid T; moving it out and leaving a released (empty) struct
    // behind is the interface's documented way for a consumer to take ownership.
    Ok(Box::new(unsafe { std::ptr::replace(p, empty()) }))
}

/// Appends the batches of a stream capsule.
pub fn extend_stream(slf: &Bound<'_, RecordArrayBase>, cap: &Bound<'_, PyAny>) -> PyResult<()> {
    let mut stream = take_capsule(cap, abi::STREAM, || ArrowArrayStream {
        get_schema: None,
        get_next: None,
        get_last_error: None,
        release: None,
        private_data: std::ptr::null_mut(),
    })?;
    let result = (|| {
        let mut schema = Schema(Box::new(ArrowSchema::empty()));
        // SAFETY: a live producer stream; callbacks fill the structs we pass.
        let rc = unsafe { (stream.get_schema.expect("get_schema"))(&mut *stream, &mut *schema.0) };
        if rc != 0 {
            return Err(stream_error(&mut stream, rc));
        }
        let mut batches = Vec::new();
        loop {
            let mut a = Box::new(ArrowArray::empty());
            // SAFETY: as above.
            let rc = unsafe { (stream.get_next.expect("get_next"))(&mut *stream, &mut *a) };
            if rc != 0 {
                return Err(stream_error(&mut stream, rc));
            }
            if a.release.is_none() {
                break;
            }
            batches.push(Batch(a));
        }
        append(slf, &schema, batches)
    })();
    if let Some(r) = stream.release {
        // SAFETY: we own the moved-out stream; released once.
        unsafe { r(&mut *stream) };
    }
    result
}

fn stream_error(stream: &mut ArrowArrayStream, rc: i32) -> PyErr {
    let msg = match stream.get_last_error {
        // SAFETY: a live stream; the message (if any) is a NUL-terminated string it owns.
        Some(f) => cstr(unsafe { f(stream) }),
        None => String::new(),
    };
    PyValueError::new_err(format!("Arrow stream failed (error {rc}): {msg}"))
}

/// Appends one struct array given as (schema capsule, array capsule).
pub fn extend_array(slf: &Bound<'_, RecordArrayBase>, schema: &Bound<'_, PyAny>, array: &Bound<'_, PyAny>) -> PyResult<()> {
    let schema = Schema(take_capsule(schema, abi::SCHEMA, ArrowSchema::empty)?);
    let batch = Batch(take_capsule(array, abi::ARRAY, ArrowArray::empty)?);
    append(slf, &schema, vec![batch])
}

fn append(slf: &Bound<'_, RecordArrayBase>, schema: &Schema, mut batches: Vec<Batch>) -> PyResult<()> {
    // One batch: shared with the columns that can point into it.
    let single: Option<Arc<Batch>> = if batches.len() == 1 { batches.pop().map(Arc::new) } else { None };
    let keeper: Option<Keeper> = single.clone().map(|b| b as Keeper);
    let batches: Vec<&Batch> = match &single {
        Some(b) => vec![&**b],
        None => batches.iter().collect(),
    };
    let py = slf.py();
    let this = slf.borrow();
    let q = this.qualname();
    if cstr(schema.0.format) != "+s" {
        return Err(PyTypeError::new_err(format!("from_arrow(): expected a table or struct array, got Arrow format '{}'", cstr(schema.0.format))));
    }
    // SAFETY: a struct schema has n_children valid child pointers.
    let children: Vec<&ArrowSchema> = (0..schema.0.n_children as usize).map(|i| unsafe { &**schema.0.children.add(i) }).collect();
    let names: Vec<String> = children.iter().map(|c| cstr(c.name)).collect();
    let mut map = Vec::with_capacity(this.table.columns.len());
    for col in &this.table.columns {
        let name = col.name.bind(py).to_string();
        match names.iter().position(|n| *n == name) {
            Some(i) => map.push(i),
            None => {
                return Err(PyValueError::new_err(format!(
                    "from_arrow(): {q}.{name} has no column in the Arrow data (columns: {})",
                    names.join(", ")
                )))
            }
        }
    }
    let mut columns = Vec::with_capacity(this.table.columns.len());
    let total: usize = batches.iter().map(|b| b.0.length as usize).sum();
    for (col, &ci) in this.table.columns.iter().zip(&map) {
        let mut new = Column::new(col.name.clone_ref(py), col.kind).map_err(no_memory)?;
        new.reserve(total, 0, false, 0, true).map_err(no_memory)?;
        for b in &batches {
            if b.0.n_children as usize != children.len() {
                return Err(PyValueError::new_err("from_arrow(): a batch does not match its schema"));
            }
            // SAFETY: the batch is a struct array with one child per schema child.
            let child = unsafe { &**b.0.children.add(ci) };
            convert(&q, &mut new, children[ci], child, b.0.offset as usize, keeper.as_ref())?;
        }
        columns.push(new);
    }
    drop(this);
    let mut this = slf.borrow_mut();
    this.check_resizable()?;
    this.table.append(Table { columns, len: total }, py).map_err(no_memory)
}

/// Appends one Arrow column (`a`, described by `s`) to `col`, checking every value.
fn convert(q: &str, col: &mut Column, s: &ArrowSchema, a: &ArrowArray, parent_offset: usize, keep: Option<&Keeper>) -> PyResult<()> {
    let fmt = cstr(s.format);
    let field = col.name.to_string();
    let what = |expected: &str| PyTypeError::new_err(format!("{q}.{field} expects {expected}, got an Arrow column of format '{fmt}'"));
    if !s.dictionary.is_null() {
        return Err(PyTypeError::new_err(format!("{q}.{field}: dictionary-encoded Arrow columns are not supported (decode them first)")));
    }
    let n = a.length as usize;
    let off = a.offset as usize + parent_offset;
    // The producer guarantees the buffers of a valid array of this format hold `offset +
    // length` items (bitmaps: bits); everything below reads only within that.
    let buf = |i: usize| -> *const u8 {
        // SAFETY: `i < n_buffers` at every call (the format decides how many there are).
        unsafe { *a.buffers.add(i) }.cast()
    };
    let validity = if a.null_count == 0 || a.n_buffers == 0 { std::ptr::null() } else { buf(0) };
    let valid = |i: usize| {
        // SAFETY: a non-NULL validity bitmap holds `offset + length` bits.
        validity.is_null() || unsafe { bit(validity, off + i) }
    };
    let has_nulls = !validity.is_null() && (0..n).any(|i| !valid(i));
    if has_nulls && !col.nullable {
        return Err(PyValueError::new_err(format!("{q}.{field} does not take None, but the Arrow column has nulls")));
    }
    if has_nulls && col.validity.is_none() {
        col.reserve(n, 0, true, col_len(col), false).map_err(no_memory)?;
    }
    let expected = Kind::expected(col.kind);
    match col.storage {
        Storage::F64 | Storage::I64 => {
            col.values.reserve(n * 8).map_err(no_memory)?;
            let is_f64 = col.storage == Storage::F64;
            macro_rules! each {
                ($t:ty, $conv:expr) => {{
                    let p = buf(1).cast::<$t>();
                    for i in 0..n {
                        // SAFETY: see above.
                        let v: $t = unsafe { std::ptr::read_unaligned(p.add(off + i)) };
                        let bits: u64 = if valid(i) { $conv(v, i)? } else { 0 };
                        col.values.push(bits);
                    }
                }};
            }
            let int = |v: i64, i: usize| -> PyResult<u64> {
                if is_f64 {
                    Ok((v as f64).to_bits())
                } else if v == i64::MIN {
                    Err(PyOverflowError::new_err(format!("{q}.{field}: -9223372036854775808 (row {i}) does not fit an int field (-2**63+1 .. 2**63-1)")))
                } else {
                    Ok(v as u64)
                }
            };
            let same = (is_f64 && fmt == "g") || (!is_f64 && fmt == "l");
            if same && validity.is_null() && n > 0 {
                // The column's own layout without nulls: one copy of the whole buffer.
                // SAFETY: see above (n 8-byte values from `off`).
                let bytes = unsafe { std::slice::from_raw_parts(buf(1).add(off * 8), n * 8) };
                if !is_f64 {
                    // SAFETY: as above; read_unaligned tolerates any alignment.
                    let min = (0..n).position(|i| unsafe { std::ptr::read_unaligned(bytes.as_ptr().cast::<i64>().add(i)) } == i64::MIN);
                    if let Some(i) = min {
                        int(i64::MIN, i)?;
                    }
                }
                match keep {
                    // SAFETY: the bytes live in the batch, which `keep` holds, and Arrow data is
                    // not changed by its producer while shared.
                    Some(k) if col.values.len() == 0 => col.values = unsafe { RawBuf::foreign(bytes.as_ptr(), bytes.len(), k.clone()) },
                    _ => col.values.push_bytes(bytes),
                }
                return finish(col, n, &valid);
            }
            match fmt.as_str() {
                "g" if is_f64 => each!(f64, |v: f64, _| PyResult::Ok(v.to_bits())),
                "f" if is_f64 => each!(f32, |v: f32, _| PyResult::Ok((v as f64).to_bits())),
                "l" => each!(i64, |v: i64, i| int(v, i)),
                "i" => each!(i32, |v: i32, i| int(v as i64, i)),
                "s" => each!(i16, |v: i16, i| int(v as i64, i)),
                "c" => each!(i8, |v: i8, i| int(v as i64, i)),
                "I" => each!(u32, |v: u32, i| int(v as i64, i)),
                "S" => each!(u16, |v: u16, i| int(v as i64, i)),
                "C" => each!(u8, |v: u8, i| int(v as i64, i)),
                "L" => each!(u64, |v: u64, i| if v > i64::MAX as u64 {
                    Err(PyOverflowError::new_err(format!("{q}.{field}: {v} (row {i}) does not fit an int field (-2**63+1 .. 2**63-1)")))
                } else {
                    int(v as i64, i)
                }),
                _ => return Err(what(&expected)),
            }
        }
        Storage::Bool => {
            if fmt != "b" {
                return Err(what(&expected));
            }
            col.values.reserve(n).map_err(no_memory)?;
            for i in 0..n {
                // SAFETY: see above.
                let v = valid(i) && unsafe { bit(buf(1), off + i) };
                col.values.push(v as u8);
            }
        }
        Storage::Str | Storage::Bytes => {
            let is_str = col.storage == Storage::Str;
            let text = |i: usize| -> &[u8] {
                // SAFETY: see above; offsets are monotonic within the data buffer.
                unsafe {
                    match fmt.as_str() {
                        "u" | "z" => {
                            let o = buf(1).cast::<i32>();
                            let (x, y) = (*o.add(off + i) as usize, *o.add(off + i + 1) as usize);
                            std::slice::from_raw_parts(buf(2).add(x), y - x)
                        }
                        "U" | "Z" => {
                            let o = buf(1).cast::<i64>();
                            let (x, y) = (*o.add(off + i) as usize, *o.add(off + i + 1) as usize);
                            std::slice::from_raw_parts(buf(2).add(x), y - x)
                        }
                        _ => {
                            // Binary view: 16-byte views; inline up to 12 bytes, else
                            // (prefix, buffer index, offset) into a variadic data buffer.
                            let v = buf(1).add((off + i) * 16);
                            let len = std::ptr::read_unaligned(v.cast::<i32>()) as usize;
                            if len <= 12 {
                                std::slice::from_raw_parts(v.add(4), len)
                            } else {
                                let bi = std::ptr::read_unaligned(v.add(8).cast::<i32>()) as usize;
                                let bo = std::ptr::read_unaligned(v.add(12).cast::<i32>()) as usize;
                                let data = (*a.buffers.add(2 + bi)).cast::<u8>();
                                std::slice::from_raw_parts(data.add(bo), len)
                            }
                        }
                    }
                }
            };
            let ok = if is_str { matches!(fmt.as_str(), "u" | "U" | "vu") } else { matches!(fmt.as_str(), "z" | "Z" | "vz") };
            if !ok {
                return Err(what(&expected));
            }
            let bytes: usize = (0..n).filter(|&i| valid(i)).map(|i| text(i).len()).sum();
            col.values.reserve(n * 8).map_err(no_memory)?;
            col.data.reserve(bytes).map_err(no_memory)?;
            for i in 0..n {
                if valid(i) {
                    let t = text(i);
                    if is_str && std::str::from_utf8(t).is_err() {
                        return Err(PyValueError::new_err(format!("{q}.{field}: row {i} is not valid UTF-8")));
                    }
                    col.data.push_bytes(t);
                }
                col.values.push(col.data.len() as i64);
            }
        }
        Storage::Object => {
            return Err(PyTypeError::new_err(format!(
                "{q}.{field} is an object field: from_arrow() fills float, int, bool, str and bytes fields only"
            )))
        }
    }
    finish(col, n, &valid)
}

/// Appends the validity bits of the `n` rows just converted, when the column keeps a bitmap.
fn finish(col: &mut Column, n: usize, valid: &dyn Fn(usize) -> bool) -> PyResult<()> {
    if let Some(v) = col.validity.as_mut() {
        v.reserve(n).map_err(no_memory)?;
        for i in 0..n {
            v.push(valid(i));
        }
    }
    Ok(())
}

/// Rows already in a column being built.
fn col_len(col: &Column) -> usize {
    match col.storage {
        Storage::F64 | Storage::I64 => col.values.len() / 8,
        Storage::Bool => col.values.len(),
        Storage::Str | Storage::Bytes => col.values.len() / 8 - 1,
        Storage::Object => col.objects.len(),
    }
}
