//! `kg::validate`: one test per SHACL Core constraint component (each with nodes that pass and
//! nodes that fail), targets, recursion, the report's renderings, the build stage, and
//! `kg validate` on the default graph and on a broken copy of it.

use kg::validate::{IndexedGraph, Shapes, ValidationReport, validate, vocab as sh};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;

const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
";

fn graph(turtle: &str) -> IndexedGraph {
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(format!("{PREFIXES}{turtle}").as_bytes())
        .map(|q| q.map(Into::into))
        .collect::<Result<_, _>>()
        .expect("test Turtle parses")
}

/// Validates `turtle` (shapes and data in one graph, as in the W3C suite).
fn report(turtle: &str) -> ValidationReport {
    let g = graph(turtle);
    let shapes = Shapes::from_graph(&g).expect("the shapes are well formed");
    validate(&g, &shapes).expect("validation runs")
}

fn name(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n
            .as_str()
            .trim_start_matches("https://example.org/")
            .to_owned(),
        Term::Literal(l) => l.value().to_owned(),
        Term::BlankNode(_) => "_".to_owned(),
    }
}

/// The (focus, value) of each result, sorted, after checking every result names `component`.
fn results(turtle: &str, component: &str) -> Vec<(String, Option<String>)> {
    let report = report(turtle);
    let mut out = Vec::new();
    for r in &report.results {
        assert_eq!(
            r.component.as_str(),
            format!("{}{component}", sh::NAMESPACE),
            "{r:?}"
        );
        out.push((name(&r.focus_node), r.value.as_ref().map(name)));
    }
    out.sort();
    assert_eq!(report.conforms, out.is_empty());
    out
}

fn pairs(expected: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
    let mut v: Vec<_> = expected
        .iter()
        .map(|(f, v)| ((*f).to_owned(), v.map(str::to_owned)))
        .collect();
    v.sort();
    v
}

#[test]
fn class() {
    let found = results(
        "ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b , ex:c , 1 ; sh:class ex:Person .
         ex:Student rdfs:subClassOf ex:Person .
         ex:a a ex:Person . ex:b a ex:Student . ex:c a ex:Place .",
        "ClassConstraintComponent",
    );
    assert_eq!(found, pairs(&[("1", Some("1")), ("c", Some("c"))]));
}

#[test]
fn datatype() {
    let found = results(
        "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:datatype xsd:integer .
         ex:a ex:p 1 , \"2\" , \"x\"^^xsd:integer , \"3\"^^xsd:decimal .",
        "DatatypeConstraintComponent",
    );
    assert_eq!(
        found,
        pairs(&[("a", Some("2")), ("a", Some("3")), ("a", Some("x"))])
    );
}

#[test]
fn node_kind() {
    let found = results(
        "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:nodeKind sh:BlankNodeOrIRI .
         ex:a ex:p ex:b , [] , \"lit\" .",
        "NodeKindConstraintComponent",
    );
    assert_eq!(found, pairs(&[("a", Some("lit"))]));
}

#[test]
fn min_count_and_max_count() {
    let shapes = "ex:S a sh:PropertyShape ; sh:targetNode ex:a , ex:b , ex:c ; sh:path ex:p ;";
    let min = results(
        &format!("{shapes} sh:minCount 2 . ex:a ex:p 1 , 2 . ex:b ex:p 1 ."),
        "MinCountConstraintComponent",
    );
    assert_eq!(min, pairs(&[("b", None), ("c", None)]));
    let max = results(
        &format!("{shapes} sh:maxCount 1 . ex:a ex:p 1 , 2 . ex:b ex:p 1 ."),
        "MaxCountConstraintComponent",
    );
    assert_eq!(max, pairs(&[("a", None)]));
}

