//! What `kg ingest` proposes, built: candidate tables read by `kg build` as they are (only the
//! accepted rows, the span kept as evidence), a foreign ontology's own text cues, and a meeting
//! that one document plans and another reports held, joined by `owl:sameAs`.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::common::{ask, column, copy_tree, default_store, json_of, kg, read_table, root};

const WIRE_ID: &str = "wire-2025-12-03";

fn write_table(path: &Path, header: &[String], rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer.write_record(header).unwrap();
    for row in rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();
}

/// Sets the `status` of every row of a candidate table to what `decide` says.
fn review(path: &Path, mut decide: impl FnMut(&[String], &[String]) -> &'static str) {
    let (header, mut rows) = read_table(path);
    let status = column(&header, "status");
    for row in &mut rows {
        decide(&header, row).clone_into(&mut row[status]);
    }
    write_table(path, &header, &rows);
}

fn id_of(iri: &Value) -> &str {
    iri.as_str().unwrap().rsplit('/').next().unwrap()
}

/// Ingests the wire article into `data/wire` (beside a copy of the default data) and reviews it:
/// Yuri Ushakov and his fact accepted, Rubio's first quotation accepted, the other new entities
/// and every row naming them rejected, one fact between known entities rejected, the rest left
/// proposed. Gives the rejected relation rows as (subject, predicate, object) and the counts of
/// proposed and rejected rows.
fn ingest_and_review(data: &Path) -> (Vec<(String, String, String)>, u64, u64) {
    copy_tree(&root().join("data"), data);
    let candidates = data.join("wire");
    kg().arg("ingest")
        .arg(root().join("tests/data/ingest/wire/article.txt"))
        .args(["--document-id", WIRE_ID, "--date", "2025-12-03", "-o"])
        .arg(&candidates)
        .arg("--store")
        .arg(default_store())
        .assert()
        .success();
    let (header, rows) = read_table(&candidates.join("entities.csv"));
    let new_ids: BTreeSet<String> = rows
        .iter()
        .map(|r| r[column(&header, "id")].clone())
        .collect();
    assert!(new_ids.contains("Yuri_Ushakov"), "{new_ids:?}");
    let rejected_ids: BTreeSet<String> = new_ids
        .iter()
        .filter(|id| *id != "Yuri_Ushakov")
        .cloned()
        .collect();
    assert!(!rejected_ids.is_empty());
    let (mut proposed, mut rejected) = (0, 0);
    let mut count = |status: &'static str| {
        match status {
            "proposed" => proposed += 1,
            "rejected" => rejected += 1,
            _ => {}
        }
        status
    };
    review(&candidates.join("entities.csv"), |header, row| {
        count(if row[column(header, "id")] == "Yuri_Ushakov" {
            "accepted"
        } else {
            "rejected"
        })
    });
    let mut rejected_facts = Vec::new();
    review(&candidates.join("relations.csv"), |header, row| {
        let (s, p, o) = (
            &row[column(header, "subject")],
            &row[column(header, "predicate")],
            &row[column(header, "object")],
        );
        let status = if s == "Yuri_Ushakov" && p == "pto:actsOnBehalfOf" {
            "accepted"
        } else if rejected_ids.contains(s) || rejected_ids.contains(o) {
            "rejected"
        } else if rejected_facts.is_empty() && p != "skos:altLabel" {
            rejected_facts.push((s.clone(), p.clone(), o.clone()));
            "rejected"
        } else {
            "proposed"
        };
        count(status)
    });
    assert!(!rejected_facts.is_empty(), "no fact between known entities");
    let mut rubio = false;
    review(&candidates.join("quotations.csv"), |header, row| {
        count(
            if !rubio && row[column(header, "pto:spokenBy")] == "Marco_Rubio" {
                rubio = true;
                "accepted"
            } else {
                "rejected"
            },
        )
    });
    assert!(rubio, "no quotation of Rubio");
    (rejected_facts, proposed, rejected)
}

/// What the wire document states, built: the accepted rows only, no rejected fact.
fn check_what_the_document_states(store: &Path, rejected_facts: &[(String, String, String)]) {
    // What the document states is the accepted rows only: no rejected fact, no rejected entity.
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
    let stated: Vec<(String, String)> = facts["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| {
            let object = f["object"]["iri"].as_str()?;
            Some((
                id_of(&f["subject"]["iri"]).to_owned(),
                id_of(&Value::from(object)).to_owned(),
            ))
        })
        .collect();
    assert!(
        stated.contains(&("Yuri_Ushakov".into(), "Russia".into())),
        "{facts}"
    );
    for (s, _, o) in rejected_facts {
        assert!(
            !stated.contains(&(s.clone(), o.clone())),
            "rejected {s} → {o} is stated by {WIRE_ID}"
        );
    }
    assert!(facts["facts"].as_array().unwrap().iter().any(|f| {
        f["subject"]["label"] == "Rubio on progress in the talks"
            || f["object"]["iri"]
                .as_str()
                .is_some_and(|iri| iri.ends_with("/Marco_Rubio"))
    }));
}

