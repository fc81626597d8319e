//! Fuzzing with proptest: arbitrary bytes and structured generators for the CSV ingest, the
//! ontology load, the SPARQL entry and entity-name resolution. Whatever comes in: no panic, no
//! abort, exit 0, 1 or 2 only, and each case within a hard outer time bound.
//!
//! The ingest runs in process, as `kg build` does before it writes (`kg::ingest::prepare`, then
//! the facts into a `ProjectionBuilder`); a few cases run the `kg` binary itself. A short run is
//! part of the suite; a long one:
//!
//! ```sh
//! PROPTEST_CASES=10000 cargo test --test integration fuzz
//! ```
//!
//! (coverage-guided fuzzing with cargo-fuzz needs a nightly toolchain, which kg does not use).

use std::convert::Infallible;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use kg::graph::{Projection, ProjectionBuilder, Resolution, resolve_entity};
use kg::ingest::{Inputs, prepare};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

use crate::common::{default_store, kg, root};
use crate::hostile_cli::check_terminal_text;

/// Hard bound on one case: far above what any takes, low enough to catch a hang.
const CASE_LIMIT: Duration = Duration::from_secs(30);

/// `PROPTEST_CASES` when set (the long run), else `short` (the suite's run).
fn cases(short: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(short);
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..ProptestConfig::default()
    }
}

/// Runs `work` on another thread and waits at most [`CASE_LIMIT`] for it; a panic there is
/// re-raised here.
fn within<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = send.send(work());
    });
    match receive.recv_timeout(CASE_LIMIT) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => unreachable!("the worker sends before it ends"),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} took more than {CASE_LIMIT:?}"),
    }
}

/// Reads the inputs in `dir` (`ontology/`, `data/`) as `kg build` does before it writes: checks
/// everything, and when valid emits every quad and builds the projection.
fn ingest(dir: &Path) -> Option<Projection> {
    let mut inputs = Inputs::empty();
    inputs
        .add_ontology(&dir.join("ontology"))
        .expect("ontology folder");
    inputs.add_data(&dir.join("data")).expect("data folder");
    let prepared = prepare(&inputs, true, &|_| {});
    if !prepared.is_valid(false) {
        return None;
    }
    let mut builder = ProjectionBuilder::new(&prepared.ontology, &prepared.entities).ok()?;
    prepared
        .emit(
            &mut |_| Ok::<(), Infallible>(()),
            &mut |fact| builder.add(fact),
            &|_| {},
        )
        .expect("the fixture's files do not change while it is written");
    builder.finish().ok()
}

/// The mini fixture's ontology and documents, plus `files` (relative path, bytes).
fn fixture(files: &[(String, Vec<u8>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    let mini = root().join("tests/data/mini");
    std::fs::create_dir_all(dir.path().join("ontology")).expect("ontology folder");
    std::fs::create_dir_all(dir.path().join("data")).expect("data folder");
    for name in ["ontology/mini.ttl", "data/documents.csv"] {
        std::fs::copy(mini.join(name), dir.path().join(name)).expect("copy");
    }
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::write(path, bytes).expect("write");
    }
    dir
}

/// A cell: names the fixture knows, values of its datatypes, and hostile text.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "alice",
            "bob",
            "p1",
            "p2",
            "acme",
            "ex:Person",
            "ex:Organization",
            "knows",
            "ex:worksFor",
            "partnerOf",
            "rdfs:comment",
            "rdf:type",
            "rdfs:label",
            "ex:founded",
            "ex:employees",
            "notes",
            "1",
            "2|3",
            "0",
            "-1",
            "99999999999999999999",
            "2020",
            "2020-02-30",
            "1990-05-04",
            "2021-03",
            "en",
            "x-bogus",
            "",
            " ",
            "|",
            "||",
            "\"",
            "<https://example.org/mini#Person>",
            "_:b0",
            "kg:Document",
            "1e300",
            "NaN",
        ])
        .prop_map(str::to_owned),
        "[a-z]{1,8}",
        any::<String>(),
        "[\\x00-\\x1f\\x7f\u{85}\u{2028}\u{202e}\"|,;\n\r\t ]{0,12}",
        (1_usize..20_000).prop_map(|n| "x".repeat(n)),
    ]
}

