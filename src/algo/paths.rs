//! Path searches: bidirectional BFS for one shortest path, all shortest paths, and Yen's k
//! shortest simple paths.

use std::collections::{HashSet, VecDeque};

use super::{Budget, IndexSet, NodeMap, PathQuery, Truncation, node_map};
use crate::graph::{Projection, Step};

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

/// Nodes and edges a search must avoid (for Yen's spur paths).
#[derive(Debug, Default)]
struct Bans {
    nodes: IndexSet<u32>,
    edges: IndexSet<(u32, u32, bool)>,
}

/// The shortest path from `from` to `to`, by bidirectional breadth-first search.
///
/// Expands the smaller frontier one level at a time and stops at the first node both sides have
/// reached: every meeting within a level has the same total depth, so the first is a shortest
/// path. Time O(b^(d/2)) for branching factor b and distance d
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
    // For each visited node, how it was reached: the step; for the backward side, the step that
    // leaves it towards the target.
    let mut forward = Visits::new(from);
    let mut backward = Visits::new(to);
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
        // The first meeting found ends the search: every meeting in a level has the same total
        // depth (one at a smaller depth on the other side would have been met a level earlier),
        // so the rest of the level, usually the largest part of the search, need not be walked.
        let mut next = Vec::new();
        if forward_frontier.len() <= backward_frontier.len() {
            forward_depth += 1;
            for &node in &forward_frontier {
                for step in projection.steps(node, query.directed) {
                    if !budget.spend() {
                        return None;
                    }
                    if forward.contains(step.node)
                        || !allowed(&step)
                        || bans.nodes.contains(&step.node)
                    {
                        continue;
                    }
                    forward.insert(step.node, step);
                    if backward.contains(step.node) {
                        return Some(join(projection, from, step.node, &forward, &backward));
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
                    if backward.contains(step.node)
                        || !allowed(&into)
                        || bans.nodes.contains(&step.node)
                    {
                        continue;
                    }
                    backward.insert(step.node, into);
                    if forward.contains(step.node) {
                        return Some(join(projection, from, step.node, &forward, &backward));
                    }
                    next.push(step.node);
                }
            }
            backward_frontier = next;
        }
    }
    None
}

/// Visited nodes of one side of a bidirectional search and how each was reached: a small
/// open-addressing table keyed by node, linear probing, grown at half full. A search visits a
/// few thousand nodes even on a graph of millions, so the table stays in the processor's caches;
/// an array indexed by node (8 bytes a node, 8 MiB a side at a million nodes) cost a cache miss,
/// or on its first use a page fault, on nearly every visit.
struct Visits {
    slots: Vec<Slot>,
    /// Slots in use.
    len: usize,
    /// `64 - log2(slots.len())`: the shift that turns a spread node into a slot.
    shift: u32,
}

/// One slot: a node (or [`Slot::EMPTY`]) and the step that reached it.
#[derive(Clone, Copy)]
struct Slot {
    node: u32,
    edge: u32,
    /// [`Slot::STEP`] unless the node is the start; [`Slot::FORWARD`] when the step was walked
    /// from subject to object.
    how: u8,
}

impl Slot {
    /// No node: node indexes are below the node count, which a word holds.
    const EMPTY: u32 = u32::MAX;
    const STEP: u8 = 1;
    const FORWARD: u8 = 2;
    const FREE: Self = Self {
        node: Self::EMPTY,
        edge: 0,
        how: 0,
    };
}

impl Visits {
    /// Slots a table starts with (12 KiB).
    const FIRST_SLOTS: usize = 1 << 10;

    fn new(start: u32) -> Self {
        let mut visits = Self {
            slots: vec![Slot::FREE; Self::FIRST_SLOTS],
            len: 0,
            shift: 64 - Self::FIRST_SLOTS.trailing_zeros(),
        };
        visits.put(Slot {
            node: start,
            edge: 0,
            how: 0,
        });
        visits
    }

    /// The slot holding `node`, or the free slot where it would go.
    fn find(&self, node: u32) -> usize {
        let mask = self.slots.len() - 1;
        // Fibonacci hashing: the multiply spreads the bits, the top ones pick the slot.
        let spread = u64::from(node).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift;
        let mut at = usize::try_from(spread).unwrap_or_default() & mask;
        loop {
            let held = self.slots[at].node;
            if held == node || held == Slot::EMPTY {
                return at;
            }
            at = (at + 1) & mask;
        }
    }

    fn contains(&self, node: u32) -> bool {
        self.slots[self.find(node)].node == node
    }

    /// Records how `node` was reached (a node already recorded keeps its first step).
    fn insert(&mut self, node: u32, step: Step) {
        let how = Slot::STEP | if step.forward { Slot::FORWARD } else { 0 };
        self.put(Slot {
            node,
            edge: step.edge,
            how,
        });
    }

    fn put(&mut self, slot: Slot) {
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        let at = self.find(slot.node);
        if self.slots[at].node == Slot::EMPTY {
            self.slots[at] = slot;
            self.len += 1;
        }
    }