#[test]
fn value_ranges() {
    let data = "ex:a ex:p 1 , 5 , 10 , 7.5 , \"5\" , \"2025-01-01\"^^xsd:date .";
    let case = |parameter: &str, bound: &str, component: &str| {
        results(
            &format!(
                "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:{parameter} {bound} . {data}"
            ),
            component,
        )
    };
    // Values that cannot be compared with a number (a string, a date) always fail.
    let incomparable = [("a", Some("5")), ("a", Some("2025-01-01"))];
    let with = |extra: &[&'static str]| {
        let mut all: Vec<(&str, Option<&str>)> = incomparable.to_vec();
        all.extend(extra.iter().map(|v| ("a", Some(*v))));
        pairs(&all)
    };
    assert_eq!(
        case("minExclusive", "5", "MinExclusiveConstraintComponent"),
        with(&["1", "5"])
    );
    assert_eq!(
        case("minInclusive", "5", "MinInclusiveConstraintComponent"),
        with(&["1"])
    );
    assert_eq!(
        case("maxExclusive", "7.5", "MaxExclusiveConstraintComponent"),
        with(&["10", "7.5"])
    );
    assert_eq!(
        case("maxInclusive", "7.5e0", "MaxInclusiveConstraintComponent"),
        with(&["10"])
    );
}

#[test]
fn min_length_and_max_length() {
    let data = "ex:a ex:p \"ab\" , \"abcd\" , 123 , ex:x , [] .";
    let min = results(
        &format!(
            "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:minLength 3 . {data}"
        ),
        "MinLengthConstraintComponent",
    );
    assert_eq!(min, pairs(&[("a", Some("_")), ("a", Some("ab"))]));
    let max = results(
        &format!(
            "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:maxLength 3 . {data}"
        ),
        "MaxLengthConstraintComponent",
    );
    // The IRI's string is https://example.org/x; a blank node has no string.
    assert_eq!(
        max,
        pairs(&[("a", Some("_")), ("a", Some("abcd")), ("a", Some("x"))])
    );
}

#[test]
fn pattern_and_flags() {
    let found = results(
        "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:pattern \"^b\" ; sh:flags \"i\" .
         ex:a ex:p \"Bob\" , \"bill\" , \"Alice\" , [] .",
        "PatternConstraintComponent",
    );
    assert_eq!(found, pairs(&[("a", Some("_")), ("a", Some("Alice"))]));
}

#[test]
fn bad_patterns_are_refused_with_the_shape() {
    let g = graph("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:pattern \"(\" .");
    let error = Shapes::from_graph(&g).unwrap_err().to_string();
    assert!(
        error.contains("https://example.org/S") && error.contains("sh:pattern"),
        "{error}"
    );
}

#[test]
fn language_in() {
    let found = results(
        "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:languageIn ( \"en\" \"fr\" ) .
         ex:a ex:p \"x\"@en-GB , \"y\"@FR , \"z\"@de , \"plain\" .",
        "LanguageInConstraintComponent",
    );
    assert_eq!(found, pairs(&[("a", Some("plain")), ("a", Some("z"))]));
}

#[test]
fn unique_lang() {
    let found = results(
        "ex:S a sh:PropertyShape ; sh:targetNode ex:a , ex:b ; sh:path ex:p ; sh:uniqueLang true .
         ex:a ex:p \"x\"@en , \"y\"@en , \"z\"@de , \"w\"@de , \"v\"@fr .
         ex:b ex:p \"x\"@en , \"y\" , \"z\" .",
        "UniqueLangConstraintComponent",
    );
    assert_eq!(found, pairs(&[("a", None), ("a", None)]));
}

#[test]
fn equals_and_disjoint() {
    let data = "ex:a ex:p 1 , 2 ; ex:q 2 , 3 . ex:b ex:p 1 ; ex:q 1 .";
    let equals = results(
        &format!(
            "ex:S a sh:PropertyShape ; sh:targetNode ex:a , ex:b ; sh:path ex:p ; sh:equals ex:q . {data}"
        ),
        "EqualsConstraintComponent",
    );
    assert_eq!(equals, pairs(&[("a", Some("1")), ("a", Some("3"))]));
    let disjoint = results(
        &format!(
            "ex:S a sh:PropertyShape ; sh:targetNode ex:a , ex:b ; sh:path ex:p ; sh:disjoint ex:q . {data}"
        ),
        "DisjointConstraintComponent",
    );
    assert_eq!(disjoint, pairs(&[("a", Some("2")), ("b", Some("1"))]));
}