#[test]
fn kg_build_reads_the_accepted_rows_of_candidate_tables() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (rejected_facts, proposed, rejected) = ingest_and_review(&data);
    let store = dir.path().join("store");
    let report = json_of(
        &kg()
            .args(["build", "--quiet", "--format", "json", "--data"])
            .arg(&data)
            .arg("--ontology")
            .arg(root().join("ontology"))
            .arg("--store")
            .arg(&store)
            .output()
            .unwrap(),
    );
    // The rows not accepted are counted, not read.
    assert_eq!(report["summary"]["unreviewed"]["proposed"], proposed);
    assert_eq!(report["summary"]["unreviewed"]["rejected"], rejected);
    assert!(report["summary"]["facts_by_document"][WIRE_ID].as_u64() > Some(0));

    // The accepted fact carries the new document's evidence, its sentence's words and its span.
    let path = json_of(
        &kg()
            .args(["path", "Ushakov", "Putin", "--format", "json", "--store"])
            .arg(&store)
            .output()
            .unwrap(),
    );
    let first = &path["paths"][0]["hops"][0];
    assert_eq!(first["predicate"]["label"], "acts on behalf of", "{path}");
    assert_eq!(first["evidence"][0]["document"], WIRE_ID);
    assert_eq!(first["evidence"][0]["sentence"], 2);
    assert!(
        first["evidence"][0]["text"]
            .as_str()
            .unwrap()
            .contains("aide Yuri Ushakov")
    );
    assert!(ask(
        &store,
        "ASK { ?s rdf:subject ?who ; rdf:predicate pto:actsOnBehalfOf ; kg:span ?span ; \
         kg:source ?document . \
         FILTER(STRENDS(STR(?who), \"/Yuri_Ushakov\") && STRENDS(STR(?document), \"/wire-2025-12-03\") \
         && REGEX(?span, \"^[0-9]+-[0-9]+$\")) }"
    ));
    let card = json_of(
        &kg()
            .args(["lookup", "Yuri_Ushakov", "--format", "json", "--store"])
            .arg(&store)
            .output()
            .unwrap(),
    );
    assert!(
        card["relations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["predicate"]["label"] == "acts on behalf of"
                && r["evidence"][0]["document"] == WIRE_ID),
        "{card}"
    );

    check_what_the_document_states(&store, &rejected_facts);
    kg().args(["lookup", "Nadia Korsak", "--store"])
        .arg(&store)
        .assert()
        .code(1);
}

#[test]
fn a_bad_status_or_span_is_an_error_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest_and_review(&data);
    let relations = data.join("wire/relations.csv");
    let (header, mut rows) = read_table(&relations);
    let status = column(&header, "status");
    let span = column(&header, "span");
    let accepted = rows.iter().position(|r| r[status] == "accepted").unwrap();
    rows[accepted][status] = "maybe".into();
    let other = (accepted + 1) % rows.len();
    rows[other][status] = "accepted".into();
    rows[other][span] = "90-80".into();
    write_table(&relations, &header, &rows);
    let build = kg()
        .args(["build", "--quiet", "--data"])
        .arg(&data)
        .arg("--ontology")
        .arg(root().join("ontology"))
        .arg("--store")
        .arg(dir.path().join("store"))
        .output()
        .unwrap();
    assert_eq!(build.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&build.stderr);
    let line = |row: usize| format!("wire/relations.csv:{}:{}", row + 2, status + 1);
    assert!(stderr.contains(&line(accepted)), "{stderr}");
    assert!(
        stderr.contains("status \"maybe\" is not proposed, accepted or rejected"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("wire/relations.csv:{}:{}", other + 2, span + 1)),
        "{stderr}"
    );
    assert!(stderr.contains("span \"90-80\""), "{stderr}");
}

