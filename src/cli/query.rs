//! `kg query`: SPARQL over the store.

use std::io::{IsTerminal as _, Read as _};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, ValueEnum, ValueHint};
use kg::query::{self, ResultFormat};

use super::{Found, StoreArgs, output, stdout_is_terminal};

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
    #[arg(long, value_enum)]
    format: Option<FormatArg>,

    /// Write the answer to FILE
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    output: Option<PathBuf>,

    /// Stop the query after this many seconds
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,

    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    Turtle,
    Ntriples,
}

impl From<FormatArg> for ResultFormat {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Table => Self::Table,
            FormatArg::Csv => Self::Csv,
            FormatArg::Tsv => Self::Tsv,
            FormatArg::Json => Self::Json,
            FormatArg::Xml => Self::Xml,
            FormatArg::Turtle => Self::Turtle,
            FormatArg::Ntriples => Self::NTriples,
        }
    }
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
        (Some(format), _) => format.into(),
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
        (None, None) if stdout_is_terminal() => ResultFormat::Table,
        (None, None) => ResultFormat::Csv,
    };
    let (generation, meta) = args.store.open()?;
    let store = generation.open_store()?;
    let mut out = output(args.output.as_deref())?;
    let outcome = match query::run(&store, &text, &meta.prefixes, timeout, format, &mut out) {
        Ok(outcome) => outcome,
        // CONSTRUCT to CSV: fall back to Turtle when the format was only a default.
        Err(query::QueryError::Format { .. }) if args.format.is_none() && args.output.is_none() => {
            query::run(
                &store,
                &text,
                &meta.prefixes,
                timeout,
                ResultFormat::Turtle,
                &mut out,
            )?
        }
        Err(e) => return Err(e.into()),
    };
    out.flush()?;
    Ok(if outcome.is_empty() {
        Found::Nothing
    } else {
        Found::Something
    })
}
