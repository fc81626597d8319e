//! The graph projection: entities as nodes, entity-to-entity facts as edges, each edge carrying
//! its evidence (document, sentence, date). Path, neighbourhood and ranking queries run on it.
//!
//! It is built once by `kg build` from the same facts that go into the RDF store, saved beside the
//! store (`graph.kgp`, see [`file`]) and loaded in one read by later commands; nothing is rebuilt
//! per query. In memory it is a [`petgraph`] `DiGraph` whose edge weights index the edge table, so
//! petgraph's algorithms and traversals apply directly.

mod builder;
pub mod file;

use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef as _;
use petgraph::Direction;
use serde::Serialize;

pub use self::builder::ProjectionBuilder;

/// A node: one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The entity's IRI.
    pub iri: String,
    /// Its id (the IRI without the base), or the IRI for entities outside the base.
    pub id: String,
    /// Its label (`rdfs:label`, English preferred), else its id.
    pub label: String,
    /// Its declared classes (indexes into [`Projection::classes`]).
    pub types: Vec<u32>,
}

/// A class or a predicate: IRI and human label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// The IRI.
    pub iri: String,
    /// `rdfs:label` from the ontology, else the local name.
    pub label: String,
}

/// Why a fact holds: a document, a sentence of it, a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The source document's id.
    pub document: String,
    /// 1-based sentence number, when the row gave one.
    pub sentence: Option<u64>,
    /// The row's `date`, as written (`2022`, `--11`), when it gave one.
    pub date: Option<String>,
    /// The sentence's words, when the build had the document's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// An edge: one fact between two entities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// Subject node.
    pub source: u32,
    /// Object node.
    pub target: u32,
    /// Index into [`Projection::predicates`].
    pub predicate: u32,
    /// Evidence, possibly from several rows.
    pub evidence: Vec<Evidence>,
}

/// How a name matched an entity, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NameKind {
    /// Its id.
    Id,
    /// Its label.
    Label,
    /// One of its aliases (`skos:altLabel`, `skos:prefLabel`, `skos:hiddenLabel`).
    Alias,
}

/// A name (folded with [`crate::suggest::fold`]) that points to a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The folded name.
    pub folded: String,
    /// The node.
    pub node: u32,
    /// Label, alias or id.
    pub kind: NameKind,
}

/// The projection.
#[derive(Debug, Clone, Default)]
pub struct Projection {
    /// Nodes by index.
    pub nodes: Vec<Node>,
    /// Edges by index (the petgraph edge weights point here).
    pub edges: Vec<Edge>,
    /// Classes, indexed by [`Node::types`].
    pub classes: Vec<Term>,
    /// Predicates, indexed by [`Edge::predicate`].
    pub predicates: Vec<Term>,
    /// Names for lookups, sorted by folded name.
    pub names: Vec<Name>,
    graph: DiGraph<(), u32, u32>,
}

/// One step along an edge, in the direction it was walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Step {
    /// The edge (index into [`Projection::edges`]).
    pub edge: u32,
    /// The node reached.
    pub node: u32,
    /// `true` when walked from subject to object.
    pub forward: bool,
}

impl Projection {
    /// Assembles a projection and its petgraph view.
    pub fn new(
        nodes: Vec<Node>,
        edges: Vec<Edge>,
        classes: Vec<Term>,
        predicates: Vec<Term>,
        mut names: Vec<Name>,
    ) -> Self {
        names.sort_by(|a, b| a.folded.cmp(&b.folded).then(a.kind.cmp(&b.kind)).then(a.node.cmp(&b.node)));
        names.dedup();
        let mut graph = DiGraph::with_capacity(nodes.len(), edges.len());
        for _ in 0..nodes.len() {
            graph.add_node(());
        }
        for (i, edge) in edges.iter().enumerate() {
            graph.add_edge(
                NodeIndex::new(edge.source as usize),
                NodeIndex::new(edge.target as usize),
                i as u32,
            );
        }
        Self {
            nodes,
            edges,
            classes,
            predicates,
            names,
            graph,
        }
    }

    /// The petgraph view: node `i` is `nodes[i]`, an edge's weight is its index in `edges`.
    pub fn graph(&self) -> &DiGraph<(), u32, u32> {
        &self.graph
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The steps leaving `node`: along outgoing edges forward and, unless `directed`, along
    /// incoming edges backward.
    pub fn steps(&self, node: u32, directed: bool) -> impl Iterator<Item = Step> + '_ {
        let index = NodeIndex::new(node as usize);
        let forward = self
            .graph
            .edges_directed(index, Direction::Outgoing)
            .map(|e| Step {
                edge: *e.weight(),
                node: e.target().index() as u32,
                forward: true,
            });
        let backward = self
            .graph
            .edges_directed(index, Direction::Incoming)
            .filter(move |_| !directed)
            .map(|e| Step {
                edge: *e.weight(),
                node: e.source().index() as u32,
                forward: false,
            });
        forward.chain(backward)
    }

    /// The steps reaching `node` when walking towards it (for the backward half of a
    /// bidirectional search): incoming edges forward and, unless `directed`, outgoing ones.
    /// Each step's `node` is the node the step starts from.
    pub fn steps_into(&self, node: u32, directed: bool) -> impl Iterator<Item = Step> + '_ {
        let index = NodeIndex::new(node as usize);
        let forward = self
            .graph
            .edges_directed(index, Direction::Incoming)
            .map(|e| Step {
                edge: *e.weight(),
                node: e.source().index() as u32,
                forward: true,
            });
        let backward = self
            .graph
            .edges_directed(index, Direction::Outgoing)
            .filter(move |_| !directed)
            .map(|e| Step {
                edge: *e.weight(),
                node: e.target().index() as u32,
                forward: false,
            });
        forward.chain(backward)
    }

    /// The node with this IRI.
    pub fn node_by_iri(&self, iri: &str) -> Option<u32> {
        self.nodes.iter().position(|n| n.iri == iri).map(|i| i as u32)
    }

    /// The nodes a folded name points to, with how they matched.
    pub fn nodes_named(&self, folded: &str) -> Vec<(u32, NameKind)> {
        let start = self.names.partition_point(|n| n.folded.as_str() < folded);
        self.names[start..]
            .iter()
            .take_while(|n| n.folded == folded)
            .map(|n| (n.node, n.kind))
            .collect()
    }

    /// An edge by index.
    pub fn edge(&self, edge: u32) -> &Edge {
        &self.edges[edge as usize]
    }

    /// The edge index of a petgraph edge.
    pub fn edge_of(&self, index: EdgeIndex<u32>) -> u32 {
        self.graph[index]
    }
}
