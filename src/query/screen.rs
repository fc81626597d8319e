//! Screening of query text before it is parsed: a small lexer that measures how deeply the
//! query nests brackets and how many operators, keywords and brackets it holds, and refuses it
//! past [`SyntaxLimits`] with the line and column where the limit was crossed.
//!
//! The SPARQL parser and evaluator recurse once per level of the query's tree: a deep enough
//! query overflows any stack. Every level of that tree takes at least one token counted here
//! (an opening bracket, an operator such as `+` `||` `/` `|`, or a keyword such as `UNION`,
//! `OPTIONAL`, `BIND`), so bounding the counts bounds the recursion, and [`SyntaxLimits`] gives
//! the stack size that is enough for the largest query they accept.
//!
//! The lexer knows just enough SPARQL to count right: comments, strings (long strings too),
//! IRIs `<...>` against the `<` operator, variables `?x` against the `?` path operator,
//! prefixed names and language tags. It never fails: what it cannot read is left to the parser.
//!
//! It also notes the query's form (its first keyword) and where it first says `SERVICE`, so
//! that a server can refuse an update or a federated call before a parser or a worker is used.

/// How large a query may be, checked before it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxLimits {
    /// The longest query text, in bytes.
    pub length: usize,
    /// The deepest nesting of brackets `{` `(` `[`.
    pub depth: usize,
    /// The most operators, keywords and brackets (each level of a query's tree takes one).
    pub operators: usize,
}

impl SyntaxLimits {
    /// The defaults: 1 MiB of text, 128 levels of brackets, 5,000 operators.
    ///
    /// Real queries, written or generated, stay far below: the competency queries of this
    /// project nest 4 levels and hold under 60 operators; generated ones (a `VALUES` block
    /// with thousands of rows, `FILTER(?x IN (...))` lists, a few hundred `UNION` branches or
    /// `||` terms) grow in length and operators, not in depth.
    pub const DEFAULT: Self = Self {
        length: 1 << 20,
        depth: 128,
        operators: 5_000,
    };

    /// Stack bytes that are enough to parse and evaluate any query these limits accept: a
    /// measured cost per bracket level and per operator, with a margin (see the README's
    /// Limits section for how they were measured).
    pub fn stack_size(&self) -> usize {
        STACK_BASE
            .saturating_add(self.depth.saturating_mul(STACK_PER_LEVEL))
            .saturating_add(self.operators.saturating_mul(STACK_PER_OPERATOR))
    }
}

impl Default for SyntaxLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

// Measured in a debug build (the larger frames) as the largest count of each shape that an
// 8 MiB stack survives: per bracket level, `{ FILTER NOT EXISTS` 49 KB, `CONCAT(` 47 KB,
// `{ SELECT * WHERE` 18 KB, `{` 12 KB, `(` 8.5 KB; per operator, `1+1+...` 37 KB, `BIND` and
// `MINUS` chains 9 KB, `UNION` 6 KB, `||` 3 KB. The constants take twice the worst level and
// 1.7 times the worst operator: the defaults give a 341 MiB stack, reserved, not used.

/// Stack for the evaluator with a shallow query: formats, iterators, the store.
const STACK_BASE: usize = 16 << 20;
/// Stack per level of brackets.
const STACK_PER_LEVEL: usize = 96 << 10;
/// Stack per operator.
const STACK_PER_OPERATOR: usize = 64 << 10;

/// Which limit a query passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exceeded {
    /// [`SyntaxLimits::length`].
    Length(usize),
    /// [`SyntaxLimits::depth`].
    Depth(usize),
    /// [`SyntaxLimits::operators`].
    Operators(usize),
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Length(limit) => write!(f, "is longer than {limit} bytes"),
            Self::Depth(limit) => write!(f, "nests brackets deeper than {limit} levels"),
            Self::Operators(limit) => {
                write!(f, "has more than {limit} operators, keywords and brackets")
            }
        }
    }
}

/// Where a query crossed a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Crossing {
    /// The limit.
    pub limit: Exceeded,
    /// 1-based line of the token that crossed it.
    pub line: usize,
    /// 1-based column (in characters) of that token.
    pub column: usize,
}

