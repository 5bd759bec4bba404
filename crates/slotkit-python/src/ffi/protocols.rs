//! `repr`, `==`, ordering and `hash` of Record instances, field by field. Each pins the class
//! (and so its layout) for the whole operation, since fields' own methods run in between.

use std::ffi::c_int;
use std::ptr;

use pyo3::ffi;
use slotkit_core::unset::{decode_f64, UNSET_RAW};
use slotkit_core::{Kind, Scalar};

use super::layout;
use super::store;
use super::util::{qualname, repr_of, text_of, Owned};

/// `Point3D(x=1.0, y=2.0, z=<unset>)`; `...` for a record met again while printing itself.
pub unsafe extern "C" fn record_repr(obj: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held and `obj` live.
    unsafe {
        let Some(layout) = layout::pin_instance(obj) else {
            let base_repr = (*ptr::addr_of_mut!(ffi::PyBaseObject_Type)).tp_repr.expect("object has tp_repr");
            return base_repr(obj);
        };
        match ffi::Py_ReprEnter(obj) {
            0 => {}
            r if r > 0 => return ffi::PyUnicode_FromString(c"...".as_ptr()),
            _ => return ptr::null_mut(),
        }
        let mut out = qualname(ffi::Py_TYPE(obj));
        out.push('(');
        let mut ok = true;
        for (i, f) in layout.fields.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&text_of(f.name.as_ptr()));
            out.push('=');
            match Owned::from_new(store::peek(obj, f)) {
                None => out.push_str("<unset>"),
                Some(v) => match repr_of(v.as_ptr()) {
                    Some(text) => out.push_str(&text),
                    None => {
                        ok = false;
                        break;
                    }
                },
            }
        }
        ffi::Py_ReprLeave(obj);
        if !ok {
            return ptr::null_mut();
        }
        out.push(')');
        ffi::PyUnicode_FromStringAndSize(out.as_ptr().cast(), out.len() as ffi::Py_ssize_t)
    }
}

/// Comparisons between instances of the same class: `==`/`!=` field by field (unless
/// `eq=False`), and with `order=True` `<`, `<=`, `>`, `>=` as tuples of the fields compare.
/// Anything else: `NotImplemented`.
pub unsafe extern "C" fn record_richcompare(a: *mut ffi::PyObject, b: *mut ffi::PyObject, op: c_int) -> *mut ffi::PyObject {
    // SAFETY: called by CPython with the GIL held and both operands live.
    unsafe {
        let not_impl = || {
            let n = ffi::Py_NotImplemented();
            ffi::Py_INCREF(n);
            n
        };
        if ffi::Py_TYPE(a) != ffi::Py_TYPE(b) {
            return not_impl();
        }
        let Some(layout) = layout::pin_instance(a) else {
            return not_impl();
        };
        // `b` may change class while fields compare; it is held by the caller, and a class it
        // can be given is layout-compatible (same tagged slots), so the pinned layout still
        // describes it.
        let equality = op == ffi::Py_EQ || op == ffi::Py_NE;
        if (equality && !layout.options.eq) || (!equality && !layout.options.order) {
            return not_impl();
        }
        if a == b {
            // A record equals itself, NaN fields included, as a dataclass does (its tuple of
            // fields compares each value with itself by identity first).
            return bool_result(matches!(op, ffi::Py_EQ | ffi::Py_LE | ffi::Py_GE));
        }
        for f in &layout.fields {
            match fields_equal(a, b, f) {
                Some(true) => continue,
                None => return ptr::null_mut(),
                Some(false) if equality => return bool_result(op == ffi::Py_NE),
                Some(false) => return order_fields(a, b, f, op),
            }
        }
        // Every field equal.
        bool_result(matches!(op, ffi::Py_EQ | ffi::Py_LE | ffi::Py_GE))
    }
}

/// # Safety
/// The GIL must be held.
unsafe fn bool_result(value: bool) -> *mut ffi::PyObject {
    // SAFETY: GIL held; the singletons are immortal or owned by the interpreter.
    unsafe {
        let r = if value { ffi::Py_True() } else { ffi::Py_False() };
        ffi::Py_INCREF(r);
        r
    }
}

