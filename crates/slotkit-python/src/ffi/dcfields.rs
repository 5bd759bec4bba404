//! Which fields of a Record instance are unset: what `__dataclass_fields__` read from an
//! instance leaves out (see `src/dataclass_fields.rs`), so that a consumer that reads every
//! listed field with `getattr` and does not check for errors (orjson) never meets a missing one.

use pyo3::ffi;

use super::layout;
use super::store;

/// The names of `obj`'s unset fields, in layout order (borrowed from the class's layout: valid
/// while the caller holds `obj` and runs no Python code); empty, without allocating, when every
/// field is set. `None` when `obj` is not a Record instance.
///
/// # Safety
/// The GIL must be held and `obj` live.
pub unsafe fn unset_names(obj: *mut ffi::PyObject) -> Option<Vec<*mut ffi::PyObject>> {
    // SAFETY: GIL held and `obj` live (caller); its class, and so the layout, outlive this call,
    // which runs no Python code; each offset lies inside instances of that class.
    unsafe {
        let layout = layout::of_instance(obj)?;
        let mut out = Vec::new();
        for f in &layout.fields {
            if !store::is_set_at(obj, f.offset) {
                out.push(f.name.as_ptr());
            }
        }
        Some(out)
    }
}
