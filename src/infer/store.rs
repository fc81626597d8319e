//! The reasoner's working memory: every triple known so far (asserted first, then derived, in
//! the order found), each derived one with the one derivation that found it, the indexes the
//! rules join on, and the `owl:sameAs` classes (a union-find over term numbers).
//!
//! Triples are three term numbers of the [`FactSet`] (terms the rules need that the facts
//! never mention, such as `owl:sameAs`, get numbers after the last one). Memory per triple: 12
//! bytes in the arena, 8 for the subject and object chains, 4 in its predicate's list, one flag
//! and a hash-set entry (about 24 bytes); per derived triple, one byte of rule and its premises
//! (12 bytes each); per term, 16 bytes of chain heads and union-find.

// Triple and term numbers are `u32` by design: the store refuses a 2³²nd triple, so the
// lengths it converts always fit.
#![allow(clippy::cast_possible_truncation)]

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use oxigraph::model::{NamedNodeRef, Term};

use super::rules::Rule;
use crate::algo::IndexHasher;
use crate::ingest::FactSet;

/// A term's number.
pub type Id = u32;

/// A triple of term numbers: subject, predicate, object.
pub type Triple3 = [Id; 3];

/// The end of a chain.
const NONE: u32 = u32::MAX;

type Map<K, V> = HashMap<K, V, BuildHasherDefault<IndexHasher>>;

/// The terms of a [`FactSet`] and the few vocabulary terms added to them.
pub struct Terms<'a> {
    facts: &'a FactSet,
    /// The first number after the fact set's terms.
    base: Id,
    extra: Vec<Term>,
}

impl<'a> Terms<'a> {
    /// The terms of `facts`.
    pub fn new(facts: &'a FactSet) -> Self {
        let base = facts
            .triples()
            .iter()
            .flat_map(|t| t.iter().copied())
            .max()
            .map_or(0, |max| max + 1);
        Self {
            facts,
            base,
            extra: Vec::new(),
        }
    }

    /// The number of a vocabulary term, added when the facts do not mention it.
    pub fn vocabulary(&mut self, iri: NamedNodeRef<'_>) -> Id {
        let term = Term::NamedNode(iri.into_owned());
        if let Some(id) = self.facts.id(&term).filter(|&id| id < self.base) {
            return id;
        }
        if let Some(i) = self.extra.iter().position(|t| *t == term) {
            return self.base + i as Id;
        }
        self.extra.push(term);
        self.base + (self.extra.len() - 1) as Id
    }

    /// The term with a number.
    pub fn term(&self, id: Id) -> &Term {
        if id < self.base {
            self.facts.term(id)
        } else {
            &self.extra[(id - self.base) as usize]
        }
    }

    /// The number of a term, when it has one.
    pub fn id(&self, term: &Term) -> Option<Id> {
        if let Some(id) = self.facts.id(term).filter(|&id| id < self.base) {
            return Some(id);
        }
        let i = self.extra.iter().position(|t| t == term)?;
        Some(self.base + i as Id)
    }

    /// How many numbers are in use.
    pub fn len(&self) -> usize {
        self.base as usize + self.extra.len()
    }

    /// Whether a number is a literal's (literals are never subjects, nor equal to anything).
    pub fn is_literal(&self, id: Id) -> bool {
        matches!(self.term(id), Term::Literal(_))
    }
}

/// How a derived triple was found: a rule and its premises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Derivation {
    /// The rule.
    pub rule: Rule,
    /// The premise triples, in the rule's body order (the schema triples first).
    pub premises: Vec<Triple3>,
}

/// The working memory.
pub struct Store {
    triples: Vec<Triple3>,
    alive: Vec<bool>,
    asserted: usize,
    index: Map<Triple3, u32>,
    next_s: Vec<u32>,
    next_o: Vec<u32>,
    head_s: Vec<u32>,
    head_o: Vec<u32>,
    by_p: Map<Id, Vec<u32>>,
    /// Derived triple `i` (counted from the first derived one) was found by `rules[i]` from
    /// `premises[starts[i]..starts[i + 1]]`.
    rules: Vec<Rule>,
    starts: Vec<u32>,
    premises: Vec<Triple3>,
    parent: Vec<Id>,
    size: Vec<u32>,
    /// Triples that keep no chains (`owl:sameAs`: equality lives in the union-find).
    unchained: Id,
}

