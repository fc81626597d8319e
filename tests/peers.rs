//! Interop with outside tools. A peer that is missing makes the test fail when
//! `KG_REQUIRE_PEERS=1` (as in CI, where `scripts/test` installs them) and skip with a message
//! saying what to install otherwise.

use std::path::PathBuf;
use std::process::Command;

use crate::common::{default_store, kg, python_with, root};

fn rdflib_counts(python: &PathBuf, files: &[(&str, PathBuf)]) -> serde_json::Value {
    let mut command = Command::new(python);
    command.arg(root().join("tests/peers/rdflib_parse.py"));
    for (format, path) in files {
        command.arg(format!("{format}={}", path.display()));
    }
    let output = command.output().expect("python runs");
    assert!(
        output.status.success(),
        "rdflib refused: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON counts")
}

#[test]
fn rdflib_parses_the_ontologies() {
    let Some(python) = python_with("rdflib") else {
        return;
    };
    let files = [
        ("turtle", root().join("ontology/kg.ttl")),
        ("turtle", root().join("ontology/peace-talks.ttl")),
        ("turtle", root().join("data/dataset.ttl")),
    ];
    let counts = rdflib_counts(&python, &files);
    for (_, path) in &files {
        let count = counts[path.display().to_string()].as_u64().unwrap();
        assert!(count > 5, "{} has only {count} triples", path.display());
    }
}

#[test]
fn rdflib_parses_a_dump_of_the_store() {
    let Some(python) = python_with("rdflib") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (format, extension, rdflib_format) in
        [("ntriples", "nt", "nt"), ("turtle", "ttl", "turtle")]
    {
        let path = dir.path().join(format!("dump.{extension}"));
        kg().args(["query", "--format", format, "--store"])
            .arg(default_store())
            .arg("--output")
            .arg(&path)
            .arg("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            .assert()
            .success();
        files.push((rdflib_format, path));
    }
    let lines = std::fs::read_to_string(&files[0].1)
        .unwrap()
        .lines()
        .count() as u64;
    let counts = rdflib_counts(&python, &files);
    for (_, path) in &files {
        assert_eq!(
            counts[path.display().to_string()].as_u64(),
            Some(lines),
            "{}",
            path.display()
        );
    }
}
