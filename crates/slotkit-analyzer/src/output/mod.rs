//! Output formats of `check`.

pub mod json;
pub mod sarif;
pub mod summary;
pub mod text;
