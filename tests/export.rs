//! `kg export`: every format on the default graph, on a generated graph and on a graph of
//! hostile labels; repeated exports are byte-identical; RDF exports are isomorphic to the store;
//! the property-graph files carry every node, edge and label; the SVG is well-formed and no two
//! node boxes overlap; subgraph flags; errors and exit codes. Outside tools (rdflib, networkx,
//! Graphviz, Chromium) open the same files in `tests/export_peers.rs`.

pub mod fixtures;
mod readers;
mod subgraphs;

use std::path::Path;

use self::fixtures::{HOSTILE_COMMENT, HOSTILE_ID, HOSTILE_LABEL, HOSTILE_RELATION, xml_visible};
use self::readers::{
    Seen, Xml, attribute, column, csv_rows, csv_seen, cytoscape_seen, dot_seen, dot_visible,
    gexf_seen, graphml_seen, html_data, html_seen, json, node_link_seen, svg_seen, xml,
};
use crate::common::{default_store, kg};
use kg::graph::Projection;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, GraphNameRef, QuadRef};
use predicates::prelude::PredicateBooleanExt as _;

/// Every format written as one file: name and extension.
const FORMATS: [(&str, &str); 13] = [
    ("turtle", "ttl"),
    ("ntriples", "nt"),
    ("nquads", "nq"),
    ("trig", "trig"),
    ("rdfxml", "rdf"),
    ("jsonld", "jsonld"),
    ("graphml", "graphml"),
    ("gexf", "gexf"),
    ("dot", "dot"),
    ("cytoscape", "cyjs"),
    ("node-link", "json"),
    ("svg", "svg"),
    ("html", "html"),
];

pub(super) const RDF_FORMATS: [&str; 6] =
    ["turtle", "ntriples", "nquads", "trig", "rdfxml", "jsonld"];