#[test]
fn less_than_and_less_than_or_equals() {
    let data = "ex:a ex:start 1 , 5 ; ex:end 5 . ex:b ex:start \"x\" ; ex:end 3 .";
    let lt = results(
        &format!(
            "ex:S a sh:PropertyShape ; sh:targetNode ex:a , ex:b ; sh:path ex:start ; sh:lessThan ex:end . {data}"
        ),
        "LessThanConstraintComponent",
    );
    assert_eq!(lt, pairs(&[("a", Some("5")), ("b", Some("x"))]));
    let le = results(
        &format!(
            "ex:S a sh:PropertyShape ; sh:targetNode ex:a , ex:b ; sh:path ex:start ; sh:lessThanOrEquals ex:end . {data}"
        ),
        "LessThanOrEqualsConstraintComponent",
    );
    assert_eq!(le, pairs(&[("b", Some("x"))]));
}

#[test]
fn not() {
    let found = results(
        "ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ; sh:not [ sh:class ex:Bad ] .
         ex:a a ex:Bad .",
        "NotConstraintComponent",
    );
    assert_eq!(found, pairs(&[("a", Some("a"))]));
}

#[test]
fn and_or_xone() {
    let data = "ex:a ex:p 1 . ex:b ex:q 1 . ex:c ex:p 1 ; ex:q 1 . ex:d ex:r 1 .";
    let member = "[ sh:path ex:p ; sh:minCount 1 ] [ sh:path ex:q ; sh:minCount 1 ]";
    let case = |parameter: &str, component: &str| {
        results(
            &format!(
                "ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b , ex:c , ex:d ; sh:{parameter} ( {member} ) . {data}"
            ),
            component,
        )
    };
    assert_eq!(
        case("and", "AndConstraintComponent"),
        pairs(&[("a", Some("a")), ("b", Some("b")), ("d", Some("d"))])
    );
    assert_eq!(
        case("or", "OrConstraintComponent"),
        pairs(&[("d", Some("d"))])
    );
    assert_eq!(
        case("xone", "XoneConstraintComponent"),
        pairs(&[("c", Some("c")), ("d", Some("d"))])
    );
}

#[test]
fn node() {
    let found = results(
        "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:knows ; sh:node ex:Named .
         ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
         ex:a ex:knows ex:b , ex:c . ex:b ex:name \"B\" .",
        "NodeConstraintComponent",
    );
    assert_eq!(found, pairs(&[("a", Some("c"))]));
}

#[test]
fn property_results_come_from_the_nested_shape() {
    let report = report(
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property ex:P .
         ex:P sh:path ex:p ; sh:minCount 1 .",
    );
    assert_eq!(report.results.len(), 1);
    let result = &report.results[0];
    assert_eq!(name(&result.source_shape), "P");
    assert_eq!(
        result.component.as_str(),
        format!("{}MinCountConstraintComponent", sh::NAMESPACE)
    );
}

#[test]
fn qualified_value_shape() {
    let shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:a , ex:b ;
        sh:property [ sh:path ex:parent ; sh:qualifiedValueShape [ sh:class ex:Woman ] ;
                      sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ; sh:qualifiedValueShapesDisjoint true ] ;
        sh:property [ sh:path ex:parent ; sh:qualifiedValueShape [ sh:class ex:Doctor ] ;
                      sh:qualifiedMinCount 1 ] .";
    let data = "ex:a ex:parent ex:m , ex:f . ex:m a ex:Woman . ex:f a ex:Doctor .
                ex:b ex:parent ex:x . ex:x a ex:Woman , ex:Doctor .";
    let components = |turtle: &str| {
        let mut found: Vec<(String, String)> = report(turtle)
            .results
            .iter()
            .map(|r| {
                let component = r.component.as_str().trim_start_matches(sh::NAMESPACE);
                (name(&r.focus_node), component.to_owned())
            })
            .collect();
        found.sort();
        found
    };
    let min = |focus: &str| {
        (
            focus.to_owned(),
            "QualifiedMinCountConstraintComponent".to_owned(),
        )
    };
    let max = |focus: &str| {
        (
            focus.to_owned(),
            "QualifiedMaxCountConstraintComponent".to_owned(),
        )
    };
    // ex:b's only parent is a woman and a doctor: the disjoint woman count leaves it out.
    assert_eq!(components(&format!("{shapes} {data}")), [min("b")]);
    // Two women: one too many; ex:b has no parent at all.
    let two = "ex:a ex:parent ex:m , ex:w , ex:f . ex:m a ex:Woman . ex:w a ex:Woman . ex:f a ex:Doctor .";
    assert_eq!(
        components(&format!("{shapes} {two}")),
        [max("a"), min("b"), min("b")]
    );
}

