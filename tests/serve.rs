//! `kg serve`: the SPARQL protocol, the graph store, the JSON API against the CLI's JSON, the
//! exports, and every abuse case the server must survive (deep nesting, updates, SERVICE,
//! oversized bodies, slow clients, overload, timeouts, memory). Each test starts its own server
//! on 127.0.0.1 with a port the system picks, and stops it at the end.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::common::{build_fixture, default_store, kg, mini_fixture};

/// A running `kg serve`, stopped (SIGTERM, then SIGKILL) when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `kg serve --store STORE --bind 127.0.0.1:0 EXTRA...` and waits for its address.
    pub fn start(store: &Path, extra: &[&str]) -> Self {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("kg"))
            .env_remove("KG_STORE")
            .args(["serve", "--bind", "127.0.0.1:0", "--store"])
            .arg(store)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("kg serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let mut first = String::new();
            let mut reader = BufReader::new(stdout);
            let _ = reader.read_line(&mut first);
            let _ = send.send(first);
            // Keep draining so the server never blocks on a full pipe.
            let mut rest = Vec::new();
            let _ = reader.read_to_end(&mut rest);
        });
        let first = receive
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_default();
        let address = first
            .trim()
            .rsplit("http://")
            .next()
            .unwrap_or_default()
            .trim_end_matches('/')
            .to_owned();
        assert!(
            first.contains("listening on http://127.0.0.1:"),
            "kg serve did not report its address: {first:?}; stderr: {:?}",
            log.lock().unwrap()
        );
        Self {
            child,
            address,
            log,
        }
    }

    /// The URL of a path on the server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    /// What the server wrote on stderr so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Whether a line holding `text` reaches stderr within a few seconds.
    pub fn logged(&self, text: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.log().iter().any(|l| l.contains(text)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// Sends SIGTERM and waits (bounded) for the exit status.
    pub fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(40);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// A GET.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        request(&self.address, "GET", path, headers, None)
    }

    /// A POST.
    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        request(&self.address, "POST", path, headers, Some(body))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait()
            && self.terminate().is_none()
        {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body (chunked encoding removed).
    pub body: Vec<u8>,
    /// Whether a chunked body ended properly.
    pub complete: bool,
}

impl Response {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// Percent-encodes a query parameter value.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), read whole.
pub fn request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    if let Some(body) = body {
        let _ = write!(head, "Content-Length: {}\r\n", body.len());
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send");
    if let Some(body) = body {
        let _ = stream.write_all(body);
    }
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse_response(&raw)
}

/// Parses a raw HTTP/1.1 response.
pub fn parse_response(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    if !chunked {
        return Response {
            status,
            headers,
            body: rest.to_vec(),
            complete: true,
        };
    }
    let mut body = Vec::new();
    let mut at = 0;
    let mut complete = false;
    while let Some(end) = rest[at..].windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&rest[at..at + end]).into_owned();
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
        else {
            break;
        };
        at += end + 2;
        if size == 0 {
            complete = true;
            break;
        }
        if at + size > rest.len() {
            body.extend_from_slice(&rest[at..]);
            break;
        }
        body.extend_from_slice(&rest[at..at + size]);
        at += size + 2;
    }
    Response {
        status,
        headers,
        body,
        complete,
    }
}

/// `kg` with arguments, its stdout.
fn kg_stdout(args: &[&str], store: &Path) -> Vec<u8> {
    let output = kg()
        .args(args)
        .arg("--store")
        .arg(store)
        .output()
        .expect("kg runs");
    output.stdout
}

/// A SPARQL GET path.
pub fn sparql_path(query: &str) -> String {
    format!("/sparql?query={}", encode(query))
}

