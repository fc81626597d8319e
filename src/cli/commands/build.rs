//! `kg build`: read and check the inputs, then write the RDF store and the graph projection.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Args, ValueEnum, ValueHint};
use kg::infer::{InferenceOptions, InferenceStage};
use kg::ingest::{DEFAULT_MAX_FIELD_SIZE, Inputs, check_base};
use kg::pipeline::derive::Stage;
use kg::pipeline::{BuildError, BuildOptions, BuildReport, build};
use kg::store::StoreDir;
use kg::validate::{Shapes, ValidationStage};

use crate::cli::output::Output;
use crate::cli::progress::{Spinner, print_diagnostics};
use crate::cli::store::LocalStoreArgs;
use crate::cli::{Found, number};

/// Build the graph from CSV tables, RDF files and an ontology (default: the embedded peace talks).
///
/// Every input is read and checked before anything is written; the new graph replaces the old one
/// only when it is complete, so a failed or interrupted build leaves the previous graph as it was.
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // clap flags
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

    /// Check the facts against these SHACL shapes (Turtle) too; repeatable. The peace-talks
    /// shapes apply whenever the embedded ontology is built with
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    shapes: Vec<PathBuf>,

    /// Do not check the facts against SHACL shapes
    #[arg(long, conflicts_with = "shapes")]
    no_validate: bool,

    /// Do not run the reasoner: store the stated facts only (no kg:inferred graph)
    #[arg(long)]
    no_inference: bool,

    /// The most triples the reasoner may derive before the build fails (it needs about 1.6 KB
    /// of memory each)
    #[arg(long, value_name = "N", default_value_t = InferenceOptions::default().max_derived,
          value_parser = number(1, 1 << 40), conflicts_with = "no_inference")]
    max_inferred: u64,

    #[command(flatten)]
    store: LocalStoreArgs,
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
    // The peace-talks shapes belong to the peace-talks ontology: they apply when it is the one
    // built with (the embedded default, or new data under it); --shapes adds a team's own.
    let inference = (!args.no_inference).then(|| InferenceOptions {
        max_derived: args.max_inferred,
        ..InferenceOptions::default()
    });
    let stages = stages(
        inference,
        !args.no_validate,
        args.ontology.is_empty(),
        &args.shapes,
    )?;
    let report = run_build(&inputs, &store, args.strict, args.quiet, stages)?;
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
                "warnings": report.warning_count,
                "summary": report.summary,
                "derived": report.derived,
                "stages": report.stages,
            });
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
    }
    output.commit()
}

/// Builds the embedded default quietly (for commands run before any build).
pub fn build_embedded(store: &StoreDir) -> anyhow::Result<()> {
    let stages = stages(Some(InferenceOptions::default()), true, true, &[])?;
    run_build(&Inputs::embedded(), store, false, true, stages).map(|_| ())
}

/// The derived-data stages of a build: the reasoner (its triples go to `kg:inferred`), then
/// SHACL validation of the asserted facts, whose violations stop the build.
fn stages(
    inference: Option<InferenceOptions>,
    validation: bool,
    peace_talks_shapes: bool,
    shapes: &[PathBuf],
) -> anyhow::Result<Vec<Arc<dyn Stage>>> {
    let mut stages: Vec<Arc<dyn Stage>> = Vec::new();
    if let Some(options) = inference {
        stages.push(Arc::new(InferenceStage::new(options)));
    }
    if validation && (peace_talks_shapes || !shapes.is_empty()) {
        let mut files = Vec::with_capacity(shapes.len());
        for path in shapes {
            let bytes =
                std::fs::read(path).with_context(|| format!("--shapes {}", path.display()))?;
            files.push((path.display().to_string(), bytes));
        }
        let files: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
            .collect();
        let stage = if peace_talks_shapes {
            ValidationStage::with_shapes(&files)
        } else {
            Shapes::from_turtle(&files).map(ValidationStage::new)
        };
        stages.push(Arc::new(stage.context("cannot read the shapes")?));
    }
    Ok(stages)
}

fn run_build(
    inputs: &Inputs,
    store: &StoreDir,
    strict: bool,
    quiet: bool,
    stages: Vec<Arc<dyn Stage>>,
) -> anyhow::Result<BuildReport> {
    let spinner = Spinner::new(quiet);
    let options = BuildOptions { strict, stages };
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
            print_diagnostics(&report.warnings, (0, report.warning_count));
            Ok(report)
        }
        Err(BuildError::Invalid {
            diagnostics,
            errors,
            warnings,
            strict,
        }) => {
            print_diagnostics(&diagnostics, (errors, warnings));
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
    let unreviewed = &summary.unreviewed;
    if unreviewed.proposed + unreviewed.rejected > 0 {
        writeln!(
            out,
            "candidate rows not read: {} still proposed, {} rejected (only accepted rows are data)",
            unreviewed.proposed, unreviewed.rejected
        )?;
    }
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
    for (stage, counts) in &report.stages {
        if counts.is_empty() {
            continue;
        }
        writeln!(out, "\n{stage}:")?;
        let width = counts.keys().map(|k| k.chars().count()).max().unwrap_or(0);
        for (name, count) in counts {
            writeln!(out, "  {name:<width$}  {count:>7}")?;
        }
    }
    writeln!(out, "\nwarnings: {}", report.warning_count)
}