#[test]
fn closed_and_ignored_properties() {
    let report = report(
        "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:closed true ;
             sh:ignoredProperties ( rdf:type ) ; sh:property [ sh:path ex:p ] .
         ex:a a ex:T ; ex:p 1 ; ex:q 2 .",
    );
    assert_eq!(report.results.len(), 1, "{report:?}");
    let result = &report.results[0];
    assert_eq!(
        result
            .path
            .as_ref()
            .and_then(|p| p.predicate())
            .map(oxigraph::model::NamedNode::as_str),
        Some("https://example.org/q")
    );
    assert_eq!(result.value.as_ref().map(name).as_deref(), Some("2"));
    assert_eq!(
        result.component.as_str(),
        format!("{}ClosedConstraintComponent", sh::NAMESPACE)
    );
}

#[test]
fn has_value() {
    let found = results(
        "ex:S a sh:PropertyShape ; sh:targetNode ex:a , ex:b ; sh:path ex:p ; sh:hasValue ex:x .
         ex:a ex:p ex:x , ex:y . ex:b ex:p ex:y .",
        "HasValueConstraintComponent",
    );
    assert_eq!(found, pairs(&[("b", None)]));
}

#[test]
fn in_list() {
    let found = results(
        "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:in ( ex:x 1 \"one\" ) .
         ex:a ex:p ex:x , 1 , \"one\" , \"1\" , ex:y .",
        "InConstraintComponent",
    );
    assert_eq!(found, pairs(&[("a", Some("1")), ("a", Some("y"))]));
}

#[test]
fn targets_deactivation_severity_and_messages() {
    let report = report(
        "ex:Person a rdfs:Class , sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ;
             sh:severity sh:Warning ; sh:message \"needs a name\"@en ] .
         ex:Student rdfs:subClassOf ex:Person .
         ex:Off a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:deactivated true ; sh:maxCount 0 ; sh:class ex:Nothing .
         ex:Objects a sh:NodeShape ; sh:targetObjectsOf ex:knows ; sh:nodeKind sh:IRI .
         ex:s a ex:Student . ex:t a ex:Person ; ex:name \"T\" ; ex:knows \"lit\" .",
    );
    let mut found: Vec<(String, String, String)> = report
        .results
        .iter()
        .map(|r| (name(&r.focus_node), r.severity.name(), r.message()))
        .collect();
    found.sort();
    assert_eq!(
        found[0],
        (
            "lit".to_owned(),
            "violation".to_owned(),
            "not of node kind sh:IRI".to_owned()
        )
    );
    assert_eq!(
        found[1],
        (
            "s".to_owned(),
            "warning".to_owned(),
            "needs a name".to_owned()
        )
    );
    assert_eq!(found.len(), 2);
}

#[test]
fn recursive_shapes_end() {
    // A person's friends are persons, whose friends are persons, ... around a cycle.
    let found = results(
        "ex:P a sh:NodeShape ; sh:targetNode ex:a ;
             sh:property [ sh:path ex:friend ; sh:node ex:P ] ;
             sh:property [ sh:path ex:name ; sh:minCount 1 ] .
         ex:a ex:friend ex:b ; ex:name \"A\" . ex:b ex:friend ex:a .",
        "NodeConstraintComponent",
    );
    assert_eq!(found, pairs(&[("a", Some("b"))]));
}

#[test]
fn paths_of_every_kind() {
    let data = "ex:a ex:p ex:b . ex:b ex:p ex:c . ex:c ex:q ex:d . ex:e ex:p ex:a .";
    let count = |path: &str| {
        let report = report(&format!(
            "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path {path} ; sh:maxCount 0 . {data}"
        ));
        let g = graph(&format!("ex:S sh:path {path} . {data}"));
        let shapes = Shapes::from_graph(&g).unwrap();
        let (_, shape) = shapes.iter().next().unwrap();
        let values = shape
            .path
            .as_ref()
            .unwrap()
            .values(
                &g,
                &Term::from(oxigraph::model::NamedNode::new_unchecked(
                    "https://example.org/a",
                )),
            )
            .unwrap();
        assert_eq!(report.results.len(), usize::from(!values.is_empty()));
        let mut names: Vec<String> = values.iter().map(name).collect();
        names.sort();
        names.join(" ")
    };
    assert_eq!(count("ex:p"), "b");
    assert_eq!(count("[ sh:inversePath ex:p ]"), "e");
    assert_eq!(count("( ex:p ex:p ex:q )"), "d");
    assert_eq!(
        count("[ sh:alternativePath ( ex:p [ sh:inversePath ex:p ] ) ]"),
        "b e"
    );
    assert_eq!(count("[ sh:zeroOrMorePath ex:p ]"), "a b c");
    assert_eq!(count("[ sh:oneOrMorePath ex:p ]"), "b c");
    assert_eq!(count("[ sh:zeroOrOnePath ex:p ]"), "a b");
}

