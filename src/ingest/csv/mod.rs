//! CSV tables: reading the header into typed columns, and each row into facts with provenance.
//!
//! An entity table (an `id` column) describes one entity per row; a relation table (`subject`,
//! `predicate`, `object`) states one fact per row. See `docs/csv-layout.md` for the layout.

mod guard;
mod header;
mod provenance;
mod row;

use std::io::{self, Read};

pub use self::guard::DEFAULT_MAX_FIELD_SIZE;
use self::guard::{Guard, Stop, stop_of};
pub use self::header::{Column, Header, PropertyColumn, TableKind};
pub use self::provenance::{Provenance, RowStatus};
pub use self::row::{Fact, RowFacts, RowProblems, RowReader};
use crate::diagnostic::Problem;

/// Splits a multi-valued cell on `|` (`\|` is a literal bar); values are trimmed, empty ones
/// dropped.
///
/// (`a | b\|c |` gives `a` and `b|c`.)
pub fn split_multi(cell: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut current = String::new();
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                current.push('|');
                chars.next();
            }
            '|' => values.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    values.push(current);
    values
        .into_iter()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

/// One raw row: its line and decoded fields.
#[derive(Debug, Clone)]
pub struct Row {
    /// 1-based line where the record starts.
    pub line: u64,
    /// Fields, decoded.
    pub fields: Vec<String>,
}

/// Streams the records of a CSV file, decoding UTF-8 field by field so an invalid byte is
/// reported at its line and field. A field longer than the limit, or a quote never closed, ends
/// the stream with one problem that says where.
pub struct Records {
    reader: csv::Reader<Guard<Box<dyn Read + Send>>>,
    record: csv::ByteRecord,
    done: bool,
}

/// A problem reading one record: its line, its field (1-based, when known) and what.
pub type RecordError = (u64, Option<usize>, Problem);

impl Records {
    /// Wraps a byte reader (a leading byte-order mark is dropped); fields may have at most
    /// `max_field_size` bytes.
    ///
    /// # Errors
    /// When the first bytes cannot be read.
    pub fn new(mut input: Box<dyn Read + Send>, max_field_size: u64) -> io::Result<Self> {
        let mut head = Vec::with_capacity(3);
        input.by_ref().take(3).read_to_end(&mut head)?;
        let head = if head == b"\xEF\xBB\xBF" {
            Vec::new()
        } else {
            head
        };
        let chained: Box<dyn Read + Send> = Box::new(io::Cursor::new(head).chain(input));
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(Guard::new(chained, max_field_size));
        Ok(Self {
            reader,
            record: csv::ByteRecord::new(),
            done: false,
        })
    }

    /// The next record, `None` at the end (and after a problem that stops the reading).
    pub fn next_row(&mut self) -> Option<Result<Row, RecordError>> {
        if self.done {
            return None;
        }
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                let line = self.record.position().map_or(0, csv::Position::line);
                let mut fields = Vec::with_capacity(self.record.len());
                for (i, field) in self.record.iter().enumerate() {
                    match std::str::from_utf8(field) {
                        Ok(text) => fields.push(text.to_owned()),
                        Err(e) => {
                            let detail = format!(
                                "byte 0x{:02X} at byte {} of the field",
                                field[e.valid_up_to()],
                                e.valid_up_to() + 1
                            );
                            return Some(Err((line, Some(i + 1), Problem::InvalidUtf8(detail))));
                        }
                    }
                }
                Some(Ok(Row { line, fields }))
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                Some(Err(match e.kind() {
                    csv::ErrorKind::Io(io) => {
                        // The stream is broken: nothing after this can be read as records.
                        self.done = true;
                        match stop_of(io) {
                            Some(&Stop::FieldTooLarge { line, field, limit }) => {
                                (line, Some(field), Problem::FieldTooLarge { limit })
                            }
                            Some(&Stop::UnclosedQuote {
                                line,
                                field,
                                character,
                            }) => (line, Some(field), Problem::UnclosedQuote { character }),
                            None => (line, None, Problem::Io(io.to_string())),
                        }
                    }
                    _ => (line, None, Problem::CsvSyntax(e.to_string().into())),
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split_multi;

    #[test]
    fn splits_on_bars_but_not_escaped_ones() {
        assert_eq!(split_multi("a | b\\|c |"), ["a", "b|c"]);
        assert!(split_multi(" | ").is_empty());
    }
}
