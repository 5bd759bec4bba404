//! Development driver: `cargo run -p slotkit-analyzer --example slotkit_cli -- check PATH`.
//! Users run the same code through `slotkit check` in the Python package.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = slotkit_analyzer::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    std::process::exit(code);
}
