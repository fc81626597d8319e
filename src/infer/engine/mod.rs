//! Forward chaining to a fixpoint over the [`Store`].
//!
//! **Evaluation.** Semi-naive by construction: every triple is *fired* once, when it comes off
//! the agenda, and each rule body atom it can match is joined against everything known so far
//! (indexed by subject, object and predicate). A rule instance is therefore found when the last
//! of its premises is fired, and never re-derived from old premises alone. Schema triples
//! (`rdfs:subClassOf`, `owl:inverseOf`, a `owl:TransitiveProperty` typing, ...) are fired before
//! instance triples, so the per-property and per-class tables the instance rules read
//! ([`PropertyInfo`], [`ClassInfo`]) are built once the schema is closed, and rebuilt only when
//! a later schema triple appears.
//!
//! **Equality.** `owl:sameAs` never enters the indexes: it merges two classes of a union-find
//! (by size, so a term changes class O(log n) times). The merged-away representative's live
//! triples are rewritten to the kept one (`eq-rep-s/p/o`), and the rewritten triples are fired
//! again; the other triples stay joined on representatives only. So the closure is computed on
//! one member per class, and the copies for the other members are written at the end
//! ([`super::output`]).
//!
//! **Cost.** Firing a triple costs the sizes of the joins it takes part in: linear in the data
//! for `prp-dom/rng`, `prp-spo1`, `prp-eqp`, `prp-inv`, `prp-symp`, `cax-sco/eqc`,
//! `cls-hv/uni/int`; for `prp-trp` and `prp-spo2` the work is the number of paths joined (the
//! output of a transitive closure can be quadratic in its input); rewriting under equality is
//! O(n log n). Memory is bounded by [`super::InferenceOptions::max_derived`].

// Numbers of triples, terms and lists are `u32`, as in the store, which never holds more.
#![allow(clippy::cast_possible_truncation)]

mod instance;
mod schema;

use std::collections::HashSet;
use std::rc::Rc;

use super::rules::{Rule, RuleSet};
use super::store::{Id, Store, Terms, Triple3};
use super::vocab::{owl, rdfs};
use crate::ingest::FactSet;

/// Why reasoning stopped before its fixpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// More triples were derived than allowed.
    Cap {
        /// The allowed number.
        limit: u64,
    },
}

/// Numbers of the vocabulary terms the rules match.
#[derive(Debug, Clone, Copy)]
pub struct Vocab {
    pub type_: Id,
    pub sco: Id,
    pub eqc: Id,
    pub spo: Id,
    pub eqp: Id,
    pub domain: Id,
    pub range: Id,
    pub inverse: Id,
    pub chain: Id,
    pub int: Id,
    pub uni: Id,
    pub svf: Id,
    pub avf: Id,
    pub hv: Id,
    pub onp: Id,
    pub dw: Id,
    pub complement: Id,
    pub pdw: Id,
    pub different: Id,
    pub first: Id,
    pub rest: Id,
    pub nil: Id,
    pub same_as: Id,
    pub thing: Id,
    pub nothing: Id,
    pub transitive: Id,
    pub symmetric: Id,
    pub functional: Id,
    pub ifp: Id,
    pub irreflexive: Id,
    pub asymmetric: Id,
}

impl Vocab {
    fn new(terms: &mut Terms<'_>) -> Self {
        let mut id = |iri| terms.vocabulary(iri);
        Self {
            type_: id(rdfs::TYPE),
            sco: id(rdfs::SUB_CLASS_OF),
            eqc: id(owl::EQUIVALENT_CLASS),
            spo: id(rdfs::SUB_PROPERTY_OF),
            eqp: id(owl::EQUIVALENT_PROPERTY),
            domain: id(rdfs::DOMAIN),
            range: id(rdfs::RANGE),
            inverse: id(owl::INVERSE_OF),
            chain: id(owl::PROPERTY_CHAIN_AXIOM),
            int: id(owl::INTERSECTION_OF),
            uni: id(owl::UNION_OF),
            svf: id(owl::SOME_VALUES_FROM),
            avf: id(owl::ALL_VALUES_FROM),
            hv: id(owl::HAS_VALUE),
            onp: id(owl::ON_PROPERTY),
            dw: id(owl::DISJOINT_WITH),
            complement: id(owl::COMPLEMENT_OF),
            pdw: id(owl::PROPERTY_DISJOINT_WITH),
            different: id(owl::DIFFERENT_FROM),
            first: id(rdfs::FIRST),
            rest: id(rdfs::REST),
            nil: id(rdfs::NIL),
            same_as: id(owl::SAME_AS),
            thing: id(owl::THING),
            nothing: id(owl::NOTHING),
            transitive: id(owl::TRANSITIVE_PROPERTY),
            symmetric: id(owl::SYMMETRIC_PROPERTY),
            functional: id(owl::FUNCTIONAL_PROPERTY),
            ifp: id(owl::INVERSE_FUNCTIONAL_PROPERTY),
            irreflexive: id(owl::IRREFLEXIVE_PROPERTY),
            asymmetric: id(owl::ASYMMETRIC_PROPERTY),
        }
    }

