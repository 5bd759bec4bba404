//! What a field accepts: the checks and lossless conversions applied on every write, and the
//! `TypeError`/`OverflowError` messages that name the class, the field, what was expected and
//! what was given.
//!
//! Unboxed (`f64`, `i64`, `bool`) and boxed numeric fields (`float`, `int`, `boolobj` and their
//! `| None` forms) accept the same values: for a float, `float` and its subclasses, `int` (not
//! `bool`), objects with `__index__` (`numpy.int64`) and `numbers.Real` instances converted with
//! `__float__` (`numpy.float32`, `Fraction`); for an int, `int` and its subclasses (`IntEnum`),
//! objects with `__index__`; for a bool, `True`/`False` and `numpy.bool_`. Strings are never
//! parsed. Boxed fields store the converted value as an exact `float`/`int`/`bool`. `str` and
//! `bytes` fields accept exact instances only (a subclass would make the field cyclic).

use std::ffi::c_int;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

use pyo3::ffi;
use slotkit_core::unset::{encode_bool, encode_f64, encode_i64};
use slotkit_core::{Atom, Kind, Scalar};

use super::util::{qualname, raise, repr_of, short_name, text_of, Owned};

/// What a rejected value's message says about where it came from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Value,
    Default,
}

/// Raises `TypeError: Cls.field expects float, got str` (with a hint for subclasses of an exact
/// type, and "as its default" for defaults).
///
/// # Safety
/// The GIL must be held; `cls`, `name` and `value` must be live.
pub unsafe fn type_error(cls: *mut ffi::PyTypeObject, name: *mut ffi::PyObject, kind: Kind, value: *mut ffi::PyObject, source: Source) {
    // SAFETY: GIL held and all live (caller).
    unsafe {
        let got = short_name(ffi::Py_TYPE(value));
        let mut msg = format!("{}.{} expects {}, got {got}", qualname(cls), text_of(name), kind.expected());
        if source == Source::Default {
            msg.push_str(" as its default");
        }
        if let Kind::Atomic { atom: atom @ (Atom::Str | Atom::Bytes), .. } = kind {
            let base = if atom == Atom::Str { ptr::addr_of_mut!(ffi::PyUnicode_Type) } else { ptr::addr_of_mut!(ffi::PyBytes_Type) };
            if ffi::PyType_IsSubtype(ffi::Py_TYPE(value), base) != 0 {
                msg.push_str(&format!(
                    " (a subclass of {}: the field takes exact {} only; annotate it with {got} to store such values)",
                    atom.name(),
                    atom.name()
                ));
            }
        }
        raise(ffi::PyExc_TypeError, &msg);
    }
}

/// # Safety
/// The GIL must be held; all pointers live.
unsafe fn overflow(cls: *mut ffi::PyTypeObject, name: *mut ffi::PyObject, value: *mut ffi::PyObject, why: &str) {
    // SAFETY: forwarded from the caller.
    unsafe {
        let shown = repr_of(value).unwrap_or_else(|| {
            ffi::PyErr_Clear();
            "value".to_owned()
        });
        let shown = if shown.chars().count() > 40 { format!("{}...", shown.chars().take(37).collect::<String>()) } else { shown };
        let msg = format!("{}.{}: {shown} {why}", qualname(cls), text_of(name));
        raise(ffi::PyExc_OverflowError, &msg);
    }
}

