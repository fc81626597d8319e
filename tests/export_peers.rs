//! `kg export` opened by the tools people use: rdflib parses every RDF export into a graph
//! isomorphic to the store; networkx reads `GraphML`, GEXF and node-link JSON with the same nodes,
//! edges and labels; Graphviz accepts the DOT export; headless Chromium loads the HTML page with
//! no console error and no request, and shows every node.
//!
//! Each runs on the default graph, a generated graph and the graph of hostile labels. A missing
//! peer fails the test when `KG_REQUIRE_PEERS=1` (as in CI, where `scripts/test` installs them)
//! and skips it with a message saying what to install otherwise. `KG_UPDATE_DOCS=1` also saves
//! the README's screenshot, `docs/images/peace-talks.png`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{default_store, kg, missing, python_with, root};
use crate::export::fixtures::{self, HOSTILE_LABEL, HOSTILE_RELATION, xml_visible};
use kg::graph::Projection;

/// A program on the PATH that answers `--version` (or `-V`).
fn program(name: &str, flag: &str, install: &str) -> bool {
    let works = Command::new(name)
        .arg(flag)
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        missing(&format!("{name} is not installed: {install}"));
    }
    works
}

fn export_to(store: &Path, dir: &Path, file: &str, extra: &[&str]) -> PathBuf {
    let path = dir.join(file);
    kg().arg("export")
        .arg("--store")
        .arg(store)
        .arg("-o")
        .arg(&path)
        .args(extra)
        .assert()
        .success();
    path
}

fn projection(store: &Path) -> Projection {
    let generation = kg::store::StoreDir::new(store).current().unwrap();
    kg::graph::file::load(&generation.projection_path()).unwrap()
}

fn run_json(command: &mut Command, what: &str) -> serde_json::Value {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what} does not run: {e}"));
    assert!(
        output.status.success(),
        "{what} refused the export: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{what} printed no JSON: {e}"))
}

fn sorted(mut labels: Vec<String>) -> Vec<String> {
    labels.sort();
    labels
}

