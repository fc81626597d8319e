//! Problems found in the inputs, each tied to the file, line and column that caused it.
//!
//! A build collects every problem instead of stopping at the first, so one run shows the curator all
//! there is to fix. Errors fail the build; warnings are reported and, with `--strict`, fail it too.

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

/// Where in the inputs a problem sits.
///
/// For a CSV file `column` is the 1-based field number and `field` the header of that column; for
/// RDF and text files `column` is the 1-based character column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as given (relative to the data folder for folder inputs).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column (CSV: field number), when known.
    pub column: Option<u64>,
    /// The CSV header of the column, when the problem is in a CSV cell.
    pub field: Option<String>,
}

impl Location {
    /// A whole file.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
            field: None,
        }
    }

    /// A line and column of a file.
    pub fn at(file: impl Into<PathBuf>, line: u64, column: u64) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: Some(column),
            field: None,
        }
    }

    /// A CSV cell: its line, its 1-based field number and the header of its column.
    pub fn cell(file: impl Into<PathBuf>, line: u64, field_index: usize, header: &str) -> Self {
        Self {
            file: file.into(),
            line: Some(line),
            column: Some(field_index as u64 + 1),
            field: Some(header.to_owned()),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, " (column `{field}`)")?;
        }
        Ok(())
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Reported; the build goes on (unless `--strict`).
    Warning,
    /// The build fails and nothing is written.
    Error,
}