/// Converts `value` for an unboxed field to the pattern to store, or raises (`None`).
///
/// # Safety
/// The GIL must be held; `cls`, `name` and `value` must be live.
#[inline]
pub unsafe fn scalar_bits(
    cls: *mut ffi::PyTypeObject,
    name: *mut ffi::PyObject,
    scalar: Scalar,
    value: *mut ffi::PyObject,
) -> Option<u64> {
    // SAFETY: GIL held and `value` live (caller); the PyFloat/PyLong accessors are applied only
    // to objects whose type was just checked.
    unsafe {
        if scalar == Scalar::F64 && ffi::PyFloat_CheckExact(value) != 0 {
            return Some(encode_f64(ffi::PyFloat_AS_DOUBLE(value)));
        }
        if scalar == Scalar::I64 && ffi::PyLong_CheckExact(value) != 0 {
            let mut overflowed: c_int = 0;
            let v = ffi::PyLong_AsLongLongAndOverflow(value, &mut overflowed);
            if overflowed == 0 && (v != -1 || ffi::PyErr_Occurred().is_null()) {
                if let Some(raw) = encode_i64(v) {
                    return Some(raw);
                }
            }
        }
        let v = scalar_value(cls, name, scalar, Kind::Scalar(scalar), value, Source::Value)?;
        Some(match v {
            Number::F64(f) => encode_f64(f),
            Number::I64(i) => encode_i64(i)?,
            Number::Bool(b) => encode_bool(b),
        })
    }
}

/// A converted numeric value.
#[derive(Clone, Copy)]
pub enum Number {
    F64(f64),
    I64(i64),
    Bool(bool),
}

static REAL_ABC: AtomicPtr<ffi::PyObject> = AtomicPtr::new(ptr::null_mut());

/// `numbers.Real`, imported once (kept for the life of the process). NULL with an error set.
///
/// # Safety
/// The GIL must be held.
unsafe fn real_abc() -> *mut ffi::PyObject {
    let cached = REAL_ABC.load(Ordering::Relaxed);
    if !cached.is_null() {
        return cached;
    }
    // SAFETY: GIL held (caller); the module reference is released, the ABC kept.
    unsafe {
        let Some(module) = Owned::from_new(ffi::PyImport_ImportModule(c"numbers".as_ptr())) else {
            return ptr::null_mut();
        };
        let real = ffi::PyObject_GetAttrString(module.as_ptr(), c"Real".as_ptr());
        if !real.is_null() {
            REAL_ABC.store(real, Ordering::Relaxed);
        }
        real
    }
}

/// True for `numpy.bool_` (`numpy.bool` in numpy 2), recognised by name so numpy is never
/// imported.
///
/// # Safety
/// `value` live.
unsafe fn is_numpy_bool(value: *mut ffi::PyObject) -> bool {
    // SAFETY: every type has a NUL-terminated tp_name.
    let name = unsafe { std::ffi::CStr::from_ptr((*ffi::Py_TYPE(value)).tp_name) };
    matches!(name.to_bytes(), b"numpy.bool_" | b"numpy.bool")
}

/// The general conversion behind every numeric field (`kind` is the field's, for messages):
/// subclasses, `__index__`, `numbers.Real`, `numpy.bool_`, and every error. May run Python code (`__index__`, `__float__`,
/// `isinstance` hooks): callers must not hold borrowed state across it.
///
/// # Safety
/// The GIL must be held; all pointers live.
#[cold]
#[inline(never)]
pub unsafe fn scalar_value(
    cls: *mut ffi::PyTypeObject,
    name: *mut ffi::PyObject,
    scalar: Scalar,
    kind: Kind,
    value: *mut ffi::PyObject,
    source: Source,
) -> Option<Number> {
    // SAFETY: forwarded from the caller; accessors are applied only after the type checks, and
    // every object created is owned until dropped.
    unsafe {
        let is_bool = ffi::PyBool_Check(value) != 0 || is_numpy_bool(value);
        if scalar == Scalar::Bool {
            if !is_bool {
                type_error(cls, name, kind, value, source);
                return None;
            }
            return match ffi::PyObject_IsTrue(value) {
                r if r < 0 => None,
                r => Some(Number::Bool(r == 1)),
            };
        }
        if is_bool {
            type_error(cls, name, kind, value, source);
            return None;
        }
        // An int: exact, a subclass, or anything with __index__ (numpy integers).
        let as_int = if ffi::PyLong_Check(value) != 0 {
            Some(Owned::from_borrowed(value))
        } else if ffi::PyFloat_Check(value) == 0 && ffi::PyIndex_Check(value) != 0 {
            Some(Owned::from_new(ffi::PyNumber_Index(value))?)
        } else {
            None
        };
        match (scalar, as_int) {
            (Scalar::I64, Some(int)) => {
                let mut overflowed: c_int = 0;
                let v = ffi::PyLong_AsLongLongAndOverflow(int.as_ptr(), &mut overflowed);
                if v == -1 && !ffi::PyErr_Occurred().is_null() {
                    return None;
                }
                if overflowed != 0 || encode_i64(v).is_none() {
                    overflow(cls, name, value, "does not fit an int field (-2**63+1 .. 2**63-1)");
                    return None;
                }
                Some(Number::I64(v))
            }
            (Scalar::I64, None) => {
                type_error(cls, name, kind, value, source);
                None
            }
            (_, Some(int)) => {
                let v = ffi::PyLong_AsDouble(int.as_ptr());
                if v == -1.0 && !ffi::PyErr_Occurred().is_null() {
                    ffi::PyErr_Clear();
                    overflow(cls, name, value, "is too large for a float field");
                    return None;
                }
                Some(Number::F64(v))
            }
            (_, None) => {
                if ffi::PyFloat_Check(value) != 0 {
                    return Some(Number::F64(ffi::PyFloat_AsDouble(value)));
                }
                let real = real_abc();
                if real.is_null() {
                    return None;
                }
                match ffi::PyObject_IsInstance(value, real) {
                    r if r < 0 => return None,
                    0 => {
                        type_error(cls, name, kind, value, source);
                        return None;
                    }
                    _ => {}
                }
                let f = Owned::from_new(ffi::PyNumber_Float(value))?;
                Some(Number::F64(ffi::PyFloat_AsDouble(f.as_ptr())))
            }
        }
    }
}

