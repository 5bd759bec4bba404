//! A finding reported by `check`.

use serde::Serialize;

/// Where a rule belongs: broken code, wasted slots, or an opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Syntax,
    Broken,
    Wasted,
    Opportunity,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub category: Category,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub message: String,
}
