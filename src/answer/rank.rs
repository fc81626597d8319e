//! The answer of `kg rank`: the entities with the highest degree, `PageRank` or betweenness, and
//! the ontology's symmetric relations the ranking needs to know about.

use std::collections::HashSet;

use oxigraph::model::{NamedOrBlankNode, Term};
use serde::Serialize;

use super::node;
use crate::algo::{RankOptions, Ranking, Scores};
use crate::graph::Projection;
use crate::read::{GraphReader, ReadError};
use crate::vocab::{owl, rdf};

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
    /// Whether facts were followed from subject to object only (symmetric relations both
    /// ways); else each fact linked its entities both ways.
    pub directed: bool,
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

impl RankBy {
    /// Every score.
    pub const ALL: [Self; 3] = [Self::Degree, Self::Pagerank, Self::Betweenness];

    /// The score's name, as `--by` takes it and the JSON answer writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Degree => "degree",
            Self::Pagerank => "pagerank",
            Self::Betweenness => "betweenness",
        }
    }

    /// The score with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.name() == name)
    }
}

impl RankAnswer {
    /// The `top` entities by `by` (ties broken by label).
    pub fn new(projection: &Projection, ranking: &Ranking, by: RankBy, top: usize) -> Self {
        let mut scores: Vec<_> = ranking.scores.iter().collect();
        let key = |s: &Scores| match by {
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
            by: by.name(),
            exact_betweenness: ranking.exact_betweenness,
            directed: ranking.directed,
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
}

/// The options of a ranking of `graph`: `directed` as asked, and the predicates of the
/// projection that the graph declares `owl:SymmetricProperty` (whose facts link both ways even
/// when directed), read through [`GraphReader::triples`].
///
/// # Errors
/// Read errors.
pub fn rank_options(
    graph: &dyn GraphReader,
    projection: &Projection,
    directed: bool,
) -> Result<RankOptions, ReadError> {
    let mut declared: HashSet<String> = HashSet::new();
    let symmetric = Term::from(owl::SYMMETRIC_PROPERTY);
    for triple in graph.triples(None, Some(rdf::TYPE), Some(symmetric.as_ref())) {
        if let NamedOrBlankNode::NamedNode(iri) = triple?.subject {
            declared.insert(iri.into_string());
        }
    }
    let symmetric = (0_u32..)
        .zip(projection.predicates())
        .filter(|(_, term)| declared.contains(term.iri))
        .map(|(index, _)| index)
        .collect();
    Ok(RankOptions {
        directed,
        symmetric,
    })
}
