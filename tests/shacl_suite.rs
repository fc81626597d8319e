//! The W3C SHACL Core test suite (data-shapes `tests/core`), read where it lies beside the
//! repository (`../shared/test-suites/w3c-shacl-core`, or `KG_SHACL_SUITE`), never copied into
//! it. Every `sht:Validate` case runs; its `sh:conforms` and its set of results — focus node,
//! path, value, constraint component, severity, source shape (blank nodes match any blank node)
//! and any `sh:resultMessage` the case expects — must equal what the suite's report says.

use std::collections::HashSet;
use std::path::{Path as FilePath, PathBuf};

use kg::validate::{
    DataGraph, IndexedGraph, Path, Shapes, ValidationReport, read_list, validate, vocab as sh,
};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNode, NamedNodeRef, Term};

use crate::common;

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const SHT: &str = "http://www.w3.org/ns/shacl-test#";

fn mf(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{MF}{local}"))
}

fn sht(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SHT}{local}"))
}

/// The suite's folder, when it is there.
pub fn suite_dir() -> Option<PathBuf> {
    let dir = common::shared("KG_SHACL_SUITE", "test-suites/w3c-shacl-core");
    if dir.join("manifest.ttl").is_file() {
        Some(dir)
    } else {
        common::missing(&format!(
            "the W3C SHACL test suite is not at {} (set KG_SHACL_SUITE to its folder)",
            dir.display()
        ));
        None
    }
}

fn file_iri(path: &FilePath) -> String {
    format!("file://{}", path.display())
}

fn load(path: &FilePath) -> IndexedGraph {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(file_iri(path))
        .expect("a file IRI")
        .for_slice(&bytes)
        .map(|q| q.map(Into::into))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn iri_path(term: &Term) -> Option<PathBuf> {
    match term {
        Term::NamedNode(n) => n.as_str().strip_prefix("file://").map(PathBuf::from),
        _ => None,
    }
}

fn one(graph: &IndexedGraph, subject: &Term, predicate: NamedNodeRef<'_>) -> Option<Term> {
    graph
        .objects(subject, predicate)
        .unwrap()
        .into_iter()
        .next()
}

/// A result as compared: blank nodes become `_`, paths their structure.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Key {
    focus: String,
    path: Option<Path>,
    value: Option<String>,
    component: String,
    severity: String,
    shape: String,
}

fn shown(term: &Term) -> String {
    match term {
        Term::BlankNode(_) => "_".to_owned(),
        other => other.to_string(),
    }
}

struct Case {
    name: String,
    data: PathBuf,
    shapes: PathBuf,
    conforms: bool,
    results: Vec<(Key, Vec<Term>)>,
}

fn cases(dir: &FilePath) -> Vec<Case> {
    let mut manifests = vec![dir.join("manifest.ttl")];
    let mut out = Vec::new();
    let mut index = 0;
    while index < manifests.len() {
        let path = manifests[index].clone();
        index += 1;
        let graph = load(&path);
        let this = Term::from(NamedNode::new_unchecked(file_iri(&path)));
        for include in graph.objects(&this, mf("include").as_ref()).unwrap() {
            manifests.push(iri_path(&include).expect("a file include"));
        }
        for entries in graph.objects(&this, mf("entries").as_ref()).unwrap() {
            for entry in read_list(&graph, &entries)
                .unwrap()
                .expect("a list of entries")
            {
                out.push(case(&graph, &entry));
            }
        }
    }
    out
}

