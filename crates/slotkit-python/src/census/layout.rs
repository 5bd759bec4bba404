//! Where CPython 3.11 to 3.15 keep an instance's attribute dictionary, its values and its weak
//! references, read without running Python code and without materialising anything.
//!
//! Facts (CPython `Include/internal/pycore_object.h`, `pycore_dict.h`, `Objects/dictobject.c`,
//! default build, not free-threaded), with `o` the object's address:
//!
//! | | 3.11 | 3.12 | 3.13+ |
//! |---|---|---|---|
//! | managed dict pointer | `o - 24` | `o - 24`, tagged: low bit set = values pointer - 1 | `o - 24` |
//! | values not in a dict | separate array, pointer at `o - 32` | separate array (the tagged word) | inline after the object (`o + tp_basicsize`) when the type has `Py_TPFLAGS_INLINE_VALUES` |
//! | values array bytes | `prefix + 8 * size`, prefix `round_up(size + 2, 8)` stored at `values[-1]`, size the shared keys' `dk_nentries + dk_usable` *when the array was made* | same as 3.11 | `(capacity + 1) * 8 + round_up(capacity, 8)`, `capacity` the array's first byte |
//! | dict slot of a class that is not managed | `o + tp_dictoffset`; a negative offset counts from the end of a variable-size object | same | same |
//! | pre-header (`_PyType_PreHeaderSize`) | GC head 16 + 16 if `MANAGED_DICT` | GC head 16 + 16 if `MANAGED_DICT` or `MANAGED_WEAKREF` | same as 3.12 |
//!
//! On 3.11 and 3.12 the size of a values array is not stored: each new instance lowers the shared
//! keys' `dk_usable` by one (down to 1), so arrays made early are larger. The census takes the
//! keys' current `dk_nentries + dk_usable`, kept within what the stored prefix allows
//! (`prefix - 9 ..= prefix - 2`): exact for every instance made once `dk_usable` reached 1 (after
//! about 30 instances of the class), within 56 bytes for the first ones.
//!
//! `PyDictObject` is 48 bytes on every version: `ma_keys` at 32, `ma_values` at 40. A keys object
//! starts with `dk_refcnt` (8 bytes), then `dk_log2_size`, `dk_log2_index_bytes`, `dk_kind`
//! (1 byte each) and a 4-byte version, then `dk_usable` at 16 and `dk_nentries` at 24; its
//! indices follow at 32 (`1 << dk_log2_index_bytes` bytes), then the entries: 16 bytes
//! (`me_key`, `me_value`) for unicode-keyed tables, as shared keys always are.

use std::ffi::c_ulong;

use pyo3::ffi;

pub const GC_HEAD: usize = 16;
const MANAGED_DICT: c_ulong = 1 << 4;
const MANAGED_WEAKREF: c_ulong = 1 << 3;
const INLINE_VALUES: c_ulong = 1 << 2;
const DICT_KEYS: isize = 32;
const DICT_VALUES: isize = 40;

/// The running interpreter's minor version (3.x), which selects the layout above.
#[derive(Clone, Copy, Debug)]
pub struct Version {
    pub minor: u8,
}

/// Where an instance's attributes are stored right now.
pub enum Storage {
    /// no attribute storage (a slotted class, or a dict slot that is NULL)
    None,
    /// a dictionary object exists (`__dict__` was asked for, or the class is not "managed")
    Dict(*mut ffi::PyObject),
    /// values without a dictionary object, names in the type's shared keys
    Values { values: *mut *mut ffi::PyObject, keys: *const u8, capacity: usize, bytes: usize },
}

fn round8(n: usize) -> usize {
    (n + 7) & !7
}

impl Version {
    pub fn has_flag(tp: *mut ffi::PyTypeObject, flag: c_ulong) -> bool {
        // SAFETY: callers pass a live type.
        unsafe { (*tp).tp_flags & flag != 0 }
    }

    /// `_PyType_PreHeaderSize`: the bytes CPython allocates in front of an object of `tp`.
    pub fn pre_header(self, tp: *mut ffi::PyTypeObject, is_gc: bool) -> usize {
        let managed = if self.minor <= 11 { MANAGED_DICT } else { MANAGED_DICT | MANAGED_WEAKREF };
        (if is_gc { GC_HEAD } else { 0 }) + if Self::has_flag(tp, managed) { 16 } else { 0 }
    }

