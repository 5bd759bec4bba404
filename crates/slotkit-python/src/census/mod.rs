//! `slotkit census`: where a running program's memory goes, class by class (the heap walk),
//! and what `__slots__` or a Record would save (the projections). Raw CPython access is fenced
//! as in `ffi`: every `unsafe` block says why it holds.

mod attrs;
mod layout;
mod sizes;
mod tally;
mod verdicts;
mod walk;

use std::ffi::CStr;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyTuple, PyType};
use pyo3::ffi;

use layout::Version;
use tally::{Name, Shape, Tally};
use walk::{for_each_member, Walk};

/// Re-enables the collector when the walk ends, however it ends.
struct GcPause(bool);

impl Drop for GcPause {
    fn drop(&mut self) {
        if self.0 {
            // SAFETY: the GIL is held wherever a GcPause exists (created and dropped in `walk`).
            unsafe { ffi::PyGC_Enable() };
        }
    }
}

/// The layout facts of a heap type for the projections.
///
/// # Safety
/// GIL held; `tp` live.
unsafe fn shape(v: Version, tp: *mut ffi::PyTypeObject) -> Shape {
    // SAFETY: type fields and the MRO tuple of a live type.
    unsafe {
        let managed = Version::managed_dict(tp);
        let mro = (*tp).tp_mro;
        let mut record_ok = !mro.is_null();
        if record_ok {
            for i in 0..ffi::PyTuple_GET_SIZE(mro) {
                let base = ffi::PyTuple_GET_ITEM(mro, i).cast::<ffi::PyTypeObject>();
                record_ok &= crate::ffi::registry::is_python_class(base);
            }
        }
        // and every class of the layout chain adds only slots (member definitions) and the
        // dict/weakref words to its base: no C fields (an extension type made from a spec,
        // like `_random.Random`, is a heap type too)
        let mut t = tp;
        while record_ok && !t.is_null() && !(*t).tp_base.is_null() {
            let base = (*t).tp_base;
            let members = ffi::Py_SIZE(t.cast()).max(0) as isize;
            record_ok &= (*t).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE != 0
                && (*t).tp_basicsize <= (*base).tp_basicsize + 8 * members + 16;
            t = base;
        }
        let _ = v;
        Shape {
            basicsize: (*tp).tp_basicsize as usize,
            dict_slot: !managed && (*tp).tp_dictoffset > 0,
            weakref_slot: (*tp).tp_weaklistoffset > 0,
            has_dict: managed || (*tp).tp_dictoffset != 0,
            record_ok,
            is_record: crate::ffi::layout::of_class(tp.cast()).is_some(),
            varsize: (*tp).tp_itemsize != 0,
        }
    }
}

/// An attribute name as text.
///
/// # Safety
/// GIL held; the name object or C string alive (its class is).
unsafe fn name_text(n: Name) -> String {
    // SAFETY: forwarded.
    unsafe {
        match n {
            Name::Py(p) => sizes::utf8(p as *mut ffi::PyObject).unwrap_or_else(|| "?".to_owned()),
            Name::C(p) => CStr::from_ptr(p as *const std::ffi::c_char).to_string_lossy().into_owned(),
        }
    }
}

