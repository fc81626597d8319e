//! Real SPARQL clients against `kg serve` get the answers `kg query` gives: rdflib's
//! `SPARQLStore` and `SPARQLWrapper` (Python; GET and POST), and Comunica (Node,
//! `@comunica/query-sparql` from `tests/browser/node_modules`), for SELECT, ASK, CONSTRUCT and
//! DESCRIBE. The answers are compared as values: rows as multisets of terms, graphs by
//! isomorphism (rdflib's `compare.isomorphic`).

use std::path::Path;
use std::process::Command;

use crate::common::{default_store, kg, missing, python_with, root};
use crate::serve::Server;

/// The queries every client runs: (name, kind, text). `kind` is `rows`, `ask` or `graph`.
const QUERIES: [(&str, &str, &str); 5] = [
    (
        "select",
        "rows",
        "SELECT ?person ?label WHERE { ?person a pto:Person ; rdfs:label ?label }",
    ),
    (
        "select_typed",
        "rows",
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } ORDER BY ?s ?p ?o LIMIT 200",
    ),
    ("ask", "ask", "ASK { ?s a pto:Person }"),
    (
        "construct",
        "graph",
        "CONSTRUCT { ?p rdfs:label ?l ; a pto:Person } WHERE { ?p a pto:Person ; rdfs:label ?l }",
    ),
    (
        "describe",
        "graph",
        "DESCRIBE <https://kg.example/peace-talks/id/Steve_Witkoff>",
    ),
];

/// Compares, for each query, what `SPARQLWrapper` (GET and POST) and rdflib's `SPARQLStore` get
/// from the endpoint with `kg query`'s answer (JSON results or N-Triples); prints a JSON report.
const PYTHON: &str = r#"
import json, sys
import rdflib
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import SPARQLWrapper, JSON, TURTLE, GET, POST

endpoint, cases = sys.argv[1], json.load(open(sys.argv[2]))

def rows_of(result):
    return sorted(tuple(row[v].n3() if row[v] is not None else "" for v in result.vars) for row in result)

def rows_of_json(data):
    variables = data["head"]["vars"]
    def term(b):
        if b is None:
            return ""
        if b["type"] == "uri":
            return rdflib.URIRef(b["value"]).n3()
        if b["type"] == "bnode":
            return "_:b"
        return rdflib.Literal(b["value"], lang=b.get("xml:lang"),
                              datatype=b.get("datatype")).n3()
    return sorted(tuple(term(row.get(v)) for v in variables) for row in data["results"]["bindings"])

def blank(rows):
    # Blank node labels differ between answers: compare them as blanks.
    return sorted(tuple("_:b" if t.startswith("_:") else t for t in row) for row in rows)

report = {}
store = rdflib.Graph(store=SPARQLStore(endpoint))
for case in cases:
    name, kind, query, expected_path = case["name"], case["kind"], case["query"], case["expected"]
    outcome = {}
    if kind == "graph":
        expected = rdflib.Graph().parse(expected_path, format="nt")
    elif kind == "ask":
        expected = json.load(open(expected_path))["boolean"]
    else:
        expected = blank(rows_of_json(json.load(open(expected_path))))
    for method in (GET, POST):
        wrapper = SPARQLWrapper(endpoint)
        wrapper.setMethod(method)
        wrapper.setQuery(query)
        try:
            if kind == "graph":
                wrapper.setReturnFormat(TURTLE)
                data = wrapper.query().convert()
                got = rdflib.Graph().parse(data=data, format="turtle")
                same = isomorphic(got, expected)
                outcome["wrapper_" + method] = "ok" if same else "differs: %d vs %d triples" % (len(got), len(expected))
            else:
                wrapper.setReturnFormat(JSON)
                data = wrapper.query().convert()
                if kind == "ask":
                    outcome["wrapper_" + method] = "ok" if data["boolean"] == expected else "differs"
                else:
                    got = blank(rows_of_json(data))
                    outcome["wrapper_" + method] = "ok" if got == expected else "differs: %d vs %d rows" % (len(got), len(expected))
        except Exception as error:
            outcome["wrapper_" + method] = "error: %r" % (error,)
    try:
        result = store.query(query)
        if kind == "graph":
            got = rdflib.Graph()
            for triple in result:
                got.add(triple)
            outcome["sparqlstore"] = "ok" if isomorphic(got, expected) else "differs: %d vs %d triples" % (len(got), len(expected))
        elif kind == "ask":
            outcome["sparqlstore"] = "ok" if bool(result) == expected else "differs"
        else:
            got = blank(rows_of(result))
            outcome["sparqlstore"] = "ok" if got == expected else "differs: %d vs %d rows" % (len(got), len(expected))
    except Exception as error:
        outcome["sparqlstore"] = "error: %r" % (error,)
    report[name] = outcome