#[test]
fn the_json_api_answers_with_the_bytes_of_the_cli() {
    let store = default_store();
    let server = Server::start(store, &[]);
    let cases: [(&str, Vec<&str>); 6] = [
        (
            "/api/lookup?name=Witkoff",
            vec!["lookup", "Witkoff", "--format", "json"],
        ),
        (
            "/api/lookup?name=Witkoff&direction=in",
            vec!["lookup", "Witkoff", "--direction", "in", "--format", "json"],
        ),
        (
            "/api/path?from=Kushner&to=Yermak",
            vec!["path", "Kushner", "Yermak", "--format", "json"],
        ),
        (
            "/api/path?from=Kushner&to=Yermak&k=3",
            vec!["path", "Kushner", "Yermak", "--k", "3", "--format", "json"],
        ),
        (
            "/api/neighbors?name=Yermak&hops=2",
            vec!["neighbors", "Yermak", "--hops", "2", "--format", "json"],
        ),
        (
            "/api/rank?by=pagerank&top=7",
            vec!["rank", "--by", "pagerank", "--top", "7", "--format", "json"],
        ),
    ];
    for (path, args) in cases {
        let response = server.get(path, &[]);
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert_eq!(response.header("content-type"), Some("application/json"));
        let cli = kg_stdout(&args, store);
        assert!(!cli.is_empty(), "{args:?} printed nothing");
        assert_eq!(
            response.text(),
            String::from_utf8_lossy(&cli),
            "{path} differs from kg {args:?}"
        );
    }
    // Unknown and ambiguous names answer as the CLI would, with suggestions.
    let unknown = server.get("/api/lookup?name=Witkof", &[]);
    assert_eq!(unknown.status, 404);
    let body = unknown.json();
    assert_eq!(body["kind"], "unknown_entity");
    assert!(
        body["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == "Steve_Witkoff"),
        "{body}"
    );
    for (path, says) in [
        (
            "/api/path?from=Kushner&to=Yermak&max_hops=99",
            "max_hops=99: give 0 to",
        ),
        ("/api/path?from=Kushner&to=Yermak&k=0", "k=0: give 1 to"),
        (
            "/api/neighbors?name=Putin&max_nodes=0",
            "max_nodes=0: give 1 to",
        ),
        ("/api/rank?top=0", "top=0: give 1 to"),
    ] {
        let bad = server.get(path, &[]);
        assert_eq!(bad.status, 400, "{path}: {}", bad.text());
        assert!(bad.text().contains(says), "{path}: {}", bad.text());
    }
    let suggest = server.get("/api/suggest?q=witk", &[]).json();
    assert_eq!(suggest[0]["id"], "Steve_Witkoff", "{suggest}");
}

#[test]
fn explain_and_validate_answer_with_the_bytes_of_the_cli() {
    let store = default_store();
    let server = Server::start(store, &[]);
    // By names and by IRIs: the inverse of "drafted by", which the reasoner inferred.
    let by_name = server.get(
        "/api/explain?s=Steve_Witkoff&p=pto%3Adrafted&o=Plan_28_Point",
        &[],
    );
    assert_eq!(by_name.status, 200, "{}", by_name.text());
    let cli = kg_stdout(
        &[
            "explain",
            "--format",
            "json",
            "Steve_Witkoff",
            "pto:drafted",
            "Plan_28_Point",
        ],
        store,
    );
    assert_eq!(by_name.text(), String::from_utf8_lossy(&cli));
    assert_eq!(by_name.json()["status"], "inferred");
    let unknown = server.get(
        "/api/explain?s=Steve_Witkoff&p=pto%3Adrafted&o=Vladimir_Putin",
        &[],
    );
    assert_eq!(unknown.status, 404, "{}", unknown.text());
    let missing = server.get("/api/explain?s=Steve_Witkoff", &[]);
    assert_eq!(missing.status, 400, "{}", missing.text());

    let report = server.get("/api/validate", &[]);
    assert_eq!(report.status, 200, "{}", report.text());
    let cli = kg_stdout(&["validate", "--format", "json"], store);
    assert_eq!(report.text(), String::from_utf8_lossy(&cli));
}

#[test]
fn sparql_protocol_by_get_form_and_direct_post_with_negotiation() {
    let store = default_store();
    let server = Server::start(store, &[]);
    let select = "SELECT ?person ?label WHERE { ?person a pto:Person ; rdfs:label ?label } ORDER BY ?label LIMIT 5";
    // GET, CSV: the same bytes as `kg query --format csv`.
    let csv = server.get(&sparql_path(select), &[("Accept", "text/csv")]);
    assert_eq!(csv.status, 200, "{}", csv.text());
    assert_eq!(csv.header("content-type"), Some("text/csv"));
    assert_eq!(csv.header("kg-truncated"), Some("false"));
    assert_eq!(csv.header("kg-rows"), Some("5"));
    assert_eq!(
        csv.text(),
        String::from_utf8_lossy(&kg_stdout(&["query", "--format", "csv", select], store))
    );
    // A form POST, SPARQL XML.
    let form = format!("query={}", encode(select));
    let xml = server.post(
        "/sparql",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/sparql-results+xml"),
        ],
        form.as_bytes(),
    );
    assert_eq!(xml.status, 200, "{}", xml.text());
    assert_eq!(
        xml.header("content-type"),
        Some("application/sparql-results+xml")
    );
    assert!(xml.text().contains("<sparql"), "{}", xml.text());
    // A direct POST, TSV, and JSON by default.
    let tsv = server.post(
        "/sparql",
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "text/tab-separated-values"),
        ],
        select.as_bytes(),
    );
    assert_eq!(
        tsv.header("content-type"),
        Some("text/tab-separated-values")
    );
    assert_eq!(tsv.text().lines().count(), 6, "{}", tsv.text());
    let json = server.get(&sparql_path(select), &[]).json();
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 5);
    // ASK, CONSTRUCT in three syntaxes, DESCRIBE.
    let ask = server
        .get(&sparql_path("ASK { ?s a pto:Person }"), &[])
        .json();
    assert_eq!(ask["boolean"], true);
    let construct = "CONSTRUCT { ?p rdfs:label ?l } WHERE { ?p a pto:Person ; rdfs:label ?l }";
    let turtle = server.get(&sparql_path(construct), &[("Accept", "text/turtle")]);
    assert_eq!(turtle.header("content-type"), Some("text/turtle"));
    assert!(turtle.text().contains("@prefix"), "{}", turtle.text());
    let ntriples = server.get(
        &sparql_path(construct),
        &[("Accept", "application/n-triples")],
    );
    let expected = kg_stdout(&["query", "--format", "ntriples", construct], store);
    let mut got: Vec<&str> = std::str::from_utf8(&ntriples.body)
        .unwrap()
        .lines()
        .collect();
    let cli = String::from_utf8(expected).unwrap();
    let mut want: Vec<&str> = cli.lines().collect();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    let jsonld = server.get(
        &sparql_path(construct),
        &[("Accept", "application/ld+json")],
    );
    assert_eq!(jsonld.header("content-type"), Some("application/ld+json"));
    let _: serde_json::Value = jsonld.json();
    let describe = server.get(
        &sparql_path("DESCRIBE <https://kg.example/peace-talks/id/Steve_Witkoff>"),
        &[("Accept", "application/n-triples")],
    );
    assert!(
        describe.text().contains("Steve_Witkoff"),
        "{}",
        describe.text()
    );
    // Not acceptable, and a syntax error with its line and column.
    let refused = server.get(&sparql_path(select), &[("Accept", "image/png")]);
    assert_eq!(refused.status, 406, "{}", refused.text());
    let syntax = server.get(&sparql_path("SELECT * WHERE {\n  ?s ?p \n}}"), &[]);
    assert_eq!(syntax.status, 400);
    let error = syntax.json();
    assert_eq!(error["kind"], "syntax");
    assert_eq!(error["line"], 3, "{error}");
}

