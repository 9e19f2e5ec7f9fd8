//! Errors and warnings as values with spans, and their plain-text rendering
//! (`file:line:col`, the source line, a caret under the offending part, the message).

use super::span::Span;
use std::fmt::Write;

/// How serious a diagnostic is: errors make a program invalid, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One message about a place in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    /// Extra lines shown under the snippet (suggestions, candidate signatures).
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            span,
            message: message.into(),
            notes: Vec::new(),
        }
    }

    pub fn warning(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            span,
            message: message.into(),
            notes: Vec::new(),
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }
}

/// All diagnostics of one program, in source order once [`Diagnostics::sorted`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagnostics {
    /// Name shown as the file in rendered messages.
    pub file: String,
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new(file: &str) -> Diagnostics {
        Diagnostics {
            file: file.to_string(),
            items: Vec::new(),
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter().filter(|d| d.severity == Severity::Error)
    }

    /// Stable order: by position, then message; exact duplicates removed.
    pub fn sorted(mut self) -> Diagnostics {
        self.items.sort_by(|a, b| {
            (a.span.lo, a.span.hi, &a.message).cmp(&(b.span.lo, b.span.hi, &b.message))
        });
        self.items.dedup();
        self
    }

    /// Plain-text rendering of every diagnostic against `src` (no colour codes).
    pub fn render(&self, src: &str) -> String {
        let mut out = String::new();
        for d in &self.items {
            render_one(&mut out, &self.file, src, d);
        }
        out
    }
}

fn render_one(out: &mut String, file: &str, src: &str, d: &Diagnostic) {
    let (line, col) = Span::line_col(src, d.span.lo);
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(out, "{file}:{line}:{col}: {kind}: {}", d.message);
    let text = src.lines().nth(line - 1).unwrap_or("");
    let gutter = line.to_string();
    let pad = " ".repeat(gutter.len());
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{gutter} | {}", text.replace('\t', " "));
    let start = col - 1;
    let line_chars = text.chars().count();
    let width = {
        let end = d.span.hi.min(src.len()).max(d.span.lo);
        let covered = src.get(d.span.lo..end).unwrap_or("");
        let on_line = covered.split('\n').next().unwrap_or("").chars().count();
        on_line.clamp(1, line_chars.saturating_sub(start).max(1))
    };
    let _ = writeln!(out, "{pad} | {}{}", " ".repeat(start), "^".repeat(width));
    for note in &d.notes {
        let _ = writeln!(out, "{pad} = {note}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_line_and_caret() {
        let src = "data {\n  real y\n}\n";
        let mut d = Diagnostics::new("m.stan");
        d.push(Diagnostic::error(Span::new(14, 15), "expected `;`").with_note("help: add it"));
        assert_eq!(
            d.render(src),
            "m.stan:2:8: error: expected `;`\n  |\n2 |   real y\n  |        ^\n  = help: add it\n"
        );
    }

    #[test]
    fn span_past_the_end_is_clamped() {
        let mut d = Diagnostics::new("m");
        d.push(Diagnostic::error(Span::new(50, 60), "eof"));
        assert!(d.render("x").starts_with("m:1:2: error: eof"));
    }
}
