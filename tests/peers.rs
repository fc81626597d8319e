//! Interop with outside tools. A peer that is missing makes the test fail when
//! `KG_REQUIRE_PEERS=1` (as in CI, where `scripts/test` installs them) and skip with a message
//! saying what to install otherwise.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{default_store, kg, root};

/// The Python with the peers installed: `KG_PYTHON`, else the project's `.venv`.
fn python_with(module: &str) -> Option<PathBuf> {
    let python = std::env::var_os("KG_PYTHON")
        .map_or_else(|| root().join(".venv/bin/python"), PathBuf::from);
    let works = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    let message = format!(
        "{} cannot import {module}: run scripts/test (it makes .venv with the Python peers) or set KG_PYTHON",
        python.display()
    );
    assert!(
        std::env::var("KG_REQUIRE_PEERS").as_deref() != Ok("1"),
        "peer missing: {message}"
    );
    eprintln!("skipped: {message}");
    None
}

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