/// What the screen learnt of a query that passed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Screened {
    /// The first keyword after the prologue (`PREFIX`, `BASE`), upper-cased: the query form
    /// (`SELECT`, `ASK`, ...) or an update operation (`INSERT`, `LOAD`, ...).
    pub form: Option<String>,
    /// The deepest nesting seen.
    pub depth: usize,
    /// The operators, keywords and brackets seen.
    pub operators: usize,
    /// The 1-based line and column of the first `SERVICE` keyword (outside strings, IRIs,
    /// comments and names such as `ex:service` or `?service`).
    pub service: Option<(usize, usize)>,
}

impl Screened {
    /// Notes a keyword: the form when it is the first after the prologue, and where the first
    /// `SERVICE` is.
    fn note(&mut self, word: &str, prologue: &mut bool, at: impl FnOnce() -> (usize, usize)) {
        if *prologue && word != "PREFIX" && word != "BASE" {
            *prologue = false;
            self.form = Some(word.to_owned());
        }
        if word == "SERVICE" && self.service.is_none() {
            self.service = Some(at());
        }
    }
}

/// Keywords that add a level to the query's tree.
const TREE_KEYWORDS: [&str; 12] = [
    "UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "SERVICE", "GRAPH", "LATERAL", "EXISTS",
    "SELECT", "VALUES", "NOT",
];

/// Screens a query against the limits.
///
/// # Errors
/// The first limit the text crosses, with where.
pub fn screen(text: &str, limits: &SyntaxLimits) -> Result<Screened, Crossing> {
    let bytes = text.as_bytes();
    if bytes.len() > limits.length {
        return Err(crossing(
            text,
            limits.length,
            Exceeded::Length(limits.length),
        ));
    }
    let mut screened = Screened::default();
    let mut depth = 0_usize;
    let mut prologue = true;
    // The rows of a `VALUES` block, `(1 -2) (3 4)`, are a flat list: their brackets and signs
    // are not levels of the tree. `Some(d)`: inside the block opened at depth `d`.
    let mut values_pending = false;
    let mut values_block: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let mut counted = false;
        let mut opens_values = false;
        i += 1;
        match b {
            b'#' => i = line_end(bytes, i),
            b'\'' | b'"' => i = string_end(bytes, start),
            b'<' => {
                if let Some(end) = iri_end(bytes, i) {
                    i = end;
                } else {
                    i += usize::from(bytes.get(i) == Some(&b'='));
                    counted = true;
                }
            }
            b'?' | b'$' => {
                if bytes.get(i).is_some_and(|&c| is_name_byte(c)) {
                    i = name_end(bytes, i);
                } else {
                    counted = true;
                }
            }
            b'@' => i = lang_end(bytes, i),
            b'{' | b'(' | b'[' => {
                depth += 1;
                if depth > limits.depth {
                    return Err(crossing(text, start, Exceeded::Depth(limits.depth)));
                }
                screened.depth = screened.depth.max(depth);
                if b == b'{' && values_pending {
                    values_pending = false;
                    values_block = Some(depth);
                    opens_values = true;
                }
                counted = true;
            }
            b'}' | b')' | b']' => {
                if values_block == Some(depth) {
                    values_block = None;
                }
                depth = depth.saturating_sub(1);
            }
            b'|' | b'&' | b'!' | b'>' | b'=' => {
                let pair = matches!(
                    (b, bytes.get(i)),
                    (b'|', Some(b'|')) | (b'&', Some(b'&')) | (b'!' | b'>', Some(b'='))
                );
                i += usize::from(pair);
                counted = true;
            }
            // `^^` marks a literal's datatype; a path cannot invert twice.
            b'^' if bytes.get(i) == Some(&b'^') => i += 1,
            b'+' | b'-' | b'*' | b'/' | b'^' => counted = true,
            b'0'..=b'9' => i = number_end(bytes, i),
            b':' => i = local_end(bytes, i),
            // An escape (`\n`, `ex:a\.b`) covers the whole character after it.
            b'\\' => i += text[i..].chars().next().map_or(0, char::len_utf8),
            c if is_name_byte(c) => {
                let end = name_end(bytes, start);
                if bytes.get(end) == Some(&b':') {
                    // A prefixed name (or a blank node `_:b`), not a keyword.
                    i = local_end(bytes, end + 1);
                } else {
                    i = end;
                    let word = text[start..end].to_ascii_uppercase();
                    screened.note(&word, &mut prologue, || position(text, start));
                    values_pending |= word == "VALUES";
                    counted = TREE_KEYWORDS.contains(&word.as_str());
                }
            }
            _ => {}
        }
        // The data of a VALUES block (rows, signs of numbers) is a flat list.
        if values_block.is_some() && !opens_values {
            counted = false;
        }
        if counted {
            screened.operators += 1;
            if screened.operators > limits.operators {
                return Err(crossing(text, start, Exceeded::Operators(limits.operators)));
            }
        }
    }
    Ok(screened)
}

