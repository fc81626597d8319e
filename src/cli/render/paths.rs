//! `kg path` for people: one block per path, one line per hop with its evidence; or DOT.

use std::io::{self, Write};

use kg::answer::PathsAnswer;

use super::{
    evidence_text, plural, premises_evidence, shown, truncation_note, write_dot, write_qualifiers,
};

/// One block per path, one line per hop with its evidence.
pub fn paths_text(answer: &PathsAnswer, out: &mut dyn Write) -> io::Result<()> {
    let count = answer.paths.len();
    writeln!(
        out,
        "{} → {}: {count} path{}{}",
        shown(&answer.from.label),
        shown(&answer.to.label),
        plural(count),
        truncation_note(answer.truncated_by)
    )?;
    for (i, path) in answer.paths.iter().enumerate() {
        writeln!(
            out,
            "\n{}. {} hop{}",
            i + 1,
            path.length,
            plural(path.length)
        )?;
        for hop in &path.hops {
            let label = shown(&hop.predicate.label);
            let arrow = if hop.direction == "forward" {
                format!("—{label}→")
            } else {
                format!("←{label}—")
            };
            writeln!(
                out,
                "   {}  {arrow}  {}",
                shown(&hop.from.label),
                shown(&hop.to.label)
            )?;
            match &hop.inferred {
                None => writeln!(out, "      {}", evidence_text(&hop.evidence))?,
                Some(rule) => writeln!(
                    out,
                    "      inferred by {}{}",
                    shown(rule),
                    premises_evidence(&hop.evidence)
                )?,
            }
            write_qualifiers(out, &hop.qualifiers)?;
        }
    }
    Ok(())
}

/// A Graphviz picture of the paths, each fact drawn from its subject to its object.
pub fn paths_dot(answer: &PathsAnswer, out: &mut dyn Write) -> io::Result<()> {
    let mut edges = Vec::new();
    for path in &answer.paths {
        for hop in &path.hops {
            let (subject, object) = if hop.direction == "forward" {
                (&hop.from, &hop.to)
            } else {
                (&hop.to, &hop.from)
            };
            edges.push((subject.clone(), hop.predicate.label.clone(), object.clone()));
        }
    }
    let ends = [answer.from.clone(), answer.to.clone()];
    write_dot(out, "path", &ends, &edges)
}
