//! A finding reported by `check`.

use serde::Serialize;

use crate::fix_safety::Applicability;

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
    /// for findings that `fix` can apply: how safe the edit is, and why
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixInfo>,
}

/// The fix attached to a finding.
#[derive(Debug, Clone, Serialize)]
pub struct FixInfo {
    pub applicability: Applicability,
    /// for unsafe fixes: the unknown uses (file:line) that could break the class
    pub notes: Vec<String>,
}