#[test]
fn ill_formed_shapes_are_refused() {
    for (shapes, words) in [
        (
            "ex:S sh:path [ ] ; sh:targetNode ex:a .",
            "ill-formed sh:path",
        ),
        (
            "ex:S a sh:PropertyShape ; sh:path ex:p ; sh:minCount \"x\" .",
            "sh:minCount",
        ),
        ("ex:S a sh:NodeShape ; sh:in ( ex:a .", ""),
    ] {
        let parsed = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(format!("{PREFIXES}{shapes}").as_bytes())
            .map(|q| q.map(Into::into))
            .collect::<Result<IndexedGraph, _>>();
        let Ok(g) = parsed else {
            // A syntax error: Shapes::from_turtle names file, line and column.
            let error =
                Shapes::from_turtle(&[("bad.ttl", format!("{PREFIXES}{shapes}").as_bytes())])
                    .unwrap_err();
            assert!(error.to_string().starts_with("bad.ttl:6:"), "{error}");
            continue;
        };
        let error = Shapes::from_graph(&g).unwrap_err().to_string();
        assert!(error.contains(words), "{error}");
    }
}

// --- kg validate and the build stage ------------------------------------------------------

pub(crate) mod cli {
    use std::path::{Path, PathBuf};

    use kg::ingest::{Inputs, prepare};
    use kg::pipeline::derive::{Stage as _, StageInput};
    use kg::validate::ValidationStage;
    use predicates::str::contains;

    use crate::common::{self, kg};

