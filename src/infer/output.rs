//! From the closure on representatives to every inferred triple, each with one derivation.
//!
//! The engine closed the graph on one member per `owl:sameAs` class. What OWL 2 RL entails is
//! every copy of each triple with each term replaced by any member of its class (`eq-rep-s/p/o`)
//! and every pair of members (`eq-sym`, `eq-trans`). This module writes them all, and gives
//! each copy a one-step derivation from a copy with one term fewer replaced, so every
//! explanation ends at triples the engine recorded, and those at asserted ones:
//!
//! - a triple the engine recorded (derived or rewritten) keeps its recorded derivation;
//! - a copy `(s' p o)` of a recorded `(s p o)` is `eq-rep-s` from `(s p o)` and `s owl:sameAs
//!   s'` (then `eq-rep-p`, `eq-rep-o` for the other positions);
//! - `u owl:sameAs v` is the equality the engine fired when it is one (asserted, or derived by
//!   `prp-fp`, ...), `eq-sym` of it when it was fired the other way round, else `eq-trans` along
//!   the tree of fired equalities that joined the class.
//!
//! **Bound.** The copies number Σ over triples of the product of their terms' class sizes, plus
//! n(n − 1) equalities per class of n: quadratic in a class's size, and more for a triple whose
//! three terms are in large classes. The count is computed before anything is written, and
//! more than [`super::InferenceOptions::max_derived`] is an error, not a partial graph.
//!
//! **Left out** (trivial, and never a premise of what is written): reflexive `owl:sameAs`,
//! reflexive `rdfs:subClassOf`, `owl:equivalentClass`, `rdfs:subPropertyOf` and
//! `owl:equivalentProperty` (`scm-cls`, `scm-op`, `scm-dp`, `eq-ref`), and every triple already
//! asserted. Axiomatic triples (`owl:Thing`, `rdfs:Resource` or `rdf:Property` typings of
//! every term, `cls-thing`, `prp-ap`, the `dt-*` datatype rules) are never derived.

// Numbers of triples, terms and lists are `u32`, as in the store, which never holds more.
#![allow(clippy::cast_possible_truncation)]

use std::collections::{HashMap, VecDeque};

use super::engine::Engine;
use super::rules::Rule;
use super::store::{Derivation, Id, Triple3};

/// An inferred triple and how it was found.
#[derive(Debug, Clone)]
pub struct Inferred {
    pub triple: Triple3,
    pub derivation: Derivation,
}

/// Too many copies under `owl:sameAs`.
#[derive(Debug, Clone, Copy)]
pub struct Explosion {
    pub copies: u64,
}

/// The members of every `owl:sameAs` class of more than one term, and the tree of fired
/// equalities joining them.
pub struct Classes {
    members: HashMap<Id, Vec<Id>>,
    /// For each term of a class: its neighbours in the tree, with the fired equality.
    tree: HashMap<Id, Vec<(Id, Triple3)>>,
}

impl Classes {
    pub fn new(engine: &Engine<'_>) -> Self {
        let mut members: HashMap<Id, Vec<Id>> = HashMap::new();
        for (id, representative) in engine.store.merged() {
            members
                .entry(representative)
                .or_insert_with(|| vec![representative])
                .push(id);
        }
        let mut tree: HashMap<Id, Vec<(Id, Triple3)>> = HashMap::new();
        for &edge @ [x, _, y] in &engine.edges {
            tree.entry(x).or_default().push((y, edge));
            tree.entry(y).or_default().push((x, edge));
        }
        Self { members, tree }
    }

    /// How many classes have more than one term.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// The members of a representative's class (itself alone when it has no other).
    pub fn of<'a>(&'a self, representative: &'a Id) -> &'a [Id] {
        self.members
            .get(representative)
            .map_or(std::slice::from_ref(representative), Vec::as_slice)
    }

    /// For every term of the class of `target`: the next term on the tree path to `target`,
    /// with the fired equality between them.
    fn towards(&self, target: Id) -> HashMap<Id, (Id, Triple3)> {
        let mut next = HashMap::new();
        let mut queue = VecDeque::from([target]);
        while let Some(at) = queue.pop_front() {
            for &(neighbour, edge) in self.tree.get(&at).into_iter().flatten() {
                if neighbour != target && !next.contains_key(&neighbour) {
                    next.insert(neighbour, (at, edge));
                    queue.push_back(neighbour);
                }
            }
        }
        next
    }
}

