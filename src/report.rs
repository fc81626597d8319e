//! The answers of `kg path`, `kg neighbors` and `kg rank` as data: the JSON shapes documented in
//! the README (stable: tests deserialise them), and their text and DOT renderings.

use std::fmt::Write as _;
use std::io::{self, Write};

use serde::Serialize;

use crate::graph::{Evidence, Projection, Step};
use crate::lookup::Labelled;
use crate::paths::{Neighbourhood, Paths, Truncation};
use crate::rank::Ranking;

/// A node as answers show it.
fn node(projection: &Projection, node: u32) -> Labelled {
    let node = projection.node(node);
    Labelled {
        iri: node.iri().to_owned(),
        label: node.label().to_owned(),
    }
}

fn predicate(projection: &Projection, edge: u32) -> Labelled {
    let term = projection.predicate(projection.edge(edge).predicate());
    Labelled {
        iri: term.iri.to_owned(),
        label: term.label.to_owned(),
    }
}

/// One hop of a path.
#[derive(Debug, Clone, Serialize)]
pub struct Hop {
    /// Where the hop starts.
    pub from: Labelled,
    /// The relation walked.
    pub predicate: Labelled,
    /// Where it ends.
    pub to: Labelled,
    /// `forward` when walked from the fact's subject to its object, else `backward`.
    pub direction: &'static str,
    /// Where the fact is stated.
    pub evidence: Vec<Evidence>,
}

/// One path.
#[derive(Debug, Clone, Serialize)]
pub struct PathAnswer {
    /// Hops.
    pub length: usize,
    /// The hops, in order.
    pub hops: Vec<Hop>,
}

/// The answer of `kg path`.
#[derive(Debug, Clone, Serialize)]
pub struct PathsAnswer {
    /// Start.
    pub from: Labelled,
    /// End.
    pub to: Labelled,
    /// Whether a bound cut the answer.
    pub truncated: bool,
    /// Which bound, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated_by: Option<&'static str>,
    /// The paths, shortest first.
    pub paths: Vec<PathAnswer>,
}

fn truncation_name(truncation: Truncation) -> &'static str {
    match truncation {
        Truncation::Budget => "work budget",
        Truncation::MaxPaths => "maximum number of paths",
        Truncation::MaxNodes => "maximum number of nodes",
    }
}

fn hop(projection: &Projection, from: u32, step: Step) -> Hop {
    Hop {
        from: node(projection, from),
        predicate: predicate(projection, step.edge),
        to: node(projection, step.node),
        direction: if step.forward { "forward" } else { "backward" },
        evidence: projection.edge(step.edge).evidence().collect(),
    }
}

impl PathsAnswer {
    /// Describes found paths.
    pub fn new(projection: &Projection, from: u32, to: u32, found: &Paths) -> Self {
        let paths = found
            .paths
            .iter()
            .map(|path| {
                let mut at = path.start;
                let hops = path
                    .steps
                    .iter()
                    .map(|&step| {
                        let h = hop(projection, at, step);
                        at = step.node;
                        h
                    })
                    .collect();
                PathAnswer {
                    length: path.len(),
                    hops,
                }
            })
            .collect();
        Self {
            from: node(projection, from),
            to: node(projection, to),
            truncated: false,
            truncated_by: None,
            paths,
        }
        .with_truncation(found.truncated)
    }

    fn with_truncation(mut self, truncation: Option<Truncation>) -> Self {
        if let Some(t) = truncation {
            self.truncated = true;
            self.truncated_by = Some(truncation_name(t));
        }
        self
    }

    /// People's reading: one block per path, one line per hop with its evidence.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let count = self.paths.len();
        writeln!(
            out,
            "{} → {}: {count} path{}{}",
            self.from.label,
            self.to.label,
            if count == 1 { "" } else { "s" },
            self.truncated_by
                .map(|b| format!(" (truncated: {b} reached)"))
                .unwrap_or_default()
        )?;
        for (i, path) in self.paths.iter().enumerate() {
            writeln!(
                out,
                "\n{}. {} hop{}",
                i + 1,
                path.length,
                if path.length == 1 { "" } else { "s" }
            )?;
            for hop in &path.hops {
                let arrow = if hop.direction == "forward" {
                    format!("—{}→", hop.predicate.label)
                } else {
                    format!("←{}—", hop.predicate.label)
                };
                writeln!(out, "   {}  {arrow}  {}", hop.from.label, hop.to.label)?;
                writeln!(out, "      {}", evidence_text(&hop.evidence))?;
            }
        }
        Ok(())
    }

    /// A Graphviz picture of the paths.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_dot(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut edges = Vec::new();
        for path in &self.paths {
            for hop in &path.hops {
                let (subject, object) = if hop.direction == "forward" {
                    (&hop.from, &hop.to)
                } else {
                    (&hop.to, &hop.from)
                };
                edges.push((subject.clone(), hop.predicate.label.clone(), object.clone()));
            }
        }
        let ends = [self.from.clone(), self.to.clone()];
        write_dot(out, "path", &ends, &edges)
    }
}