#[test]
fn an_accepted_row_naming_a_rejected_entity_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ingest_and_review(&data);
    // Reject Yuri Ushakov, whose fact stays accepted.
    let entities = data.join("wire/entities.csv");
    let (header, mut rows) = read_table(&entities);
    let line = rows
        .iter()
        .position(|r| r[column(&header, "id")] == "Yuri_Ushakov")
        .unwrap();
    rows[line][column(&header, "status")] = "rejected".into();
    write_table(&entities, &header, &rows);
    kg().args(["build", "--quiet", "--data"])
        .arg(&data)
        .arg("--ontology")
        .arg(root().join("ontology"))
        .arg("--store")
        .arg(dir.path().join("store"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!(
            "unknown entity \"Yuri_Ushakov\": its row (wire/entities.csv:{}) is rejected, not accepted",
            line + 2
        )));
}

/// A football-transfer ontology with its own `kg:nameCue` and `kg:cue` annotations, a few
/// entities, and an article written for the test: `kg ingest` proposes that domain's relations
/// and classes, with no code of its own.
#[test]
fn a_foreign_ontology_brings_its_own_cues() {
    let fixture = root().join("tests/data/ingest/football");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    kg().args(["build", "--quiet", "--data"])
        .arg(fixture.join("data"))
        .arg("--ontology")
        .arg(fixture.join("ontology"))
        .arg("--store")
        .arg(&store)
        .assert()
        .success();
    let out = dir.path().join("candidates");
    kg().arg("ingest")
        .arg(fixture.join("article.txt"))
        .args(["--document-id", "transfer-report", "--date", "2026-01-12"])
        .arg("-o")
        .arg(&out)
        .arg("--store")
        .arg(&store)
        .assert()
        .success();
    let (header, rows) = read_table(&out.join("relations.csv"));
    let facts: BTreeSet<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[column(&header, "subject")].clone(),
                r[column(&header, "predicate")].clone(),
                r[column(&header, "object")].clone(),
            )
        })
        .collect();
    let rules: Vec<&str> = rows
        .iter()
        .map(|r| r[column(&header, "rule")].as_str())
        .collect();
    for expected in [
        ("Tomas_Rendell", "ft:signedFor", "Harbour_City_FC"),
        ("Tomas_Rendell", "ft:leftClub", "Northvale_Athletic"),
        ("Ines_Marlow", "ft:managerOf", "Harbour_City_FC"),
        ("Piet_Vandersloot", "ft:signedFor", "Harbour_City_FC"),
        ("Callum_Oyelaran", "ft:managerOf", "Northvale_Athletic"),
    ] {
        let (s, p, o) = expected;
        assert!(
            facts.contains(&(s.into(), p.into(), o.into())),
            "{expected:?} not proposed: {facts:#?}\nrules: {rules:#?}"
        );
    }
    // Only this domain's properties: nothing of the peace talks leaks in.
    assert!(
        facts
            .iter()
            .all(|(_, p, _)| p.starts_with("ft:") || p == "skos:altLabel"),
        "{facts:#?}"
    );
    // The new names get the classes their cues declare, marked as guesses.
    let (header, rows) = read_table(&out.join("entities.csv"));
    let classes: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[column(&header, "id")].clone(),
                r[column(&header, "type")].clone(),
            )
        })
        .collect();
    assert!(
        classes.contains(&("Piet_Vandersloot".into(), "ft:Player".into())),
        "{classes:?}"
    );
    assert!(
        classes.contains(&("Callum_Oyelaran".into(), "ft:Manager".into())),
        "{classes:?}"
    );
    // The manager's quotation is attributed to her (the ontology has no quotation class, so it
    // stays in the analysis).
    let analysis: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("analysis.json")).unwrap()).unwrap();
    assert!(
        analysis["quotations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|q| q["speaker"] == "Ines_Marlow"),
        "{}",
        analysis["quotations"]
    );
}

/// Writes a source text and its document row into `data`, numbered by kg itself.
fn add_document(data: &Path, id: &str, label: &str, published: &str, text: &str) {
    let folder = data.join("sources");
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join(format!("{id}.txt"));
    std::fs::write(&file, text).unwrap();
    let numbering = json_of(
        &kg()
            .args(["sentences", "--format", "json"])
            .arg(&file)
            .output()
            .unwrap(),
    );
    std::fs::write(
        data.join(format!("{id}.documents.csv")),
        format!(
            "id,type,rdfs:label@en,kg:sha256,kg:sentenceCount,kg:date^^xsd:date\n{id},kg:Document,{label},{},{},{published}\n",
            numbering["sha256"].as_str().unwrap(),
            numbering["sentence_count"]
        ),
    )
    .unwrap();
}

