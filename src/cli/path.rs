//! `kg path`: how two entities connect, with the evidence for every hop.

use std::collections::HashSet;
use std::io::Write as _;

use clap::{Args, ValueEnum};
use kg::paths::{PathQuery, all_shortest_paths, k_shortest_paths, limits, shortest_path};
use kg::report::PathsAnswer;

use super::{Found, StoreArgs, graph, output};

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

    /// The K shortest simple paths
    #[arg(long, value_name = "K")]
    k: Option<usize>,

    /// Longest path searched, in hops
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_HOPS)]
    max_hops: usize,

    /// Most paths listed
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_MAX_PATHS)]
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

    #[command(flatten)]
    store: StoreArgs,
}

/// Formats of answers that are subgraphs.
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
    projection: &kg::graph::Projection,
    prefixes: &std::collections::BTreeMap<String, String>,
    via: &[String],
    exclude: &[String],
    directed: bool,
) -> anyhow::Result<PathQuery> {
    let mut query = PathQuery {
        directed,
        ..PathQuery::default()
    };
    if !via.is_empty() {
        let mut allowed = HashSet::new();
        for name in via {
            allowed.extend(graph::predicates(projection, prefixes, name)?);
        }
        query.via = Some(allowed);
    }
    for name in exclude {
        query
            .exclude
            .extend(graph::predicates(projection, prefixes, name)?);
    }
    Ok(query)
}

pub fn run(args: &PathArgs) -> anyhow::Result<Found> {
    if args.max_hops > limits::MAX_HOPS {
        anyhow::bail!(
            "--max-hops {}: at most {} hops are searched",
            args.max_hops,
            limits::MAX_HOPS
        );
    }
    if args.max_paths == 0 || args.max_paths > limits::MAX_PATHS {
        anyhow::bail!(
            "--max-paths {}: give 1 to {}",
            args.max_paths,
            limits::MAX_PATHS
        );
    }
    let (_, meta, projection) = graph::open(&args.store)?;
    let (Some(from), Some(to)) = (
        graph::entity(&projection, &args.from)?,
        graph::entity(&projection, &args.to)?,
    ) else {
        return Ok(Found::Nothing);
    };
    let mut query = query(
        &projection,
        &meta.prefixes,
        &args.via,
        &args.exclude,
        args.directed,
    )?;
    query.max_hops = args.max_hops;
    query.max_paths = args.max_paths;
    let found = match args.k {
        Some(0) => anyhow::bail!("--k 0: ask for at least one path"),
        Some(k) if k > limits::MAX_PATHS => {
            anyhow::bail!("--k {k}: at most {} paths are listed", limits::MAX_PATHS)
        }
        Some(k) => k_shortest_paths(&projection, from, to, k, &query),
        None if args.all_shortest => all_shortest_paths(&projection, from, to, &query),
        None => shortest_path(&projection, from, to, &query),
    };
    let answer = PathsAnswer::new(&projection, from, to, &found);
    let mut out = output(None)?;
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
                    answer.from.label, answer.to.label, args.max_hops
                )?;
            } else {
                answer.write_text(&mut out)?;
            }
        }
        GraphFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &answer)?;
            writeln!(out)?;
        }
        GraphFormat::Dot => answer.write_dot(&mut out)?,
    }
    out.flush()?;
    Ok(if found.paths.is_empty() {
        Found::Nothing
    } else {
        Found::Something
    })
}