/// `document #sentence (date)`, comma-separated, or a note that the fact has none.
pub fn evidence_text(evidence: &[Evidence]) -> String {
    if evidence.is_empty() {
        return "(no evidence recorded)".to_owned();
    }
    evidence
        .iter()
        .map(|e| {
            let mut text = e.document.clone();
            if let Some(sentence) = e.sentence {
                let _ = write!(text, " #{sentence}");
            }
            if let Some(date) = &e.date {
                let _ = write!(text, " ({date})");
            }
            if let Some(words) = &e.text {
                let _ = write!(text, ": “{words}”");
            }
            text
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A node of a neighbourhood.
#[derive(Debug, Clone, Serialize)]
pub struct NeighbourNode {
    /// IRI.
    pub iri: String,
    /// Label.
    pub label: String,
    /// Hops from the centre.
    pub distance: usize,
}

/// An edge of a neighbourhood.
#[derive(Debug, Clone, Serialize)]
pub struct NeighbourEdge {
    /// Subject.
    pub from: Labelled,
    /// Relation.
    pub predicate: Labelled,
    /// Object.
    pub to: Labelled,
    /// Where it is stated.
    pub evidence: Vec<Evidence>,
}

/// The answer of `kg neighbors`.
#[derive(Debug, Clone, Serialize)]
pub struct NeighbourhoodAnswer {
    /// The centre.
    pub centre: Labelled,
    /// The radius asked for.
    pub hops: usize,
    /// Whether a bound cut the answer.
    pub truncated: bool,
    /// Which bound, when one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated_by: Option<&'static str>,
    /// Nodes, nearest first.
    pub nodes: Vec<NeighbourNode>,
    /// Edges among them.
    pub edges: Vec<NeighbourEdge>,
}

impl NeighbourhoodAnswer {
    /// Describes a neighbourhood.
    pub fn new(projection: &Projection, hops: usize, found: &Neighbourhood) -> Self {
        let centre = found.nodes.first().map_or(0, |(n, _)| *n);
        Self {
            centre: node(projection, centre),
            hops,
            truncated: found.truncated.is_some(),
            truncated_by: found.truncated.map(truncation_name),
            nodes: found
                .nodes
                .iter()
                .map(|&(n, distance)| {
                    let labelled = node(projection, n);
                    NeighbourNode {
                        iri: labelled.iri,
                        label: labelled.label,
                        distance,
                    }
                })
                .collect(),
            edges: found
                .edges
                .iter()
                .map(|&e| {
                    let edge = projection.edge(e);
                    NeighbourEdge {
                        from: node(projection, edge.source()),
                        predicate: predicate(projection, e),
                        to: node(projection, edge.target()),
                        evidence: edge.evidence().collect(),
                    }
                })
                .collect(),
        }
    }

    /// People's reading: nodes by distance, then the facts among them.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "{} within {} hop{}: {} entities, {} facts{}",
            self.centre.label,
            self.hops,
            if self.hops == 1 { "" } else { "s" },
            self.nodes.len(),
            self.edges.len(),
            self.truncated_by
                .map(|b| format!(" (truncated: {b} reached)"))
                .unwrap_or_default()
        )?;
        let mut distance = usize::MAX;
        for node in &self.nodes {
            if node.distance != distance {
                distance = node.distance;
                writeln!(
                    out,
                    "\n{distance} hop{}:",
                    if distance == 1 { "" } else { "s" }
                )?;
            }
            writeln!(out, "  {}", node.label)?;
        }
        writeln!(out, "\nfacts:")?;
        for edge in &self.edges {
            writeln!(
                out,
                "  {}  —{}→  {}    [{}]",
                edge.from.label,
                edge.predicate.label,
                edge.to.label,
                evidence_text(&edge.evidence)
            )?;
        }
        Ok(())
    }

    /// A Graphviz picture of the neighbourhood.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_dot(&self, out: &mut dyn Write) -> io::Result<()> {
        let edges: Vec<_> = self
            .edges
            .iter()
            .map(|e| (e.from.clone(), e.predicate.label.clone(), e.to.clone()))
            .collect();
        write_dot(
            out,
            "neighbourhood",
            std::slice::from_ref(&self.centre),
            &edges,
        )
    }
}

