//! Counts for the summary line.

use serde::Serialize;

use super::plural;
use crate::diagnostic::{Category, Diagnostic};
use crate::fix_safety::Applicability;

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub findings: usize,
    pub broken: usize,
    pub wasted: usize,
    pub opportunities: usize,
    pub syntax_errors: usize,
    pub slottable_classes: usize,
    /// SK301 findings whose fix is safe (`slotkit fix` applies them)
    pub safe_fixes: usize,
    /// SK301 findings whose fix is unsafe (`slotkit fix --unsafe-fixes`)
    pub unsafe_fixes: usize,
}

impl Summary {
    pub fn new(files: usize, diags: &[Diagnostic]) -> Self {
        let count = |c: Category| diags.iter().filter(|d| d.category == c).count();
        let fixes = |a: Applicability| diags.iter().filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == a)).count();
        Summary {
            files,
            findings: diags.len(),
            broken: count(Category::Broken),
            wasted: count(Category::Wasted),
            opportunities: count(Category::Opportunity),
            syntax_errors: count(Category::Syntax),
            slottable_classes: diags.iter().filter(|d| d.code == "SK301").count(),
            safe_fixes: fixes(Applicability::Safe),
            unsafe_fixes: fixes(Applicability::Unsafe),
        }
    }

    pub fn line(&self) -> String {
        let files = plural(self.files, "file", "files");
        if self.findings == 0 {
            return format!("All checks passed ({files}).");
        }
        format!(
            "Found {} in {files}: {} broken, {} wasted, {} ({} can be slotted: {} for `slotkit fix`, {} for `--unsafe-fixes`), {}.",
            plural(self.findings, "finding", "findings"),
            self.broken,
            self.wasted,
            plural(self.opportunities, "opportunity", "opportunities"),
            plural(self.slottable_classes, "class", "classes"),
            plural(self.safe_fixes, "safe fix", "safe fixes"),
            plural(self.unsafe_fixes, "unsafe fix", "unsafe fixes"),
            plural(self.syntax_errors, "unparsable file", "unparsable files"),
        )
    }
}
