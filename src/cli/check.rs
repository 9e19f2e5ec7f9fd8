//! `hazel check`: parse and type-check a model and list its parameters; `--dump ast|typed`
//! adds a front-end view, and with `--data` the model is also bound to its data and
//! compiled, which `--dump tape` needs (the tape holds the data's values and sizes).

use super::args::{CheckArgs, DumpArg};
use super::bind::load_model;
use super::{EXIT_OK, EXIT_USAGE};
use hazel::lang::{Dump, check_command};

/// Seed for `_rng` calls in transformed data when `hazel check` compiles a model: any
/// fixed value, so that a tape dump is the same every time (our choice).
pub const CHECK_SEED: u64 = 1;

/// Runs `hazel check` and returns the exit status.
pub fn run(a: &CheckArgs) -> i32 {
    if a.dump == Some(DumpArg::Tape) && a.data.is_empty() {
        eprintln!(
            "error: --dump tape needs the model's data: add --data FILE (the tape is built \
             with the data bound, so its sizes and values are known)"
        );
        return EXIT_USAGE;
    }
    let front_end = match a.dump {
        Some(DumpArg::Ast) => Some(Dump::Ast),
        Some(DumpArg::Typed) => Some(Dump::Typed),
        Some(DumpArg::Tape) | None => None,
    };
    let (out, err, code) = check_command(&a.model, front_end);
    print!("{out}");
    eprint!("{err}");
    if code != EXIT_OK || a.data.is_empty() {
        return code;
    }
    match load_model(&a.model, &a.data, &a.factor, CHECK_SEED) {
        Ok(_) if a.dump != Some(DumpArg::Tape) => {
            let files: Vec<String> = a.data.iter().map(|p| p.display().to_string()).collect();
            println!("data: {} fits the data block", files.join(", "));
            EXIT_OK
        }
        Ok((model, _)) => {
            print!("{}", model.dump_tape());
            EXIT_OK
        }
        Err((message, code)) => {
            eprintln!("error: {message}");
            code
        }
    }
}
