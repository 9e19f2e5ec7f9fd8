//! The `hazel` command line: argument parsing (clap) and calls into the library.

mod cli;

use clap::Parser;

fn main() {
    let code = cli::run(cli::args::Cli::parse());
    std::process::exit(code);
}
