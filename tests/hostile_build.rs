//! `kg build` against hostile inputs and faults: a disk that fills up in each phase of the
//! write, a read-only store, a stdout that cannot be written, files that are not files, entity
//! bombs, and inputs whose size once made the build's work or its messages grow without bound.
//!
//! Tests that need a small file system mount a tmpfs (root only, as in CI); elsewhere they skip
//! with a message, or fail under `KG_REQUIRE_PEERS=1`.

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{MINI_PREFIXES, ask, build_fixture, mini_fixture, missing};

/// `kg build` of a fixture, killed if it runs past `limit`: a hang fails the test instead of
/// blocking it.
fn build_within(fixture: &Path, store: &Path, extra: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("kg"))
        .env_remove("KG_STORE")
        .arg("build")
        .arg("--data")
        .arg(fixture.join("data"))
        .arg("--ontology")
        .arg(fixture.join("ontology"))
        .arg("--store")
        .arg(store)
        .arg("--quiet")
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kg runs");
    let started = Instant::now();
    while child.try_wait().expect("wait for kg").is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kg build still running after {limit:?}: it hangs or its work is unbounded");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("kg output")
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn current(store: &Path) -> String {
    fs::read_to_string(store.join("CURRENT")).expect("CURRENT exists")
}

/// The previous graph answers, and the failed build left nothing behind in the store folder:
/// no generation but the current and previous ones, no temporary pointer file.
fn assert_previous_graph_intact(store: &Path, before: &str) {
    assert_eq!(current(store), before, "a failed build switched the graph");
    let keep: Vec<String> = ["CURRENT", "PREVIOUS"]
        .iter()
        .filter_map(|p| fs::read_to_string(store.join(p)).ok())
        .map(|s| s.trim().to_owned())
        .collect();
    for entry in fs::read_dir(store).expect("store folder").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            Path::new(&name).extension().is_none_or(|e| e != "tmp"),
            "{name} left in the store folder by a failed build"
        );
        if name.starts_with("gen-") {
            assert!(
                keep.contains(&name),
                "generation {name} left by a failed build"
            );
        }
    }
    assert!(ask(
        store,
        &format!("{MINI_PREFIXES}ASK {{ mini:alice ex:worksFor mini:acme }}")
    ));
}

/// A tmpfs of a given size, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(kib: u64) -> Option<Self> {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .output();
        match mounted {
            Ok(output) if output.status.success() => Some(Self { dir }),
            Ok(output) => {
                missing(&format!(
                    "cannot mount a tmpfs to fill up ({}): run the tests as root, as CI does",
                    String::from_utf8_lossy(&output.stderr).trim()
                ));
                None
            }
            Err(e) => {
                missing(&format!(
                    "cannot run mount ({e}): it makes a small disk to fill up"
                ));
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the file system but for `free` bytes, with `filler` (which `unfill` removes).
    fn fill(&self, free: u64) {
        let path = self.path().join("filler");
        let mut file = File::create(&path).expect("filler");
        let chunk = vec![0_u8; 1 << 16];
        let mut written = 0_u64;
        loop {
            match file.write(&chunk) {
                Ok(0) => break,
                Ok(n) => written += n as u64,
                Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
                Err(e) => panic!("filling the tmpfs: {e}"),
            }
        }
        assert!(
            written > free,
            "the tmpfs is too small to leave {free} bytes"
        );
        file.set_len(written - free).expect("free some space");
    }

    fn unfill(&self) {
        fs::remove_file(self.path().join("filler")).expect("remove the filler");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmounted = Command::new("umount").arg(self.dir.path()).status();
        if !unmounted.is_ok_and(|s| s.success()) {
            let _ = Command::new("umount")
                .arg("-l")
                .arg(self.dir.path())
                .status();
        }
    }
}

/// A folder bind-mounted read-only over itself, unmounted when dropped.
struct ReadOnly<'a>(&'a Path);