    fn grow(&mut self) {
        let wider = vec![Slot::FREE; 2 * self.slots.len()];
        let old = std::mem::replace(&mut self.slots, wider);
        self.shift -= 1;
        for slot in old.into_iter().filter(|s| s.node != Slot::EMPTY) {
            let at = self.find(slot.node);
            self.slots[at] = slot;
        }
    }

    /// The step recorded for `node` (as walked, ending at `end` of that step), unless it is the
    /// start or was not visited.
    fn step(&self, node: u32) -> Option<(u32, bool)> {
        let slot = self.slots[self.find(node)];
        (slot.node == node && slot.how & Slot::STEP != 0)
            .then_some((slot.edge, slot.how & Slot::FORWARD != 0))
    }
}

/// Stitches the two half paths at the meeting node.
fn join(
    projection: &Projection,
    from: u32,
    meeting: u32,
    forward: &Visits,
    backward: &Visits,
) -> Path {
    let mut steps = Vec::new();
    let mut node = meeting;
    // The forward side reached `node` along the step; it came from the step's other end.
    while let Some((edge, walked_forward)) = forward.step(node) {
        steps.push(Step {
            edge,
            node,
            forward: walked_forward,
        });
        let e = projection.edge(edge);
        node = if walked_forward {
            e.source()
        } else {
            e.target()
        };
    }
    steps.reverse();
    // The backward side leaves `node` along the step towards the target.
    let mut node = meeting;
    while let Some((edge, walked_forward)) = backward.step(node) {
        let e = projection.edge(edge);
        node = if walked_forward {
            e.target()
        } else {
            e.source()
        };
        steps.push(Step {
            edge,
            node,
            forward: walked_forward,
        });
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
/// At most [`PathQuery::max_paths`] are returned: when `k` is larger and a further path exists,
/// the answer says [`Truncation::MaxPaths`]. Paths that differ only in which parallel edge they
/// take are different paths. Time O(k · L · S) where L is the path length and S one bounded
/// search.
pub fn k_shortest_paths(
    projection: &Projection,
    from: u32,
    to: u32,
    k: usize,
    query: &PathQuery,
) -> Paths {
    let asked = k.max(1);
    let limit = asked.min(query.max_paths());
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
    while found.len() < asked {
        if !spur_paths(
            projection,
            (from, to),
            query,
            &found,
            &mut seen,
            &mut candidates,
            &mut budget,
        ) {
            truncated = Some(Truncation::Budget);
            break;
        }
        if candidates.is_empty() {
            break;
        }
        if found.len() == limit {
            // Another path exists, but the bound on paths stops the answer here.
            truncated = Some(Truncation::MaxPaths);
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

/// One round of Yen's algorithm: the spur paths that deviate from the last path found, added to
/// `candidates` when new and simple. `false` when the budget ran out.
fn spur_paths(
    projection: &Projection,
    (from, to): (u32, u32),
    query: &PathQuery,
    found: &[Path],
    seen: &mut HashSet<Path>,
    candidates: &mut Vec<Path>,
    budget: &mut Budget,
) -> bool {
    let Some(last) = found.last() else {
        return true;
    };
    let nodes: Vec<u32> = last.nodes().collect();
    for spur_index in 0..last.len() {
        let spur_node = nodes[spur_index];
        let root = &last.steps[..spur_index];
        let mut bans = Bans::default();
        for path in found {
            if path.steps.len() > spur_index && path.steps[..spur_index] == *root {
                let step = path.steps[spur_index];
                bans.edges.insert((step.edge, step.node, step.forward));
            }
        }
        bans.nodes.extend(nodes[..spur_index].iter().copied());
        let mut spur_query = query.clone();
        spur_query.max_hops = query.max_hops().saturating_sub(spur_index);
        let Some(spur) = bidirectional(projection, spur_node, to, &spur_query, &bans, budget)
        else {
            if budget.left == 0 {
                return false;
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
    true
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{EdgeData, NodeData, ProjectionData};

    /// 0 → {1, 2, 3, 4} → 5: four paths of two hops.
    fn fan() -> Projection {
        let nodes = (0..6)
            .map(|i| NodeData {
                iri: format!("urn:n{i}"),
                id: format!("n{i}"),
                label: format!("n{i}"),
                types: vec![],
            })
            .collect();
        let edges = (1..5)
            .flat_map(|middle| [(0, middle), (middle, 5)])
            .map(|(source, target)| EdgeData {
                source,
                target,
                predicate: 0,
                evidence: vec![],
                inferred: None,
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
    fn k_beyond_the_path_bound_says_what_cut_it() {
        let graph = fan();
        let query = |max_paths| PathQuery {
            max_paths,
            ..PathQuery::default()
        };
        // Ten asked, three allowed, four exist: cut by the bound.
        let found = k_shortest_paths(&graph, 0, 5, 10, &query(3));
        assert_eq!(found.paths.len(), 3);
        assert_eq!(found.truncated, Some(Truncation::MaxPaths));
        // Four allowed: all four, nothing cut.
        let found = k_shortest_paths(&graph, 0, 5, 10, &query(4));
        assert_eq!((found.paths.len(), found.truncated), (4, None));
        // Three asked: three given, as asked.
        let found = k_shortest_paths(&graph, 0, 5, 3, &query(100));
        assert_eq!((found.paths.len(), found.truncated), (3, None));
    }
}
