//! `kg push` and `--endpoint` against two real servers, Virtuoso Open Source 7 and `oxigraph
//! serve`: the competency questions, lookups and paths give the local answers; a killed push and
//! a server that stops mid-push leave the targets whole and the next push starts over; wrong
//! credentials push nothing.
//!
//! The servers come from `KG_VIRTUOSO_URL`, `KG_OXIGRAPH_URL`, ... (`.ci/services/start DIR`
//! writes them to DIR/services.env). When they are unset the tests start the servers themselves
//! with `.ci/services/start` in a temporary folder (a watcher stops them when the tests exit);
//! when that fails they skip with a message, or fail under `KG_REQUIRE_PEERS=1`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::common::{copy_tree, default_store, kg, missing, root};

/// The services' settings (`services.env`).
type Env = BTreeMap<String, String>;

fn parse_env(text: &str) -> Env {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect()
}

/// The servers: from the environment, else started here once for the whole test binary.
fn services() -> Option<&'static Env> {
    static SERVICES: OnceLock<Result<Env, String>> = OnceLock::new();
    let found = SERVICES.get_or_init(|| {
        let from_env: Env = std::env::vars()
            .filter(|(k, _)| k.starts_with("KG_VIRTUOSO_") || k.starts_with("KG_OXIGRAPH_"))
            .collect();
        if from_env.contains_key("KG_VIRTUOSO_URL") && from_env.contains_key("KG_OXIGRAPH_URL") {
            return Ok(from_env);
        }
        start_services()
    });
    match found {
        Ok(env) => Some(env),
        Err(why) => {
            missing(&format!(
                "no SPARQL servers ({why}); run `.ci/services/start DIR` and export DIR/services.env, or let the tests start them (needs apt-get and pip)"
            ));
            None
        }
    }
}

/// Starts both servers in a temporary folder with a watcher that stops them when this process
/// ends.
fn start_services() -> Result<Env, String> {
    let dir = tempfile::Builder::new()
        .prefix("kg-services-")
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    let start = root().join(".ci/services/start");
    let output = Command::new(&start)
        .arg(&dir)
        .output()
        .map_err(|e| format!("{}: {e}", start.display()))?;
    if !output.status.success() {
        return Err(format!(
            ".ci/services/start failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let watcher = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; '{stop}' '{dir}'; rm -rf '{dir}'",
        pid = std::process::id(),
        stop = root().join(".ci/services/stop").display(),
        dir = dir.display()
    );
    Command::new("setsid")
        .args(["sh", "-c", &watcher])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("the watcher: {e}"))?;
    let text = std::fs::read_to_string(dir.join("services.env")).map_err(|e| e.to_string())?;
    Ok(parse_env(&text))
}

/// One server under test: how kg reaches it.
struct Server {
    name: &'static str,
    /// The query URL (`--endpoint`).
    url: String,
}

fn servers(env: &Env) -> Vec<Server> {
    vec![
        Server {
            name: "virtuoso",
            url: format!("{}/sparql", env["KG_VIRTUOSO_URL"]),
        },
        Server {
            name: "oxigraph",
            url: format!("{}/query", env["KG_OXIGRAPH_URL"]),
        },
    ]
}

/// A graph IRI of this test run alone (tests run in parallel on the same servers).
fn graph(test: &str, server: &Server) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "urn:kg:test:{test}:{}:{}-{nanos}",
        server.name,
        std::process::id()
    )
}

/// `kg` with a private projection cache.
fn remote_kg(cache: &Path) -> assert_cmd::Command {
    let mut command = kg();
    command
        .env("KG_CACHE", cache)
        .env_remove("KG_ENDPOINT_PASSWORD")
        .env_remove("KG_ENDPOINT_TOKEN")
        .env_remove("KG_ENDPOINT_USER");
    command
}

/// The number of triples in a graph on the server: the default graph of a query on it (without
/// the inferred graph a push puts beside it).
fn count(url: &str, graph: &str) -> u64 {
    let output = kg()
        .args([
            "query",
            "--no-cache",
            "--no-inference",
            "--format",
            "csv",
            "--endpoint",
            url,
            "--remote-graph",
            graph,
        ])
        .arg("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        .output()
        .expect("kg runs");
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .nth(1)
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "no count: {text} {}",
                String::from_utf8_lossy(&output.stderr)
            )
        })
}

