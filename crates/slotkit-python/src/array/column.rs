//! One column of a RecordArray: typed values, an optional validity bitmap (for `X | None`
//! fields), and how a staged [`Cell`] is appended or written in place.
//!
//! Storage by field kind:
//! - `float` / `int` (unboxed f64/i64) and boxed `float`, `int` and their `| None` forms: 8-byte
//!   values, plain IEEE/two's complement (no "unset" encoding: every row has every field).
//! - `bool`, `bool | None`: one byte per row (0/1), so numpy sees a `bool` array without a copy;
//!   Arrow wants a bitmap, so exporting a bool column is the one export that packs a copy.
//! - `str`, `bytes` (and `| None`): Arrow large-string layout, i64 offsets (len + 1) and data.
//! - anything else: one strong reference per row, visited by the cycle collector.

use pyo3::prelude::*;
use slotkit_core::{Atom, Kind, Scalar};

use super::raw::{Bitmap, NoMemory, RawBuf};
use crate::ffi::util::Owned;

/// What a column stores per row.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Storage {
    F64,
    I64,
    Bool,
    Str,
    Bytes,
    Object,
}

impl Storage {
    pub fn of(kind: Kind) -> Storage {
        match kind {
            Kind::Scalar(Scalar::F64) | Kind::Atomic { atom: Atom::Float, .. } => Storage::F64,
            Kind::Scalar(Scalar::I64) | Kind::Atomic { atom: Atom::Int, .. } => Storage::I64,
            Kind::Scalar(Scalar::Bool) | Kind::Atomic { atom: Atom::Bool, .. } => Storage::Bool,
            Kind::Atomic { atom: Atom::Str, .. } => Storage::Str,
            Kind::Atomic { atom: Atom::Bytes, .. } => Storage::Bytes,
            Kind::Object => Storage::Object,
        }
    }

    /// Bytes per row of the values buffer (fixed-width storages).
    pub fn width(self) -> usize {
        match self {
            Storage::F64 | Storage::I64 => 8,
            Storage::Bool => 1,
            Storage::Str | Storage::Bytes | Storage::Object => 0,
        }
    }
}

/// A staged value, converted and checked, ready to be written without failing.
pub enum Cell {
    F64(f64),
    I64(i64),
    Bool(bool),
    Null,
    /// UTF-8 (or raw) bytes borrowed from the object held alongside.
    Text(Owned, *const u8, usize),
    Obj(Owned),
}

impl Cell {
    pub fn text(&self) -> &[u8] {
        match self {
            // SAFETY: the pointer/length pair is the buffer of the str/bytes object held in the
            // cell, valid while the cell (and so the object) lives.
            Cell::Text(_, p, n) => unsafe { std::slice::from_raw_parts(*p, *n) },
            _ => &[],
        }
    }
}

pub struct Column {
    pub name: Py<pyo3::types::PyString>,
    pub kind: Kind,
    pub storage: Storage,
    pub nullable: bool,
    /// Fixed-width values, or the offsets (i64, len + 1 entries) of a text column.
    pub values: RawBuf,
    /// Text bytes of a str/bytes column.
    pub data: RawBuf,
    /// Object references of an object column.
    pub objects: Vec<Py<PyAny>>,
    /// Validity (1 = value present) once the first null arrives; `None` means "no nulls".
    pub validity: Option<Bitmap>,
}

impl Column {
    pub fn new(name: Py<pyo3::types::PyString>, kind: Kind) -> Result<Column, NoMemory> {
        let storage = Storage::of(kind);
        let nullable = matches!(kind, Kind::Atomic { nullable: true, .. });
        let mut values = RawBuf::new();
        if matches!(storage, Storage::Str | Storage::Bytes) {
            values.reserve(8)?;
            values.push(0i64);
        }
        Ok(Column { name, kind, storage, nullable, values, data: RawBuf::new(), objects: Vec::new(), validity: None })
    }

    pub fn is_text(&self) -> bool {
        matches!(self.storage, Storage::Str | Storage::Bytes)
    }

    /// Makes room for `rows` more rows and `text` more text bytes: afterwards pushing that many
    /// cells cannot fail. `exact` reserves no spare capacity.
    pub fn reserve(&mut self, rows: usize, text: usize, nulls: bool, len: usize, exact: bool) -> Result<(), NoMemory> {
        let width = if self.is_text() { 8 } else { self.storage.width() };
        if exact {
            self.values.reserve_exact(rows * width)?;
            self.data.reserve_exact(text)?;
        } else {
            self.values.reserve(rows * width)?;
            self.data.reserve(text)?;
        }
        if self.storage == Storage::Object {
            self.objects.try_reserve(rows).map_err(|_| NoMemory)?;
        }
        if nulls && self.validity.is_none() {
            self.validity = Some(Bitmap::ones(len, rows)?);
        }
        if let Some(v) = self.validity.as_mut() {
            v.reserve(rows)?;
        }
        Ok(())
    }