impl<'a> ReadOnly<'a> {
    fn mount(dir: &'a Path) -> Option<Self> {
        let run = |args: &[&str]| {
            Command::new("mount")
                .args(args)
                .arg(dir)
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success())
        };
        if !run(&["--bind"]) {
            missing("cannot bind-mount a folder read-only: run the tests as root, as CI does");
            return None;
        }
        let mounted = Self(dir);
        let remounted = Command::new("mount")
            .args(["-o", "remount,ro,bind"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
        assert!(remounted, "remounting {} read-only failed", dir.display());
        Some(mounted)
    }
}

impl Drop for ReadOnly<'_> {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0).status();
    }
}

/// Bytes a file or folder takes on its file system.
fn allocated(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    let metadata = fs::metadata(path).expect("metadata");
    if metadata.is_dir() {
        fs::read_dir(path)
            .expect("folder")
            .flatten()
            .map(|e| allocated(&e.path()))
            .sum()
    } else {
        metadata.blocks() * 512
    }
}

/// The mini fixture plus entities with long, repetitive labels: the projection (which keeps
/// the labels as they are) is larger than the compressed RDF store, so a disk can be full
/// enough to fail the projection after the store was written.
fn fixture_with_long_labels() -> tempfile::TempDir {
    let fixture = mini_fixture();
    let mut crowd = String::from("id,type,rdfs:label@en,source,sentences\n");
    for i in 0..400 {
        let label = "lorem ipsum dolor sit amet ".repeat(100);
        writeln!(crowd, "crowd{i},ex:Person,{label}{i},notes,1").unwrap();
    }
    fs::write(fixture.path().join("data/crowd.csv"), crowd).unwrap();
    fixture
}

#[test]
fn a_full_disk_fails_each_phase_cleanly_and_the_next_build_works() {
    let Some(disk) = Tmpfs::mount(48 * 1024) else {
        return;
    };
    let fixture = fixture_with_long_labels();
    let store = disk.path().join("store");
    build_fixture(fixture.path(), &store, &[]).success();
    let before = current(&store);
    // The new generation takes what the current one takes (same inputs).
    let generation = store.join(before.trim());
    let rdf = allocated(&generation.join("oxigraph"));
    let projection = allocated(&generation.join("graph.kgp"));
    let meta = allocated(&generation.join("meta.json"));
    let page = 4096;
    // Free space for each phase to fail in, by the file it fails on; then nearby sizes, for a
    // store whose size varies by a page from one build to the next.
    let phases = [
        ("RDF store", "oxigraph", rdf / 2),
        ("projection", "graph.kgp", rdf + projection / 2),
        ("meta.json", "meta.json", rdf + projection),
        ("PREVIOUS", ".PREVIOUS.tmp", rdf + projection + meta),
        ("CURRENT", ".CURRENT.tmp", rdf + projection + meta + page),
    ];
    let mut missed = Vec::new();
    for (phase, file, free) in phases {
        let mut hit = false;
        for free in [free, free - page, free + page, free - 2 * page] {
            disk.fill(free);
            let output = build_within(fixture.path(), &store, &[], Duration::from_secs(300));
            disk.unfill();
            let stderr = stderr_of(&output);
            if output.status.success() {
                // Enough room after all: back to one generation, as before.
                let previous = fs::read_to_string(store.join("PREVIOUS")).unwrap();
                fs::remove_dir_all(store.join(previous.trim())).unwrap();
                fs::remove_file(store.join("PREVIOUS")).unwrap();
                continue;
            }
            assert_eq!(output.status.code(), Some(2), "{stderr}");
            assert_eq!(
                stderr.matches("No space left on device").count(),
                1,
                "the disk error must be said once:\n{stderr}"
            );
            assert!(stderr.contains("the previous graph"), "{stderr}");
            assert_previous_graph_intact(&store, &before);
            if stderr.contains(file) {
                hit = true;
                break;
            }
        }
        if !hit {
            missed.push(phase);
        }
    }
    assert!(
        missed.is_empty(),
        "no build failed in the phases {missed:?}"
    );
    // Space is back: the lock is free and the build goes through.
    build_fixture(fixture.path(), &store, &[]).success();
    assert_ne!(current(&store), before);
}

