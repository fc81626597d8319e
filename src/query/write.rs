//! Writing a query's answer in the format asked for: a table, SPARQL results (CSV, TSV, JSON,
//! XML) or RDF (Turtle, N-Triples). Runs on the query's worker thread, writing into the
//! channel to the caller; every row checks that the query has not been stopped.

use std::io::Write;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Term, Triple};
use oxigraph::sparql::results::QueryResultsSerializer;
use oxigraph::sparql::{CancellationToken, QueryResults, QuerySolution};

use super::{Outcome, QueryError, ResultFormat, evaluation_error, short, write_table};
use crate::export::escape::is_xml_char;
use crate::iri::Prefixes;

/// The formats each kind of answer can be written in, for errors.
const RESULT_FORMATS: &str = "table, csv, tsv, json or xml";
const RDF_FORMATS: &str = "turtle or ntriples";

/// Refuses a format that cannot show the query's kind of answer, before it is evaluated.
///
/// # Errors
/// [`QueryError::Format`].
pub fn check_format(query: &spargebra::Query, format: ResultFormat) -> Result<(), QueryError> {
    let (fits, kind, alternatives) = match query {
        spargebra::Query::Select { .. } => (
            format == ResultFormat::Table || format.results_format().is_some(),
            "SELECT solutions",
            RESULT_FORMATS,
        ),
        spargebra::Query::Ask { .. } => (
            format == ResultFormat::Table || format.results_format().is_some(),
            "an ASK answer",
            RESULT_FORMATS,
        ),
        spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => (
            format == ResultFormat::Table || format.rdf_format().is_some(),
            "CONSTRUCT or DESCRIBE triples",
            RDF_FORMATS,
        ),
    };
    if fits {
        Ok(())
    } else {
        Err(QueryError::Format {
            format,
            kind,
            alternatives,
        })
    }
}

/// Writes the answer.
///
/// # Errors
/// Evaluation errors met while the answer streams, [`QueryError::XmlCharacter`], I/O errors,
/// and [`QueryError::Stopped`] when the token was cancelled.
pub fn write(
    results: QueryResults<'_>,
    prefixes: &Prefixes,
    format: ResultFormat,
    out: &mut dyn Write,
    stop: &CancellationToken,
) -> Result<Outcome, QueryError> {
    match results {
        QueryResults::Boolean(value) => {
            if format == ResultFormat::Table {
                writeln!(out, "{}", if value { "yes" } else { "no" })?;
            } else if let Some(results_format) = format.results_format() {
                QueryResultsSerializer::from_format(results_format)
                    .serialize_boolean_to_writer(&mut *out, value)?;
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
                    running(stop)?;
                    let solution = solution.map_err(evaluation_error)?;
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
                return Ok(Outcome { count: 0 });
            };
            let mut serializer = QueryResultsSerializer::from_format(results_format)
                .serialize_solutions_to_writer(&mut *out, variables)?;
            let mut count = 0;
            for solution in solutions {
                running(stop)?;
                let solution = solution.map_err(evaluation_error)?;
                if format == ResultFormat::Xml {
                    xml_safe(&solution)?;
                }
                serializer.serialize(&solution)?;
                count += 1;
            }
            serializer.finish()?;
            Ok(Outcome { count })
        }
        QueryResults::Graph(triples) => {
            let rdf_format = format.rdf_format().unwrap_or(RdfFormat::Turtle);
            let mut serializer = RdfSerializer::from_format(rdf_format);
            if rdf_format == RdfFormat::Turtle {
                for (prefix, namespace) in prefixes {
                    serializer = serializer
                        .with_prefix(prefix.as_str(), namespace.as_str())
                        .map_err(|e| QueryError::Syntax(format!("prefix {prefix}: {e}")))?;
                }
            }
            let mut writer = serializer.for_writer(&mut *out);
            let mut count = 0;
            for triple in triples {
                running(stop)?;
                let triple: Triple = triple.map_err(evaluation_error)?;
                writer.serialize_triple(&triple)?;
                count += 1;
            }
            writer.finish()?;
            Ok(Outcome { count })
        }
    }
}

/// [`QueryError::Stopped`] once the caller stopped the query.
fn running(stop: &CancellationToken) -> Result<(), QueryError> {
    if stop.is_cancelled() {
        Err(QueryError::Stopped)
    } else {
        Ok(())
    }
}

/// The longest piece of a literal an error message quotes.
const QUOTED: usize = 60;

/// Refuses a solution with a literal XML 1.0 cannot carry: a control character (a parser would
/// reject the document) or a carriage return (a parser would turn it into a line feed).
fn xml_safe(solution: &QuerySolution) -> Result<(), QueryError> {
    for (variable, term) in solution {
        if let Term::Literal(literal) = term
            && let Some(character) = literal
                .value()
                .chars()
                .find(|&c| !is_xml_char(c) || c == '\r')
        {
            let mut quoted = term.to_string();
            if quoted.chars().count() > QUOTED {
                quoted = quoted.chars().take(QUOTED).collect::<String>() + "…";
            }
            return Err(QueryError::XmlCharacter {
                character,
                variable: variable.as_str().to_owned(),
                term: quoted,
            });
        }
    }
    Ok(())
}