/// Every inferred triple with its derivation, in a stable order (the engine's order, copies
/// after their original).
///
/// # Errors
/// [`Explosion`] when the copies under `owl:sameAs` would exceed `limit`.
pub fn materialise(engine: &Engine<'_>, limit: u64) -> Result<Vec<Inferred>, Explosion> {
    let classes = Classes::new(engine);
    let store = &engine.store;
    let v = engine.v;
    let size = |id: Id| u64::from(store.class_size(store.representative(id)));
    let mut copies: u64 = 0;
    for i in 0..store.len() as u32 {
        let [s, p, o] = store.triple(i);
        if store.is_alive(i) && p != v.same_as {
            copies = copies.saturating_add(size(s).saturating_mul(size(p)).saturating_mul(size(o)));
        }
    }
    for members in classes.members.values() {
        let n = members.len() as u64;
        copies = copies.saturating_add(n.saturating_mul(n - 1));
    }
    if copies > limit.saturating_add(store.asserted() as u64) {
        return Err(Explosion { copies });
    }
    let mut inferred = Vec::new();
    let mut emit = |triple: Triple3, derivation: Option<Derivation>| {
        if let Some(derivation) = derivation
            && !trivial(engine, triple)
        {
            inferred.push(Inferred { triple, derivation });
        }
    };
    for i in 0..store.len() as u32 {
        let canonical @ [s, p, o] = store.triple(i);
        if !store.is_alive(i) || p == v.same_as {
            continue;
        }
        for &s2 in classes.of(&s) {
            for &p2 in classes.of(&p) {
                for &o2 in classes.of(&o) {
                    let triple = [s2, p2, o2];
                    let derivation = if triple == canonical {
                        store.derivation(i)
                    } else {
                        copy_derivation(engine, triple, canonical)
                    };
                    emit(triple, derivation);
                }
            }
        }
    }
    let mut representatives: Vec<Id> = classes.members.keys().copied().collect();
    representatives.sort_unstable();
    for representative in representatives {
        let members = classes.of(&representative);
        for &target in members {
            let towards = classes.towards(target);
            for &from in members {
                if from != target {
                    let derivation =
                        equality_derivation(engine, [from, v.same_as, target], &towards);
                    emit([from, v.same_as, target], derivation);
                }
            }
        }
    }
    Ok(inferred)
}

/// Whether an inferred triple is one of the trivial ones left out.
fn trivial(engine: &Engine<'_>, [s, p, o]: Triple3) -> bool {
    let v = engine.v;
    s == o && [v.sco, v.eqc, v.spo, v.eqp, v.same_as].contains(&p)
}

/// The derivation of a triple the engine did not record as it is: `None` when it was asserted,
/// its recorded one when it was recorded, else `eq-rep-*` from the copy with the first
/// replaced term put back to its representative.
fn copy_derivation(engine: &Engine<'_>, triple: Triple3, canonical: Triple3) -> Option<Derivation> {
    let store = &engine.store;
    if let Some(i) = store.find(&triple) {
        return store.derivation(i);
    }
    let k = (0..3).find(|&k| triple[k] != canonical[k])?;
    let mut closer = triple;
    closer[k] = canonical[k];
    Some(Derivation {
        rule: [Rule::EqRepS, Rule::EqRepP, Rule::EqRepO][k],
        premises: vec![closer, [canonical[k], engine.v.same_as, triple[k]]],
    })
}

/// The derivation of `from owl:sameAs target`, given the tree path towards `target`.
fn equality_derivation(
    engine: &Engine<'_>,
    triple @ [from, same_as, target]: Triple3,
    towards: &HashMap<Id, (Id, Triple3)>,
) -> Option<Derivation> {
    if let Some(i) = engine.store.find(&triple) {
        return engine.store.derivation(i);
    }
    let &(next, edge) = towards.get(&from)?;
    if next == target {
        // The fired equality was `target owl:sameAs from`.
        return Some(Derivation {
            rule: Rule::EqSym,
            premises: vec![edge],
        });
    }
    Some(Derivation {
        rule: Rule::EqTrans,
        premises: vec![[from, same_as, next], [next, same_as, target]],
    })
}

/// The derivation of any triple the closure holds, `None` when it was asserted (or is not in
/// the closure): what inconsistency reports walk down to the asserted facts.
pub fn derivation_of(
    engine: &Engine<'_>,
    classes: &Classes,
    triple: Triple3,
) -> Option<Derivation> {
    let store = &engine.store;
    if let Some(i) = store.find(&triple) {
        return store.derivation(i);
    }
    if triple[1] == engine.v.same_as {
        let towards = classes.towards(triple[2]);
        return equality_derivation(engine, triple, &towards);
    }
    let canonical = store.canonical(triple);
    store.find(&canonical)?;
    copy_derivation(engine, triple, canonical)
}
