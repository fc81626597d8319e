//! `kg neighbors`: the entities within N hops of one entity.

use std::io::Write as _;

use clap::Args;
use kg::paths::{limits, neighbourhood};
use kg::report::NeighbourhoodAnswer;

use super::path::{GraphFormat, query};
use super::{Found, StoreArgs, graph, output};

/// Show the entities within N hops of an entity and the facts among them, with their evidence.
#[derive(Debug, Args)]
pub struct NeighborsArgs {
    /// The centre (id, label or alias)
    name: String,

    /// Radius, in hops
    #[arg(long, value_name = "N", default_value_t = 1)]
    hops: usize,

    /// Most entities listed (the answer says when it is cut)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_nodes: usize,

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

pub fn run(args: &NeighborsArgs) -> anyhow::Result<Found> {
    if args.hops > limits::MAX_HOPS {
        anyhow::bail!(
            "--hops {}: at most {} hops are searched",
            args.hops,
            limits::MAX_HOPS
        );
    }
    if args.max_nodes == 0 {
        anyhow::bail!("--max-nodes 0: allow at least the centre");
    }
    let (_, meta, projection) = graph::open(&args.store)?;
    let Some(centre) = graph::entity(&projection, &args.name)? else {
        return Ok(Found::Nothing);
    };
    let query = query(
        &projection,
        &meta.prefixes,
        &args.via,
        &args.exclude,
        args.directed,
    )?;
    let found = neighbourhood(&projection, centre, args.hops, args.max_nodes, &query);
    let answer = NeighbourhoodAnswer::new(&projection, args.hops, &found);
    let mut out = output(None)?;
    match args.format {
        GraphFormat::Text => answer.write_text(&mut out)?,
        GraphFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &answer)?;
            writeln!(out)?;
        }
        GraphFormat::Dot => answer.write_dot(&mut out)?,
    }
    out.flush()?;
    Ok(if found.nodes.len() > 1 {
        Found::Something
    } else {
        Found::Nothing
    })
}