/// Runs `kg export` and returns its stdout, failing the test when it fails.
pub(super) fn export(store: &Path, args: &[&str]) -> Vec<u8> {
    let output = kg()
        .arg("export")
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("kg runs");
    assert!(
        output.status.success(),
        "kg export {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// The CSV export, as (nodes table, edges table).
pub(super) fn export_csv(store: &Path, args: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("tables");
    let mut all = vec!["--format", "csv", "--quiet", "-o"];
    let target_text = target.display().to_string();
    all.push(&target_text);
    all.extend_from_slice(args);
    export(store, &all);
    (
        std::fs::read(target.join("nodes.csv")).unwrap(),
        std::fs::read(target.join("edges.csv")).unwrap(),
    )
}

pub(super) fn projection(store: &Path) -> Projection {
    let generation = kg::store::StoreDir::new(store).current().unwrap();
    kg::graph::file::load(&generation.projection_path()).unwrap()
}

pub(super) fn rdf_format(name: &str) -> RdfFormat {
    match name {
        "turtle" => RdfFormat::Turtle,
        "ntriples" => RdfFormat::NTriples,
        "nquads" => RdfFormat::NQuads,
        "trig" => RdfFormat::TriG,
        "rdfxml" => RdfFormat::RdfXml,
        "jsonld" => RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
        other => panic!("not an RDF format: {other}"),
    }
}

/// Parses RDF into a dataset with canonical blank nodes, for isomorphism by equality.
pub(super) fn dataset(bytes: &[u8], format: RdfFormat) -> Dataset {
    let mut dataset = Dataset::new();
    for quad in RdfParser::from_format(format).for_slice(bytes) {
        dataset.insert(&quad.unwrap_or_else(|e| panic!("{format} does not parse: {e}")));
    }
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    dataset
}

/// Every quad of a dataset moved to its default graph, canonicalized.
pub(super) fn union_of_graphs(dataset: &Dataset) -> Dataset {
    let mut union = Dataset::new();
    for quad in dataset {
        union.insert(QuadRef::new(
            quad.subject,
            quad.predicate,
            quad.object,
            GraphNameRef::DefaultGraph,
        ));
    }
    union.canonicalize(CanonicalizationAlgorithm::Unstable);
    union
}

/// The store's default graph as SPARQL CONSTRUCT returns it: an oracle independent of export.
pub(super) fn reference(store: &Path) -> Dataset {
    let output = kg()
        .args(["query", "--format", "ntriples", "--store"])
        .arg(store)
        .arg("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        .output()
        .unwrap();
    assert!(output.status.success());
    dataset(&output.stdout, RdfFormat::NTriples)
}

/// What a faithful export of the whole projection holds; `text` maps labels as the format must.
pub(super) fn expected(projection: &Projection, text: &dyn Fn(&str) -> String) -> Seen {
    Seen::new(
        projection.nodes().map(|n| text(n.label())).collect(),
        projection
            .edges()
            .map(|e| text(projection.predicate(e.predicate()).label))
            .collect(),
    )
}

/// Reads what a property-graph export shows: its nodes, edges and labels.
type Reader = fn(&[u8]) -> Seen;

/// Checks every property-graph format and picture of a store against its projection.
pub(super) fn check_property_graphs(store: &Path) {
    let projection = projection(store);
    let exact = |s: &str| s.to_owned();
    let in_xml = |s: &str| xml_visible(s);
    let wanted = expected(&projection, &exact);
    let wanted_xml = expected(&projection, &in_xml);
    let readers: [(&str, Reader, &Seen); 6] = [
        ("graphml", graphml_seen, &wanted_xml),
        ("gexf", gexf_seen, &wanted_xml),
        ("svg", svg_seen, &wanted_xml),
        ("node-link", node_link_seen, &wanted),
        ("cytoscape", cytoscape_seen, &wanted),
        ("html", html_seen, &wanted),
    ];
    for (format, read, wanted) in readers {
        assert_eq!(
            read(&export(store, &["--format", format])),
            *wanted,
            "{format}"
        );
    }
    assert_eq!(csv_seen(&export_csv(store, &[])), wanted, "CSV");
    assert_eq!(
        dot_seen(&export(store, &["--format", "dot"])),
        expected(&projection, &|s: &str| dot_visible(s)),
        "DOT"
    );
}

/// Checks every RDF format of a store against the SPARQL dump of its default graph.
pub(super) fn check_rdf(store: &Path, formats: &[&str]) {
    let reference = reference(store);
    assert!(reference.len() > 10);
    for format in formats {
        let bytes = export(store, &["--format", format]);
        // A quad format keeps the inferred triples in their own graph: compare the union.
        let seen = dataset(&bytes, rdf_format(format));
        let seen = if rdf_format(format).supports_datasets() {
            union_of_graphs(&seen)
        } else {
            seen
        };
        assert!(seen == reference, "{format} is not isomorphic to the store");
    }
}

#[test]
fn every_format_exports_the_default_graph_the_same_bytes_twice() {
    let store = default_store();
    for (format, _) in FORMATS {
        let first = export(store, &["--format", format]);
        assert!(first.len() > 1000, "{format}: only {} bytes", first.len());
        assert!(
            first == export(store, &["--format", format]),
            "{format}: two exports differ"
        );
    }
    assert_eq!(export_csv(store, &[]), export_csv(store, &[]));
}

#[test]
fn the_format_follows_the_extension_of_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    for (format, extension) in FORMATS {
        let path = dir.path().join(format!("graph.{extension}"));
        export(default_store(), &["-o", path.to_str().unwrap()]);
        assert_eq!(
            std::fs::read(&path).unwrap(),
            export(default_store(), &["--format", format]),
            ".{extension} is not {format}"
        );
    }
    let csv = dir.path().join("graph.csv");
    export(default_store(), &["-o", csv.to_str().unwrap(), "--quiet"]);
    assert!(
        dir.path().join("graph.nodes.csv").is_file()
            && dir.path().join("graph.edges.csv").is_file()
    );
    assert!(!csv.exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    // Without -o nor --format: Turtle on stdout.
    assert_eq!(
        export(default_store(), &[]),
        export(default_store(), &["--format", "turtle"])
    );
}

#[test]
fn rdf_exports_of_the_default_graph_are_isomorphic_to_the_store() {
    check_rdf(default_store(), &RDF_FORMATS);
    let turtle = String::from_utf8(export(default_store(), &["--format", "turtle"])).unwrap();
    assert!(turtle.contains("@prefix pto: <https://kg.example/peace-talks/ontology#> ."));
    assert!(
        turtle.contains("ptr:Steve_Witkoff"),
        "prefixed names are used"
    );
}

#[test]
fn property_graph_exports_of_the_default_graph_carry_every_node_edge_and_label() {
    check_property_graphs(default_store());
}

#[test]
fn exports_carry_attributes_evidence_and_typed_values() {
    let store = default_store();
    let value = json(&export(store, &["--format", "node-link"]));
    let witkoff = value["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "Steve_Witkoff")
        .expect("Witkoff");
    assert_eq!(
        witkoff["iri"],
        "https://kg.example/peace-talks/id/Steve_Witkoff"
    );
    assert_eq!(witkoff["class"], "person");
    assert!(witkoff["description"].as_str().unwrap().contains("envoy"));
    assert_eq!(witkoff["altLabel"], "Steven Witkoff|Witkoff");
    let drafted = value["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["label"] == "drafted by" && l["target"] == "Steve_Witkoff")
        .expect("the plan drafted by Witkoff");
    let evidence = drafted["evidence"].as_str().unwrap();
    assert!(
        evidence.starts_with("peace-talks-article#")
            && evidence["peace-talks-article#".len()..]
                .parse::<u32>()
                .is_ok(),
        "{evidence}"
    );
    assert_eq!(drafted["documents"], "peace-talks-article");
    assert_eq!(
        drafted["predicate"],
        "https://kg.example/peace-talks/ontology#draftedBy"
    );
    let caps: Vec<&serde_json::Value> = value["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.get("personnel limit"))
        .collect();
    assert!(
        !caps.is_empty() && caps.iter().all(|v| v.is_i64()),
        "integers stay numbers: {caps:?}"
    );
    let graphml = String::from_utf8(export(store, &["--format", "graphml"])).unwrap();
    assert!(graphml.contains(r#"attr.name="personnel limit" attr.type="long""#));
    let html = html_data(&export(store, &["--format", "html"]));
    let evidence = &html["edges"][0]["evidence"][0];
    assert!(
        evidence["document"].is_string() && evidence.get("sentence").is_some(),
        "{evidence}"
    );
}

/// A value stated on a fact (relations.csv gives `pto:extent` on the provision's coversRegion
/// facts, on their `rdf:Statement`s) is an attribute of the fact's edge in every
/// property-graph format: the values the entity card shows, keyed by the property's label.
#[test]
fn values_stated_on_a_fact_are_attributes_of_its_edge() {
    let store = default_store();
    let provision = "Territorial_Recognition_Provision";
    let card = kg()
        .args(["lookup", provision, "--format", "json", "--store"])
        .arg(store)
        .output()
        .unwrap();
    let card: serde_json::Value = serde_json::from_slice(&card.stdout).unwrap();
    let mut expected: Vec<(String, String)> = card["relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["direction"] == "out" && r["qualifiers"].is_array())
        .map(|r| {
            let target = r["node"]["iri"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap();
            let value = r["qualifiers"][0]["value"].as_str().unwrap();
            (target.to_owned(), value.to_owned())
        })
        .collect();
    expected.sort();
    assert!(!expected.is_empty(), "{card:#}");

    let links = json(&export(store, &["--format", "node-link"]));
    let mut found: Vec<(String, String)> = links["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["source"] == provision && l.get("extent").is_some())
        .map(|l| {
            let target = l["target"].as_str().unwrap().to_owned();
            (target, l["extent"].as_str().unwrap().to_owned())
        })
        .collect();
    found.sort();
    assert_eq!(found, expected, "node-link");
    let with_extent = links["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l.get("extent").is_some())
        .count();
    assert_eq!(
        with_extent,
        expected.len(),
        "only the qualified facts carry it"
    );

    let (_, edges) = export_csv(store, &[]);
    let rows = csv_rows(&edges);
    let (sources, targets, extents) = (
        column(&rows, "source"),
        column(&rows, "target"),
        column(&rows, "extent"),
    );
    let mut found: Vec<(String, String)> = (0..sources.len())
        .filter(|&i| sources[i] == provision && !extents[i].is_empty())
        .map(|i| (targets[i].clone(), extents[i].clone()))
        .collect();
    found.sort();
    assert_eq!(found, expected, "CSV");

    let value = &expected[0].1;
    let graphml = String::from_utf8(export(store, &["--format", "graphml"])).unwrap();
    assert!(
        graphml.contains(r#"for="edge" attr.name="extent""#),
        "GraphML key"
    );
    assert!(
        graphml.contains(&format!(">{value}</data>")),
        "GraphML value"
    );
    let gexf = String::from_utf8(export(store, &["--format", "gexf"])).unwrap();
    assert!(gexf.contains(r#"title="extent""#), "GEXF attribute");
    let dot = String::from_utf8(export(store, &["--format", "dot"])).unwrap();
    assert!(dot.contains(&format!("\"extent\"=\"{value}\"")), "DOT");
    let html = html_data(&export(store, &["--format", "html"]));
    let qualified = html["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["qualifiers"].as_array().is_some_and(|q| !q.is_empty()))
        .count();
    assert_eq!(qualified, expected.len(), "HTML viewer data");
}

#[test]
fn svg_is_well_formed_and_no_node_boxes_overlap() {
    let store = default_store();
    let svg = export(store, &["--format", "svg"]);
    let mut boxes = Vec::new();
    let mut in_node = false;
    for item in xml(&svg) {
        if let Xml::Start(name, attributes) = item {
            if attribute(&attributes, "class") == Some("node") {
                in_node = true;
            } else if name == "rect" && in_node {
                let number = |k: &str| attribute(&attributes, k).unwrap().parse::<f64>().unwrap();
                boxes.push((number("x"), number("y"), number("width"), number("height")));
                in_node = false;
            }
        }
    }
    assert_eq!(boxes.len(), projection(store).node_count());
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart =
                a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1;
            assert!(apart, "node boxes overlap: {a:?} and {b:?}");
        }
    }
    // The same through the library's layout.
    let generation = kg::store::StoreDir::new(store).current().unwrap();
    let local = kg::store::LocalGraph::open(generation).unwrap();
    let schema = kg::read::SchemaView::read(&local).unwrap();
    let projection = projection(store);
    let subgraph = kg::export::Subgraph::all(&projection);
    let graph = kg::export::PropertyGraph::new(&projection, &schema, &subgraph).unwrap();
    let layout = kg::export::layout::Layout::of(&graph);
    assert!(layout.overlaps().is_empty());
    assert_eq!(layout.centres.len(), projection.node_count());
}

#[test]
fn a_generated_graph_exports_in_every_format() {
    let built = fixtures::generated_default();
    let store = built.store();
    let projection = projection(&store);
    assert!(projection.node_count() >= 2000 && projection.edge_count() >= 6000);
    check_property_graphs(&store);
    // Parsing 100,000 quads six times is slow in a debug build: N-Triples is compared with the
    // store; the other syntaxes (each compared on the default and hostile graphs, and read by
    // rdflib) must name the last entities.
    check_rdf(&store, &["ntriples"]);
    for format in RDF_FORMATS.iter().filter(|f| **f != "ntriples") {
        let text = String::from_utf8(export(&store, &["--format", format])).unwrap();
        assert!(
            text.contains("p1599") && text.contains("o399"),
            "{format}: entities missing"
        );
    }
    for format in ["ntriples", "svg"] {
        assert!(
            export(&store, &["--format", format]) == export(&store, &["--format", format]),
            "{format}: two exports differ"
        );
    }
    let value = json(&export(&store, &["--format", "node-link"]));
    let organisation = value["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == "o1")
        .unwrap();
    assert!(organisation["employees"].is_i64(), "{organisation}");
}

#[test]
fn hostile_labels_survive_every_format() {
    let built = fixtures::hostile();
    let store = built.store();
    check_property_graphs(&store);
    check_rdf(&store, &["turtle", "ntriples", "nquads", "trig", "jsonld"]);

    // The description and the id, exactly, where the format can carry them.
    let value = json(&export(&store, &["--format", "node-link"]));
    let node = value["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == HOSTILE_ID)
        .expect("the id");
    assert_eq!(node["label"], HOSTILE_LABEL);
    assert_eq!(node["description"], HOSTILE_COMMENT);
    assert!(
        value["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["label"] == HOSTILE_RELATION)
    );
    let tables = export_csv(&store, &[]);
    let rows = csv_rows(&tables.0);
    let at = column(&rows, "id")
        .iter()
        .position(|id| id == HOSTILE_ID)
        .expect("the id in CSV");
    assert_eq!(column(&rows, "description")[at], HOSTILE_COMMENT);
    let graphml = export(&store, &["--format", "graphml"]);
    let mut ids = Vec::new();
    let mut texts = Vec::new();
    for item in xml(&graphml) {
        match item {
            Xml::Start(name, attributes) if name == "node" => {
                ids.push(attribute(&attributes, "id").unwrap().to_owned());
            }
            Xml::Text(text) => texts.push(text),
            _ => {}
        }
    }
    assert!(ids.iter().any(|id| id == HOSTILE_ID));
    assert!(texts.contains(&xml_visible(HOSTILE_COMMENT)));

    // HTML: the page around the data escapes the title, the data holds the label exactly.
    let page = export(&store, &["--format", "html", "--title", HOSTILE_LABEL]);
    let data = html_data(&page);
    assert_eq!(data["title"], HOSTILE_LABEL);
    let text = String::from_utf8(page).unwrap();
    assert_eq!(
        text.matches("</script>").count(),
        2,
        "only the page's own scripts close"
    );
    assert!(
        text.contains(
            "<title>Evil &quot;quoted&quot; \\back\\slash &lt;b&gt;bold&lt;/b&gt; &amp; co"
        )
    );

    // DOT: the quote and backslash escapes, by hand.
    let dot = String::from_utf8(export(&store, &["--format", "dot"])).unwrap();
    assert!(dot.contains(r#"label="Evil \"quoted\" \\back\\slash <b>bold</b> & co ]]> --> </script> line1\nline2\nctrl"#));
}

#[test]
fn rdf_xml_refuses_what_xml_cannot_carry_and_leaves_the_file_alone() {
    let built = fixtures::hostile();
    let store = built.store();
    // RDF/XML cannot carry control characters: a clear error, and the file given is left alone.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("graph.rdf");
    std::fs::write(&target, "before").unwrap();
    kg().args(["export", "--store"])
        .arg(&store)
        .arg("-o")
        .arg(&target)
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains("cannot carry the character U+000")
                .and(predicates::str::contains("turtle")),
        );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "before");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file is left"
    );
    // A subgraph without the hostile entity goes to RDF/XML.
    let organisations = export(&store, &["--format", "rdfxml", "--class", "organization"]);
    assert!(dataset(&organisations, RdfFormat::RdfXml).len() > 5);
}
