//! Import-time checks of every CPython layout fact this crate relies on. A mismatch (an
//! interpreter this build was not made for, a changed struct) refuses the import with an
//! `ImportError` instead of corrupting memory later.

use std::ffi::CStr;
use std::ptr;

use pyo3::ffi;

use super::util::{raise, Owned};

/// Runs every check. Returns false with `ImportError` set.
///
/// # Safety
/// The GIL must be held.
pub unsafe fn check() -> bool {
    // SAFETY: GIL held (caller).
    match unsafe { run() } {
        Ok(()) => true,
        Err(why) => {
            // SAFETY: GIL held (caller).
            unsafe {
                ffi::PyErr_Clear();
                raise(ffi::PyExc_ImportError, &format!("slotkit cannot run on this interpreter: {why}"));
            }
            false
        }
    }
}

/// # Safety
/// The GIL must be held.
unsafe fn run() -> Result<(), String> {
    // SAFETY: GIL held (caller). Every object created is owned by an `Owned`; member
    // definitions are read only after their descriptor's type is verified.
    unsafe {
        let type_size = (*ptr::addr_of!(ffi::PyType_Type)).tp_basicsize;
        let heap_size = std::mem::size_of::<ffi::PyHeapTypeObject>() as isize;
        if type_size != heap_size {
            return Err(format!("type.__basicsize__ is {type_size}, this build expects {heap_size}"));
        }
        if (*ptr::addr_of!(ffi::PyType_Type)).tp_itemsize != std::mem::size_of::<ffi::PyMemberDef>() as isize {
            return Err("type.__itemsize__ differs from sizeof(PyMemberDef)".into());
        }
        let f = Owned::from_new(ffi::PyFloat_FromDouble(1.5)).ok_or("float() failed")?;
        if ffi::PyFloat_AS_DOUBLE(f.as_ptr()) != 1.5 {
            return Err("float objects are not laid out as expected".into());
        }
        check_slot_probe()
    }
}

/// Builds `class probe: __slots__ = ("a", "b")` and checks that its member descriptors point at
/// the member definitions stored after the type struct, at offsets 16 and 24.
///
/// # Safety
/// The GIL must be held.
unsafe fn check_slot_probe() -> Result<(), String> {
    // SAFETY: GIL held; see `run`.
    unsafe {
        let code = c"type('probe', (), {'__slots__': ('a', 'b')})";
        // PyEval_GetBuiltins returns a borrowed reference: take one of our own.
        let builtins = ffi::PyEval_GetBuiltins();
        if builtins.is_null() {
            return Err("no builtins".into());
        }
        let builtins = Owned::from_borrowed(builtins);
        let globals = Owned::from_new(ffi::PyDict_New()).ok_or("dict() failed")?;
        if ffi::PyDict_SetItemString(globals.as_ptr(), c"__builtins__".as_ptr(), builtins.as_ptr()) < 0 {
            return Err("cannot build probe globals".into());
        }
        let probe = Owned::from_new(ffi::PyRun_String(code.as_ptr(), ffi::Py_eval_input, globals.as_ptr(), globals.as_ptr()))
            .ok_or("cannot build the probe class")?;
        let tp = probe.as_ptr().cast::<ffi::PyTypeObject>();
        if ffi::Py_SIZE(probe.as_ptr()) != 2 {
            return Err("a class's Py_SIZE does not count its slots".into());
        }
        let members = probe.as_ptr().cast::<u8>().offset((*ffi::Py_TYPE(probe.as_ptr())).tp_basicsize).cast::<ffi::PyMemberDef>();
        for (i, (name, offset)) in [(c"a", 16isize), (c"b", 24)].into_iter().enumerate() {
            let d = ffi::PyDict_GetItemString((*tp).tp_dict, name.as_ptr());
            if d.is_null() || ffi::Py_TYPE(d) != ptr::addr_of_mut!(ffi::PyMemberDescr_Type) {
                return Err("slot attributes are not member descriptors".into());
            }
            let def = (*d.cast::<ffi::PyMemberDescrObject>()).d_member;
            if def != members.add(i) {
                return Err("member definitions are not stored after the type struct".into());
            }
            if CStr::from_ptr((*def).name) != name || (*def).type_code != ffi::Py_T_OBJECT_EX || (*def).offset != offset {
                return Err("member definitions are not laid out as expected".into());
            }
        }
        if (*tp).tp_basicsize != 32 {
            return Err("a two-slot class is not 32 bytes".into());
        }
        super::registry::set_subtype_dealloc((*tp).tp_dealloc.map_or(0, |f| f as usize));
        Ok(())
    }
}
