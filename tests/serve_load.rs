//! `kg serve` under load, on loopback, with wrk (Debian package `wrk`): a lookup, a path and a
//! SPARQL query, each below the concurrency limit (no error of any kind), above it (503s, and
//! the server still answers), then below it again (no error: the refused and abandoned requests
//! gave their places in the queue back), with `/api/load` back to idle in between. Each wrk
//! run lasts a second; nothing here measures speed (benches/serve.sh does).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{default_store, exclusive, missing};
use crate::serve::Server;

/// A SPARQL worker, one request waiting for it, and one API slot with the same queue: the
/// limit is three requests at once for each kind of route.
const WORKERS: &str = "1";
const QUEUE: &str = "2";
const API: &str = "1";
/// Connections below the limit (one to spare, so that a slot given back an instant after its
/// answer left is no refusal) and well above it.
const BELOW: u32 = 2;
const ABOVE: u32 = 12;

/// Counts every status and wrk's own errors; prints them in lines wrk's report never holds.
const SCRIPT: &str = r#"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("kg-load errors %d %d %d %d %d\n",
    e.connect, e.read, e.write, e.timeout, summary.requests))
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("kg-load status %d %d\n", status, count))
    end
  end
end
"#;

/// What one wrk run saw.
#[derive(Debug, Default)]
struct Run {
    /// Responses by status.
    statuses: BTreeMap<u16, u64>,
    /// Connect, read, write and timeout errors.
    socket_errors: [u64; 4],
    /// Requests wrk counted as done.
    requests: u64,
}

impl Run {
    fn count(&self, status: u16) -> u64 {
        self.statuses.get(&status).copied().unwrap_or(0)
    }

    fn not_2xx(&self) -> u64 {
        self.statuses
            .iter()
            .filter(|(status, _)| !(200..300).contains(*status))
            .map(|(_, n)| n)
            .sum()
    }

    fn answered(&self) -> u64 {
        self.statuses.values().sum()
    }
}

/// Parses the script's lines out of wrk's report.
fn parse(report: &str) -> Run {
    let mut run = Run::default();
    let mut seen = false;
    for line in report.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let numbers: Vec<u64> = words
            .iter()
            .skip(2)
            .filter_map(|w| w.parse().ok())
            .collect();
        match words.get(..2) {
            Some(["kg-load", "errors"]) if numbers.len() == 5 => {
                run.socket_errors.copy_from_slice(&numbers[..4]);
                run.requests = numbers[4];
                seen = true;
            }
            Some(["kg-load", "status"]) if numbers.len() == 2 => {
                let status = u16::try_from(numbers[0]).expect("a status");
                *run.statuses.entry(status).or_default() += numbers[1];
            }
            _ => {}
        }
    }
    assert!(seen, "no summary from the wrk script in:\n{report}");
    run
}

/// One second of wrk with `connections` against `url`.
fn wrk(script: &Path, url: &str, connections: u32) -> Run {
    let output = Command::new("wrk")
        .args(["-t1", "-d1s", "--timeout", "10s"])
        .arg(format!("-c{connections}"))
        .arg("-s")
        .arg(script)
        .args(["-H", "Accept: application/sparql-results+json"])
        .arg(url)
        .output()
        .expect("wrk runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "wrk failed: {report}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse(&report)
}

/// Whether wrk is installed, or why the test skips.
fn have_wrk() -> bool {
    // `wrk -v` prints its version (and exits 1): that it starts is enough.
    if Command::new("wrk").arg("-v").output().is_ok() {
        return true;
    }
    missing("wrk is not installed: apt-get install wrk (scripts/setup --peers does)");
    false
}

/// Waits (bounded) until nothing runs or waits on the server: requests refused or abandoned by
/// wrk when it stopped must all give their places back.
fn wait_idle(server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut last = serde_json::Value::Null;
    while Instant::now() < deadline {
        last = server.get("/api/load", &[]).json();
        let idle = ["sparql", "api"]
            .iter()
            .all(|pool| last[pool]["running"] == 0 && last[pool]["waiting"] == 0);
        if idle {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the server did not return to idle (a leaked slot?): {last}");
}

#[test]
fn under_load_errors_only_above_the_limit_and_the_queue_recovers() {
    if !have_wrk() {
        return;
    }
    let _alone = exclusive();
    let server = Server::start(
        default_store(),
        &["--workers", WORKERS, "--queue", QUEUE, "--api-threads", API],
    );
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("count.lua");
    std::fs::write(&script, SCRIPT).unwrap();
    let query = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n\
                 PREFIX pto: <https://kg.example/peace-talks/ontology#>\n\
                 SELECT ?person ?label WHERE { ?person a pto:Person ; rdfs:label ?label } ORDER BY ?label";
    let targets = [
        ("lookup", "/api/lookup?name=Witkoff".to_owned()),
        ("path", "/api/path?from=Kushner&to=Yermak&k=3".to_owned()),
        ("sparql", crate::serve::sparql_path(query)),
    ];
    for (name, path) in &targets {
        let url = server.url(path);
        let below = wrk(&script, &url, BELOW);
        assert!(below.answered() > 0, "{name}: nothing answered: {below:?}");
        assert_eq!(below.not_2xx(), 0, "{name} below the limit: {below:?}");
        assert_eq!(
            below.socket_errors, [0; 4],
            "{name} below the limit: {below:?}"
        );

        let above = wrk(&script, &url, ABOVE);
        assert!(
            above.count(503) > 0,
            "{name}: no 503 with {ABOVE} connections: {above:?}"
        );
        assert_eq!(
            above.not_2xx(),
            above.count(503),
            "{name} above the limit: refusals are 503s and nothing else: {above:?}"
        );
        wait_idle(&server);
        let after = server.get(path, &[("Accept", "application/sparql-results+json")]);
        assert_eq!(
            after.status,
            200,
            "{name} after the overload: {}",
            after.text()
        );

        let again = wrk(&script, &url, BELOW);
        assert!(again.answered() > 0, "{name}: nothing answered: {again:?}");
        assert_eq!(
            again.not_2xx(),
            0,
            "{name} below the limit again: {again:?}"
        );
        assert_eq!(
            again.socket_errors, [0; 4],
            "{name} below the limit again: {again:?}"
        );
        wait_idle(&server);
        eprintln!(
            "{name}: {} / {} / {} requests in 1 s at {BELOW} / {ABOVE} / {BELOW} connections ({} refused)",
            below.requests,
            above.requests,
            again.requests,
            above.count(503)
        );
    }
    assert_eq!(server.get("/healthz", &[]).status, 200);
}
