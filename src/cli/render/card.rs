//! `kg lookup` for people: an entity's card.

use std::io::{self, Write};

use kg::answer::{Direction, EntityCard};

use super::{evidence_text, premises_evidence, shown, write_qualifiers};

/// The card: names and classes, attributes, then relations out and in, grouped by relation.
pub fn card_text(card: &EntityCard, out: &mut dyn Write) -> io::Result<()> {
    let entity = &card.entity;
    writeln!(out, "{}  ({})", shown(&entity.label), shown(&entity.id))?;
    writeln!(out, "  iri:       {}", shown(&entity.iri))?;
    if !entity.types.is_empty() {
        // Classes of several vocabularies often share a label (pto:Person, foaf:Person,
        // schema:Person): the text names each once; JSON keeps every IRI.
        let mut types: Vec<_> = entity.types.iter().map(|t| shown(&t.label)).collect();
        types.sort_by_cached_key(|t| t.to_lowercase());
        types.dedup_by(|a, b| a.to_lowercase() == b.to_lowercase());
        writeln!(out, "  types:     {}", types.join(", "))?;
    }
    if !entity.aliases.is_empty() {
        let aliases: Vec<_> = entity.aliases.iter().map(|a| shown(a)).collect();
        writeln!(out, "  aliases:   {}", aliases.join(", "))?;
    }
    if let Some(description) = &entity.description {
        writeln!(out, "  about:     {}", shown(description))?;
    }
    if !card.attributes.is_empty() {
        writeln!(out, "\nattributes:")?;
        for attribute in &card.attributes {
            writeln!(
                out,
                "  {}: {}    [{}]",
                shown(&attribute.predicate.label),
                shown(&attribute.value),
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
                    Direction::Out => writeln!(out, "  {} →", shown(last))?,
                    Direction::In => writeln!(out, "  ← {}", shown(last))?,
                }
            }
            match &relation.inferred {
                None => writeln!(
                    out,
                    "    {}    [{}]",
                    shown(&relation.node.label),
                    evidence_text(&relation.evidence)
                )?,
                Some(rule) => writeln!(
                    out,
                    "    {}    [inferred by {}{}]",
                    shown(&relation.node.label),
                    shown(rule),
                    premises_evidence(&relation.evidence)
                )?,
            }
            write_qualifiers(out, &relation.qualifiers)?;
        }
    }
    Ok(())
}
