//! Inference (`kg::infer`): every OWL 2 RL rule kg implements on a tiny ontology, termination
//! on cyclic ones, inconsistencies with their evidence, explanations through a built store,
//! and RDF inputs of another domain (a university, in Turtle, N-Triples and RDF/XML).

use std::collections::BTreeSet;
use std::fmt::Write as _;
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
    let predicate = if predicate == "rdf:type" {
        "a".to_owned()
    } else {
        predicate
    };
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
    Case {
        rules: "cax-sco",
        turtle: ":Cat rdfs:subClassOf :Animal . :tom a :Cat .",
        expected: &[":tom a :Animal"],
    },
    Case {
        rules: "cax-eqc1",
        turtle: ":Cat owl:equivalentClass :Felis . :tom a :Cat .",
        expected: &[":tom a :Felis"],
    },
    Case {
        rules: "cax-eqc2",
        turtle: ":Cat owl:equivalentClass :Felis . :tom a :Felis .",
        expected: &[":tom a :Cat"],
    },
    Case {
        rules: "prp-dom",
        turtle: ":owns rdfs:domain :Owner . :ann :owns :car .",
        expected: &[":ann a :Owner"],
    },
    Case {
        rules: "prp-rng",
        turtle: ":owns rdfs:range :Thing1 . :ann :owns :car .",
        expected: &[":car a :Thing1"],
    },
    Case {
        rules: "prp-spo1",
        turtle: ":mother rdfs:subPropertyOf :parent . :ann :mother :bea .",
        expected: &[":ann :parent :bea"],
    },
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
    Case {
        rules: "prp-eqp1",
        turtle: ":p owl:equivalentProperty :q . :a :p :b .",
        expected: &[":a :q :b"],
    },
    Case {
        rules: "prp-eqp2",
        turtle: ":p owl:equivalentProperty :q . :a :q :b .",
        expected: &[":a :p :b"],
    },
    Case {
        rules: "prp-inv1",
        turtle: ":parent owl:inverseOf :child . :ann :parent :bea .",
        expected: &[":bea :child :ann"],
    },
    Case {
        rules: "prp-inv2",
        turtle: ":parent owl:inverseOf :child . :bea :child :ann .",
        expected: &[":ann :parent :bea"],
    },
    Case {
        rules: "prp-symp",
        turtle: ":knows a owl:SymmetricProperty . :a :knows :b .",
        expected: &[":b :knows :a"],
    },
    Case {
        rules: "prp-trp",
        turtle: ":in a owl:TransitiveProperty . :a :in :b . :b :in :c . :c :in :d .",
        expected: &[":a :in :c", ":a :in :d", ":b :in :d"],
    },
    Case {
        rules: "equality",
        turtle: ":mother a owl:FunctionalProperty . :ann :mother :bea . :ann :mother :beatrice . :bea :age :40 .",
        expected: &[
            ":bea owl:sameAs :beatrice",
            ":beatrice owl:sameAs :bea",
            ":beatrice :age :40",
        ],
    },
    Case {
        rules: "equality",
        turtle: ":email a owl:InverseFunctionalProperty . :a :email :x . :b :email :x .",
        expected: &[":a owl:sameAs :b", ":b owl:sameAs :a"],
    },
    Case {
        rules: "cls-int1",
        turtle: ":Mother owl:intersectionOf ( :Woman :Parent ) . :ann a :Woman , :Parent .",
        expected: &[":ann a :Mother"],
    },
    Case {
        rules: "cls-int2",
        turtle: ":Mother owl:intersectionOf ( :Woman :Parent ) . :ann a :Mother .",
        expected: &[":ann a :Woman", ":ann a :Parent"],
    },
    Case {
        rules: "cls-uni",
        turtle: ":Parent owl:unionOf ( :Mother :Father ) . :bob a :Father .",
        expected: &[":bob a :Parent"],
    },
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
    Case {
        rules: "scm-sco",
        turtle: ":A rdfs:subClassOf :B . :B rdfs:subClassOf :C .",
        expected: &[":A rdfs:subClassOf :C"],
    },
    Case {
        rules: "scm-eqc1",
        turtle: ":A owl:equivalentClass :B .",
        expected: &[":A rdfs:subClassOf :B", ":B rdfs:subClassOf :A"],
    },
    Case {
        rules: "scm-eqc2",
        turtle: ":A rdfs:subClassOf :B . :B rdfs:subClassOf :A .",
        expected: &[":A owl:equivalentClass :B", ":B owl:equivalentClass :A"],
    },
    Case {
        rules: "scm-spo",
        turtle: ":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :r .",
        expected: &[":p rdfs:subPropertyOf :r"],
    },
    Case {
        rules: "scm-eqp1",
        turtle: ":p owl:equivalentProperty :q .",
        expected: &[":p rdfs:subPropertyOf :q", ":q rdfs:subPropertyOf :p"],
    },
    Case {
        rules: "scm-eqp2",
        turtle: ":p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :p .",
        expected: &[":p owl:equivalentProperty :q"],
    },
    Case {
        rules: "scm-dom1",
        turtle: ":p rdfs:domain :A . :A rdfs:subClassOf :B .",
        expected: &[":p rdfs:domain :B"],
    },
    Case {
        rules: "scm-dom2",
        turtle: ":q rdfs:domain :A . :p rdfs:subPropertyOf :q .",
        expected: &[":p rdfs:domain :A"],
    },
    Case {
        rules: "scm-rng1",
        turtle: ":p rdfs:range :A . :A rdfs:subClassOf :B .",
        expected: &[":p rdfs:range :B"],
    },
    Case {
        rules: "scm-rng2",
        turtle: ":q rdfs:range :A . :p rdfs:subPropertyOf :q .",
        expected: &[":p rdfs:range :A"],
    },
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
    Case {
        rules: "scm-int",
        turtle: ":Mother owl:intersectionOf ( :Woman :Parent ) .",
        expected: &[
            ":Mother rdfs:subClassOf :Woman",
            ":Mother rdfs:subClassOf :Parent",
        ],
    },
    Case {
        rules: "scm-uni",
        turtle: ":Parent owl:unionOf ( :Mother :Father ) .",
        expected: &[
            ":Mother rdfs:subClassOf :Parent",
            ":Father rdfs:subClassOf :Parent",
        ],
    },
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
                None => failures.push(format!(
                    "{}: {expected} not inferred from {}: {alone:?}",
                    case.rules, case.turtle
                )),
            }
            if !all.iter().any(|(t, _)| t == expected) {
                failures.push(format!(
                    "{}: {expected} not inferred with every rule on",
                    case.rules
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every rule that derives triples, the equality ones included, was seen deriving one.
    for rule in kg::infer::Rule::ALL {
        if rule.kind() == kg::infer::RuleKind::Derives && !covered.contains(rule.name()) {
            let equality = [
                "eq-sym", "eq-trans", "eq-rep-s", "eq-rep-p", "eq-rep-o", "prp-fp", "prp-ifp",
            ];
            assert!(equality.contains(&rule.name()), "no case shows {rule}");
        }
    }
}

/// Builds `inputs` with the inference stage into `dir/store` and opens it.
pub fn build_inferred(
    inputs: &Inputs,
    dir: &std::path::Path,
) -> Result<LocalGraph, kg::pipeline::BuildError> {
    let store = StoreDir::new(dir.join("store"));
    let options = BuildOptions {
        stages: vec![Arc::new(InferenceStage::default())],
        ..BuildOptions::default()
    };
    build(inputs, &store, &options, &|_| {})?;
    Ok(LocalGraph::open(store.current().expect("a current generation")).expect("the store opens"))
}

/// The store of the embedded default graph built with inference, once per test binary.
pub fn default_inferred() -> &'static std::path::Path {
    use std::sync::OnceLock;
    static STORE: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = STORE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        build_inferred(&Inputs::embedded(), dir.path())
            .expect("the default graph builds with inference");
        dir
    });
    dir.path()
}

