//! Hostile text on the terminal: labels, ids, aliases, descriptions, attribute values, relation
//! and class labels, document labels and cited sentences holding ESC sequences, NUL, bells,
//! line breaks, C1 controls, Unicode line separators and bidirectional overrides. Every human
//! output of `kg lookup`, `kg path`, `kg neighbors`, `kg rank`, `kg export`'s notes and errors,
//! `kg generate` and the "did you mean" and "ambiguous" messages must show them escaped: no raw
//! control character reaches stdout or stderr, and no label can fake an output line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sha2::{Digest as _, Sha256};

use crate::common::{build_fixture, copy_tree, kg, root};

/// A label that clears the screen, fakes a `kg:` line, holds NUL, a line separator, a
/// right-to-left override, a C1 CSI and a tab.
const EVIL_LABEL: &str =
    "Evil\u{1b}[2J\nkg: fake line\u{0}nul\u{2028}ls\u{202e}rlo\u{9b}c1\ttab\u{7}";

/// An id with a right-to-left override (ids may hold any character but controls).
const EVIL_ID: &str = "evil\u{202e}id\u{2066}";

/// The text of the fixture's source document: cited sentences with escapes.
const NOTES: &str = "Alice met Bob.\nEvil said \u{1b}[31mred\u{1b}[0m and\u{2028}split.\n\
    Third \u{202e}esrever sentence.\nFourth sentence.\nFifth \u{7}bell.\n";

/// A CSV field, quoted.
fn field(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The mini fixture plus hostile entities, relation, attribute, class, document and sentences,
/// built once per test run.
fn store() -> &'static Path {
    static BUILT: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let fixture = dir.path().join("fixture");
        copy_tree(&root().join("tests/data/mini"), &fixture);
        let data = fixture.join("data");
        std::fs::create_dir_all(data.join("sources")).expect("sources folder");
        std::fs::write(data.join("sources/notes.txt"), NOTES).expect("notes.txt");
        let digest: String = Sha256::digest(NOTES.as_bytes())
            .iter()
            .fold(String::new(), |mut hex, byte| {
                let _ = write!(hex, "{byte:02x}");
                hex
            });
        std::fs::write(
            data.join("documents.csv"),
            format!(
                "id,type,rdfs:label@en,kg:sentenceCount,kg:sha256\nnotes,kg:Document,{},5,{digest}\n",
                field("Test \u{1b}]0;title\u{7}notes")
            ),
        )
        .expect("documents.csv");
        let people = data.join("people.csv");
        let mut text = std::fs::read_to_string(&people).expect("people.csv");
        // Columns: id,type,rdfs:label@en,skos:altLabel@en[],ex:birthDate,source,sentences
        for (id, label, alias) in [
            (EVIL_ID, EVIL_LABEL, "al\u{1b}ias"),
            ("twin1", "Twin\u{1b}[1m", ""),
            ("twin2", "Twin\u{1b}[1m", ""),
            ("iso", "Isolated", ""),
        ] {
            writeln!(
                text,
                "{},ex:Person,{},{},,notes,2",
                field(id),
                field(label),
                field(alias)
            )
            .expect("write");
        }
        std::fs::write(&people, text).expect("people.csv");
        let id = field(EVIL_ID);
        std::fs::write(
            data.join("hostile.csv"),
            format!(
                "subject,predicate,object,lang,source,sentences\n\
                 {id},ex:hostile,alice,,notes,2\n\
                 {id},ex:nickname,{},,notes,3\n\
                 {id},rdfs:comment,{},en,notes,3\n",
                field("nick\u{1b}[5m\nname\u{85}"),
                field("about\u{1b}[7m\u{2029}x"),
            ),
        )
        .expect("hostile.csv");
        std::fs::write(
            fixture.join("ontology/hostile.ttl"),
            "@prefix ex: <https://example.org/mini#> .\n\
             @prefix owl: <http://www.w3.org/2002/07/owl#> .\n\
             @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
             ex:hostile a owl:ObjectProperty ; rdfs:label \"host\\u001B[31mile\\nkg: fake rel\"@en .\n\
             ex:nickname a owl:DatatypeProperty ; rdfs:label \"nick\\u001Bname\"@en .\n\
             ex:Villain a owl:Class ; rdfs:subClassOf ex:Person ; rdfs:label \"vil\\u001Blain\\u202E\"@en .\n",
        )
        .expect("hostile.ttl");
        build_fixture(&fixture, &dir.path().join("store"), &[]).success();
        dir
    });
    Box::leak(dir.path().join("store").into_boxed_path())
}