/// What is wrong. Messages are lower-case, without a final period. Values from the inputs are
/// kept as [`Excerpt`]s: a message quotes at most [`Excerpt::SHOWN`] characters of each.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error("skipped: not a regular file ({0})")]
    NotRegularFile(&'static str),
    #[error("invalid UTF-8 ({0})")]
    InvalidUtf8(String),
    #[error("empty file: a table needs at least a header line")]
    EmptyFile,
    #[error("the table has a header but no rows")]
    NoRows,
    #[error("blank header")]
    BlankHeader,
    #[error("duplicate header `{name}` (first in column {first})")]
    DuplicateHeader { name: Excerpt, first: u64 },
    #[error(
        "cannot tell what the table holds: an entity table needs an `id` column, a relation table `subject`, `predicate` and `object` columns"
    )]
    UnknownTableKind,
    #[error("relation table without a `{0}` column")]
    MissingColumn(&'static str),
    #[error("expected {expected} fields as in the header, found {found}")]
    FieldCount { expected: usize, found: usize },
    #[error(
        "unclosed quote: the field whose quote opens here (character {character} of the line) runs to the end of the file"
    )]
    UnclosedQuote { character: u64 },
    #[error(
        "the field is longer than {limit} bytes, the most kg reads in one cell (`kg build --max-field-size BYTES` changes it)"
    )]
    FieldTooLarge { limit: u64 },
    #[error("CSV syntax: {0}")]
    CsvSyntax(Excerpt),
    #[error("RDF syntax: {0}")]
    RdfSyntax(Excerpt),
    #[error("refused entity declaration (<!ENTITY …>): {0}")]
    EntityDeclaration(&'static str),
    #[error("invalid header `{header}`: {reason}")]
    InvalidHeader { header: Excerpt, reason: String },
    #[error("`{0}` must not be empty")]
    EmptyRequired(&'static str),
    #[error("invalid id {}: {reason}", id.quoted())]
    InvalidId { id: Excerpt, reason: &'static str },
    #[error("duplicate id {}, first defined at {first}", id.quoted())]
    DuplicateId { id: Excerpt, first: String },
    #[error(
        "id {} and id {} (defined at {other_at}) differ only by {how}: they name two entities",
        id.quoted(), other.quoted()
    )]
    FoldedIds {
        id: Excerpt,
        other: Excerpt,
        other_at: String,
        /// `case`, `Unicode normalisation (…)` or both.
        how: &'static str,
    },
    #[error("unknown entity {}{suggestion}", id.quoted())]
    UnknownEntity { id: Excerpt, suggestion: Suggestion },
    #[error(
        "unknown entity {}: its row ({row}) is {status}, not accepted; accept it too, or reject this row",
        id.quoted()
    )]
    EntityNotAccepted {
        id: Excerpt,
        row: String,
        status: &'static str,
    },
    #[error(
        "unknown entity {}{suggestion}: {rows} row(s) of this table name it as their `source` (the first here); add its row (id {}, type kg:Document) to {}",
        id.quoted(), id.quoted(), table.as_deref().unwrap_or("an entity table")
    )]
    UnknownDocument {
        id: Excerpt,
        suggestion: Suggestion,
        rows: u64,
        /// An entity table that already defines documents, where the row belongs.
        table: Option<String>,
    },
    #[error("unknown {kind} {}{suggestion}", name.quoted())]
    UnknownTerm {
        kind: TermKind,
        name: Excerpt,
        suggestion: Suggestion,
    },
    #[error("ambiguous {kind} {}: it may be {}", name.quoted(), candidates.join(" or "))]
    AmbiguousTerm {
        kind: TermKind,
        name: Excerpt,
        candidates: Vec<String>,
    },
    #[error("unknown prefix `{0}:`")]
    UnknownPrefix(Excerpt),
    #[error("invalid IRI <{iri}>: {reason}")]
    InvalidIri { iri: Excerpt, reason: Excerpt },
    #[error("invalid base IRI <{base}>: {reason} (entity IRIs are the base followed by the id)")]
    InvalidBase { base: Excerpt, reason: Excerpt },
    #[error(
        "{subject} is not in the domain of {property}, which needs {expected} (it is {actual})"
    )]
    Domain {
        subject: Excerpt,
        property: Excerpt,
        expected: String,
        actual: String,
    },
    #[error(
        "{property} in a qualifier column describes the statement ({statement}), an rdf:Statement, which is not in its domain {expected}: a qualifier needs a property whose domain admits rdf:Statement (or has none)"
    )]
    QualifierDomain {
        statement: Excerpt,
        property: Excerpt,
        expected: String,
    },
    #[error("{object} is not in the range of {property}, which needs {expected} (it is {actual})")]
    Range {
        object: Excerpt,
        property: Excerpt,
        expected: String,
        actual: String,
    },
    #[error("{property} takes {expected}, not a literal")]
    LiteralForObjectProperty { property: Excerpt, expected: String },
    #[error("{} is not a valid {datatype}: {reason}", value.quoted())]
    InvalidLiteral {
        value: Excerpt,
        datatype: Excerpt,
        reason: Excerpt,
    },
    #[error(
        "{} looks like {shape} but is stored as a plain string, as the range of {property} names no datatype: {fix} (the reserved `date` column is another thing: it says when the row's facts held)",
        value.quoted()
    )]
    DateAsString {
        value: Excerpt,
        property: Excerpt,
        /// The datatype the value has the shape of (`xsd:date`, ...).
        shape: String,
        /// How to type it.
        fix: String,
    },
    #[error("{property} needs a literal of type {expected}, not {actual}")]
    DatatypeMismatch {
        property: Excerpt,
        expected: String,
        actual: String,
    },
    #[error("invalid language tag {}: {reason}", tag.quoted())]
    InvalidLanguageTag { tag: Excerpt, reason: Excerpt },
    #[error("{0}")]
    Provenance(ProvenanceProblem),
    #[error(
        "the text does not match the document's kg:sha256 (expected {expected}, the text has {actual})"
    )]
    Sha256Mismatch { expected: Excerpt, actual: String },
    #[error("the text has {actual} sentences but the document's kg:sentenceCount says {expected}")]
    SentenceCountMismatch { expected: u64, actual: u64 },
    #[error("skipped: kg reads CSV tables, RDF files and sources/<document>.txt")]
    SkippedFile,
    #[error(
        "status {} is not proposed, accepted or rejected (only accepted rows are read)",
        value.quoted()
    )]
    BadStatus { value: Excerpt },
    #[error("entity {} has no rdfs:label", .0.quoted())]
    MissingLabel(Excerpt),
    #[error("{rows} row(s), the first here, name no `source`: their facts carry no provenance")]
    NoProvenance { rows: u64 },
    /// A SHACL validation result: the focus node (with the path and value, when the shape
    /// has them) breaks the shape's constraint.
    #[error("{focus} breaks the shape {shape}: {message} ({component})")]
    Shape {
        focus: String,
        shape: String,
        message: String,
        component: String,
    },
}

