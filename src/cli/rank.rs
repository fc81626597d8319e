//! `kg rank`: who matters in the story.

use std::io::Write as _;

use clap::{Args, ValueEnum};
use kg::rank::rank;
use kg::report::{RankAnswer, RankBy};

use super::{Found, StoreArgs, graph, output};

/// Rank entities by degree, PageRank or betweenness centrality (the brokers of the story).
#[derive(Debug, Args)]
pub struct RankArgs {
    /// The score to sort by
    #[arg(long, value_enum, default_value_t = By::Betweenness)]
    by: By,

    /// How many entities to list
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,

    /// Output format
    #[arg(long, value_enum, default_value_t = RankFormat::Text)]
    format: RankFormat,

    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum By {
    Degree,
    Pagerank,
    Betweenness,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RankFormat {
    Text,
    Json,
}

pub fn run(args: &RankArgs) -> anyhow::Result<Found> {
    let (_, _, projection) = graph::open(&args.store)?;
    let ranking = rank(&projection);
    let by = match args.by {
        By::Degree => RankBy::Degree,
        By::Pagerank => RankBy::Pagerank,
        By::Betweenness => RankBy::Betweenness,
    };
    let answer = RankAnswer::new(&projection, &ranking, by, args.top);
    let mut out = output(None)?;
    match args.format {
        RankFormat::Text => answer.write_text(&mut out)?,
        RankFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &answer)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(if answer.entities.is_empty() {
        Found::Nothing
    } else {
        Found::Something
    })
}