/// A column name: the layout's own, the fixture's properties, and nonsense.
fn column() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "id",
            "type",
            "rdfs:label@en",
            "skos:altLabel@en[]",
            "ex:birthDate",
            "ex:employees",
            "ex:founded",
            "source",
            "sentences",
            "date",
            "subject",
            "predicate",
            "object",
            "lang",
            "rdfs:comment@en",
            "ex:knows",
            "ex:bogus",
            "@",
            "[]",
            "rdfs:label@",
            "ex:founded^^xsd:gYear",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ]
}

/// A CSV file of records.
fn csv_bytes(records: &[Vec<String>]) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for record in records {
        out.write_record(record).expect("in memory");
    }
    out.into_inner().expect("in memory")
}

/// Tables that pass the checks, so that the facts reach the store and the projection: persons
/// with hostile labels and aliases, and facts among them (self-loops and parallel facts too).
fn valid_tables() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    (
        prop::collection::vec((cell(), cell()), 1..6),
        prop::collection::vec((0_u8..3, 0_usize..8, 0_usize..8), 0..16),
    )
        .prop_map(|(people, facts)| {
            let mut entities = vec![vec![
                "id".to_owned(),
                "type".to_owned(),
                "rdfs:label@en".to_owned(),
                "skos:altLabel@en[]".to_owned(),
            ]];
            let n = people.len();
            for (i, (label, alias)) in people.into_iter().enumerate() {
                entities.push(vec![format!("p{i}"), "ex:Person".to_owned(), label, alias]);
            }
            for org in ["acme", "globex"] {
                entities.push(vec![
                    org.into(),
                    "ex:Organization".into(),
                    org.into(),
                    String::new(),
                ]);
            }
            let mut relations = vec![vec![
                "subject".to_owned(),
                "predicate".to_owned(),
                "object".to_owned(),
            ]];
            let orgs = ["acme", "globex"];
            for (kind, a, b) in facts {
                let (subject, predicate, object) = match kind {
                    0 => (format!("p{}", a % n), "knows", format!("p{}", b % n)),
                    1 => (format!("p{}", a % n), "ex:worksFor", orgs[b % 2].to_owned()),
                    _ => (
                        orgs[a % 2].to_owned(),
                        "ex:partnerOf",
                        orgs[b % 2].to_owned(),
                    ),
                };
                relations.push(vec![subject, predicate.to_owned(), object]);
            }
            vec![
                ("data/people.csv".to_owned(), csv_bytes(&entities)),
                ("data/facts.csv".to_owned(), csv_bytes(&relations)),
            ]
        })
}

/// A CSV table: a header and rows of cells, rows of any length.
fn table() -> impl Strategy<Value = Vec<u8>> {
    let header = prop_oneof![
        Just(vec![
            "id".to_owned(),
            "type".to_owned(),
            "rdfs:label@en".to_owned()
        ]),
        Just(vec![
            "subject".to_owned(),
            "predicate".to_owned(),
            "object".to_owned()
        ]),
        prop::collection::vec(column(), 0..6),
    ];
    (
        header,
        prop::collection::vec(column(), 0..3),
        prop::collection::vec(prop::collection::vec(cell(), 0..7), 0..8),
    )
        .prop_map(|(mut header, extra, rows)| {
            header.extend(extra);
            let mut out = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new());
            out.write_record(&header).expect("in memory");
            for row in rows {
                out.write_record(&row).expect("in memory");
            }
            out.into_inner().expect("in memory")
        })
}

