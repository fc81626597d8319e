//! `kg build` runs the reasoner and the SHACL shapes: inferred triples are part of what every
//! reading command sees unless `--no-inference`, cards say which relations are inferred and from
//! what, and data that violates a shape is refused with the previous graph kept.

use std::fs;

use crate::common::{ask, default_store, kg, mini_fixture};

const WITKOFF: &str = "<https://kg.example/peace-talks/id/Steve_Witkoff>";

#[test]
fn queries_see_what_the_ontology_implies_unless_told_not_to() {
    let store = default_store();
    // The article states that the plan was drafted by Witkoff; `drafted` is its inverse.
    let inverse = format!("ASK {{ {WITKOFF} pto:drafted ?plan }}");
    assert!(ask(store, &inverse), "the inverse is inferred");
    let asserted_only = kg()
        .args(["query", "--no-inference", "--store"])
        .arg(store)
        .arg(&inverse)
        .output()
        .unwrap();
    assert_eq!(asserted_only.status.code(), Some(1), "{asserted_only:?}");
    let count = |extra: &[&str]| {
        let output = kg()
            .args(["query", "--format", "csv", "--store"])
            .arg(store)
            .args(extra)
            .arg("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        text.lines().nth(1).unwrap().trim().parse::<u64>().unwrap()
    };
    assert!(count(&[]) > count(&["--no-inference"]));
}

#[test]
fn a_card_says_which_relations_are_inferred_and_what_they_rest_on() {
    let store = default_store();
    let card = kg()
        .args(["lookup", "--store"])
        .arg(store)
        .arg("Steve_Witkoff")
        .output()
        .unwrap();
    let text = String::from_utf8(card.stdout).unwrap();
    let drafted = text
        .lines()
        .skip_while(|l| !l.contains("drafted →"))
        .nth(1)
        .unwrap_or_else(|| panic!("no drafted relation in\n{text}"));
    assert!(
        drafted.contains("[inferred by prp-inv1, from peace-talks-article #9"),
        "{drafted}"
    );
    let asserted = kg()
        .args(["lookup", "--no-inference", "--store"])
        .arg(store)
        .arg("Steve_Witkoff")
        .output()
        .unwrap();
    let text = String::from_utf8(asserted.stdout).unwrap();
    assert!(!text.contains("inferred by"), "{text}");
    assert!(!text.contains("drafted →"), "{text}");
}

#[test]
fn the_build_summary_counts_inferred_triples_by_rule() {
    let dir = tempfile::tempdir().unwrap();
    let output = kg()
        .args(["build", "--quiet", "--format", "json", "--store"])
        .arg(dir.path().join("store"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let inference = &summary["stages"]["inference"];
    assert!(inference["prp-inv1"].as_u64().unwrap() > 0, "{summary:#}");
    assert!(inference["cax-sco"].as_u64().unwrap() > 0, "{summary:#}");
    let by_rule: u64 = inference
        .as_object()
        .unwrap()
        .iter()
        .filter(|(rule, _)| *rule != "inferred")
        .map(|(_, n)| n.as_u64().unwrap())
        .sum();
    assert_eq!(by_rule, inference["inferred"].as_u64().unwrap());

    let without = kg()
        .args([
            "build",
            "--quiet",
            "--no-inference",
            "--format",
            "json",
            "--store",
        ])
        .arg(dir.path().join("plain"))
        .output()
        .unwrap();
    let plain: serde_json::Value = serde_json::from_slice(&without.stdout).unwrap();
    assert!(plain["stages"].get("inference").is_none(), "{plain:#}");
    assert!(plain["quads"].as_u64() < summary["quads"].as_u64());
}

#[test]
fn data_that_violates_a_shape_is_refused_and_the_old_graph_kept() {
    let fixture = mini_fixture();
    let store = fixture.path().join("store");
    let build = |extra: &[&str]| {
        kg().arg("build")
            .arg("--data")
            .arg(fixture.path().join("data"))
            .arg("--ontology")
            .arg(fixture.path().join("ontology"))
            .arg("--store")
            .arg(&store)
            .arg("--quiet")
            .args(extra)
            .output()
            .unwrap()
    };
    assert!(build(&[]).status.success());
    let before = fs::read_to_string(store.join("CURRENT")).unwrap_or_default();
    // Every subject of any triple must have a property nothing in the fixture has.
    let shapes = fixture.path().join("shapes.ttl");
    fs::write(
        &shapes,
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\
         @prefix ex: <https://example.org/mini#> .\n\
         ex:EverythingNeedsACode a sh:NodeShape ;\n\
           sh:targetSubjectsOf <http://www.w3.org/2000/01/rdf-schema#label> ;\n\
           sh:property [ sh:path ex:nowhereStatedCode ; sh:minCount 1 ] .\n",
    )
    .unwrap();
    let shapes_arg = shapes.to_str().unwrap();
    let refused = build(&["--shapes", shapes_arg]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("mini:alice ex:nowhereStatedCode breaks the shape")
            && stderr.contains("fewer than the 1 needed (sh:MinCountConstraintComponent)"),
        "{stderr}"
    );
    assert!(stderr.contains("unchanged"), "{stderr}");
    assert_eq!(
        fs::read_to_string(store.join("CURRENT")).unwrap_or_default(),
        before,
        "the previous generation stays current"
    );
    assert!(build(&["--no-validate"]).status.success());
}

/// The hops of the first path `kg path FROM TO --format json` finds.
fn hops(store: &std::path::Path, extra: &[&str], from: &str, to: &str) -> Vec<serde_json::Value> {
    let output = kg()
        .args(["path", "--format", "json", "--store"])
        .arg(store)
        .args(extra)
        .args([from, to])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    answer["paths"][0]["hops"].as_array().unwrap().clone()
}

#[test]
fn a_path_walks_an_inferred_shortcut_with_the_evidence_it_rests_on() {
    let store = default_store();
    // Florida talks ⊂ US–Ukraine talks (sentence 10) ⊂ the negotiations (sentence 2), and
    // partOfEvent is transitive: one inferred hop, resting on both sentences.
    let inferred = hops(store, &[], "Florida_Talks", "Peace_Negotiations");
    assert_eq!(inferred.len(), 1, "{inferred:#?}");
    assert_eq!(inferred[0]["inferred"], "prp-trp", "{inferred:#?}");
    let sentences: Vec<u64> = inferred[0]["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["sentence"].as_u64())
        .collect();
    assert!(
        sentences.contains(&10) && sentences.contains(&2),
        "{inferred:#?}"
    );
    let stated = hops(
        store,
        &["--no-inference"],
        "Florida_Talks",
        "Peace_Negotiations",
    );
    assert_eq!(stated.len(), 2, "{stated:#?}");
    assert!(stated.iter().all(|h| h.get("inferred").is_none()));
    // The ranking counts stated facts only, with or without inference.
    let rank = |extra: &[&str]| {
        kg().args(["rank", "--format", "json", "--store"])
            .arg(store)
            .args(extra)
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(rank(&[]), rank(&["--no-inference"]));
}

#[test]
fn rdf_inputs_of_another_domain_are_found_by_label_and_walked_by_inference() {
    let fixture = crate::common::root().join("tests/data/infer/university");
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    kg().arg("build")
        .arg("--data")
        .arg(fixture.join("data"))
        .arg("--ontology")
        .arg(fixture.join("ontology"))
        .arg("--store")
        .arg(&store)
        .arg("--quiet")
        .assert()
        .success();
    // subOrganizationOf is transitive: maths ⊂ science ⊂ north.
    let inferred = hops(&store, &[], "Department of Mathematics", "North University");
    assert_eq!(inferred.len(), 1, "{inferred:#?}");
    assert_eq!(inferred[0]["inferred"], "prp-trp");
    assert_eq!(inferred[0]["to"]["label"], "North University");
    let stated = hops(
        &store,
        &["--no-inference"],
        "Department of Mathematics",
        "North University",
    );
    assert_eq!(stated.len(), 2, "{stated:#?}");
}

/// A fact of an RDF input can carry values on its own `rdf:Statement`, as a table's qualifier
/// column does: the path hop and the property-graph edge show them.
#[test]
fn values_on_a_statement_of_an_rdf_input_qualify_its_fact() {
    let fixture = crate::common::root().join("tests/data/infer/university");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    crate::common::copy_tree(&fixture.join("data"), &data);
    let id = "https://university.example/id/";
    let uni = "https://university.example/ontology#";
    let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    let statement = format!("<{id}colleague-statement>");
    std::fs::write(
        data.join("statements.nt"),
        format!(
            "{statement} <{rdf}type> <{rdf}Statement> .\n\
             {statement} <{rdf}subject> <{id}ada> .\n\
             {statement} <{rdf}predicate> <{uni}colleagueOf> .\n\
             {statement} <{rdf}object> <{id}carl> .\n\
             {statement} <{uni}since> \"2024\" .\n"
        ),
    )
    .unwrap();
    let store = dir.path().join("store");
    kg().arg("build")
        .arg("--data")
        .arg(&data)
        .arg("--ontology")
        .arg(fixture.join("ontology"))
        .arg("--store")
        .arg(&store)
        .arg("--quiet")
        .assert()
        .success();
    let hop = &hops(&store, &["--max-hops", "1"], "Ada Byron", "Carl Nilsson")[0];
    assert_eq!(
        hop["qualifiers"][0]["predicate"]["iri"],
        format!("{uni}since"),
        "{hop:#}"
    );
    assert_eq!(hop["qualifiers"][0]["value"], "2024", "{hop:#}");
    let links = dir.path().join("links.json");
    kg().args(["export", "--format", "node-link", "--store"])
        .arg(&store)
        .arg("-o")
        .arg(&links)
        .assert()
        .success();
    let links: serde_json::Value = serde_json::from_slice(&std::fs::read(&links).unwrap()).unwrap();
    let qualified: Vec<&serde_json::Value> = links["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l.get("since").is_some())
        .collect();
    assert_eq!(qualified.len(), 1, "{qualified:#?}");
    assert_eq!(qualified[0]["since"], "2024");
    assert_eq!(
        qualified[0]["target"],
        format!("{id}carl"),
        "{qualified:#?}"
    );
}
