//! `kg query`: SPARQL 1.1 over a graph (through the read seam), with the graph's prefixes
//! predeclared, and answers written as a readable table, CSV, TSV, SPARQL JSON or XML, or RDF
//! for graph results — safe against hostile queries:
//!
//! - the text is screened before it is parsed ([`screen`]): too long, too deeply nested or too
//!   many operators is refused with the line and column where the limit was crossed;
//! - SPARQL Update and `SERVICE` are refused before anything is evaluated ([`refuse`]);
//! - the query is parsed and evaluated on a worker thread whose stack fits the largest query
//!   the limits accept, and streams its answer through a bounded channel; the caller's thread
//!   writes it and stops the query at the timeout or the memory cap ([`worker`]);
//! - a store read error ends the query and says to rebuild; an answer XML cannot carry is
//!   refused.
//!
//! [`run`] is the whole of it: one query, its limits, a format and a writer, a typed error.

use std::io::Write;
use std::time::{Duration, Instant};

mod format;
mod memory;
pub(crate) mod refuse;
mod screen;
mod table;
mod worker;
mod write;

use oxigraph::model::GraphName;
use oxigraph::sparql::{QueryEvaluationError, SparqlEvaluator};
use oxigraph::store::StorageError;
use spargebra::SparqlParser;

use crate::iri::Prefixes;
use crate::read::{GraphReader, ReadError, SparqlDataset};

pub use self::format::ResultFormat;
pub use self::memory::resident;
pub use self::screen::{Crossing, Exceeded, Screened, SyntaxLimits};
pub use self::table::{short, write_table};

/// Errors of `kg query`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    /// The text is not SPARQL; the message gives the line and column.
    #[error("SPARQL syntax error: {0}")]
    Syntax(String),
    /// The text crossed a [`SyntaxLimits`] limit.
    #[error("the query {} (at {}:{})", .0.limit, .0.line, .0.column)]
    TooLarge(Crossing),
    /// The text is a SPARQL Update.
    #[error(
        "kg query reads the graph and does not change it: {form} is SPARQL Update (kg build is the only writer)"
    )]
    Update {
        /// The update's first keyword (`INSERT`, `LOAD`, ...).
        form: String,
    },
    /// The query calls another endpoint.
    #[error("the query calls SERVICE {endpoint}: kg query does not call other endpoints")]
    Service {
        /// The endpoint, an IRI or a variable.
        endpoint: String,
    },
    /// The query ran past [`Limits::timeout`].
    #[error("the query ran longer than the {0:?} timeout and was stopped")]
    Timeout(Duration),
    /// The process grew by more than [`Limits::memory`] while the query ran.
    #[error("the query held more than the {} MiB memory cap and was stopped", .cap >> 20)]
    Memory {
        /// The cap, in bytes.
        cap: u64,
    },
    /// The store could not be read (a damaged block); the message says to rebuild.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The evaluator failed.
    #[error("evaluating the query: {0}")]
    Evaluation(QueryEvaluationError),
    /// A literal of the answer holds a character XML 1.0 cannot carry.
    #[error(
        "the XML results format cannot carry the character U+{:04X} of ?{variable} = {term}: write json, csv or tsv instead",
        u32::from(*character)
    )]
    XmlCharacter {
        /// The character.
        character: char,
        /// The variable bound to the literal.
        variable: String,
        /// The literal, N-Triples style (escaped), cut after 60 characters.
        term: String,
    },
    /// The format cannot show this kind of answer.
    #[error("{format:?} cannot show {kind}: use {}", alternatives)]
    Format {
        /// The format asked for.
        format: ResultFormat,
        /// The kind of answer.
        kind: &'static str,
        /// The formats that can.
        alternatives: &'static str,
    },
    /// The query thread could not get its stack (sized from [`SyntaxLimits`]).
    #[error("cannot start the query thread with a {} MiB stack: {source}", .bytes >> 20)]
    Stack {
        /// The stack size asked for.
        bytes: usize,
        /// Why the system refused.
        source: std::io::Error,
    },
    /// The query thread failed.
    #[error("the query thread {0}")]
    Worker(String),
    /// The caller stopped the query (seen by the worker only).
    #[error("the query was stopped")]
    Stopped,
    /// Writing the answer failed.
    #[error("writing the results: {0}")]
    Io(#[from] std::io::Error),
}

/// What a query found, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Rows (SELECT), triples (CONSTRUCT/DESCRIBE), or 1/0 for ASK true/false.
    pub count: u64,
}

