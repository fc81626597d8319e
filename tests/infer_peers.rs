//! Inference against owlrl (the W3C OWL 2 RL rules on rdflib, in Python): on the default graph
//! and on generated graphs with class and property hierarchies, inverse, symmetric and
//! transitive properties, a property chain, domains, ranges and `owl:sameAs`, kg's inferred
//! triples equal owlrl's closure minus what the input asserts, once both are filtered by
//! [`comparable`]. owlrl is required under `KG_REQUIRE_PEERS=1`, skipped with a message
//! otherwise.
//!
//! Blank nodes are made IRIs on both sides first (OWL 2 RL treats them as any other resource;
//! this makes the two sets comparable without graph isomorphism).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use kg::infer::{InferenceOptions, infer};
use kg::ingest::{self, FactSet, Inputs};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};

use crate::common::{python_with, root};

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const OWL: &str = "http://www.w3.org/2002/07/owl#";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Whether an inferred triple is compared. Left out, on both sides:
/// - triples about the RDF, RDFS, OWL and XSD vocabularies themselves (owlrl types and relates
///   `owl:Thing`, `owl:Nothing`, `rdf:type`, ... by its own axioms);
/// - the trivial triples kg does not write: reflexive `owl:sameAs`, `rdfs:subClassOf`,
///   `owl:equivalentClass`, `rdfs:subPropertyOf`, `owl:equivalentProperty`;
/// - what owlrl's `scm-cls` axioms give every class: `C rdfs:subClassOf owl:Thing`, and from it
///   `p rdfs:domain owl:Thing`, `p rdfs:range owl:Thing`, `x rdf:type owl:Thing`;
/// - typings with a class of the vocabularies (`owl:Class`, `rdf:Property`,
///   `owl:ObjectProperty`, `rdfs:Datatype`, `xsd:string`, ...), which owlrl derives from its
///   axioms for the vocabulary (`rdfs:domain` of `owl:inverseOf` is `owl:ObjectProperty`, ...).
pub fn comparable(triple: &Triple) -> bool {
    let vocabulary = |iri: &str| [RDF, RDFS, OWL, XSD].iter().any(|ns| iri.starts_with(ns));
    let subject = match &triple.subject {
        NamedOrBlankNode::NamedNode(n) => n.as_str(),
        NamedOrBlankNode::BlankNode(_) => "",
    };
    let predicate = triple.predicate.as_str();
    let object = match &triple.object {
        Term::NamedNode(n) => n.as_str(),
        _ => "",
    };
    let reflexive = Term::from(triple.subject.clone()) == triple.object;
    let trivial = reflexive
        && [
            format!("{OWL}sameAs"),
            format!("{RDFS}subClassOf"),
            format!("{OWL}equivalentClass"),
            format!("{RDFS}subPropertyOf"),
            format!("{OWL}equivalentProperty"),
        ]
        .iter()
        .any(|p| p == predicate);
    let thing = object == format!("{OWL}Thing");
    let typing_by_vocabulary = predicate == format!("{RDF}type") && vocabulary(object);
    !(vocabulary(subject) || trivial || thing || typing_by_vocabulary)
}

/// The same facts with every blank node made an IRI.
fn skolemised(facts: &FactSet) -> FactSet {
    let iri = |term: &Term| match term {
        Term::BlankNode(b) => Term::NamedNode(NamedNode::new_unchecked(format!(
            "urn:kg-test:bnode:{}",
            b.as_str()
        ))),
        other => other.clone(),
    };
    let mut out = FactSet::default();
    for &triple in facts.triples() {
        let Some(t) = facts.triple(triple) else {
            continue;
        };
        let Term::NamedNode(subject) = iri(&t.subject.into()) else {
            continue;
        };
        out.insert(&subject.into(), &t.predicate, &iri(&t.object));
    }
    out
}