print(json.dumps(report, indent=2))
"#;

/// `kg query` of `text` in `format`, written to `path`.
fn expected(store: &Path, text: &str, format: &str, path: &Path) {
    let output = kg()
        .args(["query", "--format", format, "--store"])
        .arg(store)
        .arg(text)
        .output()
        .expect("kg query runs");
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "kg query: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(path, output.stdout).unwrap();
}

#[test]
fn rdflib_and_sparqlwrapper_get_the_answers_of_kg_query() {
    let Some(python) = python_with("SPARQLWrapper") else {
        return;
    };
    let store = default_store();
    let server = Server::start(store, &[]);
    let dir = tempfile::tempdir().unwrap();
    let mut cases = Vec::new();
    for (name, kind, text) in QUERIES {
        let path = dir.path().join(format!("{name}.expected"));
        expected(
            store,
            text,
            if kind == "graph" { "ntriples" } else { "json" },
            &path,
        );
        cases.push(serde_json::json!({
            "name": name, "kind": kind, "query": text, "expected": path,
        }));
    }
    let cases_file = dir.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(&cases).unwrap()).unwrap();
    let output = Command::new(python)
        .args(["-c", PYTHON])
        .arg(server.url("/sparql"))
        .arg(&cases_file)
        .output()
        .expect("python runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "the Python clients printed no report ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    for (name, _, _) in QUERIES {
        for client in ["wrapper_GET", "wrapper_POST", "sparqlstore"] {
            assert_eq!(report[name][client], "ok", "{name} by {client}: {report:#}");
        }
    }
}

/// Comunica's command line from `tests/browser/node_modules`, or why not.
fn comunica() -> Option<std::path::PathBuf> {
    let program = root().join("tests/browser/node_modules/.bin/comunica-sparql");
    if program.exists() {
        return Some(program);
    }
    missing(
        "Comunica is not installed: run `npm ci --prefix tests/browser` (it brings @comunica/query-sparql)",
    );
    None
}

/// The bindings of a SPARQL JSON answer as a sorted list of rows, each term as
/// `type value lang datatype` (a plain literal and an `xsd:string` one are the same value).
fn bindings(answer: &serde_json::Value) -> Vec<Vec<String>> {
    let variables: Vec<&str> = answer["head"]["vars"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    let mut rows: Vec<Vec<String>> = answer["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            variables
                .iter()
                .map(|v| {
                    let term = &row[*v];
                    let datatype = term["datatype"].as_str().unwrap_or_default();
                    let datatype = if datatype == "http://www.w3.org/2001/XMLSchema#string" {
                        ""
                    } else {
                        datatype
                    };
                    format!(
                        "{} {} {} {datatype}",
                        term["type"].as_str().unwrap_or_default(),
                        term["value"].as_str().unwrap_or_default(),
                        term["xml:lang"].as_str().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn comunica_queries_kg_serve_as_a_sparql_endpoint() {
    let Some(comunica) = comunica() else {
        return;
    };
    let store = default_store();
    let server = Server::start(store, &[]);
    let prefixes = "PREFIX pto: <https://kg.example/peace-talks/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n";
    for (name, kind, text) in QUERIES.iter().filter(|(_, kind, _)| *kind != "graph") {
        let query = format!("{prefixes}{text}");
        let output = Command::new(&comunica)
            .arg(format!("sparql@{}", server.url("/sparql")))
            .args(["-t", "application/sparql-results+json"])
            .arg(&query)
            .output()
            .expect("comunica runs");
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let got: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "{name}: not JSON ({e}): {}",
                String::from_utf8_lossy(&output.stdout)
            )
        });
        let want: serde_json::Value = serde_json::from_slice(
            &kg()
                .args(["query", "--format", "json", "--store"])
                .arg(store)
                .arg(&query)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        if *kind == "ask" {
            assert_eq!(got["boolean"], want["boolean"], "{name}");
        } else {
            assert_eq!(bindings(&got), bindings(&want), "{name}");
        }
    }
    assert!(
        server.logged("GET /sparql 200") || server.logged("POST /sparql 200"),
        "Comunica asked the server: {:?}",
        server.log()
    );
}