    /// A copy of the default data and ontology with two mistakes the build accepts and the
    /// shapes catch: a post without a holder (posts.csv:3) and a force cap of -5 personnel
    /// (proposals.csv:2).
    pub(crate) fn broken_copy() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["data", "ontology"] {
            common::copy_tree(&common::root().join(folder), &dir.path().join(folder));
        }
        let edit = |file: &str, from: &str, to: &str| {
            let path = dir.path().join("data").join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.contains(from), "{file} has {from:?}");
            std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        };
        edit(
            "posts.csv",
            "Russia.,Vladimir_Putin,Role_President",
            "Russia.,,Role_President",
        );
        edit("proposals.csv", "600,000.\",,600000,", "600,000.\",,-5,");
        dir
    }

    fn built(fixture: &Path) -> PathBuf {
        let store = fixture.join("store");
        common::build_fixture(fixture, &store, &[]).success();
        store
    }

    #[test]
    fn the_default_graph_conforms_to_the_shipped_shapes() {
        kg().args(["validate", "--store"])
            .arg(common::default_store())
            .assert()
            .code(0)
            .stdout(contains("conforms: no results"));
    }

    #[test]
    fn results_name_the_csv_row_and_exit_1() {
        let fixture = broken_copy();
        let store = built(fixture.path());
        let out = kg()
            .args(["validate", "--store"])
            .arg(&store)
            .assert()
            .code(1);
        let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(
            text.contains("posts.csv:3: violation: ptr:Post_Putin_President pto:heldBy: a post has exactly one holder"),
            "{text}"
        );
        assert!(
            text.contains("proposals.csv:2: violation: ptr:Force_Cap_600000 pto:personnelLimit: a force cap has one limit, a positive integer (value -5"),
            "{text}"
        );
        assert!(
            text.ends_with("does not conform: 2 violation(s)\n"),
            "{text}"
        );

        let json = kg()
            .args(["validate", "--format", "json", "--store"])
            .arg(&store)
            .assert()
            .code(1);
        let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
        assert_eq!(json["conforms"], false);
        assert_eq!(json["counts"]["violation"], 2);
        let cap = json["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"] == "pto:personnelLimit")
            .expect("the force cap result");
        assert_eq!(cap["value"]["value"], "-5");
        assert_eq!(
            cap["value"]["datatype"],
            "http://www.w3.org/2001/XMLSchema#integer"
        );
        assert_eq!(
            cap["component"],
            "http://www.w3.org/ns/shacl#MinExclusiveConstraintComponent"
        );
        assert_eq!(cap["origin"]["file"], "proposals.csv");
        assert_eq!(cap["origin"]["line"], 2);

        // -o report.ttl: a SHACL report in Turtle.
        let report = fixture.path().join("report.ttl");
        kg().args(["validate", "-o"])
            .arg(&report)
            .arg("--store")
            .arg(&store)
            .assert()
            .code(1);
        let turtle = std::fs::read(&report).unwrap();
        let quads: Vec<oxigraph::model::Quad> =
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
                .for_slice(&turtle)
                .collect::<Result<_, _>>()
                .unwrap();
        let count = |p: &str| {
            quads
                .iter()
                .filter(|q| q.predicate.as_str() == format!("http://www.w3.org/ns/shacl#{p}"))
                .count()
        };
        assert_eq!(count("result"), 2);
        assert_eq!(count("focusNode"), 2);
        assert!(
            quads
                .iter()
                .any(|q| q.predicate.as_str().ends_with("#conforms")
                    && q.object.to_string().starts_with("\"false\""))
        );
    }

    #[test]
    fn bad_shapes_and_formats_exit_2() {
        let dir = tempfile::tempdir().unwrap();
        let shapes = dir.path().join("bad.ttl");
        std::fs::write(
            &shapes,
            "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:minCount \"x .\n",
        )
        .unwrap();
        kg().args(["validate", "--shapes"])
            .arg(&shapes)
            .arg("--store")
            .arg(common::default_store())
            .assert()
            .code(2)
            .stderr(contains("bad.ttl:2:"));
        kg().args(["validate", "-o", "report.xml", "--store"])
            .arg(common::default_store())
            .current_dir(dir.path())
            .assert()
            .code(2)
            .stderr(contains("give --format"));
        kg().args(["validate", "--shapes", "missing.ttl", "--store"])
            .arg(common::default_store())
            .current_dir(dir.path())
            .assert()
            .code(2)
            .stderr(contains("--shapes missing.ttl"));
    }

    #[test]
    fn the_build_stage_turns_violations_into_errors() {
        let fixture = broken_copy();
        let mut inputs = Inputs::empty();
        inputs.add_data(&fixture.path().join("data")).unwrap();
        inputs
            .add_ontology(&fixture.path().join("ontology"))
            .unwrap();
        let prepared = prepare(&inputs, true, &|_| {});
        assert!(
            !prepared.diagnostics.has_errors(),
            "the build itself accepts the data"
        );
        let facts = prepared.facts.as_ref().unwrap();
        let stage = ValidationStage::with_shapes(&[]).unwrap();
        let input = StageInput {
            ontology: &prepared.ontology,
            facts,
            base: prepared.entities.base(),
        };
        let derived = stage.run(input);
        let errors: Vec<String> = derived
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors.iter().all(|e| e.contains(": error: ")),
            "{errors:#?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("ptr:Post_Putin_President pto:heldBy")),
            "{errors:#?}"
        );
        assert_eq!(derived.counts.get("violation"), Some(&2));

        // The embedded default passes, and a team's own shapes add their checks.
        let default = prepare(&Inputs::embedded(), true, &|_| {});
        let facts = default.facts.as_ref().unwrap();
        let input = StageInput {
            ontology: &default.ontology,
            facts,
            base: default.entities.base(),
        };
        assert!(stage.run(input).diagnostics.is_empty());
        let own = b"@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix pto: <https://kg.example/peace-talks/ontology#> .
            <https://example.org/NoQuotes> a sh:NodeShape ; sh:targetClass pto:Quotation ; sh:severity sh:Warning ; sh:maxCount 0 ; sh:class pto:Person .";
        let stricter = ValidationStage::with_shapes(&[("team.ttl", own)]).unwrap();
        let warnings = stricter.run(input).diagnostics;
        assert_eq!(warnings.len(), 6, "one per quotation: {warnings:#?}");
        assert!(
            warnings
                .iter()
                .all(|d| d.severity == kg::diagnostic::Severity::Warning)
        );
    }
}
