//! Path queries on the graph projection: the shortest connection between two entities, all the
//! shortest ones, the k shortest simple paths, and k-hop neighbourhoods.
//!
//! Edges are facts, so the graph is a directed multigraph; by default a path may walk an edge
//! either way (each [`Step`] says which), and with [`PathQuery::directed`] only from subject to
//! object. Every search is bounded — depth, number of paths, and a work budget counted in edge
//! visits — and says when a bound cut its answer ([`Paths::truncated`]), never silently.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use crate::graph::{Projection, Step};

/// Hashes node and edge indexes with one rotate, xor and multiply per word instead of `SipHash`'s
/// rounds: the searches below insert every node they visit into hash maps, and with `SipHash`
/// that hashing was half of a shortest-path query. The keys are indexes kg assigned itself, not
/// values a client chose, so resistance to collision flooding buys nothing here.
#[derive(Debug, Default, Clone, Copy)]
struct IndexHasher(u64);

impl IndexHasher {
    /// An odd constant with well-spread bits (2⁶⁴ divided by the golden ratio).
    const SPREAD: u64 = 0x9E37_79B9_7F4A_7C15;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(Self::SPREAD);
    }
}

impl Hasher for IndexHasher {
    fn finish(&self) -> u64 {
        // The multiply moves entropy upwards; fold it back so the low bits, which pick the
        // bucket, depend on every bit of the key.
        self.0 ^ (self.0 >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

/// A hash map keyed by node index.
type NodeMap<V> = HashMap<u32, V, BuildHasherDefault<IndexHasher>>;

/// A set of indexes (or small tuples of them).
type IndexSet<T> = HashSet<T, BuildHasherDefault<IndexHasher>>;

/// A map holding one entry.
fn node_map<V>(key: u32, value: V) -> NodeMap<V> {
    let mut map = NodeMap::default();
    map.insert(key, value);
    map
}

/// Default and hard limits.
pub mod limits {
    /// Hops searched when none are asked for.
    pub const DEFAULT_MAX_HOPS: usize = 6;
    /// Hops never exceeded, whatever is asked.
    pub const MAX_HOPS: usize = 20;
    /// Paths returned when none are asked for (`--all-shortest`).
    pub const DEFAULT_MAX_PATHS: usize = 100;
    /// Paths never exceeded.
    pub const MAX_PATHS: usize = 1000;
    /// Edge visits a query may spend before it stops and says `truncated`.
    pub const DEFAULT_BUDGET: u64 = 20_000_000;
}

/// What a path may use, and how far it may go.
#[derive(Debug, Clone)]
pub struct PathQuery {
    /// Walk edges only from subject to object.
    pub directed: bool,
    /// Longest path, in hops (capped at [`limits::MAX_HOPS`]).
    pub max_hops: usize,
    /// When set, only these predicates (indexes into [`Projection::predicates`]).
    pub via: Option<HashSet<u32>>,
    /// Predicates never used.
    pub exclude: HashSet<u32>,
    /// Most paths returned (capped at [`limits::MAX_PATHS`]).
    pub max_paths: usize,
    /// Edge visits allowed.
    pub budget: u64,
}

impl Default for PathQuery {
    fn default() -> Self {
        Self {
            directed: false,
            max_hops: limits::DEFAULT_MAX_HOPS,
            via: None,
            exclude: HashSet::new(),
            max_paths: limits::DEFAULT_MAX_PATHS,
            budget: limits::DEFAULT_BUDGET,
        }
    }
}

impl PathQuery {
    fn allows(&self, projection: &Projection, edge: u32) -> bool {
        if self.exclude.is_empty() && self.via.is_none() {
            return true;
        }
        let predicate = projection.edge(edge).predicate();
        !self.exclude.contains(&predicate)
            && self.via.as_ref().is_none_or(|v| v.contains(&predicate))
    }

    fn max_hops(&self) -> usize {
        self.max_hops.min(limits::MAX_HOPS)
    }

    fn max_paths(&self) -> usize {
        self.max_paths.clamp(1, limits::MAX_PATHS)
    }
}

/// One path: where it starts and the steps it takes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Path {
    /// The first node.
    pub start: u32,
    /// The steps, in order; `steps.len()` is the length in hops.
    pub steps: Vec<Step>,
}

impl Path {
    /// Length in hops.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether the path has no steps (start and end are the same node).
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The nodes visited, start included.
    pub fn nodes(&self) -> impl Iterator<Item = u32> + '_ {
        std::iter::once(self.start).chain(self.steps.iter().map(|s| s.node))
    }

    /// Whether no node repeats.
    pub fn is_simple(&self) -> bool {
        let mut seen = HashSet::new();
        self.nodes().all(|n| seen.insert(n))
    }
}

/// Why an answer may be incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truncation {
    /// The work budget ran out.
    Budget,
    /// More paths existed than were asked for.
    MaxPaths,
    /// The neighbourhood had more nodes than allowed.
    MaxNodes,
}

