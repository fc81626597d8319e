//! `kg push`: send the built graph to a SPARQL server.

use std::io::{self, IsTerminal as _, Write as _};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, ValueEnum, ValueHint};
use indicatif::{ProgressBar, ProgressStyle};
use kg::remote::{Protocol, PushOptions, PushProgress, PushReport, push};
use kg::store::{LocalGraph, StoreDir};
use oxigraph::model::NamedNode;

use super::build;
use crate::cli::store::ConnectionArgs;
use crate::cli::{Found, by_name, count};

/// Where `--no-inference` looks for the inferred graph unless `--inference-graph` says otherwise.
const DEFAULT_INFERENCE_GRAPH: &str = "https://kg.example/vocab#inferred";

/// Send the built graph to a SPARQL server (Virtuoso, oxigraph serve, any SPARQL 1.1 store).
///
/// The store's default graph (facts, provenance, ontology) goes to --graph, the inferred graph to
/// <--graph>/inferred, any other named graph to its own IRI. Triples go in batches by the Graph Store Protocol,
/// else by SPARQL Update INSERT DATA, into staging graphs that one update then MOVEs in: readers
/// never see half a graph. A stopped push leaves the targets as they were (and the staging
/// graphs, which the next push clears). Exits 2 when the server's counts differ from the store's.
///
/// Credentials: --user with --password-file or KG_ENDPOINT_PASSWORD, or --token-file or
/// KG_ENDPOINT_TOKEN; never in the URL.
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // clap flags
pub struct PushArgs {
    /// The server's SPARQL query URL (oxigraph serve: http://HOST:7878/query; Virtuoso:
    /// http://HOST:8890/sparql, or /sparql-auth with credentials)
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    endpoint: String,

    /// The graph the store's default graph goes to [default: the store's base IRI]
    #[arg(long, value_name = "IRI")]
    graph: Option<String>,

    /// The SPARQL Update URL [default: derived from --endpoint: .../query -> .../update, else the
    /// same URL]
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    update_url: Option<String>,

    /// The Graph Store Protocol URL [default: .../query -> .../store, .../sparql ->
    /// .../sparql-graph-crud, else none]
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    graph_store_url: Option<String>,

    /// Swap target graphs that already hold triples (else the push is refused)
    #[arg(long, conflicts_with = "no_staging")]
    replace: bool,

    /// Load straight into the (empty) target graphs, without staging graphs and the final MOVE:
    /// faster where a MOVE copies every triple (oxigraph), but readers can see a graph half
    /// loaded, and a stopped push leaves part of it (push again with --replace)
    #[arg(long)]
    no_staging: bool,

    /// Do not push the inferred graph (--inference-graph)
    #[arg(long)]
    no_inference: bool,

    /// The inferred graph's IRI, for --no-inference
    #[arg(long, env = "KG_INFERENCE_GRAPH", value_name = "IRI", default_value = DEFAULT_INFERENCE_GRAPH)]
    inference_graph: String,

    /// Do not push this named graph; repeatable
    #[arg(long = "skip-graph", value_name = "IRI")]
    skip_graph: Vec<String>,

    /// Triples per request [default: 50000 over the Graph Store Protocol, 1000 by INSERT DATA]
    #[arg(long, value_name = "N", value_parser = count(1, 10_000_000))]
    batch_size: Option<usize>,

    /// How triples are sent
    #[arg(long, default_value = "auto", value_parser = by_name(&Protocol::ALL, Protocol::name))]
    protocol: Protocol,

    /// Skip the final count check
    #[arg(long)]
    no_verify: bool,

    /// Report format
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,

    /// No progress bar
    #[arg(long, short)]
    quiet: bool,

    /// The store folder to push [default: ./kg-store]
    #[arg(long, env = "KG_STORE", value_name = "DIR", value_hint = ValueHint::DirPath)]
    store: Option<PathBuf>,

    #[command(flatten)]
    connection: ConnectionArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    Text,
    Json,
}

fn iri(value: &str, flag: &str) -> anyhow::Result<NamedNode> {
    NamedNode::new(value).with_context(|| format!("{flag} {value}: not an IRI"))
}