/// Turtle-ish text: tokens of the ontology language in any order, and stray text.
fn turtle() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        prop::sample::select(vec![
            "@prefix ex: <https://example.org/mini#> .",
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            "@base <urn:b/> .",
            "ex:A",
            "ex:B",
            "ex:Person",
            "ex:knows",
            "a",
            "owl:Class",
            "rdfs:subClassOf",
            "owl:unionOf",
            "owl:inverseOf",
            "owl:SymmetricProperty",
            "owl:ObjectProperty",
            "owl:DatatypeProperty",
            "rdfs:domain",
            "rdfs:range",
            "rdfs:label",
            "\"label\"@en",
            "\"\"\"long\"\"\"",
            "(",
            ")",
            "[",
            "]",
            ";",
            ",",
            ".",
            "_:b",
            "<urn:x>",
            "<>",
            "1",
            "true",
            "\"x\"^^<urn:t>",
            "#c\n",
            "\n",
            "\\u0000",
            "@en",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ];
    prop::collection::vec(token, 0..40).prop_map(|tokens| tokens.join(" "))
}

/// A class hierarchy with any `rdfs:subClassOf` edges (cycles too), union ranges and a
/// symmetric, inverse pair, with a table typed by its classes.
fn hierarchy() -> impl Strategy<Value = (String, Vec<u8>)> {
    (
        prop::collection::vec((0_u8..6, 0_u8..6), 0..12),
        prop::collection::vec(0_u8..6, 0..4),
        prop::collection::vec((0_u8..6, 0_u8..6), 0..6),
    )
        .prop_map(|(sub, union, types)| {
            let mut ttl = String::from(
                "@prefix ex: <https://example.org/mini#> .\n\
                 @prefix owl: <http://www.w3.org/2002/07/owl#> .\n\
                 @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n",
            );
            for c in 0..6 {
                let _ = writeln!(ttl, "ex:C{c} a owl:Class ; rdfs:label \"c{c}\"@en .");
            }
            for (a, b) in sub {
                let _ = writeln!(ttl, "ex:C{a} rdfs:subClassOf ex:C{b} .");
            }
            let members: Vec<String> = union.iter().map(|c| format!("ex:C{c}")).collect();
            let _ = writeln!(
                ttl,
                "ex:r a owl:ObjectProperty , owl:SymmetricProperty ; owl:inverseOf ex:s ; \
                 rdfs:range [ owl:unionOf ( {} ) ] .\nex:s a owl:ObjectProperty .",
                members.join(" ")
            );
            let mut csv = String::from("id,type,rdfs:label@en,ex:r\n");
            for (i, (class, target)) in types.into_iter().enumerate() {
                let _ = writeln!(csv, "e{i},ex:C{class},E {i},e{target}");
            }
            (ttl, csv.into_bytes())
        })
}

