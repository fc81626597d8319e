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

use clap::builder::{PossibleValue, PossibleValuesParser, RangedU64ValueParser, TypedValueParser};
use clap::{Parser, Subcommand};

#[cfg(feature = "serve")]
use self::commands::serve;
use self::commands::{
    build, docs, explain, export, facts, generate, ingest, lookup, neighbors, path, push, query,
    rank, sentences, timeline, validate,
};

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
    Explain(explain::ExplainArgs),
    Export(export::ExportArgs),
    Validate(validate::ValidateArgs),
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    Push(push::PushArgs),
    Generate(generate::GenerateArgs),
    Ingest(ingest::IngestArgs),
    Sentences(sentences::SentencesArgs),
    Facts(facts::FactsArgs),
    Timeline(timeline::TimelineArgs),
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
        Command::Explain(args) => explain::run(&args),
        Command::Completions(args) => docs::completions(&args),
        Command::Man(args) => docs::man(&args),
        Command::Export(args) => export::run(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&args),
        Command::Push(args) => push::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::Ingest(args) => ingest::run(&args),
        Command::Sentences(args) => sentences::run(&args),
        Command::Facts(args) => facts::run(&args),
        Command::Timeline(args) => timeline::run(&args),
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

/// The largest count a flag takes where any number makes sense (`--top`, `--max-nodes`): the
/// projection holds at most 2³² − 1 entities.
const MAX_COUNT: usize = 4_294_967_295;

/// A clap parser for a count flag (`--hops`, `--top`, ...): a whole number from `min` to `max`.
/// Anything else — negative, fractional, `NaN`, `inf`, past 2⁶⁴ or out of the range — is clap's
/// error naming the flag and the range (exit 2).
fn count(min: usize, max: usize) -> impl TypedValueParser<Value = usize> {
    let wide = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    RangedU64ValueParser::<u64>::new()
        .range(wide(min)..=wide(max))
        .try_map(usize::try_from)
}

/// As [`count`], a whole number from `min` to `max` kept as `u64` (sizes, seeds).
fn number(min: u64, max: u64) -> RangedU64ValueParser<u64> {
    RangedU64ValueParser::<u64>::new().range(min..=max)
}
