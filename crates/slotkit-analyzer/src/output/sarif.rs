//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards.

use std::io::Write;

use serde_json::json;

use crate::diagnostic::{Category, Diagnostic};
use crate::registry::RULES;

pub fn write(out: &mut dyn Write, diags: &[Diagnostic]) -> std::io::Result<()> {
    let rules: Vec<_> = RULES
        .iter()
        .map(|r| {
            let first = r.doc().lines().find(|l| !l.starts_with('#') && !l.is_empty()).unwrap_or_default().to_string();
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": first },
                "fullDescription": { "text": r.doc() },
            })
        })
        .collect();
    let results: Vec<_> = diags
        .iter()
        .map(|d| {
            let level = match d.category {
                Category::Broken | Category::Syntax => "error",
                Category::Wasted => "warning",
                Category::Opportunity => "note",
            };
            let properties = d.fix.as_ref().map_or_else(
                || json!({}),
                |f| json!({ "fixApplicability": f.applicability, "unknownUses": f.notes }),
            );
            json!({
                "properties": properties,
                "ruleId": d.code,
                "level": level,
                "message": { "text": d.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": d.path.replace('\\', "/") },
                        "region": {
                            "startLine": d.line,
                            "startColumn": d.column,
                            "endLine": d.end_line,
                            "endColumn": d.end_column,
                        }
                    }
                }]
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "slotkit",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
