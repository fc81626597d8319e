//! `kg generate`: a synthetic dataset of a chosen size, for benchmarks.

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, ValueHint};
use kg::generate::{GenerateOptions, Size, generate};

use crate::cli::output::Output;
use crate::cli::progress::Spinner;
use crate::cli::render::shown_path;
use crate::cli::{Found, number};

/// Generate a benchmark dataset: people, organisations, places and documents in kg's CSV layout,
/// its ontology, the same triples as N-Triples (equivalent.nt) and an RML mapping of the tables.
///
/// The same options give byte-identical files. Build it with
/// `kg build --data DIR/data --ontology DIR/ontology`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Folder to write into (created if missing; files of the same names are replaced)
    #[arg(long, value_name = "DIR", value_hint = ValueHint::DirPath)]
    out: PathBuf,

    /// About this many triples in the built store, reification included (up to 10^11)
    /// [default: 100000]
    #[arg(long, value_name = "N", conflicts_with_all = ["nodes", "edges"],
          value_parser = number(1, MAX_TRIPLES))]
    triples: Option<u64>,

    /// A path-benchmark graph of N entities (use with --edges; 20 to 4294967295)
    #[arg(long, value_name = "N", requires = "edges", value_parser = number(1, u32::MAX.into()))]
    nodes: Option<u64>,

    /// Relation rows of the path-benchmark graph: its edges (use with --nodes; 0 to 4294967295)
    #[arg(long, value_name = "M", requires = "nodes", value_parser = number(0, u32::MAX.into()))]
    edges: Option<u64>,

    /// Seed of the random streams (any number from 0 to 2^64 - 1)
    #[arg(long, value_name = "S", default_value_t = 1, value_parser = number(0, u64::MAX))]
    seed: u64,

    /// No source, sentences and date columns (facts are then not reified)
    #[arg(long)]
    no_provenance: bool,

    /// No progress display
    #[arg(long, short)]
    quiet: bool,
}

/// The largest `--triples`: about 2.5 billion people, within the projection's 2³² entities.
const MAX_TRIPLES: u64 = 100_000_000_000;

pub fn run(args: &GenerateArgs) -> anyhow::Result<Found> {
    let size = match (args.nodes, args.edges, args.triples) {
        (Some(nodes), Some(edges), _) => Size::Graph { nodes, edges },
        (_, _, triples) => Size::Triples(triples.unwrap_or(100_000)),
    };
    let options = GenerateOptions {
        size,
        seed: args.seed,
        provenance: !args.no_provenance,
    };
    let spinner = Spinner::new(args.quiet);
    let result = generate(&args.out, &options, &|p| spinner.update(p));
    spinner.finish();
    let generated = result.with_context(|| {
        let size = match size {
            Size::Graph { nodes, edges } => format!("--nodes {nodes} --edges {edges}"),
            Size::Triples(triples) => format!("--triples {triples}"),
        };
        format!(
            "cannot generate a dataset ({size}) in {}",
            shown_path(&args.out)
        )
    })?;
    let mut output = Output::stdout();
    writeln!(
        output.writer(),
        "generated {}: {} people, {} organizations, {} places, {} documents; {} relation rows; {} facts, {} triples",
        shown_path(&args.out),
        generated.people,
        generated.organizations,
        generated.places,
        generated.documents,
        generated.relations.total(),
        generated.facts,
        generated.triples
    )?;
    output.commit()?;
    Ok(Found::Something)
}