proptest! {
    #![proptest_config(cases(24))]

    #[test]
    fn fuzz_csv_tables_never_panic(tables in prop::collection::vec(table(), 1..4)) {
        let files: Vec<(String, Vec<u8>)> = tables
            .into_iter()
            .enumerate()
            .map(|(i, bytes)| (format!("data/t{i}.csv"), bytes))
            .collect();
        let dir = fixture(&files);
        within("the CSV ingest", move || ingest(dir.path()).map(|p| p.node_count()));
    }

    #[test]
    fn fuzz_valid_tables_reach_the_projection(files in valid_tables(), names in prop::collection::vec(entity_name(), 0..4)) {
        let dir = fixture(&files);
        within("the ingest and the graph algorithms", move || {
            let Some(projection) = ingest(dir.path()) else {
                return;
            };
            // Whatever the labels, the projection answers.
            for name in &names {
                let _ = resolve_entity(&projection, name);
            }
            for directed in [false, true] {
                let options = kg::algo::RankOptions { directed, ..Default::default() };
                let ranking = kg::algo::rank(&projection, &options);
                assert!(ranking.scores.iter().all(|s| s.pagerank.is_finite() && s.betweenness.is_finite()));
            }
            let query = kg::algo::PathQuery::default();
            for node in 0..u32::try_from(projection.node_count()).expect("small") {
                let _ = kg::algo::neighbourhood(&projection, node, 2, 100, &query);
                let _ = kg::algo::k_shortest_paths(&projection, 0, node, 3, &query);
            }
        });
    }

    #[test]
    fn fuzz_csv_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let dir = fixture(&[("data/raw.csv".to_owned(), bytes)]);
        within("the CSV ingest of bytes", move || ingest(dir.path()).map(|p| p.node_count()));
    }

    #[test]
    fn fuzz_ontologies_never_panic(text in turtle(), bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let dir = fixture(&[
            ("ontology/fuzz.ttl".to_owned(), text.into_bytes()),
            ("ontology/bytes.ttl".to_owned(), bytes),
            ("data/people.csv".to_owned(), b"id,type,rdfs:label@en\nalice,ex:Person,Alice\n".to_vec()),
        ]);
        within("the ontology load", move || ingest(dir.path()).map(|p| p.node_count()));
    }

    #[test]
    fn fuzz_class_hierarchies_with_cycles_end((ttl, csv) in hierarchy()) {
        let dir = fixture(&[
            ("ontology/classes.ttl".to_owned(), ttl.into_bytes()),
            ("data/things.csv".to_owned(), csv),
        ]);
        within("a cyclic hierarchy", move || ingest(dir.path()).map(|p| p.node_count()));
    }

    #[test]
    fn fuzz_names_resolve_without_panic(name in entity_name()) {
        let projection = default_projection();
        let found = within("resolving a name", move || resolve_entity(projection, &name));
        if let Resolution::Unknown(suggestions) | Resolution::Ambiguous(suggestions) = found {
            prop_assert!(suggestions.iter().all(|&n| (n as usize) < projection.node_count()));
        }
    }

    #[test]
    fn fuzz_similar_is_similarity_pruned(a in "[a-z ]{0,12}|\\PC{0,12}", b in "[a-z ]{0,12}|\\PC{0,30}", at_least in 0.0..=1.0_f64) {
        let full = if a.is_empty() && b.is_empty() {
            1.0
        } else {
            strsim::jaro_winkler(&a, &b).max(strsim::normalized_damerau_levenshtein(&a, &b))
        };
        prop_assert!((kg::names::similarity(&a, &b) - full).abs() < 1e-12);
        let pruned = kg::names::similar(&a, &b, at_least);
        prop_assert_eq!(pruned.is_some(), full >= at_least, "{} {}", full, at_least);
    }
}

proptest! {
    // Each case runs the kg binary: fewer of them.
    #![proptest_config(cases(8))]

    #[test]
    fn fuzz_kg_build_exits_0_1_or_2(tables in prop::collection::vec(table(), 1..3), ttl in turtle()) {
        let mut files: Vec<(String, Vec<u8>)> = tables
            .into_iter()
            .enumerate()
            .map(|(i, bytes)| (format!("data/t{i}.csv"), bytes))
            .collect();
        files.push(("ontology/extra.ttl".to_owned(), ttl.into_bytes()));
        let dir = fixture(&files);
        let output = kg()
            .args(["build", "--quiet", "--data"])
            .arg(dir.path().join("data"))
            .arg("--ontology")
            .arg(dir.path().join("ontology"))
            .arg("--store")
            .arg(dir.path().join("store"))
            .timeout(CASE_LIMIT)
            .output()
            .expect("kg runs");
        prop_assert!(matches!(output.status.code(), Some(0 | 2)), "{output:?}");
    }

    #[test]
    fn fuzz_kg_query_exits_0_1_or_2(text in sparql()) {
        let output = kg()
            .args(["query", "--timeout", "10", "--format", "json", "--store"])
            .arg(default_store())
            .arg("--")
            .arg(text.replace('\0', ""))
            .timeout(CASE_LIMIT)
            .output()
            .expect("kg runs");
        prop_assert!(matches!(output.status.code(), Some(0..=2)), "{output:?}");
    }

    #[test]
    fn fuzz_kg_lookup_and_path_exit_0_1_or_2(name in entity_name()) {
        // An argument holds no NUL, and at most 128 KiB on Linux.
        let name: String = name
            .chars()
            .filter(|&c| c != '\0')
            .scan(0, |bytes, c| {
                *bytes += c.len_utf8();
                (*bytes <= 100_000).then_some(c)
            })
            .collect();
        for args in [vec!["lookup", name.as_str()], vec!["path", name.as_str(), "Putin"]] {
            let output = kg()
                .args(&args)
                .arg("--store")
                .arg(default_store())
                .timeout(CASE_LIMIT)
                .output()
                .expect("kg runs");
            prop_assert!(matches!(output.status.code(), Some(0..=2)), "{output:?}");
            let args: Vec<String> = args.iter().map(|&a| a.to_owned()).collect();
            check_terminal_text("stdout", &args, &String::from_utf8_lossy(&output.stdout));
            check_terminal_text("stderr", &args, &String::from_utf8_lossy(&output.stderr));
        }
    }
}