/// The characters a terminal must never receive raw (line feeds separate lines and are fine).
fn is_hostile(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Checks one stream: no hostile character, and no line that a label faked.
pub(crate) fn check_terminal_text(what: &str, args: &[String], text: &str) {
    if let Some(c) = text.chars().find(|&c| is_hostile(c)) {
        panic!("kg {args:?}: raw {c:?} on {what}:\n{text:?}");
    }
    for line in text.lines() {
        assert!(
            !line.starts_with("kg: fake"),
            "kg {args:?}: a label faked a line on {what}:\n{text}"
        );
    }
}

/// Runs kg on the hostile store, checks the exit code and both streams; gives stdout and stderr.
fn run(args: &[&str], code: i32, check_stdout: bool) -> (String, String) {
    let args: Vec<String> = args.iter().map(|&a| a.to_owned()).collect();
    let output = kg()
        .args(&args)
        .arg("--store")
        .arg(store())
        .output()
        .expect("kg runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8 stdout");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    assert_eq!(
        output.status.code(),
        Some(code),
        "kg {args:?}:\n{stdout}\n{stderr}"
    );
    if check_stdout {
        check_terminal_text("stdout", &args, &stdout);
    }
    check_terminal_text("stderr", &args, &stderr);
    (stdout, stderr)
}

#[test]
fn lookup_path_neighbors_and_rank_escape_the_data() {
    let (card, _) = run(&["lookup", EVIL_ID], 0, true);
    // Everything is there, escaped: label, id, alias, description, attribute, relation,
    // document label and cited sentence.
    for shown in [
        "Evil\\u{1b}[2J\\nkg: fake line\\0nul\\u{2028}ls\\u{202e}rlo\\u{9b}c1\\ttab\\u{7}",
        "evil\\u{202e}id\\u{2066}",
        "al\\u{1b}ias",
        "about\\u{1b}[7m\\u{2029}x",
        "nick\\u{1b}name: nick\\u{1b}[5m\\nname\\u{85}",
        "host\\u{1b}[31mile\\nkg: fake rel",
        "Evil said \\u{1b}[31mred\\u{1b}[0m and\\u{2028}split.",
        "Third \\u{202e}esrever sentence.",
    ] {
        assert!(card.contains(shown), "{shown:?} not in\n{card}");
    }
    run(&["lookup", "alice", "--direction", "in"], 0, true);
    let (paths, _) = run(&["path", EVIL_ID, "bob", "--k", "3"], 0, true);
    assert!(paths.contains("host\\u{1b}[31mile"), "{paths}");
    let (none, _) = run(&["path", EVIL_ID, "iso"], 1, true);
    assert!(none.contains("no path from Evil\\u{1b}"), "{none}");
    run(&["neighbors", EVIL_ID, "--hops", "2"], 0, true);
    let (table, _) = run(&["rank", "--top", "50"], 0, true);
    assert!(table.contains("Evil\\u{1b}[2J"), "{table}");
    run(&["rank", "--by", "pagerank", "--directed"], 0, true);
}

#[test]
fn messages_that_echo_names_escape_them() {
    // "Did you mean" with a hostile label; the typed name holds an ESC too.
    let (_, stderr) = run(&["lookup", "Evil kg fake lin\u{1b}[2J"], 1, true);
    assert!(
        stderr.contains("did you mean Evil\\u{1b}[2J\\nkg: fake line"),
        "{stderr}"
    );
    for command in ["path", "neighbors"] {
        let mut args = vec![command, "Evil kg fake lin\u{2028}"];
        if command == "path" {
            args.push("bob");
        }
        let (_, stderr) = run(&args, 1, true);
        assert!(stderr.contains("did you mean"), "{stderr}");
    }
    // Ambiguous: the candidates are listed escaped.
    let (_, stderr) = run(&["lookup", "Twin\u{1b}[1m"], 2, true);
    assert!(stderr.contains("Twin\\u{1b}[1m (twin1)"), "{stderr}");
    // Unknown relations and classes: the suggestions are hostile labels.
    let (_, stderr) = run(
        &["lookup", "alice", "--relation", "host ile kg fake rel"],
        2,
        true,
    );
    assert!(stderr.contains("did you mean"), "{stderr}");
    let (_, stderr) = run(
        &["path", "alice", "bob", "--via", "host ile kg fake rel"],
        2,
        true,
    );
    assert!(stderr.contains("did you mean"), "{stderr}");
    let (_, stderr) = run(&["export", "--class", "vilain", "--format", "dot"], 2, true);
    assert!(stderr.contains("did you mean vil\\u{1b}lain"), "{stderr}");
}

#[test]
fn export_notes_and_errors_escape_names_and_paths() {
    // A typed name that folds to a real one ("Iso\x1blated" is Isolated): the "no path" note
    // echoes it.
    let (_, stderr) = run(&["export", "--path", EVIL_ID, "Iso\u{1b}lated"], 1, true);
    assert!(stderr.contains("no path from"), "{stderr}");
    // The note naming the CSV files echoes a path holding an ESC and a line break.
    let dir = tempfile::tempdir().expect("temporary folder");
    let target: PathBuf = dir.path().join("a\u{1b}[31m\nkg: fake.csv");
    let target = target.to_str().expect("UTF-8 path");
    let (_, stderr) = run(&["export", "--around", EVIL_ID, "-o", target], 0, true);
    assert!(stderr.contains("wrote "), "{stderr}");
    // RDF/XML cannot carry the ESC of a literal: the error names it (stdout is the partial
    // XML document, data rather than text for people).
    let (_, stderr) = run(&["export", "--format", "rdfxml"], 2, false);
    assert!(stderr.contains("U+001B"), "{stderr}");
}

#[test]
fn generate_echoes_its_folder_escaped() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = dir.path().join("g\u{1b}[31m\nkg: fake");
    let output = kg()
        .args(["generate", "--quiet", "--triples", "3000", "--out"])
        .arg(&out)
        .output()
        .expect("kg runs");
    assert!(output.status.success());
    let args = vec!["generate".to_owned()];
    check_terminal_text("stdout", &args, &String::from_utf8_lossy(&output.stdout));
}