impl Store {
    /// A store for `terms` numbers, that keeps `owl:sameAs` (numbered `same_as`) out of its
    /// chains.
    pub fn new(terms: usize, same_as: Id) -> Self {
        Self {
            triples: Vec::new(),
            alive: Vec::new(),
            asserted: 0,
            index: Map::default(),
            next_s: Vec::new(),
            next_o: Vec::new(),
            head_s: vec![NONE; terms],
            head_o: vec![NONE; terms],
            by_p: Map::default(),
            rules: Vec::new(),
            starts: vec![0],
            premises: Vec::new(),
            parent: (0..terms as Id).collect(),
            size: vec![1; terms],
            unchained: same_as,
        }
    }

    /// Adds an asserted triple (before any derived one). Returns whether it was new.
    pub fn assert(&mut self, triple: Triple3) -> bool {
        debug_assert_eq!(self.asserted, self.triples.len());
        let added = self.push(triple, true).is_some();
        self.asserted = self.triples.len();
        added
    }

    /// Adds a derived triple with its derivation; `alive` is false for the intermediate steps
    /// of a rewrite, which are recorded but not joined. Returns its number when it was new.
    pub fn derive(
        &mut self,
        triple: Triple3,
        rule: Rule,
        premises: &[Triple3],
        alive: bool,
    ) -> Option<u32> {
        let i = self.push(triple, alive)?;
        self.rules.push(rule);
        self.premises.extend_from_slice(premises);
        self.starts.push(self.premises.len() as u32);
        Some(i)
    }

    fn push(&mut self, triple: Triple3, alive: bool) -> Option<u32> {
        let i = u32::try_from(self.triples.len())
            .ok()
            .filter(|&i| i != NONE)?;
        if self.index.contains_key(&triple) {
            return None;
        }
        self.index.insert(triple, i);
        self.triples.push(triple);
        self.alive.push(alive);
        let [s, p, o] = triple;
        if alive && p != self.unchained {
            self.next_s
                .push(std::mem::replace(&mut self.head_s[s as usize], i));
            self.next_o
                .push(std::mem::replace(&mut self.head_o[o as usize], i));
            self.by_p.entry(p).or_default().push(i);
        } else {
            self.next_s.push(NONE);
            self.next_o.push(NONE);
        }
        Some(i)
    }

    /// How many triples are known (asserted and derived, rewritten ones included).
    pub fn len(&self) -> usize {
        self.triples.len()
    }

    /// How many were asserted.
    pub fn asserted(&self) -> usize {
        self.asserted
    }

    /// Triple number `i`.
    pub fn triple(&self, i: u32) -> Triple3 {
        self.triples[i as usize]
    }

    /// Whether triple `i` still takes part in joins (it was not rewritten to other terms).
    pub fn is_alive(&self, i: u32) -> bool {
        self.alive[i as usize]
    }

    /// Marks triple `i` rewritten.
    pub fn kill(&mut self, i: u32) {
        self.alive[i as usize] = false;
    }

    /// The number of a known triple.
    pub fn find(&self, triple: &Triple3) -> Option<u32> {
        self.index.get(triple).copied()
    }

    /// The derivation of triple `i`, when it was derived.
    pub fn derivation(&self, i: u32) -> Option<Derivation> {
        let j = (i as usize).checked_sub(self.asserted)?;
        let (start, end) = (self.starts[j] as usize, self.starts[j + 1] as usize);
        Some(Derivation {
            rule: self.rules[j],
            premises: self.premises[start..end].to_vec(),
        })
    }

