//! petgraph's graph traits for the projection, so petgraph's traversals (`Bfs`, `Dfs`) and
//! algorithms (`dijkstra`, `astar`, `connected_components`, ...) run on it without a copy.
//!
//! Nodes are `u32` indexes, edges `u32` indexes, the edge weight is the predicate index, and the
//! graph is directed (subject → object), as the facts are.

use std::collections::HashSet;

use petgraph::Direction;
use petgraph::visit::{
    Data, EdgeRef, GraphBase, GraphProp, IntoEdgeReferences, IntoEdges, IntoEdgesDirected,
    IntoNeighbors, IntoNeighborsDirected, IntoNodeIdentifiers, NodeCompactIndexable, NodeCount,
    NodeIndexable, Visitable,
};

use super::Projection;

/// An edge as petgraph sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PetEdge {
    id: u32,
    source: u32,
    target: u32,
    predicate: u32,
}

impl EdgeRef for PetEdge {
    type NodeId = u32;
    type EdgeId = u32;
    type Weight = u32;

    fn source(&self) -> u32 {
        self.source
    }

    fn target(&self) -> u32 {
        self.target
    }

    fn weight(&self) -> &u32 {
        &self.predicate
    }

    fn id(&self) -> u32 {
        self.id
    }
}

impl Projection {
    fn pet_edge(&self, id: u32) -> PetEdge {
        let edge = self.edge(id);
        PetEdge {
            id,
            source: edge.source(),
            target: edge.target(),
            predicate: edge.predicate(),
        }
    }
}

impl GraphBase for Projection {
    type EdgeId = u32;
    type NodeId = u32;
}

impl Data for Projection {
    type NodeWeight = ();
    type EdgeWeight = u32;
}

impl GraphProp for Projection {
    type EdgeType = petgraph::Directed;
}

impl NodeCount for Projection {
    fn node_count(&self) -> usize {
        Projection::node_count(self)
    }
}

impl NodeIndexable for Projection {
    fn node_bound(&self) -> usize {
        Projection::node_count(self)
    }

    fn to_index(&self, a: u32) -> usize {
        a as usize
    }

    fn from_index(&self, i: usize) -> u32 {
        u32::try_from(i).unwrap_or(u32::MAX)
    }
}

impl NodeCompactIndexable for Projection {}

impl Visitable for Projection {
    type Map = HashSet<u32>;

    fn visit_map(&self) -> HashSet<u32> {
        HashSet::new()
    }

    fn reset_map(&self, map: &mut HashSet<u32>) {
        map.clear();
    }
}

impl<'a> IntoNeighbors for &'a Projection {
    type Neighbors = Box<dyn Iterator<Item = u32> + 'a>;

    fn neighbors(self, a: u32) -> Self::Neighbors {
        Box::new(self.out_edges(a).map(move |e| self.edge(e).target()))
    }
}

impl<'a> IntoNeighborsDirected for &'a Projection {
    type NeighborsDirected = Box<dyn Iterator<Item = u32> + 'a>;

    fn neighbors_directed(self, a: u32, direction: Direction) -> Self::NeighborsDirected {
        match direction {
            Direction::Outgoing => self.neighbors(a),
            Direction::Incoming => Box::new(self.in_pairs(a).map(|(_, source)| source)),
        }
    }
}

impl<'a> IntoEdgeReferences for &'a Projection {
    type EdgeRef = PetEdge;
    type EdgeReferences = Box<dyn Iterator<Item = PetEdge> + 'a>;

    fn edge_references(self) -> Self::EdgeReferences {
        Box::new(self.edges().map(move |e| self.pet_edge(e.index())))
    }
}

impl<'a> IntoEdges for &'a Projection {
    type Edges = Box<dyn Iterator<Item = PetEdge> + 'a>;

    fn edges(self, a: u32) -> Self::Edges {
        Box::new(self.out_edges(a).map(move |e| self.pet_edge(e)))
    }
}

impl<'a> IntoEdgesDirected for &'a Projection {
    type EdgesDirected = Box<dyn Iterator<Item = PetEdge> + 'a>;

    fn edges_directed(self, a: u32, direction: Direction) -> Self::EdgesDirected {
        match direction {
            Direction::Outgoing => IntoEdges::edges(self, a),
            Direction::Incoming => Box::new(self.in_edges(a).map(move |e| self.pet_edge(e))),
        }
    }
}

impl<'a> IntoNodeIdentifiers for &'a Projection {
    type NodeIdentifiers = Box<dyn Iterator<Item = u32> + 'a>;

    fn node_identifiers(self) -> Self::NodeIdentifiers {
        Box::new((0..Projection::node_count(self)).map(|i| u32::try_from(i).unwrap_or(u32::MAX)))
    }
}
