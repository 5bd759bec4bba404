//! How an unboxed field is encoded in its 8-byte slot, and how "never assigned" is.
//!
//! The all-zero pattern means *unset* for every kind, so memory that any allocator hands out
//! zeroed (`tp_alloc`, `object.__new__`, a user `__new__` reaching `object.__new__`) holds a
//! record whose unboxed fields are all unset: no path can create an instance whose fields read
//! as `0.0` / `0` / `False` without having been assigned. Values are stored transformed:
//! - `f64`: the IEEE bits XOR one reserved NaN payload (`F64_UNSET_BITS`). A user NaN with exactly
//!   that payload is stored as the canonical NaN instead (Python code cannot observe NaN payloads
//!   except through `struct`).
//! - `i64`: the two's-complement bits XOR `i64::MIN`, so `i64::MIN` itself is the unset value and
//!   int fields hold `-2**63 + 1 ..= 2**63 - 1`; `-2**63` is refused with `OverflowError`.
//! - `bool`: `1` for `False`, `2` for `True`.

/// The stored pattern of an unset field, for every kind.
pub const UNSET_RAW: u64 = 0;
pub const F64_UNSET_BITS: u64 = 0x7FF8_5107_C17A_0001;
pub const F64_CANONICAL_NAN_BITS: u64 = 0x7FF8_0000_0000_0000;
pub const I64_UNSET: i64 = i64::MIN;

/// The stored pattern for a float value: never [`UNSET_RAW`].
#[inline(always)]
pub fn encode_f64(value: f64) -> u64 {
    let bits = value.to_bits();
    let bits = if bits == F64_UNSET_BITS { F64_CANONICAL_NAN_BITS } else { bits };
    bits ^ F64_UNSET_BITS
}

/// The float a stored pattern other than [`UNSET_RAW`] holds.
#[inline(always)]
pub fn decode_f64(raw: u64) -> f64 {
    f64::from_bits(raw ^ F64_UNSET_BITS)
}

/// The stored pattern for an int value; `None` for `i64::MIN` (the unset value).
#[inline(always)]
pub fn encode_i64(value: i64) -> Option<u64> {
    (value != I64_UNSET).then_some((value ^ I64_UNSET) as u64)
}

/// The int a stored pattern other than [`UNSET_RAW`] holds.
#[inline(always)]
pub fn decode_i64(raw: u64) -> i64 {
    (raw as i64) ^ I64_UNSET
}

/// The stored pattern for a bool value.
#[inline(always)]
pub fn encode_bool(value: bool) -> u64 {
    1 + value as u64
}

/// The bool a stored pattern other than [`UNSET_RAW`] holds.
#[inline(always)]
pub fn decode_bool(raw: u64) -> bool {
    raw == 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_float_is_a_nan_no_arithmetic_produces() {
        let unset = f64::from_bits(F64_UNSET_BITS);
        assert!(unset.is_nan());
        assert_ne!(f64::NAN.to_bits(), F64_UNSET_BITS);
        assert_ne!((0.0_f64 / 0.0).to_bits(), F64_UNSET_BITS);
        assert_ne!(f64::INFINITY - f64::INFINITY, unset);
    }

    #[test]
    fn no_value_encodes_as_unset() {
        for v in [0.0, -0.0, 1.5, f64::NAN, f64::INFINITY, f64::MIN, f64::from_bits(F64_UNSET_BITS)] {
            assert_ne!(encode_f64(v), UNSET_RAW);
        }
        for v in [0, -1, 1, i64::MAX, i64::MIN + 1] {
            assert_ne!(encode_i64(v), Some(UNSET_RAW));
        }
        assert_eq!(encode_i64(i64::MIN), None);
        assert_ne!(encode_bool(false), UNSET_RAW);
        assert_ne!(encode_bool(true), UNSET_RAW);
    }

    #[test]
    fn values_round_trip() {
        for v in [0.0_f64, -0.0, 1.5, -2.25e300, f64::INFINITY, f64::MIN_POSITIVE] {
            assert_eq!(decode_f64(encode_f64(v)).to_bits(), v.to_bits());
        }
        assert_eq!(decode_f64(encode_f64(f64::from_bits(F64_UNSET_BITS))).to_bits(), F64_CANONICAL_NAN_BITS);
        for v in [0, -1, 1, i64::MAX, i64::MIN + 1, 42] {
            assert_eq!(decode_i64(encode_i64(v).unwrap()), v);
        }
        assert!(!decode_bool(encode_bool(false)));
        assert!(decode_bool(encode_bool(true)));
    }
}
