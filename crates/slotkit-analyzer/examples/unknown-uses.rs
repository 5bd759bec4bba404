//! List the unknown uses of a project (receivers whose type the analysis cannot pin
//! down), to see what makes fixes unsafe:
//! `cargo run -p slotkit-analyzer --example unknown-uses -- path/`.

use slotkit_analyzer::model::project::Project;

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let files: Vec<(std::path::PathBuf, String)> = ignore::WalkBuilder::new(&root)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
        .map(|e| (e.path().to_path_buf(), e.path().display().to_string()))
        .collect();
    let project = Project::build(files);
    for (mid, u) in &project.unknown_uses {
        let m = &project.modules[*mid];
        let (line, _) = m.lines.line_col(&m.text, u.range.start().to_usize());
        let text = m.text.get(u.range.start().to_usize()..u.range.end().to_usize()).unwrap_or("");
        println!("{}:{line}: {:?} {}", m.display, u.kind, text.lines().next().unwrap_or(""));
    }
}
