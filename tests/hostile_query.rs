//! `kg query` against hostile queries and faults: nesting that would overflow the stack, queries
//! that never end or grow without bound, a damaged store, SPARQL Update and SERVICE, answers
//! XML cannot carry, numeric flags out of range — each ends with exit 2 and a clear message,
//! and leaves `-o FILE` as it was.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{copy_tree, default_store};

/// What a `kg query` run left.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident memory (`VmHWM`) seen while it ran, in KiB.
    peak_kib: u64,
}

/// Runs `kg query ARGS` (with `stdin` piped in when given), killing it after a minute so a test
/// cannot hang: a run that needs the kill fails the test.
fn query(args: &[&str], stdin: Option<&str>) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kg"))
        .arg("query")
        .args(args)
        .env_remove("KG_STORE")
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kg runs");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin");
        let text = text.to_owned();
        std::thread::spawn(move || {
            let _ = pipe.write_all(text.as_bytes());
        });
    }
    // Drain the pipes on threads, so a large answer cannot block the child.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || read_all(&mut stdout));
    let err = std::thread::spawn(move || read_all(&mut stderr));
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut peak_kib = 0;
    let status = loop {
        if let Some(kib) = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|s| field_kib(&s, "VmHWM:"))
        {
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kg query {args:?} was still running after 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: out.join().expect("stdout thread"),
        stderr: err.join().expect("stderr thread"),
        peak_kib,
    }
}

