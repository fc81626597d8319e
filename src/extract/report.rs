//! The short report of an ingest: what was kept and dropped, what was linked, what is ambiguous
//! or new, and what waits for review — Markdown, written as `report.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Analysis;
use super::candidates::Candidates;

/// The report, in Markdown.
pub fn markdown(analysis: &Analysis, candidates: &Candidates) -> String {
    let mut out = String::new();
    let doc = &analysis.document;
    let _ = writeln!(out, "# kg ingest: {}\n", doc.id);
    if let Some(title) = &doc.title {
        let _ = writeln!(out, "Title: {title}  ");
    }
    let _ = writeln!(
        out,
        "Date: {}  ",
        doc.date
            .as_deref()
            .unwrap_or("unknown (relative dates are left unresolved; give --date)")
    );
    let _ = writeln!(
        out,
        "Kept text: {} sentences, sha256 {}\n",
        doc.sentence_count, doc.sha256
    );

    dropped_lines(analysis, &mut out);
    mentions(analysis, &mut out);
    found(analysis, &mut out);
    let quotations = candidates.quotations.as_ref().map_or(0, |t| t.rows.len());
    let _ = writeln!(
        out,
        "\n## Candidates\n\n{} new entities, {} facts, {} quotations, all `proposed`.\n\n\
         Next: `kg ingest --review DIR` to accept or reject each, then `kg ingest --accept DIR -o DATA`, \
         then `kg build --data DATA`.",
        candidates.entities.rows.len(),
        candidates.relations.rows.len(),
        quotations
    );
    out
}

fn dropped_lines(analysis: &Analysis, out: &mut String) {
    let _ = writeln!(out, "## Dropped lines\n");
    if analysis.header.is_empty() && analysis.residue.is_empty() {
        let _ = writeln!(out, "None.\n");
    }
    for line in analysis.header.iter().chain(&analysis.residue) {
        let _ = writeln!(out, "- line {} ({}): {}", line.line, line.rule, line.text);
    }
    if !(analysis.header.is_empty() && analysis.residue.is_empty()) {
        out.push('\n');
    }
}

fn mentions(analysis: &Analysis, out: &mut String) {
    let mut linked: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &analysis.mentions {
        if let Some(entity) = &m.entity {
            *linked.entry(entity.as_str()).or_default() += 1;
        }
    }
    let _ = writeln!(
        out,
        "## Mentions\n\n{} mentions of {} known entities: {}\n",
        linked.values().sum::<usize>(),
        linked.len(),
        linked
            .iter()
            .map(|(e, n)| format!("{e} ×{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let ambiguous: Vec<_> = analysis
        .mentions
        .iter()
        .filter(|m| !m.ambiguous.is_empty())
        .collect();
    if !ambiguous.is_empty() {
        let _ = writeln!(
            out,
            "Ambiguous (not linked; decide in review or add a row):\n"
        );
        for m in ambiguous {
            let _ = writeln!(
                out,
                "- “{}” in sentence {}: {}",
                m.text,
                m.sentence.map_or_else(|| "-".to_owned(), |n| n.to_string()),
                m.ambiguous.join(" or ")
            );
        }
        out.push('\n');
    }
    if !analysis.new_entities.is_empty() {
        let _ = writeln!(out, "New names (class guessed from a cue):\n");
        for new in &analysis.new_entities {
            let _ = writeln!(
                out,
                "- {} → {} `{}` (cue “{}”)",
                new.label, new.class_guess, new.id, new.cue
            );
        }
        out.push('\n');
    }
}

fn found(analysis: &Analysis, out: &mut String) {
    let _ = writeln!(out, "## Quotations\n");
    for q in &analysis.quotations {
        let who = q
            .speaker
            .as_deref()
            .or(q.speaker_text.as_deref())
            .unwrap_or("unknown");
        let _ = writeln!(out, "- {who} ({}): “{}”", q.form, q.text);
    }
    let _ = writeln!(out, "\n## Dates\n");
    for d in &analysis.dates {
        let _ = writeln!(
            out,
            "- “{}” → {} ({})",
            d.text,
            d.date.value.as_deref().unwrap_or("no value"),
            d.date.precision.name()
        );
    }
    if !analysis.numbers.is_empty() {
        let _ = writeln!(out, "\n## Quantities\n");
        for n in &analysis.numbers {
            let _ = writeln!(
                out,
                "- “{}” → {} {}",
                n.text, n.quantity.value, n.quantity.unit
            );
        }
    }
}
