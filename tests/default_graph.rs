//! The embedded peace-talks graph: competency questions, provenance of every fact, determinism,
//! and (when the article is at hand) the document's hash and sentence count.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::common::{default_store, kg, root};

/// Rows of a SPARQL CSV answer as a sorted multiset (header first).
fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_owned).collect())
        .collect();
    rows.sort();
    (header, rows)
}

#[test]
fn competency_questions_have_the_expected_answers() {
    let dir = root().join("tests/competency");
    let mut queries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/competency exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    queries.sort();
    assert!(
        queries.len() >= 9,
        "only {} competency queries",
        queries.len()
    );
    let mut failures = Vec::new();
    for query in &queries {
        let expected = std::fs::read_to_string(query.with_extension("csv"))
            .unwrap_or_else(|_| panic!("{} has no expected .csv", query.display()));
        let output = kg()
            .args(["query", "--format", "csv", "--store"])
            .arg(default_store())
            .arg("--file")
            .arg(query)
            .output()
            .unwrap();
        let actual = String::from_utf8_lossy(&output.stdout);
        if csv_rows(&actual) != csv_rows(&expected) {
            failures.push(format!(
                "{}:\nexpected:\n{expected}\nactual:\n{actual}\n{}",
                query.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every row of every table under `data/` names a document and sentences, except the rows that
/// describe the documents themselves.
#[test]
fn every_fact_row_has_a_document_and_a_sentence() {
    let mut checked = 0;
    let mut missing = Vec::new();
    let mut tables: Vec<PathBuf> = Vec::new();
    let mut todo = vec![root().join("data")];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "csv") {
                tables.push(path);
            }
        }
    }
    assert!(
        tables.len() >= 5,
        "the default data has {} tables",
        tables.len()
    );
    for table in tables {
        let mut reader = csv::Reader::from_path(&table).unwrap();
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let at = |name: &str| header.iter().position(|h| h == name);
        for (i, record) in reader.records().enumerate() {
            let record = record.unwrap();
            let is_document = at("type").is_some_and(|t| record[t].contains("kg:Document"));
            if is_document {
                continue;
            }
            checked += 1;
            let source = at("source")
                .map(|i| record[i].trim().to_owned())
                .unwrap_or_default();
            let sentences = at("sentences")
                .map(|i| record[i].trim().to_owned())
                .unwrap_or_default();
            if source.is_empty() || sentences.is_empty() {
                missing.push(format!("{}:{}", table.display(), i + 2));
            }
        }
    }
    assert!(checked > 100, "only {checked} fact rows");
    assert!(
        missing.is_empty(),
        "rows without source or sentences: {missing:?}"
    );
}

/// The same check in the store: every triple about an entity has a statement with evidence.
#[test]
fn every_stored_fact_has_evidence() {
    let query = r##"
        SELECT ?s ?p ?o WHERE {
          ?s ?p ?o .
          FILTER(STRSTARTS(STR(?s), "https://kg.example/peace-talks/id/"))
          FILTER(!STRSTARTS(STR(?s), "https://kg.example/peace-talks/id/statement/"))
          FILTER(!CONTAINS(STR(?s), "#s"))
          FILTER NOT EXISTS { ?s a kg:Document }
          FILTER NOT EXISTS {
            ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:source ?d ; kg:evidence ?e .
            ?e kg:inDocument ?d ; kg:sentenceNumber ?n .
          }
        }"##;
    let output = kg()
        .args(["query", "--format", "csv", "--store"])
        .arg(default_store())
        .arg(query)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "facts without evidence:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn dump(store: &std::path::Path) -> Vec<String> {
    let output = kg()
        .args(["query", "--format", "ntriples", "--store"])
        .arg(store)
        .arg("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        .output()
        .unwrap();
    assert!(output.status.success());
    let mut lines: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines.sort();
    lines
}

#[test]
fn building_twice_gives_identical_contents() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("again");
    kg().args(["build", "--quiet", "--store"])
        .arg(&other)
        .assert()
        .success();
    let (first, second) = (dump(default_store()), dump(&other));
    assert!(first.len() > 1000, "only {} triples", first.len());
    assert!(first == second, "two builds of the default graph differ");
}

/// The repository's own folders, as `--ontology`'s help invites ("a file or a folder"): kg.ttl
/// is then given twice (it is always loaded), which must change nothing.
#[test]
fn building_from_the_repository_folders_gives_the_default_graph() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("folders");
    let output = kg()
        .args(["build", "--quiet", "--data"])
        .arg(root().join("data"))
        .arg("--ontology")
        .arg(root().join("ontology"))
        .arg("--store")
        .arg(&store)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
    // The same triples; only `kg:row` names the file differently: relative to the data folder
    // (`places.csv:6`) instead of to the repository (`data/places.csv:6`).
    let same_row = |line: String| line.replace("\"data/", "\"");
    let embedded: Vec<String> = dump(default_store()).into_iter().map(same_row).collect();
    let folders: Vec<String> = dump(&store).into_iter().map(same_row).collect();
    assert!(
        embedded == folders,
        "building from data/ and ontology/ differs from the embedded default"
    );
}

/// The article itself is not in the repository (its prose is not ours to copy); when it is at
/// hand (`KG_SOURCES`, else `../shared/sources` beside the repository), check that the data
/// describe it truly.
#[test]
fn the_article_matches_its_description() {
    let sources = crate::common::shared("KG_SOURCES", "sources");
    let article = sources.join("peace-talks-article.txt");
    if !article.exists() {
        eprintln!(
            "skipped: {} not found; set KG_SOURCES to the folder holding peace-talks-article.txt",
            article.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    // The build checks the text's SHA-256 and sentence count against data/documents.csv.
    kg().args(["build", "--quiet", "--sources"])
        .arg(&sources)
        .arg("--store")
        .arg(&store)
        .assert()
        .success();
    let output = kg()
        .args(["query", "--format", "csv", "--store"])
        .arg(&store)
        .arg("SELECT ?n ?text WHERE { ?s kg:sentenceNumber ?n ; kg:text ?text ; kg:inDocument ptr:peace-talks-article } ORDER BY ?n")
        .output()
        .unwrap();
    let (_, rows) = csv_rows(&String::from_utf8_lossy(&output.stdout));
    let texts: BTreeMap<u64, String> = rows
        .into_iter()
        .map(|r| (r[0].parse().unwrap(), r[1].clone()))
        .collect();
    // Sentence 9 states who created the 28-point plan.
    assert!(texts[&9].contains("28-point plan"), "{:?}", texts.get(&9));
    assert!(texts[&12].contains("So much work remains"));
}