fn case(graph: &IndexedGraph, entry: &Term) -> Case {
    let types = graph.objects(entry, sh::rdf::TYPE).unwrap();
    assert!(
        types.contains(&sht("Validate").into()),
        "{entry} is an sht:Validate"
    );
    let action = one(graph, entry, mf("action").as_ref()).expect("mf:action");
    let data = one(graph, &action, sht("dataGraph").as_ref()).expect("sht:dataGraph");
    let shapes = one(graph, &action, sht("shapesGraph").as_ref()).expect("sht:shapesGraph");
    let report = one(graph, entry, mf("result").as_ref()).expect("mf:result");
    let conforms = one(graph, &report, sh::CONFORMS)
        .is_some_and(|t| matches!(&t, Term::Literal(l) if l.value() == "true"));
    let mut results = Vec::new();
    for result in graph.objects(&report, sh::RESULT).unwrap() {
        let get = |p| one(graph, &result, p);
        let key = Key {
            focus: get(sh::FOCUS_NODE).as_ref().map(shown).unwrap_or_default(),
            path: get(sh::RESULT_PATH)
                .map(|p| Path::parse(graph, &p, &result).expect("a well-formed expected path")),
            value: get(sh::VALUE).as_ref().map(shown),
            component: get(sh::SOURCE_CONSTRAINT_COMPONENT)
                .as_ref()
                .map(shown)
                .unwrap_or_default(),
            severity: get(sh::RESULT_SEVERITY)
                .as_ref()
                .map(shown)
                .unwrap_or_default(),
            shape: get(sh::SOURCE_SHAPE)
                .as_ref()
                .map(shown)
                .unwrap_or_default(),
        };
        let messages = graph.objects(&result, sh::RESULT_MESSAGE).unwrap();
        results.push((key, messages));
    }
    let name = entry.to_string();
    Case {
        name: name
            .rsplit('/')
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join("/")
            .trim_end_matches('>')
            .to_owned(),
        data: iri_path(&data).expect("a data file"),
        shapes: iri_path(&shapes).expect("a shapes file"),
        conforms,
        results,
    }
}

fn keys(report: &ValidationReport) -> Vec<(Key, Vec<Term>)> {
    report
        .results
        .iter()
        .map(|r| {
            (
                Key {
                    focus: shown(&r.focus_node),
                    path: r.path.clone(),
                    value: r.value.as_ref().map(shown),
                    component: r.component.to_string(),
                    severity: r.severity.iri().to_string(),
                    shape: shown(&r.source_shape),
                },
                r.messages.iter().cloned().map(Term::from).collect(),
            )
        })
        .collect()
}

/// Why a case fails, or `None` when it passes.
fn run_case(case: &Case) -> Option<String> {
    let data = load(&case.data);
    let shapes_graph = load(&case.shapes);
    let shapes = match Shapes::from_graph(&shapes_graph) {
        Ok(shapes) => shapes,
        Err(e) => return Some(format!("shapes refused: {e}")),
    };
    let report = match validate(&data, &shapes) {
        Ok(report) => report,
        Err(e) => return Some(format!("validation failed: {e}")),
    };
    if report.conforms != case.conforms {
        return Some(format!(
            "sh:conforms {} (expected {})",
            report.conforms, case.conforms
        ));
    }
    let mut ours: Vec<Key> = keys(&report).into_iter().map(|(k, _)| k).collect();
    let mut theirs: Vec<Key> = case.results.iter().map(|(k, _)| k.clone()).collect();
    ours.sort();
    theirs.sort();
    if ours != theirs {
        let a: HashSet<&Key> = ours.iter().collect();
        let b: HashSet<&Key> = theirs.iter().collect();
        let extra: Vec<&&Key> = a.difference(&b).collect();
        let missing: Vec<&&Key> = b.difference(&a).collect();
        return Some(format!(
            "{} results, expected {}; unexpected {extra:?}; missing {missing:?}",
            ours.len(),
            theirs.len()
        ));
    }
    for (key, messages) in &case.results {
        if messages.is_empty() {
            continue;
        }
        let found = keys(&report)
            .into_iter()
            .any(|(k, ours)| &k == key && messages.iter().all(|m| ours.contains(m)));
        if !found {
            return Some(format!("no result with the messages {messages:?}"));
        }
    }
    None
}

/// Cases kg is known to fail, with the reason (the README lists them).
const KNOWN_FAILURES: &[&str] = &[];

#[test]
fn w3c_shacl_core_suite() {
    let Some(dir) = suite_dir() else {
        return;
    };
    let cases = cases(&dir);
    assert!(cases.len() > 90, "the suite has its {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        if let Some(reason) = run_case(case) {
            failures.push(format!("{}: {reason}", case.name));
        }
    }
    let passed = cases.len() - failures.len();
    eprintln!(
        "W3C SHACL Core suite: {passed} passed, {} failed, of {}",
        failures.len(),
        cases.len()
    );
    for failure in &failures {
        eprintln!("  FAIL {failure}");
    }
    let unexpected: Vec<&String> = failures
        .iter()
        .filter(|f| {
            !KNOWN_FAILURES
                .iter()
                .any(|k| f.starts_with(&format!("{k}:")))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "unexpected failures: {unexpected:#?}"
    );
}