    /// Every vocabulary number (these stay their `owl:sameAs` class's representative).
    fn all(&self) -> [Id; 31] {
        [
            self.type_,
            self.sco,
            self.eqc,
            self.spo,
            self.eqp,
            self.domain,
            self.range,
            self.inverse,
            self.chain,
            self.int,
            self.uni,
            self.svf,
            self.avf,
            self.hv,
            self.onp,
            self.dw,
            self.complement,
            self.pdw,
            self.different,
            self.first,
            self.rest,
            self.nil,
            self.same_as,
            self.thing,
            self.nothing,
            self.transitive,
            self.symmetric,
            self.functional,
            self.ifp,
            self.irreflexive,
            self.asymmetric,
        ]
    }

    /// Whether a triple belongs to the schema: its firing can change what the instance rules
    /// read.
    fn is_schema(&self, [_, p, o]: Triple3) -> bool {
        if p == self.type_ {
            return [
                self.transitive,
                self.symmetric,
                self.functional,
                self.ifp,
                self.irreflexive,
                self.asymmetric,
            ]
            .contains(&o);
        }
        [
            self.sco,
            self.eqc,
            self.spo,
            self.eqp,
            self.domain,
            self.range,
            self.inverse,
            self.chain,
            self.int,
            self.uni,
            self.svf,
            self.avf,
            self.hv,
            self.onp,
            self.dw,
            self.complement,
            self.pdw,
        ]
        .contains(&p)
    }
}

/// What the instance rules need to know about a property.
#[derive(Debug, Default)]
#[allow(clippy::struct_excessive_bools)] // One flag per property characteristic of OWL 2.
pub struct PropertyInfo {
    pub domains: Vec<Id>,
    pub ranges: Vec<Id>,
    pub supers: Vec<Id>,
    pub equivalent_out: Vec<Id>,
    pub equivalent_in: Vec<Id>,
    pub inverse_out: Vec<Id>,
    pub inverse_in: Vec<Id>,
    pub disjoint: Vec<(Id, Triple3)>,
    pub symmetric: bool,
    pub transitive: bool,
    pub functional: bool,
    pub inverse_functional: bool,
    pub irreflexive: bool,
    pub asymmetric: bool,
    /// Property chains this property is a link of: (chain, position).
    pub chains: Vec<(u32, usize)>,
    /// Restrictions on this property (`?r owl:onProperty p`).
    pub restrictions: Vec<Id>,
}

/// What the instance rules need to know about a class.
#[derive(Debug, Default)]
pub struct ClassInfo {
    pub supers: Vec<Id>,
    pub equivalent_out: Vec<Id>,
    pub equivalent_in: Vec<Id>,
    /// Disjoint or complement classes, with the axiom and its rule.
    pub disjoint: Vec<(Id, Triple3, Rule)>,
    /// Lists of which this class is the intersection, and those it is a member of.
    pub intersections: Vec<u32>,
    pub in_intersections: Vec<u32>,
    pub in_unions: Vec<u32>,
    /// As a restriction: `owl:hasValue` and `owl:allValuesFrom` with their property.
    pub has_value: Vec<(Id, Id)>,
    pub all_values: Vec<(Id, Id)>,
    /// Restrictions whose `owl:someValuesFrom` is this class.
    pub some_values_of: Vec<Id>,
}

/// What a list axiom is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListKind {
    Intersection,
    Union,
    Chain,
}

/// A parsed list axiom: `head kind (members)`.
#[derive(Debug, Clone)]
pub struct ListAxiom {
    pub kind: ListKind,
    pub head: Id,
    /// The axiom triple (`head owl:intersectionOf list`).
    pub axiom: Triple3,
    pub members: Vec<Id>,
}