/// One row of the result as a Python tuple.
///
/// # Safety
/// GIL held; `tp` live (the roots list still holds the objects that keep it alive).
unsafe fn row<'py>(py: Python<'py>, v: Version, tp: *mut ffi::PyTypeObject, t: &Tally) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    // SAFETY: forwarded; `tp` is live, so is every type and name the tally points at.
    unsafe {
        d.set_item("name", sizes::type_name(tp))?;
        d.set_item("count", t.count)?;
        d.set_item("instance_bytes", t.instance_bytes)?;
        d.set_item("dict_bytes", t.dict_bytes)?;
        d.set_item("held_bytes", t.held_bytes)?;
        d.set_item("with_dict", t.with_dict)?;
        d.set_item("weakrefs", t.weakrefs)?;
        let heap = (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE != 0;
        // built-in types, and metaclasses (their instances are classes), get no projection
        if !heap || ffi::PyType_IsSubtype(tp, std::ptr::addr_of_mut!(ffi::PyType_Type)) != 0 {
            return Ok(d);
        }
        d.set_item("cls", Bound::from_borrowed_ptr(py, tp.cast()).cast_into::<PyType>()?)?;
        let mut slot_names = Vec::new();
        for_each_member(tp, |name, _, _| slot_names.push(Name::C(name as usize)));
        // merge attributes that a dict key and a slot name share (a slot shadowing nothing)
        let mut by_text: Vec<(String, attrs::Attr)> = Vec::new();
        for n in &t.order {
            let text = name_text(*n);
            let a = &t.attrs[n];
            match by_text.iter_mut().find(|(s, _)| *s == text) {
                Some((_, acc)) => acc.merge(a),
                None => {
                    let mut acc = attrs::Attr::default();
                    acc.merge(a);
                    by_text.push((text, acc));
                }
            }
        }
        let p = t.project(v, shape(v, tp), &slot_names);
        d.set_item("slots_bytes", p.slots)?;
        d.set_item("record_bytes", p.record)?;
        d.set_item("slot_names", slot_names.iter().map(|n| name_text(*n)).collect::<Vec<_>>())?;
        let kinds: Vec<(String, &'static str)> = p.record_kinds.iter().map(|(n, k)| (name_text(*n), k.code())).collect();
        let attrs = PyList::empty(py);
        for (text, a) in &by_text {
            let types: Vec<String> = a.types.iter().map(|t| sizes::type_name(*t as *mut ffi::PyTypeObject)).collect();
            let kind = kinds.iter().find(|(n, _)| n == text).map(|(_, k)| *k);
            attrs.append(PyTuple::new(py, [
                text.clone().into_pyobject(py)?.into_any(),
                types.into_pyobject(py)?.into_any(),
                a.more_types.into_pyobject(py)?.to_owned().into_any(),
                a.seen.into_pyobject(py)?.into_any(),
                a.held_bytes.into_pyobject(py)?.into_any(),
                kind.into_pyobject(py)?.into_any(),
            ])?)?;
        }
        d.set_item("attributes", attrs)?;
    }
    Ok(d)
}

/// Walks the heap and returns `{"objects", "bytes", "loose_bytes", "sizeof_failures",
/// "python", "rows": [dict per type]}`. Objects of the `excluded` types are neither counted
/// nor traversed.
#[pyfunction]
fn census_walk<'py>(py: Python<'py>, excluded: Vec<Bound<'py, PyType>>) -> PyResult<Bound<'py, PyDict>> {
    let info = py.version_info();
    if info.major != 3 || info.minor < 11 {
        return Err(PyRuntimeError::new_err("slotkit census needs CPython 3.11 or later"));
    }
    let v = Version { minor: info.minor };
    let excluded_ptrs: Vec<*mut ffi::PyObject> = excluded.iter().map(|t| t.as_ptr()).collect();
    // SAFETY: GIL held; disabling the collector keeps every object the walk sees alive.
    let _pause = GcPause(unsafe { ffi::PyGC_Disable() } != 0);
    let roots = py.import("gc")?.getattr("get_objects")?.call0()?.cast_into::<PyList>()?;
    // SAFETY: GIL held, collector disabled, `roots` a live list for the whole walk.
    let mut walk = unsafe { Walk::new(v, &excluded_ptrs) }.ok_or_else(|| PyErr::fetch(py))?;
    // SAFETY: as above.
    unsafe { walk.run(roots.as_ptr()) };
    let out = PyDict::new(py);
    let rows = PyList::empty(py);
    let mut total = walk.loose_bytes;
    let mut entries: Vec<_> = walk.tallies.iter().collect();
    entries.sort_by_key(|(_, t)| std::cmp::Reverse(t.total()));
    for (tp, t) in entries {
        total += t.instance_bytes;
        // SAFETY: GIL held; the type is kept alive by its instances, held by `roots`.
        rows.append(unsafe { row(py, v, *tp as *mut ffi::PyTypeObject, t)? })?;
    }
    out.set_item("objects", walk.objects)?;
    out.set_item("bytes", total)?;
    out.set_item("loose_bytes", walk.loose_bytes)?;
    out.set_item("sizeof_failures", walk.sizer.failures)?;
    out.set_item("rows", rows)?;
    drop(roots);
    Ok(out)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(census_walk, m)?)?;
    m.add_function(wrap_pyfunction!(verdicts::census_verdicts, m)?)?;
    Ok(())
}
