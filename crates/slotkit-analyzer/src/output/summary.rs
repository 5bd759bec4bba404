//! Counts for the summary line.

use serde::Serialize;

use crate::diagnostic::{Category, Diagnostic};

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub files: usize,
    pub findings: usize,
    pub broken: usize,
    pub wasted: usize,
    pub opportunities: usize,
    pub syntax_errors: usize,
    pub slottable_classes: usize,
}

impl Summary {
    pub fn new(files: usize, diags: &[Diagnostic]) -> Self {
        let count = |c: Category| diags.iter().filter(|d| d.category == c).count();
        Summary {
            files,
            findings: diags.len(),
            broken: count(Category::Broken),
            wasted: count(Category::Wasted),
            opportunities: count(Category::Opportunity),
            syntax_errors: count(Category::Syntax),
            slottable_classes: diags.iter().filter(|d| d.code == "SK301").count(),
        }
    }

    pub fn line(&self) -> String {
        if self.findings == 0 {
            return format!("All checks passed ({} files).", self.files);
        }
        format!(
            "Found {} findings in {} files: {} broken, {} wasted, {} opportunities ({} classes can be slotted by `slotkit fix`), {} unparsable files.",
            self.findings,
            self.files,
            self.broken,
            self.wasted,
            self.opportunities,
            self.slottable_classes,
            self.syntax_errors
        )
    }
}
