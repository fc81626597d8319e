//! `kg query`: SPARQL 1.1 over the store, with the graph's prefixes predeclared, a timeout, and
//! answers written as a readable table, CSV, TSV, SPARQL JSON or XML, or RDF for graph results.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Term, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults, SparqlEvaluator,
};
use oxigraph::store::Store;

/// How answers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// Aligned columns for people (default on a terminal).
    Table,
    /// [SPARQL 1.1 CSV](https://www.w3.org/TR/sparql11-results-csv-tsv/).
    Csv,
    /// [SPARQL 1.1 TSV](https://www.w3.org/TR/sparql11-results-csv-tsv/).
    Tsv,
    /// [SPARQL 1.1 JSON](https://www.w3.org/TR/sparql11-results-json/).
    Json,
    /// [SPARQL XML](https://www.w3.org/TR/rdf-sparql-XMLres/).
    Xml,
    /// [Turtle](https://www.w3.org/TR/turtle/), for CONSTRUCT and DESCRIBE.
    Turtle,
    /// [N-Triples](https://www.w3.org/TR/n-triples/), for CONSTRUCT and DESCRIBE.
    NTriples,
}

impl ResultFormat {
    /// Every format, for help texts.
    pub const ALL: [Self; 7] = [
        Self::Table,
        Self::Csv,
        Self::Tsv,
        Self::Json,
        Self::Xml,
        Self::Turtle,
        Self::NTriples,
    ];

    /// The format's usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Table => "txt",
            Self::Csv => "csv",
            Self::Tsv => "tsv",
            Self::Json => "srj",
            Self::Xml => "srx",
            Self::Turtle => "ttl",
            Self::NTriples => "nt",
        }
    }

    /// The format's media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Table => "text/plain",
            Self::Csv => "text/csv",
            Self::Tsv => "text/tab-separated-values",
            Self::Json => "application/sparql-results+json",
            Self::Xml => "application/sparql-results+xml",
            Self::Turtle => "text/turtle",
            Self::NTriples => "application/n-triples",
        }
    }

    /// The format for a file extension (`csv`, `srj`, `json`, `ttl`, ...).
    pub fn from_extension(extension: &str) -> Option<Self> {
        Some(match extension.to_ascii_lowercase().as_str() {
            "txt" | "table" => Self::Table,
            "csv" => Self::Csv,
            "tsv" => Self::Tsv,
            "srj" | "json" => Self::Json,
            "srx" | "xml" => Self::Xml,
            "ttl" | "turtle" => Self::Turtle,
            "nt" | "ntriples" | "n-triples" => Self::NTriples,
            _ => return None,
        })
    }

    fn results_format(self) -> Option<QueryResultsFormat> {
        match self {
            Self::Csv => Some(QueryResultsFormat::Csv),
            Self::Tsv => Some(QueryResultsFormat::Tsv),
            Self::Json => Some(QueryResultsFormat::Json),
            Self::Xml => Some(QueryResultsFormat::Xml),
            _ => None,
        }
    }

    fn rdf_format(self) -> Option<RdfFormat> {
        match self {
            Self::Turtle => Some(RdfFormat::Turtle),
            Self::NTriples => Some(RdfFormat::NTriples),
            _ => None,
        }
    }
}

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

/// Parses a query with the graph's prefixes predeclared (a `PREFIX` in the text wins).
///
/// # Errors
/// [`QueryError::Syntax`], whose message gives the line and column.
pub fn parse(
    text: &str,
    prefixes: &BTreeMap<String, String>,
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
    store: &Store,
    text: &str,
    prefixes: &BTreeMap<String, String>,
    timeout: Option<Duration>,
    format: ResultFormat,
    out: &mut dyn Write,
) -> Result<Outcome, QueryError> {
    let cancellation = CancellationToken::new();
    let query = parse(text, prefixes, cancellation.clone())?;
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
    let results = query.on_store(store).execute().map_err(timed_out)?;
    write(results, prefixes, format, out, &timed_out)
}

fn write(
    results: QueryResults<'_>,
    prefixes: &BTreeMap<String, String>,
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

/// A term as people read it: prefixed names for IRIs, plain values for strings (tagged or not)
/// and numbers, `value^^type` for other datatypes.
pub fn short(term: &Term, prefixes: &BTreeMap<String, String>) -> String {
    match term {
        Term::NamedNode(iri) => compact_iri(iri.as_str(), prefixes),
        Term::BlankNode(node) => node.to_string(),
        Term::Literal(literal) => {
            if literal.language().is_some() {
                // Tables are for reading: the language tag stays in CSV, JSON and XML.
                literal.value().to_owned()
            } else {
                let datatype = literal.datatype().as_str();
                let plain = [
                    "http://www.w3.org/2001/XMLSchema#string",
                    "http://www.w3.org/2001/XMLSchema#integer",
                    "http://www.w3.org/2001/XMLSchema#decimal",
                    "http://www.w3.org/2001/XMLSchema#double",
                    "http://www.w3.org/2001/XMLSchema#boolean",
                ];
                if plain.contains(&datatype) {
                    literal.value().to_owned()
                } else {
                    format!("{}^^{}", literal.value(), compact_iri(datatype, prefixes))
                }
            }
        }
    }
}

/// `prefix:local` when a prefix covers the IRI with a plain local name, else `<iri>`.
pub fn compact_iri(iri: &str, prefixes: &BTreeMap<String, String>) -> String {
    prefixes
        .iter()
        .filter(|(_, ns)| iri.starts_with(ns.as_str()))
        .max_by_key(|(_, ns)| ns.len())
        .map(|(p, ns)| (p, &iri[ns.len()..]))
        .filter(|(_, local)| {
            !local.is_empty()
                && local
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        })
        .map_or_else(|| format!("<{iri}>"), |(p, local)| format!("{p}:{local}"))
}

/// Writes aligned columns; cells are single-line (control characters shown as `\n`, `\t`, ...).
///
/// # Errors
/// I/O errors.
pub fn write_table(
    out: &mut dyn Write,
    header: &[String],
    rows: &[Vec<Option<String>>],
) -> std::io::Result<()> {
    let clean = |cell: &str| -> String {
        cell.escape_debug()
            .to_string()
            .replace("\\\"", "\"")
            .replace("\\'", "'")
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| c.as_deref().map_or(String::new(), clean))
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, row: &[String]| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, (cell, width)) in row.iter().zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            if i + 1 < row.len() {
                text.extend(std::iter::repeat_n(' ', width - cell.chars().count()));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, header)?;
    let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
    line(out, &rule)?;
    for row in &cells {
        line(out, row)?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )
}
