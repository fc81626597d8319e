//! Answers rendered for people: text for the terminal and Graphviz DOT. Every label and value
//! goes through [`shown`], so control characters in the data reach the terminal escaped.

mod card;
mod neighbourhood;
mod paths;
mod rank;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use kg::algo::Truncation;
use kg::answer::{Evidence, Labelled, Qualifier, truncation_name};
use kg::export::escape::{dot_string, terminal};

pub use self::card::card_text;
pub use self::neighbourhood::{neighbourhood_dot, neighbourhood_text};
pub use self::paths::{paths_dot, paths_text};
pub use self::rank::rank_text;

/// Text from the data as the terminal shows it (control characters escaped).
pub fn shown(text: &str) -> Cow<'_, str> {
    terminal(text)
}

/// A file path as the terminal shows it: lossily decoded, control characters escaped (a file
/// name may hold an ESC or a line break).
pub fn shown_path(path: &Path) -> String {
    terminal(&path.to_string_lossy()).into_owned()
}

/// Longest typed name echoed whole in a message, in characters.
const ECHOED_CHARS: usize = 200;

/// A name someone typed, as messages echo it: quoted with `{:?}`'s escapes (control characters,
/// separators and bidirectional marks) and cut after 200 characters, saying how long it was.
pub fn quoted(name: &str) -> String {
    match name.char_indices().nth(ECHOED_CHARS) {
        None => format!("{name:?}"),
        Some((cut, _)) => format!("{:?}… ({} characters)", &name[..cut], name.chars().count()),
    }
}

/// What an inferred fact rests on, after its rule: `, from <evidence>`, or a note that the
/// facts of its derivation carry none (RDF inputs).
pub fn premises_evidence(evidence: &[Evidence]) -> String {
    if evidence.is_empty() {
        " (no evidence recorded for the facts it rests on)".to_owned()
    } else {
        format!(", from {}", evidence_text(evidence))
    }
}

/// The values stated on a fact, one `predicate: value` line each under its relation or hop.
pub fn write_qualifiers(out: &mut dyn Write, qualifiers: &[Qualifier]) -> io::Result<()> {
    for qualifier in qualifiers {
        writeln!(
            out,
            "      {}: {}",
            shown(&qualifier.predicate.label),
            shown(&qualifier.value)
        )?;
    }
    Ok(())
}

/// `document #sentence (date): “words”`, `; `-separated, or a note that the fact has none.
pub fn evidence_text(evidence: &[Evidence]) -> String {
    if evidence.is_empty() {
        return "(no evidence recorded)".to_owned();
    }
    evidence
        .iter()
        .map(|e| {
            let mut text = shown(&e.document).into_owned();
            if let Some(sentence) = e.sentence {
                let _ = write!(text, " #{sentence}");
            }
            if let Some(date) = &e.date {
                let _ = write!(text, " ({})", shown(date));
            }
            if let Some(words) = &e.text {
                let _ = write!(text, ": “{}”", shown(words));
            }
            text
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// ` (truncated: … reached)` for an answer a bound cut, naming the flag that raises the bound.
fn truncation_note(truncated_by: Option<&str>) -> String {
    let Some(bound) = truncated_by else {
        return String::new();
    };
    let flag = if bound == truncation_name(Truncation::MaxPaths) {
        " (--max-paths)"
    } else if bound == truncation_name(Truncation::MaxNodes) {
        " (--max-nodes)"
    } else {
        ""
    };
    format!(" (truncated: the {bound}{flag} was reached)")
}

/// Writes a DOT digraph of labelled edges; `highlighted` nodes are drawn bold.
fn write_dot(
    out: &mut dyn Write,
    name: &str,
    highlighted: &[Labelled],
    edges: &[(Labelled, String, Labelled)],
) -> io::Result<()> {
    writeln!(out, "digraph {name} {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(
        out,
        "  node [shape=box, style=rounded, fontname=\"Helvetica\"];"
    )?;
    writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];")?;
    let mut seen = BTreeSet::new();
    for node in highlighted {
        if seen.insert(node.iri.clone()) {
            writeln!(
                out,
                "  {} [label={}, penwidth=2];",
                dot_string(&node.iri),
                dot_string(&node.label)
            )?;
        }
    }
    for (from, _, to) in edges {
        for node in [from, to] {
            if seen.insert(node.iri.clone()) {
                writeln!(
                    out,
                    "  {} [label={}];",
                    dot_string(&node.iri),
                    dot_string(&node.label)
                )?;
            }
        }
    }
    let mut written = BTreeSet::new();
    for (from, label, to) in edges {
        if written.insert((from.iri.clone(), label.clone(), to.iri.clone())) {
            writeln!(
                out,
                "  {} -> {} [label={}];",
                dot_string(&from.iri),
                dot_string(&to.iri),
                dot_string(label)
            )?;
        }
    }
    writeln!(out, "}}")
}

/// `s` for counts other than one.
fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}