/// What is wrong with a row's provenance.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProvenanceProblem {
    #[error("`sentences` given without a `source` document")]
    SentencesWithoutSource,
    #[error("{} is not a kg:Document", id.quoted())]
    NotADocument { id: Excerpt },
    #[error("sentence {} is not a positive whole number", value.quoted())]
    BadSentenceNumber { value: Excerpt },
    #[error("document {} has {count} sentences; there is no sentence {number}", document.quoted())]
    SentenceOutOfRange {
        document: Excerpt,
        number: u64,
        count: u64,
    },
    #[error(
        "{} is not a date kg understands (YYYY, YYYY-MM, YYYY-MM-DD, --MM or an xsd:dateTime)",
        value.quoted()
    )]
    BadDate { value: Excerpt },
    #[error("span {} is not `start-end` with start before end (characters of the text)", value.quoted())]
    BadSpan { value: Excerpt },
    #[error("`span` given without a `source` document")]
    SpanWithoutSource,
    #[error(
        "span {} is outside the sentences the row cites (characters {first}-{last} of the text)",
        value.quoted()
    )]
    SpanOutsideSentences {
        value: Excerpt,
        first: u64,
        last: u64,
    },
}

/// A value from the inputs as a message shows it: at most [`Excerpt::SHOWN`] characters, and how
/// many bytes were left out (`"aaaa…"…(999800 more bytes)`). Only the shown part is kept, so a
/// build full of huge bad cells does not hold them all in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Excerpt {
    text: String,
    omitted: usize,
}

impl Excerpt {
    /// Characters a message shows of one value.
    pub const SHOWN: usize = 200;

    /// Keeps the first [`Self::SHOWN`] characters of `value`.
    ///
    /// ```
    /// let long = "x".repeat(1000);
    /// let shown = kg::diagnostic::Excerpt::new(&long);
    /// assert_eq!(shown.to_string(), format!("{}…(800 more bytes)", "x".repeat(200)));
    /// ```
    pub fn new(value: &str) -> Self {
        match value.char_indices().nth(Self::SHOWN) {
            Some((end, _)) => Self {
                text: value[..end].to_owned(),
                omitted: value.len() - end,
            },
            None => Self {
                text: value.to_owned(),
                omitted: 0,
            },
        }
    }

    /// Keeps all of `text`: for kg's own messages carried in a [`Problem`], never for values
    /// from the inputs.
    pub fn whole(text: String) -> Self {
        Self { text, omitted: 0 }
    }

    /// The part shown.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Bytes of the value that are not shown.
    pub fn omitted(&self) -> usize {
        self.omitted
    }

    /// Displays the value in double quotes, special characters escaped: `"a\tb"`.
    pub fn quoted(&self) -> impl fmt::Display + '_ {
        struct Quoted<'a>(&'a Excerpt);
        impl fmt::Display for Quoted<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", self.0.text)?;
                self.0.tail(f)
            }
        }
        Quoted(self)
    }

    fn tail(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.omitted > 0 {
            write!(f, "…({} more bytes)", self.omitted)?;
        }
        Ok(())
    }
}

impl fmt::Display for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        self.tail(f)
    }
}

impl From<&str> for Excerpt {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<String> for Excerpt {
    fn from(value: String) -> Self {
        if value.chars().nth(Self::SHOWN).is_none() {
            Self {
                text: value,
                omitted: 0,
            }
        } else {
            Self::new(&value)
        }
    }
}

impl From<&String> for Excerpt {
    fn from(value: &String) -> Self {
        Self::new(value)
    }
}

/// Kinds of ontology terms, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    /// A class.
    Class,
    /// A property.
    Property,
    /// A datatype.
    Datatype,
}

