//! Subgraphs for exports: the entities around one entity, the shortest paths between two, the
//! entities of some classes, the facts of some relations, or a combination.
//!
//! A [`Selection`] says what is wanted; [`select`] turns it into a [`Subgraph`], the node and
//! edge indexes of the projection to export. Walking reuses [`crate::algo`]: the same filters
//! and bounds as `kg neighbors` and `kg path`.

use std::collections::HashSet;

use oxigraph::model::NamedNode;

use crate::algo::{PathQuery, Truncation, all_shortest_paths, limits, neighbourhood};
use crate::graph::Projection;
use crate::read::SchemaView;

/// Which part of the graph a selection starts from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Focus {
    /// Every entity.
    #[default]
    All,
    /// The entities within `hops` of `centre` (at most `max_nodes` of them).
    Around {
        /// The centre (a projection node).
        centre: u32,
        /// Radius, in hops.
        hops: usize,
        /// Most entities kept.
        max_nodes: usize,
    },
    /// Every shortest path from `from` to `to`, within `max_hops`.
    Path {
        /// Start.
        from: u32,
        /// End.
        to: u32,
        /// Longest path searched.
        max_hops: usize,
    },
}

/// What to export.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Where to start.
    pub focus: Focus,
    /// When not empty, keep only entities of these classes or their subclasses (the ends of
    /// the focus, centre or path ends, are always kept).
    pub classes: Vec<NamedNode>,
    /// When set, only facts of these predicates (indexes into
    /// [`Projection::predicates`]); walks use only them.
    pub relations: Option<HashSet<u32>>,
    /// Walk facts only from subject to object.
    pub directed: bool,
}

impl Selection {
    /// Whether the selection is the whole graph.
    pub fn is_all(&self) -> bool {
        self.focus == Focus::All && self.classes.is_empty() && self.relations.is_none()
    }
}

/// A part of the projection: node and edge indexes, each sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Subgraph {
    /// Nodes, ascending.
    pub nodes: Vec<u32>,
    /// Edges, ascending; both ends of each are in `nodes`.
    pub edges: Vec<u32>,
    /// Set when a bound of the walk cut the answer.
    pub truncated: Option<Truncation>,
}

impl Subgraph {
    /// The whole projection.
    pub fn all(projection: &Projection) -> Self {
        Self {
            nodes: (0..projection.node_count()).map(index).collect(),
            edges: (0..projection.edge_count()).map(index).collect(),
            truncated: None,
        }
    }

    /// Whether nothing was selected.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Whether a node is in the subgraph. O(log n).
    pub fn contains_node(&self, node: u32) -> bool {
        self.nodes.binary_search(&node).is_ok()
    }

    /// Whether an edge is in the subgraph. O(log n).
    pub fn contains_edge(&self, edge: u32) -> bool {
        self.edges.binary_search(&edge).is_ok()
    }

    fn from_parts(projection: &Projection, nodes: HashSet<u32>, edges: HashSet<u32>) -> Self {
        let mut nodes: Vec<u32> = nodes.into_iter().collect();
        nodes.sort_unstable();
        let mut subgraph = Self {
            nodes,
            edges: Vec::new(),
            truncated: None,
        };
        let mut edges: Vec<u32> = edges
            .into_iter()
            .filter(|&e| {
                let edge = projection.edge(e);
                subgraph.contains_node(edge.source()) && subgraph.contains_node(edge.target())
            })
            .collect();
        edges.sort_unstable();
        subgraph.edges = edges;
        subgraph
    }
}