/// The object an object field of `kind` stores for `value`: `value` itself when it is accepted
/// as is, a converted exact `float`/`int`/`bool` for a boxed numeric field, or NULL with an
/// error set. Returns a new reference. May run Python code (conversions).
///
/// # Safety
/// The GIL must be held; all pointers live; `kind` is an object kind.
pub unsafe fn object_value(
    cls: *mut ffi::PyTypeObject,
    name: *mut ffi::PyObject,
    kind: Kind,
    value: *mut ffi::PyObject,
    source: Source,
) -> *mut ffi::PyObject {
    // SAFETY: forwarded from the caller.
    unsafe {
        if accepts_as_is(kind, value) {
            ffi::Py_INCREF(value);
            return value;
        }
        let scalar = match kind {
            Kind::Atomic { atom: Atom::Float, .. } => Scalar::F64,
            Kind::Atomic { atom: Atom::Int, .. } => Scalar::I64,
            Kind::Atomic { atom: Atom::Bool, .. } => Scalar::Bool,
            _ => {
                type_error(cls, name, kind, value, source);
                return ptr::null_mut();
            }
        };
        match scalar_value(cls, name, scalar, kind, value, source) {
            None => ptr::null_mut(),
            Some(Number::F64(f)) => ffi::PyFloat_FromDouble(f),
            Some(Number::I64(i)) => ffi::PyLong_FromLongLong(i),
            Some(Number::Bool(b)) => ffi::PyBool_FromLong(b as std::ffi::c_long),
        }
    }
}

/// True when `value` may be stored in an object field of `kind` without conversion.
///
/// # Safety
/// The GIL must be held and `value` live.
#[inline]
pub unsafe fn accepts_as_is(kind: Kind, value: *mut ffi::PyObject) -> bool {
    let Kind::Atomic { atom, nullable } = kind else {
        return true;
    };
    // SAFETY: GIL held, `value` live (caller); the type objects are static.
    unsafe {
        if nullable && value == ffi::Py_None() {
            return true;
        }
        let tp = ffi::Py_TYPE(value);
        tp == match atom {
            Atom::Str => ptr::addr_of_mut!(ffi::PyUnicode_Type),
            Atom::Bytes => ptr::addr_of_mut!(ffi::PyBytes_Type),
            Atom::Int => ptr::addr_of_mut!(ffi::PyLong_Type),
            Atom::Float => ptr::addr_of_mut!(ffi::PyFloat_Type),
            Atom::Bool => ptr::addr_of_mut!(ffi::PyBool_Type),
        }
    }
}