/// The limit crossed at a byte offset, with its line and column.
fn crossing(text: &str, offset: usize, limit: Exceeded) -> Crossing {
    let (line, column) = position(text, offset);
    Crossing {
        limit,
        line,
        column,
    }
}

/// The 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Letters, digits, `_`, `-` and any non-ASCII byte (names are Unicode).
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn name_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes
        .get(i)
        .is_some_and(|&c| is_name_byte(c) || c == b'-' || c == b'.' && continues_name(bytes, i))
    {
        i += 1;
    }
    i
}

/// A dot inside a name (`ex:a.b`), not the end of a triple (`ex:a .`).
fn continues_name(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_some_and(|&c| is_name_byte(c))
}

/// The end of the local part of a prefixed name: names, `:`, `%hh` and `\` escapes.
fn local_end(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match bytes.get(i) {
            Some(b'\\') => i += 2,
            Some(&c) if is_name_byte(c) || matches!(c, b'-' | b':' | b'%') => i += 1,
            Some(b'.') if continues_name(bytes, i) => i += 1,
            _ => return i.min(bytes.len()),
        }
    }
}

fn line_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
        i += 1;
    }
    i
}

fn lang_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes
        .get(i)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'-')
    {
        i += 1;
    }
    i
}

fn number_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&c) = bytes.get(i) {
        let exponent_sign = matches!(c, b'+' | b'-') && matches!(bytes[i - 1], b'e' | b'E');
        if c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E') || exponent_sign {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// The end of an IRI `<...>` opened just before `i`, or `None` when the `<` is an operator.
fn iri_end(bytes: &[u8], mut i: usize) -> Option<usize> {
    while let Some(&c) = bytes.get(i) {
        match c {
            b'>' => return Some(i + 1),
            b'<' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\' | 0..=0x20 => return None,
            _ => i += 1,
        }
    }
    None
}

/// The end of a string opened at `start` (`'`, `"`, `'''` or `"""`); the end of the text when
/// it is not closed.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let long = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    if !long && bytes.get(start + 1) == Some(&quote) {
        return start + 2; // ""
    }
    let mut i = start + if long { 3 } else { 1 };
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\\' => i += 2,
            c if c == quote => {
                if !long {
                    return i + 1;
                }
                if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                    return i + 3;
                }
                i += 1;
            }
            b'\n' | b'\r' if !long => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(depth: usize, operators: usize) -> SyntaxLimits {
        SyntaxLimits {
            length: 1 << 20,
            depth,
            operators,
        }
    }

    fn counts(text: &str) -> (usize, usize) {
        let screened = screen(text, &limits(1000, 1000)).unwrap();
        (screened.depth, screened.operators)
    }

    #[test]
    fn an_escape_before_a_wide_character_is_read_whole() {
        // Found by tests/fuzz.rs: the byte after `\` was taken for a whole character.
        for text in ["\\Çb", "SELECT * { ?s ?p ex:a\\é }", "\\"] {
            let _ = screen(text, &limits(1000, 1000));
        }
    }

    #[test]
    fn brackets_and_operators_are_counted() {
        assert_eq!(counts("SELECT * WHERE { ?s ?p ?o }"), (1, 3));
        assert_eq!(counts("ASK { FILTER((1 + 2) * 3 >= 4 || !true) }"), (3, 9));
        assert_eq!(
            counts("SELECT * { { ?s ?p ?o } UNION { ?s ?p ?o } OPTIONAL { ?s ?p ?o } }"),
            (2, 8)
        );
        assert_eq!(counts("SELECT * { ?s <a>/<b>|^<c>* ?o }"), (1, 7));
    }

    #[test]
    fn strings_comments_iris_and_names_hide_their_brackets() {
        let text = "PREFIX union: <http://e.org/(x)[y]>\n\
                    SELECT ?optional # { ( [ UNION\n\
                    WHERE { ?s union:filter \"{(\\\"[\" , '''{\n(''' , \"\"\"a\"\"b\"\"\"@en-GB . \
                    ?s ?p $bind . FILTER(?s < ?p) }";
        assert_eq!(counts(text), (2, 5));
        assert_eq!(
            screen(text, &limits(10, 10)).unwrap().form.as_deref(),
            Some("SELECT")
        );
    }

    #[test]
    fn values_rows_are_a_flat_list() {
        assert_eq!(
            counts("SELECT * { VALUES (?a ?b) { (1 -2) (3 \"4\"^^xsd:int) } FILTER(-1) }"),
            (3, 9)
        );
        assert_eq!(counts("ASK { FILTER(\"1\"^^<urn:t> = 1) }"), (2, 4));
    }

    #[test]
    fn numbers_keep_their_exponent_sign() {
        assert_eq!(counts("ASK { FILTER(1.5e-3 - -2) }"), (2, 5));
    }

    #[test]
    fn the_form_is_the_first_keyword_after_the_prologue() {
        let screened = screen(
            "BASE <http://e.org/> PREFIX ex: <x#> insert data { ex:a ex:b ex:c }",
            &SyntaxLimits::DEFAULT,
        )
        .unwrap();
        assert_eq!(screened.form.as_deref(), Some("INSERT"));
    }

    #[test]
    fn crossings_say_where() {
        let text = "SELECT * WHERE {\n  {{ ?s ?p ?o }}\n}";
        let crossing = screen(text, &limits(2, 100)).unwrap_err();
        assert_eq!(crossing.limit, Exceeded::Depth(2));
        assert_eq!((crossing.line, crossing.column), (2, 4));
        let crossing = screen("ASK { FILTER(1+1+1) }", &limits(10, 4)).unwrap_err();
        assert_eq!(crossing.limit, Exceeded::Operators(4));
        assert_eq!((crossing.line, crossing.column), (1, 17));
        let crossing = screen(
            "ASK {}",
            &SyntaxLimits {
                length: 3,
                ..SyntaxLimits::DEFAULT
            },
        )
        .unwrap_err();
        assert_eq!(crossing.limit, Exceeded::Length(3));
        assert_eq!((crossing.line, crossing.column), (1, 4));
    }

    #[test]
    fn the_first_service_keyword_is_found_and_names_are_not_keywords() {
        let service = |text: &str| screen(text, &SyntaxLimits::DEFAULT).unwrap().service;
        assert_eq!(
            service("SELECT * WHERE {\n  service <http://127.0.0.1:1/> { ?s ?p ?o } }"),
            Some((2, 3))
        );
        assert_eq!(
            service("SELECT * { OPTIONAL { SERVICE SILENT ?x { ?s ?p ?o } } SERVICE <a> {} }"),
            Some((1, 23))
        );
        for text in [
            "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
            "SELECT ?service WHERE { ?service a ex:service . ex:x ex:SERVICE ?o . ?s service:x ?o }",
            "SELECT * WHERE { ?s ?p \"SERVICE { <a> }\" } # SERVICE <http://x>",
            "SELECT * WHERE { ?s ?p '''a ' '' SERVICE''' FILTER(?s < ?o) }",
            "SELECT * WHERE { <http://e/service> ?p $service }",
        ] {
            assert_eq!(service(text), None, "{text}");
        }
    }

    #[test]
    fn columns_count_characters() {
        let crossing = screen("ASK { \"é\" (((", &limits(2, 100)).unwrap_err();
        assert_eq!((crossing.line, crossing.column), (1, 12));
    }

    #[test]
    fn unclosed_strings_and_iris_end_quietly() {
        for text in ["ASK { \"abc", "ASK { '''abc", "ASK { <abc", "ASK { ?", "\\"] {
            assert!(screen(text, &SyntaxLimits::DEFAULT).is_ok(), "{text}");
        }
    }
}
