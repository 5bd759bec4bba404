//! `RawBuf`: a growable byte buffer allocated with `PyMem_RawMalloc`, so `tracemalloc` counts a
//! RecordArray's columns, and the allocation needs no GIL (an Arrow release callback may free
//! from any thread). Growth is amortized (x1.5), or exact when the caller reserves a known size.
//!
//! A buffer may also be *foreign*: bytes imported from Arrow without a copy, kept alive by a
//! keeper (the imported batch). Reading is free; the first write or growth copies them into an
//! own allocation ([`RawBuf::own`]) and drops the keeper (exports clone it first).

use std::ffi::c_void;
use std::ptr;
use std::sync::Arc;

use pyo3::ffi;

/// Keeps foreign (imported) bytes alive.
pub type Keeper = Arc<dyn std::any::Any + Send + Sync>;

/// Bytes: `len` in use out of `cap` allocated (owned), or `len` foreign bytes (`cap == len`).
pub struct RawBuf {
    ptr: *mut u8,
    len: usize,
    cap: usize,
    foreign: Option<Keeper>,
}

// SAFETY: a RawBuf owns its allocation exclusively (no aliasing handles are kept), and
// PyMem_Raw* functions are thread-safe; mutation happens through &mut only.
unsafe impl Send for RawBuf {}
// SAFETY: as above; shared access only reads.
unsafe impl Sync for RawBuf {}

/// Returned when an allocation fails; the caller raises `MemoryError`.
#[derive(Debug)]
pub struct NoMemory;

/// An aligned, never-written word for the data pointer of empty buffers (Arrow and the buffer
/// protocol want a non-NULL pointer even for zero bytes).
static EMPTY: [u64; 2] = [0; 2];

impl RawBuf {
    pub const fn new() -> RawBuf {
        RawBuf { ptr: ptr::null_mut(), len: 0, cap: 0, foreign: None }
    }

    /// `len` bytes at `ptr`, owned by someone else and kept alive by `keep`; read-only until
    /// [`RawBuf::own`] copies them.
    ///
    /// # Safety
    /// `ptr` must point to `len` readable bytes that stay valid and unchanged while `keep` lives.
    pub unsafe fn foreign(ptr: *const u8, len: usize, keep: Keeper) -> RawBuf {
        RawBuf { ptr: ptr.cast_mut(), len, cap: len, foreign: Some(keep) }
    }

    pub fn is_foreign(&self) -> bool {
        self.foreign.is_some()
    }

    /// The keeper of foreign bytes (an export clones it so they outlive a later [`RawBuf::own`]).
    pub fn keeper(&self) -> Option<Keeper> {
        self.foreign.clone()
    }

