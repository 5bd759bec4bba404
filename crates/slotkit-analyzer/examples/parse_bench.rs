//! Development benchmark: time parsing alone vs the full model on a tree.

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let files = slotkit_analyzer::discover::python_files(&[root.into()], None, &[]).unwrap_or_default();
    let texts: Vec<String> = files.iter().map(|(p, _)| std::fs::read_to_string(p).unwrap_or_default()).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let t = std::time::Instant::now();
    for text in &texts {
        let _ = ruff_python_parser::parse_module(text);
    }
    println!("{} files, {} KB, serial parse {:?}", texts.len(), bytes / 1024, t.elapsed());
    let t = std::time::Instant::now();
    let _ = slotkit_analyzer::model::project::Project::build(files);
    println!("Project::build {:?}", t.elapsed());
}