/// The longest list read (`owl:intersectionOf`, `owl:unionOf`, `owl:propertyChainAxiom`).
const MAX_LIST: usize = 10_000;

/// Inconsistencies kept with their premises (all are counted).
const MAX_INCONSISTENCIES: usize = 1_000;

/// An inconsistency the rules found: the rule and the triples that contradict each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub rule: Rule,
    pub premises: Vec<Triple3>,
}

/// The reasoner's state.
pub struct Engine<'a> {
    pub terms: Terms<'a>,
    pub store: Store,
    pub v: Vocab,
    rules: RuleSet,
    max_derived: u64,
    schema_queue: Vec<u32>,
    cursor: usize,
    version: u64,
    properties: std::collections::HashMap<Id, (u64, Rc<PropertyInfo>)>,
    classes: std::collections::HashMap<Id, (u64, Rc<ClassInfo>)>,
    pub lists: Vec<ListAxiom>,
    lists_seen: HashSet<Triple3>,
    /// The lists that name a term, as head or member.
    lists_of: std::collections::HashMap<Id, Vec<u32>>,
    /// Equality edges that merged two classes: the `owl:sameAs` triples, as fired.
    pub edges: Vec<Triple3>,
    pub clashes: Vec<Clash>,
    clashes_seen: HashSet<(Rule, Vec<Triple3>)>,
    pub clash_count: u64,
}

impl<'a> Engine<'a> {
    /// An engine over the asserted facts.
    pub fn new(facts: &'a FactSet, rules: RuleSet, max_derived: u64) -> Self {
        let mut terms = Terms::new(facts);
        let v = Vocab::new(&mut terms);
        let mut store = Store::new(terms.len(), v.same_as);
        let mut schema_queue = Vec::new();
        for &triple in facts.triples() {
            if store.assert(triple) && v.is_schema(triple) {
                schema_queue.push((store.len() - 1) as u32);
            }
        }
        // Fire the schema in the order it was written.
        schema_queue.reverse();
        Self {
            terms,
            store,
            v,
            rules,
            max_derived,
            schema_queue,
            cursor: 0,
            version: 0,
            properties: std::collections::HashMap::new(),
            classes: std::collections::HashMap::new(),
            lists: Vec::new(),
            lists_seen: HashSet::new(),
            lists_of: std::collections::HashMap::new(),
            edges: Vec::new(),
            clashes: Vec::new(),
            clashes_seen: HashSet::new(),
            clash_count: 0,
        }
    }

    /// Runs to the fixpoint.
    ///
    /// # Errors
    /// [`Stop::Cap`] when more than the allowed number of triples were derived.
    pub fn run(&mut self) -> Result<(), Stop> {
        loop {
            if let Some(i) = self.schema_queue.pop() {
                self.fire(i)?;
            } else if self.cursor < self.store.len() {
                let i = self.cursor as u32;
                self.cursor += 1;
                if !self.v.is_schema(self.store.triple(i)) {
                    self.fire(i)?;
                }
            } else {
                return Ok(());
            }
        }
    }

    fn fire(&mut self, i: u32) -> Result<(), Stop> {
        if !self.store.is_alive(i) {
            return Ok(());
        }
        let triple = self.store.triple(i);
        if triple[1] == self.v.same_as {
            return self.equate(triple);
        }
        if self.v.is_schema(triple) {
            self.version += 1;
            self.schema_rules(triple)?;
        }
        self.instance_rules(triple)
    }

    /// Whether a rule is on.
    pub fn on(&self, rule: Rule) -> bool {
        self.rules.contains(rule)
    }

    /// Whether a term is a literal.
    pub fn literal(&self, id: Id) -> bool {
        self.terms.is_literal(id)
    }

    /// Adds a derived triple (when new), queues it, and enforces the cap.
    pub fn derive(
        &mut self,
        triple: Triple3,
        rule: Rule,
        premises: &[Triple3],
    ) -> Result<(), Stop> {
        if !self.on(rule) || self.literal(triple[0]) {
            return Ok(());
        }
        let Some(i) = self.store.derive(triple, rule, premises, true) else {
            return Ok(());
        };
        if self.v.is_schema(triple) {
            self.schema_queue.push(i);
        }
        self.check_cap()
    }

    fn check_cap(&self) -> Result<(), Stop> {
        let derived = (self.store.len() - self.store.asserted()) as u64;
        if derived > self.max_derived {
            return Err(Stop::Cap {
                limit: self.max_derived,
            });
        }
        Ok(())
    }

