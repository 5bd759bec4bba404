//! Output formats of `check`.

pub mod json;
pub mod sarif;
pub mod summary;
pub mod text;

/// `1 file`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
