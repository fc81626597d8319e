//! Helpers shared by the integration tests: the `kg` binary, fixture folders, stores.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A folder of the shared material beside the repository (`shared/<relative>` in the folder that
/// holds the clone, or in one of its ancestors), unless the environment variable `variable`
/// names it.
pub fn shared(variable: &str, relative: &str) -> PathBuf {
    if let Some(dir) = std::env::var_os(variable) {
        return PathBuf::from(dir);
    }
    let root = root();
    root.ancestors()
        .skip(1)
        .map(|ancestor| ancestor.join("shared").join(relative))
        .find(|candidate| candidate.exists())
        .unwrap_or_else(|| root.join("../shared").join(relative))
}

/// A `kg` command with no inherited store setting.
pub fn kg() -> Command {
    let mut command = Command::cargo_bin("kg").expect("the kg binary is built");
    command.env_remove("KG_STORE").env("NO_COLOR", "1");
    command
}

/// A CSV file as (header, rows).
pub fn read_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("{} is readable CSV: {e}", path.display()));
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// Where the column `name` is in a table's header.
pub fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The JSON a successful command printed (its stderr in the failure message otherwise).
pub fn json_of(output: &std::process::Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// Copies a folder tree (files only).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable fixture") {
        let entry = entry.expect("readable entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            std::fs::create_dir_all(&target).expect("create folder");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::create_dir_all(to).expect("create folder");
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A temporary copy of the mini fixture (`tests/data/mini`): `ontology/` and `data/`.
pub fn mini_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(&root().join("tests/data/mini"), dir.path());
    dir
}

/// `kg build` of a fixture folder (with `data/` and `ontology/`) into `store`.
pub fn build_fixture(fixture: &Path, store: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    kg().arg("build")
        .arg("--data")
        .arg(fixture.join("data"))
        .arg("--ontology")
        .arg(fixture.join("ontology"))
        .arg("--store")
        .arg(store)
        .arg("--quiet")
        .args(extra)
        .assert()
}

/// Prefixes of the mini fixture, for ASK queries in tests.
pub const MINI_PREFIXES: &str =
    "PREFIX ex: <https://example.org/mini#> PREFIX mini: <https://example.org/mini/id/>\n";

/// Runs an ASK query and says whether it is true (exit 0) or false (exit 1).
pub fn ask(store: &Path, query: &str) -> bool {
    let output = kg()
        .args(["query", "--format", "json", "--store"])
        .arg(store)
        .arg(query)
        .output()
        .expect("kg runs");
    match output.status.code() {
        Some(0) => true,
        Some(1) => false,
        other => panic!(
            "kg query failed ({other:?}): {}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// A store of the embedded default graph, built once per test binary.
pub fn default_store() -> &'static Path {
    use std::sync::OnceLock;
    static STORE: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = STORE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        kg().args(["build", "--quiet", "--store"])
            .arg(dir.path().join("store"))
            .assert()
            .success();
        dir
    });
    Box::leak(dir.path().join("store").into_boxed_path())
}

/// Says why a peer is missing: fails under `KG_REQUIRE_PEERS=1` (CI), else skips with a message.
pub fn missing(message: &str) {
    assert!(
        std::env::var("KG_REQUIRE_PEERS").as_deref() != Ok("1"),
        "peer missing: {message}"
    );
    eprintln!("skipped: {message}");
}

/// The Python with the peers installed (`KG_PYTHON`, else the project's `.venv`), when it can
/// import `module`.
pub fn python_with(module: &str) -> Option<PathBuf> {
    let python = std::env::var_os("KG_PYTHON")
        .map_or_else(|| root().join(".venv/bin/python"), PathBuf::from);
    let works = std::process::Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if works {
        return Some(python);
    }
    missing(&format!(
        "{} cannot import {module}: run scripts/test (it makes .venv with the Python peers) or set KG_PYTHON",
        python.display()
    ));
    None
}

/// A lock for tests that must not overlap: the ones that load the machine on purpose (queries
/// that run to their timeout or memory cap) and the browser test, whose page steps time out
/// when it shares two cores with them.
pub fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
