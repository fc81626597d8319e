//! Cutting a graph into batches for the server, and writing a batch as an N-Triples body or an
//! `INSERT DATA` update.
//!
//! A blank node is local to the document (or update) that carries it: two requests that both
//! mention `_:b1` make two nodes. So triples with blank nodes are held back, grouped into the
//! connected parts that share blank nodes, and each part goes whole into one batch (a part
//! larger than the batch size makes a batch of its own). Triples without blank nodes stream
//! through in batches of the chosen size; memory is one batch plus the blank-node triples.

use std::collections::HashMap;
use std::fmt::Write as _;

use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};

/// Cuts triples into batches.
pub struct Batcher {
    size: usize,
    current: Vec<Triple>,
    held: Vec<Triple>,
}

impl Batcher {
    /// Batches of `size` triples (at least 1).
    pub fn new(size: usize) -> Self {
        Self {
            size: size.max(1),
            current: Vec::new(),
            held: Vec::new(),
        }
    }

    /// Takes a triple; gives back a full batch when one is ready.
    pub fn push(&mut self, triple: Triple) -> Option<Vec<Triple>> {
        if has_blank_node(&triple) {
            self.held.push(triple);
            return None;
        }
        self.current.push(triple);
        (self.current.len() >= self.size).then(|| std::mem::take(&mut self.current))
    }

    /// The rest: the last partial batch, then the blank-node parts packed into batches.
    pub fn finish(self) -> Vec<Vec<Triple>> {
        let mut batches = Vec::new();
        let mut current = self.current;
        for part in blank_node_parts(self.held) {
            if !current.is_empty() && current.len() + part.len() > self.size {
                batches.push(std::mem::take(&mut current));
            }
            current.extend(part);
        }
        if !current.is_empty() {
            batches.push(current);
        }
        batches
    }
}

fn has_blank_node(triple: &Triple) -> bool {
    matches!(triple.subject, NamedOrBlankNode::BlankNode(_))
        || matches!(triple.object, Term::BlankNode(_))
}

/// Groups triples into the connected parts that share blank nodes (union-find over labels).
fn blank_node_parts(triples: Vec<Triple>) -> Vec<Vec<Triple>> {
    fn root(parent: &mut [usize], mut at: usize) -> usize {
        while parent[at] != at {
            parent[at] = parent[parent[at]];
            at = parent[at];
        }
        at
    }
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    let mut id = |label: &str, parent: &mut Vec<usize>| {
        *index.entry(label.to_owned()).or_insert_with(|| {
            parent.push(parent.len());
            parent.len() - 1
        })
    };
    let mut first_node = Vec::with_capacity(triples.len());
    for triple in &triples {
        let subject = match &triple.subject {
            NamedOrBlankNode::BlankNode(b) => Some(id(b.as_str(), &mut parent)),
            NamedOrBlankNode::NamedNode(_) => None,
        };
        let object = match &triple.object {
            Term::BlankNode(b) => Some(id(b.as_str(), &mut parent)),
            _ => None,
        };
        if let (Some(a), Some(b)) = (subject, object) {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra] = rb;
        }
        first_node.push(subject.or(object).unwrap_or_default());
    }
    let mut part_of_root: HashMap<usize, usize> = HashMap::new();
    let mut parts: Vec<Vec<Triple>> = Vec::new();
    for (triple, node) in triples.into_iter().zip(first_node) {
        let r = root(&mut parent, node);
        let part = *part_of_root.entry(r).or_insert_with(|| {
            parts.push(Vec::new());
            parts.len() - 1
        });
        parts[part].push(triple);
    }
    parts
}

/// A batch as an N-Triples document.
pub fn ntriples(batch: &[Triple]) -> Vec<u8> {
    use std::io::Write as _;
    let mut out = Vec::with_capacity(batch.len() * 96);
    for triple in batch {
        // Writing into a Vec cannot fail.
        let _ = writeln!(out, "{triple} .");
    }
    out
}

/// A batch as `INSERT DATA { GRAPH <graph> { … } }`. N-Triples terms are SPARQL terms.
pub fn insert_data(graph: &NamedNode, batch: &[Triple]) -> String {
    let mut out = String::with_capacity(batch.len() * 96 + 64);
    out.push_str("INSERT DATA { GRAPH ");
    out.push_str(&graph.to_string());
    out.push_str(" {\n");
    for triple in batch {
        let _ = writeln!(out, "{triple} .");
    }
    out.push_str("} }");
    out
}

#[cfg(test)]
mod tests {
    use oxigraph::model::{BlankNode, Literal};

    use super::*;

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("urn:{s}"))
    }

    #[test]
    fn blank_node_parts_stay_whole() {
        let (b1, b2, b3) = (
            BlankNode::new_unchecked("b1"),
            BlankNode::new_unchecked("b2"),
            BlankNode::new_unchecked("b3"),
        );
        let mut cutter = Batcher::new(2);
        let mut batches = Vec::new();
        let triples = vec![
            Triple::new(b1.clone(), iri("p"), b2.clone()),
            Triple::new(iri("a"), iri("p"), iri("b")),
            Triple::new(b3.clone(), iri("p"), Literal::new_simple_literal("x")),
            Triple::new(iri("c"), iri("p"), b1.clone()),
            Triple::new(b2.clone(), iri("q"), Literal::new_simple_literal("y")),
            Triple::new(iri("d"), iri("p"), iri("e")),
        ];
        for triple in triples {
            batches.extend(cutter.push(triple));
        }
        batches.extend(cutter.finish());
        assert_eq!(batches.iter().map(Vec::len).sum::<usize>(), 6);
        // b1 and b2 are linked: their three triples are in one batch.
        let with_b1 = batches
            .iter()
            .filter(|b| {
                b.iter()
                    .any(|t| t.to_string().contains("_:b1") || t.to_string().contains("_:b2"))
            })
            .collect::<Vec<_>>();
        assert_eq!(with_b1.len(), 1);
        assert_eq!(
            with_b1[0]
                .iter()
                .filter(|t| t.to_string().contains("_:b"))
                .count(),
            3 + usize::from(with_b1[0].iter().any(|t| t.to_string().contains("_:b3")))
        );
    }

    #[test]
    fn writes_parseable_bodies() {
        let batch = vec![Triple::new(
            iri("a"),
            iri("p"),
            Literal::new_language_tagged_literal_unchecked("line\n\"two\" \\ é", "en"),
        )];
        let update = insert_data(&iri("g"), &batch);
        spargebra::SparqlParser::new()
            .parse_update(&update)
            .unwrap();
        let body = ntriples(&batch);
        let parsed: Vec<_> =
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
                .for_slice(&body)
                .collect::<Result<_, _>>()
                .unwrap();
        assert_eq!(parsed.len(), 1);
    }
}
