//! A readable listing of a tape, one op per line (`hazel check --dump tape`).
//!
//! Slots print as `%N` (parameter-dependent) or `$N` (data) with the offset of their
//! first element, and `[RxC]` for containers.

use super::tape::Tape;
use std::fmt::Write;

/// Data values shown in full up to this many elements, then elided.
const MAX_SHOWN_DATA: usize = 4;

impl Tape {
    /// The tape as text: a header with sizes, then one line per op.
    pub fn dump(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "tape: {} parameters (%0..%{}), {} ops, {} values, result {}",
            self.dim,
            self.dim,
            self.ops.len(),
            self.init.len(),
            self.output
        );
        for (i, op) in self.ops.iter().enumerate() {
            let args: Vec<String> = op
                .inputs()
                .iter()
                .map(|s| {
                    if s.active {
                        s.to_string()
                    } else {
                        let v = &self.init[s.range()];
                        let shown: Vec<String> = v
                            .iter()
                            .take(MAX_SHOWN_DATA)
                            .map(|x| format!("{x}"))
                            .collect();
                        let more = if v.len() > MAX_SHOWN_DATA {
                            ", …"
                        } else {
                            ""
                        };
                        format!("{s}=({}{more})", shown.join(", "))
                    }
                })
                .collect();
            let _ = writeln!(
                s,
                "#{i:<4} {} = {}({})",
                op.out(),
                op.name(),
                args.join(", ")
            );
        }
        s
    }
}
