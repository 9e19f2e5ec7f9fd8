//! Round trip: pretty-printing every good program and parsing the output again gives
//! the same AST (spans aside), and printing is a fixed point.

mod lang_common;

use hazel::lang::{erase::erase_spans, parse, pretty::print_program};

#[test]
fn print_then_parse_gives_the_same_ast() {
    let files = lang_common::good_programs();
    assert!(
        files.len() >= 4,
        "expected the good programs, found {}",
        files.len()
    );
    for (path, src) in files {
        let name = path.display().to_string();
        let mut first = parse(&name, &src).unwrap_or_else(|d| panic!("{}", d.render(&src)));
        let printed = print_program(&first);
        let mut second = parse(&name, &printed).unwrap_or_else(|d| {
            panic!(
                "reparse of {name} failed:\n{}\n{printed}",
                d.render(&printed)
            )
        });
        assert_eq!(
            print_program(&second),
            printed,
            "printing {name} is not a fixed point"
        );
        erase_spans(&mut first);
        erase_spans(&mut second);
        assert!(
            first == second,
            "round trip changed the AST of {name}:\n{printed}"
        );
    }
}

#[test]
fn bad_programs_that_parse_also_round_trip() {
    let mut parsed = 0;
    for (path, src, _) in lang_common::bad_programs() {
        let Ok(mut first) = parse(&path.display().to_string(), &src) else {
            continue;
        };
        parsed += 1;
        let printed = print_program(&first);
        let mut second =
            parse("printed", &printed).unwrap_or_else(|d| panic!("{}", d.render(&printed)));
        erase_spans(&mut first);
        erase_spans(&mut second);
        assert!(
            first == second,
            "round trip changed the AST of {}:\n{printed}",
            path.display()
        );
    }
    assert!(parsed >= 10, "only {parsed} bad programs parse");
}
