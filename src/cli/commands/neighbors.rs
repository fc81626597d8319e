//! `kg neighbors`: the entities within N hops of one entity.

use std::path::PathBuf;

use clap::{Args, ValueHint};
use kg::algo::{limits, neighbourhood};
use kg::answer::NeighbourhoodAnswer;
use kg::read::GraphReader as _;

use super::path::{GraphFormat, query};
use crate::cli::output::Output;
use crate::cli::render::{neighbourhood_dot, neighbourhood_text};
use crate::cli::store::StoreArgs;
use crate::cli::{Found, MAX_COUNT, count, names};

/// Show the entities within N hops of an entity and the facts among them, with their evidence.
#[derive(Debug, Args)]
pub struct NeighborsArgs {
    /// The centre (id, label or alias)
    name: String,

    /// Radius, in hops (1 to 20)
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = count(1, limits::MAX_HOPS))]
    hops: usize,

    /// Most entities listed, the centre included (the answer says when it is cut)
    #[arg(long, value_name = "N", default_value_t = 1000, value_parser = count(1, MAX_COUNT))]
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

    /// Write to FILE (replaced only when the command succeeds)
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    output: Option<PathBuf>,

    #[command(flatten)]
    store: StoreArgs,
}

pub fn run(args: &NeighborsArgs) -> anyhow::Result<Found> {
    let graph = args.store.open()?;
    let projection = graph.projection()?;
    let Some(centre) = names::entity(projection, &args.name)? else {
        return Ok(Found::Nothing);
    };
    let query = query(
        projection,
        graph.prefixes(),
        &args.via,
        &args.exclude,
        args.directed,
    )?;
    let found = neighbourhood(projection, centre, args.hops, args.max_nodes, &query);
    let answer = NeighbourhoodAnswer::new(projection, args.hops, &found);
    // Read page by page, the projection was checked where the answer touched it.
    projection.intact()?;
    let mut output = Output::open(args.output.as_deref())?;
    let out = output.writer();
    match args.format {
        GraphFormat::Text => neighbourhood_text(&answer, out)?,
        GraphFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &answer)?;
            writeln!(out)?;
        }
        GraphFormat::Dot => neighbourhood_dot(&answer, out)?,
    }
    output.commit()?;
    Ok(Found::from(found.nodes.len() > 1))
}