/// Projection indexes are `u32` (the projection file stores them so).
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Cuts the subgraph a selection asks for. An empty answer (no path, no entity of the class)
/// is a [`Subgraph`] with no nodes.
///
/// Time: O(V + E) for the walk and the filters, plus the walk of the class hierarchy.
pub fn select(schema: &SchemaView, projection: &Projection, selection: &Selection) -> Subgraph {
    let query = PathQuery {
        directed: selection.directed,
        via: selection.relations.clone(),
        ..PathQuery::default()
    };
    let relation_allows = |edge: u32| {
        selection
            .relations
            .as_ref()
            .is_none_or(|r| r.contains(&projection.edge(edge).predicate()))
    };
    let (mut nodes, edges, anchors, truncated): (HashSet<u32>, HashSet<u32>, Vec<u32>, _) =
        match selection.focus {
            Focus::All => {
                let edges: HashSet<u32> = (0..projection.edge_count())
                    .map(index)
                    .filter(|&e| relation_allows(e))
                    .collect();
                let nodes = if selection.relations.is_some() {
                    edges
                        .iter()
                        .flat_map(|&e| [projection.edge(e).source(), projection.edge(e).target()])
                        .collect()
                } else {
                    (0..projection.node_count()).map(index).collect()
                };
                (nodes, edges, Vec::new(), None)
            }
            Focus::Around {
                centre,
                hops,
                max_nodes,
            } => {
                let found = neighbourhood(projection, centre, hops, max_nodes.max(1), &query);
                (
                    found.nodes.iter().map(|(n, _)| *n).collect(),
                    found.edges.iter().copied().collect(),
                    vec![centre],
                    found.truncated,
                )
            }
            Focus::Path { from, to, max_hops } => {
                let query = PathQuery {
                    max_hops: max_hops.min(limits::MAX_HOPS),
                    ..query
                };
                let found = all_shortest_paths(projection, from, to, &query);
                if found.paths.is_empty() {
                    return Subgraph {
                        truncated: found.truncated,
                        ..Subgraph::default()
                    };
                }
                let nodes = found
                    .paths
                    .iter()
                    .flat_map(crate::algo::Path::nodes)
                    .collect();
                let edges = found
                    .paths
                    .iter()
                    .flat_map(|p| p.steps.iter().map(|s| s.edge))
                    .collect();
                (nodes, edges, vec![from, to], found.truncated)
            }
        };
    if !selection.classes.is_empty() {
        let wanted: HashSet<String> = selection
            .classes
            .iter()
            .flat_map(|class| schema.hierarchy.descendants(class.as_ref()))
            .map(NamedNode::into_string)
            .collect();
        let member: Vec<bool> = (0..projection.class_count())
            .map(|i| wanted.contains(projection.class(u32::try_from(i).unwrap_or(u32::MAX)).iri))
            .collect();
        nodes.retain(|&n| {
            anchors.contains(&n)
                || projection
                    .node(n)
                    .types()
                    .any(|c| member.get(c as usize).copied().unwrap_or(false))
        });
        if selection.relations.is_some() && selection.focus == Focus::All {
            // A relation picture shows the entities its facts link, not isolated ones.
            let linked: HashSet<u32> = edges
                .iter()
                .map(|&e| projection.edge(e))
                .filter(|e| nodes.contains(&e.source()) && nodes.contains(&e.target()))
                .flat_map(|e| [e.source(), e.target()])
                .collect();
            nodes = linked;
        }
    }
    let mut subgraph = Subgraph::from_parts(projection, nodes, edges);
    subgraph.truncated = truncated;
    subgraph
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeData, NodeData, ProjectionData};

    /// a -p-> b -p-> c -q-> d, and e alone; a, b are class 0, c, d, e class 1.
    fn chain() -> Projection {
        let node = |id: &str, class: u32| NodeData {
            iri: format!("https://e/{id}"),
            id: id.into(),
            label: id.into(),
            types: vec![class],
        };
        let edge = |source, target, predicate| EdgeData {
            source,
            target,
            predicate,
            evidence: Vec::new(),
            inferred: None,
        };
        let term = |iri: &str| (iri.to_owned(), iri.to_owned());
        ProjectionData {
            nodes: vec![
                node("a", 0),
                node("b", 0),
                node("c", 1),
                node("d", 1),
                node("e", 1),
            ],
            edges: vec![edge(0, 1, 0), edge(1, 2, 0), edge(2, 3, 1)],
            classes: vec![term("https://o/A"), term("https://o/B")],
            predicates: vec![term("https://o/p"), term("https://o/q")],
            ..ProjectionData::default()
        }
        .assemble()
        .unwrap()
    }

    fn schema() -> SchemaView {
        SchemaView::default()
    }

    #[test]
    fn all_is_everything() {
        let p = chain();
        let s = select(&schema(), &p, &Selection::default());
        assert_eq!(s, Subgraph::all(&p));
        assert!(Selection::default().is_all());
    }

    #[test]
    fn around_walks_hops() {
        let p = chain();
        let selection = Selection {
            focus: Focus::Around {
                centre: 1,
                hops: 1,
                max_nodes: 100,
            },
            ..Selection::default()
        };
        let s = select(&schema(), &p, &selection);
        assert_eq!(s.nodes, [0, 1, 2]);
        assert_eq!(s.edges, [0, 1]);
    }

    #[test]
    fn path_keeps_the_path_only() {
        let p = chain();
        let selection = Selection {
            focus: Focus::Path {
                from: 0,
                to: 3,
                max_hops: 6,
            },
            ..Selection::default()
        };
        let s = select(&schema(), &p, &selection);
        assert_eq!(s.nodes, [0, 1, 2, 3]);
        assert_eq!(s.edges, [0, 1, 2]);
        let none = Selection {
            focus: Focus::Path {
                from: 0,
                to: 4,
                max_hops: 6,
            },
            ..Selection::default()
        };
        assert!(select(&schema(), &p, &none).is_empty());
    }

    #[test]
    fn relations_keep_their_facts_and_ends() {
        let p = chain();
        let selection = Selection {
            relations: Some(HashSet::from([1])),
            ..Selection::default()
        };
        let s = select(&schema(), &p, &selection);
        assert_eq!(s.nodes, [2, 3]);
        assert_eq!(s.edges, [2]);
    }

    #[test]
    fn classes_include_subclasses() {
        let p = chain();
        let mut schema = schema();
        schema.hierarchy.add(
            NamedNode::new("https://o/B").unwrap(),
            NamedNode::new("https://o/Top").unwrap(),
        );
        let selection = Selection {
            classes: vec![NamedNode::new("https://o/Top").unwrap()],
            ..Selection::default()
        };
        let s = select(&schema, &p, &selection);
        assert_eq!(s.nodes, [2, 3, 4]);
        assert_eq!(s.edges, [2]);
    }
}
