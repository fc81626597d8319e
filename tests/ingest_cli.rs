//! `kg ingest`, `--review`, `--accept`, `kg sentences`, `kg facts` and `kg timeline` through the
//! binary: the tutorial of `docs/ingest.md` for real on the wire test article — ingest, review,
//! accept, build, then a path from a new actor to Putin with the new document's evidence — and
//! the errors people meet on the way.

use std::path::Path;

use serde_json::Value;

use crate::common::{column, copy_tree, default_store, json_of, kg, read_table, root};

const WIRE_ID: &str = "wire-2025-12-03";

fn wire() -> std::path::PathBuf {
    root().join("tests/data/ingest/wire/article.txt")
}

/// `kg ingest` of the wire article into `out`.
fn ingest_wire(out: &Path) {
    kg().arg("ingest")
        .arg(wire())
        .args(["--document-id", WIRE_ID, "--date", "2025-12-03", "-o"])
        .arg(out)
        .arg("--store")
        .arg(default_store())
        .assert()
        .success()
        .stdout(predicates::str::contains("ingested wire-2025-12-03"));
}

#[test]
fn the_tutorial_runs_from_article_to_path() {
    let dir = tempfile::tempdir().unwrap();
    let candidates = dir.path().join("wire");
    ingest_wire(&candidates);
    for file in [
        "document.csv",
        "entities.csv",
        "relations.csv",
        "quotations.csv",
        "analysis.json",
        "report.md",
    ] {
        assert!(candidates.join(file).exists(), "{file}");
    }
    // The text kept is what the build numbers: the residue line is gone.
    let kept = std::fs::read_to_string(candidates.join(format!("sources/{WIRE_ID}.txt"))).unwrap();
    assert!(!kept.contains("Reporting by"));
    assert!(kept.starts_with("MOSCOW, Dec. 3"));

    // Review: accept everything, answering on stdin.
    kg().args(["ingest", "--review"])
        .arg(&candidates)
        .write_stdin("y\n".repeat(200))
        .assert()
        .success()
        .stdout(predicates::str::contains("⟦Yuri Ushakov⟧"))
        .stdout(predicates::str::contains("0 still proposed"));
    let (header, rows) = read_table(&candidates.join("entities.csv"));
    assert!(
        rows.iter()
            .all(|r| r[column(&header, "status")] == "accepted")
    );

    // Accept into a copy of the data, build, and walk from a new actor to Putin.
    let data = dir.path().join("data");
    copy_tree(&root().join("data"), &data);
    kg().args(["ingest", "--accept"])
        .arg(&candidates)
        .arg("-o")
        .arg(&data)
        .assert()
        .success();
    assert!(data.join(format!("sources/{WIRE_ID}.txt")).exists());
    let store = dir.path().join("store");
    kg().args(["build", "--quiet", "--strict", "--data"])
        .arg(&data)
        .arg("--ontology")
        .arg(root().join("ontology"))
        .arg("--store")
        .arg(&store)
        .assert()
        .success();
    check_the_new_graph(&store);
}

/// The path from the new actor to Putin, what the new document states, and the timeline of
/// one of its speakers.
fn check_the_new_graph(store: &Path) {
    let path = json_of(
        &kg()
            .args(["path", "Ushakov", "Putin", "--format", "json", "--store"])
            .arg(store)
            .output()
            .unwrap(),
    );
    let hops = path["paths"][0]["hops"].as_array().unwrap();
    let first = &hops[0];
    assert_eq!(first["from"]["label"], "Yuri Ushakov");
    assert_eq!(first["predicate"]["label"], "acts on behalf of");
    let evidence = &first["evidence"][0];
    assert_eq!(evidence["document"], WIRE_ID);
    assert_eq!(evidence["sentence"], 2);
    assert!(
        evidence["text"]
            .as_str()
            .unwrap()
            .contains("aide Yuri Ushakov")
    );
    assert_eq!(
        hops.last().unwrap()["to"]["label"],
        "Vladimir Putin",
        "{path}"
    );

    let facts = json_of(
        &kg()
            .args([
                "facts",
                "--document",
                WIRE_ID,
                "--format",
                "json",
                "--store",
            ])
            .arg(store)
            .output()
            .unwrap(),
    );
    assert_eq!(facts["document"]["sentence_count"], 24);
    assert!(facts["facts"].as_array().unwrap().iter().any(|f| {
        f["subject"]["label"] == "Yuri Ushakov"
            && f["predicate"]["label"] == "acts on behalf of"
            && f["sentences"] == serde_json::json!([2])
    }));
    let timeline = json_of(
        &kg()
            .args(["timeline", "Trump", "--format", "json", "--store"])
            .arg(store)
            .output()
            .unwrap(),
    );
    assert!(
        timeline["entries"].as_array().unwrap().iter().any(|e| {
            e["date"] == "2025-12-03"
                && e["precision"] == "day"
                && e["evidence"][0]["document"] == WIRE_ID
        }),
        "{timeline}"
    );
}