/// A copy of the default data plus a follow-up report that the planned meeting was held, as a
/// node of its own joined to the planned one by `owl:sameAs`.
fn held_meeting_data(data: &Path) {
    copy_tree(&root().join("data"), data);
    add_document(
        data,
        "held-report",
        "Follow-up report: the Moscow meeting held",
        "2025-12-03",
        "Steve Witkoff and Vladimir Putin met in the Kremlin on Tuesday for nearly five hours.\n\
         Yuri Ushakov, a Kremlin aide, sat in on the meeting and briefed reporters afterwards.\n",
    );
    std::fs::write(
        data.join("held-report.entities.csv"),
        "id,type,rdfs:label@en,pto:eventStatus,source,sentences,date\n\
         Witkoff_Putin_Meeting_Held,pto:Meeting,Witkoff–Putin meeting as held,held,held-report,1,2025-12-02\n\
         Yuri_Ushakov,pto:Person,Yuri Ushakov,,held-report,2,\n",
    )
    .unwrap();
    std::fs::write(
        data.join("held-report.relations.csv"),
        "subject,predicate,object,source,sentences\n\
         Witkoff_Putin_Meeting_Held,pto:participant,Yuri_Ushakov,held-report,2\n\
         Witkoff_Putin_Meeting_Held,owl:sameAs,Witkoff_Putin_Meeting_Moscow,held-report,1\n",
    )
    .unwrap();
}

/// The planned-vs-held meeting of `docs/ingest.md`: the seed article plans the Witkoff–Putin
/// meeting in Moscow; a follow-up report (written for the test) says it was held, as a node of
/// its own; an `owl:sameAs` row joins them. After the build (inference on), each node shows the
/// other's facts and a path runs through the merged meeting, with evidence from both documents.
#[test]
fn same_as_joins_a_planned_and_a_held_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    held_meeting_data(&data);
    let store = dir.path().join("store");
    kg().args(["build", "--quiet", "--strict", "--data"])
        .arg(&data)
        .arg("--ontology")
        .arg(root().join("ontology"))
        .arg("--store")
        .arg(&store)
        .assert()
        .success();

    // The planned meeting's card shows the held one's participant, resting on the new report.
    let card = json_of(
        &kg()
            .args([
                "lookup",
                "Witkoff_Putin_Meeting_Moscow",
                "--format",
                "json",
                "--store",
            ])
            .arg(&store)
            .output()
            .unwrap(),
    );
    let relations = card["relations"].as_array().unwrap();
    let documents = |r: &Value| -> BTreeSet<String> {
        r["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["document"].as_str().unwrap().to_owned())
            .collect()
    };
    let ushakov = relations
        .iter()
        .find(|r| r["node"]["label"] == "Yuri Ushakov")
        .unwrap_or_else(|| panic!("the held meeting's participant is not on the card: {card}"));
    assert!(documents(ushakov).contains("held-report"), "{ushakov}");
    assert!(
        relations
            .iter()
            .any(|r| r["node"]["label"] == "19-point proposal"
                && documents(r).contains("peace-talks-article")),
        "{card}"
    );
    // And the held meeting's card shows what the seed article planned.
    let held = json_of(
        &kg()
            .args([
                "lookup",
                "Witkoff_Putin_Meeting_Held",
                "--format",
                "json",
                "--store",
            ])
            .arg(&store)
            .output()
            .unwrap(),
    );
    assert!(
        held["relations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["node"]["label"] == "19-point proposal"),
        "{held}"
    );

    check_the_path_through_the_merged_meeting(&store);
}

/// A path from the aide the new report names to the proposal the seed article says the meeting
/// discusses: through the meeting, with evidence from both documents.
fn check_the_path_through_the_merged_meeting(store: &Path) {
    let path = json_of(
        &kg()
            .args([
                "path",
                "Ushakov",
                "Proposal_19_Point",
                "--max-hops",
                "2",
                "--format",
                "json",
                "--store",
            ])
            .arg(store)
            .output()
            .unwrap(),
    );
    let hops = path["paths"][0]["hops"].as_array().unwrap();
    let through: BTreeSet<&str> = hops
        .iter()
        .flat_map(|h| [h["from"]["label"].as_str(), h["to"]["label"].as_str()])
        .flatten()
        .collect();
    assert!(
        through
            .iter()
            .any(|l| l.starts_with("Witkoff–Putin meeting")),
        "{path}"
    );
    let cited: BTreeSet<String> = hops
        .iter()
        .flat_map(|h| h["evidence"].as_array().unwrap().iter())
        .map(|e| e["document"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        cited.contains("held-report") && cited.contains("peace-talks-article"),
        "{path}"
    );
}
