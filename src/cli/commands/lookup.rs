//! `kg lookup`: what the graph knows about one entity.

use clap::{Args, ValueEnum};
use kg::answer::{CardFilter, Direction, card};
use kg::read::GraphReader as _;
use oxigraph::model::NamedNode;

use crate::cli::output::Output;
use crate::cli::render::card_text;
use crate::cli::store::StoreArgs;
use crate::cli::{Found, by_name, names};

/// Show an entity's card: classes, labels, aliases, description, attributes, and its relations
/// with the evidence for each.
///
/// NAME is an id, a label or an alias; case and diacritics do not matter (zelensky, Zelenskiy,
/// ZELENSKYY). Exits 1 when no entity has that name (the closest are suggested), 2 when several do.
#[derive(Debug, Args)]
pub struct LookupArgs {
    /// The entity
    name: String,

    /// Only this relation (a label, local name, prefixed name or IRI); repeatable
    #[arg(long, value_name = "RELATION")]
    relation: Vec<String>,

    /// Only relations in this direction
    #[arg(long, value_parser = by_name(&Direction::ALL, Direction::name))]
    direction: Option<Direction>,

    /// Output format
    #[arg(long, value_enum, default_value_t = CardFormat::Text)]
    format: CardFormat,

    /// Write to FILE (replaced only when the command succeeds)
    #[arg(long, short, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    output: Option<std::path::PathBuf>,

    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CardFormat {
    Text,
    Json,
}

pub fn run(args: &LookupArgs) -> anyhow::Result<Found> {
    let graph = args.store.open()?;
    let projection = graph.projection()?;
    let Some(node) = names::entity(projection, &args.name)? else {
        return Ok(Found::Nothing);
    };
    let mut relations = Vec::new();
    for p in names::relations(projection, graph.prefixes(), &args.relation, "--relation")? {
        relations.push(NamedNode::new(projection.predicate(p).iri)?);
    }
    let filter = CardFilter {
        relations: (!args.relation.is_empty()).then_some(relations),
        direction: args.direction,
    };
    let entity = projection.node(node);
    let card = card(&graph, &NamedNode::new(entity.iri())?, entity.id(), &filter)?;
    // Read page by page, the projection was checked where the answer touched it.
    projection.intact()?;
    let mut output = Output::open(args.output.as_deref())?;
    let out = output.writer();
    match args.format {
        CardFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &card)?;
            writeln!(out)?;
        }
        CardFormat::Text => card_text(&card, out)?,
    }
    output.commit()?;
    Ok(Found::Something)
}
