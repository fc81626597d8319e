//! Every case of `tests/data/bad-inputs/<case>/`: files laid over the mini fixture, and an
//! `expect` file saying what `kg build` must do:
//!
//! ```text
//! args --strict            extra arguments for kg build
//! exit 2                   the exit code
//! stderr TEXT              a line of stderr must contain TEXT
//! lines N TEXT             exactly N lines of stderr contain TEXT (0: none does)
//! ask ASK { … }            after the build, this ASK must be true (mini prefixes declared)
//! ```
//!
//! Failed builds must also leave the store built before them answering queries.

use crate::common::{MINI_PREFIXES, ask, build_fixture, copy_tree, mini_fixture, root};

#[test]
fn every_bad_input_case() {
    let cases = root().join("tests/data/bad-inputs");
    let mut names: Vec<_> = std::fs::read_dir(&cases)
        .expect("cases folder")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    assert!(
        names.len() >= 20,
        "expected the bad-input cases, found {}",
        names.len()
    );
    let mut failures = Vec::new();
    for case in names {
        if let Err(message) = run_case(&case) {
            failures.push(format!(
                "{}: {message}",
                case.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "failing cases:\n{}",
        failures.join("\n")
    );
}

fn run_case(case: &std::path::Path) -> Result<(), String> {
    let expect = std::fs::read_to_string(case.join("expect")).map_err(|e| e.to_string())?;
    let fixture = mini_fixture();
    let store = fixture.path().join("store");
    // A good graph first: a failed build must leave it intact.
    build_fixture(fixture.path(), &store, &[]).success();

    for folder in ["data", "ontology"] {
        if case.join(folder).is_dir() {
            copy_tree(&case.join(folder), &fixture.path().join(folder));
        }
    }
    let mut args = Vec::new();
    let mut exit = 0;
    let mut wanted = Vec::new();
    let mut counted = Vec::new();
    let mut asks = Vec::new();
    for line in expect.lines() {
        match line.split_once(' ') {
            Some(("args", rest)) => args.extend(rest.split_whitespace().map(str::to_owned)),
            Some(("exit", code)) => exit = code.parse().map_err(|_| "bad exit line")?,
            Some(("stderr", text)) => wanted.push(text.to_owned()),
            Some(("lines", rest)) => {
                let (n, text) = rest.split_once(' ').ok_or("bad lines line")?;
                counted.push((n.parse::<usize>().map_err(|_| "bad lines count")?, text));
            }
            Some(("ask", query)) => asks.push(query.to_owned()),
            _ => return Err(format!("bad expect line {line:?}")),
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = build_fixture(fixture.path(), &store, &args)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.code() != Some(exit) {
        return Err(format!(
            "exit {:?}, wanted {exit}; stderr:\n{stderr}",
            output.status.code()
        ));
    }
    for text in &wanted {
        if !stderr.lines().any(|l| l.contains(text.as_str())) {
            return Err(format!("stderr lacks {text:?}; stderr:\n{stderr}"));
        }
    }
    for (n, text) in &counted {
        let found = stderr.lines().filter(|l| l.contains(text)).count();
        if found != *n {
            return Err(format!(
                "{found} line(s) of stderr contain {text:?}, wanted {n}; stderr:\n{stderr}"
            ));
        }
    }
    for query in &asks {
        if !ask(&store, &format!("{MINI_PREFIXES}{query}")) {
            return Err(format!("false: {query}"));
        }
    }
    let still_there = format!("{MINI_PREFIXES}ASK {{ mini:alice ex:worksFor mini:acme }}");
    if exit != 0 && !ask(&store, &still_there) {
        return Err("the previous graph no longer answers".into());
    }
    Ok(())
}