/// A generated store of about 70,000 entities (`kg generate --nodes 70000 --edges 100000`,
/// without provenance to keep the build short), built once per test run.
fn large_store() -> &'static Path {
    static BUILT: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let data = dir.path().join("dataset");
        kg().args(["generate", "--quiet", "--no-provenance"])
            .args(["--nodes", "70000", "--edges", "100000", "--out"])
            .arg(&data)
            .assert()
            .success();
        kg().args(["build", "--quiet", "--data"])
            .arg(data.join("data"))
            .arg("--ontology")
            .arg(data.join("ontology"))
            .arg("--store")
            .arg(dir.path().join("store"))
            .assert()
            .success();
        dir
    });
    Box::leak(dir.path().join("store").into_boxed_path())
}

/// "Did you mean" on a huge unknown name finishes in bounded time (it took more than a minute
/// on this store), and typos of real names are still suggested.
#[test]
fn huge_unknown_names_answer_in_bounded_time() {
    let store = large_store();
    // A hard outer bound, far above what the answer takes even in a debug build.
    let limit = std::time::Duration::from_secs(30);
    let huge_words = (0..20_000).fold(String::new(), |mut words, i| {
        let _ = write!(words, "w{i} ");
        words
    });
    // 120,000 characters of one word; 30,000 times a word that thousands of names hold (it
    // means that one word: ambiguous, the list cut); 20,000 distinct words.
    for (name, code, says) in [
        ("q".repeat(120_000), 1, "no entity is called"),
        ("wen ".repeat(30_000), 2, "is ambiguous"),
        (huge_words, 1, "no entity is called"),
    ] {
        let output = kg()
            .arg("lookup")
            .arg(&name)
            .arg("--store")
            .arg(store)
            .timeout(limit)
            .output()
            .expect("kg runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let start: String = stderr.chars().take(300).collect();
        assert_eq!(output.status.code(), Some(code), "{start}");
        assert!(stderr.contains(says), "{start}");
        // The message echoes a bounded part of the name and lists at most 20 candidates.
        assert!(stderr.len() < 4_000, "{} bytes: {start}", stderr.len());
    }
    for command in [&["lookup", "Wen Prk"][..], &["path", "Wen Prk", "p1"][..]] {
        let output = kg()
            .args(command)
            .arg("--store")
            .arg(store)
            .timeout(limit)
            .output()
            .expect("kg runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("did you mean Wen Park"), "{stderr}");
    }
}

/// Every flag that takes a number: command, flag, the other arguments it needs to run, and
/// whether 0 is a value it accepts (then the command must succeed with it).
const NUMERIC_FLAGS: &[(&str, &str, &[&str], bool)] = &[
    // Refused before anything is read (the shared store is never rebuilt).
    ("build", "--max-inferred", &["--quiet"], false),
    ("build", "--max-field-size", &["--quiet"], false),
    ("query", "--timeout", &["ASK {}"], false),
    ("query", "--memory", &["ASK {}"], false),
    ("query", "--max-length", &["ASK {}"], false),
    ("query", "--max-depth", &["ASK {}"], false),
    ("query", "--max-operators", &["ASK {}"], false),
    // The connection flags every reading command shares (one parser), exercised here.
    ("query", "--http-timeout", &["ASK {}"], false),
    ("query", "--retries", &["ASK {}"], true),
    ("query", "--page-size", &["ASK {}"], false),
    ("path", "--k", &["Witkoff", "Putin"], false),
    ("path", "--max-hops", &["Witkoff", "Putin"], false),
    ("path", "--max-paths", &["Witkoff", "Putin"], false),
    ("neighbors", "--hops", &["Witkoff"], false),
    ("neighbors", "--max-nodes", &["Witkoff"], false),
    ("rank", "--top", &[], false),
    (
        "export",
        "--hops",
        &["--around", "Witkoff", "--format", "node-link"],
        false,
    ),
    (
        "export",
        "--max-nodes",
        &["--around", "Witkoff", "--format", "node-link"],
        false,
    ),
    (
        "export",
        "--max-hops",
        &["--path", "Witkoff", "Putin", "--format", "node-link"],
        false,
    ),
    // Refused before the server starts (a value accepted would leave it running).
    ("serve", "--timeout", &["--bind", "127.0.0.1:0"], false),
    ("serve", "--workers", &["--bind", "127.0.0.1:0"], false),
    // 0 is a valid queue (nothing waits) and would start the server: its other values only.
    ("serve", "--queue", &["--bind", "127.0.0.1:0"], true),
    ("serve", "--memory", &["--bind", "127.0.0.1:0"], false),
    ("serve", "--max-body", &["--bind", "127.0.0.1:0"], false),
    ("serve", "--max-rows", &["--bind", "127.0.0.1:0"], false),
    ("serve", "--api-threads", &["--bind", "127.0.0.1:0"], false),
    ("serve", "--max-nodes", &["--bind", "127.0.0.1:0"], false),
    ("serve", "--read-timeout", &["--bind", "127.0.0.1:0"], false),
    // Refused before anything is sent (port 9 would refuse the connection anyway).
    (
        "push",
        "--batch-size",
        &["--endpoint", "http://127.0.0.1:9/sparql"],
        false,
    ),
    ("generate", "--triples", &["--quiet"], false),
    ("generate", "--nodes", &["--quiet", "--edges", "10"], false),
    // A graph without relation rows, and seed 0, are fine.
    ("generate", "--edges", &["--quiet", "--nodes", "100"], true),
    (
        "generate",
        "--seed",
        &["--quiet", "--triples", "3000"],
        true,
    ),
];

/// The flags of the shared connection settings and the remote graph (with `--endpoint`), on
/// every command that reads a graph; their numeric ones are exercised on `kg query` above.
const CONNECTION_FLAGS: &[&str] = &[
    "--endpoint",
    "--remote-graph",
    "--user",
    "--password-file",
    "--token-file",
    "--auth",
    "--http-timeout",
    "--retries",
    "--cache",
    "--page-size",
];

/// Every other flag that takes a value, by command (the connection flags aside).
const OTHER_VALUE_FLAGS: &[(&str, &[&str])] = &[
    (
        "build",
        &[
            "--data",
            "--ontology",
            "--sources",
            "--base",
            "--format",
            "--shapes",
            "--store",
        ],
    ),
    ("query", &["--file", "--format", "--output", "--store"]),
    (
        "lookup",
        &[
            "--relation",
            "--direction",
            "--format",
            "--output",
            "--store",
        ],
    ),
    (
        "path",
        &["--via", "--exclude", "--format", "--output", "--store"],
    ),
    (
        "neighbors",
        &["--via", "--exclude", "--format", "--output", "--store"],
    ),
    ("rank", &["--by", "--format", "--output", "--store"]),
    ("explain", &["--format", "--output", "--store"]),
    (
        "export",
        &[
            "--format",
            "--output",
            "--graph",
            "--around",
            "--path",
            "--class",
            "--relation",
            "--title",
            "--store",
        ],
    ),
    ("validate", &["--shapes", "--format", "--output", "--store"]),
    (
        "serve",
        &[
            "--bind",
            "--token-file",
            "--cors",
            "--inferred-graph",
            "--store",
        ],
    ),
    (
        "push",
        &[
            "--graph",
            "--update-url",
            "--graph-store-url",
            "--inference-graph",
            "--skip-graph",
            "--protocol",
            "--format",
            "--store",
        ],
    ),
    ("generate", &["--out"]),
    (
        "ingest",
        &[
            "--document-id",
            "--date",
            "--title",
            "--drop-lines",
            "--output",
            "--review",
            "--accept",
            "--format",
            "--store",
        ],
    ),
    ("sentences", &["--format", "--output"]),
    ("facts", &["--document", "--format", "--output", "--store"]),
    ("timeline", &["--format", "--output", "--store"]),
];

/// The commands that read a graph, with the connection flags.
const READING_COMMANDS: &[&str] = &[
    "query",
    "lookup",
    "path",
    "neighbors",
    "rank",
    "explain",
    "export",
    "validate",
    "push",
    "ingest",
    "facts",
    "timeline",
];

/// The subcommands `kg --help` lists.
fn subcommands() -> Vec<String> {
    let output = kg().arg("--help").output().expect("kg runs");
    let help = String::from_utf8_lossy(&output.stdout).into_owned();
    help.lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

/// The flags of a subcommand that take a value, from its `--help`.
fn value_flags(command: &str) -> Vec<String> {
    let output = kg().args([command, "--help"]).output().expect("kg runs");
    let help = String::from_utf8_lossy(&output.stdout).into_owned();
    help.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix('-').map_or(line, |rest| {
                // `-o, --output <FILE>`: skip the short name.
                if rest.starts_with('-') {
                    line
                } else {
                    rest.get(3..).unwrap_or("")
                }
            });
            let (flag, rest) = line.split_once(' ')?;
            (flag.starts_with("--") && rest.starts_with('<')).then(|| flag.to_owned())
        })
        .collect()
}

/// Every numeric flag of every command, given 0, -1, 1e300, 2^64, NaN and inf: exit 2 with a
/// message naming the flag (never a panic, never a hang), or success where 0 is accepted. The
/// lists above are checked against the help text, so a new flag cannot be forgotten.
#[test]
fn numeric_flags_refuse_what_is_not_a_count() {
    let mut listed: Vec<(String, String)> = NUMERIC_FLAGS
        .iter()
        .map(|(command, flag, _, _)| ((*command).to_owned(), (*flag).to_owned()))
        .chain(OTHER_VALUE_FLAGS.iter().flat_map(|(command, flags)| {
            flags
                .iter()
                .map(|flag| ((*command).to_owned(), (*flag).to_owned()))
        }))
        .chain(READING_COMMANDS.iter().flat_map(|command| {
            CONNECTION_FLAGS
                .iter()
                .filter(|flag| *command != "push" || **flag != "--remote-graph")
                .map(|flag| ((*command).to_owned(), (*flag).to_owned()))
        }))
        .collect();
    listed.sort();
    listed.dedup();
    let mut helped: Vec<(String, String)> = subcommands()
        .iter()
        .flat_map(|command| {
            value_flags(command)
                .into_iter()
                .map(|flag| (command.clone(), flag))
        })
        .collect();
    helped.sort();
    assert_eq!(
        helped, listed,
        "the help text's flags differ from the lists in this test: classify the new flag"
    );

    let store = crate::common::default_store();
    let out = tempfile::tempdir().expect("temporary folder");
    let values = ["0", "-1", "1e300", "18446744073709551616", "NaN", "inf"];
    let mut failures = Vec::new();
    for &(command, flag, base, zero_ok) in NUMERIC_FLAGS {
        for value in values {
            if command == "serve" && value == "0" && zero_ok {
                continue;
            }
            let mut cmd = kg();
            cmd.arg(command).args(base).arg(format!("{flag}={value}"));
            if command == "generate" {
                cmd.arg("--out").arg(out.path().join("generated"));
            } else {
                cmd.arg("--store").arg(store);
            }
            let output = cmd
                .timeout(std::time::Duration::from_secs(60))
                .output()
                .expect("kg runs");
            let stderr = String::from_utf8_lossy(&output.stderr);
            let code = output.status.code();
            let fine = if value == "0" && zero_ok {
                code == Some(0)
            } else {
                code == Some(2) && stderr.contains(flag) && !stderr.contains("panicked")
            };
            if !fine {
                let first: String = stderr.lines().take(2).collect::<Vec<_>>().join(" | ");
                failures.push(format!(
                    "kg {command} {flag}={value}: exit {code:?}: {first}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