impl fmt::Display for TermKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Class => "class",
            Self::Property => "property",
            Self::Datatype => "datatype",
        })
    }
}

/// A "did you mean" list, displayed as ` (did you mean "a" or "b"?)` or nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestion(pub Vec<String>);

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((first, rest)) = self.0.split_first() else {
            return Ok(());
        };
        write!(f, " (did you mean {}", Excerpt::new(first).quoted())?;
        for other in rest {
            write!(f, " or {}", Excerpt::new(other).quoted())?;
        }
        f.write_str("?)")
    }
}

/// How many "did you mean" searches a build may still run. Each search compares the unknown name
/// with every candidate, so after [`Self::SEARCHES`] of them unknown names get none, and a name
/// longer than [`Self::LONGEST`] characters (no typo of a name) gets none either: a table full of
/// unknown, huge names costs time in proportion to its size.
#[derive(Debug)]
pub struct SuggestionBudget(AtomicU32);

impl SuggestionBudget {
    /// Searches per build.
    pub const SEARCHES: u32 = 64;
    /// The longest name (in characters) a search is run for.
    pub const LONGEST: usize = 100;

    /// Whether a search for `wanted` may run; spends one search when it may.
    pub fn spend(&self, wanted: &str) -> bool {
        if wanted.chars().nth(Self::LONGEST).is_some() {
            return false;
        }
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(1)
            })
            .is_ok()
    }
}

impl Default for SuggestionBudget {
    fn default() -> Self {
        Self(AtomicU32::new(Self::SEARCHES))
    }
}

impl Clone for SuggestionBudget {
    fn clone(&self) -> Self {
        Self(AtomicU32::new(self.0.load(Ordering::Relaxed)))
    }
}

/// One problem at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub location: Location,
    /// What.
    pub problem: Problem,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{}: {severity}: {}", self.location, self.problem)
    }
}

/// The problems of one build, in the order found. All are counted, but only the first
/// [`Diagnostics::KEPT`] of each severity are kept: a table of a million bad cells costs a count,
/// not a million messages in memory.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    errors: usize,
    warnings: usize,
}

impl Diagnostics {
    /// Problems of each severity kept (the rest are only counted).
    pub const KEPT: usize = 10_000;

    /// Records an error.
    pub fn error(&mut self, location: Location, problem: Problem) {
        self.push(Diagnostic {
            severity: Severity::Error,
            location,
            problem,
        });
    }

    /// Records a warning.
    pub fn warning(&mut self, location: Location, problem: Problem) {
        self.push(Diagnostic {
            severity: Severity::Warning,
            location,
            problem,
        });
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        let count = match diagnostic.severity {
            Severity::Error => &mut self.errors,
            Severity::Warning => &mut self.warnings,
        };
        *count += 1;
        if *count <= Self::KEPT {
            self.items.push(diagnostic);
        }
    }

    /// Adds problems found elsewhere (a derived-data stage), keeping their severity.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in diagnostics {
            self.push(diagnostic);
        }
    }

    /// How many errors were recorded (kept or not).
    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// How many warnings were recorded (kept or not).
    pub fn warning_count(&self) -> usize {
        self.warnings
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    /// The kept problems, errors and warnings, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Consumes the collection: the kept problems.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

#[cfg(test)]
mod tests {
    use super::{Diagnostics, Location, Problem};

    #[test]
    fn counts_every_problem_but_keeps_the_first_of_each_severity() {
        let mut diagnostics = Diagnostics::default();
        for _ in 0..Diagnostics::KEPT + 5 {
            diagnostics.error(Location::file("a.csv"), Problem::BlankHeader);
        }
        diagnostics.warning(Location::file("a.csv"), Problem::SkippedFile);
        assert!(diagnostics.has_errors());
        assert_eq!(diagnostics.error_count(), Diagnostics::KEPT + 5);
        assert_eq!(diagnostics.warning_count(), 1);
        assert_eq!(diagnostics.into_vec().len(), Diagnostics::KEPT + 1);
    }
}