#[test]
fn the_endpoint_describes_itself_and_serves_graphs() {
    let store = default_store();
    let server = Server::start(store, &[]);
    let description = server.get("/sparql", &[("Accept", "text/turtle")]);
    assert_eq!(description.status, 200);
    let text = description.text();
    assert!(text.contains("sd:SPARQL11Query"), "{text}");
    assert!(
        text.contains(&format!("<http://{}/sparql>", server.address)),
        "{text}"
    );
    // The stored default graph: what SPARQL's default graph holds (the union with the
    // inferred graph) less the inferred triples, which no input states.
    let graph = server.get("/store?default", &[("Accept", "application/n-triples")]);
    assert_eq!(graph.status, 200, "{}", graph.text());
    assert_eq!(graph.header("content-type"), Some("application/n-triples"));
    assert!(graph.complete);
    let count = |query: &str| -> usize {
        server.get(&sparql_path(query), &[]).json()["results"]["bindings"][0]["n"]["value"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let union = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    let inferred = count(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://kg.example/vocab#inferred> { ?s ?p ?o } }",
    );
    assert!(inferred > 0);
    assert_eq!(graph.text().lines().count(), union - inferred);
    let unknown = server.get("/store?graph=https%3A%2F%2Fnowhere.example%2Fg", &[]);
    assert_eq!(unknown.status, 404, "{}", unknown.text());
    // The inferred graph, as the reasoner wrote it at build time.
    let inferred = server.get("/store?inferred", &[("Accept", "application/n-triples")]);
    assert_eq!(inferred.status, 200, "{}", inferred.text());
    let in_graph = server
        .get(
            &sparql_path(
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://kg.example/vocab#inferred> { ?s ?p ?o } }",
            ),
            &[("Accept", "application/sparql-results+json")],
        )
        .json();
    let n: usize = in_graph["results"]["bindings"][0]["n"]["value"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(n > 0);
    assert_eq!(inferred.text().lines().count(), n);
    let not_iri = server.get("/store?graph=relative", &[]);
    assert_eq!(not_iri.status, 400);
}

#[test]
fn exports_download_in_every_format() {
    let server = Server::start(default_store(), &[]);
    for format in kg::export::ExportFormat::ALL {
        let mut path = format!("/api/export?format={}", format.name());
        if format == kg::export::ExportFormat::Csv {
            path.push_str("&table=edges");
        }
        let response = server.get(&path, &[]);
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        assert_eq!(
            response.header("content-type"),
            Some(format.media_type()),
            "{path}"
        );
        let disposition = response.header("content-disposition").unwrap_or_default();
        assert!(
            disposition.starts_with("attachment; filename=\"kg")
                && disposition.ends_with(&format!(".{}\"", format.extension())),
            "{path}: {disposition}"
        );
        assert!(response.complete && !response.body.is_empty(), "{path}");
    }
    let svg = server.get(
        "/api/export?format=svg&from=Kushner&to=Yermak&inline=1",
        &[],
    );
    assert_eq!(svg.status, 200);
    assert!(svg.text().contains("<svg"), "{}", svg.text());
    assert!(svg.text().contains("Andriy Yermak"));
    assert!(
        svg.header("content-disposition")
            .unwrap()
            .starts_with("inline")
    );
    let csv = server.get("/api/export?format=csv", &[]);
    assert_eq!(csv.status, 400);
    let unknown = server.get("/api/export?format=docx", &[]);
    assert_eq!(unknown.status, 400);
}

#[test]
fn a_cut_answer_says_truncated() {
    let server = Server::start(default_store(), &["--max-rows", "5"]);
    let cut = server.get(&sparql_path("SELECT * WHERE { ?s ?p ?o }"), &[]);
    assert_eq!(cut.header("kg-truncated"), Some("true"));
    assert_eq!(cut.header("kg-rows"), Some("5"));
    let json = cut.json();
    assert_eq!(json["truncated"], true);
    assert_eq!(json["results"]["bindings"].as_array().unwrap().len(), 5);
    let whole = server.get(&sparql_path("SELECT * WHERE { ?s ?p ?o } LIMIT 5"), &[]);
    assert_eq!(whole.header("kg-truncated"), Some("false"));
    assert!(whole.json().get("truncated").is_none());
    let graph = server.get(
        &sparql_path("CONSTRUCT WHERE { ?s ?p ?o }"),
        &[("Accept", "application/n-triples")],
    );
    assert_eq!(graph.header("kg-truncated"), Some("true"));
    assert_eq!(graph.text().lines().count(), 5);
}

#[test]
fn the_page_is_served_with_a_strict_policy_and_no_inline_script() {
    let server = Server::start(default_store(), &[]);
    let page = server.get("/", &[]);
    assert_eq!(page.status, 200);
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = page.text();
    assert!(
        !html.contains("<script>") && !html.contains(" onclick="),
        "{html}"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no outside assets"
    );
    for asset in ["/assets/app.js", "/assets/app.css"] {
        let response = server.get(asset, &[]);
        assert_eq!(response.status, 200, "{asset}");
        assert!(!response.text().contains("innerHTML"), "{asset}");
    }
    assert!(
        server.logged("GET /assets/app.js 200"),
        "access log: {:?}",
        server.log()
    );
}

#[test]
fn cross_origin_requests_need_the_named_origin() {
    let closed = Server::start(default_store(), &[]);
    let response = closed.get("/api/info", &[("Origin", "https://a.example")]);
    assert_eq!(response.header("access-control-allow-origin"), None);
    drop(closed);
    let open = Server::start(default_store(), &["--cors", "https://a.example"]);
    let allowed = open.get("/api/info", &[("Origin", "https://a.example")]);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://a.example")
    );
    let other = open.get("/api/info", &[("Origin", "https://b.example")]);
    assert_eq!(other.header("access-control-allow-origin"), None);
}

#[test]
fn a_token_file_guards_the_data_routes() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "s3cret-token\n").unwrap();
    let server = Server::start(
        default_store(),
        &["--token-file", token_file.to_str().unwrap()],
    );
    assert_eq!(server.get("/api/info", &[]).status, 401);
    assert_eq!(
        server
            .get("/api/info", &[("Authorization", "Bearer wrong")])
            .status,
        401
    );
    assert_eq!(server.get(&sparql_path("ASK {}"), &[]).status, 401);
    let ok = server.get("/api/info", &[("Authorization", "Bearer s3cret-token")]);
    assert_eq!(ok.status, 200, "{}", ok.text());
    // The page itself holds no data: it loads, and asks for the token.
    assert_eq!(server.get("/", &[]).status, 200);
}

