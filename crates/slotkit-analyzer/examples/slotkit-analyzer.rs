//! Run the analyzer CLI without building the Python extension:
//! `cargo run -p slotkit-analyzer --example slotkit-analyzer -- check path/`.

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let code = slotkit_analyzer::run(&argv, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