    /// Appends a staged cell; room was reserved and the cell matches the storage.
    pub fn push(&mut self, cell: &Cell, py: Python<'_>) {
        let null = matches!(cell, Cell::Null);
        match (self.storage, cell) {
            (Storage::F64, Cell::F64(v)) => self.values.push(*v),
            (Storage::I64, Cell::I64(v)) => self.values.push(*v),
            (Storage::Bool, Cell::Bool(v)) => self.values.push(*v as u8),
            (Storage::Str | Storage::Bytes, c) => {
                self.data.push_bytes(c.text());
                self.values.push(self.data.len() as i64);
            }
            (Storage::Object, Cell::Obj(o)) => {
                // SAFETY: GIL held (we have `py`); `o` is a live object.
                self.objects.push(unsafe { Bound::from_borrowed_ptr(py, o.as_ptr()).unbind() });
            }
            (Storage::F64 | Storage::I64, Cell::Null) => self.values.push(0i64),
            (Storage::Bool, Cell::Null) => self.values.push(0u8),
            (s, _) => unreachable!("cell does not match storage {s:?}"),
        }
        if let Some(v) = self.validity.as_mut() {
            v.push(!null);
        }
    }

    /// Writes a staged cell over row `i` of a fixed-width or object column (text columns are
    /// rebuilt by the caller).
    pub fn put(&mut self, i: usize, cell: &Cell, py: Python<'_>) {
        let null = matches!(cell, Cell::Null);
        match (self.storage, cell) {
            (Storage::F64, Cell::F64(v)) => self.values.set(i, *v),
            (Storage::I64, Cell::I64(v)) => self.values.set(i, *v),
            (Storage::Bool, Cell::Bool(v)) => self.values.set(i, *v as u8),
            (Storage::F64 | Storage::I64, Cell::Null) => self.values.set(i, 0i64),
            (Storage::Bool, Cell::Null) => self.values.set(i, 0u8),
            // SAFETY: GIL held (we have `py`); `o` is a live object. The old reference is
            // released after the store, by the drop of the replaced value.
            (Storage::Object, Cell::Obj(o)) => self.objects[i] = unsafe { Bound::from_borrowed_ptr(py, o.as_ptr()).unbind() },
            (s, _) => unreachable!("put on storage {s:?}"),
        }
        if let Some(v) = self.validity.as_mut() {
            v.set(i, !null);
        }
    }

    /// Copies imported (foreign) bytes into own buffers, before an in-place write.
    pub fn own(&mut self) -> Result<(), NoMemory> {
        self.values.own()?;
        self.data.own()
    }

    /// Text of row `i` of a str/bytes column.
    pub fn text(&self, i: usize) -> &[u8] {
        let (a, b) = (self.values.get::<i64>(i) as usize, self.values.get::<i64>(i + 1) as usize);
        &self.data.bytes()[a..b]
    }

    pub fn is_valid(&self, i: usize) -> bool {
        self.validity.as_ref().is_none_or(|v| v.get(i))
    }

    /// Number of null rows.
    pub fn null_count(&self) -> usize {
        self.validity.as_ref().map_or(0, Bitmap::count_zeros)
    }

    /// Drops every row. No buffer is freed (the cycle collector may clear an array whose
    /// buffers an Arrow consumer still reads).
    pub fn clear(&mut self) {
        self.objects.clear();
        self.data.truncate(0);
        if let Some(v) = self.validity.as_mut() {
            v.truncate(0);
        }
        if self.is_text() {
            self.values.truncate(8);
        } else {
            self.values.truncate(0);
        }
    }

    /// Trims every buffer's spare capacity.
    pub fn shrink(&mut self) -> Result<(), NoMemory> {
        self.values.shrink_to_fit()?;
        self.data.shrink_to_fit()?;
        self.objects.shrink_to_fit();
        if let Some(v) = self.validity.as_mut() {
            v.buf.shrink_to_fit()?;
        }
        Ok(())
    }

    /// Bytes held by this column's buffers (capacity).
    pub fn nbytes(&self) -> usize {
        self.values.capacity()
            + self.data.capacity()
            + self.objects.capacity() * size_of::<Py<PyAny>>()
            + self.validity.as_ref().map_or(0, |v| v.buf.capacity())
    }
}