    /// The numbers of the live triples with subject `s`.
    pub fn with_subject(&self, s: Id) -> Chain<'_> {
        Chain {
            store: self,
            at: self.head_s.get(s as usize).copied().unwrap_or(NONE),
            by_subject: true,
        }
    }

    /// The numbers of the live triples with object `o`.
    pub fn with_object(&self, o: Id) -> Chain<'_> {
        Chain {
            store: self,
            at: self.head_o.get(o as usize).copied().unwrap_or(NONE),
            by_subject: false,
        }
    }

    /// The objects of the live triples `(s, p, ?)`.
    pub fn objects(&self, s: Id, p: Id) -> Vec<Id> {
        self.with_subject(s)
            .map(|i| self.triples[i as usize])
            .filter(|t| t[1] == p)
            .map(|t| t[2])
            .collect()
    }

    /// The subjects of the live triples `(?, p, o)`.
    pub fn subjects(&self, p: Id, o: Id) -> Vec<Id> {
        self.with_object(o)
            .map(|i| self.triples[i as usize])
            .filter(|t| t[1] == p)
            .map(|t| t[0])
            .collect()
    }

    /// Whether the live triple `(s, p, o)` is known.
    pub fn contains(&self, triple: &Triple3) -> bool {
        self.find(triple).is_some_and(|i| self.is_alive(i))
    }

    /// The numbers of the triples with predicate `p` (rewritten ones included: check
    /// [`Store::is_alive`]).
    pub fn with_predicate(&self, p: Id) -> &[u32] {
        self.by_p.get(&p).map_or(&[], Vec::as_slice)
    }

    /// The representative of a term's `owl:sameAs` class.
    pub fn representative(&self, mut id: Id) -> Id {
        while let Some(&parent) = self.parent.get(id as usize) {
            if parent == id {
                break;
            }
            id = parent;
        }
        id
    }

    /// The triple with every term replaced by its representative.
    pub fn canonical(&self, [s, p, o]: Triple3) -> Triple3 {
        [
            self.representative(s),
            self.representative(p),
            self.representative(o),
        ]
    }

    /// Merges the classes of two representatives; the larger class's representative (or
    /// `keep`, when it is one of them) stays. Returns (kept, merged away).
    pub fn union(&mut self, a: Id, b: Id, keep: impl Fn(Id) -> bool) -> (Id, Id) {
        let (sa, sb) = (self.size[a as usize], self.size[b as usize]);
        let (winner, loser) = match (keep(a), keep(b)) {
            (true, false) => (a, b),
            (false, true) => (b, a),
            _ if sa > sb || (sa == sb && a < b) => (a, b),
            _ => (b, a),
        };
        self.parent[loser as usize] = winner;
        self.size[winner as usize] = sa + sb;
        // Path halving is not needed: classes are merged by size, so chains stay logarithmic.
        (winner, loser)
    }

    /// The size of a representative's class.
    pub fn class_size(&self, representative: Id) -> u32 {
        self.size[representative as usize]
    }

    /// Every term number that is not its own representative, with its representative.
    pub fn merged(&self) -> impl Iterator<Item = (Id, Id)> + '_ {
        (0..self.parent.len() as Id)
            .filter(|&id| self.parent[id as usize] != id)
            .map(|id| (id, self.representative(id)))
    }
}

/// The live triples of one subject or object, newest first.
pub struct Chain<'a> {
    store: &'a Store,
    at: u32,
    by_subject: bool,
}

impl Iterator for Chain<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        while self.at != NONE {
            let i = self.at;
            let next = if self.by_subject {
                &self.store.next_s
            } else {
                &self.store.next_o
            };
            self.at = next[i as usize];
            if self.store.alive[i as usize] {
                return Some(i);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_each_triple_once_and_indexes_it() {
        let mut store = Store::new(10, 9);
        assert!(store.assert([1, 2, 3]));
        assert!(!store.assert([1, 2, 3]));
        assert!(store.assert([1, 2, 4]));
        let derived = store.derive([4, 2, 1], Rule::PrpSymp, &[[1, 2, 4]], true);
        assert_eq!(derived, Some(2));
        assert_eq!(store.derive([4, 2, 1], Rule::PrpSymp, &[], true), None);
        assert_eq!(store.objects(1, 2), [4, 3]);
        assert_eq!(store.subjects(2, 1), [4]);
        assert_eq!(store.derivation(0), None, "asserted");
        assert_eq!(
            store.derivation(2),
            Some(Derivation {
                rule: Rule::PrpSymp,
                premises: vec![[1, 2, 4]]
            })
        );
        store.kill(0);
        assert_eq!(store.objects(1, 2), [4]);
    }

    #[test]
    fn unions_keep_the_larger_class() {
        let mut store = Store::new(6, 5);
        let (kept, merged) = store.union(1, 2, |_| false);
        assert_eq!((kept, merged), (1, 2));
        let (kept, _) = store.union(3, 1, |_| false);
        assert_eq!(kept, 1);
        assert_eq!(store.representative(3), 1);
        assert_eq!(store.class_size(1), 3);
        let (kept, _) = store.union(4, 1, |id| id == 4);
        assert_eq!(
            kept, 4,
            "a vocabulary term stays its class's representative"
        );
        assert_eq!(store.canonical([2, 3, 0]), [4, 4, 0]);
    }
}