fn read_all(pipe: &mut impl std::io::Read) -> String {
    let mut bytes = Vec::new();
    let _ = pipe.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn field_kib(status: &str, name: &str) -> Option<u64> {
    status
        .lines()
        .find(|l| l.starts_with(name))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn store_arg() -> String {
    default_store().display().to_string()
}

/// Exit 2 with every `needles` in stderr, nothing on stdout, and no crash.
#[track_caller]
fn assert_refused(run: &Run, needles: &[&str]) {
    assert_eq!(run.code, Some(2), "stderr: {}", run.stderr);
    for needle in needles {
        assert!(
            run.stderr.contains(needle),
            "{needle:?} not in stderr: {}",
            run.stderr
        );
    }
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
}

fn nested(open: &str, inner: &str, close: &str, n: usize) -> String {
    format!("{}{inner}{}", open.repeat(n), close.repeat(n))
}

/// The shapes that overflowed the stack before the screen, at the sizes seen.
fn deep_shapes() -> Vec<(&'static str, String)> {
    let pattern = "{ ?s <urn:x:p> ?o }";
    vec![
        (
            "3,500 nested braces",
            format!("SELECT * WHERE {}", nested("{", "", "}", 3_500)),
        ),
        (
            "3,600 nested parentheses in a FILTER",
            format!("ASK {{ FILTER({}) }}", nested("(", "1", ")", 3_600)),
        ),
        (
            "5,000 UNIONs",
            format!(
                "SELECT * WHERE {{ {} }}",
                vec![pattern; 5_000].join(" UNION ")
            ),
        ),
        (
            "5,000 OPTIONALs",
            format!(
                "SELECT * WHERE {{ ?s <urn:x:p> ?o {} }}",
                format!("OPTIONAL {pattern} ").repeat(5_000)
            ),
        ),
        (
            "a 50,000-term sum",
            format!("ASK {{ FILTER({} = 0) }}", vec!["1"; 50_000].join("+")),
        ),
        (
            "100,000 nested braces",
            format!("SELECT * WHERE {}", nested("{", "", "}", 100_000)),
        ),
    ]
}

#[test]
fn deep_queries_are_refused_with_where_from_an_argument_a_file_and_stdin() {
    let store = store_arg();
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in deep_shapes() {
        let file = dir.path().join("query.rq");
        std::fs::write(&file, &text).unwrap();
        let file = file.display().to_string();
        let by_file = query(&["--store", &store, "-f", &file], None);
        assert_refused(&by_file, &["the query", "changes the limit", "(at 1:"]);
        let by_stdin = query(&["--store", &store], Some(&text));
        assert_refused(&by_stdin, &["the query", "changes the limit"]);
        // An argument is limited to 128 KiB by the system.
        if text.len() < 100_000 {
            let by_argument = query(&["--store", &store, &text], None);
            assert_refused(&by_argument, &["the query", "changes the limit"]);
        }
        eprintln!("{name}: {}", by_file.stderr.trim());
    }
}

#[test]
fn the_limits_say_where_they_were_crossed_and_which_flag_raises_them() {
    let store = store_arg();
    let text = format!("SELECT * WHERE {{\n  {}\n}}", nested("{", "", "}", 200));
    let run = query(&["--store", &store, &text], None);
    assert_refused(
        &run,
        &["deeper than 128 levels", "(at 2:130)", "--max-depth LEVELS"],
    );
    let run = query(&["--store", &store, "--max-depth", "300", &text], None);
    assert_eq!(run.code, Some(0), "{}", run.stderr);

    let sum = format!("ASK {{ FILTER({} = 0) }}", vec!["1"; 6_000].join("+"));
    let run = query(&["--store", &store, &sum], None);
    assert_refused(&run, &["more than 5000 operators", "--max-operators COUNT"]);

    // A long query on stdin is refused without being read to its end.
    let run = query(&["--store", &store], Some(&"#".repeat(3 << 20)));
    assert_refused(
        &run,
        &[
            "longer than 1048576 bytes",
            "(at 1:1048577)",
            "--max-length",
        ],
    );
    let run = query(&["--store", &store, "--max-length", "10", "ASK { }"], None);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let run = query(&["--store", &store, "--max-length", "5", "ASK { }"], None);
    assert_refused(
        &run,
        &["longer than 5 bytes", "(at 1:6)", "--max-length BYTES"],
    );
}

/// The largest queries the limits accept, in the costliest shapes measured, must run to their
/// answer, not overflow the query thread's stack. Depth at its default; operators at 1,500,
/// since the evaluator's time grows with the square of a chain's length (a 5,000-term sum
/// takes minutes in a debug build) and the stack grows in step with the limit.
#[test]
fn the_largest_accepted_queries_run_without_overflowing() {
    let store = store_arg();
    let depth = 128;
    let operators = 1_500;
    let deep = [
        // 1 bracket each level.
        format!("ASK {{ FILTER({}) }}", nested("(", "1", ")", depth - 2)),
        format!("SELECT * WHERE {}", nested("{", "", "}", depth)),
        format!(
            "SELECT * WHERE {{ BIND({} AS ?x) }}",
            nested("CONCAT(", "\"a\"", ")", depth - 2)
        ),
        // 1 bracket and 3 or 4 operators each level.
        format!(
            "ASK {}",
            nested("{ FILTER NOT EXISTS ", "{}", "}", depth - 1)
        ),
        format!(
            "SELECT * WHERE {}",
            nested("{ SELECT * WHERE ", "{}", "}", depth - 1)
        ),
    ];
    let long = [
        // 1 operator each level.
        format!(
            "ASK {{ FILTER({} = 0) }}",
            vec!["1"; operators - 5].join("+")
        ),
        // 2 operators each level.
        format!(
            "SELECT * WHERE {{ {} }}",
            (0..operators / 2 - 2)
                .map(|i| format!("BIND({i} AS ?v{i})"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        format!(
            "SELECT * WHERE {{ ?s <urn:x:p> ?o {} }}",
            "MINUS { ?s <urn:x:p> ?o } ".repeat(operators / 2 - 4)
        ),
    ];
    let limit = operators.to_string();
    let runs = deep
        .iter()
        .map(|text| (text, vec!["--store", &store]))
        .chain(
            long.iter()
                .map(|text| (text, vec!["--store", &store, "--max-operators", &limit])),
        );
    for (text, args) in runs {
        let run = query(&args, Some(text));
        assert!(
            matches!(run.code, Some(0 | 1)),
            "{}...: {:?} {}",
            &text[..60.min(text.len())],
            run.code,
            run.stderr
        );
    }
}

const CARTESIAN: &str = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";

/// The cartesian product of the graph with itself three times, plain and through each
/// operator that holds its input in memory.
fn cartesians() -> Vec<String> {
    let body = "WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    vec![
        CARTESIAN.to_owned(),
        format!("SELECT * {body} ORDER BY ?i ?a"),
        format!("SELECT (COUNT(*) AS ?n) {body} GROUP BY ?c ?f ?i"),
        format!("SELECT (COUNT(DISTINCT *) AS ?n) {body}"),
        format!("SELECT DISTINCT * {body}"),
        format!("SELECT (COUNT(*) AS ?n) {body}"),
        format!("SELECT ?a (COUNT(*) AS ?n) {body} GROUP BY ?a"),
    ]
}

#[test]
fn the_timeout_stops_every_query_with_memory_bounded() {
    let _alone = crate::common::exclusive();
    let store = store_arg();
    for text in cartesians() {
        for format in ["csv", "table", "xml"] {
            let started = Instant::now();
            let run = query(
                &[
                    "--store",
                    &store,
                    "--timeout",
                    "1",
                    "--format",
                    format,
                    &text,
                ],
                None,
            );
            assert_eq!(run.code, Some(2), "{text}: {}", run.stderr);
            assert!(
                run.stderr
                    .contains("ran longer than the 1s timeout and was stopped; --timeout"),
                "{text}: {}",
                run.stderr
            );
            // Generous: the default cap is 1 GiB, a second of work holds far less.
            assert!(run.peak_kib < 1_500_000, "{text}: {} KiB", run.peak_kib);
            eprintln!(
                "{format} {text}: stopped after {:?}, peak {} MiB",
                started.elapsed(),
                run.peak_kib >> 10
            );
        }
    }
}

#[test]
fn the_memory_cap_stops_what_would_grow_without_bound() {
    let _alone = crate::common::exclusive();
    let store = store_arg();
    // The others stream or hold little (a plain or DISTINCT answer grows only as fast as it is
    // written, a few groups hold a few counts): those are for the timeout.
    for text in &cartesians()[1..4] {
        let run = query(&["--store", &store, "--memory", "64", text], None);
        assert_refused(&run, &["more than the 64 MiB memory cap", "--memory MB"]);
        // The cap, plus what the process held before (the store, the binary), plus a margin.
        assert!(run.peak_kib < 400 << 10, "{text}: {} KiB", run.peak_kib);
        eprintln!("{text}: peak {} MiB", run.peak_kib >> 10);
    }
}

/// A copy of the default store with bytes flipped in the middle of each large table file.
fn damaged_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(default_store(), &dir.path().join("store"));
    let mut damaged = 0;
    for generation in std::fs::read_dir(dir.path().join("store"))
        .unwrap()
        .flatten()
    {
        let Ok(files) = std::fs::read_dir(generation.path().join("oxigraph")) else {
            continue;
        };
        for file in files.flatten() {
            let path = file.path();
            let mut bytes = std::fs::read(&path).unwrap();
            if path.extension().is_some_and(|e| e == "sst") && bytes.len() > 64 << 10 {
                let middle = bytes.len() / 2;
                for byte in &mut bytes[middle..middle + 64] {
                    *byte ^= 0xff;
                }
                std::fs::write(&path, bytes).unwrap();
                damaged += 1;
            }
        }
    }
    assert!(damaged > 0, "no table file to damage");
    dir
}

#[test]
fn a_damaged_store_ends_the_query_with_the_read_error() {
    let dir = damaged_store();
    let store = dir.path().join("store").display().to_string();
    let run = query(&["--store", &store, "SELECT * WHERE { ?s ?p ?o }"], None);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("reading the RDF store")
            && run.stderr.contains("checksum mismatch")
            && run.stderr.contains("run `kg build` again"),
        "{}",
        run.stderr
    );
    // Aggregates swallow read errors while they read (oxigraph's iterator repeats a read error
    // without moving on, and the evaluator collects them): the memory cap or the timeout ends
    // such a query.
    for limit in [["--memory", "100"], ["--timeout", "3"]] {
        let run = query(
            &[
                "--store",
                &store,
                limit[0],
                limit[1],
                "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            ],
            None,
        );
        assert_eq!(run.code, Some(2), "{}", run.stderr);
        assert!(
            run.stderr.contains("checksum mismatch")
                || run.stderr.contains("memory cap")
                || run.stderr.contains("timeout"),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_failed_query_leaves_the_output_file_as_it_was() {
    let store = store_arg();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("answer.csv");
    let file = target.display().to_string();
    let cases: [&[&str]; 4] = [
        &["SELECT * WHERE { ?s ?p "],
        &["--timeout", "1", CARTESIAN],
        &[
            "--memory",
            "64",
            "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f",
        ],
        &["SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"],
    ];
    for args in cases {
        std::fs::write(&target, "before\n").unwrap();
        let mut all = vec!["--store", &store, "-o", &file];
        all.extend_from_slice(args);
        let run = query(&all, None);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "before\n");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert_eq!(left.len(), 1, "{args:?} left {left:?}");
    }
}

#[test]
fn xml_refuses_a_literal_it_cannot_carry_before_writing() {
    let store = store_arg();
    let text = r#"SELECT ?x WHERE { VALUES ?x { "fine" "a\u0001b" } }"#;
    let run = query(&["--store", &store, "--format", "xml", text], None);
    assert_refused(&run, &["U+0001", "?x = \"a\\u0001b\"", "json"]);
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("answer.srx");
    let run = query(
        &["--store", &store, "-o", &target.display().to_string(), text],
        None,
    );
    assert_refused(&run, &["U+0001"]);
    assert!(!target.exists());
    // Other formats escape it.
    let run = query(&["--store", &store, "--format", "json", text], None);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains(r"a\u0001b"), "{}", run.stdout);
}

#[test]
fn updates_and_services_are_refused_before_anything_is_written() {
    let store = store_arg();
    for text in [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "PREFIX ex: <urn:x:> DELETE WHERE { ?s ex:p ?o }",
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "CLEAR ALL",
        "insert { ?s ?p ?o } where {",
    ] {
        let run = query(&["--store", &store, text], None);
        assert_refused(
            &run,
            &[
                "kg query reads the graph and does not change it",
                "kg build",
            ],
        );
    }
    for text in [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE SILENT ?e { ?s ?p ?o } } }",
    ] {
        let run = query(&["--store", &store, "--format", "csv", text], None);
        assert_refused(&run, &["kg query does not call other endpoints"]);
    }
}

#[test]
fn numeric_flags_out_of_range_name_the_flag() {
    let store = store_arg();
    for flag in [
        "--timeout",
        "--memory",
        "--max-length",
        "--max-depth",
        "--max-operators",
    ] {
        for value in ["0", "-1", "1e300", "18446744073709551616", "NaN", "inf"] {
            let run = query(&["--store", &store, flag, value, "ASK {}"], None);
            assert_eq!(run.code, Some(2), "{flag} {value}: {}", run.stderr);
            assert!(run.stderr.contains(flag), "{flag} {value}: {}", run.stderr);
        }
    }
}

#[test]
fn a_closed_pipe_ends_a_streaming_query_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kg"))
        .args(["query", "--format", "csv", "--store"])
        .arg(default_store())
        .arg(CARTESIAN)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut head = [0_u8; 1024];
    std::io::Read::read_exact(&mut stdout, &mut head).unwrap();
    drop(stdout);
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running after the pipe closed"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
}