/// The mini fixture plus `rows` people, 16 quads each.
fn fixture_with_crowd(rows: usize) -> tempfile::TempDir {
    let fixture = mini_fixture();
    let mut crowd = String::from("id,type,rdfs:label@en,source,sentences\n");
    for i in 0..rows {
        writeln!(crowd, "p{i},ex:Person,Person number {i},notes,1").unwrap();
    }
    fs::write(fixture.path().join("data/crowd.csv"), crowd).unwrap();
    fixture
}

#[test]
fn a_disk_that_fills_during_the_load_ends_the_build_at_several_sizes() {
    // 100,000 rows are 1.6M quads: the writer's error surfaces when its third batch is handed
    // over (768k quads in), while the reading side still has batches to send, as when 5M
    // triples hung forever on a 40 MB disk (the reading side blocked, the lock held).
    let big = fixture_with_crowd(100_000);
    let small = mini_fixture();
    for mib in [2, 8, 24] {
        let Some(disk) = Tmpfs::mount(mib * 1024) else {
            return;
        };
        let store = disk.path().join("store");
        build_fixture(small.path(), &store, &[]).success();
        let before = current(&store);
        let output = build_within(big.path(), &store, &[], Duration::from_secs(180));
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{mib} MiB: {stderr}");
        assert_eq!(
            stderr.matches("No space left on device").count(),
            1,
            "{mib} MiB: the disk error must be said once:\n{stderr}"
        );
        assert!(
            stderr.contains("the previous graph") && stderr.contains("is unchanged"),
            "{mib} MiB: {stderr}"
        );
        assert_previous_graph_intact(&store, &before);
        // The lock was released: the next build goes through.
        build_fixture(small.path(), &store, &[]).success();
        assert_ne!(current(&store), before, "{mib} MiB");
    }
}

#[test]
fn a_failed_pointer_swap_keeps_the_previous_graph() {
    let fixture = mini_fixture();
    let store = fixture.path().join("store");
    build_fixture(fixture.path(), &store, &[]).success();
    let before = current(&store);
    // Something in the way of the new CURRENT: the write fails at the very last step.
    fs::create_dir(store.join(".CURRENT.tmp")).unwrap();
    fs::write(store.join(".CURRENT.tmp/keep"), "x").unwrap();
    let output = build_fixture(fixture.path(), &store, &[])
        .get_output()
        .clone();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(".CURRENT.tmp"), "{stderr}");
    assert_eq!(stderr.matches("Is a directory").count(), 1, "{stderr}");
    fs::remove_dir_all(store.join(".CURRENT.tmp")).unwrap();
    assert_previous_graph_intact(&store, &before);
    build_fixture(fixture.path(), &store, &[]).success();
}

#[test]
fn a_read_only_store_says_its_cause_once() {
    let fixture = mini_fixture();
    let store = fixture.path().join("store");
    build_fixture(fixture.path(), &store, &[]).success();
    let before = current(&store);
    // Root ignores permissions: a read-only bind mount stops even root.
    let Some(mount) = ReadOnly::mount(&store) else {
        return;
    };
    let output = build_fixture(fixture.path(), &store, &[])
        .get_output()
        .clone();
    let answered = ask(
        &store,
        &format!("{MINI_PREFIXES}ASK {{ mini:alice ex:worksFor mini:acme }}"),
    );
    drop(mount);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("build.lock"), "{stderr}");
    assert_eq!(
        stderr.matches("Read-only file system").count(),
        1,
        "the cause must be said once:\n{stderr}"
    );
    assert!(answered, "a read-only store must still answer queries");
    assert_eq!(current(&store), before);
}

