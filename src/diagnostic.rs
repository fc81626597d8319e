//! Problems found in the inputs, each tied to the file, line and column that caused it.
//!
//! A build collects every problem instead of stopping at the first, so one run shows the curator all
//! there is to fix. Errors fail the build; warnings are reported and, with `--strict`, fail it too.

use std::fmt;
use std::path::PathBuf;

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

/// What is wrong. Messages are lower-case, without a final period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error("invalid UTF-8 ({0})")]
    InvalidUtf8(String),
    #[error("empty file: a table needs at least a header line")]
    EmptyFile,
    #[error("the table has a header but no rows")]
    NoRows,
    #[error("blank header")]
    BlankHeader,
    #[error("duplicate header `{name}` (first in column {first})")]
    DuplicateHeader { name: String, first: u64 },
    #[error(
        "cannot tell what the table holds: an entity table needs an `id` column, a relation table `subject`, `predicate` and `object` columns"
    )]
    UnknownTableKind,
    #[error("relation table without a `{0}` column")]
    MissingColumn(&'static str),
    #[error("expected {expected} fields as in the header, found {found}")]
    FieldCount { expected: usize, found: usize },
    #[error("CSV syntax: {0}")]
    CsvSyntax(String),
    #[error("RDF syntax: {0}")]
    RdfSyntax(String),
    #[error("invalid header `{header}`: {reason}")]
    InvalidHeader { header: String, reason: String },
    #[error("`{0}` must not be empty")]
    EmptyRequired(&'static str),
    #[error("invalid id {id:?}: {reason}")]
    InvalidId { id: String, reason: &'static str },
    #[error("duplicate id {id:?}, first defined at {first}")]
    DuplicateId { id: String, first: String },
    #[error("unknown entity {id:?}{suggestion}")]
    UnknownEntity { id: String, suggestion: Suggestion },
    #[error("unknown {kind} {name:?}{suggestion}")]
    UnknownTerm {
        kind: TermKind,
        name: String,
        suggestion: Suggestion,
    },
    #[error("ambiguous {kind} {name:?}: it may be {}", candidates.join(" or "))]
    AmbiguousTerm {
        kind: TermKind,
        name: String,
        candidates: Vec<String>,
    },
    #[error("unknown prefix `{0}:`")]
    UnknownPrefix(String),
    #[error("invalid IRI <{iri}>: {reason}")]
    InvalidIri { iri: String, reason: String },
    #[error(
        "{subject} is not in the domain of {property}, which needs {expected} (it is {actual})"
    )]
    Domain {
        subject: String,
        property: String,
        expected: String,
        actual: String,
    },
    #[error("{object} is not in the range of {property}, which needs {expected} (it is {actual})")]
    Range {
        object: String,
        property: String,
        expected: String,
        actual: String,
    },
    #[error("{property} takes {expected}, not a literal")]
    LiteralForObjectProperty { property: String, expected: String },
    #[error("{value:?} is not a valid {datatype}: {reason}")]
    InvalidLiteral {
        value: String,
        datatype: String,
        reason: String,
    },
    #[error("{property} needs a literal of type {expected}, not {actual}")]
    DatatypeMismatch {
        property: String,
        expected: String,
        actual: String,
    },
    #[error("invalid language tag {tag:?}: {reason}")]
    InvalidLanguageTag { tag: String, reason: String },
    #[error("{0}")]
    Provenance(ProvenanceProblem),
    #[error(
        "the text does not match the document's kg:sha256 (expected {expected}, the text has {actual})"
    )]
    Sha256Mismatch { expected: String, actual: String },
    #[error("the text has {actual} sentences but the document's kg:sentenceCount says {expected}")]
    SentenceCountMismatch { expected: u64, actual: u64 },
    #[error("skipped: kg reads CSV tables, RDF files and sources/<document>.txt")]
    SkippedFile,
    #[error("entity {0:?} has no rdfs:label")]
    MissingLabel(String),
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
    #[error("{id:?} is not a kg:Document")]
    NotADocument { id: String },
    #[error("sentence {value:?} is not a positive whole number")]
    BadSentenceNumber { value: String },
    #[error("document {document:?} has {count} sentences; there is no sentence {number}")]
    SentenceOutOfRange {
        document: String,
        number: u64,
        count: u64,
    },
    #[error(
        "{value:?} is not a date kg understands (YYYY, YYYY-MM, YYYY-MM-DD, --MM or an xsd:dateTime)"
    )]
    BadDate { value: String },
}

/// Kinds of ontology terms, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
        write!(f, " (did you mean {first:?}")?;
        for other in rest {
            write!(f, " or {other:?}")?;
        }
        f.write_str("?)")
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

/// The problems of one build, in the order found.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error.
    pub fn error(&mut self, location: Location, problem: Problem) {
        self.items.push(Diagnostic {
            severity: Severity::Error,
            location,
            problem,
        });
    }

    /// Records a warning.
    pub fn warning(&mut self, location: Location, problem: Problem) {
        self.items.push(Diagnostic {
            severity: Severity::Warning,
            location,
            problem,
        });
    }

    /// Adds problems found elsewhere (a derived-data stage), keeping their severity.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(diagnostics);
    }

    /// How many errors were recorded.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// How many warnings were recorded.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All problems, errors and warnings, in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Consumes the collection.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}
