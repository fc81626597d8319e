//! Who matters in the story: degree, `PageRank` and betweenness centrality on the projection.
//!
//! - **Degree** counts facts an entity takes part in (in, out, total).
//! - **`PageRank`** follows facts from subject to object (damping 0.85, power iteration until the
//!   ranks move less than 1e-12 in total, at most 200 rounds; ranks of entities without outgoing
//!   facts are spread evenly). O(E) per round.
//! - **Betweenness** (Brandes' algorithm) treats the graph as undirected and simple — two entities
//!   are neighbours when any fact links them — and is normalised as networkx does,
//!   `2 / ((n - 1)(n - 2))`: the share of shortest paths between other entities that pass through
//!   an entity, the brokers of the story. O(V·E); above [`EXACT_BETWEENNESS_LIMIT`] nodes it is
//!   estimated from evenly spread sources and says so.

use crate::graph::Projection;

/// Largest graph whose betweenness is computed exactly.
pub const EXACT_BETWEENNESS_LIMIT: usize = 20_000;

/// Sources used to estimate betweenness on larger graphs.
const BETWEENNESS_SAMPLES: usize = 512;

/// The scores of one entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// The node.
    pub node: u32,
    /// Facts with the entity as subject.
    pub out_degree: usize,
    /// Facts with the entity as object.
    pub in_degree: usize,
    /// `PageRank` (all ranks sum to 1).
    pub pagerank: f64,
    /// Normalised betweenness centrality.
    pub betweenness: f64,
}

impl Scores {
    /// All facts the entity takes part in.
    pub fn degree(&self) -> usize {
        self.in_degree + self.out_degree
    }
}

/// The scores of every entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// One entry per node, in node order.
    pub scores: Vec<Scores>,
    /// Whether betweenness was computed exactly (else estimated from a sample of sources).
    pub exact_betweenness: bool,
}

/// Computes degree, `PageRank` and betweenness for every node.
pub fn rank(projection: &Projection) -> Ranking {
    let n = projection.node_count();
    let mut out_degree = vec![0; n];
    let mut in_degree = vec![0; n];
    for edge in projection.edges() {
        out_degree[edge.source() as usize] += 1;
        in_degree[edge.target() as usize] += 1;
    }
    let pagerank = pagerank(projection, 0.85);
    let (betweenness, exact_betweenness) = betweenness(projection);
    let scores = (0..n)
        .zip(0_u32..)
        .map(|(i, node)| Scores {
            node,
            out_degree: out_degree[i],
            in_degree: in_degree[i],
            pagerank: pagerank[i],
            betweenness: betweenness[i],
        })
        .collect();
    Ranking {
        scores,
        exact_betweenness,
    }
}

/// `PageRank` by power iteration over the facts (parallel facts count once each).
pub fn pagerank(projection: &Projection, damping: f64) -> Vec<f64> {
    let n = projection.node_count();
    if n == 0 {
        return Vec::new();
    }
    let size = n as f64;
    let mut out_degree = vec![0_u32; n];
    for edge in projection.edges() {
        out_degree[edge.source() as usize] += 1;
    }
    let mut ranks = vec![1.0 / size; n];
    let mut next = vec![0.0; n];
    for _ in 0..200 {
        let dangling: f64 = (0..n)
            .filter(|&i| out_degree[i] == 0)
            .map(|i| ranks[i])
            .sum();
        let base = (1.0 - damping) / size + damping * dangling / size;
        next.fill(base);
        for edge in projection.edges() {
            let source = edge.source() as usize;
            next[edge.target() as usize] += damping * ranks[source] / f64::from(out_degree[source]);
        }
        let change: f64 = ranks.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut ranks, &mut next);
        if change < 1e-12 {
            break;
        }
    }
    ranks
}