impl Outcome {
    /// Whether the answer is empty: no rows, no triples, or ASK false.
    pub fn is_empty(self) -> bool {
        self.count == 0
    }
}

/// What a query may spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Stop the query after this long (none by default).
    pub timeout: Option<Duration>,
    /// Stop the query when the process has grown by more than this many bytes since it started
    /// (its sorts, groups, `DISTINCT`s, joins, buffered rows); measured on Linux
    /// ([`resident`]), not enforced elsewhere. The measure is the process's: queries run at
    /// once in one process count each other's memory (one query per worker process keeps it
    /// exact). [`Limits::DEFAULT_MEMORY`] by default.
    pub memory: Option<u64>,
    /// Size and nesting of the text, checked before it is parsed.
    pub syntax: SyntaxLimits,
}

impl Limits {
    /// The default memory cap: 1 GiB.
    pub const DEFAULT_MEMORY: u64 = 1 << 30;
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: None,
            memory: Some(Self::DEFAULT_MEMORY),
            syntax: SyntaxLimits::DEFAULT,
        }
    }
}

/// Runs a query and writes its answer: screens the text, then parses, checks and evaluates it
/// on a worker thread and writes what it streams to `out` on this one, within `limits`.
///
/// Nothing is written when the query is refused (syntax, limits, update, `SERVICE`, a format
/// that cannot show its answer). An answer is written as it streams: an error met midway (a
/// timeout, a store read error) leaves what was written before it, so write to a temporary
/// file and keep it only on success when that matters.
///
/// On [`QueryError::Timeout`] the worker is told to stop and this returns as soon as it has, or
/// after a second without it; on [`QueryError::Memory`] at once. A worker inside an in-memory
/// operator (a sort, a group, a cartesian join) goes on until the operator is done and cannot
/// be reclaimed. A process that exits after the error (as `kg query` does) ends it; a
/// long-running caller should run queries in a child process it can end (as `kg serve` does).
///
/// A write to `out` that blocks (a full pipe) delays the checks until it returns.
///
/// # Errors
/// The variants of [`QueryError`].
pub fn run(
    graph: &dyn GraphReader,
    text: &str,
    limits: &Limits,
    format: ResultFormat,
    out: &mut dyn Write,
) -> Result<Outcome, QueryError> {
    let started = Instant::now();
    let screened = screen::screen(text, &limits.syntax).map_err(QueryError::TooLarge)?;
    let text = text.to_owned();
    let prefixes = graph.prefixes().clone();
    let dataset = graph.sparql();
    let form = screened.form;
    #[cfg(feature = "remote")]
    let timeout = limits.timeout;
    worker::run(
        move |out, stop| {
            let query = parse(&text, &prefixes, form.as_deref())?;
            if let Some(endpoint) = refuse::first_service(&query) {
                return Err(QueryError::Service { endpoint });
            }
            write::check_format(&query, format)?;
            let mut prepared = SparqlEvaluator::new()
                .with_cancellation_token(stop.clone())
                .for_query(query);
            match dataset {
                SparqlDataset::Local {
                    store,
                    default_graphs,
                } => {
                    if default_graphs != [GraphName::DefaultGraph] {
                        prepared.dataset_mut().set_default_graph(default_graphs);
                    }
                    let results = prepared
                        .on_store(&store)
                        .execute()
                        .map_err(evaluation_error)?;
                    write::write(results, &prefixes, format, out, stop)
                }
                #[cfg(feature = "remote")]
                SparqlDataset::Remote(dataset) => {
                    let results = crate::remote::evaluate(&dataset, &text, &prefixes, timeout)
                        .map_err(evaluation_error)?;
                    write::write(results, &prefixes, format, out, stop)
                }
            }
        },
        limits,
        started,
        out,
    )
}

/// Screens a query's text against the limits without running it, and says what it learnt:
/// the form, and where the text first says `SERVICE` (a server refuses such a query before it
/// uses a worker).
///
/// # Errors
/// [`QueryError::TooLarge`].
pub fn screen(text: &str, limits: &SyntaxLimits) -> Result<Screened, QueryError> {
    screen::screen(text, limits).map_err(QueryError::TooLarge)
}

