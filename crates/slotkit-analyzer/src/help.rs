//! `--help` texts of `slotkit check` and `slotkit fix`, and `--explain`.

use crate::diagnostic::Category;
use crate::registry::RuleInfo;

pub const CHECK: &str = "\
usage: slotkit check [PATH...] [options]

Report broken, wasted and missing __slots__ in Python source. The code is parsed,
never imported or run. PATH defaults to the current directory; folders are walked
honouring .gitignore and [tool.slotkit] exclude in pyproject.toml.

options:
  --format text|json|sarif  output format (default text: path:line:col: CODE message;
                            json: diagnostics with their fix and its applicability;
                            sarif: SARIF 2.1.0 for code-scanning dashboards)
  --select CODES            report only these rules or prefixes (SK1,SK301; ALL)
  --ignore CODES            do not report these rules or prefixes
  --python 3.N              target Python for layouts and savings
                            (default: [tool.slotkit] python, then requires-python)
  --explain CODE            print the documentation of a rule and exit
  --no-summary              omit the summary line (text format)
  -h, --help                show this help

Fixes: SK301 findings marked [*] are safe fixes (`slotkit fix` applies them); those
marked [unsafe fix: ...] name the unknown uses (file:line) that could break the class,
and are applied only with `slotkit fix --unsafe-fixes`.

exit codes: 0 nothing found, 1 findings, 2 usage or internal error
";

pub const FIX: &str = "\
usage: slotkit fix [PATH...] [options]

Add __slots__ to the classes the analysis proves safe to slot, bases first, keeping
every other byte of each file (encoding, BOM and line endings included). Files are
written atomically; a file changed since it was read is left alone.

options:
  --unsafe-fixes            also apply unsafe fixes: classes an unknown use could reach
                            (best combined with --verify)
  --diff                    print the change as a unified diff, write nothing
  --format json             print the plan (every class, its slots, applicability and
                            unknown uses) as JSON, write nothing
  --plan FILE               apply exactly the classes listed in FILE, a JSON object
                            {\"classes\": [{\"id\": \"path::Qual.Name\", \"slots\": [...]}]}
                            (ids as printed by --format json; slots optional)
  --verify CMD              run CMD (e.g. \"pytest -q\") before and after fixing; drop the
                            classes that make new failures; keep only verified edits
                            (see docs/check.md, \"fix --verify\")
  --python 3.N              target Python for layouts and savings
  -h, --help                show this help

exit codes: 0 done, 1 changes pending (--diff) or unparsable files, 2 usage or
internal error
";

/// The user documentation of a rule, as `--explain` prints it.
pub fn explain(rule: &RuleInfo) -> String {
    let cat = match rule.category {
        Category::Syntax => "syntax error",
        Category::Broken => "broken: fails at runtime",
        Category::Wasted => "wasted: memory or effort for nothing",
        Category::Opportunity => "opportunity: memory to save",
    };
    format!("# {} {}\n\nCategory: {cat}.\n\n{}", rule.code, rule.name, rule.doc())
}