/// Writes a DOT digraph; `highlighted` nodes are drawn bold.
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
    let mut seen = std::collections::BTreeSet::new();
    for node in highlighted {
        if seen.insert(node.iri.clone()) {
            writeln!(
                out,
                "  {} [label={}, penwidth=2];",
                dot_id(&node.iri),
                dot_id(&node.label)
            )?;
        }
    }
    for (from, _, to) in edges {
        for node in [from, to] {
            if seen.insert(node.iri.clone()) {
                writeln!(
                    out,
                    "  {} [label={}];",
                    dot_id(&node.iri),
                    dot_id(&node.label)
                )?;
            }
        }
    }
    let mut written = std::collections::BTreeSet::new();
    for (from, label, to) in edges {
        if written.insert((from.iri.clone(), label.clone(), to.iri.clone())) {
            writeln!(
                out,
                "  {} -> {} [label={}];",
                dot_id(&from.iri),
                dot_id(&to.iri),
                dot_id(label)
            )?;
        }
    }
    writeln!(out, "}}")
}

/// A DOT double-quoted string: backslashes and quotes escaped, line breaks as `\n`, other
/// control characters dropped.
pub fn dot_id(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One entity's scores.
#[derive(Debug, Clone, Serialize)]
pub struct RankEntry {
    /// IRI.
    pub iri: String,
    /// Label.
    pub label: String,
    /// Facts it takes part in.
    pub degree: usize,
    /// Facts with it as object.
    pub in_degree: usize,
    /// Facts with it as subject.
    pub out_degree: usize,
    /// `PageRank`.
    pub pagerank: f64,
    /// Normalised betweenness.
    pub betweenness: f64,
}

/// The answer of `kg rank`.
#[derive(Debug, Clone, Serialize)]
pub struct RankAnswer {
    /// The score entities are sorted by.
    pub by: &'static str,
    /// Whether betweenness is exact (else estimated from sampled sources).
    pub exact_betweenness: bool,
    /// The top entities.
    pub entities: Vec<RankEntry>,
}

/// What `kg rank` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankBy {
    /// Degree.
    Degree,
    /// `PageRank`.
    Pagerank,
    /// Betweenness.
    Betweenness,
}

impl RankAnswer {
    /// The `top` entities by `by` (ties broken by label).
    pub fn new(projection: &Projection, ranking: &Ranking, by: RankBy, top: usize) -> Self {
        let mut scores: Vec<_> = ranking.scores.iter().collect();
        let key = |s: &crate::rank::Scores| match by {
            RankBy::Degree => s.degree() as f64,
            RankBy::Pagerank => s.pagerank,
            RankBy::Betweenness => s.betweenness,
        };
        scores.sort_by(|a, b| {
            key(b).total_cmp(&key(a)).then_with(|| {
                projection
                    .node(a.node)
                    .label()
                    .cmp(projection.node(b.node).label())
            })
        });
        Self {
            by: match by {
                RankBy::Degree => "degree",
                RankBy::Pagerank => "pagerank",
                RankBy::Betweenness => "betweenness",
            },
            exact_betweenness: ranking.exact_betweenness,
            entities: scores
                .into_iter()
                .take(top)
                .map(|s| {
                    let n = node(projection, s.node);
                    RankEntry {
                        iri: n.iri,
                        label: n.label,
                        degree: s.degree(),
                        in_degree: s.in_degree,
                        out_degree: s.out_degree,
                        pagerank: s.pagerank,
                        betweenness: s.betweenness,
                    }
                })
                .collect(),
        }
    }

    /// People's reading: a table.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write_text(&self, out: &mut dyn Write) -> io::Result<()> {
        let header = ["#", "entity", "degree", "pagerank", "betweenness"].map(String::from);
        let rows: Vec<Vec<Option<String>>> = self
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| {
                vec![
                    Some((i + 1).to_string()),
                    Some(e.label.clone()),
                    Some(e.degree.to_string()),
                    Some(format!("{:.4}", e.pagerank)),
                    Some(format!("{:.4}", e.betweenness)),
                ]
            })
            .collect();
        crate::query::write_table(out, &header, &rows)?;
        if !self.exact_betweenness {
            writeln!(
                out,
                "betweenness estimated from a sample of sources (large graph)"
            )?;
        }
        Ok(())
    }
}
