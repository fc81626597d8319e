//! Who matters in the story: degree, `PageRank` and betweenness centrality on the projection.
//!
//! One graph underlies every score but degree, as [`RankOptions`] says:
//!
//! - **Undirected** (the default, as `kg path` walks): each fact links its subject and its
//!   object both ways.
//! - **Directed** ([`RankOptions::directed`]): a fact links its subject to its object only —
//!   except facts of a symmetric relation ([`RankOptions::symmetric`], the predicates the
//!   ontology declares `owl:SymmetricProperty`), which link both ways in either mode.
//! - **Simple**: two entities are linked once however many facts link them (networkx's `Graph`
//!   and `DiGraph` collapse parallel edges the same way); a fact whose subject is its object is
//!   a self-loop, which `PageRank` follows and betweenness ignores, as networkx does.
//!
//! The scores:
//!
//! - **Degree** counts the facts an entity takes part in (in: as object, out: as subject;
//!   parallel facts each count), in either mode.
//! - **`PageRank`** (damping 0.85) by power iteration until the ranks move less than 1e-12 in
//!   total, at most 1,000 rounds; an entity with no link out spreads its rank evenly over all
//!   entities (networkx's default). O(E) per round.
//! - **Betweenness** (Brandes' algorithm), normalised as networkx does, `1 / ((n - 1)(n - 2))`
//!   over ordered pairs (undirected: each pair counted from both ends): the share of shortest
//!   paths between other entities that pass through an entity, the brokers of the story. O(V·E);
//!   above [`EXACT_BETWEENNESS_LIMIT`] nodes it is estimated from 512 evenly spread sources (and
//!   scaled by `n / 512`, as networkx's `k` sampling) and says so.

use std::collections::{HashSet, VecDeque};

use crate::graph::Projection;

/// Largest graph whose betweenness is computed exactly.
pub const EXACT_BETWEENNESS_LIMIT: usize = 20_000;

/// Sources used to estimate betweenness on larger graphs.
const BETWEENNESS_SAMPLES: usize = 512;

/// Rounds of power iteration `PageRank` may take.
const PAGERANK_ROUNDS: usize = 1000;

/// How facts link entities for [`rank`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RankOptions {
    /// Follow facts only from subject to object (else each links both ways).
    pub directed: bool,
    /// Predicates (indexes into [`Projection::predicates`]) whose facts link both ways even
    /// when `directed`: the symmetric relations.
    pub symmetric: HashSet<u32>,
}

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
    /// Whether facts were followed from subject to object only (symmetric relations aside).
    pub directed: bool,
}

/// The simple graph the scores see: each node's successors and predecessors, sorted, each
/// once (in the undirected graph both are the neighbours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    successors: Vec<Vec<u32>>,
    predecessors: Vec<Vec<u32>>,
}

impl Links {
    /// The links of the projection's facts under `options`. O(V + E log E).
    pub fn new(projection: &Projection, options: &RankOptions) -> Self {
        let n = projection.node_count();
        let mut successors: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut predecessors: Vec<Vec<u32>> = vec![Vec::new(); n];
        for edge in projection.edges() {
            let (source, target) = (edge.source(), edge.target());
            successors[source as usize].push(target);
            predecessors[target as usize].push(source);
            if !options.directed || options.symmetric.contains(&edge.predicate()) {
                successors[target as usize].push(source);
                predecessors[source as usize].push(target);
            }
        }
        for list in successors.iter_mut().chain(&mut predecessors) {
            list.sort_unstable();
            list.dedup();
        }
        Self {
            successors,
            predecessors,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.successors.len()
    }
}

/// Computes degree, `PageRank` and betweenness for every node.
pub fn rank(projection: &Projection, options: &RankOptions) -> Ranking {
    let n = projection.node_count();
    let mut out_degree = vec![0; n];
    let mut in_degree = vec![0; n];
    for edge in projection.edges() {
        out_degree[edge.source() as usize] += 1;
        in_degree[edge.target() as usize] += 1;
    }
    let links = Links::new(projection, options);
    let pagerank = pagerank(&links, 0.85);
    let (betweenness, exact_betweenness) = betweenness(&links);
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
        directed: options.directed,
    }
}

