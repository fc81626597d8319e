//! kg's SHACL validation against pyshacl's: the same `sh:conforms` and the same results
//! (focus node, path, constraint component) on the default graph with the peace-talks shapes,
//! on a broken copy of it, and on seeded generated graphs with mistakes in them. pyshacl is
//! required when `KG_REQUIRE_PEERS=1`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use kg::validate::{DataGraph, IndexedGraph, Shapes, ValidationReport, validate};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;

use crate::common::{self, kg, python_with};

type Results = (bool, BTreeSet<(String, Option<String>, String)>);

fn script() -> PathBuf {
    common::root().join("tests/data/validate/pyshacl_report.py")
}

fn pyshacl(python: &Path, data: &Path, shapes: &Path) -> Results {
    let output = Command::new(python)
        .arg(script())
        .arg(data)
        .arg(shapes)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "pyshacl failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let results = json["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap().to_owned(),
                r[1].as_str().map(str::to_owned),
                r[2].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    (json["conforms"].as_bool().expect("conforms"), results)
}

fn ours(report: &ValidationReport) -> Results {
    let term = |t: &Term| match t {
        Term::BlankNode(_) => "_".to_owned(),
        other => other.to_string(),
    };
    let results = report
        .results
        .iter()
        .map(|r| {
            (
                term(&r.focus_node),
                r.path
                    .as_ref()
                    .map(|p| p.to_sparql(&|n| format!("<{}>", n.as_str()))),
                r.component.as_str().to_owned(),
            )
        })
        .collect();
    (report.conforms, results)
}

fn shapes_file(path: &Path) -> Shapes {
    let bytes = std::fs::read(path).unwrap();
    Shapes::from_turtle(&[(path.to_str().unwrap(), &bytes)]).unwrap()
}

fn compare<G: DataGraph + ?Sized>(
    python: &Path,
    data: &G,
    data_file: &Path,
    shapes: &Path,
) -> usize {
    let report = validate(data, &shapes_file(shapes)).unwrap();
    let mine = ours(&report);
    let theirs = pyshacl(python, data_file, shapes);
    assert_eq!(
        mine.0,
        theirs.0,
        "sh:conforms differs on {}",
        data_file.display()
    );
    let only_ours: Vec<_> = mine.1.difference(&theirs.1).collect();
    let only_theirs: Vec<_> = theirs.1.difference(&mine.1).collect();
    assert!(
        only_ours.is_empty() && only_theirs.is_empty(),
        "{}: only kg {only_ours:#?}\nonly pyshacl {only_theirs:#?}",
        data_file.display()
    );
    mine.1.len()
}

/// The default graph of a store, exported as N-Triples, and read back into memory.
fn exported(store: &Path, dir: &Path) -> (IndexedGraph, PathBuf) {
    let file = dir.join("default.nt");
    kg().args(["export", "--graph", "default", "--format", "ntriples", "-o"])
        .arg(&file)
        .arg("--store")
        .arg(store)
        .assert()
        .success();
    let graph = RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(&std::fs::read(&file).unwrap())
        .map(|q| q.map(Into::into))
        .collect::<Result<_, _>>()
        .unwrap();
    (graph, file)
}

#[test]
fn same_results_as_pyshacl_on_the_default_graph() {
    let Some(python) = python_with("pyshacl") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let shapes = common::root().join("shapes/peace-talks-shapes.ttl");
    let (graph, file) = exported(common::default_store(), dir.path());
    assert_eq!(
        compare(&python, &graph, &file, &shapes),
        0,
        "the default graph conforms"
    );

    // The store itself, read through the read seam, gives what its export gives.
    let generation = kg::store::StoreDir::new(common::default_store())
        .current()
        .unwrap();
    let local = kg::store::LocalGraph::open(generation).unwrap();
    assert!(validate(&local, &shapes_file(&shapes)).unwrap().conforms);

    let broken = crate::validate::cli::broken_copy();
    let store = broken.path().join("store");
    common::build_fixture(broken.path(), &store, &[]).success();
    let (graph, file) = exported(&store, dir.path());
    assert_eq!(compare(&python, &graph, &file, &shapes), 2);
}

/// A small deterministic generator (a linear congruential stream).
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let index = self.below(items.len() as u64);
        items[usize::try_from(index).unwrap_or_default()]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// People, organisations and places, with a mistake here and there for each shape of