fn push(store: &Path, url: &str, graph: &str, extra: &[&str]) -> std::process::Output {
    kg().args(["push", "--quiet", "--format", "json", "--store"])
        .arg(store)
        .args(["--endpoint", url, "--graph", graph])
        .args(extra)
        .output()
        .expect("kg runs")
}

fn pushed(output: &std::process::Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "kg push failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the push report is JSON")
}

/// Rows of a SPARQL CSV answer, sorted (header apart).
fn csv_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map(|h| h.iter().map(str::to_owned).collect())
        .unwrap_or_default();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(str::to_owned).collect())
        .collect();
    rows.sort();
    (header, rows)
}

/// Every competency question through `--endpoint` gives the expected rows.
fn competency_questions(server: &Server, at_server: &[&str], cache: &Path) {
    let mut failures = Vec::new();
    let mut queries: Vec<PathBuf> = std::fs::read_dir(root().join("tests/competency"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    queries.sort();
    assert!(queries.len() >= 9);
    for query in &queries {
        let expected = std::fs::read_to_string(query.with_extension("csv")).unwrap();
        let output = remote_kg(cache)
            .args(["query", "--format", "csv", "--file"])
            .arg(query)
            .args(at_server)
            .output()
            .unwrap();
        let actual = String::from_utf8_lossy(&output.stdout);
        if output.status.code() != Some(0) || csv_rows(&actual) != csv_rows(&expected) {
            failures.push(format!(
                "{} on {}:\nexpected:\n{expected}\nactual:\n{actual}\n{}",
                query.display(),
                server.name,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn pushed_graph_answers_as_the_local_store() {
    let Some(env) = services() else { return };
    let store = default_store();
    let cache = tempfile::tempdir().unwrap();
    for server in servers(env) {
        let target = graph("answers", &server);
        let report = pushed(&push(store, &server.url, &target, &[]));
        let graphs = report["graphs"].as_array().unwrap();
        assert_eq!(graphs[0]["target"], target.as_str());
        assert!(graphs[0]["local"].as_u64().unwrap() > 1000);
        assert_eq!(
            graphs[0]["remote"], graphs[0]["local"],
            "{}: the count check",
            server.name
        );

        let at_server = ["--endpoint", &server.url, "--remote-graph", &target];
        competency_questions(&server, &at_server, cache.path());

        // An empty answer exits 1, as locally; a syntax error 2.
        let empty = remote_kg(cache.path())
            .args([
                "query",
                "--format",
                "json",
                "ASK { ?s ?p \"no such value anywhere\" }",
            ])
            .args(at_server)
            .output()
            .unwrap();
        assert_eq!(
            empty.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&empty.stderr)
        );

        same_as_local(&server, store, &at_server, cache.path());

        // A second push without --replace is refused and changes nothing.
        let again = push(store, &server.url, &target, &[]);
        assert_eq!(again.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&again.stderr).contains("--replace"));

        // By SPARQL Update, and by the fallback when the Graph Store URL answers 404.
        let update = pushed(&push(
            store,
            &server.url,
            &target,
            &["--replace", "--protocol", "update"],
        ));
        assert_eq!(update["protocol"], "update");
        assert_eq!(update["graphs"][0]["remote"], update["graphs"][0]["local"]);
        let base = server.url.rsplit_once('/').unwrap().0;
        let missing_store = format!("{base}/no-such-graph-store");
        let fallback = pushed(&push(
            store,
            &server.url,
            &target,
            &["--replace", "--graph-store-url", &missing_store],
        ));
        assert_eq!(fallback["protocol"], "update", "{}", server.name);
        assert_eq!(
            count(&server.url, &target),
            graphs[0]["local"].as_u64().unwrap()
        );
    }
}

/// Commands whose answers depend on the inferred graph: each runs with and without
/// `--no-inference`, and at least one answer differs between the two (else the test could not
/// tell whether the inferred graph is read).
const READINGS: &[&[&str]] = &[
    &["lookup", "witkoff", "--format", "json"],
    &[
        "lookup",
        "Zelensky",
        "--format",
        "json",
        "--direction",
        "in",
    ],
    &["path", "witkoff", "putin", "--format", "json"],
    &[
        "path",
        "rubio",
        "yermak",
        "--format",
        "json",
        "--all-shortest",
    ],
    // One hop by an inferred `follows` (a transitive shortcut), three without inference.
    &[
        "path",
        "Strategy_Reassessment",
        "Witkoff_Putin_Meeting_Moscow",
        "--format",
        "json",
    ],
    // A hop whose fact carries a value of its own (`pto:extent`).
    &[
        "path",
        "Territorial_Recognition_Provision",
        "Kherson",
        "--format",
        "json",
        "--max-hops",
        "1",
    ],
    &["neighbors", "witkoff", "--format", "json"],
    &["rank", "--format", "json", "--top", "15"],
    &[
        "query",
        "--format",
        "csv",
        "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
    ],
];

/// Remote lookups, paths, neighbours, ranks and queries print what the local store prints,
/// with the inferred graph (the default) and without it (`--no-inference`).
fn same_as_local(server: &Server, store: &Path, at_server: &[&str], cache: &Path) {
    let mut differs = Vec::new();
    for command in READINGS {
        let mut answers = Vec::new();
        for flags in [&[][..], &["--no-inference"][..]] {
            let local = kg()
                .args(*command)
                .args(flags)
                .arg("--store")
                .arg(store)
                .output()
                .unwrap();
            let remote = remote_kg(cache)
                .args(*command)
                .args(flags)
                .args(at_server)
                .output()
                .unwrap();
            assert_eq!(
                String::from_utf8_lossy(&remote.stdout),
                String::from_utf8_lossy(&local.stdout),
                "{command:?} {flags:?} on {}: {}",
                server.name,
                String::from_utf8_lossy(&remote.stderr)
            );
            assert_eq!(remote.status.code(), local.status.code());
            assert_eq!(
                local.status.code(),
                Some(0),
                "{command:?} {flags:?} locally: {}",
                String::from_utf8_lossy(&local.stderr)
            );
            answers.push(local.stdout);
        }
        if answers[0] != answers[1] {
            differs.push(command[0]);
        }
    }
    assert!(
        differs.contains(&"path") && differs.contains(&"query"),
        "inference changes some paths and counts of the default store: {differs:?}"
    );
}

/// A store of about 40,000 triples, built once.
fn big_store() -> &'static Path {
    static STORE: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = STORE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        kg().args(["generate", "--quiet", "--triples", "40000", "--out"])
            .arg(dir.path().join("gen"))
            .assert()
            .success();
        kg().args(["build", "--quiet", "--data"])
            .arg(dir.path().join("gen/data"))
            .arg("--ontology")
            .arg(dir.path().join("gen/ontology"))
            .arg("--store")
            .arg(dir.path().join("store"))
            .assert()
            .success();
        dir
    });
    Box::leak(dir.path().join("store").into_boxed_path())
}

fn spawn_push(store: &Path, url: &str, graph: &str, extra: &[&str]) -> Child {
    let binary = assert_cmd::cargo::cargo_bin("kg");
    Command::new(binary)
        .args(["push", "--quiet", "--store"])
        .arg(store)
        .args(["--endpoint", url, "--graph", graph])
        .args(extra)
        .env_remove("KG_STORE")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kg runs")
}

/// Waits (bounded) until the staging graph of `graph` holds triples.
fn wait_for_staging(url: &str, graph: &str, child: &mut Child) {
    let staging = format!("{graph}-kg-staging");
    // Generous: a debug kg counts the local triples first, on a machine shared with builds.
    let deadline = Instant::now() + Duration::from_secs(240);
    while count(url, &staging) == 0 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the push ended before it was stopped"
        );
        assert!(Instant::now() < deadline, "nothing reached {staging}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_killed_push_leaves_the_target_whole_and_replace_leaves_one_copy() {
    let Some(env) = services() else { return };
    let store = big_store();
    for server in servers(env) {
        let target = graph("killed", &server);
        let first = pushed(&push(store, &server.url, &target, &[]));
        let triples = first["graphs"][0]["local"].as_u64().unwrap();
        assert!(triples > 20_000);

        let mut child = spawn_push(
            store,
            &server.url,
            &target,
            &["--replace", "--batch-size", "500"],
        );
        wait_for_staging(&server.url, &target, &mut child);
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(
            count(&server.url, &target),
            triples,
            "{}: the target changed",
            server.name
        );
        let staged = count(&server.url, &format!("{target}-kg-staging"));
        assert!(
            staged > 0 && staged < triples,
            "{}: {staged} staged",
            server.name
        );

        let again = pushed(&push(store, &server.url, &target, &["--replace"]));
        assert_eq!(again["graphs"][0]["remote"].as_u64(), Some(triples));
        assert_eq!(
            count(&server.url, &target),
            triples,
            "{}: one copy",
            server.name
        );
        assert_eq!(count(&server.url, &format!("{target}-kg-staging")), 0);
    }
}

#[test]
fn wrong_credentials_push_nothing_and_digest_works() {
    let Some(env) = services() else { return };
    let url = format!("{}/sparql-auth", env["KG_VIRTUOSO_URL"]);
    let open_url = format!("{}/sparql", env["KG_VIRTUOSO_URL"]);
    let server = Server {
        name: "virtuoso-auth",
        url: url.clone(),
    };
    let target = graph("credentials", &server);
    let dir = tempfile::tempdir().unwrap();
    let wrong = dir.path().join("wrong.password");
    std::fs::write(&wrong, "not-the-password-4711\n").unwrap();
    let user = env.get("KG_VIRTUOSO_USER").map_or("kg", String::as_str);

    let output = push(
        default_store(),
        &url,
        &target,
        &["--user", user, "--password-file"],
    );
    assert_eq!(output.status.code(), Some(2), "no password file given");
    let output = kg()
        .args(["push", "--quiet", "--store"])
        .arg(default_store())
        .args([
            "--endpoint",
            &url,
            "--graph",
            &target,
            "--user",
            user,
            "--password-file",
        ])
        .arg(&wrong)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("refused the credentials"), "{stderr}");
    assert!(!stderr.contains("4711"), "the password was shown: {stderr}");
    assert_eq!(count(&open_url, &target), 0);
    assert_eq!(count(&open_url, &format!("{target}-kg-staging")), 0);

    let anonymous = kg()
        .args(["query", "--no-cache", "--endpoint", &url, "ASK {}"])
        .output()
        .unwrap();
    assert_eq!(anonymous.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&anonymous.stderr).contains("asks for credentials"));

    let password = PathBuf::from(&env["KG_VIRTUOSO_PASSWORD_FILE"]);
    let output = kg()
        .args(["push", "--quiet", "--format", "json", "--store"])
        .arg(default_store())
        .args([
            "--endpoint",
            &url,
            "--graph",
            &target,
            "--user",
            user,
            "--password-file",
        ])
        .arg(&password)
        .output()
        .unwrap();
    let report = pushed(&output);
    assert_eq!(report["graphs"][0]["remote"], report["graphs"][0]["local"]);
    let secret = std::fs::read_to_string(&password).unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains(secret.trim()));
}

