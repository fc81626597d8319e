//! `kg query`: SPARQL over the store.

use std::io::{IsTerminal as _, Read as _};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, ValueHint};
use kg::query::{self, Limits, ResultFormat};

use crate::cli::output::Output;
use crate::cli::store::StoreArgs;
use crate::cli::{Found, by_name};

/// Ask the graph a SPARQL 1.1 question (SELECT, ASK, CONSTRUCT, DESCRIBE).
///
/// The graph's prefixes (rdf, rdfs, owl, xsd, skos, prov, schema, foaf, org, time, dcterms, kg, and
/// the ontology's own) are declared already. Exits 1 when a SELECT finds no rows, a CONSTRUCT no
/// triples, or an ASK is false.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// The query text (else -f FILE, else stdin)
    #[arg(value_name = "SPARQL", conflicts_with = "file")]
    query: Option<String>,

    /// Read the query from a file
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    file: Option<PathBuf>,

    /// Output format [default: table on a terminal, else csv (turtle for graphs); else inferred
    /// from -o FILE's extension]
    #[arg(long, value_parser = by_name(&ResultFormat::ALL, ResultFormat::name))]
    format: Option<ResultFormat>,

    /// Write the answer to FILE
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    output: Option<PathBuf>,

    /// Stop the query after this many seconds
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,

    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: &QueryArgs) -> anyhow::Result<Found> {
    let text = match (&args.query, &args.file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the query file {}", path.display()))?,
        (None, None) => {
            if std::io::stdin().is_terminal() {
                anyhow::bail!("no query: give it as an argument, with -f FILE, or on stdin");
            }
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read the query from stdin")?;
            text
        }
    };
    let timeout = match args.timeout {
        Some(seconds) if seconds.is_finite() && seconds > 0.0 => {
            Some(Duration::from_secs_f64(seconds))
        }
        Some(seconds) => anyhow::bail!("--timeout {seconds}: give a positive number of seconds"),
        None => None,
    };
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(ResultFormat::from_extension)
            .with_context(|| {
                format!(
                    "cannot tell the format from {}: give --format",
                    path.display()
                )
            })?,
        (None, None) if std::io::stdout().is_terminal() => ResultFormat::Table,
        (None, None) => ResultFormat::Csv,
    };
    let graph = args.store.open()?;
    let limits = Limits { timeout };
    let mut output = Output::open(args.output.as_deref())?;
    let outcome = match query::run(&graph, &text, &limits, format, output.writer()) {
        Ok(outcome) => outcome,
        // CONSTRUCT to CSV: fall back to Turtle when the format was only a default.
        Err(query::QueryError::Format { .. }) if args.format.is_none() && args.output.is_none() => {
            query::run(
                &graph,
                &text,
                &limits,
                ResultFormat::Turtle,
                output.writer(),
            )?
        }
        Err(e) => return Err(e.into()),
    };
    output.commit()?;
    Ok(Found::from(!outcome.is_empty()))
}