#[test]
fn rejecting_a_new_entity_leaves_its_facts_out() {
    let dir = tempfile::tempdir().unwrap();
    let candidates = dir.path().join("wire");
    ingest_wire(&candidates);
    // Entities come first; the first is Yuri Ushakov.
    let (header, rows) = read_table(&candidates.join("entities.csv"));
    assert_eq!(rows[0][column(&header, "id")], "Yuri_Ushakov");
    kg().args(["ingest", "--review"])
        .arg(&candidates)
        .write_stdin(format!("n\n{}", "y\n".repeat(200)))
        .assert()
        .success();
    let out = dir.path().join("accepted");
    kg().args(["ingest", "--accept"])
        .arg(&candidates)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "refers to Yuri_Ushakov which was not accepted",
        ));
    let relations = std::fs::read_to_string(out.join(format!("{WIRE_ID}.relations.csv"))).unwrap();
    assert!(!relations.contains("Yuri_Ushakov"));
    assert!(relations.starts_with("subject,predicate,object"));
    // The clean tables have no review columns.
    let (header, _) = read_table(&out.join(format!("{WIRE_ID}.entities.csv")));
    assert!(!header.iter().any(|h| h == "status" || h == "span"));
    // They build with the default data.
    let data = dir.path().join("data");
    copy_tree(&root().join("data"), &data);
    copy_tree(&out, &data);
    kg().args(["build", "--quiet", "--data"])
        .arg(&data)
        .arg("--ontology")
        .arg(root().join("ontology"))
        .arg("--store")
        .arg(dir.path().join("store"))
        .assert()
        .success();
}

#[test]
fn quitting_a_review_keeps_the_answers_given() {
    let dir = tempfile::tempdir().unwrap();
    let candidates = dir.path().join("wire");
    ingest_wire(&candidates);
    kg().args(["ingest", "--review"])
        .arg(&candidates)
        .write_stdin("maybe\ny\ns\nn\nq\ny\n")
        .assert()
        .success()
        .stdout(predicates::str::contains("answer y, n, s or q"))
        .stdout(predicates::str::contains("1 accepted, 1 rejected"));
    let (header, rows) = read_table(&candidates.join("entities.csv"));
    let status: Vec<&str> = rows
        .iter()
        .map(|r| r[column(&header, "status")].as_str())
        .collect();
    assert_eq!(status, ["accepted", "proposed", "rejected"]);
    // Accepting without -o stages the tables in DIR/accepted.
    kg().args(["ingest", "--accept"])
        .arg(&candidates)
        .assert()
        .success()
        .stdout(predicates::str::contains("still proposed"));
    assert!(
        candidates
            .join(format!("accepted/{WIRE_ID}.entities.csv"))
            .exists()
    );
}

#[test]
fn the_json_analysis_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let output = kg()
        .arg("ingest")
        .arg(root().join("tests/data/ingest/feature/article.txt"))
        .args(["--document-id", "feature", "--format", "json", "-o"])
        .arg(dir.path().join("out"))
        .arg("--store")
        .arg(default_store())
        .output()
        .unwrap();
    let analysis = json_of(&output);
    // The date comes from the header's date line.
    assert_eq!(analysis["document"]["date"], "2025-12-05");
    assert_eq!(
        analysis["document"]["title"],
        "Witkoff’s Moscow mission lays bare the gulf over Ukraine’s land"
    );
    for key in [
        "document",
        "header",
        "residue",
        "sentences",
        "mentions",
        "new_entities",
        "variants",
        "quotations",
        "dates",
        "numbers",
        "relations",
    ] {
        assert!(analysis.get(key).is_some(), "{key}");
    }
    let ambiguous = analysis["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| !m["ambiguous"].as_array().unwrap().is_empty())
        .unwrap();
    assert_eq!(ambiguous["text"], "Kyiv");
    assert_eq!(
        ambiguous["ambiguous"],
        serde_json::json!(["Government_of_Ukraine", "Kyiv"])
    );
    let sentences = analysis["sentences"].as_array().unwrap();
    assert_eq!(
        analysis["document"]["sentence_count"].as_u64(),
        Some(sentences.len() as u64)
    );
    // kg sentences numbers the kept text as the analysis does.
    let numbered = json_of(
        &kg()
            .args(["sentences", "--format", "json"])
            .arg(dir.path().join("out/sources/feature.txt"))
            .output()
            .unwrap(),
    );
    assert_eq!(numbered["sha256"], analysis["document"]["sha256"]);
    assert_eq!(
        numbered["sentence_count"],
        analysis["document"]["sentence_count"]
    );
    for (ours, kept) in numbered["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .zip(sentences)
    {
        assert_eq!(ours["start"], kept["kept_start"]);
        assert_eq!(ours["text"], kept["text"]);
    }
}

#[test]
fn kg_sentences_gives_the_numbering_and_hash_the_documents_table_holds() {
    let notes = root().join("data/sources/kg-editorial-notes.txt");
    let numbered = json_of(
        &kg()
            .args(["sentences", "--format", "json"])
            .arg(&notes)
            .output()
            .unwrap(),
    );
    let documents = std::fs::read_to_string(root().join("data/documents.csv")).unwrap();
    let row = documents
        .lines()
        .find(|l| l.starts_with("kg-editorial-notes,"))
        .unwrap();
    assert!(row.contains(numbered["sha256"].as_str().unwrap()));
    assert!(row.contains(&format!(",{},", numbered["sentence_count"])));
    assert_eq!(numbered["sentences"][7]["number"], 8);
    let text = kg().arg("sentences").arg(&notes).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("# sha256 "));
    assert!(lines.next().unwrap().starts_with("1\t0-"));
    // No sentence: exit 1.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), "\n\n").unwrap();
    kg().arg("sentences")
        .arg(dir.path().join("empty.txt"))
        .assert()
        .code(1);
}

