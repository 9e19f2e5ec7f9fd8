//! The command line's own code: argument definitions and one handler per subcommand.
//! Handlers only translate between arguments, the library and the terminal.

pub mod args;
mod plot;
mod progress;
mod sample;

use args::{Cli, Command, DumpArg, TableFormat};
use hazel::summary::{SummaryFormat, summary_command};

/// Exit status for success.
pub const EXIT_OK: i32 = 0;
/// Exit status when the input is valid but the work failed.
pub const EXIT_FAILURE: i32 = 1;
/// Exit status for usage and data errors (clap uses 2 for usage errors too).
pub const EXIT_USAGE: i32 = 2;

/// Runs a parsed command line and returns the process exit status.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(a) => {
            let dump = a.dump.map(|d| match d {
                DumpArg::Ast => hazel::lang::Dump::Ast,
                DumpArg::Typed => hazel::lang::Dump::Typed,
            });
            let (out, err, code) = hazel::lang::check_command(&a.model, dump);
            print!("{out}");
            eprint!("{err}");
            code
        }
        Command::Summary(a) => {
            let format = match a.format {
                TableFormat::Table => SummaryFormat::Table,
                TableFormat::Csv => SummaryFormat::Csv,
            };
            match summary_command(&a.inputs, format) {
                Ok(text) => {
                    print!("{text}");
                    EXIT_OK
                }
                // Every summary error is about its input: a usage/data error.
                Err(e) => {
                    eprintln!("error: {e}");
                    EXIT_USAGE
                }
            }
        }
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