    /// Bytes of a class's inline values area (3.13+), counted with the attribute storage.
    ///
    /// # Safety
    /// `obj` a live instance of `tp`; GIL held.
    pub unsafe fn inline_bytes(self, obj: *mut ffi::PyObject, tp: *mut ffi::PyTypeObject) -> usize {
        if self.minor < 13 || !Self::has_flag(tp, INLINE_VALUES) {
            return 0;
        }
        // SAFETY: with INLINE_VALUES the values struct follows the object at tp_basicsize; its
        // first byte is the capacity.
        let capacity = unsafe { *obj.cast::<u8>().offset((*tp).tp_basicsize) } as usize;
        values_bytes_313(capacity)
    }

    /// The attribute storage of `obj`.
    ///
    /// # Safety
    /// `obj` a live object of type `tp`; GIL held; no Python code runs while the result is used.
    pub unsafe fn storage(self, obj: *mut ffi::PyObject, tp: *mut ffi::PyTypeObject) -> Storage {
        // SAFETY: the pre-header words exist when the type has MANAGED_DICT (table above); the
        // dict slot lies inside the object for tp_dictoffset > 0; keys come from the type.
        unsafe {
            if Self::has_flag(tp, MANAGED_DICT) {
                let word = *obj.cast::<usize>().offset(-3);
                let cached = (*tp.cast::<ffi::PyHeapTypeObject>()).ht_cached_keys.cast::<u8>();
                match self.minor {
                    11 => {
                        if word != 0 {
                            return Storage::Dict(word as *mut ffi::PyObject);
                        }
                        let values = *obj.cast::<usize>().offset(-4);
                        return self.detached(values as *mut *mut ffi::PyObject, cached);
                    }
                    12 => {
                        if word & 1 != 0 {
                            return self.detached((word + 1) as *mut *mut ffi::PyObject, cached);
                        }
                        return if word == 0 { Storage::None } else { Storage::Dict(word as *mut ffi::PyObject) };
                    }
                    _ => {
                        if word != 0 {
                            return Storage::Dict(word as *mut ffi::PyObject);
                        }
                        if Self::has_flag(tp, INLINE_VALUES) && !cached.is_null() {
                            let base = obj.cast::<u8>().offset((*tp).tp_basicsize);
                            // byte 3 is `valid`: 0 once the values moved into a dict
                            if *base.add(3) == 0 {
                                return Storage::None;
                            }
                            let capacity = *base as usize;
                            // counted by inline_bytes, with the instance's attribute storage
                            return Storage::Values { values: base.add(8).cast(), keys: cached, capacity, bytes: 0 };
                        }
                        return Storage::None;
                    }
                }
            }
            let mut off = (*tp).tp_dictoffset;
            if off < 0 && ffi::PyLong_Check(obj) == 0 {
                // after the items of a variable-size object (`_PyObject_ComputedDictPointer`);
                // not for ints, whose ob_size is not an item count on 3.12+
                let items = ffi::Py_SIZE(obj).unsigned_abs() * (*tp).tp_itemsize as usize;
                off += round8((*tp).tp_basicsize as usize + items) as isize;
            }
            if off > 0 {
                let d = *obj.cast::<u8>().offset(off).cast::<*mut ffi::PyObject>();
                return if d.is_null() { Storage::None } else { Storage::Dict(d) };
            }
            Storage::None
        }
    }

    /// A values array that no dictionary object owns (3.11, 3.12).
    unsafe fn detached(self, values: *mut *mut ffi::PyObject, keys: *const u8) -> Storage {
        if values.is_null() || keys.is_null() {
            return Storage::None;
        }
        // SAFETY: a live values array: its prefix size is the byte before it; the type's cached
        // keys are the ones it was sized from (shared keys never grow in place).
        unsafe {
            let prefix = *values.cast::<u8>().offset(-1) as usize;
            let capacity = capacity_311(prefix, keys);
            Storage::Values { values, keys, capacity, bytes: prefix + 8 * capacity }
        }
    }

    /// The bytes of a dictionary object (`sys.getsizeof(d)`, but exact for split tables: the
    /// values array with its prefix, or nothing when its values are an instance's inline ones).
    ///
    /// # Safety
    /// `d` a live dict; GIL held.
    pub unsafe fn split_dict_extra(self, d: *mut ffi::PyObject) -> Option<usize> {
        // SAFETY: PyDictObject's ma_keys/ma_values offsets are fixed (table above).
        unsafe {
            let values = *d.cast::<u8>().offset(DICT_VALUES).cast::<*mut u8>();
            if values.is_null() {
                return None;
            }
            let keys = *d.cast::<u8>().offset(DICT_KEYS).cast::<*const u8>();
            let own_keys = if *keys.cast::<isize>() == 1 { keys_bytes(keys) } else { 0 };
            let values_bytes = if self.minor <= 12 {
                let prefix = *values.offset(-1) as usize;
                prefix + 8 * capacity_311(prefix, keys)
            } else if *values.add(2) != 0 {
                0 // embedded: the inline values of the instance that owns the dict
            } else {
                values_bytes_313(*values as usize)
            };
            Some(values_bytes + own_keys)
        }
    }

