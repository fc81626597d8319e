//! A watch on the bytes of a CSV file as the CSV reader pulls them: it follows the quoting of
//! RFC 4180 as the reader does, so it can stop a field that grows past the size limit (a `.csv`
//! that is a 3 GB run of one field never reaches memory) and say where a quote that is never
//! closed was opened (the reader alone would swallow the rest of the file into one field and
//! report only a wrong field count).

use std::fmt;
use std::io::{self, Read};

/// The default of [`super::Records`]'s field size limit: 1 MiB.
pub const DEFAULT_MAX_FIELD_SIZE: u64 = 1 << 20;

/// Why the guard stopped the reading, carried inside an [`io::Error`] to the CSV reader's caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// A field passed the limit: where it starts.
    FieldTooLarge { line: u64, field: usize, limit: u64 },
    /// The file ended inside a quoted field: where its opening quote is.
    UnclosedQuote {
        line: u64,
        field: usize,
        character: u64,
    },
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FieldTooLarge { line, field, limit } => {
                write!(f, "line {line}, field {field}: longer than {limit} bytes")
            }
            Self::UnclosedQuote {
                line,
                field,
                character,
            } => write!(
                f,
                "line {line}, field {field} (character {character}): unclosed quote"
            ),
        }
    }
}

impl std::error::Error for Stop {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field.
    FieldStart,
    /// In a field without quotes.
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: the end of the field, or the first of `""`.
    QuoteInQuoted,
}

/// Passes bytes through, watching fields (see the module documentation).
pub struct Guard<R> {
    inner: R,
    limit: u64,
    state: State,
    /// 1-based line and character (not byte) column of the next byte.
    line: u64,
    character: u64,
    /// 1-based number of the current field in its record.
    field: usize,
    /// Bytes of the current field so far.
    length: u64,
    /// Where the current field starts: line, and character of its first byte (its quote).
    start: (u64, u64),
    stopped: Option<Stop>,
}

impl<R: Read> Guard<R> {
    /// Watches `inner`, refusing fields of more than `limit` bytes.
    pub fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            limit,
            state: State::FieldStart,
            line: 1,
            character: 1,
            field: 1,
            length: 0,
            start: (1, 1),
            stopped: None,
        }
    }

    fn stop(&mut self, stop: Stop) -> io::Error {
        self.stopped = Some(stop.clone());
        io::Error::other(stop)
    }

    /// Follows `bytes`; the position of the first byte that breaks a rule, with why.
    fn watch(&mut self, bytes: &[u8]) -> Option<Stop> {
        for &byte in bytes {
            if self.state == State::FieldStart {
                self.start = (self.line, self.character);
                self.length = 0;
            }
            self.state = match (self.state, byte) {
                (State::FieldStart | State::Unquoted | State::QuoteInQuoted, b',') => {
                    self.field += 1;
                    State::FieldStart
                }
                (State::FieldStart | State::Unquoted | State::QuoteInQuoted, b'\n' | b'\r') => {
                    self.field = 1;
                    State::FieldStart
                }
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::FieldStart | State::QuoteInQuoted, b'"') | (State::Quoted, _) => {
                    State::Quoted
                }
                (State::FieldStart | State::Unquoted | State::QuoteInQuoted, _) => State::Unquoted,
            };
            if self.state != State::FieldStart {
                self.length += 1;
                if self.length > self.limit {
                    return Some(Stop::FieldTooLarge {
                        line: self.start.0,
                        field: self.field,
                        limit: self.limit,
                    });
                }
            }
            if byte == b'\n' {
                self.line += 1;
                self.character = 1;
            } else if byte & 0b1100_0000 != 0b1000_0000 {
                // Not a UTF-8 continuation byte: a new character.
                self.character += 1;
            }
        }
        None
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(stop) = &self.stopped {
            return Err(io::Error::other(stop.clone()));
        }
        let n = self.inner.read(buf)?;
        if n == 0 && self.state == State::Quoted {
            let (line, character) = self.start;
            let field = self.field;
            return Err(self.stop(Stop::UnclosedQuote {
                line,
                field,
                character,
            }));
        }
        if let Some(stop) = self.watch(&buf[..n]) {
            return Err(self.stop(stop));
        }
        Ok(n)
    }
}

/// The guard's reason, when `error` is one.
pub fn stop_of(error: &io::Error) -> Option<&Stop> {
    error.get_ref().and_then(|e| e.downcast_ref::<Stop>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &str, limit: u64) -> Result<String, Stop> {
        let mut out = String::new();
        Guard::new(input.as_bytes(), limit)
            .read_to_string(&mut out)
            .map(|_| out)
            .map_err(|e| stop_of(&e).cloned().expect("a guard stop"))
    }

    #[test]
    fn passes_well_formed_csv() {
        let csv = "a,\"b,\"\"c\"\"\"\r\n\"multi\nline\",x\"y\n";
        assert_eq!(read_all(csv, 100).as_deref(), Ok(csv));
    }

    #[test]
    fn says_where_an_unclosed_quote_opens() {
        let csv = "id,name\nalice,\"Alice\nbob,Bob\n";
        assert_eq!(
            read_all(csv, 100),
            Err(Stop::UnclosedQuote {
                line: 2,
                field: 2,
                character: 7
            })
        );
        // A quote inside an unquoted field is an ordinary character.
        assert!(read_all("a,b\"c\n", 100).is_ok());
    }

    #[test]
    fn stops_a_field_past_the_limit() {
        assert!(read_all("ab,cd\nef,gh\n", 2).is_ok());
        assert_eq!(
            read_all("ab,cd\nef,ghi\n", 2),
            Err(Stop::FieldTooLarge {
                line: 2,
                field: 2,
                limit: 2
            })
        );
        // A quoted field counts its quotes; the limit holds across lines.
        assert!(read_all("\"a\nb\"\n", 4).is_err());
        assert!(read_all("\"a\nb\"\n", 5).is_ok());
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(
            read_all("é,\"x\n", 100),
            Err(Stop::UnclosedQuote {
                line: 1,
                field: 2,
                character: 3
            })
        );
    }
}