    /// Records an inconsistency (once per rule and premises).
    pub fn clash(&mut self, rule: Rule, mut premises: Vec<Triple3>) {
        if !self.on(rule) {
            return;
        }
        let mut key = premises.clone();
        key.sort_unstable();
        if !self.clashes_seen.insert((rule, key)) {
            return;
        }
        self.clash_count += 1;
        if self.clashes.len() < MAX_INCONSISTENCIES {
            premises.dedup();
            self.clashes.push(Clash { rule, premises });
        }
    }

    /// `owl:sameAs`: merges two classes and rewrites the triples of the one merged away. The
    /// equality rules act together (the union-find is all of them): with any of them off,
    /// `owl:sameAs` is not followed.
    fn equate(&mut self, triple @ [x, _, y]: Triple3) -> Result<(), Stop> {
        let equality = [
            Rule::EqSym,
            Rule::EqTrans,
            Rule::EqRepS,
            Rule::EqRepP,
            Rule::EqRepO,
        ];
        if self.literal(x) || self.literal(y) || !equality.iter().all(|&r| self.on(r)) {
            return Ok(());
        }
        let (a, b) = (self.store.representative(x), self.store.representative(y));
        if a == b {
            return Ok(());
        }
        let vocabulary = self.v.all();
        let (kept, merged) = self.store.union(a, b, |id| vocabulary.contains(&id));
        self.edges.push(triple);
        // Lists that name the merged term now name the kept one.
        let lists = self.lists_of.remove(&merged).unwrap_or_default();
        for &k in &lists {
            for member in &mut self.lists[k as usize].members {
                if *member == merged {
                    *member = kept;
                }
            }
        }
        let schema_term = !lists.is_empty()
            || self.properties.contains_key(&merged)
            || self.classes.contains_key(&merged);
        self.lists_of.entry(kept).or_default().extend(lists);
        if schema_term {
            self.version += 1;
        }
        let mut affected: Vec<u32> = self.store.with_subject(merged).collect();
        affected.extend(self.store.with_object(merged));
        affected.extend(self.store.with_predicate(merged).iter().copied());
        let same = [merged, self.v.same_as, kept];
        for i in affected {
            if !self.store.is_alive(i) {
                continue;
            }
            self.store.kill(i);
            let mut current = self.store.triple(i);
            let positions: Vec<usize> = (0..3).filter(|&k| current[k] == merged).collect();
            for (step, &k) in positions.iter().enumerate() {
                let rule = [Rule::EqRepS, Rule::EqRepP, Rule::EqRepO][k];
                let mut next = current;
                next[k] = kept;
                let last = step + 1 == positions.len();
                if let Some(j) = self.store.derive(next, rule, &[current, same], last)
                    && last
                    && self.v.is_schema(next)
                {
                    self.schema_queue.push(j);
                }
                current = next;
            }
            self.check_cap()?;
        }
        Ok(())
    }

    /// What the instance rules read about a property (cached until the schema changes).
    pub fn property(&mut self, p: Id) -> Rc<PropertyInfo> {
        if let Some((version, info)) = self.properties.get(&p)
            && *version == self.version
        {
            return Rc::clone(info);
        }
        let info = Rc::new(self.property_info(p));
        self.properties.insert(p, (self.version, Rc::clone(&info)));
        info
    }

    /// What the instance rules read about a class (cached until the schema changes).
    pub fn class(&mut self, c: Id) -> Rc<ClassInfo> {
        if let Some((version, info)) = self.classes.get(&c)
            && *version == self.version
        {
            return Rc::clone(info);
        }
        let info = Rc::new(self.class_info(c));
        self.classes.insert(c, (self.version, Rc::clone(&info)));
        info
    }

