//! `kg rank`: who matters in the story.

use clap::{Args, ValueEnum};
use kg::algo::rank;
use kg::answer::{RankAnswer, RankBy, rank_options};
use kg::read::GraphReader as _;

use crate::cli::output::Output;
use crate::cli::render::rank_text;
use crate::cli::store::StoreArgs;
use crate::cli::{Found, MAX_COUNT, by_name, count};

/// Rank entities by degree, PageRank or betweenness centrality (the brokers of the story).
///
/// PageRank and betweenness see each fact as a link both ways between its subject and its
/// object (as kg path walks), or with --directed from subject to object only; facts of a
/// relation the ontology declares owl:SymmetricProperty link both ways in either case. Two
/// entities are linked once however many facts link them. Degree counts facts.
#[derive(Debug, Args)]
pub struct RankArgs {
    /// The score to sort by
    #[arg(long, value_parser = by_name(&RankBy::ALL, RankBy::name), default_value = "betweenness")]
    by: RankBy,

    /// Follow facts only from subject to object (symmetric relations still both ways)
    #[arg(long)]
    directed: bool,

    /// How many entities to list (1 or more)
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = count(1, MAX_COUNT))]
    top: usize,

    /// Output format
    #[arg(long, value_enum, default_value_t = RankFormat::Text)]
    format: RankFormat,

    /// Write to FILE (replaced only when the command succeeds)
    #[arg(long, short, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    output: Option<std::path::PathBuf>,

    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RankFormat {
    Text,
    Json,
}

pub fn run(args: &RankArgs) -> anyhow::Result<Found> {
    let graph = args.store.open()?;
    let projection = graph.projection()?;
    let options = rank_options(&graph, projection, args.directed)?;
    let ranking = rank(projection, &options);
    let answer = RankAnswer::new(projection, &ranking, args.by, args.top);
    // Read page by page, the projection was checked where the answer touched it.
    projection.intact()?;
    let mut output = Output::open(args.output.as_deref())?;
    let out = output.writer();
    match args.format {
        RankFormat::Text => rank_text(&answer, out)?,
        RankFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &answer)?;
            writeln!(out)?;
        }
    }
    output.commit()?;
    Ok(Found::from(!answer.entities.is_empty()))
}