/// The answer of a path search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    /// Paths, shortest first.
    pub paths: Vec<Path>,
    /// Set when a bound cut the answer (the paths given are still correct).
    pub truncated: Option<Truncation>,
    /// Edge visits spent.
    pub work: u64,
}

/// Counts edge visits against the budget.
struct Budget {
    left: u64,
    spent: u64,
}

impl Budget {
    fn new(budget: u64) -> Self {
        Self {
            left: budget,
            spent: 0,
        }
    }

    /// Spends one visit; `false` when none are left.
    fn spend(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        self.spent += 1;
        true
    }
}

/// Nodes and edges a search must avoid (for Yen's spur paths).
#[derive(Debug, Default)]
struct Bans {
    nodes: IndexSet<u32>,
    edges: IndexSet<(u32, u32, bool)>,
}

/// The shortest path from `from` to `to`, by bidirectional breadth-first search.
///
/// Expands the smaller frontier one whole level at a time, so the first meeting found at the
/// lowest total depth is a shortest path. Time O(b^(d/2)) for branching factor b and distance d
/// (O(V + E) at worst), memory O(visited nodes).
pub fn shortest_path(projection: &Projection, from: u32, to: u32, query: &PathQuery) -> Paths {
    let mut budget = Budget::new(query.budget);
    let path = bidirectional(projection, from, to, query, &Bans::default(), &mut budget);
    Paths {
        truncated: (path.is_none() && budget.left == 0).then_some(Truncation::Budget),
        paths: path.into_iter().collect(),
        work: budget.spent,
    }
}

fn bidirectional(
    projection: &Projection,
    from: u32,
    to: u32,
    query: &PathQuery,
    bans: &Bans,
    budget: &mut Budget,
) -> Option<Path> {
    if bans.nodes.contains(&from) || bans.nodes.contains(&to) {
        return None;
    }
    if from == to {
        return Some(Path {
            start: from,
            steps: Vec::new(),
        });
    }
    // For each visited node: how it was reached (previous node and step; for the backward side,
    // the step that leaves it towards the target) and its depth on that side.
    let mut forward: Visits = node_map(from, (None, 0));
    let mut backward: Visits = node_map(to, (None, 0));
    let mut forward_frontier = vec![from];
    let mut backward_frontier = vec![to];
    let (mut forward_depth, mut backward_depth) = (0, 0);
    let allowed = |step: &Step| {
        query.allows(projection, step.edge)
            && (bans.edges.is_empty()
                || !bans.edges.contains(&(step.edge, step.node, step.forward)))
    };
    while !forward_frontier.is_empty()
        && !backward_frontier.is_empty()
        && forward_depth + backward_depth < query.max_hops()
    {
        // The meeting node with the lowest total depth found in this level.
        let mut best: Option<(u32, usize)> = None;
        let mut meet = |node: u32, total: usize| {
            if best.is_none_or(|(_, t)| total < t) {
                best = Some((node, total));
            }
        };
        let mut next = Vec::new();
        if forward_frontier.len() <= backward_frontier.len() {
            forward_depth += 1;
            for &node in &forward_frontier {
                for step in projection.steps(node, query.directed) {
                    if !budget.spend() {
                        return None;
                    }
                    if forward.contains_key(&step.node)
                        || !allowed(&step)
                        || bans.nodes.contains(&step.node)
                    {
                        continue;
                    }
                    forward.insert(step.node, (Some((node, step)), forward_depth));
                    if let Some((_, depth)) = backward.get(&step.node) {
                        meet(step.node, forward_depth + depth);
                    }
                    next.push(step.node);
                }
            }
            forward_frontier = next;
        } else {
            backward_depth += 1;
            for &node in &backward_frontier {
                for step in projection.steps_into(node, query.directed) {
                    if !budget.spend() {
                        return None;
                    }
                    // `step.node` is where the step starts; walking it reaches `node`.
                    let into = Step {
                        edge: step.edge,
                        node,
                        forward: step.forward,
                    };
                    if backward.contains_key(&step.node)
                        || !allowed(&into)
                        || bans.nodes.contains(&step.node)
                    {
                        continue;
                    }
                    backward.insert(step.node, (Some((node, into)), backward_depth));
                    if let Some((_, depth)) = forward.get(&step.node) {
                        meet(step.node, backward_depth + depth);
                    }
                    next.push(step.node);
                }
            }
            backward_frontier = next;
        }
        if let Some((meeting, _)) = best {
            return Some(join(from, meeting, &forward, &backward));
        }
    }
    None
}