/// kg's and owlrl's inferred triples (filtered), as N-Triples lines.
fn both(facts: &FactSet) -> Option<(BTreeSet<String>, BTreeSet<String>)> {
    let python = python_with("owlrl")?;
    let facts = skolemised(facts);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("asserted.nt");
    let output = dir.path().join("owlrl.nt");
    let mut text = String::new();
    for &triple in facts.triples() {
        let _ = writeln!(text, "{} .", facts.triple(triple).expect("a triple"));
    }
    std::fs::write(&input, text).unwrap();
    let run = std::process::Command::new(python)
        .arg(root().join("tests/data/infer/peers/owlrl_closure.py"))
        .args([&input, &output])
        .output()
        .expect("python runs");
    assert!(
        run.status.success(),
        "owlrl failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let closure = std::fs::read(&output).unwrap();
    let theirs = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(&closure)
        .map(|q| Triple::from(q.expect("owlrl writes N-Triples")))
        .filter(comparable)
        .map(|t| t.to_string())
        .collect();
    let inference = infer(&facts, &InferenceOptions::default()).expect("inference succeeds");
    assert_eq!(
        inference.inconsistency_count(),
        0,
        "{:?}",
        inference.inconsistencies()
    );
    let ours = inference
        .triples()
        .map(|t| t.triple)
        .filter(comparable)
        .map(|t| t.to_string())
        .collect();
    Some((ours, theirs))
}

fn assert_same(what: &str, ours: &BTreeSet<String>, theirs: &BTreeSet<String>) {
    let only_ours: Vec<&String> = ours.difference(theirs).take(25).collect();
    let only_theirs: Vec<&String> = theirs.difference(ours).take(25).collect();
    assert!(
        only_ours.is_empty() && only_theirs.is_empty(),
        "{what}: kg infers {} triples, owlrl {}\nonly kg:\n{}\nonly owlrl:\n{}",
        ours.len(),
        theirs.len(),
        only_ours
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        only_theirs
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    assert!(
        !ours.is_empty(),
        "{what}: nothing inferred: the comparison would prove nothing"
    );
}

#[test]
fn the_default_graph_infers_what_owlrl_infers() {
    let prepared = ingest::prepare(&Inputs::embedded(), true, &|_| {});
    let facts = prepared.facts.expect("facts are collected");
    let Some((ours, theirs)) = both(&facts) else {
        return;
    };
    assert_same("default graph", &ours, &theirs);
}

/// A `SplitMix64` stream.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below n")
    }
}

/// A graph with the structures the rules work on, as Turtle.
pub fn generated(seed: u64, individuals: usize, facts: usize) -> String {
    let mut random = Random(seed);
    let mut t = String::from(
        "@prefix : <https://g.example/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n",
    );
    let classes = 16;
    for c in 1..classes {
        let _ = writeln!(t, ":C{c} rdfs:subClassOf :C{} .", random.below(c));
        if random.below(4) == 0 {
            let _ = writeln!(t, ":C{c} rdfs:subClassOf :C{} .", random.below(c));
        }
    }
    let _ = writeln!(
        t,
        ":C3 owl:equivalentClass :Same3 .\n:C5 rdfs:subClassOf :C9 . :C9 rdfs:subClassOf :C5 ."
    );
    let properties = 10;
    for p in 1..properties {
        if random.below(2) == 0 {
            let _ = writeln!(t, ":p{p} rdfs:subPropertyOf :p{} .", random.below(p));
        }
    }
    let _ = writeln!(
        t,
        ":p1 owl:inverseOf :q1 . :p2 owl:inverseOf :q2 . :p3 a owl:SymmetricProperty .
         :p4 a owl:TransitiveProperty . :p5 a owl:TransitiveProperty . :p6 owl:equivalentProperty :r6 .
         :p7 rdfs:domain :C2 . :p8 rdfs:range :C7 . :p9 rdfs:domain :C11 ; rdfs:range :C4 .
         :gp owl:propertyChainAxiom ( :p2 :p3 ) ."
    );
    for x in 0..individuals {
        let _ = writeln!(t, ":x{x} a :C{} .", random.below(classes));
    }
    for _ in 0..facts {
        let (s, p, o) = (
            random.below(individuals),
            random.below(properties),
            random.below(individuals),
        );
        let _ = writeln!(t, ":x{s} :p{p} :x{o} .");
    }
    for _ in 0..individuals / 20 {
        let _ = writeln!(
            t,
            ":x{} owl:sameAs :y{} .",
            random.below(individuals),
            random.below(individuals)
        );
        let _ = writeln!(
            t,
            ":y{} owl:sameAs :x{} .",
            random.below(individuals),
            random.below(individuals)
        );
    }
    t
}

#[test]
fn generated_graphs_infer_what_owlrl_infers() {
    for seed in 1..=3 {
        let turtle = generated(seed, 120, 260);
        let mut facts = FactSet::default();
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
            let quad = quad.expect("generated Turtle parses");
            facts.insert(&quad.subject, &quad.predicate, &quad.object);
        }
        let Some((ours, theirs)) = both(&facts) else {
            return;
        };
        assert_same(&format!("generated graph {seed}"), &ours, &theirs);
    }
}
