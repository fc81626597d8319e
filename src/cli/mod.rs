//! The `kg` command line: one file per subcommand in [`commands`] (as xsv's `src/cmd/`), and
//! what they share — the store flag ([`store`]), output files ([`output`]), names typed on the
//! command line ([`names`]), progress on stderr ([`progress`]) and the text and DOT renderings
//! of answers ([`render`]).

// Doc comments here are the help text people read: plain words, not Markdown code spans.
#![allow(clippy::doc_markdown)]

mod commands;
mod names;
mod output;
mod progress;
mod render;
mod store;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};

use self::commands::{build, docs, export, generate, lookup, neighbors, path, push, query, rank};

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
    Push(push::PushArgs),
    Generate(generate::GenerateArgs),
    Completions(docs::CompletionsArgs),
    Man(docs::ManArgs),
}

/// Whether a command found what it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// Exit 0.
    Something,
    /// Exit 1: it ran fine but found nothing.
    Nothing,
}

impl Found {
    /// `Something` when `found`, else `Nothing`.
    fn from(found: bool) -> Self {
        if found {
            Self::Something
        } else {
            Self::Nothing
        }
    }
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
        Command::Push(args) => push::run(&args),
        Command::Generate(args) => generate::run(&args),
    }
}

/// A clap parser for a library enum known by name (`--format turtle`, `--by pagerank`): the
/// library owns the names, so the CLI mirrors no enum; help and completions list them.
fn by_name<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T> {
    described(all, name, |_| None)
}

/// As [`by_name`], each value with a line of help.
fn described<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
    help: fn(T) -> Option<&'static str>,
) -> impl TypedValueParser<Value = T> {
    let values = all.iter().map(move |&value| {
        let possible = PossibleValue::new(name(value));
        match help(value) {
            Some(help) => possible.help(help),
            None => possible,
        }
    });
    PossibleValuesParser::new(values).try_map(move |given: String| {
        all.iter()
            .copied()
            .find(|&value| name(value) == given)
            .ok_or_else(|| format!("unknown name {given:?}"))
    })
}