/// Visited nodes of one side of a bidirectional search: how each was reached, and its depth.
type Visits = NodeMap<(Option<(u32, Step)>, usize)>;

/// Stitches the two half paths at the meeting node.
fn join(from: u32, meeting: u32, forward: &Visits, backward: &Visits) -> Path {
    let mut steps = Vec::new();
    let mut node = meeting;
    while let Some((Some((previous, step)), _)) = forward.get(&node) {
        steps.push(*step);
        node = *previous;
    }
    steps.reverse();
    let mut node = meeting;
    while let Some((Some((next, step)), _)) = backward.get(&node) {
        steps.push(*step);
        node = *next;
    }
    Path { start: from, steps }
}

/// Breadth-first distances from `start` (forward walking, or walking into `start` when
/// `reverse`), up to `max` hops.
fn distances(
    projection: &Projection,
    start: u32,
    query: &PathQuery,
    reverse: bool,
    max: usize,
    budget: &mut Budget,
) -> Option<NodeMap<usize>> {
    let mut distance = node_map(start, 0);
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        let d = distance[&node];
        if d == max {
            continue;
        }
        let steps: Vec<Step> = if reverse {
            projection.steps_into(node, query.directed).collect()
        } else {
            projection.steps(node, query.directed).collect()
        };
        for step in steps {
            if !budget.spend() {
                return None;
            }
            if query.allows(projection, step.edge) && !distance.contains_key(&step.node) {
                distance.insert(step.node, d + 1);
                queue.push_back(step.node);
            }
        }
    }
    Some(distance)
}

/// All shortest paths from `from` to `to` (every combination of edges on a shortest route), at
/// most [`PathQuery::max_paths`] of them.
///
/// Two breadth-first searches give each node's distance from `from` and to `to`; the paths are the
/// walks along edges `u → v` with `d(from, u) + 1 + d(v, to) = d(from, to)`. Time O(V + E) plus
/// the paths written.
pub fn all_shortest_paths(projection: &Projection, from: u32, to: u32, query: &PathQuery) -> Paths {
    let mut budget = Budget::new(query.budget);
    let Some(first) = bidirectional(projection, from, to, query, &Bans::default(), &mut budget)
    else {
        return Paths {
            truncated: (budget.left == 0).then_some(Truncation::Budget),
            paths: Vec::new(),
            work: budget.spent,
        };
    };
    let length = first.len();
    let (Some(from_start), Some(to_end)) = (
        distances(projection, from, query, false, length, &mut budget),
        distances(projection, to, query, true, length, &mut budget),
    ) else {
        return Paths {
            paths: vec![first],
            truncated: Some(Truncation::Budget),
            work: budget.spent,
        };
    };
    let mut paths = Vec::new();
    let mut truncated = None;
    let mut stack: Vec<(u32, Vec<Step>)> = vec![(from, Vec::new())];
    while let Some((node, steps)) = stack.pop() {
        if node == to && steps.len() == length {
            if paths.len() == query.max_paths() {
                truncated = Some(Truncation::MaxPaths);
                break;
            }
            paths.push(Path { start: from, steps });
            continue;
        }
        let mut next: Vec<Step> = projection
            .steps(node, query.directed)
            .filter(|s| query.allows(projection, s.edge))
            .filter(|s| {
                from_start.get(&s.node) == Some(&(steps.len() + 1))
                    && to_end
                        .get(&s.node)
                        .is_some_and(|d| steps.len() + 1 + d == length)
            })
            .collect();
        // Reverse so that the stack pops them in edge order: deterministic output.
        next.reverse();
        for step in next {
            let mut longer = steps.clone();
            longer.push(step);
            stack.push((step.node, longer));
        }
    }
    sort_paths(projection, &mut paths);
    Paths {
        paths,
        truncated,
        work: budget.spent,
    }
}

