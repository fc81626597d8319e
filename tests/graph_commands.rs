//! `kg lookup`, `kg path`, `kg neighbors` and `kg rank` on the default graph and on a fixture
//! with hostile labels. The JSON shapes are deserialised into the documented structures.

use crate::common::{build_fixture, default_store, kg, mini_fixture};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Labelled {
    iri: String,
    label: String,
}

#[derive(Debug, Deserialize)]
struct Evidence {
    document: String,
    sentence: Option<u64>,
    #[allow(dead_code)]
    date: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Entity {
    iri: String,
    id: String,
    label: String,
    aliases: Vec<String>,
    types: Vec<Labelled>,
}

#[derive(Debug, Deserialize)]
struct Attribute {
    predicate: Labelled,
    value: String,
    datatype: String,
}

#[derive(Debug, Deserialize)]
struct Relation {
    direction: String,
    predicate: Labelled,
    node: Labelled,
    evidence: Vec<Evidence>,
}

#[derive(Debug, Deserialize)]
struct Card {
    entity: Entity,
    attributes: Vec<Attribute>,
    relations: Vec<Relation>,
}

#[derive(Debug, Deserialize)]
struct Hop {
    from: Labelled,
    predicate: Labelled,
    to: Labelled,
    direction: String,
    evidence: Vec<Evidence>,
}

#[derive(Debug, Deserialize)]
struct PathJson {
    length: usize,
    hops: Vec<Hop>,
}

#[derive(Debug, Deserialize)]
struct PathsJson {
    from: Labelled,
    to: Labelled,
    truncated: bool,
    truncated_by: Option<String>,
    paths: Vec<PathJson>,
}

fn json<T: serde::de::DeserializeOwned>(
    args: &[&str],
    store: &std::path::Path,
) -> (Option<i32>, Option<T>, String) {
    let output = kg()
        .args(args)
        .arg("--format")
        .arg("json")
        .arg("--store")
        .arg(store)
        .output()
        .unwrap();
    let value = serde_json::from_slice(&output.stdout).ok();
    (
        output.status.code(),
        value,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn lookup_resolves_aliases_case_and_diacritics() {
    for name in ["zelensky", "Zelenskiy", "ZELENSKYY", "Volodymyr Zelénskyy"] {
        let (code, card, stderr) = json::<Card>(&["lookup", name], default_store());
        assert_eq!(code, Some(0), "{name}: {stderr}");
        let card = card.unwrap();
        assert_eq!(card.entity.label, "Volodymyr Zelenskyy", "{name}");
        assert!(card.entity.aliases.iter().any(|a| a == "Zelensky"));
        assert!(card.entity.iri.ends_with(&card.entity.id));
    }
}

#[test]
fn lookup_card_has_types_relations_and_evidence() {
    let (code, card, stderr) = json::<Card>(&["lookup", "Putin"], default_store());
    assert_eq!(code, Some(0), "{stderr}");
    let card = card.unwrap();
    assert!(!card.entity.types.is_empty());
    assert!(
        card.entity
            .types
            .iter()
            .all(|t| !t.label.is_empty() && t.iri.starts_with("http"))
    );
    assert!(!card.relations.is_empty());
    for relation in &card.relations {
        assert!(relation.direction == "in" || relation.direction == "out");
        assert!(
            !relation.predicate.label.contains("://"),
            "{:?}",
            relation.predicate
        );
        assert!(
            !relation.evidence.is_empty(),
            "{relation:?} has no evidence"
        );
        assert!(
            relation
                .evidence
                .iter()
                .all(|e| !e.document.is_empty() && e.sentence.is_some())
        );
        assert!(!relation.node.iri.is_empty());
    }
    for attribute in &card.attributes {
        assert!(
            !attribute.value.is_empty() && attribute.datatype.starts_with("http"),
            "{:?}",
            attribute.predicate
        );
    }
    // Filters.
    let (_, only_in, _) = json::<Card>(&["lookup", "Putin", "--direction", "in"], default_store());
    assert!(
        only_in
            .unwrap()
            .relations
            .iter()
            .all(|r| r.direction == "in")
    );
}

#[test]
fn lookup_suggests_close_names_and_lists_ambiguous_ones() {
    let output = kg()
        .args(["lookup", "Putn", "--store"])
        .arg(default_store())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("did you mean") && stderr.contains("Vladimir Putin"),
        "{stderr}"
    );
}

#[test]
fn path_kushner_trump_is_the_family_tie() {
    let (code, answer, stderr) = json::<PathsJson>(&["path", "Kushner", "Trump"], default_store());
    assert_eq!(code, Some(0), "{stderr}");
    let answer = answer.unwrap();
    assert_eq!(answer.from.label, "Jared Kushner");
    assert_eq!(answer.to.label, "Donald Trump");
    assert!(!answer.truncated);
    let path = &answer.paths[0];
    assert_eq!(path.length, 1);
    let hop = &path.hops[0];
    assert!(
        hop.predicate.label.contains("in-law"),
        "{:?}",
        hop.predicate
    );
    assert!(!hop.evidence.is_empty());
    assert!(hop.direction == "forward" || hop.direction == "backward");
}

#[test]
fn every_hop_of_long_paths_has_evidence() {
    for (from, to) in [("Kushner", "Yermak"), ("Rubio", "Dmitriev")] {
        for extra in [&[][..], &["--k", "3"][..], &["--all-shortest"][..]] {
            let mut args = vec!["path", from, to];
            args.extend_from_slice(extra);
            let (code, answer, stderr) = json::<PathsJson>(&args, default_store());
            assert_eq!(code, Some(0), "{from} → {to} {extra:?}: {stderr}");
            let answer = answer.unwrap();
            assert!(!answer.paths.is_empty());
            for path in &answer.paths {
                assert_eq!(path.length, path.hops.len());
                for pair in path.hops.windows(2) {
                    assert_eq!(pair[0].to.iri, pair[1].from.iri, "hops must chain");
                }
                for hop in &path.hops {
                    assert!(!hop.evidence.is_empty(), "{from} → {to}: {hop:?}");
                }
            }
        }
    }
}

#[test]
fn no_path_within_the_hops_exits_1() {
    let output = kg()
        .args(["path", "Kushner", "Yermak", "--max-hops", "1", "--store"])
        .arg(default_store())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("no path"));
}

#[test]
fn dot_output_is_a_digraph() {
    for args in [
        &["path", "Kushner", "Yermak"][..],
        &["neighbors", "Putin", "--hops", "2"][..],
    ] {
        let output = kg()
            .args(args)
            .args(["--format", "dot", "--store"])
            .arg(default_store())
            .output()
            .unwrap();
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.starts_with("digraph ") && text.trim_end().ends_with('}'),
            "{text}"
        );
    }
}