#[test]
fn updates_load_and_service_are_refused_and_nothing_is_called() {
    let server = Server::start(default_store(), &[]);
    let update = "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }";
    let refused = [
        server.get(&format!("/sparql?update={}", encode(update)), &[]),
        server.post(
            "/sparql",
            &[("Content-Type", "application/sparql-update")],
            update.as_bytes(),
        ),
        server.post(
            "/sparql",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            format!("update={}", encode(update)).as_bytes(),
        ),
        server.get(&sparql_path(update), &[]),
        server.get(&sparql_path("LOAD <http://127.0.0.1:9/data.ttl>"), &[]),
    ];
    for response in refused {
        assert_eq!(response.status, 403, "{}", response.text());
        assert!(
            response.json()["error"]
                .as_str()
                .unwrap()
                .contains("read-only")
        );
    }
    // SERVICE to a port we listen on: refused, and nothing connects.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    for query in [
        format!("SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"),
        format!(
            "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}"
        ),
    ] {
        let response = server.get(&sparql_path(&query), &[]);
        assert_eq!(response.status, 400, "{}", response.text());
        assert_eq!(response.json()["kind"], "service");
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the server connected to the SERVICE address"
    );
}

#[test]
fn a_6000_deep_query_is_refused_and_the_server_lives() {
    let server = Server::start(default_store(), &[]);
    let deep = format!(
        "SELECT * WHERE {}?s ?p ?o{}",
        "{".repeat(6000),
        "}".repeat(6000)
    );
    let response = server.post(
        "/sparql",
        &[("Content-Type", "application/sparql-query")],
        deep.as_bytes(),
    );
    assert_eq!(response.status, 400, "{}", response.text());
    assert_eq!(response.json()["kind"], "too_deep");
    let parens = format!(
        "ASK {{ FILTER({}1{}) }}",
        "(".repeat(6000),
        ")".repeat(6000)
    );
    assert_eq!(server.get(&sparql_path(&parens), &[]).status, 400);
    assert_eq!(server.get("/healthz", &[]).status, 200);
    let ask = server.get(&sparql_path("ASK { ?s ?p ?o }"), &[]);
    assert_eq!(ask.json()["boolean"], true);
}