/// Names as people type them, and as nobody should: ids, labels, IRIs, typos, control
/// characters, separators, huge and empty ones, repeated words.
fn entity_name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "Putin",
            "putn",
            "Vladimir_Putin",
            "zelensky",
            "",
            " ",
            "\u{1b}[2J",
            "<>",
            "<http://>",
            "https://kg.example/peace-talks/id/Vladimir_Putin",
            "<https://kg.example/peace-talks/id/Vladimir_Putin>",
            "putin putin putin",
            "kyiv",
            "Ukraine",
            "\u{202e}nituP",
            "U.S.",
            "---",
            "_",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
        "[\\x00-\\x1f\\x7f\u{85}\u{2028}\u{2029}\u{202a}-\u{202e}\u{2066}-\u{2069} a-z]{0,40}",
        (
            1_usize..40_000,
            prop::sample::select(vec!["q", "putin ", "a b ", "\u{301}", "zelensky"])
        )
            .prop_map(|(n, piece)| piece.repeat(n)),
    ]
}

/// SPARQL-ish text: keywords, variables, terms and brackets in any order, nesting of any depth,
/// and stray text.
fn sparql() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        prop::sample::select(vec![
            "SELECT",
            "*",
            "?s",
            "?p",
            "?o",
            "WHERE",
            "{",
            "}",
            "(",
            ")",
            "FILTER",
            "OPTIONAL",
            "UNION",
            "MINUS",
            "ASK",
            "CONSTRUCT",
            "DESCRIBE",
            "<urn:x>",
            "ptr:Vladimir_Putin",
            "pto:draftedBy",
            "rdfs:label",
            "/",
            "|",
            "+",
            "^",
            "!",
            "\"x\"",
            "\"x\"@en",
            "1e300",
            "-1",
            "LIMIT",
            "OFFSET",
            "ORDER BY",
            "GROUP BY",
            "COUNT(*)",
            "BIND",
            "AS",
            "VALUES",
            "REGEX(",
            "STR(",
            ".",
            ";",
            ",",
            "a",
            "PREFIX x: <urn:x#>",
            "x:y",
            "#",
            "\n",
            "<",
            "INSERT DATA",
            "LOAD <urn:x>",
            "DELETE WHERE",
        ])
        .prop_map(str::to_owned),
        any::<String>(),
    ];
    prop_oneof![
        prop::collection::vec(token, 0..30).prop_map(|tokens| tokens.join(" ")),
        (
            0_usize..3000,
            prop::sample::select(vec!["(", "{", "((", "{ ?s ?p ?o OPTIONAL {"])
        )
            .prop_map(|(depth, open)| format!(
                "SELECT * WHERE {{ FILTER {} }}",
                open.repeat(depth)
            )),
        (0_usize..1500).prop_map(|depth| format!(
            "SELECT * WHERE {{ {}?s ?p ?o{} }}",
            "{ ".repeat(depth),
            " }".repeat(depth)
        )),
    ]
}

/// The projection of the embedded default graph, built in process once.
fn default_projection() -> &'static Projection {
    static PROJECTION: OnceLock<Projection> = OnceLock::new();
    PROJECTION.get_or_init(|| {
        let prepared = prepare(&Inputs::embedded(), false, &|_| {});
        assert!(prepared.is_valid(false), "the embedded graph is valid");
        let mut builder =
            ProjectionBuilder::new(&prepared.ontology, &prepared.entities).expect("small graph");
        prepared
            .emit(
                &mut |_| Ok::<(), Infallible>(()),
                &mut |fact| builder.add(fact),
                &|_| {},
            )
            .expect("the embedded inputs are not files that can change");
        builder.finish().expect("a projection")
    })
}
