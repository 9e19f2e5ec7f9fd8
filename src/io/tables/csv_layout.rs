//! The record structure of a CSV file, checked before polars reads the values: the
//! header names, the line on which every record starts, and the errors polars would
//! not report with a line number (ragged records, blank lines between records, an
//! unterminated quote, a repeated column name).
//!
//! The dialect is RFC 4180 as polars reads it by default: comma separator, `"` quotes
//! opening only at the start of a field, `""` for a quote inside quotes, LF or CRLF line
//! ends, quoted fields may span lines. Blank lines at the end of the file are ignored.

use super::error::TableError;

/// Field separator (polars `CsvParseOptions` default, RFC 4180).
pub const SEPARATOR: u8 = b',';
/// Quote character (polars `CsvParseOptions` default, RFC 4180).
pub const QUOTE: u8 = b'"';

/// What the scan found.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Column names from the first record, quotes removed.
    pub header: Vec<String>,
    /// For each data record, the 1-based line on which it starts (the header is line 1).
    pub record_lines: Vec<usize>,
}

/// One record as scanned: where it starts, how many fields, and (for the header) the fields.
struct Record {
    line: usize,
    fields: usize,
    blank: bool,
    text: Vec<String>,
}

/// Scans `bytes` (the whole file); `file` names it in errors.
pub fn scan(bytes: &[u8], file: &str) -> Result<Layout, TableError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let records = split_records(bytes, file)?;
    let mut records = records.into_iter();
    let Some(header) = records.next().filter(|r| !r.blank) else {
        return Err(TableError::Format {
            file: file.into(),
            message: "the table has no header line (line 1 must name the columns)".into(),
        });
    };
    for (i, name) in header.text.iter().enumerate() {
        if name.trim().is_empty() {
            return Err(TableError::Format {
                file: file.into(),
                message: format!("line 1: column {} has no name", i + 1),
            });
        }
        if header.text[..i].contains(name) {
            return Err(TableError::DuplicateColumn {
                file: file.into(),
                column: name.clone(),
            });
        }
    }
    let mut record_lines = Vec::new();
    let mut blank_line = None;
    for r in records {
        if r.blank {
            blank_line.get_or_insert(r.line);
            continue;
        }
        if let Some(line) = blank_line {
            return Err(TableError::Format {
                file: file.into(),
                message: format!("line {line} is blank, but records follow it"),
            });
        }
        if r.fields != header.fields {
            return Err(TableError::Ragged {
                file: file.into(),
                line: r.line,
                expected: header.fields,
                found: r.fields,
            });
        }
        record_lines.push(r.line);
    }
    Ok(Layout {
        header: header.text,
        record_lines,
    })
}

/// Splits the file into records; the header's field texts are kept, others only counted.
fn split_records(bytes: &[u8], file: &str) -> Result<Vec<Record>, TableError> {
    let mut records = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < bytes.len() {
        let keep_text = records.is_empty();
        let mut rec = Record {
            line,
            fields: 1,
            blank: true,
            text: Vec::new(),
        };
        let mut field: Vec<u8> = Vec::new();
        let mut field_started = false;
        let mut in_quotes = false;
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            if in_quotes {
                match b {
                    QUOTE if bytes.get(i) == Some(&QUOTE) => {
                        i += 1;
                        field.push(QUOTE);
                    }
                    QUOTE => in_quotes = false,
                    b'\n' => {
                        line += 1;
                        field.push(b);
                    }
                    _ => field.push(b),
                }
                continue;
            }
            match b {
                b'\n' => {
                    line += 1;
                    break;
                }
                b'\r' if bytes.get(i) == Some(&b'\n') => {}
                QUOTE if !field_started => {
                    in_quotes = true;
                    field_started = true;
                    rec.blank = false;
                }
                SEPARATOR => {
                    rec.fields += 1;
                    rec.blank = false;
                    if keep_text {
                        rec.text.push(String::from_utf8_lossy(&field).into_owned());
                    }
                    field.clear();
                    field_started = false;
                }
                _ => {
                    field.push(b);
                    field_started = true;
                    rec.blank = false;
                }
            }
        }
        if in_quotes {
            return Err(TableError::Format {
                file: file.into(),
                message: format!("line {}: a quoted field is never closed", rec.line),
            });
        }
        if keep_text {
            rec.text.push(String::from_utf8_lossy(&field).into_owned());
        }
        records.push(rec);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Result<Vec<usize>, TableError> {
        scan(text.as_bytes(), "t.csv").map(|l| l.record_lines)
    }

    #[test]
    fn records_start_lines_follow_quoted_line_breaks() {
        let l = scan(b"a,\"b,c\"\r\n1,\"x\ny\"\n2,\"q\"\"\"\n\n", "t.csv").unwrap();
        assert_eq!(l.header, vec!["a", "b,c"]);
        assert_eq!(l.record_lines, vec![2, 4]);
        assert_eq!(lines("a\n").unwrap(), Vec::<usize>::new());
    }

    #[test]
    fn structural_errors_name_the_line() {
        let e = lines("a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(
            e,
            TableError::Ragged {
                file: "t.csv".into(),
                line: 3,
                expected: 2,
                found: 1
            }
        );
        let e = lines("a,b\n1,2\n\n3,4\n").unwrap_err().to_string();
        assert!(e.contains("line 3 is blank"), "{e}");
        let e = lines("a,b\n1,\"2\n").unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("never closed"), "{e}");
        let e = lines("a,b,a\n1,2,3\n").unwrap_err().to_string();
        assert!(e.contains("`a`") && e.contains("twice"), "{e}");
        let e = lines("a,,b\n").unwrap_err().to_string();
        assert!(e.contains("column 2 has no name"), "{e}");
        let e = lines("").unwrap_err().to_string();
        assert!(e.contains("no header"), "{e}");
    }
}
