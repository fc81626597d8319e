//! `kg lookup`: what the graph knows about one entity.

use std::io::Write;

use clap::{Args, ValueEnum};
use kg::lookup::{CardFilter, Direction, EntityCard, card};
use kg::report::evidence_text;
use oxigraph::model::NamedNode;

use super::{Found, StoreArgs, graph, output};

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
    #[arg(long, value_enum)]
    direction: Option<DirectionArg>,

    /// Output format
    #[arg(long, value_enum, default_value_t = CardFormat::Text)]
    format: CardFormat,

    #[command(flatten)]
    store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DirectionArg {
    In,
    Out,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CardFormat {
    Text,
    Json,
}

pub fn run(args: &LookupArgs) -> anyhow::Result<Found> {
    let (generation, meta, projection) = graph::open(&args.store)?;
    let Some(node) = graph::entity(&projection, &args.name)? else {
        return Ok(Found::Nothing);
    };
    let mut relations = Vec::new();
    for name in &args.relation {
        for p in graph::predicates(&projection, &meta.prefixes, name)? {
            relations.push(NamedNode::new(projection.predicate(p).iri)?);
        }
    }
    let filter = CardFilter {
        relations: (!args.relation.is_empty()).then_some(relations),
        direction: args.direction.map(|d| match d {
            DirectionArg::In => Direction::In,
            DirectionArg::Out => Direction::Out,
        }),
    };
    let entity = projection.node(node);
    let store = generation.open_store()?;
    let card = card(&store, &NamedNode::new(entity.iri())?, entity.id(), &filter)?;
    let mut out = output(None)?;
    match args.format {
        CardFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &card)?;
            writeln!(out)?;
        }
        CardFormat::Text => write_card(&mut out, &card)?,
    }
    out.flush()?;
    Ok(Found::Something)
}

fn write_card(out: &mut dyn Write, card: &EntityCard) -> std::io::Result<()> {
    let entity = &card.entity;
    writeln!(out, "{}  ({})", entity.label, entity.id)?;
    writeln!(out, "  iri:       {}", entity.iri)?;
    if !entity.types.is_empty() {
        let types: Vec<&str> = entity.types.iter().map(|t| t.label.as_str()).collect();
        writeln!(out, "  types:     {}", types.join(", "))?;
    }
    if !entity.aliases.is_empty() {
        writeln!(out, "  aliases:   {}", entity.aliases.join(", "))?;
    }
    if let Some(description) = &entity.description {
        writeln!(out, "  about:     {description}")?;
    }
    if !card.attributes.is_empty() {
        writeln!(out, "\nattributes:")?;
        for attribute in &card.attributes {
            writeln!(
                out,
                "  {}: {}    [{}]",
                attribute.predicate.label,
                attribute.value,
                evidence_text(&attribute.evidence)
            )?;
        }
    }
    for (direction, title) in [(Direction::Out, "relations"), (Direction::In, "incoming")] {
        let relations: Vec<_> = card
            .relations
            .iter()
            .filter(|r| r.direction == direction)
            .collect();
        if relations.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}:")?;
        let mut last = "";
        for relation in relations {
            if relation.predicate.label != last {
                last = &relation.predicate.label;
                match direction {
                    Direction::Out => writeln!(out, "  {last} →")?,
                    Direction::In => writeln!(out, "  ← {last}")?,
                }
            }
            writeln!(
                out,
                "    {}    [{}]",
                relation.node.label,
                evidence_text(&relation.evidence)
            )?;
        }
    }
    Ok(())
}