#[test]
fn oversized_bodies_get_413() {
    let server = Server::start(default_store(), &["--max-body", "1000"]);
    // The declared length is enough: the server answers before the body is sent.
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let response = parse_response(&raw);
    assert_eq!(response.status, 413, "{}", response.text());
    // Just under the limit is fine.
    let query = format!("ASK {{ ?s ?p ?o }} #{}", "x".repeat(900));
    let ok = server.post(
        "/sparql",
        &[("Content-Type", "application/sparql-query")],
        query.as_bytes(),
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
}

#[test]
fn slow_clients_are_cut_off() {
    let server = Server::start(default_store(), &["--read-timeout", "1"]);
    // Headers one byte at a time, for far longer than the timeout.
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let started = Instant::now();
    let trickle = std::thread::spawn(move || {
        for byte in
            b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
        {
            if writer.write_all(&[*byte]).is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    let mut sink = Vec::new();
    let _ = stream.read_to_end(&mut sink);
    let held = started.elapsed();
    assert!(
        held < Duration::from_secs(5),
        "a client sending headers byte by byte held the connection {held:?}"
    );
    let _ = trickle.join();
    // A body that never comes: 408 after the timeout.
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 100\r\n\r\nASK"
    )
    .unwrap();
    let started = Instant::now();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(parse_response(&raw).status, 408);
    assert_eq!(server.get("/healthz", &[]).status, 200);
}

/// A query that runs for minutes: a three-way cartesian product counted.
pub const ENDLESS: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";

#[test]
fn overload_gets_503_and_a_timeout_stops_the_query() {
    let server = Server::start(
        default_store(),
        &["--workers", "1", "--queue", "0", "--timeout", "2"],
    );
    let address = server.address.clone();
    let slow =
        std::thread::spawn(move || request(&address, "GET", &sparql_path(ENDLESS), &[], None));
    std::thread::sleep(Duration::from_millis(500));
    let busy = server.get(&sparql_path("ASK { ?s ?p ?o }"), &[]);
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert_eq!(busy.json()["kind"], "overloaded");
    assert_eq!(busy.header("retry-after"), Some("1"));
    let started = Instant::now();
    let timed_out = slow.join().unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(timed_out.status, 503, "{}", timed_out.text());
    assert_eq!(timed_out.json()["kind"], "timeout");
    // The worker is back (or replaced): the next query runs.
    let ask = server.get(&sparql_path("ASK { ?s ?p ?o }"), &[]);
    assert_eq!(ask.status, 200, "{}", ask.text());
}

#[test]
fn in_memory_work_is_stopped_by_killing_its_worker() {
    // Sorting a cartesian product never reads the store once it has the rows: oxigraph's
    // cancellation cannot stop it, the memory cap and the timeout do.
    let query = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f";
    let server = Server::start(default_store(), &["--memory", "300", "--timeout", "20"]);
    let started = Instant::now();
    let response = server.get(&sparql_path(query), &[]);
    assert_eq!(response.status, 503, "{}", response.text());
    assert_eq!(response.json()["kind"], "memory", "{}", response.text());
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(server.logged("query worker killed"), "{:?}", server.log());
    let ask = server.get(&sparql_path("ASK { ?s ?p ?o }"), &[]);
    assert_eq!(ask.status, 200, "{}", ask.text());
}

#[test]
fn shutdown_finishes_the_request_in_flight() {
    let mut server = Server::start(default_store(), &["--timeout", "2"]);
    let address = server.address.clone();
    let in_flight =
        std::thread::spawn(move || request(&address, "GET", &sparql_path(ENDLESS), &[], None));
    std::thread::sleep(Duration::from_millis(500));
    let status = server.terminate().expect("the server stops");
    assert!(status.success(), "{status:?}");
    let answer = in_flight.join().unwrap();
    assert_eq!(answer.status, 503, "the request in flight got its answer");
    assert_eq!(answer.json()["kind"], "timeout");
    assert!(server.logged("shutting down"), "{:?}", server.log());
}

#[test]
fn a_new_generation_is_served_without_a_restart() {
    let fixture = mini_fixture();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    build_fixture(fixture.path(), &store, &[]).success();
    let server = Server::start(&store, &[]);
    let people = fixture.path().join("data/people.csv");
    let text = std::fs::read_to_string(&people).unwrap();
    assert_eq!(
        server.get("/api/lookup?name=Zora%20Newperson", &[]).status,
        404
    );
    let header = text.lines().next().unwrap();
    let row: Vec<&str> = header
        .split(',')
        .map(|column| match column {
            "id" => "zora",
            "type" => "ex:Person",
            c if c.starts_with("rdfs:label") => "Zora Newperson",
            "source" => "notes",
            "sentences" => "1",
            _ => "",
        })
        .collect();
    std::fs::write(&people, format!("{}\n{}\n", text.trim_end(), row.join(","))).unwrap();
    build_fixture(fixture.path(), &store, &[]).success();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = false;
    while Instant::now() < deadline {
        if server.get("/api/lookup?name=Zora%20Newperson", &[]).status == 200 {
            seen = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        seen,
        "the new generation was not served: {:?}",
        server.log()
    );
    let ask = server.get(
        &sparql_path(
            "ASK { ?p <http://www.w3.org/2000/01/rdf-schema#label> \"Zora Newperson\"@en }",
        ),
        &[],
    );
    assert_eq!(ask.json()["boolean"], true, "{}", ask.text());
    assert!(server.logged("now answering from"), "{:?}", server.log());
}

/// The people of the mini fixture with a new row, `id` and label, so that a build changes the
/// graph.
fn add_person(fixture: &Path, id: &str, label: &str) {
    let people = fixture.join("data/people.csv");
    let text = std::fs::read_to_string(&people).unwrap();
    let header = text.lines().next().unwrap();
    let row: Vec<&str> = header
        .split(',')
        .map(|column| match column {
            "id" => id,
            "type" => "ex:Person",
            c if c.starts_with("rdfs:label") => label,
            "source" => "notes",
            "sentences" => "1",
            _ => "",
        })
        .collect();
    std::fs::write(&people, format!("{}\n{}\n", text.trim_end(), row.join(","))).unwrap();
}

/// A query whose work grows with `rounds` (a cartesian product of the graph with itself,
/// `rounds` times) and whose answer names the generation it ran on: its triple count.
fn heavy_count(rounds: usize) -> String {
    let values: Vec<String> = (1..=rounds).map(|k| k.to_string()).collect();
    format!(
        "SELECT ?triples (COUNT(*) AS ?work) WHERE {{\n\
         {{ SELECT (COUNT(*) AS ?triples) WHERE {{ ?s ?p ?o }} }}\n\
         VALUES ?round {{ {} }}\n\
         ?a ?b ?c . ?d ?e ?f\n\
         }} GROUP BY ?triples",
        values.join(" ")
    )
}

/// The `?triples` and `?work` of a [`heavy_count`] answer.
fn counts(response: &Response) -> (u64, u64) {
    assert_eq!(response.status, 200, "{}", response.text());
    let json = response.json();
    let row = &json["results"]["bindings"][0];
    let number = |name: &str| -> u64 {
        row[name]["value"]
            .as_str()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {json}"))
    };
    (number("triples"), number("work"))
}

#[test]
fn a_query_in_flight_finishes_on_its_generation_while_builds_swap_two_in() {
    let _alone = crate::common::exclusive();
    let fixture = mini_fixture();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let started = Instant::now();
    build_fixture(fixture.path(), &store, &[]).success();
    let build_time = started.elapsed();
    let server = Server::start(&store, &["--timeout", "300", "--workers", "2"]);
    let accept = [("Accept", "application/sparql-results+json")];
    let (old, _) = counts(&server.get(&sparql_path(&heavy_count(1)), &accept));
    let first = std::fs::read_to_string(store.join("CURRENT")).unwrap();

    // Make the query last longer than two builds, whatever this machine's speed: time a few
    // rounds, then ask for enough rounds to take twice the builds' time, and two seconds more.
    let probe_rounds: u32 = 8;
    let probe = Instant::now();
    counts(&server.get(&sparql_path(&heavy_count(probe_rounds as usize)), &accept));
    let per_round = (probe.elapsed() / probe_rounds).as_nanos().max(1);
    let wanted = (build_time * 4 + Duration::from_secs(2)).as_nanos();
    let rounds = usize::try_from(wanted / per_round + 1)
        .unwrap_or(usize::MAX)
        .clamp(probe_rounds as usize, 200_000);

    let address = server.address.clone();
    let path = sparql_path(&heavy_count(rounds));
    let in_flight = std::thread::spawn(move || {
        let response = request(
            &address,
            "GET",
            &path,
            &[("Accept", "application/sparql-results+json")],
            None,
        );
        (response, Instant::now())
    });
    // Let the query start on the old generation.
    std::thread::sleep(Duration::from_millis(300));
    add_person(fixture.path(), "zora", "Zora Newperson");
    build_fixture(fixture.path(), &store, &[]).success();
    add_person(fixture.path(), "yann", "Yann Laterperson");
    build_fixture(fixture.path(), &store, &[]).success();
    let swapped = Instant::now();
    // The generation under the query is still there, though older than PREVIOUS: its
    // reader's lease kept the second build from removing it (RocksDB may open files lazily).
    assert!(
        store.join(first.trim()).join("meta.json").is_file(),
        "the second build removed the generation a query in flight reads"
    );

    // A query started after the swaps sees the newest generation, as `kg query` does.
    let (new, _) = counts(&server.get(&sparql_path(&heavy_count(1)), &accept));
    let cli = crate::common::kg()
        .args(["query", "--format", "json", "--store"])
        .arg(&store)
        .arg(heavy_count(1))
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_slice(&cli.stdout).unwrap();
    assert_eq!(
        cli["results"]["bindings"][0]["triples"]["value"],
        new.to_string(),
        "a query after the swap does not see the new generation"
    );
    assert_ne!(new, old, "the builds did not change the graph");

    let (response, answered) = in_flight.join().unwrap();
    assert!(
        answered > swapped,
        "the query ({rounds} rounds) ended before the builds did: it proves nothing"
    );
    let (triples, work) = counts(&response);
    assert_eq!(
        triples, old,
        "the query in flight answered from another generation"
    );
    assert_eq!(
        work,
        rounds as u64 * old * old,
        "the query in flight read a mix of generations"
    );
    let log = server.log();
    assert!(
        !log.iter()
            .any(|l| l.contains("not opened") || l.contains("killed")),
        "{log:?}"
    );
    assert!(server.logged("now answering from"), "{log:?}");
}
