//! Bytes saved per instance by `__slots__`, from the tracemalloc measurements in the
//! reference (attributes set consistently in `__init__`).

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PyVersion {
    pub major: u32,
    pub minor: u32,
}

impl PyVersion {
    pub const DEFAULT: PyVersion = PyVersion {
        major: 3,
        minor: 11,
    };
}

impl fmt::Display for PyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for PyVersion {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.trim().split('.');
        let major = parts.next().and_then(|p| p.parse().ok());
        let minor = parts.next().and_then(|p| p.parse().ok());
        match (major, minor) {
            (Some(3), Some(minor)) if minor >= 6 => Ok(PyVersion { major: 3, minor }),
            _ => Err(format!("unsupported Python version {s:?} (expected 3.N)")),
        }
    }
}

/// Bytes of an instance with a `__dict__` holding `n` attributes.
/// The newest CPython minor version whose layouts are known here.
pub const NEWEST_MINOR: u32 = 15;

pub fn dict_instance_bytes(n: usize, v: PyVersion) -> usize {
    let n8 = 8 * n;
    if v.minor <= 10 {
        return match n {
            0 => 48,
            1..=5 => 152,
            6..=10 => 192,
            11..=16 => 280,
            17..=29 => 448,
            _ => 448 + 8 * (n - 29),
        };
    }
    let (base, big) = match v.minor {
        11 => (72, 1640),
        12 => (64, 1632),
        _ => (72, 1904),
    };
    if n >= 30 {
        big + 8 * (n - 30)
    } else {
        base + n8
    }
}

/// Bytes of a slotted instance (`sys.getsizeof`): GC and object headers + 8 per slot, plus
/// `__weakref__`: an 8-byte slot up to 3.11; from 3.12 CPython keeps it before the object,
/// in the pre-header pair it shares with the managed dict pointer (16 bytes).
pub fn slots_instance_bytes(n: usize, weakref: bool, v: PyVersion) -> usize {
    let weakref_bytes = match (weakref, v.minor >= 12) {
        (false, _) => 0,
        (true, false) => 8,
        (true, true) => 16,
    };
    32 + 8 * n + weakref_bytes
}

pub fn saved_bytes(n: usize, weakref: bool, v: PyVersion) -> usize {
    dict_instance_bytes(n, v).saturating_sub(slots_instance_bytes(n, weakref, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_table() {
        let v311 = PyVersion::DEFAULT;
        assert_eq!(dict_instance_bytes(1, v311), 80);
        assert_eq!(saved_bytes(3, false, v311), 40);
        let v310: PyVersion = "3.10".parse().expect("valid");
        assert_eq!(saved_bytes(1, false, v310), 112);
        assert_eq!(saved_bytes(30, false, v311), 1640 - 272);
        assert!("2.7".parse::<PyVersion>().is_err());
    }

    #[test]
    fn weakref_slot_bytes_follow_the_version() {
        // `sys.getsizeof` of `class B: __slots__ = ("a", "__weakref__")`: 48 on 3.11,
        // 56 on 3.12 and 3.13 (measured), 40 without `__weakref__` on all three
        let v = |s: &str| s.parse::<PyVersion>().expect("valid");
        assert_eq!(slots_instance_bytes(1, true, v("3.11")), 48);
        assert_eq!(slots_instance_bytes(1, true, v("3.12")), 56);
        assert_eq!(slots_instance_bytes(1, true, v("3.13")), 56);
        assert_eq!(slots_instance_bytes(1, false, v("3.13")), 40);
    }
}
