//! `kg path`: how two entities connect, with the evidence for every hop.

use std::path::PathBuf;

use clap::{Args, ValueEnum, ValueHint};
use kg::algo::{PathQuery, all_shortest_paths, k_shortest_paths, limits, shortest_path};
use kg::answer::PathsAnswer;
use kg::graph::Projection;
use kg::iri::Prefixes;
use kg::read::GraphReader as _;

use crate::cli::output::Output;
use crate::cli::render::{paths_dot, paths_text, shown};
use crate::cli::store::StoreArgs;
use crate::cli::{Found, count, names};

/// Find the shortest connection between two entities; every hop shows its relation and the
/// document and sentence stating it.
///
/// By default a path may walk a fact either way (each hop says which). Searches are bounded
/// (depth, number of paths, work); when a bound cuts the answer it says "truncated". Exits 1 when
/// there is no path within the hops allowed.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// Where the path starts (id, label or alias)
    from: String,

    /// Where it ends
    to: String,

    /// Every shortest path, not only the first
    #[arg(long, conflicts_with = "k")]
    all_shortest: bool,

    /// The K shortest simple paths (1 to 1000; at most --max-paths are listed)
    #[arg(long, value_name = "K", value_parser = count(1, limits::MAX_PATHS))]
    k: Option<usize>,

    /// Longest path searched, in hops (1 to 20)
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_HOPS,
          value_parser = count(1, limits::MAX_HOPS))]
    max_hops: usize,

    /// Most paths listed (1 to 1000)
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_PATHS,
          value_parser = count(1, limits::MAX_PATHS))]
    max_paths: usize,

    /// Use only this relation; repeatable
    #[arg(long, value_name = "RELATION")]
    via: Vec<String>,

    /// Never use this relation; repeatable
    #[arg(long, value_name = "RELATION")]
    exclude: Vec<String>,

    /// Walk facts only from subject to object
    #[arg(long)]
    directed: bool,

    /// Output format
    #[arg(long, value_enum, default_value_t = GraphFormat::Text)]
    format: GraphFormat,

    /// Write to FILE (replaced only when the command succeeds)
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    output: Option<PathBuf>,

    #[command(flatten)]
    store: StoreArgs,
}

/// How `kg path` and `kg neighbors` print their answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Readable text.
    Text,
    /// The documented JSON shape.
    Json,
    /// Graphviz DOT (a picture of the answer).
    Dot,
}

/// Builds a path query from the shared filter flags.
pub fn query(
    projection: &Projection,
    prefixes: &Prefixes,
    via: &[String],
    exclude: &[String],
    directed: bool,
) -> anyhow::Result<PathQuery> {
    Ok(PathQuery {
        directed,
        via: if via.is_empty() {
            None
        } else {
            Some(names::relations(projection, prefixes, via, "--via")?)
        },
        exclude: names::relations(projection, prefixes, exclude, "--exclude")?,
        ..PathQuery::default()
    })
}

pub fn run(args: &PathArgs) -> anyhow::Result<Found> {
    let graph = args.store.open()?;
    let projection = graph.projection()?;
    let (Some(from), Some(to)) = (
        names::entity(projection, &args.from)?,
        names::entity(projection, &args.to)?,
    ) else {
        return Ok(Found::Nothing);
    };
    let mut query = query(
        projection,
        graph.prefixes(),
        &args.via,
        &args.exclude,
        args.directed,
    )?;
    query.max_hops = args.max_hops;
    query.max_paths = args.max_paths;
    let found = match args.k {
        Some(k) => k_shortest_paths(projection, from, to, k, &query),
        None if args.all_shortest => all_shortest_paths(projection, from, to, &query),
        None => shortest_path(projection, from, to, &query),
    };
    let mut answer = PathsAnswer::new(projection, from, to, &found);
    answer.explain_inferred(&*graph);
    answer.qualify(&*graph);
    // Read page by page, the projection was checked where the answer touched it.
    projection.intact()?;
    let mut output = Output::open(args.output.as_deref())?;
    let out = output.writer();
    match args.format {
        GraphFormat::Text => {
            if found.paths.is_empty() {
                let reason = if answer.truncated {
                    " (truncated: the work budget ran out)"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "no path from {} to {} within {} hops{reason}",
                    shown(&answer.from.label),
                    shown(&answer.to.label),
                    args.max_hops
                )?;
            } else {
                paths_text(&answer, out)?;
            }
        }
        GraphFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &answer)?;
            writeln!(out)?;
        }
        GraphFormat::Dot => paths_dot(&answer, out)?,
    }
    output.commit()?;
    Ok(Found::from(!found.paths.is_empty()))
}