#[test]
fn kg_facts_lists_what_a_document_states() {
    let facts = json_of(
        &kg()
            .args([
                "facts",
                "--document",
                "peace-talks-article",
                "--format",
                "json",
                "--store",
            ])
            .arg(default_store())
            .output()
            .unwrap(),
    );
    let list = facts["facts"].as_array().unwrap();
    assert!(list.len() > 100, "{}", list.len());
    assert!(list.iter().any(|f| {
        f["subject"]["label"] == "Steve Witkoff"
            && f["predicate"]["label"] == "envoy of"
            && f["object"]["label"] == "United States"
            && f["sentences"] == serde_json::json!([1])
    }));
    // Sorted by first sentence.
    let firsts: Vec<u64> = list
        .iter()
        .filter_map(|f| f["sentences"][0].as_u64())
        .collect();
    assert!(firsts.windows(2).all(|w| w[0] <= w[1]));
    kg().args(["facts", "--document", "nope", "--store"])
        .arg(default_store())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("peace-talks-article"));
}

#[test]
fn kg_timeline_orders_dates_and_keeps_dates_in_words_last() {
    let output = kg()
        .args(["timeline", "--format", "json", "--store"])
        .arg(default_store())
        .output()
        .unwrap();
    let timeline = json_of(&output);
    let entries = timeline["entries"].as_array().unwrap();
    let first = &entries[0];
    assert_eq!(first["date"], "2022");
    assert_eq!(first["precision"], "year");
    let words: Vec<&Value> = entries.iter().filter(|e| e["date"].is_null()).collect();
    assert!(
        words
            .iter()
            .any(|e| e["words"] == "over the weekend" && e["subject"]["label"] == "Florida talks")
    );
    // Dates in words come after every dated entry.
    let first_words = entries.iter().position(|e| e["date"].is_null()).unwrap();
    assert!(entries[first_words..].iter().all(|e| e["date"].is_null()));
    assert!(
        entries
            .iter()
            .any(|e| e["precision"] == "month, year not stated")
    );
    let text = kg()
        .args(["timeline", "Geneva meetings", "--store"])
        .arg(default_store())
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("--11 (month, year not stated)  Geneva meetings"),
        "{text}"
    );
    assert!(text.contains("“late November” (in words)"), "{text}");
}

#[test]
fn ingest_errors_name_the_file_or_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"fine\nab\xFFc\n").unwrap();
    kg().arg("ingest")
        .arg(&bad)
        .arg("--store")
        .arg(default_store())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.txt:2:3: not UTF-8"));
    kg().arg("ingest")
        .arg(wire())
        .args(["--date", "2025-13-01", "--store"])
        .arg(default_store())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--date \"2025-13-01\""));
    kg().arg("ingest")
        .arg(wire())
        .args(["--document-id", "a/b", "--store"])
        .arg(default_store())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--document-id"));
    let out = dir.path().join("wire");
    ingest_wire(&out);
    kg().arg("ingest")
        .arg(wire())
        .args(["--document-id", WIRE_ID, "-o"])
        .arg(&out)
        .arg("--store")
        .arg(default_store())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--force"));
    kg().args(["ingest", "--review"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a kg ingest folder"));
    // A status a person mistyped in a spreadsheet: file and line.
    let entities = out.join("entities.csv");
    let text = std::fs::read_to_string(&entities).unwrap();
    std::fs::write(&entities, text.replacen("proposed", "acepted", 1)).unwrap();
    kg().args(["ingest", "--accept"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "entities.csv:2: status \"acepted\"",
        ));
}

#[test]
fn kg_timeline_and_kg_facts_say_why_they_found_nothing() {
    // Known, but nothing about Trump is dated in the default graph.
    kg().args(["timeline", "Trump", "--store"])
        .arg(default_store())
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains(
            "no dated facts or events about Donald Trump (Donald_Trump)",
        ));
    // Unknown: the closest names, as every command that takes a name says them.
    kg().args(["timeline", "Trumpp", "--store"])
        .arg(default_store())
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "no entity is called \"Trumpp\"; did you mean Donald Trump",
        ));
    kg().args(["facts", "--document", "nope", "--store"])
        .arg(default_store())
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "no document \"nope\" in the graph; it has kg-editorial-notes, peace-talks-article",
        ));
}
