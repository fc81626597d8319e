//! `kg generate`: the same seed gives the same bytes, and `kg build` of what it writes stores
//! exactly the triples of its `equivalent.nt`.

use std::collections::HashSet;
use std::path::Path;

use crate::common::kg;

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(folder) = todo.pop() {
        for entry in std::fs::read_dir(&folder).expect("readable folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let name = path
                    .strip_prefix(dir)
                    .expect("below dir")
                    .display()
                    .to_string();
                found.push((name, std::fs::read(&path).expect("readable file")));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (first, second, other) = (
        dir.path().join("a"),
        dir.path().join("b"),
        dir.path().join("c"),
    );
    for (out, seed) in [(&first, "7"), (&second, "7"), (&other, "8")] {
        kg().args(["generate", "--triples", "20000", "--seed", seed, "--out"])
            .arg(out)
            .assert()
            .success();
    }
    let first = files(&first);
    assert!(first.iter().any(|(name, _)| name == "equivalent.nt"));
    assert!(first.iter().any(|(name, _)| name == "data/knows.csv"));
    assert_eq!(first, files(&second));
    assert_ne!(first, files(&other));
}

#[test]
fn a_build_stores_exactly_the_triples_of_equivalent_nt() {
    for provenance in [true, false] {
        let dir = tempfile::tempdir().expect("temporary folder");
        let data = dir.path().join("dataset");
        let mut generate = kg();
        generate
            .args(["generate", "--nodes", "300", "--edges", "1500", "--out"])
            .arg(&data);
        if !provenance {
            generate.arg("--no-provenance");
        }
        generate.assert().success();

        let store = dir.path().join("store");
        let output = kg()
            .args(["build", "--no-inference", "--format", "json", "--data"])
            .arg(data.join("data"))
            .arg("--ontology")
            .arg(data.join("ontology"))
            .arg("--store")
            .arg(&store)
            .output()
            .expect("kg runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("JSON report");

        let equivalent =
            std::fs::read_to_string(data.join("equivalent.nt")).expect("equivalent.nt");
        let lines: Vec<&str> = equivalent.lines().collect();
        let distinct: HashSet<&str> = lines.iter().copied().collect();
        assert_eq!(
            lines.len(),
            distinct.len(),
            "equivalent.nt repeats a triple"
        );
        assert_eq!(report["quads"], distinct.len() as u64);
        assert_eq!(report["nodes"], 300);
        assert_eq!(report["edges"], 1500);

        let generated: serde_json::Value = serde_json::from_slice(
            &std::fs::read(data.join("generated.json")).expect("generated.json"),
        )
        .expect("JSON description");
        assert_eq!(generated["triples"], distinct.len() as u64);
        assert_eq!(generated["facts"], report["summary"]["facts"]);
        // Without provenance, nothing is reified: one triple per fact, plus the ontologies.
        let statements = lines.iter().filter(|l| l.contains("/statement/")).count();
        assert_eq!(statements > 0, provenance);
    }
}

#[test]
fn sizes_that_make_no_dataset_are_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    kg().args(["generate", "--nodes", "5", "--edges", "10", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("at least 20 nodes"));
    kg().args(["generate", "--nodes", "20", "--edges", "100000", "--out"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("do not fit"));
}
