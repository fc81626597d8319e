//! A failed, concurrent or killed build never damages the graph built before it.

use std::fmt::Write as _;
use std::fs::File;
use std::time::{Duration, Instant};

use crate::common::{MINI_PREFIXES, ask, build_fixture, kg, mini_fixture};

fn current(store: &std::path::Path) -> String {
    std::fs::read_to_string(store.join("CURRENT")).expect("CURRENT exists")
}

#[test]
fn a_locked_store_is_refused_and_left_intact() {
    let fixture = mini_fixture();
    let store = fixture.path().join("store");
    build_fixture(fixture.path(), &store, &[]).success();
    let before = current(&store);

    let lock = File::options()
        .read(true)
        .write(true)
        .open(store.join("build.lock"))
        .unwrap();
    lock.lock().unwrap();
    let output = build_fixture(fixture.path(), &store, &[])
        .get_output()
        .clone();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is locked by another kg build"), "{stderr}");
    lock.unlock().unwrap();

    assert_eq!(current(&store), before);
    assert!(ask(
        &store,
        &format!("{MINI_PREFIXES}ASK {{ mini:alice ex:worksFor mini:acme }}")
    ));
    build_fixture(fixture.path(), &store, &[]).success();
}

#[test]
fn a_killed_build_leaves_the_previous_graph_and_is_cleaned_up() {
    let fixture = mini_fixture();
    let store = fixture.path().join("store");
    build_fixture(fixture.path(), &store, &[]).success();
    let before = current(&store);

    // Enough rows that writing takes a while.
    let mut people = String::from("id,type,rdfs:label@en,source,sentences\n");
    let mut relations = String::from("subject,predicate,object,source,sentences\n");
    for i in 0..150_000 {
        writeln!(people, "p{i},ex:Person,Person {i},notes,1").unwrap();
        writeln!(relations, "p{i},knows,p{},notes,2", (i * 7 + 1) % 150_000).unwrap();
    }
    let big = mini_fixture();
    std::fs::write(big.path().join("data/people-big.csv"), people).unwrap();
    std::fs::write(big.path().join("data/relations-big.csv"), relations).unwrap();

    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("kg"))
        .arg("build")
        .arg("--data")
        .arg(big.path().join("data"))
        .arg("--ontology")
        .arg(big.path().join("ontology"))
        .arg("--store")
        .arg(&store)
        .arg("--quiet")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the new generation's RDF store is being written, then SIGKILL.
    let started = Instant::now();
    let writing = loop {
        let generations: Vec<_> = std::fs::read_dir(&store)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
            .filter(|e| e.file_name().to_string_lossy() != before.trim())
            .collect();
        if generations
            .iter()
            .any(|g| g.path().join("oxigraph").exists())
        {
            break true;
        }
        if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(300) {
            break false;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        writing,
        "the build ended before it started writing ({status})"
    );
    assert!(!status.success(), "the build finished before it was killed");

    assert_eq!(
        current(&store),
        before,
        "a killed build must not switch the graph"
    );
    assert!(ask(
        &store,
        &format!("{MINI_PREFIXES}ASK {{ mini:alice ex:worksFor mini:acme }}")
    ));
    assert!(!ask(
        &store,
        &format!("{MINI_PREFIXES}ASK {{ mini:p1 ?p ?o }}")
    ));

    // The next build succeeds and removes the half-written generation.
    build_fixture(fixture.path(), &store, &[]).success();
    let generations = std::fs::read_dir(&store)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("gen-"))
        .count();
    assert!(generations <= 2, "{generations} generations left");
    let output = kg()
        .args(["query", "--format", "csv", "--store"])
        .arg(&store)
        .arg("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        .output()
        .unwrap();
    assert!(output.status.success());
}