#[test]
fn neighbors_and_rank_answer() {
    let output = kg()
        .args([
            "neighbors",
            "Witkoff",
            "--hops",
            "1",
            "--format",
            "json",
            "--store",
        ])
        .arg(default_store())
        .output()
        .unwrap();
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(value["nodes"].as_array().unwrap().len() > 2);
    assert!(
        value["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["distance"].as_u64().unwrap() <= 1)
    );

    let output = kg()
        .args(["rank", "--top", "5", "--format", "json", "--store"])
        .arg(default_store())
        .output()
        .unwrap();
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entities = value["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 5);
    let scores: Vec<f64> = entities
        .iter()
        .map(|e| e["betweenness"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
}

/// Labels with quotes, braces and new lines are data: they resolve and print, never break a query.
#[test]
fn hostile_labels_are_data() {
    let fixture = mini_fixture();
    let people = "id,type,rdfs:label@en,source,sentences\n\
        alice,ex:Person,\"Al\"\"} UNION { ?x ?y ?z } #\",notes,1\n\
        bob,ex:Person,\"Bob\nNewline\",notes,2\n\
        carol,ex:Person,Carol,notes,2\n";
    std::fs::write(fixture.path().join("data/people.csv"), people).unwrap();
    let store = fixture.path().join("store");
    build_fixture(fixture.path(), &store, &[]).success();
    let (code, card, stderr) = json::<Card>(&["lookup", "Al\"} UNION { ?x ?y ?z } #"], &store);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(card.unwrap().entity.id, "alice");
    let (code, answer, stderr) = json::<PathsJson>(&["path", "Bob\nNewline", "alice"], &store);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(answer.unwrap().from.label, "Bob\nNewline");
}

/// Ids that differ only in case or Unicode normalisation are different entities: each exact id
/// resolves to its own, although all fold to the same name.
#[test]
fn an_exact_id_always_wins() {
    let fixture = mini_fixture();
    let people = fixture.path().join("data/people.csv");
    let mut text = std::fs::read_to_string(&people).unwrap();
    // Columns: id,type,rdfs:label@en,skos:altLabel@en[],ex:birthDate,source,sentences
    text.push_str("Alice,ex:Person,Alice Capital,,,notes,1\n");
    text.push_str("ALICE,ex:Person,Alice Shouted,,,notes,1\n");
    text.push_str("caf\u{e9},ex:Person,Composed,,,notes,1\n");
    text.push_str("cafe\u{301},ex:Person,Decomposed,,,notes,1\n");
    std::fs::write(&people, text).unwrap();
    let store = fixture.path().join("store");
    build_fixture(fixture.path(), &store, &[]).success();
    for (name, label) in [
        ("alice", "Alice Liddell"),
        ("Alice", "Alice Capital"),
        (" ALICE ", "Alice Shouted"),
        ("caf\u{e9}", "Composed"),
        ("cafe\u{301}", "Decomposed"),
    ] {
        let (code, card, stderr) = json::<Card>(&["lookup", name], &store);
        assert_eq!(code, Some(0), "{name:?}: {stderr}");
        assert_eq!(card.unwrap().entity.label, label, "{name:?}");
    }
    // Not an id: still ambiguous, and the message lists ids that now resolve.
    let (code, _, stderr) = json::<Card>(&["lookup", "aLiCe"], &store);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("(Alice)") && stderr.contains("(ALICE)"),
        "{stderr}"
    );
    // A path between two of them.
    let (code, answer, stderr) = json::<PathsJson>(&["path", "Alice", "alice"], &store);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(answer.is_some_and(|a| a.paths.is_empty()));
}

/// A name that repeats a word of an entity's name resolves (it used to subtract past zero).
#[test]
fn repeated_words_resolve() {
    let (code, card, stderr) = json::<Card>(&["lookup", "putin putin putin"], default_store());
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(card.unwrap().entity.label, "Vladimir Putin");
}

/// `--k` beyond `--max-paths`: the answer says the bound on paths cut it, in JSON and text.
#[test]
fn k_beyond_max_paths_says_truncated() {
    let (code, answer, stderr) = json::<PathsJson>(
        &["path", "Witkoff", "Putin", "--k", "1000"],
        default_store(),
    );
    assert_eq!(code, Some(0), "{stderr}");
    let answer = answer.unwrap();
    assert_eq!(answer.paths.len(), 100);
    assert!(answer.truncated);
    assert_eq!(
        answer.truncated_by.as_deref(),
        Some("maximum number of paths")
    );
    let output = kg()
        .args(["path", "Witkoff", "Putin", "--k", "1000", "--store"])
        .arg(default_store())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.contains(
            "100 paths (truncated: the maximum number of paths (--max-paths) was reached)"
        ),
        "{first}"
    );
    // As many as asked, when they exist: not truncated.
    let (_, answer, _) =
        json::<PathsJson>(&["path", "Witkoff", "Putin", "--k", "7"], default_store());
    let answer = answer.unwrap();
    assert_eq!((answer.paths.len(), answer.truncated), (7, false));
}

/// The relations of the provision's card that carry values of their fact: relations.csv gives
/// `pto:extent` on its coversRegion facts, a value of the fact (its rdf:Statement), not of
/// either entity.
fn qualified_relations_of_the_provision() -> Vec<serde_json::Value> {
    let card = kg()
        .args(["lookup", "--format", "json", "--store"])
        .arg(default_store())
        .arg("Territorial_Recognition_Provision")
        .output()
        .unwrap();
    assert!(card.status.success(), "{card:?}");
    let card: serde_json::Value = serde_json::from_slice(&card.stdout).unwrap();
    let qualified: Vec<serde_json::Value> = card["relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["qualifiers"].is_array())
        .cloned()
        .collect();
    assert!(!qualified.is_empty(), "{card:#}");
    qualified
}

/// `kg ARGS... --store <default>` as text.
fn text_of(args: &[&str]) -> String {
    let out = kg()
        .args(args)
        .arg("--store")
        .arg(default_store())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn values_stated_on_a_fact_show_on_the_card() {
    let qualified = qualified_relations_of_the_provision();
    assert!(
        qualified
            .iter()
            .all(|r| r["qualifiers"][0]["predicate"]["iri"]
                == "https://kg.example/peace-talks/ontology#extent"),
        "{qualified:#?}"
    );
    let text = text_of(&["lookup", "Territorial_Recognition_Provision"]);
    let value = qualified[0]["qualifiers"][0]["value"].as_str().unwrap();
    assert!(text.contains(&format!(": {value}")), "{text}");
}

#[test]
fn values_stated_on_a_fact_show_on_its_path_hop() {
    // The card's qualified relation, walked as a one-hop path: the hop carries the same values.
    let relation = &qualified_relations_of_the_provision()[0];
    let other = format!("<{}>", relation["node"]["iri"].as_str().unwrap());
    let ends = ["Territorial_Recognition_Provision", other.as_str()];
    let json = text_of(&[&["path", "--format", "json", "--max-hops", "1"][..], &ends].concat());
    let path: serde_json::Value = serde_json::from_str(&json).unwrap();
    let hop = &path["paths"][0]["hops"][0];
    assert_eq!(hop["qualifiers"], relation["qualifiers"], "{path:#}");
    let text = text_of(&[&["path", "--max-hops", "1"][..], &ends].concat());
    let value = relation["qualifiers"][0]["value"].as_str().unwrap();
    assert!(text.contains(&format!(": {value}")), "{text}");
}