#[test]
fn a_summary_that_cannot_be_written_says_the_graph_was_built() {
    let fixture = mini_fixture();
    let store = fixture.path().join("store");
    let output = Command::new(assert_cmd::cargo::cargo_bin("kg"))
        .env_remove("KG_STORE")
        .arg("build")
        .arg("--data")
        .arg(fixture.path().join("data"))
        .arg("--ontology")
        .arg(fixture.path().join("ontology"))
        .arg("--store")
        .arg(&store)
        .arg("--quiet")
        .stdout(File::create("/dev/full").expect("/dev/full"))
        .output()
        .expect("kg runs");
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("the graph was built in")
            && stderr.contains("summary could not be written"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("No space left on device").count(),
        1,
        "{stderr}"
    );
    assert!(ask(
        &store,
        &format!("{MINI_PREFIXES}ASK {{ mini:alice ex:worksFor mini:acme }}")
    ));
}

#[test]
fn a_failed_first_build_leaves_no_store_folder() {
    let fixture = mini_fixture();
    fs::write(fixture.path().join("data/bad.csv"), "x,y\n1,2\n").unwrap();
    let store = fixture.path().join("new-store");
    build_fixture(fixture.path(), &store, &[]).code(2);
    assert!(
        !store.exists(),
        "a failed first build left {:?}",
        fs::read_dir(&store).map(|d| d.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
    );
}

#[test]
fn a_generation_folder_is_not_a_store() {
    let fixture = mini_fixture();
    let store = fixture.path().join("store");
    build_fixture(fixture.path(), &store, &[]).success();
    let generation = store.join(current(&store).trim());
    let output = build_fixture(fixture.path(), &generation, &[])
        .get_output()
        .clone();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is one generation of a store"), "{stderr}");
    assert!(!generation.join("build.lock").exists());
}

#[test]
fn fifos_and_devices_in_the_data_are_skipped() {
    let fixture = mini_fixture();
    let data = fixture.path().join("data");
    let fifo = Command::new("mkfifo")
        .arg(data.join("pipe.csv"))
        .status()
        .is_ok_and(|s| s.success());
    assert!(fifo, "mkfifo failed");
    std::os::unix::fs::symlink("/dev/zero", data.join("zero.csv")).unwrap();
    std::os::unix::fs::symlink("nowhere.csv", data.join("dangling.csv")).unwrap();
    // A folder that links back to the data folder is read once.
    std::os::unix::fs::symlink("..", data.join("loop")).unwrap();
    let store = fixture.path().join("store");
    let output = build_within(fixture.path(), &store, &[], Duration::from_secs(120));
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for warning in [
        "pipe.csv: warning: skipped: not a regular file (a FIFO)",
        "zero.csv: warning: skipped: not a regular file (a character device)",
        "dangling.csv: warning: skipped: not a regular file (a broken symbolic link)",
    ] {
        assert!(stderr.contains(warning), "no {warning:?} in:\n{stderr}");
    }
}

#[test]
fn entity_expansion_is_refused_before_it_grows() {
    let fixture = mini_fixture();
    // The classic "billion laughs", with five levels instead of nine so that a kg that
    // expands it (to 300 kB, not 3 GB) fails this test cheaply.
    let mut entities = String::from("  <!ENTITY lol \"lol\">\n");
    for level in 1..=5 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        writeln!(
            entities,
            "  <!ENTITY lol{level} \"{}\">",
            format!("&{previous};").repeat(10)
        )
        .unwrap();
    }
    let laughs = format!(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n{entities}]>\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
         xmlns:rdfs=\"http://www.w3.org/2000/01/rdf-schema#\">\n\
         <rdf:Description rdf:about=\"https://example.org/mini/id/alice\">\
         <rdfs:comment>&lol5;</rdfs:comment></rdf:Description>\n</rdf:RDF>\n"
    );
    assert!(laughs.len() < 1000);
    fs::write(fixture.path().join("data/laughs.rdf"), laughs).unwrap();
    let store = fixture.path().join("store");
    let output = build_within(fixture.path(), &store, &[], Duration::from_secs(60));
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("laughs.rdf:4:3: error: refused entity declaration"),
        "{stderr}"
    );
}