/// `generated-shapes.ttl`.
#[allow(clippy::too_many_lines)]
fn generated(seed: u64, people: u64) -> String {
    let mut r = Random(seed);
    let mut out = String::from(
        "@prefix ex: <https://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n",
    );
    let cities = ["ex:Kyiv", "ex:Moscow", "ex:Washington", "ex:Paris"];
    for org in 0..=people / 4 {
        let class = r.pick(&["ex:Organization", "ex:Government", "ex:Club"]);
        let _ = writeln!(
            out,
            "ex:org{org} a {class} ; ex:locatedIn {} .",
            r.pick(&cities)
        );
        if r.chance(10) {
            let _ = writeln!(
                out,
                "ex:org{org} ex:locatedIn {} ; ex:motto \"x\" .",
                r.pick(&cities)
            );
        }
    }
    for p in 0..people {
        let _ = write!(out, "ex:p{p} a ex:Person");
        match r.below(10) {
            0 => {}
            1 => {
                let _ = write!(out, " ; ex:name \"P{p}\"@en , \"Q{p}\"@en");
            }
            2 => {
                let _ = write!(out, " ; ex:name \"P{p}\"@de");
            }
            _ => {
                let _ = write!(out, " ; ex:name \"P{p}\"@en , \"P{p}\"@fr");
            }
        }
        match r.below(12) {
            0 => {
                let _ = write!(out, " ; ex:age \"old\"");
            }
            1 => {
                let _ = write!(out, " ; ex:age -3");
            }
            2 => {
                let _ = write!(out, " ; ex:age 40 , 41");
            }
            3 => {
                let _ = write!(out, " ; ex:age 200");
            }
            _ => {
                let _ = write!(out, " ; ex:age {}", r.below(100));
            }
        }
        for _ in 0..r.below(4) {
            let target = r.below(people + people / 10 + 1);
            if target >= people {
                let _ = write!(out, " ; ex:knows ex:org{}", target - people);
            } else {
                let _ = write!(out, " ; ex:knows ex:p{target}");
                if r.chance(5) {
                    let _ = write!(out, " ; ex:blocks ex:p{target}");
                }
            }
        }
        if r.chance(30) {
            let email = if r.chance(20) {
                format!("p{p} at example.org")
            } else {
                format!("p{p}@example.org")
            };
            let _ = write!(out, " ; ex:email \"{email}\"");
        }
        if r.chance(30) {
            let (start, end) = (r.below(10), r.below(10));
            let _ = write!(out, " ; ex:start {start} ; ex:end {end}");
        }
        if r.chance(50) {
            let _ = write!(out, " ; ex:worksFor ex:org{}", r.below(people / 4 + 1));
        }
        if r.chance(15) {
            let _ = write!(out, " ; ex:manages ex:p{}", r.below(people));
        }
        if r.chance(3) {
            let _ = write!(out, " ; ex:manages ex:bot{p} ");
            let _ = write!(out, ". ex:bot{p} a ex:Robot");
        }
        if r.chance(10) {
            let _ = write!(
                out,
                " ; ex:reportsTo ex:p{} , ex:p{}",
                r.below(people),
                r.below(people)
            );
        }
        out.push_str(" .\n");
    }
    match seed % 3 {
        0 => out.push_str(
            "ex:Kyiv ex:label \"Kyiv\" ; ex:alias \"Kiev\" ; ex:capitalOf ex:Ukraine .\n",
        ),
        1 => out.push_str("ex:Kyiv ex:label \"Kyiv\" ; ex:capitalOf ex:Ukraine ; a ex:Village .\n"),
        _ => out.push_str("ex:Kyiv ex:capitalOf ex:Russia .\n"),
    }
    out
}

#[test]
fn same_results_as_pyshacl_on_generated_graphs() {
    let Some(python) = python_with("pyshacl") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let shapes = common::root().join("tests/data/validate/generated-shapes.ttl");
    let mut total = 0;
    for seed in 0..6 {
        let turtle = generated(seed, 40 + 30 * seed);
        let file = dir.path().join(format!("generated-{seed}.ttl"));
        std::fs::write(&file, &turtle).unwrap();
        let graph: IndexedGraph = RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
            .map(|q| q.map(Into::into))
            .collect::<Result<_, _>>()
            .unwrap();
        total += compare(&python, &graph, &file, &shapes);
    }
    assert!(
        total > 100,
        "the generated graphs have mistakes to find ({total})"
    );
}
