//! The answer of `kg neighbors`: the entities within some hops of a centre and the facts among
//! them.

use serde::Serialize;

use super::{Labelled, node, predicate, truncation_name};
use crate::algo::Neighbourhood;
use crate::graph::{Evidence, Projection};

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
}