/// rdflib parses each RDF export of `store` into a graph isomorphic to the SPARQL dump.
fn rdflib_check(python: &Path, store: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.nt");
    kg().args(["query", "--format", "ntriples", "--store"])
        .arg(store)
        .arg("-o")
        .arg(&reference)
        .arg("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        .assert()
        .success();
    let triples = std::fs::read_to_string(&reference).unwrap().lines().count() as u64;
    let mut command = Command::new(python);
    command
        .arg(root().join("tests/peers/rdf_isomorphic.py"))
        .arg(&reference);
    let mut files = Vec::new();
    for (extension, rdflib) in [
        ("ttl", "turtle"),
        ("nt", "nt"),
        ("nq", "nquads"),
        ("trig", "trig"),
        ("rdf", "xml"),
        ("jsonld", "json-ld"),
    ] {
        let path = export_to(store, dir.path(), &format!("graph.{extension}"), &[]);
        command.arg(format!("{rdflib}={}", path.display()));
        files.push(path);
    }
    let report = run_json(&mut command, "rdflib");
    for path in files {
        let seen = &report[path.display().to_string()];
        assert_eq!(
            seen["isomorphic"],
            true,
            "{}: not isomorphic to the store: {seen}",
            path.display()
        );
        assert_eq!(
            seen["triples"].as_u64(),
            Some(triples),
            "{}",
            path.display()
        );
        // The quad formats hold kg:inferred as their one named graph.
        let quads = ["nq", "trig", "jsonld"]
            .iter()
            .any(|e| path.extension().is_some_and(|x| x == *e));
        assert_eq!(seen["named_graphs"], u64::from(quads), "{}", path.display());
    }
}

#[test]
fn rdflib_reads_every_rdf_export_as_the_store() {
    let Some(python) = python_with("rdflib") else {
        return;
    };
    rdflib_check(&python, default_store());
    // rdflib is slow (about 10,000 triples a second): a smaller generated graph.
    let generated = fixtures::generated(400, 100, 1500);
    rdflib_check(&python, &generated.store());
}

#[test]
fn rdflib_reads_hostile_literals_in_every_format_that_can_carry_them() {
    let Some(python) = python_with("rdflib") else {
        return;
    };
    let hostile = fixtures::hostile();
    let store = hostile.store();
    let dir = tempfile::tempdir().unwrap();
    let reference = dir.path().join("reference.nt");
    kg().args(["query", "--format", "ntriples", "--store"])
        .arg(&store)
        .arg("-o")
        .arg(&reference)
        .arg("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        .assert()
        .success();
    let mut command = Command::new(&python);
    command
        .arg(root().join("tests/peers/rdf_isomorphic.py"))
        .arg(&reference);
    let mut files = Vec::new();
    for (extension, rdflib) in [
        ("ttl", "turtle"),
        ("nt", "nt"),
        ("nq", "nquads"),
        ("trig", "trig"),
        ("jsonld", "json-ld"),
    ] {
        let path = export_to(&store, dir.path(), &format!("graph.{extension}"), &[]);
        command.arg(format!("{rdflib}={}", path.display()));
        files.push(path);
    }
    // RDF/XML refuses the control characters (kg's tests check the message); what it can carry,
    // rdflib reads.
    let xml = export_to(
        &store,
        dir.path(),
        "organisations.rdf",
        &["--class", "organization"],
    );
    command.arg(format!("xml={}", xml.display()));
    let report = run_json(&mut command, "rdflib");
    for path in files {
        assert_eq!(
            report[path.display().to_string()]["isomorphic"],
            true,
            "{}",
            path.display()
        );
    }
    assert!(
        report[xml.display().to_string()]["triples"]
            .as_u64()
            .unwrap()
            > 5
    );
}

/// networkx reads `GraphML`, GEXF and node-link JSON with the projection's nodes, edges and
/// labels (XML formats show control characters as U+FFFD).
fn networkx_check(python: &Path, store: &Path) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let projection = projection(store);
    let files = [
        (
            "graphml",
            export_to(store, dir.path(), "graph.graphml", &[]),
        ),
        ("gexf", export_to(store, dir.path(), "graph.gexf", &[])),
        ("node-link", export_to(store, dir.path(), "graph.json", &[])),
    ];
    let mut command = Command::new(python);
    command.arg(root().join("tests/peers/networkx_read.py"));
    for (format, path) in &files {
        command.arg(format!("{format}={}", path.display()));
    }
    let report = run_json(&mut command, "networkx");
    for (format, path) in &files {
        let seen = &report[path.display().to_string()];
        let text = |s: &str| {
            if *format == "node-link" {
                s.to_owned()
            } else {
                xml_visible(s)
            }
        };
        let nodes = sorted(projection.nodes().map(|n| text(n.label())).collect());
        let edges = sorted(
            projection
                .edges()
                .map(|e| text(projection.predicate(e.predicate()).label))
                .collect(),
        );
        assert_eq!(
            seen["nodes"].as_u64(),
            Some(projection.node_count() as u64),
            "{format}"
        );
        assert_eq!(
            seen["edges"].as_u64(),
            Some(projection.edge_count() as u64),
            "{format}"
        );
        assert_eq!(seen["directed"], true, "{format}");
        let labels = |key: &str| -> Vec<String> {
            seen[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(labels("node_labels"), nodes, "{format}: node labels");
        assert_eq!(labels("edge_labels"), edges, "{format}: edge labels");
        for key in ["iri", "class", "classes"] {
            assert_eq!(
                seen["node_types"][key],
                serde_json::json!(["str"]),
                "{format}: {key}"
            );
        }
    }
    report
}

#[test]
fn networkx_reads_graphml_gexf_and_node_link_with_every_node_edge_and_label() {
    let Some(python) = python_with("networkx") else {
        return;
    };
    let report = networkx_check(&python, default_store());
    for (_, seen) in report.as_object().unwrap() {
        assert_eq!(
            seen["node_types"]["personnel limit"],
            serde_json::json!(["int"]),
            "typed values"
        );
    }
    let generated = fixtures::generated_default();
    let report = networkx_check(&python, &generated.store());
    for (_, seen) in report.as_object().unwrap() {
        assert_eq!(
            seen["node_types"]["employees"],
            serde_json::json!(["int"]),
            "typed values"
        );
    }
    let hostile = fixtures::hostile();
    let report = networkx_check(&python, &hostile.store());
    let node_link = report
        .as_object()
        .unwrap()
        .iter()
        .find(|(path, _)| Path::new(path).extension().is_some_and(|e| e == "json"))
        .unwrap()
        .1;
    assert!(
        node_link["node_labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == HOSTILE_LABEL)
    );
    assert!(
        node_link["edge_labels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == HOSTILE_RELATION)
    );
}

/// Graphviz draws the DOT export with one SVG node and edge per entity and fact.
fn graphviz_draws(store: &Path, extra: &[&str], nodes: usize, edges: usize) {
    let dir = tempfile::tempdir().unwrap();
    let dot = export_to(store, dir.path(), "graph.dot", extra);
    let svg = dir.path().join("graph.svg");
    let output = Command::new("dot")
        .arg("-Tsvg")
        .arg(&dot)
        .arg("-o")
        .arg(&svg)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !stderr.contains("rror"),
        "dot refused the export: {stderr}"
    );
    let drawing = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(drawing.matches("<g id=\"node").count(), nodes);
    assert_eq!(drawing.matches("<g id=\"edge").count(), edges);
}

#[test]
fn graphviz_accepts_the_dot_export() {
    if !program("dot", "-V", "apt-get install graphviz (scripts/test does)") {
        return;
    }
    let store = default_store();
    let graph = projection(store);
    graphviz_draws(store, &[], graph.node_count(), graph.edge_count());
    let hostile = fixtures::hostile();
    let graph = projection(&hostile.store());
    graphviz_draws(
        &hostile.store(),
        &[],
        graph.node_count(),
        graph.edge_count(),
    );
    // Graphviz takes minutes to draw 2,000 nodes with splines: its parser reads the whole
    // generated graph (gc counts what it parsed), and dot draws a part of it.
    let generated = fixtures::generated_default();
    let store = generated.store();
    let dir = tempfile::tempdir().unwrap();
    let dot = export_to(&store, dir.path(), "graph.dot", &[]);
    let output = Command::new("gc").arg("-ne").arg(&dot).output().unwrap();
    assert!(output.status.success(), "gc refused the export");
    let counts = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<usize> = counts
        .split_whitespace()
        .take(2)
        .map(|n| n.parse().unwrap())
        .collect();
    let graph = projection(&store);
    assert_eq!(
        numbers,
        [graph.node_count(), graph.edge_count()],
        "{counts}"
    );
    let dir = tempfile::tempdir().unwrap();
    let part = export_to(
        &store,
        dir.path(),
        "part.json",
        &["--around", "p1", "--hops", "2"],
    );
    let part: serde_json::Value = serde_json::from_slice(&std::fs::read(part).unwrap()).unwrap();
    graphviz_draws(
        &store,
        &["--around", "p1", "--hops", "2"],
        part["nodes"].as_array().unwrap().len(),
        part["links"].as_array().unwrap().len(),
    );
}

/// The Node helper and its playwright-core, installed by `scripts/setup --peers`.
fn browser_helper() -> Option<PathBuf> {
    let helper = root().join("tests/browser");
    let chromium = std::env::var_os("KG_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if !program(
        "node",
        "--version",
        "apt-get install nodejs (scripts/test does)",
    ) {
        return None;
    }
    if !helper.join("node_modules/playwright-core").is_dir() {
        missing(
            "tests/browser has no node_modules: run `npm ci --prefix tests/browser` (scripts/test does)",
        );
        return None;
    }
    if !chromium.exists() {
        missing(&format!(
            "{} is missing: apt-get install chromium (scripts/test does)",
            chromium.display()
        ));
        return None;
    }
    Some(helper.join("check_page.mjs"))
}

/// Loads an HTML export in Chromium; checks it shows every node, on screen, with no console
/// error and no request leaving the file, and that search, click, zoom and pan work.
fn chromium_check(
    helper: &Path,
    store: &Path,
    search: &str,
    screenshot: &Path,
) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let page = export_to(store, dir.path(), "graph.html", &[]);
    let projection = projection(store);
    let labels: Vec<&str> = projection.nodes().map(|n| n.label()).collect();
    let labels_file = dir.path().join("labels.json");
    std::fs::write(&labels_file, serde_json::to_vec(&labels).unwrap()).unwrap();
    let report = run_json(
        Command::new("node")
            .arg(helper)
            .arg(&page)
            .arg(screenshot)
            .arg(&labels_file)
            .arg(search),
        "Chromium",
    );
    assert_eq!(
        report["console_errors"],
        serde_json::json!([]),
        "console errors"
    );
    assert_eq!(
        report["external_requests"],
        serde_json::json!([]),
        "the page loaded something"
    );
    assert_eq!(
        report["nodes"].as_u64(),
        Some(projection.node_count() as u64)
    );
    let listed = |key: &str| -> Vec<String> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .take(5)
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(
        report["missing"].as_array().unwrap().len(),
        0,
        "nodes missing from the page: {:?}…",
        listed("missing")
    );
    assert_eq!(
        report["off_screen"].as_array().unwrap().len(),
        0,
        "nodes outside the first view: {:?}…",
        listed("off_screen")
    );
    assert_eq!(report["zoom_changed"], true);
    assert_eq!(report["pan_changed"], true);
    assert_eq!(
        report["clicked"]["node"], report["clicked"]["opened"],
        "a click opens the node"
    );
    assert!(screenshot.is_file());
    report
}

#[test]
fn chromium_shows_the_html_page_with_every_node_and_no_error() {
    let Some(helper) = browser_helper() else {
        return;
    };
    let shots = tempfile::tempdir().unwrap();
    let shot = shots.path().join("peace-talks.png");
    let report = chromium_check(&helper, default_store(), "Witkoff", &shot);
    assert_eq!(
        report["search"]["title"], "Steve Witkoff",
        "search finds the alias"
    );
    assert!(report["search"]["relations"].as_u64().unwrap() >= 3);
    assert!(
        report["search"]["evidence"].as_u64().unwrap() >= 3,
        "the panel shows evidence"
    );
    assert_eq!(
        report["followed"]["clicked"], report["followed"]["opened"],
        "relations link on"
    );
    if std::env::var("KG_UPDATE_DOCS").as_deref() == Ok("1") {
        let images = root().join("docs/images");
        std::fs::create_dir_all(&images).unwrap();
        std::fs::copy(&shot, images.join("peace-talks.png")).unwrap();
        std::fs::copy(
            shots.path().join("peace-talks-panel.png"),
            images.join("peace-talks-panel.png"),
        )
        .unwrap();
    }

    let hostile = fixtures::hostile();
    let report = chromium_check(
        &helper,
        &hostile.store(),
        "evil",
        &shots.path().join("hostile.png"),
    );
    assert_eq!(
        report["search"]["title"], HOSTILE_LABEL,
        "the hostile label, exactly, in the panel"
    );

    let generated = fixtures::generated_default();
    let report = chromium_check(
        &helper,
        &generated.store(),
        "Person 17",
        &shots.path().join("generated.png"),
    );
    assert_eq!(report["search"]["title"], "Person 17");
}