/// Parses a query with the graph's prefixes predeclared (a `PREFIX` in the text wins); an
/// update is refused as such rather than as a syntax error. `form` is the query's first
/// keyword when known (the screen finds it).
pub(crate) fn parse(
    text: &str,
    prefixes: &Prefixes,
    form: Option<&str>,
) -> Result<spargebra::Query, QueryError> {
    let mut parser = SparqlParser::new();
    for (prefix, namespace) in prefixes {
        parser = parser
            .with_prefix(prefix.as_str(), namespace.as_str())
            .map_err(|e| QueryError::Syntax(format!("prefix {prefix}: {e}")))?;
    }
    parser.clone().parse_query(text).map_err(|error| {
        let form = form.unwrap_or_default();
        if refuse::is_update_keyword(form) || parser.parse_update(text).is_ok() {
            QueryError::Update {
                form: form.to_owned(),
            }
        } else {
            QueryError::Syntax(error.to_string())
        }
    })
}

/// A store read error as [`QueryError::Read`] (which says to rebuild), others as they are.
fn evaluation_error(error: QueryEvaluationError) -> QueryError {
    match error {
        QueryEvaluationError::Dataset(inner) => match inner.downcast::<StorageError>() {
            Ok(storage) => QueryError::Read(ReadError::Storage(*storage)),
            Err(inner) => QueryError::Evaluation(QueryEvaluationError::Dataset(inner)),
        },
        error => QueryError::Evaluation(error),
    }
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{GraphNameRef, LiteralRef, NamedNodeRef, QuadRef};
    use oxigraph::store::Store;

    use super::*;
    use crate::read::MemoryGraph;

    /// A graph of `n` triples `<urn:s{i}> <urn:p> "i"`.
    fn graph(n: usize) -> MemoryGraph {
        let store = Store::new().unwrap();
        let p = NamedNodeRef::new("urn:p").unwrap();
        for i in 0..n {
            let s = format!("urn:s{i}");
            let o = i.to_string();
            store
                .insert(QuadRef::new(
                    NamedNodeRef::new(&s).unwrap(),
                    p,
                    LiteralRef::new_simple_literal(&o),
                    GraphNameRef::DefaultGraph,
                ))
                .unwrap();
        }
        MemoryGraph::new(store, Prefixes::new(), None)
    }

    fn csv(
        graph: &MemoryGraph,
        text: &str,
        limits: &Limits,
    ) -> (Result<Outcome, QueryError>, String) {
        let mut out = Vec::new();
        let result = run(graph, text, limits, ResultFormat::Csv, &mut out);
        (result, String::from_utf8(out).unwrap())
    }

    #[test]
    fn answers_stream_through_the_worker() {
        let graph = graph(3);
        let (result, out) = csv(
            &graph,
            "SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o",
            &Limits::default(),
        );
        assert_eq!(result.unwrap().count, 3);
        assert_eq!(out, "o\r\n0\r\n1\r\n2\r\n");
    }

    #[test]
    fn a_timeout_returns_at_once_from_an_in_memory_sort() {
        let graph = graph(300);
        let limits = Limits {
            timeout: Some(Duration::from_millis(300)),
            ..Limits::default()
        };
        let started = Instant::now();
        let (result, out) = csv(
            &graph,
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i",
            &limits,
        );
        assert!(matches!(result, Err(QueryError::Timeout(_))), "{result:?}");
        assert!(out.is_empty());
        // Not a timing assertion on the query: only that the caller did not wait for it.
        assert!(started.elapsed() < Duration::from_secs(30));
    }

    #[test]
    fn refusals_write_nothing() {
        let graph = graph(3);
        for (text, expected) in [
            (
                "SELECT * WHERE { SERVICE <urn:e> { ?s ?p ?o } }",
                "SERVICE <urn:e>",
            ),
            (
                "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                "INSERT is SPARQL Update",
            ),
            ("SELECT * WHERE { ?s ?p }", "syntax error"),
            ("CONSTRUCT WHERE { ?s ?p ?o }", "cannot show CONSTRUCT"),
        ] {
            let (result, out) = csv(&graph, text, &Limits::default());
            let error = result.unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
            assert!(out.is_empty(), "{text}: {out}");
        }
    }

    #[test]
    fn xml_refuses_control_characters_before_writing() {
        let graph = graph(3);
        let mut out = Vec::new();
        let error = run(
            &graph,
            r#"SELECT ?x WHERE { VALUES ?x { "ok" "bell\u0007" } }"#,
            &Limits::default(),
            ResultFormat::Xml,
            &mut out,
        )
        .unwrap_err();
        assert!(
            matches!(
                error,
                QueryError::XmlCharacter {
                    character: '\u{7}',
                    ..
                }
            ),
            "{error}"
        );
        assert!(out.is_empty());
    }
}
