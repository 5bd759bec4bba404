//! Finding the `.py` files to analyse: honours `.gitignore` and the configured excludes.

use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use crate::error::AnalyzerError;

/// How a path is shown: as given, without `./` components or doubled separators
/// (`check ./src/` and `check src//` both show `src/pkg/mod.py`).
fn shown(path: &Path) -> String {
    let cleaned: PathBuf = path.components().filter(|c| !matches!(c, std::path::Component::CurDir)).collect();
    if cleaned.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        cleaned.display().to_string()
    }
}

/// `(path, display name)` of every Python file under `paths`, sorted.
pub fn python_files(
    paths: &[PathBuf],
    root: Option<&Path>,
    exclude: &[String],
) -> Result<Vec<(PathBuf, String)>, AnalyzerError> {
    let mut out = Vec::new();
    for path in paths {
        if !path.exists() {
            return Err(AnalyzerError::Usage(format!("{}: no such file or directory", path.display())));
        }
        if path.is_file() {
            out.push((path.clone(), shown(path)));
            continue;
        }
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        let base = root.map_or_else(|| abs.clone(), Path::to_path_buf);
        let mut overrides = OverrideBuilder::new(&base);
        for pattern in exclude {
            overrides
                .add(&format!("!{pattern}"))
                .map_err(|e| AnalyzerError::Usage(format!("bad exclude pattern {pattern:?}: {e}")))?;
        }
        let overrides = overrides
            .build()
            .map_err(|e| AnalyzerError::Usage(format!("bad exclude patterns: {e}")))?;
        let walker = WalkBuilder::new(&abs)
            .require_git(false)
            .overrides(overrides)
            .build();
        for entry in walker {
            let entry = entry.map_err(|e| AnalyzerError::Walk(e.to_string()))?;
            let p = entry.path();
            if entry.file_type().is_some_and(|t| t.is_file())
                && p.extension().is_some_and(|e| e == "py")
            {
                let shown = p.strip_prefix(&abs).map_or_else(
                    |_| p.display().to_string(),
                    |rel| shown(&path.join(rel)),
                );
                out.push((p.to_path_buf(), shown));
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::shown;
    use std::path::Path;

    #[test]
    fn shown_paths_drop_dot_components_and_doubled_separators() {
        assert_eq!(shown(Path::new("./src/a.py")), "src/a.py");
        assert_eq!(shown(Path::new("src//pkg/./a.py")), "src/pkg/a.py");
        assert_eq!(shown(Path::new("/abs/x.py")), "/abs/x.py");
        assert_eq!(shown(Path::new(".")), ".");
    }
}
