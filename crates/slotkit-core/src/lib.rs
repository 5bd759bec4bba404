//! Pure-Rust model of a slotkit record: what a field annotation means for storage, how an unset
//! field is encoded, when a class needs the cycle collector, and how argument errors are worded.
//!
//! Nothing here touches Python; the runtime crate (`slotkit-python`) maps these decisions onto
//! CPython objects.

pub mod kind;
pub mod messages;
pub mod unset;

pub use kind::{Atom, Kind, Scalar};
