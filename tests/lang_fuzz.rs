//! The front end never panics: random bytes and mutations of every `.stan` program in
//! the repository (deleted, duplicated, swapped and inserted tokens, truncation, random
//! bytes spliced in) go through lexing, parsing, checking and rendering. Whatever parses
//! must also survive a pretty-print round trip.
//!
//! CI runs a bounded number of cases; a longer campaign:
//! `HAZEL_FUZZ_CASES=200000 cargo test --profile ci --locked --test lang_fuzz`.

mod lang_common;

use hazel::lang::diagnostic::Diagnostics;
use hazel::lang::{check, lexer::lex, parse, pretty::print_program};
use proptest::prelude::*;
use proptest::sample::Index;
use std::sync::OnceLock;

/// Cases per property in CI (each case takes well under a millisecond at opt-level 2).
const CI_CASES: u32 = 4000;

fn cases() -> u32 {
    std::env::var("HAZEL_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(CI_CASES)
}

/// Every `.stan` file in the repository (good, bad, models).
fn corpus() -> &'static Vec<String> {
    static C: OnceLock<Vec<String>> = OnceLock::new();
    C.get_or_init(|| {
        let mut all: Vec<String> = lang_common::good_programs()
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        all.extend(lang_common::bad_programs().into_iter().map(|(_, s, _)| s));
        assert!(!all.is_empty());
        all
    })
}

/// Tokens and fragments worth splicing into programs.
const VOCAB: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ";",
    ",",
    "|",
    "~",
    "=",
    "+=",
    "<",
    ">",
    "<lower=0>",
    "T[",
    ":",
    "?",
    "'",
    ".*",
    "^",
    "%/%",
    "\\",
    "real",
    "int",
    "vector[3]",
    "matrix[2,2]",
    "array[2]",
    "simplex[3]",
    "data",
    "model",
    "parameters",
    "transformed",
    "generated",
    "quantities",
    "functions",
    "for",
    "in",
    "while",
    "if",
    "else",
    "break",
    "continue",
    "return",
    "print(\"x\")",
    "target",
    "target()",
    "normal",
    "normal_lpdf",
    "_rng",
    "x",
    "y",
    "1",
    "2.5e3",
    "0",
    "\"s\"",
    "/*",
    "*/",
    "//",
    "#",
    "void",
    "complex",
    "tuple",
    "profile",
    "reject",
    "fatal_error",
];

/// Variables of every shape, for calling built-ins with random arguments.
const CALL_DATA: &str = "data {\n  int i;\n  real r;\n  vector[2] v;\n  row_vector[2] rv;\n  matrix[2, 2] m;\n  array[2] int ai;\n  array[2] real ar;\n  array[2] vector[2] av;\n  array[2, 2] real ar2;\n}\n";

/// Argument expressions for random calls.
const ARGS: &[&str] = &[
    "i", "r", "v", "rv", "m", "ai", "ar", "av", "ar2", "1", "2.5", "v'", "m[1]", "{1, 2}", "[1, 2]",
];

#[derive(Debug, Clone)]
enum Mutation {
    Delete(Index),
    Duplicate(Index),
    Swap(Index, Index),
    Insert(Index, Index),
    Truncate(Index),
    Bytes(Index, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::Delete),
        any::<Index>().prop_map(Mutation::Duplicate),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::Insert(a, b)),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| Mutation::Bytes(a, b)),
    ]
}

/// Applies one mutation at token granularity (tokens re-joined with spaces).
fn apply(src: &str, m: &Mutation) -> String {
    let mut d = Diagnostics::default();
    let mut toks: Vec<String> = lex(src, &mut d)
        .iter()
        .map(|t| t.text.to_string())
        .collect();
    if toks.is_empty() {
        toks.push(String::new());
    }
    let n = toks.len();
    match m {
        Mutation::Delete(i) => {
            toks.remove(i.index(n));
        }
        Mutation::Duplicate(i) => {
            let k = i.index(n);
            toks.insert(k, toks[k].clone());
        }
        Mutation::Swap(a, b) => toks.swap(a.index(n), b.index(n)),
        Mutation::Insert(i, w) => {
            toks.insert(i.index(n + 1), VOCAB[w.index(VOCAB.len())].to_string())
        }
        Mutation::Truncate(i) => toks.truncate(i.index(n)),
        Mutation::Bytes(i, bytes) => {
            toks.insert(i.index(n + 1), String::from_utf8_lossy(bytes).into_owned())
        }
    }
    toks.join(" ")
}

/// Runs every phase; any panic fails the property.
fn exercise(src: &str) {
    match check("fuzz.stan", src) {
        Ok(t) => {
            let _ = t.parameter_list();
            let _ = t.warnings.render(src);
        }
        Err(d) => {
            assert!(d.has_errors(), "refused without an error");
            let _ = d.render(src);
        }
    }
    if let Ok(p) = parse("fuzz.stan", src) {
        let printed = print_program(&p);
        if let Err(d) = parse("printed.stan", &printed) {
            panic!(
                "pretty-printed program does not parse:\n{}\n{printed}",
                d.render(&printed)
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_programs_never_panic(file in any::<Index>(), muts in proptest::collection::vec(mutation(), 1..4)) {
        let progs = corpus();
        let mut src = progs[file.index(progs.len())].clone();
        for m in &muts {
            src = apply(&src, m);
        }
        exercise(&src);
    }

    #[test]
    fn random_text_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_calls_of_every_builtin_never_panic(
        calls in proptest::collection::vec((any::<Index>(), proptest::collection::vec(any::<Index>(), 0..4), any::<bool>()), 1..8)
    ) {
        let sigs = hazel::lang::signatures::registry().all();
        let mut body = String::new();
        for (f, args, bar) in &calls {
            let name = &sigs[f.index(sigs.len())].name;
            let args: Vec<&str> = args.iter().map(|a| ARGS[a.index(ARGS.len())]).collect();
            let list = match (bar, args.split_first()) {
                (true, Some((first, rest))) => format!("{first} | {}", rest.join(", ")),
                _ => args.join(", "),
            };
            body.push_str(&format!("  print({name}({list}));\n"));
        }
        exercise(&format!("{CALL_DATA}generated quantities {{\n{body}}}\n"));
    }

    #[test]
    fn random_token_soup_never_panics(words in proptest::collection::vec(any::<Index>(), 0..60)) {
        let src: Vec<&str> = words.iter().map(|w| VOCAB[w.index(VOCAB.len())]).collect();
        exercise(&src.join(" "));
    }
}