/// The `k` shortest simple paths (no repeated node), shortest first, by Yen's algorithm with the
/// bidirectional search above as its shortest-path step.
///
/// Paths that differ only in which parallel edge they take are different paths. Time O(k · L ·
/// S) where L is the path length and S one bounded search.
pub fn k_shortest_paths(
    projection: &Projection,
    from: u32,
    to: u32,
    k: usize,
    query: &PathQuery,
) -> Paths {
    let k = k.clamp(1, query.max_paths());
    let mut budget = Budget::new(query.budget);
    let Some(first) = bidirectional(projection, from, to, query, &Bans::default(), &mut budget)
    else {
        return Paths {
            truncated: (budget.left == 0).then_some(Truncation::Budget),
            paths: Vec::new(),
            work: budget.spent,
        };
    };
    let mut found = vec![first];
    let mut candidates: Vec<Path> = Vec::new();
    let mut seen: HashSet<Path> = found.iter().cloned().collect();
    let mut truncated = None;
    while found.len() < k {
        let last = found.last().cloned().unwrap_or_else(|| Path {
            start: from,
            steps: Vec::new(),
        });
        let nodes: Vec<u32> = last.nodes().collect();
        for spur_index in 0..last.len() {
            let spur_node = nodes[spur_index];
            let root = &last.steps[..spur_index];
            let mut bans = Bans::default();
            for path in &found {
                if path.steps.len() > spur_index && path.steps[..spur_index] == *root {
                    let step = path.steps[spur_index];
                    bans.edges.insert((step.edge, step.node, step.forward));
                }
            }
            bans.nodes.extend(nodes[..spur_index].iter().copied());
            let mut spur_query = query.clone();
            spur_query.max_hops = query.max_hops().saturating_sub(spur_index);
            let Some(spur) =
                bidirectional(projection, spur_node, to, &spur_query, &bans, &mut budget)
            else {
                if budget.left == 0 {
                    truncated = Some(Truncation::Budget);
                    break;
                }
                continue;
            };
            let mut steps = root.to_vec();
            steps.extend(spur.steps);
            let path = Path { start: from, steps };
            if path.is_simple() && seen.insert(path.clone()) {
                candidates.push(path);
            }
        }
        if truncated.is_some() || candidates.is_empty() {
            break;
        }
        // The shortest candidate (ties: the one first in edge order) joins the answer.
        sort_paths(projection, &mut candidates);
        found.push(candidates.remove(0));
    }
    Paths {
        paths: found,
        truncated,
        work: budget.spent,
    }
}

/// Sorts paths by length, then by their edges, for a stable order.
fn sort_paths(_projection: &Projection, paths: &mut [Path]) {
    paths.sort_by(|a, b| {
        a.len().cmp(&b.len()).then_with(|| {
            let key = |p: &Path| {
                p.steps
                    .iter()
                    .map(|s| (s.edge, s.forward))
                    .collect::<Vec<_>>()
            };
            key(a).cmp(&key(b))
        })
    });
}

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
