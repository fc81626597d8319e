//! Inference (`kg::infer`): every OWL 2 RL rule kg implements on a tiny ontology, termination
//! on cyclic ones, inconsistencies with their evidence, explanations through a built store,
//! and RDF inputs of another domain (a university, in Turtle, N-Triples and RDF/XML).

use std::collections::BTreeSet;
use std::sync::Arc;

use kg::infer::{InferenceOptions, InferenceStage, RuleSet, Status, explain, infer};
use kg::ingest::{FactSet, Inputs};
use kg::pipeline::{BuildOptions, build};
use kg::read::{GraphReader, GraphScope};
use kg::store::{LocalGraph, StoreDir};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};

use crate::common::{kg, root};

/// The prefixes of the rule cases: `:` for the case's own terms.
pub const PREFIXES: &str = "@prefix : <https://t.example/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
";

/// The facts of a Turtle text (with [`PREFIXES`]).
pub fn facts(turtle: &str) -> FactSet {
    let text = format!("{PREFIXES}{turtle}");
    let mut facts = FactSet::default();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(text.as_bytes()) {
        let quad = quad.unwrap_or_else(|e| panic!("{e} in\n{text}"));
        facts.insert(&quad.subject, &quad.predicate, &quad.object);
    }
    facts
}

/// A triple written short: `:a :p :b`, `rdf:type` as `a`, other vocabularies by prefix.
pub fn short(triple: &Triple) -> String {
    let term = |term: &Term| match term {
        Term::NamedNode(n) => {
            let iri = n.as_str();
            for (prefix, namespace) in [
                (":", "https://t.example/"),
                ("rdfs:", "http://www.w3.org/2000/01/rdf-schema#"),
                ("owl:", "http://www.w3.org/2002/07/owl#"),
                ("rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
            ] {
                if let Some(local) = iri.strip_prefix(namespace) {
                    return format!("{prefix}{local}");
                }
            }
            format!("<{iri}>")
        }
        other => other.to_string(),
    };
    let predicate = term(&Term::NamedNode(triple.predicate.clone()));
    let predicate = if predicate == "rdf:type" { "a".to_owned() } else { predicate };
    let subject: Term = triple.subject.clone().into();
    format!("{} {predicate} {}", term(&subject), term(&triple.object))
}

/// Each inferred triple written short, with the name of the rule that derived it.
fn inferred(turtle: &str, rules: RuleSet) -> Vec<(String, &'static str)> {
    let facts = facts(turtle);
    let options = InferenceOptions {
        rules,
        ..InferenceOptions::default()
    };
    let inference = infer(&facts, &options).expect("inference succeeds");
    inference
        .triples()
        .map(|t| (short(&t.triple), t.rule.name()))
        .collect()
}

/// One rule on its own: the case's expected triples are derived by it, and with every rule on
/// they are still inferred.
struct Case {
    rules: &'static str,
    turtle: &'static str,
    expected: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case { rules: "cax-sco", turtle: ":Cat rdfs:subClassOf :Animal . :tom a :Cat .", expected: &[":tom a :Animal"] },
    Case { rules: "cax-eqc1", turtle: ":Cat owl:equivalentClass :Felis . :tom a :Cat .", expected: &[":tom a :Felis"] },
    Case { rules: "cax-eqc2", turtle: ":Cat owl:equivalentClass :Felis . :tom a :Felis .", expected: &[":tom a :Cat"] },
    Case { rules: "prp-dom", turtle: ":owns rdfs:domain :Owner . :ann :owns :car .", expected: &[":ann a :Owner"] },
    Case { rules: "prp-rng", turtle: ":owns rdfs:range :Thing1 . :ann :owns :car .", expected: &[":car a :Thing1"] },
    Case { rules: "prp-spo1", turtle: ":mother rdfs:subPropertyOf :parent . :ann :mother :bea .", expected: &[":ann :parent :bea"] },
    Case {
        rules: "prp-spo2",
        turtle: ":uncle owl:propertyChainAxiom ( :parent :brother ) . :ann :parent :bob . :bob :brother :cal .",
        expected: &[":ann :uncle :cal"],
    },
    Case {
        rules: "prp-spo2",
        turtle: ":r4 owl:propertyChainAxiom ( :p :q :p :q ) . :a :p :b . :b :q :c . :c :p :d . :d :q :e .",
        expected: &[":a :r4 :e"],
    },
    Case { rules: "prp-eqp1", turtle: ":p owl:equivalentProperty :q . :a :p :b .", expected: &[":a :q :b"] },
    Case { rules: "prp-eqp2", turtle: ":p owl:equivalentProperty :q . :a :q :b .", expected: &[":a :p :b"] },
    Case { rules: "prp-inv1", turtle: ":parent owl:inverseOf :child . :ann :parent :bea .", expected: &[":bea :child :ann"] },
    Case { rules: "prp-inv2", turtle: ":parent owl:inverseOf :child . :bea :child :ann .", expected: &[":ann :parent :bea"] },
    Case { rules: "prp-symp", turtle: ":knows a owl:SymmetricProperty . :a :knows :b .", expected: &[":b :knows :a"] },
    Case {
        rules: "prp-trp",
        turtle: ":in a owl:TransitiveProperty . :a :in :b . :b :in :c . :c :in :d .",
        expected: &[":a :in :c", ":a :in :d", ":b :in :d"],
    },
    Case {
        rules: "equality",
        turtle: ":mother a owl:FunctionalProperty . :ann :mother :bea . :ann :mother :beatrice . :bea :age :40 .",
        expected: &[":bea owl:sameAs :beatrice", ":beatrice owl:sameAs :bea", ":beatrice :age :40"],
    },
    Case {
        rules: "equality",
        turtle: ":email a owl:InverseFunctionalProperty . :a :email :x . :b :email :x .",
        expected: &[":a owl:sameAs :b", ":b owl:sameAs :a"],
    },
    Case { rules: "cls-int1", turtle: ":Mother owl:intersectionOf ( :Woman :Parent ) . :ann a :Woman , :Parent .", expected: &[":ann a :Mother"] },
    Case { rules: "cls-int2", turtle: ":Mother owl:intersectionOf ( :Woman :Parent ) . :ann a :Mother .", expected: &[":ann a :Woman", ":ann a :Parent"] },
    Case { rules: "cls-uni", turtle: ":Parent owl:unionOf ( :Mother :Father ) . :bob a :Father .", expected: &[":bob a :Parent"] },
    Case {
        rules: "cls-svf1",
        turtle: ":ParentOfDoctor owl:onProperty :child ; owl:someValuesFrom :Doctor . :ann :child :bea . :bea a :Doctor .",
        expected: &[":ann a :ParentOfDoctor"],
    },
    Case {
        rules: "cls-svf2",
        turtle: ":Parent owl:onProperty :child ; owl:someValuesFrom owl:Thing . :ann :child :bea .",
        expected: &[":ann a :Parent"],
    },
    Case {
        rules: "cls-avf",
        turtle: ":OnlyDoctors owl:onProperty :child ; owl:allValuesFrom :Doctor . :ann a :OnlyDoctors ; :child :bea .",
        expected: &[":bea a :Doctor"],
    },
    Case {
        rules: "cls-hv1",
        turtle: ":French owl:onProperty :nationality ; owl:hasValue :France . :ann a :French .",
        expected: &[":ann :nationality :France"],
    },
    Case {
        rules: "cls-hv2",
        turtle: ":French owl:onProperty :nationality ; owl:hasValue :France . :ann :nationality :France .",
        expected: &[":ann a :French"],
    },
    Case { rules: "scm-sco", turtle: ":A rdfs:subClassOf :B . :B rdfs:subClassOf :C .", expected: &[":A rdfs:subClassOf :C"] },
    Case { rules: "scm-eqc1", turtle: ":A owl:equivalentClass :B .", expected: &[":A rdfs:subClassOf :B", ":B rdfs:subClassOf :A"] },
    Case { rules: "scm-eqc2", turtle: ":A rdfs:subClassOf :B . :B rdfs:subClassOf :A .", expected: &[":A owl:equivalentClass :B", ":B owl:equivalentClass :A"] },
    Case { rules: "scm-spo", turtle: ":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :r .", expected: &[":p rdfs:subPropertyOf :r"] },
    Case { rules: "scm-eqp1", turtle: ":p owl:equivalentProperty :q .", expected: &[":p rdfs:subPropertyOf :q", ":q rdfs:subPropertyOf :p"] },
    Case { rules: "scm-eqp2", turtle: ":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :p .", expected: &[":p owl:equivalentProperty :q"] },
    Case { rules: "scm-dom1", turtle: ":p rdfs:domain :A . :A rdfs:subClassOf :B .", expected: &[":p rdfs:domain :B"] },
    Case { rules: "scm-dom2", turtle: ":q rdfs:domain :A . :p rdfs:subPropertyOf :q .", expected: &[":p rdfs:domain :A"] },
    Case { rules: "scm-rng1", turtle: ":p rdfs:range :A . :A rdfs:subClassOf :B .", expected: &[":p rdfs:range :B"] },
    Case { rules: "scm-rng2", turtle: ":q rdfs:range :A . :p rdfs:subPropertyOf :q .", expected: &[":p rdfs:range :A"] },
    Case {
        rules: "scm-hv",
        turtle: ":C1 owl:hasValue :v ; owl:onProperty :p1 . :C2 owl:hasValue :v ; owl:onProperty :p2 . :p1 rdfs:subPropertyOf :p2 .",
        expected: &[":C1 rdfs:subClassOf :C2"],
    },
    Case {
        rules: "scm-svf1",
        turtle: ":C1 owl:someValuesFrom :Y1 ; owl:onProperty :p . :C2 owl:someValuesFrom :Y2 ; owl:onProperty :p . :Y1 rdfs:subClassOf :Y2 .",
        expected: &[":C1 rdfs:subClassOf :C2"],
    },
    Case {
        rules: "scm-svf2",
        turtle: ":C1 owl:someValuesFrom :Y ; owl:onProperty :p1 . :C2 owl:someValuesFrom :Y ; owl:onProperty :p2 . :p1 rdfs:subPropertyOf :p2 .",
        expected: &[":C1 rdfs:subClassOf :C2"],
    },
    Case {
        rules: "scm-avf1",
        turtle: ":C1 owl:allValuesFrom :Y1 ; owl:onProperty :p . :C2 owl:allValuesFrom :Y2 ; owl:onProperty :p . :Y1 rdfs:subClassOf :Y2 .",
        expected: &[":C1 rdfs:subClassOf :C2"],
    },
    Case {
        rules: "scm-avf2",
        turtle: ":C1 owl:allValuesFrom :Y ; owl:onProperty :p1 . :C2 owl:allValuesFrom :Y ; owl:onProperty :p2 . :p1 rdfs:subPropertyOf :p2 .",
        expected: &[":C2 rdfs:subClassOf :C1"],
    },
    Case { rules: "scm-int", turtle: ":Mother owl:intersectionOf ( :Woman :Parent ) .", expected: &[":Mother rdfs:subClassOf :Woman", ":Mother rdfs:subClassOf :Parent"] },
    Case { rules: "scm-uni", turtle: ":Parent owl:unionOf ( :Mother :Father ) .", expected: &[":Mother rdfs:subClassOf :Parent", ":Father rdfs:subClassOf :Parent"] },
];

#[test]
fn every_rule_derives_what_the_w3c_table_says() {
    let mut failures = Vec::new();
    let mut covered = BTreeSet::new();
    for case in CASES {
        let rules = RuleSet::from_names(case.rules.split(',')).expect("known rules");
        let alone = inferred(case.turtle, rules);
        let all = inferred(case.turtle, RuleSet::all());
        for &expected in case.expected {
            match alone.iter().find(|(t, _)| t == expected) {
                Some((_, rule)) => {
                    covered.insert(*rule);
                    if !rules.contains(kg::infer::Rule::from_name(rule).expect("a rule")) {
                        failures.push(format!("{}: {expected} by {rule}", case.rules));
                    }
                }
                None => failures.push(format!("{}: {expected} not inferred from {}: {alone:?}", case.rules, case.turtle)),
            }
            if !all.iter().any(|(t, _)| t == expected) {
                failures.push(format!("{}: {expected} not inferred with every rule on", case.rules));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every rule that derives triples, the equality ones included, was seen deriving one.
    for rule in kg::infer::Rule::ALL {
        if rule.kind() == kg::infer::RuleKind::Derives && !covered.contains(rule.name()) {
            let equality = ["eq-sym", "eq-trans", "eq-rep-s", "eq-rep-p", "eq-rep-o", "prp-fp", "prp-ifp"];
            assert!(equality.contains(&rule.name()), "no case shows {rule}");
        }
    }
}