/// `PageRank` by power iteration over the links.
pub fn pagerank(links: &Links, damping: f64) -> Vec<f64> {
    let n = links.node_count();
    if n == 0 {
        return Vec::new();
    }
    let size = n as f64;
    let mut ranks = vec![1.0 / size; n];
    let mut next = vec![0.0; n];
    for _ in 0..PAGERANK_ROUNDS {
        let dangling: f64 = (0..n)
            .filter(|&i| links.successors[i].is_empty())
            .map(|i| ranks[i])
            .sum();
        let base = (1.0 - damping) / size + damping * dangling / size;
        next.fill(base);
        for (source, targets) in links.successors.iter().enumerate() {
            if targets.is_empty() {
                continue;
            }
            let share = damping * ranks[source] / targets.len() as f64;
            for &target in targets {
                next[target as usize] += share;
            }
        }
        let change: f64 = ranks.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut ranks, &mut next);
        if change < 1e-12 {
            break;
        }
    }
    ranks
}

/// Normalised betweenness of the links, exact or sampled (then `false`).
pub fn betweenness(links: &Links) -> (Vec<f64>, bool) {
    let n = links.node_count();
    let exact = n <= EXACT_BETWEENNESS_LIMIT;
    let sources: Vec<usize> = if exact {
        (0..n).collect()
    } else {
        let step = n / BETWEENNESS_SAMPLES;
        (0..BETWEENNESS_SAMPLES).map(|i| i * step).collect()
    };
    let mut centrality = vec![0.0; n];
    // Brandes: one breadth-first search per source along successors, then dependencies
    // accumulated backwards along predecessors.
    let mut sigma = vec![0.0_f64; n];
    let mut distance = vec![-1_i64; n];
    let mut delta = vec![0.0_f64; n];
    let mut order = Vec::with_capacity(n);
    let mut queue = VecDeque::new();
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
            for &w in &links.successors[v] {
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
            for &v in &links.predecessors[w] {
                let v = v as usize;
                if distance[v] >= 0 && distance[v] == distance[w] - 1 {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
            }
            if w != source {
                centrality[w] += delta[w];
            }
        }
    }
    // Every ordered pair (s, t) was counted once from s; normalise by the ordered pairs of other
    // nodes, as networkx does for both kinds of graph, and scale a sample up to all sources.
    let scale = if n > 2 {
        n as f64 / sources.len() as f64 / ((n as f64 - 1.0) * (n as f64 - 2.0))
    } else {
        0.0
    };
    for value in &mut centrality {
        *value *= scale;
    }
    (centrality, exact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeData, NodeData, Projection, ProjectionData};

    /// A projection of `n` nodes and facts `(subject, predicate, object)`, predicates 0 and 1.
    fn graph(n: u32, facts: &[(u32, u32, u32)]) -> Projection {
        let nodes = (0..n)
            .map(|i| NodeData {
                iri: format!("urn:n{i}"),
                id: format!("n{i}"),
                label: format!("n{i}"),
                types: vec![],
            })
            .collect();
        let edges = facts
            .iter()
            .map(|&(source, predicate, target)| EdgeData {
                source,
                target,
                predicate,
                evidence: vec![],
            })
            .collect();
        ProjectionData {
            nodes,
            edges,
            predicates: vec![("urn:p".into(), "p".into()), ("urn:q".into(), "q".into())],
            ..ProjectionData::default()
        }
        .assemble()
        .unwrap()
    }

    fn undirected(n: u32, facts: &[(u32, u32, u32)]) -> Links {
        Links::new(&graph(n, facts), &RankOptions::default())
    }

    fn directed(n: u32, facts: &[(u32, u32, u32)], symmetric: &[u32]) -> Links {
        let options = RankOptions {
            directed: true,
            symmetric: symmetric.iter().copied().collect(),
        };
        Links::new(&graph(n, facts), &options)
    }

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn betweenness_of_a_path_and_a_star() {
        // 0 - 1 - 2: the middle node lies on the one path between the ends.
        let (b, exact) = betweenness(&undirected(3, &[(0, 0, 1), (2, 0, 1)]));
        assert!(exact);
        assert_eq!(b, vec![0.0, 1.0, 0.0]);
        // A star of 5: the centre is on every path between leaves (networkx gives 1.0).
        let star = [(0, 0, 1), (0, 0, 2), (0, 0, 3), (0, 0, 4)];
        let (b, _) = betweenness(&undirected(5, &star));
        assert!((b[0] - 1.0).abs() < 1e-12 && b[1] == 0.0);
        // Directed 0 → 1 → 2: one ordered pair of six passes through 1 (networkx: 0.5).
        let (b, _) = betweenness(&directed(3, &[(0, 0, 1), (1, 0, 2)], &[]));
        assert_eq!(b, vec![0.0, 0.5, 0.0]);
        // Against the facts' direction nothing passes: 2 → 1 ← 0.
        let (b, _) = betweenness(&directed(3, &[(0, 0, 1), (2, 0, 1)], &[]));
        assert_eq!(b, vec![0.0, 0.0, 0.0]);
    }

    #[test]
    fn pagerank_of_a_cycle_is_uniform_and_sums_to_one() {
        let cycle = [(0, 0, 1), (1, 0, 2), (2, 0, 3), (3, 0, 0)];
        for links in [undirected(4, &cycle), directed(4, &cycle, &[])] {
            for r in &pagerank(&links, 0.85) {
                assert!((r - 0.25).abs() < 1e-9);
            }
        }
        let ranks = pagerank(&directed(3, &[(0, 0, 1), (0, 0, 2)], &[]), 0.85);
        assert!((ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(ranks[1] > ranks[0] && (ranks[1] - ranks[2]).abs() < 1e-12);
        // Undirected, the hub of a star ranks first.
        let ranks = pagerank(&undirected(3, &[(0, 0, 1), (0, 0, 2)]), 0.85);
        assert!(ranks[0] > ranks[1] && (ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn parallel_facts_count_once() {
        let simple = undirected(3, &[(0, 0, 1), (1, 0, 2)]);
        let parallel = undirected(3, &[(0, 0, 1), (0, 1, 1), (1, 0, 0), (1, 0, 2), (2, 1, 1)]);
        assert_eq!(simple, parallel);
        assert!(close(&pagerank(&simple, 0.85), &pagerank(&parallel, 0.85)));
    }

    #[test]
    fn symmetric_facts_link_both_ways_when_directed() {
        let facts = [(0, 1, 1), (1, 1, 2), (2, 0, 3)];
        // Predicate 1 symmetric: its facts as in the undirected graph, the other one way.
        let links = directed(4, &facts, &[1]);
        let both = directed(
            4,
            &[(0, 0, 1), (1, 0, 0), (1, 0, 2), (2, 0, 1), (2, 0, 3)],
            &[],
        );
        assert_eq!(links, both);
        // Every predicate symmetric: the undirected graph.
        assert_eq!(directed(4, &facts, &[0, 1]), undirected(4, &facts));
        // Directed and not symmetric: one way only.
        assert_ne!(directed(4, &facts, &[]), undirected(4, &facts));
    }

    #[test]
    fn rank_counts_degree_in_facts_and_says_how_it_linked() {
        let projection = graph(3, &[(0, 0, 1), (0, 1, 1), (1, 0, 2)]);
        let ranking = rank(&projection, &RankOptions::default());
        assert!(!ranking.directed && ranking.exact_betweenness);
        let degrees: Vec<_> = ranking.scores.iter().map(Scores::degree).collect();
        assert_eq!(degrees, [2, 3, 1]);
        let directed = rank(
            &projection,
            &RankOptions {
                directed: true,
                ..RankOptions::default()
            },
        );
        assert!(directed.directed);
        assert!((directed.scores[2].pagerank - ranking.scores[2].pagerank).abs() > 1e-3);
    }
}
