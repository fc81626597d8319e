//! `kg serve`'s page in a real browser (headless Chromium driven by playwright-core,
//! `tests/browser/serve_page.mjs`): search "Witkoff" and open the card, find the path Kushner →
//! Yermak and open a hop's evidence with the keyboard, run a query with a syntax error and then
//! a good one, open a shared link; no console error, no request leaving the server.
//! Screenshots go to the test's temporary folder, and to `docs/images/serve-*.png` with
//! `KG_UPDATE_DOCS=1`.

use std::path::PathBuf;
use std::process::Command;

use crate::common::{default_store, missing, root};
use crate::serve::Server;

/// Node, playwright-core and Chromium, or why not.
fn browser_helper() -> Option<PathBuf> {
    let helper = root().join("tests/browser");
    let chromium = std::env::var_os("KG_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node {
        missing("node is not installed: apt-get install nodejs (scripts/setup --peers does)");
        return None;
    }
    if !helper.join("node_modules/playwright-core").is_dir() {
        missing("tests/browser has no node_modules: run `npm ci --prefix tests/browser`");
        return None;
    }
    if !chromium.exists() {
        missing(&format!(
            "{} is missing: apt-get install chromium",
            chromium.display()
        ));
        return None;
    }
    Some(helper.join("serve_page.mjs"))
}

const SHOTS: [&str; 4] = [
    "serve-card.png",
    "serve-path.png",
    "serve-sparql-error.png",
    "serve-sparql.png",
];

#[test]
fn a_person_searches_follows_a_path_and_queries_in_chromium() {
    let Some(helper) = browser_helper() else {
        return;
    };
    let _alone = crate::common::exclusive();
    let server = Server::start(default_store(), &[]);
    let shots = tempfile::tempdir().unwrap();
    let output = Command::new("node")
        .arg(&helper)
        .arg(server.url("/"))
        .arg(shots.path())
        .output()
        .expect("node runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "the browser helper printed no JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert!(report.get("failure").is_none(), "{report:#}");
    assert_eq!(
        report["console_errors"],
        serde_json::json!([]),
        "{report:#}"
    );
    assert_eq!(
        report["external_requests"],
        serde_json::json!([]),
        "{report:#}"
    );
    let steps = &report["steps"];
    assert!(
        steps["suggestions"][0]
            .as_str()
            .unwrap()
            .starts_with("Steve Witkoff"),
        "{report:#}"
    );
    assert!(
        steps["card"]["title"]
            .as_str()
            .unwrap()
            .starts_with("Steve Witkoff")
    );
    assert!(steps["card"]["relations"].as_u64().unwrap() >= 3);
    assert!(
        steps["card"]["evidence"][0]
            .as_str()
            .unwrap()
            .contains("sentence"),
        "evidence names the document and sentence: {report:#}"
    );
    // Relations the reasoner derived say so, with their rule (`actsOnBehalfOf` from
    // `envoyOf` by prp-spo1, among others).
    assert!(
        steps["card"]["inferred"]
            .as_array()
            .is_some_and(|marks| marks.iter().any(|m| m == "inferred (prp-spo1)")),
        "{report:#}"
    );
    assert_eq!(steps["card"]["hash"], "#view=entity&name=Steve_Witkoff");
    let nodes: Vec<&str> = steps["path"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .collect();
    assert!(
        nodes.contains(&"Jared Kushner") && nodes.contains(&"Andriy Yermak"),
        "{nodes:?}"
    );
    assert!(
        steps["hop"]["evidence"][0]
            .as_str()
            .unwrap()
            .contains("sentence"),
        "{report:#}"
    );
    let error = steps["sparql_error"]["message"].as_str().unwrap();
    assert!(error.starts_with("Line 3, column 1"), "{error}");
    assert!(steps["sparql_error"]["selection"].as_u64().unwrap() > 0);
    assert_eq!(steps["sparql"]["error_hidden"], true);
    assert!(steps["sparql"]["rows"].as_u64().unwrap() >= 5, "{report:#}");
    assert_eq!(steps["shared"]["rows"], steps["sparql"]["rows"]);
    assert_eq!(steps["shared"]["path_hops"], steps["path"]["hops"]);
    for shot in SHOTS {
        assert!(shots.path().join(shot).is_file(), "{shot}");
    }
    if std::env::var("KG_UPDATE_DOCS").as_deref() == Ok("1") {
        let images = root().join("docs/images");
        std::fs::create_dir_all(&images).unwrap();
        for shot in SHOTS {
            std::fs::copy(shots.path().join(shot), images.join(shot)).unwrap();
        }
    }
}
