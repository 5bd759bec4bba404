//! How an unboxed field encodes "never assigned".
//!
//! An unboxed slot has no spare bit, so one bit pattern per kind is reserved:
//! - `f64`: one NaN payload. A user NaN with exactly that payload is stored as the canonical NaN
//!   instead (Python code cannot observe NaN payloads except through `struct`).
//! - `i64`: `i64::MIN`. Int fields therefore hold `-2**63 + 1 ..= 2**63 - 1`; `-2**63` is
//!   refused with `OverflowError`.
//! - `bool`: the byte value 2 (set values are 0 and 1).

pub const F64_UNSET_BITS: u64 = 0x7FF8_5107_C17A_0001;
pub const F64_CANONICAL_NAN_BITS: u64 = 0x7FF8_0000_0000_0000;
pub const I64_UNSET: i64 = i64::MIN;
pub const BOOL_UNSET: u64 = 2;

/// The bits to store for a float value: never the unset pattern.
#[inline]
pub fn f64_bits(value: f64) -> u64 {
    let bits = value.to_bits();
    if bits == F64_UNSET_BITS {
        F64_CANONICAL_NAN_BITS
    } else {
        bits
    }
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
    fn storing_the_reserved_nan_canonicalizes_it() {
        assert_eq!(f64_bits(f64::from_bits(F64_UNSET_BITS)), F64_CANONICAL_NAN_BITS);
        assert_eq!(f64_bits(1.5), 1.5_f64.to_bits());
        assert_eq!(f64_bits(-0.0), (-0.0_f64).to_bits());
    }
}