pub fn run(args: &PushArgs) -> anyhow::Result<Found> {
    let store = StoreDir::new(
        args.store
            .clone()
            .unwrap_or_else(|| PathBuf::from("kg-store")),
    );
    if args.store.is_none() && !store.is_built() {
        let _ = writeln!(
            io::stderr(),
            "kg: no graph in {} yet: building the embedded peace-talks graph first",
            store.root().display()
        );
        build::build_embedded(&store)?;
    }
    let local = LocalGraph::open(store.current()?)?;
    let base = local.meta().base.clone();
    let graph = match &args.graph {
        Some(value) => iri(value, "--graph")?,
        None => iri(&base, "the store's base IRI")?,
    };
    let mut skip = args
        .skip_graph
        .iter()
        .map(|g| iri(g, "--skip-graph"))
        .collect::<anyhow::Result<Vec<_>>>()?;
    if args.no_inference {
        skip.push(iri(&args.inference_graph, "--inference-graph")?);
    }
    let service = args.connection.service(
        &args.endpoint,
        args.update_url.as_deref(),
        args.graph_store_url.as_deref(),
    )?;
    let options = PushOptions {
        graph,
        skip,
        replace: args.replace,
        staging: !args.no_staging,
        batch_size: args.batch_size.filter(|&n| n > 0),
        protocol: args.protocol,
        verify: !args.no_verify,
        base,
        // Every quad of the store: more than is sent when graphs are skipped.
        expected: Some(local.meta().quads),
    };
    let bar = Bar::new(args.quiet);
    let outcome = push(&local, &service, &options, &|p| bar.update(p));
    bar.finish();
    let report = outcome.with_context(|| {
        format!(
            "cannot push {} to {}",
            store.root().display(),
            service.endpoint.display()
        )
    })?;
    let mut out = io::stdout().lock();
    match args.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &json(&report, &service.endpoint.display()))?;
            writeln!(out)?;
        }
        ReportFormat::Text => text(
            &mut out,
            &report,
            &service.endpoint.display(),
            args.no_verify,
        )?,
    }
    Ok(Found::Something)
}

fn json(report: &PushReport, endpoint: &str) -> serde_json::Value {
    serde_json::json!({
        "endpoint": endpoint,
        "protocol": report.protocol.name(),
        "batches": report.batches,
        "push_id": report.push_id,
        "graphs": report.graphs.iter().map(|g| serde_json::json!({
            "target": g.target.as_str(),
            "source": g.source.as_ref().map_or("default", |s| s.as_str()),
            "local": g.local,
            "remote": g.remote,
        })).collect::<Vec<_>>(),
        "dropped": report.dropped.iter().map(NamedNode::as_str).collect::<Vec<_>>(),
        "seconds": {
            "planning": report.phases.planning.as_secs_f64(),
            "reading": report.phases.reading.as_secs_f64(),
            "serializing": report.phases.serializing.as_secs_f64(),
            "requests": report.phases.requests.as_secs_f64(),
            "swapping": report.phases.swapping.as_secs_f64(),
            "checking": report.phases.checking.as_secs_f64(),
        },
    })
}

fn text(
    out: &mut dyn io::Write,
    report: &PushReport,
    endpoint: &str,
    unchecked: bool,
) -> io::Result<()> {
    let total: u64 = report.graphs.iter().map(|g| g.local).sum();
    writeln!(
        out,
        "pushed {total} triples in {} graph{} to {endpoint} ({}, {} request{})",
        report.graphs.len(),
        if report.graphs.len() == 1 { "" } else { "s" },
        report.protocol.name(),
        report.batches,
        if report.batches == 1 { "" } else { "s" },
    )?;
    for graph in &report.graphs {
        let source = graph
            .source
            .as_ref()
            .map_or_else(|| "the default graph".to_owned(), ToString::to_string);
        writeln!(
            out,
            "  {} <- {source}: {} triples",
            graph.target, graph.local
        )?;
    }
    for dropped in &report.dropped {
        writeln!(out, "  {dropped}: dropped (no longer in the store)")?;
    }
    if !unchecked {
        writeln!(out, "counts checked: the server holds what the store holds")?;
    }
    let p = &report.phases;
    writeln!(
        out,
        "time: {:.1} s planning, {:.1} s reading the store, {:.1} s writing batches, {:.1} s in requests, {:.1} s swapping in, {:.1} s checking",
        p.planning.as_secs_f64(),
        p.reading.as_secs_f64(),
        p.serializing.as_secs_f64(),
        p.requests.as_secs_f64(),
        p.swapping.as_secs_f64(),
        p.checking.as_secs_f64()
    )?;
    Ok(())
}

/// The progress bar on stderr (hidden with --quiet or when stderr is not a terminal).
struct Bar(Option<ProgressBar>);

impl Bar {
    fn new(quiet: bool) -> Self {
        Self((!quiet && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed:>4} {msg} {wide_bar} {pos}/{len} triples ({per_sec})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        }))
    }

    fn update(&self, progress: PushProgress<'_>) {
        let Some(bar) = &self.0 else {
            return;
        };
        match progress {
            PushProgress::Counting => bar.set_message("counting"),
            PushProgress::Total(total) => bar.set_length(total),
            PushProgress::Graph(graph) => bar.set_message(format!("loading {graph}")),
            PushProgress::Sent(sent) => bar.set_position(sent),
            PushProgress::Swapping => bar.set_message("swapping in"),
            PushProgress::Checking => bar.set_message("checking the counts"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
