//! `kg query`: SPARQL over the store.

use std::io::{IsTerminal as _, Read as _};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, ValueHint};
use kg::query::{self, Exceeded, Limits, QueryError, ResultFormat, SyntaxLimits};

use crate::cli::output::Output;
use crate::cli::store::StoreArgs;
use crate::cli::{Found, by_name};

/// Ask the graph a SPARQL 1.1 question (SELECT, ASK, CONSTRUCT, DESCRIBE).
///
/// The graph's prefixes (rdf, rdfs, owl, xsd, skos, prov, schema, foaf, org, time, dcterms, kg, and
/// the ontology's own) are declared already. Exits 1 when a SELECT finds no rows, a CONSTRUCT no
/// triples, or an ASK is false. kg query only reads: SPARQL Update and SERVICE are refused.
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

    /// Write the answer to FILE (replaced only when the query succeeds)
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    output: Option<PathBuf>,

    /// Stop the query after this many seconds [default: no limit]
    #[arg(long, value_name = "SECONDS", value_parser = seconds, allow_negative_numbers = true)]
    timeout: Option<Duration>,

    /// Stop the query when it holds more than this many MiB of memory
    #[arg(
        long,
        value_name = "MB",
        default_value_t = Limits::DEFAULT_MEMORY >> 20,
        value_parser = clap::value_parser!(u64).range(1..=MAX_MEMORY_MB),
        allow_negative_numbers = true
    )]
    memory: u64,

    /// Refuse a query longer than this many bytes
    #[arg(
        long,
        value_name = "BYTES",
        default_value_t = SyntaxLimits::DEFAULT.length as u64,
        value_parser = clap::value_parser!(u64).range(1..=MAX_LENGTH),
        allow_negative_numbers = true
    )]
    max_length: u64,

    /// Refuse a query that nests brackets deeper than this
    #[arg(
        long,
        value_name = "LEVELS",
        default_value_t = SyntaxLimits::DEFAULT.depth as u64,
        value_parser = clap::value_parser!(u64).range(1..=MAX_DEPTH),
        allow_negative_numbers = true
    )]
    max_depth: u64,

    /// Refuse a query with more operators, keywords and brackets than this
    #[arg(
        long,
        value_name = "COUNT",
        default_value_t = SyntaxLimits::DEFAULT.operators as u64,
        value_parser = clap::value_parser!(u64).range(1..=MAX_OPERATORS),
        allow_negative_numbers = true
    )]
    max_operators: u64,

    #[command(flatten)]
    store: StoreArgs,
}

/// 1 TiB: a cap beyond any machine kg runs on.
const MAX_MEMORY_MB: u64 = 1 << 20;
/// 1 GiB of query text.
const MAX_LENGTH: u64 = 1 << 30;
/// Raising depth and operators grows the query thread's stack (see `SyntaxLimits`); these
/// bound it to what a 64-bit system may reserve (70 GiB at both maxima).
const MAX_DEPTH: u64 = 1 << 16;
const MAX_OPERATORS: u64 = 1 << 20;

/// A positive, finite number of seconds that fits a `Duration`.
fn seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(seconds.is_finite() && seconds > 0.0) {
        return Err("give a positive number of seconds".to_owned());
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| "too many seconds".to_owned())
}

pub fn run(args: &QueryArgs) -> anyhow::Result<Found> {
    let limits = Limits {
        timeout: args.timeout,
        memory: Some(args.memory << 20),
        syntax: SyntaxLimits {
            length: usize::try_from(args.max_length).unwrap_or(usize::MAX),
            depth: usize::try_from(args.max_depth).unwrap_or(usize::MAX),
            operators: usize::try_from(args.max_operators).unwrap_or(usize::MAX),
        },
    };
    let text = match (&args.query, &args.file) {
        (Some(text), _) => text.clone(),
        (None, Some(path)) => {
            let file = std::fs::File::open(path)
                .with_context(|| format!("cannot read the query file {}", path.display()))?;
            read_query(file, &limits)
                .with_context(|| format!("cannot read the query file {}", path.display()))?
        }
        (None, None) => {
            if std::io::stdin().is_terminal() {
                anyhow::bail!("no query: give it as an argument, with -f FILE, or on stdin");
            }
            read_query(std::io::stdin(), &limits).context("cannot read the query from stdin")?
        }
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
    // Refuse what can be refused before the store is opened or -o FILE is touched.
    query::screen(&text, &limits.syntax).map_err(explain)?;
    let graph = args.store.open()?;
    // On any error below, `output` is dropped unfinished: -o FILE keeps what it had.
    let mut output = Output::open(args.output.as_deref())?;
    let outcome = match query::run(&graph, &text, &limits, format, output.writer()) {
        Ok(outcome) => outcome,
        // CONSTRUCT to CSV: fall back to Turtle when the format was only a default. The format
        // is refused before anything is evaluated or written.
        Err(QueryError::Format { .. }) if args.format.is_none() && args.output.is_none() => {
            query::run(
                &graph,
                &text,
                &limits,
                ResultFormat::Turtle,
                output.writer(),
            )
            .map_err(explain)?
        }
        Err(e) => return Err(explain(e)),
    };
    output.commit()?;
    Ok(Found::from(!outcome.is_empty()))
}

/// Reads a query, no more than one byte past the length limit (a longer one is refused with
/// where the limit was crossed, without reading the rest).
fn read_query(reader: impl std::io::Read, limits: &Limits) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    reader
        .take(
            u64::try_from(limits.syntax.length)
                .unwrap_or(u64::MAX)
                .saturating_add(1),
        )
        .read_to_end(&mut bytes)?;
    if bytes.len() > limits.syntax.length {
        query::screen(&String::from_utf8_lossy(&bytes), &limits.syntax).map_err(explain)?;
    }
    String::from_utf8(bytes).context("the query is not UTF-8")
}

/// The error, with the flag that changes the limit it names.
fn explain(error: QueryError) -> anyhow::Error {
    let flag = match &error {
        QueryError::Timeout(_) => Some("--timeout SECONDS"),
        QueryError::Memory { .. } => Some("--memory MB"),
        QueryError::TooLarge(crossing) => Some(match crossing.limit {
            Exceeded::Length(_) => "--max-length BYTES",
            Exceeded::Depth(_) => "--max-depth LEVELS",
            Exceeded::Operators(_) => "--max-operators COUNT",
        }),
        QueryError::Stack { .. } => Some("--max-depth LEVELS and --max-operators COUNT size it"),
        _ => None,
    };
    match (flag, &error) {
        (Some(flag), QueryError::Stack { .. }) => anyhow::anyhow!("{error}; {flag}"),
        (Some(flag), _) => anyhow::anyhow!("{error}; {flag} changes the limit"),
        (None, _) => error.into(),
    }
}
