//! `kg build`: read and check the inputs, then write the RDF store and the graph projection.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, ValueEnum, ValueHint};
use kg::ingest::{DEFAULT_MAX_FIELD_SIZE, Inputs, check_base};
use kg::pipeline::{BuildError, BuildOptions, BuildReport, build};
use kg::store::StoreDir;

use crate::cli::Found;
use crate::cli::output::Output;
use crate::cli::progress::{Spinner, print_diagnostics};
use crate::cli::store::StoreArgs;

/// Build the graph from CSV tables, RDF files and an ontology (default: the embedded peace talks).
///
/// Every input is read and checked before anything is written; the new graph replaces the old one
/// only when it is complete, so a failed or interrupted build leaves the previous graph as it was.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Folder of inputs: CSV tables, RDF files, sources/<document>.txt [default: the embedded
    /// peace-talks data]
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    data: Option<PathBuf>,

    /// Ontology file or folder of RDF files; repeatable [default: the embedded peace-talks
    /// ontology, when --data is not given]
    #[arg(long, value_name = "PATH", value_hint = ValueHint::AnyPath)]
    ontology: Vec<PathBuf>,

    /// Texts of source documents, as <document-id>.txt files or folders of them; each is checked
    /// against its kg:sha256 and its sentences are stored with the evidence; repeatable
    #[arg(long, value_name = "PATH", value_hint = ValueHint::AnyPath)]
    sources: Vec<PathBuf>,

    /// Base IRI of entities [default: the void:uriSpace of the inputs, else
    /// https://kg.example/id/]
    #[arg(long, value_name = "IRI", value_parser = parse_base)]
    base: Option<String>,

    /// The most bytes a CSV field may have; a larger one is an error at its line and field
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FIELD_SIZE,
        value_parser = clap::value_parser!(u64).range(1..))]
    max_field_size: u64,

    /// Treat warnings as errors
    #[arg(long)]
    strict: bool,

    /// No progress display
    #[arg(long, short)]
    quiet: bool,

    /// How to print the build summary
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    format: SummaryFormat,

    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SummaryFormat {
    Text,
    Json,
}

pub fn run(args: &BuildArgs) -> anyhow::Result<Found> {
    let mut inputs = if args.data.is_none() && args.ontology.is_empty() {
        Inputs::embedded()
    } else {
        let mut inputs = Inputs::empty();
        if args.data.is_none() {
            inputs.data = Inputs::embedded().data;
        }
        inputs
    };
    for path in &args.ontology {
        inputs
            .add_ontology(path)
            .with_context(|| format!("cannot read the ontology {}", path.display()))?;
    }
    if let Some(dir) = &args.data {
        inputs
            .add_data(dir)
            .with_context(|| format!("cannot read the data folder {}", dir.display()))?;
    }
    for path in &args.sources {
        inputs
            .add_sources(path)
            .with_context(|| format!("cannot read the sources {}", path.display()))?;
    }
    inputs.base.clone_from(&args.base);
    inputs.max_field_size = args.max_field_size;
    let store = args.store.dir();
    let report = run_build(&inputs, &store, args.strict, args.quiet)?;
    // The build is committed: a failure from here on is only the summary's.
    print_summary(args, &store, &report).with_context(|| {
        format!(
            "the graph was built in {}, but its summary could not be written",
            store.root().display()
        )
    })?;
    Ok(Found::Something)
}

/// `--base`: an IRI that entity ids can follow.
fn parse_base(base: &str) -> Result<String, String> {
    check_base(base)
        .map(|()| base.to_owned())
        .map_err(|problem| problem.to_string())
}

fn print_summary(args: &BuildArgs, store: &StoreDir, report: &BuildReport) -> anyhow::Result<()> {
    let mut output = Output::stdout();
    let out = output.writer();
    match args.format {
        SummaryFormat::Text => write_summary(out, store, report)?,
        SummaryFormat::Json => {
            let json = serde_json::json!({
                "store": store.root(),
                "quads": report.quads,
                "nodes": report.nodes,
                "edges": report.edges,
                "seconds": report.seconds,
                "warnings": report.warnings.len(),
                "summary": report.summary,
            });
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
    }
    output.commit()
}

/// Builds the embedded default quietly (for commands run before any build).
pub fn build_embedded(store: &StoreDir) -> anyhow::Result<()> {
    run_build(&Inputs::embedded(), store, false, true).map(|_| ())
}

fn run_build(
    inputs: &Inputs,
    store: &StoreDir,
    strict: bool,
    quiet: bool,
) -> anyhow::Result<BuildReport> {
    let spinner = Spinner::new(quiet);
    let options = BuildOptions {
        strict,
        ..BuildOptions::default()
    };
    let result = build(inputs, store, &options, &|p| {
        spinner.update(p);
    });
    spinner.finish();
    let kept = || {
        if store.is_built() {
            format!(
                "; the previous graph in {} is unchanged",
                store.root().display()
            )
        } else {
            String::new()
        }
    };
    match result {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            Ok(report)
        }
        Err(BuildError::Invalid {
            diagnostics,
            errors,
            warnings,
            strict,
        }) => {
            print_diagnostics(&diagnostics);
            let kept = kept();
            let refused = if strict && warnings > 0 {
                format!(" and {warnings} warning(s) (refused by --strict)")
            } else {
                String::new()
            };
            anyhow::bail!("build failed: {errors} error(s){refused}{kept}")
        }
        Err(other) => {
            let kept = kept();
            Err(other).context(format!("build failed{kept}"))
        }
    }
}

fn write_summary(
    out: &mut dyn std::io::Write,
    store: &StoreDir,
    report: &BuildReport,
) -> std::io::Result<()> {
    let summary = &report.summary;
    writeln!(
        out,
        "built {} in {:.2} s: {} files, {} entities, {} facts, {} quads; projection {} nodes, {} edges",
        store.root().display(),
        report.seconds,
        summary.files,
        summary.entities,
        summary.facts,
        report.quads,
        report.nodes,
        report.edges
    )?;
    let sections = [
        ("entities by class", &summary.entities_by_class),
        ("relations by predicate", &summary.relations_by_predicate),
        ("facts by document", &summary.facts_by_document),
    ];
    for (title, counts) in sections {
        writeln!(out, "\n{title}:")?;
        let width = counts.keys().map(|k| k.chars().count()).max().unwrap_or(0);
        for (name, count) in counts {
            writeln!(out, "  {name:<width$}  {count:>7}")?;
        }
    }
    writeln!(out, "\nwarnings: {}", report.warnings.len())
}