    /// The values of a split dict as a storage view (names in its keys).
    ///
    /// # Safety
    /// `d` a live dict; GIL held.
    pub unsafe fn split_values(self, d: *mut ffi::PyObject) -> Option<Storage> {
        // SAFETY: as in split_dict_extra.
        unsafe {
            let values = *d.cast::<u8>().offset(DICT_VALUES).cast::<*mut u8>();
            if values.is_null() {
                return None;
            }
            let keys = *d.cast::<u8>().offset(DICT_KEYS).cast::<*const u8>();
            let (ptr, capacity) = if self.minor <= 12 {
                (values.cast(), capacity_311(*values.offset(-1) as usize, keys))
            } else {
                (values.add(8).cast(), *values as usize)
            };
            Some(Storage::Values { values: ptr, keys, capacity, bytes: 0 })
        }
    }

    /// The weak reference list pointer of `obj`, when its type has one.
    ///
    /// # Safety
    /// `obj` live, of type `tp`.
    pub unsafe fn has_weakrefs(self, obj: *mut ffi::PyObject, tp: *mut ffi::PyTypeObject) -> bool {
        // SAFETY: tp_weaklistoffset (negative for the managed pre-header slot on 3.12+) points
        // at the list head inside the allocation.
        unsafe {
            let off = (*tp).tp_weaklistoffset;
            off != 0 && !(*obj.cast::<u8>().offset(off).cast::<*mut ffi::PyObject>()).is_null()
        }
    }

    pub fn managed_dict(tp: *mut ffi::PyTypeObject) -> bool {
        Self::has_flag(tp, MANAGED_DICT)
    }
}

fn values_bytes_313(capacity: usize) -> usize {
    (capacity + 1) * 8 + round8(capacity)
}

/// The capacity of a 3.11/3.12 values array with prefix `prefix` sized from `keys` (module docs).
///
/// # Safety
/// `keys` a live keys object.
unsafe fn capacity_311(prefix: usize, keys: *const u8) -> usize {
    // SAFETY: forwarded.
    let now = unsafe { shared_keys_usable(keys) };
    now.clamp(prefix.saturating_sub(9).max(1), prefix.saturating_sub(2).max(1))
}

/// `dk_nentries + dk_usable` of a keys object: the capacity of values arrays sized from it.
///
/// # Safety
/// `keys` a live keys object.
unsafe fn shared_keys_usable(keys: *const u8) -> usize {
    // SAFETY: dk_usable at 16, dk_nentries at 24 (module docs).
    unsafe { (*keys.add(16).cast::<isize>() + *keys.add(24).cast::<isize>()).max(0) as usize }
}

/// `_PyDict_KeysSize` for a unicode-keyed table (shared keys always are).
///
/// # Safety
/// `keys` a live keys object.
unsafe fn keys_bytes(keys: *const u8) -> usize {
    // SAFETY: header fields as in the module docs.
    unsafe {
        let log2_size = *keys.add(8) as u32;
        let log2_index_bytes = *keys.add(9) as u32;
        let kind = *keys.add(10);
        let usable = (2usize << log2_size) / 3; // USABLE_FRACTION
        let entry = if kind == 0 { 24 } else { 16 }; // DICT_KEYS_GENERAL has a hash per entry
        32 + (1usize << log2_index_bytes) + entry * usable
    }
}

/// Calls `f(name, value)` for each attribute in a values view (names from the keys' entries).
///
/// # Safety
/// GIL held; the view comes from `storage`/`split_values` of an object still alive.
pub unsafe fn for_each_value(view: &Storage, mut f: impl FnMut(*mut ffi::PyObject, *mut ffi::PyObject)) {
    let Storage::Values { values, keys, capacity, .. } = *view else { return };
    // SAFETY: entries follow the indices; a shared table's entries hold the names, the values
    // array holds the values at the same index, up to the array's capacity.
    unsafe {
        let nentries = (*keys.add(24).cast::<isize>()).max(0) as usize;
        let entries = keys.add(32 + (1usize << *keys.add(9))).cast::<[*mut ffi::PyObject; 2]>();
        for i in 0..nentries.min(capacity) {
            let v = *values.add(i);
            let k = (*entries.add(i))[0];
            if !v.is_null() && !k.is_null() {
                f(k, v);
            }
        }
    }
}
