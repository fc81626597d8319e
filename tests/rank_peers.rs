//! `kg rank` against networkx on classic networks — Zachary's karate club, the Florentine
//! families, Les Misérables (unweighted) and Davis's southern women — each written as kg inputs
//! by `tests/peers/rank_networks.py` with networkx's scores: `PageRank` and betweenness agree to
//! 1e-6 with `nx.Graph` by default and with `nx.DiGraph` under `--directed`, facts of an
//! `owl:SymmetricProperty` count both ways even then, parallel facts count once, and degree
//! counts facts.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

use crate::common::{build_fixture, kg, python_with, root};

#[derive(Debug, Deserialize)]
struct Entry {
    label: String,
    degree: usize,
    in_degree: usize,
    out_degree: usize,
    pagerank: f64,
    betweenness: f64,
}

#[derive(Debug, Deserialize)]
struct Ranked {
    directed: bool,
    exact_betweenness: bool,
    entities: Vec<Entry>,
}

/// networkx's scores of one graph, by label.
#[derive(Debug, Deserialize)]
struct Expected {
    pagerank: HashMap<String, f64>,
    betweenness: HashMap<String, f64>,
    degree: HashMap<String, usize>,
    #[serde(default)]
    in_degree: HashMap<String, usize>,
    #[serde(default)]
    out_degree: HashMap<String, usize>,
}

const TOLERANCE: f64 = 1e-6;

fn ranked(store: &Path, directed: bool) -> Ranked {
    let mut command = kg();
    command.args(["rank", "--top", "1000", "--format", "json", "--store"]);
    command.arg(store);
    if directed {
        command.arg("--directed");
    }
    let output = command.output().expect("kg runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the documented JSON shape")
}

/// Compares one ranking with networkx's; gives the largest `PageRank` and betweenness gaps.
fn compare(case: &str, kind: &str, ranked: &Ranked, expected: &Expected) -> (f64, f64) {
    assert_eq!(ranked.directed, kind == "directed", "{case}");
    assert!(ranked.exact_betweenness, "{case}");
    assert_eq!(ranked.entities.len(), expected.pagerank.len(), "{case}");
    let (mut pagerank_gap, mut betweenness_gap) = (0.0_f64, 0.0_f64);
    for entry in &ranked.entities {
        let label = &entry.label;
        let pagerank = expected.pagerank[label];
        let betweenness = expected.betweenness[label];
        pagerank_gap = pagerank_gap.max((entry.pagerank - pagerank).abs());
        betweenness_gap = betweenness_gap.max((entry.betweenness - betweenness).abs());
        assert!(
            (entry.pagerank - pagerank).abs() < TOLERANCE,
            "{case} {kind} {label}: PageRank {} (networkx {pagerank})",
            entry.pagerank
        );
        assert!(
            (entry.betweenness - betweenness).abs() < TOLERANCE,
            "{case} {kind} {label}: betweenness {} (networkx {betweenness})",
            entry.betweenness
        );
        assert_eq!(entry.degree, expected.degree[label], "{case} {label}");
        if kind == "directed" {
            assert_eq!(entry.in_degree, expected.in_degree[label], "{case} {label}");
            assert_eq!(
                entry.out_degree, expected.out_degree[label],
                "{case} {label}"
            );
        }
    }
    (pagerank_gap, betweenness_gap)
}

#[test]
fn rank_agrees_with_networkx_on_classic_networks() {
    let Some(python) = python_with("networkx, scipy") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let cases = dir.path().join("cases");
    let output = Command::new(&python)
        .arg(root().join("tests/peers/rank_networks.py"))
        .arg(&cases)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(&cases)
        .expect("cases written")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "{names:?}");
    for name in &names {
        let case = cases.join(name);
        let store = dir.path().join(format!("{name}.store"));
        build_fixture(&case, &store, &[]).success();
        let expected: HashMap<String, Expected> = serde_json::from_slice(
            &std::fs::read(case.join("expected.json")).expect("expected.json"),
        )
        .expect("expected scores");
        for kind in ["undirected", "directed"] {
            let ranking = ranked(&store, kind == "directed");
            let (pagerank, betweenness) = compare(name, kind, &ranking, &expected[kind]);
            eprintln!(
                "{name} {kind}: largest gap PageRank {pagerank:.1e}, betweenness {betweenness:.1e}"
            );
        }
    }
}
