//! `kg validate`: check the store against SHACL shapes.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::Args;
use kg::read::GraphReader as _;
use kg::validate::{ReportFormat, Shapes, validate};

use crate::cli::output::Output;
use crate::cli::store::StoreArgs;
use crate::cli::{Found, by_name};

/// Check the graph against SHACL shapes (SHACL Core); exit 0 when it conforms, 1 when it does not.
///
/// With no --shapes, the peace-talks shapes shipped with kg are used. Each result names the
/// CSV file and line the offending value came from, when the graph knows it.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// A shapes file (Turtle, or any RDF syntax by its extension); repeat for several
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    shapes: Vec<PathBuf>,

    /// Output format [default: inferred from -o FILE's extension (.txt, .ttl, .json), else text]
    #[arg(long, value_parser = by_name(&ReportFormat::ALL, ReportFormat::name))]
    format: Option<ReportFormat>,

    /// Write the report to FILE (replaced only when the command succeeds)
    #[arg(long, short, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    output: Option<PathBuf>,

    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: &ValidateArgs) -> anyhow::Result<Found> {
    let shapes = load_shapes(&args.shapes)?;
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => match path.extension().and_then(|e| e.to_str()) {
            None => ReportFormat::Text,
            Some(extension) => ReportFormat::from_extension(extension).with_context(|| {
                format!(
                    "cannot tell the format from {}: give --format (text, turtle or json)",
                    path.display()
                )
            })?,
        },
        (None, None) => ReportFormat::Text,
    };
    let graph = args.store.open()?;
    let mut report =
        validate(&graph, &shapes).with_context(|| format!("validating {}", graph.location()))?;
    report
        .locate(&graph)
        .with_context(|| format!("reading the provenance of {}", graph.location()))?;
    let mut prefixes = shapes.prefixes().clone();
    prefixes.extend(graph.prefixes().clone());
    let mut output = Output::open(args.output.as_deref())?;
    format.write(&report, &prefixes, output.writer())?;
    output.commit()?;
    Ok(Found::from(report.conforms))
}

/// The shapes of `--shapes FILE...`, else the shipped peace-talks shapes.
fn load_shapes(files: &[PathBuf]) -> anyhow::Result<Shapes> {
    if files.is_empty() {
        return Ok(Shapes::peace_talks()?);
    }
    let mut contents = Vec::with_capacity(files.len());
    for file in files {
        let bytes = std::fs::read(file)
            .with_context(|| format!("--shapes {}: cannot read the file", file.display()))?;
        contents.push((file.display().to_string(), bytes));
    }
    let named: Vec<(&str, &[u8])> = contents
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    Shapes::from_turtle(&named).context("--shapes")
}