/// An `oxigraph serve` of this test alone, on a free port (it is stopped mid-push).
struct OwnOxigraph {
    child: Child,
    url: String,
}

impl OwnOxigraph {
    fn start(binary: &str, location: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(binary)
            .args(["serve", "--location"])
            .arg(location)
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("oxigraph serve runs");
        let url = format!("http://127.0.0.1:{port}/query");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !kg()
            .args(["query", "--no-cache", "--endpoint", &url, "ASK {}"])
            .output()
            .is_ok_and(|o| o.status.success())
        {
            assert!(
                Instant::now() < deadline,
                "oxigraph serve did not answer at {url}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        Self { child, url }
    }
}

impl Drop for OwnOxigraph {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_server_that_stops_mid_push_gives_a_clear_error_and_the_next_push_starts_over() {
    let Some(env) = services() else { return };
    let Some(binary) = env.get("KG_OXIGRAPH_BIN") else {
        missing("KG_OXIGRAPH_BIN is not set: run .ci/services/start again (it writes it)");
        return;
    };
    let store = big_store();
    let data = tempfile::tempdir().unwrap();
    let mut server = OwnOxigraph::start(binary, data.path());
    let own = Server {
        name: "own-oxigraph",
        url: server.url.clone(),
    };
    let target = graph("stopped", &own);
    let mut child = spawn_push(
        store,
        &server.url,
        &target,
        &["--batch-size", "500", "--retries", "1"],
    );
    wait_for_staging(&server.url, &target, &mut child);
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "kg push did not give up");
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the push stopped while loading"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&server.url.replace("/query", "")),
        "{stderr}"
    );
    assert!(stderr.contains("starts over"), "{stderr}");
    drop(server);

    let server = OwnOxigraph::start(binary, data.path());
    assert_eq!(
        count(&server.url, &target),
        0,
        "the target stayed as it was: absent"
    );
    assert!(
        count(&server.url, &format!("{target}-kg-staging")) > 0,
        "the staging graph is left"
    );
    let report = pushed(&push(store, &server.url, &target, &["--replace"]));
    let triples = report["graphs"][0]["local"].as_u64().unwrap();
    assert_eq!(count(&server.url, &target), triples);
    assert_eq!(count(&server.url, &format!("{target}-kg-staging")), 0);
}

/// `kg export --endpoint` writes the dataset the local export writes: every graph, the
/// inferred one under its store name (`kg:inferred`), and without it under `--no-inference`.
#[test]
fn remote_export_equals_the_local_export() {
    let Some(env) = services() else { return };
    let store = default_store();
    let cache = tempfile::tempdir().unwrap();
    for server in servers(env) {
        let target = graph("export", &server);
        pushed(&push(store, &server.url, &target, &[]));
        let at_server = ["--endpoint", &server.url, "--remote-graph", &target];
        let mut sizes = Vec::new();
        for flags in [&[][..], &["--no-inference"][..]] {
            let local = kg()
                .args(["export", "--format", "nquads"])
                .args(flags)
                .arg("--store")
                .arg(store)
                .output()
                .unwrap();
            assert!(local.status.success());
            let remote = remote_kg(cache.path())
                .args(["export", "--format", "nquads"])
                .args(flags)
                .args(at_server)
                .output()
                .unwrap();
            assert!(
                remote.status.success(),
                "{}: {}",
                server.name,
                String::from_utf8_lossy(&remote.stderr)
            );
            let (local, remote) = (quad_lines(&local.stdout), quad_lines(&remote.stdout));
            if local != remote {
                let only = |a: &[String], b: &[String]| {
                    a.iter()
                        .filter(|q| b.binary_search(q).is_err())
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                };
                panic!(
                    "{} {flags:?}: the exports differ ({} quads locally, {} remote)\nonly local: {:#?}\nonly remote: {:#?}",
                    server.name,
                    local.len(),
                    remote.len(),
                    only(&local, &remote),
                    only(&remote, &local)
                );
            }
            sizes.push(local.len());
        }
        assert!(
            sizes[0] > sizes[1],
            "the inferred graph is part of the default export: {sizes:?}"
        );

        // A property-graph export carries the values stated on facts as edge attributes,
        // read from the server in one SELECT: the same edges carry the same values.
        let local = kg()
            .args(["export", "--format", "node-link", "--store"])
            .arg(store)
            .output()
            .unwrap();
        let remote = remote_kg(cache.path())
            .args(["export", "--format", "node-link"])
            .args(at_server)
            .output()
            .unwrap();
        assert!(
            remote.status.success(),
            "{}: {}",
            server.name,
            String::from_utf8_lossy(&remote.stderr)
        );
        let (local, remote) = (
            qualified_links(&local.stdout),
            qualified_links(&remote.stdout),
        );
        assert!(!local.is_empty());
        assert_eq!(remote, local, "{}: the edges with an extent", server.name);
    }
}

/// The (source, target, extent) of a node-link export's links that carry `extent`, sorted.
fn qualified_links(bytes: &[u8]) -> Vec<(String, String, String)> {
    let links: serde_json::Value = serde_json::from_slice(bytes).expect("node-link JSON");
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let mut found: Vec<_> = links["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter(|l| l.get("extent").is_some())
        .map(|l| (text(&l["source"]), text(&l["target"]), text(&l["extent"])))
        .collect();
    found.sort();
    found
}

/// The quads of an N-Quads export as sorted lines (parsed and written again, so that layout
/// does not count). The default store has no blank nodes, which would need isomorphism.
fn quad_lines(bytes: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> =
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads)
            .for_slice(bytes)
            .map(|q| q.expect("the export parses").to_string())
            .collect();
    assert!(
        lines.iter().all(|l| !l.contains("_:")),
        "blank nodes: compare by isomorphism"
    );
    lines.sort();
    lines
}

/// A remote projection is fetched once per push: a second read takes the cache (no fetch
/// note on stderr), a push of a changed graph makes the next read fetch it again and see the
/// change.
#[test]
fn the_remote_projection_is_fetched_again_after_a_push() {
    let Some(env) = services() else { return };
    let first = default_store();
    let changed = changed_store();
    let cache = tempfile::tempdir().unwrap();
    let path = ["path", CHANGED_FROM, CHANGED_TO, "--format", "json"];
    let local = |store: &Path| {
        let output = kg().args(path).arg("--store").arg(store).output().unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let (before, after) = (local(first), local(changed));
    assert_ne!(before, after, "the change shows in the path");
    for server in servers(env) {
        let target = graph("refetch", &server);
        let at_server = ["--endpoint", &server.url, "--remote-graph", &target];
        let read = || {
            let output = remote_kg(cache.path())
                .args(path)
                .args(at_server)
                .output()
                .unwrap();
            (
                String::from_utf8(output.stdout).unwrap(),
                String::from_utf8(output.stderr).unwrap(),
            )
        };
        pushed(&push(first, &server.url, &target, &[]));
        let (out, err) = read();
        assert_eq!(out, before, "{}: {err}", server.name);
        assert!(err.contains("kg: fetched the projection of"), "{err}");
        assert!(!err.contains("the cache held"), "{err}");
        let (out, err) = read();
        assert_eq!(out, before, "{}: {err}", server.name);
        assert!(
            !err.contains("fetched"),
            "{}: fetched again: {err}",
            server.name
        );

        let report = pushed(&push(changed, &server.url, &target, &["--replace"]));
        let push_id = report["push_id"].as_str().unwrap();
        let (out, err) = read();
        assert_eq!(out, after, "{}: {err}", server.name);
        assert!(err.contains("kg: fetched the projection of"), "{err}");
        assert!(
            err.contains(&format!("(push {push_id}; the cache held push ")),
            "{err}"
        );
        let (out, err) = read();
        assert_eq!(out, after);
        assert!(
            !err.contains("fetched"),
            "{}: fetched again: {err}",
            server.name
        );
    }
}

/// A loopback proxy in front of `oxigraph serve` that demands HTTP Basic credentials (neither
/// test server takes Basic: Virtuoso's endpoints are Digest, oxigraph has none). A request
/// with the right `Authorization` header goes on to the server; any other gets a 401 Basic
/// challenge. Both are counted.
struct BasicProxy {
    url: String,
    forwarded: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    challenged: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl BasicProxy {
    fn start(upstream: &str, user: &str, password: &str) -> Self {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, AtomicUsize};
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let expected = format!(
            "Basic {}",
            base64_encode(format!("{user}:{password}").as_bytes())
        );
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}/query", listener.local_addr().unwrap());
        let forwarded = Arc::new(AtomicUsize::new(0));
        let challenged = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (f, c, s) = (forwarded.clone(), challenged.clone(), stop.clone());
        std::thread::spawn(move || {
            // Bounded: ends when the proxy is dropped, or after ten minutes.
            let deadline = Instant::now() + Duration::from_secs(600);
            while !s.load(std::sync::atomic::Ordering::SeqCst) && Instant::now() < deadline {
                match listener.accept() {
                    Ok((client, _)) => {
                        let (upstream, expected) = (upstream.clone(), expected.clone());
                        let (f, c) = (f.clone(), c.clone());
                        std::thread::spawn(move || {
                            let _ = proxy_one(client, &upstream, &expected, &f, &c);
                        });
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Self {
            url,
            forwarded,
            challenged,
            stop,
        }
    }

    fn forwarded(&self) -> usize {
        self.forwarded.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn challenged(&self) -> usize {
        self.challenged.load(std::sync::atomic::Ordering::SeqCst)
    }
}

impl Drop for BasicProxy {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// One request: read (head and `Content-Length` body), check, forward with `Connection:
/// close`, copy the answer back with `Connection: close`.
fn proxy_one(
    mut client: std::net::TcpStream,
    upstream: &str,
    expected: &str,
    forwarded: &std::sync::atomic::AtomicUsize,
    challenged: &std::sync::atomic::AtomicUsize,
) -> std::io::Result<()> {
    use std::io::{Read as _, Write as _};
    client.set_nonblocking(false)?;
    client.set_read_timeout(Some(Duration::from_secs(120)))?;
    let mut request = Vec::new();
    let mut buffer = vec![0_u8; 16 * 1024];
    let head_end = loop {
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = client.read(&mut buffer)?;
        if n == 0 || request.len() > 1 << 20 {
            return Ok(());
        }
        request.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&request[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    let mut length = 0;
    let mut authorized = false;
    for line in lines.filter(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => {
                length = value.parse().unwrap_or(0);
                headers.push(line.to_owned());
            }
            "authorization" => authorized = value == expected,
            "connection" => {}
            _ => headers.push(line.to_owned()),
        }
    }
    while request.len() < head_end + length {
        let n = client.read(&mut buffer)?;
        if n == 0 {
            return Ok(());
        }
        request.extend_from_slice(&buffer[..n]);
    }
    if !authorized {
        challenged.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        client.write_all(
            b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"kg-test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        )?;
        return Ok(());
    }
    forwarded.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let mut server = std::net::TcpStream::connect(upstream)?;
    server.set_read_timeout(Some(Duration::from_secs(300)))?;
    let mut sent = format!("{request_line}\r\n");
    for header in &headers {
        sent.push_str(header);
        sent.push_str("\r\n");
    }
    sent.push_str("Connection: close\r\n\r\n");
    server.write_all(sent.as_bytes())?;
    server.write_all(&request[head_end..head_end + length])?;
    let mut answer = Vec::new();
    server.read_to_end(&mut answer)?;
    let Some(end) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Ok(());
    };
    let answer_head = String::from_utf8_lossy(&answer[..end]).into_owned();
    let mut out = String::new();
    for line in answer_head.split("\r\n") {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    client.write_all(out.as_bytes())?;
    client.write_all(&answer[end + 4..])?;
    client.flush()
}

/// Basic credentials, where a server asks for them: the header is sent (after the challenge,
/// and at once with `--auth basic`), a push through it lands whole; a wrong password is a
/// clear error that pushes nothing and never shows the password.
#[test]
fn basic_credentials_are_sent_and_a_wrong_password_pushes_nothing() {
    let Some(env) = services() else { return };
    let direct = format!("{}/query", env["KG_OXIGRAPH_URL"]);
    let proxy = BasicProxy::start(&env["KG_OXIGRAPH_URL"], "kg", "right-horse-4711");
    let server = Server {
        name: "basic-proxy",
        url: proxy.url.clone(),
    };
    let target = graph("basic", &server);
    let dir = tempfile::tempdir().unwrap();
    let (wrong, right) = (dir.path().join("wrong"), dir.path().join("right"));
    std::fs::write(&wrong, "wrong-staple-0815\n").unwrap();
    std::fs::write(&right, "right-horse-4711\n").unwrap();
    let with_password = |file: &Path, extra: &[&str]| {
        let mut command = remote_kg(dir.path());
        command
            .args(["push", "--quiet", "--format", "json", "--store"])
            .arg(default_store())
            .args(["--endpoint", &proxy.url, "--graph", &target, "--user", "kg"])
            .arg("--password-file")
            .arg(file)
            .args(extra);
        command.output().unwrap()
    };

    let refused = with_password(&wrong, &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("refused the credentials (Basic)"),
        "{stderr}"
    );
    assert!(!stderr.contains("0815"), "the password was shown: {stderr}");
    assert_eq!(proxy.forwarded(), 0, "nothing reached the server");
    assert!(
        proxy.challenged() >= 2,
        "a challenge, then the wrong password"
    );
    assert_eq!(count(&direct, &target), 0);
    assert_eq!(count(&direct, &format!("{target}-kg-staging")), 0);

    let report = pushed(&with_password(&right, &[]));
    assert_eq!(report["graphs"][0]["remote"], report["graphs"][0]["local"]);
    assert!(proxy.forwarded() > 3);
    assert_eq!(
        count(&direct, &target),
        report["graphs"][0]["local"].as_u64().unwrap()
    );

    // --auth basic sends it with the first request: no challenge.
    let challenges = proxy.challenged();
    let answer = remote_kg(dir.path())
        .args(["query", "--format", "csv", "--no-inference"])
        .args(["--endpoint", &proxy.url, "--remote-graph", &target])
        .args(["--user", "kg", "--auth", "basic", "--password-file"])
        .arg(&right)
        .arg("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        .output()
        .unwrap();
    assert!(
        answer.status.success(),
        "{}",
        String::from_utf8_lossy(&answer.stderr)
    );
    assert_eq!(proxy.challenged(), challenges);
    assert!(
        String::from_utf8_lossy(&answer.stdout)
            .contains(&report["graphs"][0]["local"].as_u64().unwrap().to_string())
    );
}

/// The path the changed store answers differently.
const CHANGED_FROM: &str = "rubio";
const CHANGED_TO: &str = "yermak";
/// The row of `data/relations.csv` the changed store leaves out.
const LEFT_OUT: &str = "Marco_Rubio,pto:secretaryOfStateOf,United_States,";

/// The default data less one relation row (on the path from rubio to yermak), built once.
fn changed_store() -> &'static Path {
    static STORE: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = STORE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        copy_tree(&root().join("data"), &data);
        let relations = data.join("relations.csv");
        let text = std::fs::read_to_string(&relations).unwrap();
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(LEFT_OUT)).collect();
        assert_eq!(kept.len() + 1, text.lines().count(), "one row left out");
        std::fs::write(&relations, kept.join("\n") + "\n").unwrap();
        kg().args(["build", "--quiet", "--data"])
            .arg(&data)
            .arg("--ontology")
            .arg(root().join("ontology"))
            .arg("--store")
            .arg(dir.path().join("store"))
            .assert()
            .success();
        dir
    });
    Box::leak(dir.path().join("store").into_boxed_path())
}

/// `--no-staging` loads straight into empty targets (no staging graph, no MOVE): the counts
/// check out and reads work as after a staged push; with `--replace` it is refused.
#[test]
fn a_push_without_staging_loads_the_targets_directly() {
    let Some(env) = services() else { return };
    let store = default_store();
    let cache = tempfile::tempdir().unwrap();
    for server in servers(env) {
        let target = graph("direct", &server);
        let report = pushed(&push(store, &server.url, &target, &["--no-staging"]));
        let local = report["graphs"][0]["local"].as_u64().unwrap();
        assert_eq!(report["graphs"][0]["remote"].as_u64(), Some(local));
        assert_eq!(count(&server.url, &target), local);
        assert_eq!(count(&server.url, &format!("{target}-kg-staging")), 0);
        assert!(report["seconds"]["swapping"].as_f64().is_some());
        let at_server = ["--endpoint", &server.url, "--remote-graph", &target];
        let path = ["path", "witkoff", "putin", "--format", "json"];
        let remote = remote_kg(cache.path())
            .args(path)
            .args(at_server)
            .output()
            .unwrap();
        let here = kg().args(path).arg("--store").arg(store).output().unwrap();
        assert_eq!(remote.stdout, here.stdout, "{}", server.name);

        let refused = push(store, &server.url, &target, &["--no-staging", "--replace"]);
        assert_eq!(refused.status.code(), Some(2));
        assert_eq!(count(&server.url, &target), local, "nothing changed");
    }
}