#[test]
fn a_huge_header_is_checked_in_linear_time() {
    let fixture = mini_fixture();
    // A million distinct columns: about 5 s in a debug build; the quadratic duplicate check
    // this replaces compared 5 * 10^11 pairs of names (100,000 columns took 44 s).
    let columns = 1_000_000;
    let mut header = String::from("id,type");
    for i in 0..columns {
        write!(header, ",c{i}").unwrap();
    }
    fs::write(fixture.path().join("data/wide.csv"), header + "\n").unwrap();
    let store = fixture.path().join("store");
    let output = build_within(fixture.path(), &store, &[], Duration::from_secs(120));
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("build failed: {columns} error(s)"))
            && stderr.contains(&format!("… and {} more errors", columns - 200)),
        "{}",
        stderr.lines().last().unwrap_or_default()
    );
}

#[test]
fn a_huge_unknown_value_is_cut_in_messages_and_costs_no_search() {
    let fixture = mini_fixture();
    let huge = "b".repeat(1_000_000);
    let relations = format!(
        "subject,predicate,object,source,sentences\nalice,knows,{huge},notes,3\n\
         alice,knows,bob{huge},notes,3\n"
    );
    fs::write(fixture.path().join("data/more.csv"), relations).unwrap();
    let store = fixture.path().join("store");
    let output = build_within(fixture.path(), &store, &[], Duration::from_secs(120));
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.len() < 2_000, "{} bytes of messages", stderr.len());
    assert!(
        stderr.contains("unknown entity \"bbbb") && stderr.contains("\"…(999800 more bytes)"),
        "{stderr}"
    );
}

#[test]
fn a_long_unknown_id_among_many_entities_is_cheap() {
    let fixture = mini_fixture();
    let mut people = String::from("id,type,rdfs:label@en,source,sentences\n");
    for i in 0..5_000 {
        writeln!(people, "person_{i},ex:Person,Person {i},notes,1").unwrap();
    }
    fs::write(fixture.path().join("data/crowd.csv"), people).unwrap();
    // Close to an id, but far too long to be its typo. Comparing one such name with every id
    // took 40 s in a debug build: eight of them would take five minutes.
    let mut relations = String::from("subject,predicate,object,source,sentences\n");
    for i in 0..8 {
        let long = format!("person_{i}{}", "x".repeat(20_000));
        writeln!(relations, "alice,knows,{long},notes,3").unwrap();
    }
    fs::write(fixture.path().join("data/more.csv"), relations).unwrap();
    let store = fixture.path().join("store");
    let output = build_within(fixture.path(), &store, &[], Duration::from_secs(120));
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unknown entity \"person_1xx"), "{stderr}");
    assert!(stderr.contains("build failed: 8 error(s)"), "{stderr}");
}

#[test]
fn a_field_past_the_limit_is_refused_where_it_starts() {
    let fixture = mini_fixture();
    let huge = "a".repeat(3 << 20);
    let table = format!("id,type,rdfs:label@en,source,sentences\ndave,ex:Person,{huge},notes,1\n");
    fs::write(fixture.path().join("data/more.csv"), table).unwrap();
    let store = fixture.path().join("store");
    let output = build_within(fixture.path(), &store, &[], Duration::from_secs(120));
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("more.csv:2:3: error: the field is longer than 1048576 bytes"),
        "{stderr}"
    );
    // The flag raises the limit.
    let output = build_within(
        fixture.path(),
        &store,
        &["--max-field-size", "4194304"],
        Duration::from_secs(120),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(ask(
        &store,
        &format!("{MINI_PREFIXES}ASK {{ mini:dave a ex:Person }}")
    ));
}
