//! k-hop neighbourhoods: breadth-first from a centre, with the same filters as path searches.

use std::collections::VecDeque;

use super::{Budget, NodeMap, PathQuery, Truncation, limits, node_map};
use crate::graph::Projection;

/// A k-hop neighbourhood: nodes by distance and the edges walked to reach them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbourhood {
    /// `(node, distance)`, the centre first, then by distance and node.
    pub nodes: Vec<(u32, usize)>,
    /// Edges between nodes of the neighbourhood that the query allows, in index order.
    pub edges: Vec<u32>,
    /// Set when a bound cut the answer.
    pub truncated: Option<Truncation>,
}

/// The nodes within `hops` of `centre` (breadth-first, same filters as paths), at most
/// `max_nodes` of them. Time O(V + E) of the part visited.
pub fn neighbourhood(
    projection: &Projection,
    centre: u32,
    hops: usize,
    max_nodes: usize,
    query: &PathQuery,
) -> Neighbourhood {
    let hops = hops.min(limits::MAX_HOPS);
    let mut budget = Budget::new(query.budget);
    let mut distance: NodeMap<usize> = node_map(centre, 0);
    let mut order = vec![(centre, 0)];
    let mut queue = VecDeque::from([centre]);
    let mut truncated = None;
    'search: while let Some(node) = queue.pop_front() {
        let d = distance[&node];
        if d == hops {
            continue;
        }
        for step in projection.steps(node, query.directed) {
            if !budget.spend() {
                truncated = Some(Truncation::Budget);
                break 'search;
            }
            if !query.allows(projection, step.edge) || distance.contains_key(&step.node) {
                continue;
            }
            if order.len() == max_nodes {
                truncated = Some(Truncation::MaxNodes);
                break 'search;
            }
            distance.insert(step.node, d + 1);
            order.push((step.node, d + 1));
            queue.push_back(step.node);
        }
    }
    order[1..].sort_by_key(|&(node, d)| (d, node));
    let mut edges: Vec<u32> = Vec::new();
    for &(node, _) in &order {
        for step in projection.steps(node, true) {
            if distance.contains_key(&step.node) && query.allows(projection, step.edge) {
                edges.push(step.edge);
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    Neighbourhood {
        nodes: order,
        edges,
        truncated,
    }
}
