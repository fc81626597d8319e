//! The answer of `kg path`: paths as hops, each with its relation, direction and evidence.

use serde::Serialize;

use oxigraph::model::NamedNode;

use super::qualifiers::FactQualifiers;
use super::{Labelled, Qualifier, node, predicate, truncation_name};
use crate::algo::{Paths, Truncation};
use crate::graph::{Evidence, Projection, Step};
use crate::read::{GraphReader, StatementReader};

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
    /// Where the fact is stated; for an inferred fact, where the facts it rests on are (once
    /// [`PathsAnswer::explain_inferred`] has looked them up).
    pub evidence: Vec<Evidence>,
    /// The rule that inferred the fact, when no input states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
    /// Values stated on the fact (once [`PathsAnswer::qualify`] has read them).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<Qualifier>,
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

fn hop(projection: &Projection, from: u32, step: Step) -> Hop {
    Hop {
        from: node(projection, from),
        predicate: predicate(projection, step.edge),
        to: node(projection, step.node),
        direction: if step.forward { "forward" } else { "backward" },
        evidence: projection.edge(step.edge).evidence().collect(),
        inferred: projection.edge(step.edge).inferred().map(str::to_owned),
        qualifiers: Vec::new(),
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

    /// Gives each inferred hop the evidence of the stated facts its derivation rests on (read
    /// from the graph's `kg:inferred` derivations); a hop whose derivation cannot be read keeps
    /// none.
    pub fn explain_inferred(&mut self, graph: &dyn GraphReader) {
        // Paths share hops and hops share sentences: each statement is read once an answer.
        let statements = StatementReader::new(graph);
        for hop in self.paths.iter_mut().flat_map(|p| &mut p.hops) {
            if hop.inferred.is_none() {
                continue;
            }
            let (subject, object) = if hop.direction == "forward" {
                (&hop.from.iri, &hop.to.iri)
            } else {
                (&hop.to.iri, &hop.from.iri)
            };
            if let Some((_, evidence)) = crate::infer::supporting_evidence_in(
                &statements,
                subject,
                &hop.predicate.iri,
                object,
            ) {
                hop.evidence = evidence;
            }
        }
    }

    /// Gives each stated hop the values stated on its fact (read from the graph's statements);
    /// a hop whose statements cannot be read shows none.
    pub fn qualify(&mut self, graph: &dyn GraphReader) {
        let mut qualifiers = FactQualifiers::new(graph);
        for hop in self.paths.iter_mut().flat_map(|p| &mut p.hops) {
            if hop.inferred.is_some() {
                continue;
            }
            let (subject, object) = if hop.direction == "forward" {
                (&hop.from.iri, &hop.to.iri)
            } else {
                (&hop.to.iri, &hop.from.iri)
            };
            let (Ok(subject), Ok(predicate), Ok(object)) = (
                NamedNode::new(subject),
                NamedNode::new(&hop.predicate.iri),
                NamedNode::new(object),
            ) else {
                continue;
            };
            if let Ok(stated) = qualifiers.of(&subject, &predicate, &object.into()) {
                hop.qualifiers = stated;
            }
        }
    }

    fn with_truncation(mut self, truncation: Option<Truncation>) -> Self {
        if let Some(t) = truncation {
            self.truncated = true;
            self.truncated_by = Some(truncation_name(t));
        }
        self
    }
}
