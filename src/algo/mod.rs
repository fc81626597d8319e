//! Algorithms on the graph projection: path queries (the shortest connection between two
//! entities, all the shortest ones, the k shortest simple paths), k-hop neighbourhoods, and
//! centrality (degree, `PageRank`, betweenness).
//!
//! Edges are facts, so the graph is a directed multigraph; by default a path may walk an edge
//! either way (each [`Step`] says which), and with [`PathQuery::directed`] only from subject to
//! object. Every search is bounded — depth, number of paths, and a work budget counted in edge
//! visits — and says when a bound cut its answer ([`Paths::truncated`]), never silently.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

mod neighbourhood;
mod paths;
mod rank;

pub use self::neighbourhood::{Neighbourhood, neighbourhood};
pub use self::paths::{Path, Paths, all_shortest_paths, k_shortest_paths, shortest_path};
pub use self::rank::{Links, RankOptions, Ranking, Scores, betweenness, pagerank, rank};
use crate::graph::Projection;

/// Hashes node and edge indexes with one rotate, xor and multiply per word instead of `SipHash`'s
/// rounds: the searches below insert every node they visit into hash maps, and with `SipHash`
/// that hashing was half of a shortest-path query. The keys are indexes kg assigned itself, not
/// values a client chose, so resistance to collision flooding buys nothing here.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IndexHasher(u64);

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
pub(crate) type NodeMap<V> = HashMap<u32, V, BuildHasherDefault<IndexHasher>>;

/// A set of indexes (or small tuples of them).
pub(crate) type IndexSet<T> = HashSet<T, BuildHasherDefault<IndexHasher>>;

/// A map holding one entry.
pub(crate) fn node_map<V>(key: u32, value: V) -> NodeMap<V> {
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
    #[inline]
    pub(crate) fn allows(&self, projection: &Projection, edge: u32) -> bool {
        if self.exclude.is_empty() && self.via.is_none() {
            return true;
        }
        let predicate = projection.edge(edge).predicate();
        !self.exclude.contains(&predicate)
            && self.via.as_ref().is_none_or(|v| v.contains(&predicate))
    }

    pub(crate) fn max_hops(&self) -> usize {
        self.max_hops.min(limits::MAX_HOPS)
    }

    pub(crate) fn max_paths(&self) -> usize {
        self.max_paths.clamp(1, limits::MAX_PATHS)
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

/// Counts edge visits against the budget.
pub(crate) struct Budget {
    left: u64,
    spent: u64,
}

impl Budget {
    pub(crate) fn new(budget: u64) -> Self {
        Self {
            left: budget,
            spent: 0,
        }
    }

    /// Spends one visit; `false` when none are left.
    pub(crate) fn spend(&mut self) -> bool {
        if self.left == 0 {
            return false;
        }
        self.left -= 1;
        self.spent += 1;
        true
    }
}
