//! Wording of constructor errors, matching CPython's for functions (and so dataclasses').

/// `'x'`, `'x' and 'y'`, `'x', 'y', and 'z'` — CPython's list of missing argument names.
pub fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

/// `C.__init__() missing 2 required positional arguments: 'y' and 'z'`
pub fn missing(qualname: &str, names: &[&str], keyword_only: bool) -> String {
    let what = if keyword_only { "keyword-only" } else { "positional" };
    let plural = if names.len() == 1 { "argument" } else { "arguments" };
    format!(
        "{qualname}.__init__() missing {} required {what} {plural}: {}",
        names.len(),
        quoted_list(names)
    )
}

/// `C.__init__() takes 4 positional arguments but 5 were given`, or `takes from 3 to 4` when
/// some have defaults (counting `self`, as CPython does).
pub fn too_many_positional(qualname: &str, required: usize, max_positional: usize, given: usize) -> String {
    let takes = max_positional + 1;
    let plural = if takes == 1 { "argument" } else { "arguments" };
    let were = if given + 1 == 1 { "was" } else { "were" };
    let range = if required < max_positional { format!("from {} to {takes}", required + 1) } else { takes.to_string() };
    format!(
        "{qualname}.__init__() takes {range} positional {plural} but {} {were} given",
        given + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_match_cpython() {
        assert_eq!(quoted_list(&["z"]), "'z'");
        assert_eq!(quoted_list(&["y", "z"]), "'y' and 'z'");
        assert_eq!(quoted_list(&["x", "y", "z"]), "'x', 'y', and 'z'");
    }

    #[test]
    fn missing_and_too_many() {
        assert_eq!(
            missing("P", &["y", "z"], false),
            "P.__init__() missing 2 required positional arguments: 'y' and 'z'"
        );
        assert_eq!(
            missing("P", &["k"], true),
            "P.__init__() missing 1 required keyword-only argument: 'k'"
        );
        assert_eq!(
            too_many_positional("P", 3, 3, 4),
            "P.__init__() takes 4 positional arguments but 5 were given"
        );
        assert_eq!(
            too_many_positional("P", 0, 0, 1),
            "P.__init__() takes 1 positional argument but 2 were given"
        );
        assert_eq!(
            too_many_positional("P", 2, 3, 4),
            "P.__init__() takes from 3 to 4 positional arguments but 5 were given"
        );
    }
}
