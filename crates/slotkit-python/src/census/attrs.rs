//! What one attribute's values were, over all the instances of a class: their types, and
//! whether a Record could store them unboxed (`f64`/`i64`/`bool`) or as a checked atomic field.

use pyo3::ffi;
use slotkit_core::kind::{Atom, Kind, Scalar};

/// Value classes that decide a Record field's kind.
const FLOAT: u16 = 1;
const INT64: u16 = 1 << 1;
const BIGINT: u16 = 1 << 2;
const BOOL: u16 = 1 << 3;
const STR: u16 = 1 << 4;
const BYTES: u16 = 1 << 5;
const NONE: u16 = 1 << 6;
const OTHER: u16 = 1 << 7;

/// The first few distinct types seen for an attribute (more are summarised as "+N").
const MAX_TYPES: usize = 6;

#[derive(Default)]
pub struct Attr {
    pub seen: u64,
    kinds: u16,
    pub types: Vec<usize>,
    pub more_types: bool,
    /// bytes of values that only this attribute of one instance holds
    pub held_bytes: u64,
}

impl Attr {
    /// Records one value.
    ///
    /// # Safety
    /// GIL held; `value` live.
    pub unsafe fn observe(&mut self, value: *mut ffi::PyObject, held: Option<usize>) {
        self.seen += 1;
        // SAFETY: exact-type checks and PyLong_AsLongLongAndOverflow (no Python code for an
        // exact int) on a live object.
        unsafe {
            let tp = ffi::Py_TYPE(value);
            self.kinds |= if value == ffi::Py_None() {
                NONE
            } else if tp == std::ptr::addr_of_mut!(ffi::PyFloat_Type) {
                FLOAT
            } else if tp == std::ptr::addr_of_mut!(ffi::PyBool_Type) {
                BOOL
            } else if tp == std::ptr::addr_of_mut!(ffi::PyLong_Type) {
                let mut overflow = 0;
                ffi::PyLong_AsLongLongAndOverflow(value, &mut overflow);
                if overflow == 0 { INT64 } else { BIGINT }
            } else if tp == std::ptr::addr_of_mut!(ffi::PyUnicode_Type) {
                STR
            } else if tp == std::ptr::addr_of_mut!(ffi::PyBytes_Type) {
                BYTES
            } else {
                OTHER
            };
            let t = tp as usize;
            if !self.types.contains(&t) {
                if self.types.len() < MAX_TYPES {
                    self.types.push(t);
                } else {
                    self.more_types = true;
                }
            }
        }
        if let Some(n) = held {
            self.held_bytes += n as u64;
        }
    }

    pub fn merge(&mut self, other: &Attr) {
        self.seen += other.seen;
        self.kinds |= other.kinds;
        for t in &other.types {
            if !self.types.contains(t) {
                if self.types.len() < MAX_TYPES {
                    self.types.push(*t);
                } else {
                    self.more_types = true;
                }
            }
        }
        self.more_types |= other.more_types;
        self.held_bytes += other.held_bytes;
    }

    /// The Record field kind these values allow: unboxed when every value was an exact float,
    /// an int that fits in 64 bits, or a bool; a checked atomic field when every value was an
    /// exact `str`/`bytes`/`int`/`float`/`bool` (or `None`); an object field otherwise.
    pub fn record_kind(&self) -> Kind {
        let k = self.kinds;
        match k {
            FLOAT => return Kind::Scalar(Scalar::F64),
            INT64 => return Kind::Scalar(Scalar::I64),
            BOOL => return Kind::Scalar(Scalar::Bool),
            _ => {}
        }
        let nullable = k & NONE != 0;
        let atom = match k & !NONE {
            FLOAT => Atom::Float,
            x if x & !(INT64 | BIGINT) == 0 && x != 0 => Atom::Int,
            BOOL => Atom::Bool,
            STR => Atom::Str,
            BYTES => Atom::Bytes,
            _ => return Kind::Object,
        };
        Kind::Atomic { atom, nullable }
    }
}
