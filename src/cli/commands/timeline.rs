//! `kg timeline [NAME]`: dated facts and events in order, with their evidence and precision.

use std::path::PathBuf;

use clap::{Args, ValueEnum, ValueHint};
use kg::extract::timeline::timeline;
use kg::read::GraphReader as _;

use crate::cli::output::Output;
use crate::cli::render::{evidence_text, shown};
use crate::cli::store::StoreArgs;
use crate::cli::{Found, names};

/// List dated facts and events in order: each date with how precise it is (day, month, year, a
/// month of an unstated year), what it dates and the evidence; dates given only in words
/// ("over the weekend", from properties the ontology marks kg:describesTime) come last.
///
/// With NAME, only entries about that entity. Exits 1, saying why on stderr, when there is
/// nothing to list.
#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Only entries about this entity (id, label or alias)
    name: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = TimelineFormat::Text)]
    format: TimelineFormat,

    /// Write to FILE (replaced only when the command succeeds)
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    output: Option<PathBuf>,

    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TimelineFormat {
    Text,
    Json,
}

pub fn run(args: &TimelineArgs) -> anyhow::Result<Found> {
    let graph = args.store.open()?;
    let about = match &args.name {
        Some(name) => {
            let projection = graph.projection()?;
            let Some(node) = names::entity(projection, name)? else {
                return Ok(Found::Nothing);
            };
            let node = projection.node(node);
            let described = format!("{} ({})", shown(node.label()), shown(node.id()));
            let about = (node.iri().to_owned(), described);
            projection.intact()?;
            Some(about)
        }
        None => None,
    };
    let answer = timeline(&graph, about.as_ref().map(|(iri, _)| iri.as_str()))?;
    if answer.entries.is_empty() {
        // Exit 1 with a reason, not in silence; stdout still gets the (empty) data.
        match &about {
            Some((_, described)) => eprintln!(
                "kg: no dated facts or events about {described}: no fact about it has a date \
                 (a `date` cell) or a date in words"
            ),
            None => eprintln!("kg: the graph has no dated facts or events"),
        }
    }
    let mut output = Output::open(args.output.as_deref())?;
    let out = output.writer();
    match args.format {
        TimelineFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &answer)?;
            writeln!(out)?;
        }
        TimelineFormat::Text => {
            for entry in &answer.entries {
                let when = match (&entry.date, &entry.words) {
                    (Some(date), _) => format!("{} ({})", shown(date), entry.precision),
                    (None, Some(words)) => format!("“{}” (in words)", shown(words)),
                    (None, None) => "undated".to_owned(),
                };
                writeln!(out, "{when}  {}", shown(&entry.subject.label))?;
                for fact in &entry.facts {
                    writeln!(
                        out,
                        "    {} {}",
                        shown(&fact.predicate.label),
                        shown(&fact.object.label)
                    )?;
                }
                if !entry.evidence.is_empty() {
                    writeln!(out, "    [{}]", evidence_text(&entry.evidence))?;
                }
            }
        }
    }
    output.commit()?;
    Ok(Found::from(!answer.entries.is_empty()))
}