    /// Copies foreign bytes into an own allocation (no-op for owned buffers).
    pub fn own(&mut self) -> Result<(), NoMemory> {
        if self.foreign.is_none() {
            return Ok(());
        }
        let cap = self.len.max(8);
        // SAFETY: a fresh allocation of `cap` bytes; the foreign bytes are valid for `len`
        // (the keeper is still held) and cannot overlap it.
        unsafe {
            let p = ffi::PyMem_RawMalloc(cap).cast::<u8>();
            if p.is_null() {
                return Err(NoMemory);
            }
            ptr::copy_nonoverlapping(self.ptr, p, self.len);
            self.ptr = p;
        }
        self.cap = cap;
        self.foreign = None;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn capacity(&self) -> usize {
        self.cap
    }

    /// Start of the bytes; a static, non-NULL address when nothing is allocated.
    pub fn as_ptr(&self) -> *const u8 {
        if self.ptr.is_null() {
            EMPTY.as_ptr().cast()
        } else {
            self.ptr
        }
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `len` bytes from `as_ptr` are initialized (every push writes them).
        unsafe { std::slice::from_raw_parts(self.as_ptr(), self.len) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        assert!(self.foreign.is_none(), "RawBuf::bytes_mut on foreign bytes (own() first)");
        if self.ptr.is_null() {
            return &mut [];
        }
        // SAFETY: `len` initialized bytes owned by us, borrowed mutably through &mut self.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }

    /// Makes room for `extra` more bytes: amortized growth (x1.5), at least exact.
    pub fn reserve(&mut self, extra: usize) -> Result<(), NoMemory> {
        if extra > 0 {
            self.own()?;
        }
        let need = self.len.checked_add(extra).ok_or(NoMemory)?;
        if need <= self.cap {
            return Ok(());
        }
        let grown = self.cap + self.cap / 2;
        self.realloc(need.max(grown).max(64))
    }

    /// Makes room for exactly `extra` more bytes (no over-allocation).
    pub fn reserve_exact(&mut self, extra: usize) -> Result<(), NoMemory> {
        if extra > 0 {
            self.own()?;
        }
        let need = self.len.checked_add(extra).ok_or(NoMemory)?;
        if need <= self.cap {
            return Ok(());
        }
        self.realloc(need)
    }

    /// Gives back unused capacity.
    pub fn shrink_to_fit(&mut self) -> Result<(), NoMemory> {
        if self.cap == self.len || self.foreign.is_some() {
            return Ok(());
        }
        if self.len == 0 {
            self.free();
            return Ok(());
        }
        self.realloc(self.len)
    }

    fn realloc(&mut self, cap: usize) -> Result<(), NoMemory> {
        self.own()?;
        // SAFETY: `ptr` is NULL or came from PyMem_RawRealloc; the new size is non-zero.
        let p = unsafe { ffi::PyMem_RawRealloc(self.ptr.cast::<c_void>(), cap) }.cast::<u8>();
        if p.is_null() {
            return Err(NoMemory);
        }
        self.ptr = p;
        self.cap = cap;
        Ok(())
    }

    /// Appends bytes; the caller has reserved room.
    pub fn push_bytes(&mut self, src: &[u8]) {
        assert!(self.len + src.len() <= self.cap, "RawBuf::push_bytes without reserve");
        assert!(self.foreign.is_none() || src.is_empty(), "RawBuf::push_bytes on foreign bytes");
        if src.is_empty() {
            return;
        }
        // SAFETY: room checked above; `src` cannot overlap our allocation (we hold &mut self).
        unsafe { ptr::copy_nonoverlapping(src.as_ptr(), self.ptr.add(self.len), src.len()) };
        self.len += src.len();
    }

    /// Appends `n` zero bytes; the caller has reserved room.
    pub fn push_zeros(&mut self, n: usize) {
        assert!(self.len + n <= self.cap, "RawBuf::push_zeros without reserve");
        assert!(self.foreign.is_none() || n == 0, "RawBuf::push_zeros on foreign bytes");
        if n == 0 {
            return;
        }
        // SAFETY: room checked above.
        unsafe { ptr::write_bytes(self.ptr.add(self.len), 0, n) };
        self.len += n;
    }

    /// Appends a plain value's bytes.
    pub fn push<T: Copy>(&mut self, v: T) {
        // SAFETY: T is Copy (plain data); we view its bytes for the copy only.
        let bytes = unsafe { std::slice::from_raw_parts((&v as *const T).cast::<u8>(), size_of::<T>()) };
        self.push_bytes(bytes);
    }

    /// The `i`-th `T` (8-byte aligned buffers of `T`-sized items).
    pub fn get<T: Copy>(&self, i: usize) -> T {
        assert!((i + 1) * size_of::<T>() <= self.len, "RawBuf::get out of bounds");
        // SAFETY: in bounds (checked); read_unaligned tolerates any alignment.
        unsafe { ptr::read_unaligned(self.as_ptr().cast::<T>().add(i)) }
    }

    pub fn set<T: Copy>(&mut self, i: usize, v: T) {
        assert!((i + 1) * size_of::<T>() <= self.len, "RawBuf::set out of bounds");
        assert!(self.foreign.is_none(), "RawBuf::set on foreign bytes (own() first)");
        // SAFETY: in bounds (checked), and len > 0 implies an allocation.
        unsafe { ptr::write_unaligned(self.ptr.cast::<T>().add(i), v) }
    }

    /// Drops bytes past `len` (kept allocated).
    pub fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    fn free(&mut self) {
        if self.foreign.take().is_some() {
            self.ptr = ptr::null_mut();
        }
        if !self.ptr.is_null() {
            // SAFETY: came from PyMem_RawRealloc and is freed once (pointer reset below).
            unsafe { ffi::PyMem_RawFree(self.ptr.cast::<c_void>()) };
        }
        // Plain field writes: assigning a new RawBuf would drop (and free) this one again.
        self.ptr = ptr::null_mut();
        self.len = 0;
        self.cap = 0;
    }
}

impl Drop for RawBuf {
    fn drop(&mut self) {
        self.free();
    }
}

/// A validity (or boolean) bitmap in Arrow's layout: bit `i % 8` of byte `i / 8`, LSB first.
pub struct Bitmap {
    pub buf: RawBuf,
    /// Bits in use.
    pub bits: usize,
}

impl Bitmap {
    /// A bitmap of `n` set bits.
    pub fn ones(n: usize, spare: usize) -> Result<Bitmap, NoMemory> {
        let mut b = Bitmap { buf: RawBuf::new(), bits: 0 };
        b.buf.reserve(n.div_ceil(8) + spare.div_ceil(8) + 1)?;
        b.buf.push_zeros(n.div_ceil(8));
        b.buf.bytes_mut().fill(0xFF);
        b.bits = n;
        Ok(b)
    }

    pub fn get(&self, i: usize) -> bool {
        self.buf.bytes()[i / 8] >> (i % 8) & 1 == 1
    }

    pub fn set(&mut self, i: usize, v: bool) {
        let byte = &mut self.buf.bytes_mut()[i / 8];
        if v {
            *byte |= 1 << (i % 8);
        } else {
            *byte &= !(1 << (i % 8));
        }
    }

    pub fn reserve(&mut self, extra: usize) -> Result<(), NoMemory> {
        let need = (self.bits + extra).div_ceil(8);
        self.buf.reserve(need.saturating_sub(self.buf.len()))
    }

    /// Appends one bit; the caller has reserved room.
    pub fn push(&mut self, v: bool) {
        if self.bits.is_multiple_of(8) {
            self.buf.push_zeros(1);
        }
        self.bits += 1;
        self.set(self.bits - 1, v);
    }

    pub fn truncate(&mut self, bits: usize) {
        self.bits = self.bits.min(bits);
        self.buf.truncate(self.bits.div_ceil(8));
    }

    /// Number of zero bits among the first `bits`.
    pub fn count_zeros(&self) -> usize {
        (0..self.bits).filter(|&i| !self.get(i)).count()
    }
}

/// Reads bit `i` of an Arrow bitmap at `p` (for imported arrays).
///
/// # Safety
/// `p` must point to at least `i / 8 + 1` readable bytes.
pub unsafe fn bit(p: *const u8, i: usize) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe { *p.add(i / 8) >> (i % 8) & 1 == 1 }
}
