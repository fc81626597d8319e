//! Subcommands, one file each (as xsv's `src/cmd/`), and what they share: the store flag, output
//! files and formats, progress on stderr.

// Doc comments here are the help text people read: plain words, not Markdown code spans.
#![allow(clippy::doc_markdown)]

mod build;
mod docs;
mod export;
mod generate;
mod graph;
mod lookup;
mod neighbors;
mod path;
mod query;
mod rank;
mod report;

use std::io::{self, IsTerminal as _, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand, ValueHint};
use kg::store::{Generation, Meta, StoreDir};

/// Build a knowledge graph from CSV facts and an OWL ontology; ask it with SPARQL.
///
/// With no data given, kg uses its embedded default: the late-2025 US–Russia–Ukraine peace talks.
#[derive(Debug, Parser)]
#[command(
    name = "kg",
    version,
    about,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Build(build::BuildArgs),
    Query(query::QueryArgs),
    Lookup(lookup::LookupArgs),
    Path(path::PathArgs),
    Neighbors(neighbors::NeighborsArgs),
    Rank(rank::RankArgs),
    Export(export::ExportArgs),
    Generate(generate::GenerateArgs),
    Completions(docs::CompletionsArgs),
    Man(docs::ManArgs),
}

/// The store every command reads or writes.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The store folder [default: ./kg-store]
    #[arg(long, env = "KG_STORE", value_name = "DIR", value_hint = ValueHint::DirPath)]
    store: Option<PathBuf>,
}

/// The default store folder, in the current directory.
const DEFAULT_STORE: &str = "kg-store";

impl StoreArgs {
    fn dir(&self) -> StoreDir {
        StoreDir::new(
            self.store
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_STORE)),
        )
    }

    /// The current generation. When no graph was built in the default folder yet, the embedded
    /// default is built first, so `kg query` works out of the box; an explicit `--store` that was
    /// never built is an error.
    fn open(&self) -> anyhow::Result<(Generation, Meta)> {
        let store = self.dir();
        if self.store.is_none() && !store.is_built() {
            let mut stderr = io::stderr();
            let _ = writeln!(
                stderr,
                "kg: no graph in {} yet: building the embedded peace-talks graph first",
                store.root().display()
            );
            build::build_embedded(&store)?;
        }
        let generation = store.current()?;
        let meta = generation.meta()?;
        Ok((generation, meta))
    }
}

/// Whether a command found what it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Exit 0.
    Something,
    /// Exit 1: it ran fine but found nothing.
    Nothing,
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Found> {
    match cli.command {
        Command::Build(args) => build::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Lookup(args) => lookup::run(&args),
        Command::Path(args) => path::run(&args),
        Command::Neighbors(args) => neighbors::run(&args),
        Command::Rank(args) => rank::run(&args),
        Command::Completions(args) => docs::completions(&args),
        Command::Man(args) => docs::man(&args),
        Command::Export(args) => export::run(&args),
        Command::Generate(args) => generate::run(&args),
    }
}

/// Where data goes: a file (`-o FILE`) or stdout.
fn output(path: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    Ok(match path {
        Some(path) => Box::new(io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    })
}

/// Whether stdout is a terminal (for the default format).
fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}
