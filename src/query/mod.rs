//! `kg query`: SPARQL 1.1 over a graph (through the read seam), with the graph's prefixes
//! predeclared, a timeout, and answers written as a readable table, CSV, TSV, SPARQL JSON or
//! XML, or RDF for graph results.

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

mod format;
mod table;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Triple;
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator,
};

use crate::iri::Prefixes;
use crate::read::{GraphReader, SparqlDataset};

pub use self::format::ResultFormat;
pub use self::table::{short, write_table};

/// Errors of `kg query`.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("SPARQL syntax error: {0}")]
    Syntax(String),
    #[error("the query ran longer than the {0:?} timeout and was stopped")]
    Timeout(Duration),
    #[error("evaluating the query: {0}")]
    Evaluation(#[from] QueryEvaluationError),
    #[error("{format:?} cannot show {kind}: use {}", alternatives)]
    Format {
        format: ResultFormat,
        kind: &'static str,
        alternatives: &'static str,
    },
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Stop the query after this long.
    pub timeout: Option<Duration>,
}

/// Parses a query with the graph's prefixes predeclared (a `PREFIX` in the text wins).
///
/// # Errors
/// [`QueryError::Syntax`], whose message gives the line and column.
pub fn parse(
    text: &str,
    prefixes: &Prefixes,
    cancellation: CancellationToken,
) -> Result<PreparedSparqlQuery, QueryError> {
    let mut evaluator = SparqlEvaluator::new().with_cancellation_token(cancellation);
    for (prefix, namespace) in prefixes {
        evaluator = evaluator
            .with_prefix(prefix.as_str(), namespace.as_str())
            .map_err(|e| QueryError::Syntax(format!("prefix {prefix}: {e}")))?;
    }
    evaluator
        .parse_query(text)
        .map_err(|e| QueryError::Syntax(e.to_string()))
}

/// Runs a query and writes its answer.
///
/// # Errors
/// Syntax, evaluation, timeout, format and I/O errors.
pub fn run(
    graph: &dyn GraphReader,
    text: &str,
    limits: &Limits,
    format: ResultFormat,
    out: &mut dyn Write,
) -> Result<Outcome, QueryError> {
    let prefixes = graph.prefixes();
    let timeout = limits.timeout;
    let cancellation = CancellationToken::new();
    let mut query = parse(text, prefixes, cancellation.clone())?;
    // The watchdog cancels the query when the timeout passes; dropping `_stop` ends it early.
    let (_stop, stopped) = mpsc::channel::<()>();
    if let Some(timeout) = timeout {
        let token = cancellation.clone();
        std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(timeout) {
                token.cancel();
            }
        });
    }
    let timed_out = |e: QueryEvaluationError| match (e, timeout) {
        (QueryEvaluationError::Cancelled, Some(t)) => QueryError::Timeout(t),
        (e, _) => QueryError::Evaluation(e),
    };
    match graph.sparql() {
        SparqlDataset::Local {
            store,
            default_graphs,
        } => {
            if default_graphs != [oxigraph::model::GraphName::DefaultGraph] {
                query.dataset_mut().set_default_graph(default_graphs);
            }
            let results = query.on_store(&store).execute().map_err(timed_out)?;
            write(results, prefixes, format, out, &timed_out)
        }
        #[cfg(feature = "remote")]
        SparqlDataset::Remote(dataset) => {
            let results =
                crate::remote::evaluate(&dataset, text, prefixes, timeout).map_err(timed_out)?;
            write(results, prefixes, format, out, &timed_out)
        }
    }
}

fn write(
    results: QueryResults<'_>,
    prefixes: &Prefixes,
    format: ResultFormat,
    out: &mut dyn Write,
    timed_out: &dyn Fn(QueryEvaluationError) -> QueryError,
) -> Result<Outcome, QueryError> {
    match results {
        QueryResults::Boolean(value) => {
            match format {
                ResultFormat::Table => writeln!(out, "{}", if value { "yes" } else { "no" })?,
                f => {
                    let Some(results_format) = f.results_format() else {
                        return Err(QueryError::Format {
                            format,
                            kind: "an ASK answer",
                            alternatives: "table, csv, tsv, json or xml",
                        });
                    };
                    QueryResultsSerializer::from_format(results_format)
                        .serialize_boolean_to_writer(&mut *out, value)?;
                }
            }
            Ok(Outcome {
                count: u64::from(value),
            })
        }
        QueryResults::Solutions(solutions) => {
            let variables = solutions.variables().to_vec();
            if format == ResultFormat::Table {
                let mut rows = Vec::new();
                for solution in solutions {
                    let solution = solution.map_err(timed_out)?;
                    rows.push(
                        variables
                            .iter()
                            .map(|v| solution.get(v).map(|t| short(t, prefixes)))
                            .collect::<Vec<_>>(),
                    );
                }
                let header: Vec<String> = variables.iter().map(|v| v.as_str().to_owned()).collect();
                write_table(out, &header, &rows)?;
                return Ok(Outcome {
                    count: rows.len() as u64,
                });
            }
            let Some(results_format) = format.results_format() else {
                return Err(QueryError::Format {
                    format,
                    kind: "SELECT solutions",
                    alternatives: "table, csv, tsv, json or xml",
                });
            };
            let mut serializer = QueryResultsSerializer::from_format(results_format)
                .serialize_solutions_to_writer(&mut *out, variables)?;
            let mut count = 0;
            for solution in solutions {
                let solution = solution.map_err(timed_out)?;
                serializer.serialize(&solution)?;
                count += 1;
            }
            serializer.finish()?;
            Ok(Outcome { count })
        }
        QueryResults::Graph(triples) => {
            let rdf_format = match format {
                ResultFormat::Table => RdfFormat::Turtle,
                f => f.rdf_format().ok_or(QueryError::Format {
                    format,
                    kind: "CONSTRUCT or DESCRIBE triples",
                    alternatives: "turtle or ntriples",
                })?,
            };
            let mut serializer = RdfSerializer::from_format(rdf_format);
            if rdf_format == RdfFormat::Turtle {
                for (prefix, namespace) in prefixes {
                    serializer = serializer
                        .with_prefix(prefix.as_str(), namespace.as_str())
                        .map_err(|e| QueryError::Syntax(e.to_string()))?;
                }
            }
            let mut writer = serializer.for_writer(&mut *out);
            let mut count = 0;
            for triple in triples {
                let triple: Triple = triple.map_err(timed_out)?;
                writer.serialize_triple(&triple)?;
                count += 1;
            }
            writer.finish()?;
            Ok(Outcome { count })
        }
    }
}
