//! Checks a SPARQL text before any parser sees it: nesting deeper than the parser's stack can
//! take (a recursive-descent parser overflows on thousands of nested brackets), and `SERVICE`
//! (a federated call out of the server). One linear scan that skips strings, IRIs and comments.
//!
//! This is the one function to swap for `kg::query`'s own guard when it lands
//! ([`check_query`]); the scan is deliberately conservative.

/// Deepest bracket nesting accepted (`{`, `(`, `[`, all kinds counted together).
pub const MAX_DEPTH: usize = 128;

/// Why a query text is refused before parsing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    /// Brackets nest deeper than [`MAX_DEPTH`].
    #[error("the query nests brackets deeper than {max} levels (at line {line} column {column})")]
    TooDeep {
        /// The limit.
        max: usize,
        /// Where the limit was passed, 1-based.
        line: usize,
        /// Column, 1-based, in characters.
        column: usize,
    },
    /// The query calls another endpoint.
    #[error(
        "SERVICE (a federated query to another endpoint) is refused by this server (at line {line} column {column})"
    )]
    Service {
        /// Where `SERVICE` is, 1-based.
        line: usize,
        /// Column, 1-based.
        column: usize,
    },
}

/// Checks a query text: nesting depth at most [`MAX_DEPTH`] and no `SERVICE` keyword outside
/// strings, IRIs and comments. Time O(n), no allocation.
///
/// # Errors
/// [`GuardError`] naming the line and column.
pub fn check_query(text: &str) -> Result<(), GuardError> {
    let mut scan = Scan::new(text);
    let mut depth = 0usize;
    while let Some(c) = scan.next() {
        match c {
            '#' => scan.skip_line(),
            '"' | '\'' => scan.skip_string(c),
            '<' => scan.skip_iri(),
            '{' | '(' | '[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let (line, column) = scan.position();
                    return Err(GuardError::TooDeep {
                        max: MAX_DEPTH,
                        line,
                        column,
                    });
                }
            }
            '}' | ')' | ']' => depth = depth.saturating_sub(1),
            c if c.is_ascii_alphabetic() => {
                let (line, column) = scan.position();
                let word = scan.word(c);
                if word.eq_ignore_ascii_case("service") && !scan.after_name_char {
                    return Err(GuardError::Service { line, column });
                }
            }
            // Variables, names and language tags: `?service`, `ex:service`, `_:service`, `@en`.
            '?' | '$' | ':' | '_' | '@' => scan.skip_name(),
            c if c.is_ascii_digit() => scan.skip_name(),
            _ => {}
        }
    }
    Ok(())
}

/// A cursor over the text that knows its line and column.
struct Scan<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    column: usize,
    /// Whether the word just read followed a name character (`ex:SERVICE`).
    after_name_char: bool,
}

impl<'a> Scan<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            chars: text.chars().peekable(),
            line: 1,
            column: 0,
            after_name_char: false,
        }
    }

    fn next(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 0;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn position(&self) -> (usize, usize) {
        (self.line, self.column)
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.next() {
            if c == '\n' {
                break;
            }
        }
    }

    /// Skips a string opened by `quote` (short or long form), escapes included.
    fn skip_string(&mut self, quote: char) {
        let long = self.chars.peek() == Some(&quote) && {
            self.next();
            if self.chars.peek() == Some(&quote) {
                self.next();
                true
            } else {
                // An empty short string: `""`.
                return;
            }
        };
        let mut run = 0;
        while let Some(c) = self.next() {
            match c {
                '\\' => {
                    self.next();
                    run = 0;
                }
                c if c == quote => {
                    run += 1;
                    if !long || run == 3 {
                        return;
                    }
                }
                '\n' if !long => return,
                _ => run = 0,
            }
        }
    }

    /// Skips an IRI `<...>`; a `<` that is a comparison (followed by a space or `=`) is left.
    fn skip_iri(&mut self) {
        if matches!(self.chars.peek(), Some(c) if c.is_whitespace() || *c == '=') {
            return;
        }
        // An IRI has no spaces, brackets or quotes: stop at the first, so `?a < ?b` never
        // swallows the rest of the query.
        while let Some(&c) = self.chars.peek() {
            if c == '>' {
                self.next();
                return;
            }
            if c.is_whitespace() || matches!(c, '{' | '}' | '"' | '<') {
                return;
            }
            self.next();
        }
    }

    /// Reads the rest of a word starting with `first`; notes whether a name character
    /// (`:`) ends it, so `SERVICE:x` is a prefixed name.
    fn word(&mut self, first: char) -> String {
        let mut word = String::from(first);
        while let Some(&c) = self.chars.peek() {
            if c.is_alphanumeric() || c == '_' {
                word.push(c);
                self.next();
            } else {
                break;
            }
        }
        let ends_in_name = matches!(self.chars.peek(), Some(':' | '-' | '.'))
            && self.chars.clone().nth(1).is_some_and(char::is_alphanumeric);
        self.after_name_char = ends_in_name || matches!(self.chars.peek(), Some(':'));
        word
    }

    /// Skips the rest of a variable, prefixed or blank-node name.
    fn skip_name(&mut self) {
        while let Some(&c) = self.chars.peek() {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.' | '%') {
                self.next();
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_queries() {
        for query in [
            "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
            "SELECT ?service WHERE { ?service a ex:service . ex:x ex:SERVICE ?o }",
            "SELECT * WHERE { ?s ?p \"SERVICE { <a> }\" } # SERVICE <http://x>",
            "SELECT * WHERE { ?s ?p '''a ' '' SERVICE''' FILTER(?s < ?o) }",
            "SELECT * WHERE { <http://e/service> ?p ?o }",
        ] {
            assert_eq!(check_query(query), Ok(()), "{query}");
        }
    }

    #[test]
    fn refuses_service_anywhere_in_the_algebra() {
        let error = check_query("SELECT * WHERE {\n  service <http://127.0.0.1:1/> { ?s ?p ?o } }")
            .unwrap_err();
        assert_eq!(error, GuardError::Service { line: 2, column: 3 });
        assert!(check_query("SELECT * { OPTIONAL { SERVICE SILENT ?x { ?s ?p ?o } } }").is_err());
    }

    #[test]
    fn refuses_deep_nesting_and_names_where() {
        let deep = format!("SELECT * WHERE {}{}", "{".repeat(6000), "}".repeat(6000));
        let error = check_query(&deep).unwrap_err();
        assert!(
            matches!(error, GuardError::TooDeep { line: 1, .. }),
            "{error}"
        );
        let fine = format!("ASK {}{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(check_query(&fine), Ok(()));
    }

    #[test]
    fn brackets_in_strings_do_not_count() {
        let query = format!("ASK {{ ?s ?p \"{}\" }}", "{".repeat(6000));
        assert_eq!(check_query(&query), Ok(()));
    }
}