/// The triples of the `kg:inferred` graph that are not derivation nodes.
fn inferred_triples(graph: &LocalGraph) -> Vec<Triple> {
    let scope = GraphScope::Named(NamedNode::new_unchecked(
        "https://kg.example/vocab#inferred",
    ));
    graph
        .quads(&scope)
        .expect("the inferred graph exists")
        .map(|q| Triple::from(q.expect("a quad")))
        .filter(|t| {
            !t.predicate
                .as_str()
                .starts_with("https://kg.example/vocab#")
        })
        .collect()
}

/// The inferred triples of a store, written short (`uni:`/`id:` for the university).
fn inferred_short(graph: &LocalGraph) -> BTreeSet<String> {
    inferred_triples(graph)
        .iter()
        .map(|t| {
            short(t)
                .replace("https://university.example/ontology#", "uni:")
                .replace("https://university.example/id/", "id:")
                .replace(['<', '>'], "")
        })
        .collect()
}

#[test]
fn rdf_inputs_of_another_domain_infer_in_turtle_ntriples_and_rdfxml() {
    let fixture = root().join("tests/data/infer/university");
    let mut inputs = Inputs::empty();
    inputs.add_ontology(&fixture.join("ontology")).unwrap();
    inputs.add_data(&fixture.join("data")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let graph = build_inferred(&inputs, dir.path()).expect("the university builds");
    let inferred = inferred_short(&graph);
    let expected = [
        // From the N-Triples facts and the Turtle ontology.
        "id:ben a uni:Student",
        "id:ben uni:advisedBy id:ada",
        "id:ben a uni:Person",
        "id:carl uni:colleagueOf id:ada",
        "id:ada uni:worksFor id:maths",
        "id:ada uni:memberOf id:maths",
        "id:ada a uni:Chair",
        // With the RDF/XML facts: a transitive hierarchy, a chain, an intersection.
        "id:maths uni:subOrganizationOf id:north",
        "id:ada uni:affiliatedWith id:science",
        "id:ada uni:affiliatedWith id:north",
        "id:ben a uni:GraduateStudent",
        "id:topology a uni:Course",
        // The same student number: one student under two IRIs.
        "id:ben owl:sameAs id:b_okafor",
        "id:b_okafor owl:sameAs id:ben",
        "id:ben uni:memberOf id:chess_club",
        "id:ben uni:affiliatedWith id:north",
        "id:b_okafor a uni:GraduateStudent",
    ];
    let missing: Vec<&str> = expected
        .iter()
        .copied()
        .filter(|e| !inferred.contains(*e))
        .collect();
    assert!(missing.is_empty(), "missing {missing:?} from {inferred:#?}");
    // Nothing asserted is repeated in the inferred graph.
    for triple in inferred_triples(&graph) {
        let asserted = graph
            .triples(
                Some(triple.subject.as_ref()),
                Some(triple.predicate.as_ref()),
                Some(triple.object.as_ref()),
            )
            .next();
        assert!(asserted.is_none(), "{triple} is asserted and inferred");
    }
}

#[test]
fn an_inferred_triple_rests_on_the_asserted_facts_of_its_derivation() {
    let facts =
        facts(":mother a owl:FunctionalProperty . :ann :mother :bea , :beatrice . :bea :age :40 .");
    let inference = infer(&facts, &InferenceOptions::default()).unwrap();
    let copy = inference
        .triples()
        .find(|t| short(&t.triple) == ":beatrice :age :40")
        .expect("the copy under owl:sameAs");
    let support: BTreeSet<String> = inference.rests_on(&copy.triple).iter().map(short).collect();
    let expected: BTreeSet<String> = [
        ":bea :age :40",
        ":mother a owl:FunctionalProperty",
        ":ann :mother :bea",
        ":ann :mother :beatrice",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(support, expected);
    let same = inference
        .triples()
        .find(|t| short(&t.triple) == ":beatrice owl:sameAs :bea")
        .expect("the equality");
    assert_eq!(inference.rests_on(&same.triple).len(), 3);
}

/// The inconsistencies of a Turtle text, each as its rule and its clashing triples (short).
fn clashes(turtle: &str) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    let facts = facts(turtle);
    let inference = infer(&facts, &InferenceOptions::default()).expect("inference succeeds");
    inference
        .inconsistencies()
        .into_iter()
        .map(|i| {
            (
                i.rule.name().to_owned(),
                i.triples.iter().map(|t| short(&t.triple)).collect(),
                i.triples
                    .iter()
                    .map(|t| t.rests_on.iter().map(short).collect())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn inconsistencies_are_found_with_the_facts_they_rest_on() {
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "cax-dw",
            ":Cat owl:disjointWith :Dog . :Puppy rdfs:subClassOf :Dog . :rex a :Cat , :Puppy .",
            &[":Cat owl:disjointWith :Dog", ":rex a :Dog", ":rex a :Cat"],
            &[":Puppy rdfs:subClassOf :Dog", ":rex a :Puppy"],
        ),
        (
            "cls-nothing2",
            ":Square rdfs:subClassOf owl:Nothing . :s a :Square .",
            &[":s a owl:Nothing"],
            &[":s a :Square"],
        ),
        (
            "prp-irp",
            ":parentOf a owl:IrreflexiveProperty . :a :parentOf :a .",
            &[":a :parentOf :a"],
            &[],
        ),
        (
            "prp-irp",
            ":parentOf a owl:IrreflexiveProperty . :a :parentOf :b . :a owl:sameAs :b .",
            &[":a :parentOf :a"],
            &[":a :parentOf :b", ":a owl:sameAs :b"],
        ),
        (
            "prp-asyp",
            ":olderThan a owl:AsymmetricProperty . :youngerThan owl:inverseOf :olderThan . :a :olderThan :b . :a :youngerThan :b .",
            &[":a :olderThan :b", ":b :olderThan :a"],
            &[":a :youngerThan :b"],
        ),
        (
            "cls-com",
            ":Alive owl:complementOf :Dead . :cat a :Alive , :Dead .",
            &[":cat a :Alive", ":cat a :Dead"],
            &[],
        ),
        (
            "prp-pdw",
            ":likes owl:propertyDisjointWith :hates . :a :likes :b . :a :hates :b .",
            &[":a :likes :b", ":a :hates :b"],
            &[],
        ),
        (
            "eq-diff1",
            ":a owl:differentFrom :b . :a owl:sameAs :b .",
            &[],
            &[":a owl:differentFrom :b", ":a owl:sameAs :b"],
        ),
    ];
    for &(rule, turtle, clashing, behind) in cases {
        let found = clashes(turtle);
        let Some((_, triples, rests_on)) = found.iter().find(|(r, _, _)| r == rule) else {
            panic!("{rule}: no inconsistency in {turtle}: {found:?}");
        };
        for t in clashing {
            assert!(
                triples.iter().any(|x| x == t),
                "{rule}: {t} not among {triples:?}"
            );
        }
        let all_behind: Vec<&String> = rests_on.iter().flatten().collect();
        for t in behind {
            assert!(
                all_behind.iter().any(|x| *x == t),
                "{rule}: {t} not behind {all_behind:?}"
            );
        }
    }
    assert!(clashes(":Cat owl:disjointWith :Dog . :rex a :Cat . :tom a :Dog .").is_empty());
}

#[test]
fn an_inconsistent_build_fails_before_writing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("pets.ttl"),
        format!("{PREFIXES}:Cat owl:disjointWith :Dog . :Puppy rdfs:subClassOf :Dog . :rex a :Cat , :Puppy ."),
    )
    .unwrap();
    let mut inputs = Inputs::empty();
    inputs.add_data(&data).unwrap();
    let error = build_inferred(&inputs, dir.path()).expect_err("an inconsistent graph is refused");
    let kg::pipeline::BuildError::Invalid { diagnostics, .. } = &error else {
        panic!("not refused as invalid: {error}");
    };
    let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    let clash = text
        .iter()
        .find(|t| t.contains("cax-dw"))
        .unwrap_or_else(|| panic!("{text:?}"));
    for part in [
        "two disjoint classes",
        ":rex rdf:type :Dog (inferred by cax-sco from asserted",
        ":Puppy rdfs:subClassOf :Dog",
        ":rex rdf:type :Cat (asserted)",
    ] {
        assert!(clash.contains(part), "{part:?} not in {clash}");
    }
    assert!(
        !StoreDir::new(dir.path().join("store")).is_built(),
        "nothing was committed"
    );
}

#[test]
fn cyclic_ontologies_reach_their_fixpoint() {
    let turtle = ":A rdfs:subClassOf :B . :B rdfs:subClassOf :C . :C rdfs:subClassOf :A .
        :p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :p . :p owl:inverseOf :p .
        :next a owl:TransitiveProperty . :n1 :next :n2 . :n2 :next :n3 . :n3 :next :n1 .
        :x a :A ; :p :y . :x owl:sameAs :y . :y owl:sameAs :z . :z owl:sameAs :x .
        :loop owl:propertyChainAxiom ( :next :next ) .";
    let all: BTreeSet<String> = inferred(turtle, RuleSet::all())
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    for expected in [
        ":A owl:equivalentClass :C",
        ":x a :C",
        ":p owl:equivalentProperty :q",
        ":y :p :x",
        ":n1 :next :n1",
        ":n3 :next :n2",
        ":n2 :loop :n1",
        ":z :q :z",
        ":y owl:sameAs :x",
    ] {
        assert!(all.contains(expected), "{expected} missing from {all:#?}");
    }
    // Inferring again from the closure adds nothing: it is a fixpoint.
    let mut closed = String::new();
    for t in &all {
        let _ = writeln!(closed, "{} .", t.replace(" a ", " rdf:type "));
    }
    let again = inferred(&format!("{turtle}\n{closed}"), RuleSet::all());
    assert!(again.is_empty(), "not a fixpoint: {again:?}");
}

#[test]
fn the_cap_stops_a_hostile_ontology_before_memory_fills() {
    // A transitive property over a chain of 200 links has 20,100 facts in its closure.
    let mut turtle = String::from(":next a owl:TransitiveProperty .\n");
    for i in 0..200 {
        let _ = writeln!(turtle, ":n{i} :next :n{} .", i + 1);
    }
    let chain = facts(&turtle);
    let options = InferenceOptions {
        max_derived: 1_000,
        ..InferenceOptions::default()
    };
    let error = infer(&chain, &options).expect_err("the cap is reached");
    assert_eq!(
        error,
        kg::infer::InferenceError::TooManyTriples { limit: 1_000 }
    );
    let options = InferenceOptions {
        max_derived: 100_000,
        ..InferenceOptions::default()
    };
    assert_eq!(infer(&chain, &options).unwrap().len(), 201 * 200 / 2 - 200);
    // Equality: 300 names of one thing, each with 20 facts, entail 300 × 300 × 20 copies; the
    // count is refused before any copy is made.
    let mut turtle = String::new();
    for i in 0..300 {
        let _ = writeln!(turtle, ":a{i} owl:sameAs :a{} .", i + 1);
    }
    for k in 0..20 {
        let _ = writeln!(turtle, ":a0 :p{k} :a1 .");
    }
    let names = facts(&turtle);
    let options = InferenceOptions {
        max_derived: 100_000,
        ..InferenceOptions::default()
    };
    let error = infer(&names, &options).expect_err("the copies are too many");
    assert!(
        matches!(error, kg::infer::InferenceError::SameAsExplosion { copies, .. } if copies > 1_000_000),
        "{error}"
    );
}

/// The statuses of an explanation's leaves.
fn leaves(e: &kg::infer::Explanation, out: &mut Vec<Status>) {
    if e.premises.is_empty() {
        out.push(e.status);
    }
    e.premises.iter().for_each(|p| leaves(p, out));
}

#[test]
fn a_five_step_derivation_is_explained_down_to_the_asserted_facts() {
    // mentor ⊑ advises; advises⁻ = advisedBy; advisedBy ∘ memberOf ⊑ studiesIn; studiesIn has
    // domain Student; Student = hasValue(kind, human): `bea kind human` takes five rules, with no
    // schema shortcut.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("five.ttl"),
        format!(
            "{PREFIXES}:mentor rdfs:subPropertyOf :advises . :advises owl:inverseOf :advisedBy .
             :studiesIn owl:propertyChainAxiom ( :advisedBy :memberOf ) .
             :studiesIn rdfs:domain :Student . :Student owl:onProperty :kind ; owl:hasValue :human .
             :ann :mentor :bea ; :memberOf :lab ."
        ),
    )
    .unwrap();
    let mut inputs = Inputs::empty();
    inputs.add_data(&data).unwrap();
    let graph = build_inferred(&inputs, dir.path()).unwrap();
    let iri = |local: &str| NamedNode::new(format!("https://t.example/{local}")).unwrap();
    let bea = NamedOrBlankNode::from(iri("bea"));
    let explanation = explain(
        &graph,
        bea.as_ref(),
        iri("kind").as_ref(),
        iri("human").as_ref().into(),
    )
    .unwrap()
    .expect("the triple is inferred");
    assert_eq!(explanation.status, Status::Inferred);
    let mut rules = Vec::new();
    let mut at = &explanation;
    loop {
        rules.push(at.rule.clone().unwrap_or_else(|| "asserted".into()));
        // Follow the premise about bea (or ann): the instance side of each step.
        match at
            .premises
            .iter()
            .find(|p| p.subject.value.ends_with("/bea") || p.subject.value.ends_with("/ann"))
        {
            Some(next) => at = next,
            None => break,
        }
    }
    assert_eq!(
        rules,
        [
            "cls-hv1", "prp-dom", "prp-spo2", "prp-inv1", "prp-spo1", "asserted"
        ]
    );
    assert!(explanation.depth() >= 6, "depth {}", explanation.depth());
    let mut statuses = Vec::new();
    leaves(&explanation, &mut statuses);
    assert!(
        statuses.iter().all(|s| *s == Status::Asserted),
        "every leaf is asserted: {statuses:?}"
    );
    let unknown = explain(
        &graph,
        bea.as_ref(),
        iri("kind").as_ref(),
        iri("robot").as_ref().into(),
    )
    .unwrap();
    assert!(unknown.is_none());
}