/// Normalised betweenness of the undirected simple graph, exact or sampled.
pub fn betweenness(projection: &Projection) -> (Vec<f64>, bool) {
    let n = projection.node_count();
    let mut neighbours: Vec<Vec<u32>> = vec![Vec::new(); n];
    for edge in projection.edges() {
        if edge.source() != edge.target() {
            neighbours[edge.source() as usize].push(edge.target());
            neighbours[edge.target() as usize].push(edge.source());
        }
    }
    for list in &mut neighbours {
        list.sort_unstable();
        list.dedup();
    }
    let exact = n <= EXACT_BETWEENNESS_LIMIT;
    let sources: Vec<usize> = if exact {
        (0..n).collect()
    } else {
        let step = n / BETWEENNESS_SAMPLES;
        (0..BETWEENNESS_SAMPLES).map(|i| i * step).collect()
    };
    let mut centrality = vec![0.0; n];
    // Brandes: one breadth-first search per source, then dependencies accumulated backwards.
    let mut sigma = vec![0.0_f64; n];
    let mut distance = vec![-1_i64; n];
    let mut delta = vec![0.0_f64; n];
    let mut order = Vec::with_capacity(n);
    let mut queue = std::collections::VecDeque::new();
    for &source in &sources {
        for &node in &order {
            sigma[node] = 0.0;
            distance[node] = -1;
            delta[node] = 0.0;
        }
        order.clear();
        sigma[source] = 1.0;
        distance[source] = 0;
        queue.push_back(source);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            for &w in &neighbours[v] {
                let w = w as usize;
                if distance[w] < 0 {
                    distance[w] = distance[v] + 1;
                    queue.push_back(w);
                }
                if distance[w] == distance[v] + 1 {
                    sigma[w] += sigma[v];
                }
            }
        }
        for &w in order.iter().rev() {
            for &v in &neighbours[w] {
                let v = v as usize;
                if distance[v] == distance[w] - 1 {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
            }
            if w != source {
                centrality[w] += delta[w];
            }
        }
    }
    let scale_sample = n as f64 / sources.len().max(1) as f64;
    // Each unordered pair was counted from both ends: halve, then normalise as networkx does.
    let normalise = if n > 2 {
        2.0 / ((n as f64 - 1.0) * (n as f64 - 2.0))
    } else {
        0.0
    };
    for value in &mut centrality {
        *value = *value * scale_sample / 2.0 * normalise;
    }
    (centrality, exact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeData, NodeData, Projection, ProjectionData};

    fn graph(n: u32, edges: &[(u32, u32)]) -> Projection {
        let nodes = (0..n)
            .map(|i| NodeData {
                iri: format!("urn:n{i}"),
                id: format!("n{i}"),
                label: format!("n{i}"),
                types: vec![],
            })
            .collect();
        let edges = edges
            .iter()
            .map(|&(source, target)| EdgeData {
                source,
                target,
                predicate: 0,
                evidence: vec![],
            })
            .collect();
        ProjectionData {
            nodes,
            edges,
            predicates: vec![("urn:p".into(), "p".into())],
            ..ProjectionData::default()
        }
        .assemble()
        .unwrap()
    }

    #[test]
    fn betweenness_of_a_path_and_a_star() {
        // 0 - 1 - 2: the middle node lies on the one path between the ends.
        let (b, exact) = betweenness(&graph(3, &[(0, 1), (2, 1)]));
        assert!(exact);
        assert_eq!(b, vec![0.0, 1.0, 0.0]);
        // A star of 5: the centre is on every path between leaves (networkx gives 1.0).
        let (b, _) = betweenness(&graph(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]));
        assert!((b[0] - 1.0).abs() < 1e-12 && b[1] == 0.0);
    }

    #[test]
    fn pagerank_of_a_cycle_is_uniform_and_sums_to_one() {
        let ranks = pagerank(&graph(4, &[(0, 1), (1, 2), (2, 3), (3, 0)]), 0.85);
        for r in &ranks {
            assert!((r - 0.25).abs() < 1e-9);
        }
        let ranks = pagerank(&graph(3, &[(0, 1), (0, 2)]), 0.85);
        assert!((ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(ranks[1] > ranks[0] && (ranks[1] - ranks[2]).abs() < 1e-12);
    }
}
