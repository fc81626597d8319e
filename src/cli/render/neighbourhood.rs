//! `kg neighbors` for people: entities by distance, then the facts among them; or DOT.

use std::io::{self, Write};

use kg::answer::NeighbourhoodAnswer;

use super::{evidence_text, plural, shown, truncation_note, write_dot};

/// Entities by distance from the centre, then the facts among them with their evidence.
pub fn neighbourhood_text(answer: &NeighbourhoodAnswer, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "{} within {} hop{}: {} entities, {} facts{}",
        shown(&answer.centre.label),
        answer.hops,
        plural(answer.hops),
        answer.nodes.len(),
        answer.edges.len(),
        truncation_note(answer.truncated_by)
    )?;
    let mut distance = usize::MAX;
    for node in &answer.nodes {
        if node.distance != distance {
            distance = node.distance;
            writeln!(out, "\n{distance} hop{}:", plural(distance))?;
        }
        writeln!(out, "  {}", shown(&node.label))?;
    }
    writeln!(out, "\nfacts:")?;
    for edge in &answer.edges {
        writeln!(
            out,
            "  {}  —{}→  {}    [{}]",
            shown(&edge.from.label),
            shown(&edge.predicate.label),
            shown(&edge.to.label),
            evidence_text(&edge.evidence)
        )?;
    }
    Ok(())
}

/// A Graphviz picture of the neighbourhood, the centre drawn bold.
pub fn neighbourhood_dot(answer: &NeighbourhoodAnswer, out: &mut dyn Write) -> io::Result<()> {
    let edges: Vec<_> = answer
        .edges
        .iter()
        .map(|e| (e.from.clone(), e.predicate.label.clone(), e.to.clone()))
        .collect();
    write_dot(
        out,
        "neighbourhood",
        std::slice::from_ref(&answer.centre),
        &edges,
    )
}