/// `kg explain` on a store, its stdout as text.
fn explain_cli(store: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = kg()
        .arg("explain")
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("kg runs");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn kg_explain_shows_rules_premises_and_evidence_on_the_default_graph() {
    let store = default_inferred().join("store");
    let (code, text, stderr) = explain_cli(&store, &["Witkoff", "drafted", "28-point plan"]);
    assert_eq!(code, Some(0), "{stderr}");
    for part in [
        "Steve Witkoff  —drafted→  28-point plan   [inferred by prp-inv1]",
        "28-point plan  —drafted by→  Steve Witkoff   [asserted]",
        "peace-talks-article #9",
    ] {
        assert!(text.contains(part), "{part:?} not in\n{text}");
    }

    let (code, json, _) = explain_cli(
        &store,
        &[
            "Witkoff",
            "pto:drafted",
            "ptr:Plan_28_Point",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(0));
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["status"], "inferred");
    assert_eq!(value["rule"], "prp-inv1");
    assert_eq!(value["subject"]["label"], "Steve Witkoff");
    let premises = value["premises"].as_array().expect("premises");
    let fact = premises
        .iter()
        .find(|p| p["predicate"]["label"] == "drafted by")
        .expect("the asserted fact");
    assert_eq!(fact["status"], "asserted");
    assert_eq!(fact["evidence"][0]["document"], "peace-talks-article");
    assert_eq!(fact["evidence"][0]["sentence"], 9);
    assert!(
        fact["rows"][0]
            .as_str()
            .unwrap()
            .starts_with("data/relations.csv:")
    );

    let (code, dot, _) = explain_cli(
        &store,
        &["Witkoff", "drafted", "28-point plan", "--format", "dot"],
    );
    assert_eq!(code, Some(0));
    assert!(
        dot.starts_with("digraph explanation {") && dot.contains("n0 -> n1 [label=\"prp-inv1\"]"),
        "{dot}"
    );

    // An asserted triple: its evidence alone.
    let (code, text, _) = explain_cli(&store, &["Kushner", "son-in-law of", "Trump"]);
    assert_eq!(code, Some(0));
    assert!(
        text.contains("[asserted]") && text.contains("peace-talks-article #3"),
        "{text}"
    );

    // Neither asserted nor inferred: exit 1, a message on stderr.
    let (code, text, stderr) = explain_cli(&store, &["Trump", "drafted", "28-point plan"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.is_empty() && stderr.contains("neither asserts nor infers"),
        "{stderr}"
    );
    // An unknown name: exit 1 with a suggestion; an unknown relation: exit 2.
    let (code, _, stderr) = explain_cli(&store, &["Witkof", "drafted", "28-point plan"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("did you mean"), "{stderr}");
    let (code, _, stderr) = explain_cli(&store, &["Witkoff", "draftd", "28-point plan"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("did you mean drafted"), "{stderr}");
}

#[test]
fn kg_explain_follows_equality_and_literals_in_another_domain() {
    let fixture = root().join("tests/data/infer/university");
    let mut inputs = Inputs::empty();
    inputs.add_ontology(&fixture.join("ontology")).unwrap();
    inputs.add_data(&fixture.join("data")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    build_inferred(&inputs, dir.path()).unwrap();
    let store = dir.path().join("store");
    // The projection has no names for entities of RDF inputs (a limit of the projection, not of
    // inference): they are named by IRI.
    let (code, json, stderr) = explain_cli(
        &store,
        &[
            "https://university.example/id/ben",
            "member of",
            "https://university.example/id/chess_club",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["rule"], "eq-rep-s");
    let text = serde_json::to_string(&value).unwrap();
    // Down to the two asserted student numbers the equality rests on.
    assert!(text.contains("\"rule\":\"prp-ifp\""), "{text}");
    assert!(
        text.contains("\"kind\":\"literal\",\"value\":\"S-1024\""),
        "{text}"
    );
    // A literal object, given in N-Triples.
    let (code, text, stderr) = explain_cli(
        &store,
        &[
            "<https://university.example/id/b_okafor>",
            "student number",
            "\"S-1024\"",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(text.contains("[asserted]"), "{text}");
}