/// Applies `op` to the first field on which `a` and `b` differ.
///
/// # Safety
/// As for [`fields_equal`].
unsafe fn order_fields(a: *mut ffi::PyObject, b: *mut ffi::PyObject, f: &layout::FieldSlot, op: c_int) -> *mut ffi::PyObject {
    // SAFETY: forwarded; both values are owned while compared.
    unsafe {
        let (Some(x), Some(y)) = (Owned::from_new(store::peek(a, f)), Owned::from_new(store::peek(b, f))) else {
            let msg = format!("cannot order {} instances: field '{}' is unset", qualname(ffi::Py_TYPE(a)), text_of(f.name.as_ptr()));
            super::util::raise(ffi::PyExc_TypeError, &msg);
            return ptr::null_mut();
        };
        ffi::PyObject_RichCompare(x.as_ptr(), y.as_ptr(), op)
    }
}

/// `hash()` of a frozen record: the hash of the tuple of its field values (so equal records,
/// and a record and the tuple of its fields, hash alike). Unset fields hash as `None`.
pub unsafe extern "C" fn record_hash(obj: *mut ffi::PyObject) -> ffi::Py_hash_t {
    // SAFETY: called by CPython with the GIL held and `obj` live; values are owned while hashed.
    unsafe {
        let Some(layout) = layout::pin_instance(obj) else {
            return ffi::PyObject_HashNotImplemented(obj);
        };
        // CPython's tuple hash (xxHash-based, Objects/tupleobject.c), over the field values.
        const P1: u64 = 11_400_714_785_074_694_791;
        const P2: u64 = 14_029_467_366_897_019_727;
        const P5: u64 = 2_870_177_450_012_600_261;
        let mut acc = P5;
        for f in &layout.fields {
            let raw = store::raw(obj, f);
            let lane = if f.kind == Kind::Scalar(Scalar::F64) && raw != UNSET_RAW && decode_f64(raw).is_nan() {
                // hash(nan) is the object's identity since 3.10, and every read makes a new
                // float: a NaN field hashes as 0 (its pre-3.10 hash), so the hash is stable.
                0
            } else {
                match Owned::from_new(store::peek(obj, f)) {
                    Some(v) => ffi::PyObject_Hash(v.as_ptr()),
                    None => ffi::PyObject_Hash(ffi::Py_None()),
                }
            };
            if lane == -1 {
                return -1;
            }
            acc = acc.wrapping_add((lane as u64).wrapping_mul(P2));
            acc = acc.rotate_left(31);
            acc = acc.wrapping_mul(P1);
        }
        acc = acc.wrapping_add((layout.fields.len() as u64) ^ (P5 ^ 3_527_539));
        if acc as i64 == -1 {
            return 1_546_275_796;
        }
        acc as ffi::Py_hash_t
    }
}

/// Compares one field of two instances of the same class; `None` when `__eq__` raised.
///
/// # Safety
/// The GIL must be held; `a` and `b` must be live instances of the class owning `f`.
pub unsafe fn fields_equal(a: *mut ffi::PyObject, b: *mut ffi::PyObject, f: &layout::FieldSlot) -> Option<bool> {
    // SAFETY: forwarded; object values are held by strong references while user `__eq__` runs,
    // since it may reassign the fields it is comparing.
    unsafe {
        let (x, y) = (store::raw(a, f), store::raw(b, f));
        match f.kind {
            Kind::Scalar(Scalar::F64) => {
                // Numeric equality (0.0 == -0.0, NaN != NaN), as two distinct float objects.
                if x == UNSET_RAW || y == UNSET_RAW {
                    return Some(x == y);
                }
                Some(decode_f64(x) == decode_f64(y))
            }
            Kind::Scalar(_) => Some(x == y),
            _ => {
                if x == y {
                    return Some(true);
                }
                if x == 0 || y == 0 {
                    return Some(false);
                }
                let xa = Owned::from_borrowed(x as usize as *mut ffi::PyObject);
                let ya = Owned::from_borrowed(y as usize as *mut ffi::PyObject);
                match ffi::PyObject_RichCompareBool(xa.as_ptr(), ya.as_ptr(), ffi::Py_EQ) {
                    r if r < 0 => None,
                    r => Some(r == 1),
                }
            }
        }
    }
}
