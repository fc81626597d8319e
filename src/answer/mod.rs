//! The answers of the analyst's questions as data — an entity's card, paths, a neighbourhood,
//! a ranking — in the JSON shapes the README documents (stable: tests deserialise them, and
//! `kg serve` answers with the same shapes). Rendering them as text or DOT is the caller's job.

mod card;
mod neighbourhood;
mod paths;
mod qualifiers;
mod rank;

pub(crate) use self::qualifiers::{PROVENANCE, statements_of};

use serde::Serialize;

pub use self::card::{
    Attribute, CardFilter, Direction, EntityCard, EntitySummary, Qualifier, Relation, card,
};
pub use self::neighbourhood::{NeighbourEdge, NeighbourNode, NeighbourhoodAnswer};
pub use self::paths::{Hop, PathAnswer, PathsAnswer};
pub use self::rank::{RankAnswer, RankBy, RankEntry, rank_options};
use crate::algo::Truncation;
pub use crate::graph::Evidence;
use crate::graph::Projection;

/// An IRI with its human label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Labelled {
    /// The IRI.
    pub iri: String,
    /// Its label (the IRI's local name when it has none).
    pub label: String,
}

/// A node as answers show it.
pub(crate) fn node(projection: &Projection, node: u32) -> Labelled {
    let node = projection.node(node);
    Labelled {
        iri: node.iri().to_owned(),
        label: node.label().to_owned(),
    }
}

pub(crate) fn predicate(projection: &Projection, edge: u32) -> Labelled {
    let term = projection.predicate(projection.edge(edge).predicate());
    Labelled {
        iri: term.iri.to_owned(),
        label: term.label.to_owned(),
    }
}

/// The name of a bound in the JSON answers' `truncated_by`.
pub fn truncation_name(truncation: Truncation) -> &'static str {
    match truncation {
        Truncation::Budget => "work budget",
        Truncation::MaxPaths => "maximum number of paths",
        Truncation::MaxNodes => "maximum number of nodes",
    }
}
