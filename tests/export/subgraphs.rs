//! `kg export` of parts of the graph: `--around`, `--path`, `--class`, `--relation`, one named
//! graph, RDF inputs' literals, empty selections, bad flags and a closed pipe.

use std::collections::BTreeSet;
use std::io::Read as _;
use std::process::{Command, Stdio};

use super::readers::json;
use super::{RDF_FORMATS, dataset, export, export_csv, projection, rdf_format, reference};
use crate::common::{default_store, kg};
use oxigraph::io::RdfFormat;
use predicates::prelude::PredicateBooleanExt as _;

#[test]
fn around_and_path_select_what_neighbors_and_path_find() {
    let store = default_store();
    let ids = |bytes: &[u8]| -> BTreeSet<String> {
        json(bytes)["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["iri"].as_str().unwrap().to_owned())
            .collect()
    };
    // --around agrees with kg neighbors.
    let around = ids(&export(
        store,
        &[
            "--format",
            "node-link",
            "--around",
            "Witkoff",
            "--hops",
            "1",
        ],
    ));
    let neighbours = kg()
        .args([
            "neighbors",
            "Witkoff",
            "--hops",
            "1",
            "--format",
            "json",
            "--store",
        ])
        .arg(store)
        .output()
        .unwrap();
    let neighbours: BTreeSet<String> = json(&neighbours.stdout)["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["iri"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(around, neighbours);
    assert!(around.len() > 2);

    // --path holds both ends and every node of kg path's shortest paths.
    let path = ids(&export(
        store,
        &["--format", "node-link", "--path", "Witkoff", "Putin"],
    ));
    let found = kg()
        .args([
            "path",
            "Witkoff",
            "Putin",
            "--all-shortest",
            "--format",
            "json",
            "--store",
        ])
        .arg(store)
        .output()
        .unwrap();
    let mut on_paths = BTreeSet::new();
    for p in json(&found.stdout)["paths"].as_array().unwrap() {
        for hop in p["hops"].as_array().unwrap() {
            on_paths.insert(hop["from"]["iri"].as_str().unwrap().to_owned());
            on_paths.insert(hop["to"]["iri"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(path, on_paths);
}

#[test]
fn class_and_relation_keep_their_entities_and_facts() {
    let store = default_store();
    // --class keeps the entities of the class (the ontology's people have no subclasses).
    let all = json(&export(store, &["--format", "node-link"]));
    let persons = all["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["class"] == "person")
        .count();
    let people = json(&export(
        store,
        &["--format", "node-link", "--class", "Person"],
    ));
    assert!(
        people["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["class"] == "person")
    );
    assert_eq!(people["nodes"].as_array().unwrap().len(), persons);
    assert!(persons > 3);
    // --relation keeps the relation's facts and the entities they link.
    let drafted = json(&export(
        store,
        &["--format", "node-link", "--relation", "drafted by"],
    ));
    let links = drafted["links"].as_array().unwrap();
    assert!(!links.is_empty() && links.iter().all(|l| l["label"] == "drafted by"));
    let ends: BTreeSet<&str> = links
        .iter()
        .flat_map(|l| [l["source"].as_str().unwrap(), l["target"].as_str().unwrap()])
        .collect();
    assert_eq!(ends.len(), drafted["nodes"].as_array().unwrap().len());
}

#[test]
fn rdf_subgraphs_hold_the_entities_triples_statements_and_sentences() {
    let store = default_store();
    let ntriples = export(
        store,
        &["--format", "ntriples", "--around", "Witkoff", "--hops", "1"],
    );
    let subgraph = dataset(&ntriples, RdfFormat::NTriples);
    let text = String::from_utf8(ntriples).unwrap();
    assert!(text.contains("<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> <https://kg.example/peace-talks/id/Steve_Witkoff>"));
    assert!(
        text.contains("<https://kg.example/vocab#sentenceNumber>"),
        "the cited sentences are included"
    );
    assert!(subgraph.len() < reference(store).len() / 4);
    for format in RDF_FORMATS {
        let bytes = export(
            store,
            &["--format", format, "--around", "Witkoff", "--hops", "1"],
        );
        assert!(
            dataset(&bytes, rdf_format(format)) == subgraph,
            "{format} of a subgraph"
        );
    }
}

#[test]
fn empty_selections_and_bad_flags_say_so() {
    let store = default_store();
    let run = |args: &[&str]| {
        kg().arg("export")
            .arg("--store")
            .arg(store)
            .args(args)
            .assert()
    };
    run(&["--around", "Witkof", "--format", "svg"])
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains("did you mean"));
    run(&[
        "--path",
        "Witkoff",
        "Putin",
        "--max-hops",
        "1",
        "--format",
        "svg",
    ])
    .code(1)
    .stdout("")
    .stderr(predicates::str::contains("no path"));
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("graph.docx");
    run(&["-o", docx.to_str().unwrap()]).code(2).stderr(
        predicates::str::contains("cannot tell the export format")
            .and(predicates::str::contains(".graphml")),
    );
    assert!(!docx.exists());
    run(&["--format", "pdf"]).code(2);
    run(&["--format", "csv"])
        .code(2)
        .stderr(predicates::str::contains("-o"));
    run(&["--format", "graphml", "--graph", "default"])
        .code(2)
        .stderr(predicates::str::contains("--graph"));
    run(&[
        "--format",
        "nquads",
        "--graph",
        "https://example.org/nothing",
    ])
    .code(2)
    .stderr(predicates::str::contains("no named graph"));
    run(&["--format", "svg", "--class", "Persn"])
        .code(2)
        .stderr(predicates::str::contains("did you mean person"));
    run(&["--format", "svg", "--relation", "drafted bye"]).code(2);
}

#[test]
fn named_graphs_go_to_quad_formats_or_one_at_a_time() {
    let fixture = crate::common::mini_fixture();
    std::fs::write(
        fixture.path().join("data/extra.trig"),
        "<https://example.org/g> { <https://example.org/a> <https://example.org/mini#founded> \"1900\" . }\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    crate::common::build_fixture(fixture.path(), &store, &[]).success();
    kg().args(["export", "--format", "turtle", "--store"])
        .arg(&store)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("1 named graph").and(predicates::str::contains("trig")));
    let nquads = String::from_utf8(export(&store, &["--format", "nquads"])).unwrap();
    assert!(nquads.contains("\"1900\" <https://example.org/g> ."));
    let one = String::from_utf8(export(
        &store,
        &["--format", "ntriples", "--graph", "https://example.org/g"],
    ))
    .unwrap();
    assert_eq!(
        one,
        "<https://example.org/a> <https://example.org/mini#founded> \"1900\" .\n"
    );
    // The default graph is the stated triples: the union with kg:inferred is what queries see.
    let default = export(&store, &["--format", "ntriples", "--graph", "default"]);
    let inferred = export(
        &store,
        &[
            "--format",
            "ntriples",
            "--graph",
            "https://kg.example/vocab#inferred",
        ],
    );
    let mut both = dataset(&default, RdfFormat::NTriples);
    for quad in &dataset(&inferred, RdfFormat::NTriples) {
        both.insert(quad);
    }
    both.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    assert!(both == reference(&store));
}

#[test]
fn literal_facts_of_rdf_inputs_are_node_attributes() {
    // The projection keeps node attributes; literal facts of RDF inputs reach the store without
    // passing through the tables, and must reach the projection too, in the store's form.
    let fixture = crate::common::mini_fixture();
    std::fs::write(
        fixture.path().join("data/extra.ttl"),
        r#"@prefix ex: <https://example.org/mini#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix mini: <https://example.org/mini/id/> .
mini:alice rdfs:comment "Une personne."@fr , "A person from an RDF file."@en-GB ;
    ex:employees "+0042"^^xsd:int , "42"^^xsd:integer ;
    ex:shoeSize "4.50"^^xsd:decimal ;
    ex:nickname "Ally" , "Ally"@en .
"#,
    )
    .unwrap();
    std::fs::write(
        fixture.path().join("data/extra.trig"),
        "<https://example.org/g> { <https://example.org/mini/id/alice> <https://example.org/mini#nickname> \"Hidden\" . }\n",
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    crate::common::build_fixture(fixture.path(), &store, &[]).success();
    let (nodes, _) = export_csv(&store, &[]);
    let nodes = String::from_utf8(nodes).unwrap();
    let mut lines = nodes.lines();
    assert_eq!(
        lines.next(),
        Some(
            "id,iri,label,class,classes,description,altLabel,birth date,employees,founded,nickname,shoeSize"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "acme,https://example.org/mini/id/acme,Acme Corporation,organization,organization,,,,1200,1950,,"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "alice,https://example.org/mini/id/alice,Alice Liddell,person,person,A person from an RDF file.,Al|Ali,1990-05-04,42,,Ally|Ally,4.5"
        ),
        "the English comment, integer forms merged as the store merges them, the named graph left out"
    );
    let projection = projection(&store);
    let alice = projection.nodes_named("alice")[0].0;
    let shoe_size = projection
        .node(alice)
        .attributes()
        .find(|a| projection.property(a.property).iri == "https://example.org/mini#shoeSize")
        .unwrap();
    assert_eq!(
        (shoe_size.value, shoe_size.datatype()),
        ("4.5", "http://www.w3.org/2001/XMLSchema#decimal")
    );
}

#[test]
fn a_closed_pipe_ends_the_export_quietly() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("kg"))
        .args(["export", "--format", "ntriples", "--store"])
        .arg(default_store())
        .env_remove("KG_STORE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "exit {:?}", output.status.code());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