    fn property_info(&self, p: Id) -> PropertyInfo {
        let v = self.v;
        let s = &self.store;
        let mut info = PropertyInfo {
            domains: s.objects(p, v.domain),
            ranges: s.objects(p, v.range),
            supers: s
                .objects(p, v.spo)
                .into_iter()
                .filter(|&q| q != p)
                .collect(),
            equivalent_out: s
                .objects(p, v.eqp)
                .into_iter()
                .filter(|&q| q != p)
                .collect(),
            equivalent_in: s
                .subjects(v.eqp, p)
                .into_iter()
                .filter(|&q| q != p)
                .collect(),
            inverse_out: s.objects(p, v.inverse),
            inverse_in: s.subjects(v.inverse, p),
            restrictions: s.subjects(v.onp, p),
            ..PropertyInfo::default()
        };
        for q in s.objects(p, v.pdw) {
            info.disjoint.push((q, [p, v.pdw, q]));
        }
        for q in s.subjects(v.pdw, p) {
            info.disjoint.push((q, [q, v.pdw, p]));
        }
        for class in s.objects(p, v.type_) {
            match class {
                c if c == v.symmetric => info.symmetric = true,
                c if c == v.transitive => info.transitive = true,
                c if c == v.functional => info.functional = true,
                c if c == v.ifp => info.inverse_functional = true,
                c if c == v.irreflexive => info.irreflexive = true,
                c if c == v.asymmetric => info.asymmetric = true,
                _ => {}
            }
        }
        for &k in self.lists_of.get(&p).into_iter().flatten() {
            let list = &self.lists[k as usize];
            if list.kind == ListKind::Chain {
                for (position, &member) in list.members.iter().enumerate() {
                    if member == p && !info.chains.contains(&(k, position)) {
                        info.chains.push((k, position));
                    }
                }
            }
        }
        info
    }

    fn class_info(&self, c: Id) -> ClassInfo {
        let v = self.v;
        let s = &self.store;
        let mut info = ClassInfo {
            supers: s
                .objects(c, v.sco)
                .into_iter()
                .filter(|&d| d != c)
                .collect(),
            equivalent_out: s
                .objects(c, v.eqc)
                .into_iter()
                .filter(|&d| d != c)
                .collect(),
            equivalent_in: s
                .subjects(v.eqc, c)
                .into_iter()
                .filter(|&d| d != c)
                .collect(),
            some_values_of: s.subjects(v.svf, c),
            ..ClassInfo::default()
        };
        for (predicate, rule) in [(v.dw, Rule::CaxDw), (v.complement, Rule::ClsCom)] {
            for d in s.objects(c, predicate) {
                info.disjoint.push((d, [c, predicate, d], rule));
            }
            for d in s.subjects(predicate, c) {
                info.disjoint.push((d, [d, predicate, c], rule));
            }
        }
        let properties = s.objects(c, v.onp);
        for &p in &properties {
            for value in s.objects(c, v.hv) {
                info.has_value.push((p, value));
            }
            for filler in s.objects(c, v.avf) {
                info.all_values.push((p, filler));
            }
        }
        let mut lists = self.lists_of.get(&c).cloned().unwrap_or_default();
        lists.sort_unstable();
        lists.dedup();
        for k in lists {
            let list = &self.lists[k as usize];
            match list.kind {
                ListKind::Intersection if list.head == c => info.intersections.push(k),
                ListKind::Intersection if list.members.contains(&c) => {
                    info.in_intersections.push(k);
                }
                ListKind::Union if list.members.contains(&c) => info.in_unions.push(k),
                _ => {}
            }
        }
        info
    }

    /// Reads an RDF list from its first node; `None` when it is not a well-formed list.
    pub fn read_list(&self, mut node: Id) -> Option<Vec<Id>> {
        let mut members = Vec::new();
        let mut seen = HashSet::new();
        while node != self.v.nil {
            if !seen.insert(node) || members.len() == MAX_LIST {
                return None;
            }
            let first = self.store.objects(node, self.v.first);
            let rest = self.store.objects(node, self.v.rest);
            let ([first], [rest]) = (first.as_slice(), rest.as_slice()) else {
                return None;
            };
            members.push(*first);
            node = *rest;
        }
        Some(members)
    }

    /// Registers a list axiom once; returns its number when it is new and well formed.
    pub fn register_list(&mut self, kind: ListKind, axiom: Triple3) -> Option<u32> {
        if !self.lists_seen.insert(axiom) {
            return None;
        }
        let members = self.read_list(axiom[2])?;
        let members: Vec<Id> = members
            .into_iter()
            .map(|m| self.store.representative(m))
            .collect();
        let k = self.lists.len() as u32;
        let mut named: Vec<Id> = members.clone();
        named.push(axiom[0]);
        named.sort_unstable();
        named.dedup();
        for id in named {
            self.lists_of.entry(id).or_default().push(k);
        }
        self.lists.push(ListAxiom {
            kind,
            head: axiom[0],
            axiom,
            members,
        });
        // What the instance rules read about the named terms changed.
        self.version += 1;
        Some(k)
    }
}
