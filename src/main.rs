//! The `hazel` command line: argument parsing and calls into the library.

fn main() {
    eprintln!(
        "hazel {}: the command line is not built yet; see README.md",
        env!("CARGO_PKG_VERSION")
    );
    std::process::exit(2);
}
