//! The command line's own code: argument definitions and one handler per subcommand.
//! Handlers only translate between arguments, the library and the terminal.

pub mod args;
mod bind;
mod chains;
mod check;
mod plot;
mod progress;
mod record;
mod sample;
mod stop;
mod summary;

use args::{Cli, Command};

/// Exit status for success.
pub const EXIT_OK: i32 = 0;
/// Exit status when the input is valid but the work failed.
pub const EXIT_FAILURE: i32 = 1;
/// Exit status for usage and data errors (clap uses 2 for usage errors too).
pub const EXIT_USAGE: i32 = 2;

/// Runs a parsed command line and returns the process exit status.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(a) => check::run(&a),
        // Every summary error is about its input: a usage/data error.
        Command::Summary(a) => report(
            summary::run(&a)
                .map(|text| print!("{text}"))
                .map_err(|e| (e, EXIT_USAGE)),
        ),
        Command::Plot(a) => report(plot::run(a)),
        Command::Sample(a) => report(sample::run(a)),
        Command::Loo(a) => report(
            hazel::loo::loo_command(&a.dirs, &a.var)
                .map(|text| print!("{text}"))
                .map_err(|e| (e.to_string(), EXIT_USAGE)),
        ),
    }
}

/// Prints an error (if any) and turns it into an exit status.
fn report(result: Result<(), (String, i32)>) -> i32 {
    match result {
        Ok(()) => EXIT_OK,
        Err((message, code)) => {
            eprintln!("error: {message}");
            code
        }
    }
}
