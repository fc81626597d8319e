//! `kg ingest`'s reading of articles, scored against hand-made gold: the three test articles
//! (`tests/data/ingest/*/gold.json`) and, when it is at hand, the seed article against the
//! curated data that cites it. Also: the build's sentence numbering of the seed article and of
//! the editorial notes is unchanged, sentence by sentence.
//!
//! `cargo test --test integration extract -- --nocapture` prints the figures.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use kg::extract::dates::Day;
use kg::extract::{Lexicon, Options, analyse};
use kg::ingest::text::sentences::split;
use kg::store::{LocalGraph, StoreDir};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{default_store, root};

fn lexicon() -> Lexicon {
    let graph = LocalGraph::open(StoreDir::new(default_store()).current().unwrap()).unwrap();
    Lexicon::read(&graph).unwrap()
}

fn seed_article() -> Option<PathBuf> {
    let article = crate::common::shared("KG_SOURCES", "sources").join("peace-talks-article.txt");
    if article.exists() {
        Some(article)
    } else {
        // A failure under KG_REQUIRE_PEERS=1 (CI): the seed figures are part of the issue.
        crate::common::missing(&format!(
            "{} not found; set KG_SOURCES to the folder holding peace-talks-article.txt",
            article.display()
        ));
        None
    }
}

/// Compares the build's split of `text` with a recorded split (number, character start and end,
/// SHA-256 of the words).
fn check_split(text: &str, expected: &Path) {
    let mut reader = csv::Reader::from_path(expected).unwrap();
    let recorded: Vec<(u64, usize, usize, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].parse().unwrap(),
                r[1].parse().unwrap(),
                r[2].parse().unwrap(),
                r[3].to_owned(),
            )
        })
        .collect();
    let actual: Vec<(u64, usize, usize, String)> = split(text)
        .into_iter()
        .map(|s| {
            let start = text[..s.span.start].chars().count();
            let end = start + text[s.span.clone()].chars().count();
            let digest =
                Sha256::digest(text[s.span].as_bytes())
                    .iter()
                    .fold(String::new(), |mut hex, b| {
                        let _ = write!(hex, "{b:02x}");
                        hex
                    });
            (s.number, start, end, digest)
        })
        .collect();
    for (r, a) in recorded.iter().zip(&actual) {
        assert_eq!(r, a, "sentence {} of {} changed", r.0, expected.display());
    }
    assert_eq!(recorded.len(), actual.len(), "{}", expected.display());
}

#[test]
fn the_seed_articles_numbering_is_unchanged() {
    let Some(article) = seed_article() else {
        return;
    };
    let text = std::fs::read_to_string(article).unwrap();
    check_split(
        &text,
        &root().join("tests/data/sentences/peace-talks-article.csv"),
    );
}

#[test]
fn the_editorial_notes_numbering_is_unchanged() {
    let text = std::fs::read_to_string(root().join("data/sources/kg-editorial-notes.txt")).unwrap();
    check_split(
        &text,
        &root().join("tests/data/sentences/kg-editorial-notes.csv"),
    );
}

fn overlaps(a: &Value, b: &Value) -> bool {
    let (a0, a1) = (a["start"].as_u64().unwrap(), a["end"].as_u64().unwrap());
    let (b0, b1) = (b["start"].as_u64().unwrap(), b["end"].as_u64().unwrap());
    a0 < b1 && b0 < a1
}

fn ids(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect()
}

/// Whether a predicted mention names what a gold mention names.
fn same_referent(gold: &Value, found: &Value) -> bool {
    if let Some(entity) = gold["entity"].as_str() {
        return found["entity"].as_str() == Some(entity);
    }
    if gold.get("ambiguous").is_some() {
        return !ids(&found["ambiguous"]).is_empty()
            && ids(&found["ambiguous"]) == ids(&gold["ambiguous"]);
    }
    gold["new"]["label"].as_str().is_some() && found["new"]["label"] == gold["new"]["label"]
}

/// Figures of one article against its gold.
#[derive(Debug, Default)]
struct Score {
    gold_mentions: usize,
    found_mentions: usize,
    recalled: usize,
    precise: usize,
    classes_right: usize,
    new_mentions: usize,
    quotations: usize,
    speakers_right: usize,
    quote_spans_exact: usize,
    dates: usize,
    dates_right: usize,
    dates_found: usize,
    dates_precise: usize,
    numbers: usize,
    numbers_right: usize,
    problems: Vec<String>,
}

impl Score {
    fn recall(&self) -> f64 {
        self.recalled as f64 / self.gold_mentions.max(1) as f64
    }
    fn precision(&self) -> f64 {
        self.precise as f64 / self.found_mentions.max(1) as f64
    }
}

fn score(name: &str, lexicon: &Lexicon) -> Score {
    let dir = root().join("tests/data/ingest").join(name);
    let text = std::fs::read_to_string(dir.join("article.txt")).unwrap();
    let gold: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("gold.json")).unwrap()).unwrap();
    let options = Options {
        date: Day::parse(gold["document_date"].as_str().unwrap()),
        ..Options::new(name)
    };
    let analysis = analyse(&text, lexicon, &options);
    let found = serde_json::to_value(&analysis).unwrap();
    let mut s = Score::default();
    score_layout(&gold, &found, &mut s);
    score_mentions(&gold, &found, &mut s);
    score_quotations(&gold, &found, &mut s);
    score_dates(&gold, &found, &mut s);
    score_numbers(&gold, &found, &mut s);
    s
}

fn texts(v: &Value, field: Option<&str>) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            field
                .map_or(r, |f| &r[f])
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// Title, residue and sentences: exactly.
fn score_layout(gold: &Value, found: &Value, s: &mut Score) {
    if found["document"]["title"] != gold["title"] {
        s.problems.push(format!(
            "title {} != {}",
            found["document"]["title"], gold["title"]
        ));
    }
    let (residue, gold_residue) = (
        texts(&found["residue"], Some("text")),
        texts(&gold["residue"], None),
    );
    if residue != gold_residue {
        s.problems
            .push(format!("residue {residue:?} != {gold_residue:?}"));
    }
    let spans = |v: &Value| -> Vec<(u64, u64)> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| (x["start"].as_u64().unwrap(), x["end"].as_u64().unwrap()))
            .collect()
    };
    let (ours, theirs) = (spans(&found["sentences"]), spans(&gold["sentences"]));
    if let Some((a, b)) = ours.iter().zip(&theirs).find(|(a, b)| a != b) {
        s.problems.push(format!("sentence {a:?} != gold {b:?}"));
    }
    if ours.len() != theirs.len() {
        s.problems.push(format!(
            "{} sentences, gold has {}",
            ours.len(),
            theirs.len()
        ));
    }
}

/// Mentions: by span overlap and referent.
fn score_mentions(gold: &Value, found: &Value, s: &mut Score) {
    let gold_mentions = gold["mentions"].as_array().unwrap();
    let mentions = found["mentions"].as_array().unwrap();
    s.gold_mentions = gold_mentions.len();
    s.found_mentions = mentions.len();
    for g in gold_mentions {
        if let Some(m) = mentions
            .iter()
            .find(|m| overlaps(g, m) && same_referent(g, m))
        {
            s.recalled += 1;
            if g.get("new").is_some() {
                s.new_mentions += 1;
                if m["new"]["class_guess"] == g["new"]["class_guess"] {
                    s.classes_right += 1;
                }
            }
        } else {
            s.problems.push(format!(
                "missed {:?} at {} ({}); found there: {:?}",
                g["text"].as_str().unwrap_or_default(),
                g["start"],
                g["entity"],
                mentions
                    .iter()
                    .filter(|m| overlaps(g, m))
                    .map(|m| (&m["entity"], &m["ambiguous"]))
                    .collect::<Vec<_>>()
            ));
        }
    }
    for m in mentions {
        if gold_mentions
            .iter()
            .any(|g| overlaps(g, m) && same_referent(g, m))
        {
            s.precise += 1;
        } else {
            s.problems.push(format!(
                "extra {:?} at {} → {} {:?} ({})",
                m["text"].as_str().unwrap_or_default(),
                m["start"],
                m["entity"],
                m["ambiguous"],
                m["rule"]
            ));
        }
    }
}

/// Quotations: the speaker and the span of each gold quotation.
fn score_quotations(gold: &Value, found: &Value, s: &mut Score) {
    let quotations = found["quotations"].as_array().unwrap();
    for g in gold["quotations"].as_array().unwrap() {
        s.quotations += 1;
        let Some(q) = quotations.iter().find(|q| overlaps(g, q)) else {
            s.problems
                .push(format!("quotation at {} not found", g["start"]));
            continue;
        };
        let right = match g["speaker"].as_str() {
            Some(speaker) => q["speaker"].as_str() == Some(speaker),
            None => {
                q["speaker_text"] == g["speaker_text"]
                    && (q["speaker"].is_null() || q["speaker_new"] == true)
            }
        };
        if right {
            s.speakers_right += 1;
        } else {
            s.problems.push(format!(
                "quotation at {}: speaker {} / {}, gold {} / {}",
                g["start"], q["speaker"], q["speaker_text"], g["speaker"], g["speaker_text"]
            ));
        }
        if q["start"] == g["start"] && q["end"] == g["end"] {
            s.quote_spans_exact += 1;
        } else {
            s.problems.push(format!(
                "quotation span {}-{} != gold {}-{}",
                q["start"], q["end"], g["start"], g["end"]
            ));
        }
    }
}

/// Dates: the same span, value and precision.
fn score_dates(gold: &Value, found: &Value, s: &mut Score) {
    let dates = found["dates"].as_array().unwrap();
    let gold_dates = gold["dates"].as_array().unwrap();
    s.dates_found = dates.len();
    for g in gold_dates {
        s.dates += 1;
        let hit = dates.iter().find(|d| overlaps(g, d));
        match hit {
            Some(d)
                if d["value"] == g["value"]
                    && d["precision"] == g["precision"]
                    && d["start"] == g["start"]
                    && d["end"] == g["end"] =>
            {
                s.dates_right += 1;
            }
            other => s.problems.push(format!(
                "date {:?} ({}, {}): found {:?}",
                g["text"].as_str().unwrap_or_default(),
                g["value"],
                g["precision"],
                other.map(|d| (&d["text"], &d["value"], &d["precision"]))
            )),
        }
    }
    for d in dates {
        if gold_dates.iter().any(|g| overlaps(g, d)) {
            s.dates_precise += 1;
        } else {
            s.problems.push(format!(
                "extra date {:?}",
                d["text"].as_str().unwrap_or_default()
            ));
        }
    }
}

/// Quantities: the same value and unit, and no others.
fn score_numbers(gold: &Value, found: &Value, s: &mut Score) {
    let numbers = found["numbers"].as_array().unwrap();
    for g in gold["numbers"].as_array().unwrap() {
        s.numbers += 1;
        let right = numbers.iter().any(|n| {
            overlaps(g, n) && n["value"].as_f64() == g["value"].as_f64() && n["unit"] == g["unit"]
        });
        if right {
            s.numbers_right += 1;
        } else {
            s.problems.push(format!("number {}", g["text"]));
        }
    }
    if numbers.len() != s.numbers {
        s.problems.push(format!(
            "{} quantities found, gold has {}",
            numbers.len(),
            s.numbers
        ));
    }
}

#[test]
fn the_test_articles_score_against_their_gold() {
    let lexicon = lexicon();
    let mut failures = Vec::new();
    eprintln!(
        "{:<11} {:>8} {:>9} {:>8} {:>9} {:>7} {:>8}",
        "article", "recall", "precision", "speakers", "dates", "numbers", "classes"
    );
    for name in ["wire", "feature", "transcript", "explainer"] {
        let s = score(name, &lexicon);
        eprintln!(
            "{name:<11} {:>7.1}% {:>8.1}% {:>5}/{:<2} {:>6}/{:<2} {:>4}/{:<2} {:>5}/{:<2}",
            100.0 * s.recall(),
            100.0 * s.precision(),
            s.speakers_right,
            s.quotations,
            s.dates_right,
            s.dates,
            s.numbers_right,
            s.numbers,
            s.classes_right,
            s.new_mentions
        );
        for p in &s.problems {
            eprintln!("  {name}: {p}");
        }
        let ok = s.recall() >= 0.95
            && s.precision() >= 0.90
            && s.speakers_right == s.quotations
            && s.quote_spans_exact == s.quotations
            && s.dates_right == s.dates
            && s.dates_precise == s.dates_found
            && s.numbers_right == s.numbers
            && s.classes_right == s.new_mentions
            && !s.problems.iter().any(|p| {
                p.starts_with("title") || p.starts_with("residue") || p.contains("sentence")
            });
        if !ok {
            failures.push(format!("{name}: {s:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Word-bounded occurrences of a name in a text: case-insensitive unless the name has no
/// lower-case letter (as `check_gold.py` counts them).
fn occurs(text: &str, name: &str) -> bool {
    let exact = !name.chars().any(char::is_lowercase);
    let (hay, needle) = if exact {
        (text.to_owned(), name.to_owned())
    } else {
        (text.to_lowercase(), name.to_lowercase())
    };
    let mut from = 0;
    while let Some(i) = hay[from..].find(&needle) {
        let at = from + i;
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = at + needle.len().max(1);
    }
    false
}

/// The curated data as a proxy gold for the seed article: for each sentence, the entities whose
/// rows cite it, and every name (label, alias, metonym) of every entity.
struct Curated {
    cited: BTreeMap<u64, BTreeSet<String>>,
    names: BTreeMap<String, BTreeSet<String>>,
    unnamed: BTreeSet<String>,
}

fn curated() -> Curated {
    let mut c = Curated {
        cited: BTreeMap::new(),
        names: BTreeMap::new(),
        unnamed: BTreeSet::new(),
    };
    let mut tables: Vec<PathBuf> = std::fs::read_dir(root().join("data"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    tables.sort();
    let mut rows = Vec::new();
    let mut ids = BTreeSet::new();
    for table in &tables {
        let mut reader = csv::Reader::from_path(table).unwrap();
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        for record in reader.records() {
            let record: Vec<String> = record.unwrap().iter().map(str::to_owned).collect();
            let row: BTreeMap<String, String> = header.iter().cloned().zip(record).collect();
            if let Some(id) = row.get("id") {
                ids.insert(id.clone());
                let kind = row.get("type").cloned().unwrap_or_default();
                if ["pto:Role", "pto:Post", "pto:Quotation", "kg:Document"]
                    .iter()
                    .any(|k| kind.contains(k))
                {
                    c.unnamed.insert(id.clone());
                }
                let names = c.names.entry(id.clone()).or_default();
                for (column, value) in &row {
                    if column.starts_with("rdfs:label") {
                        names.insert(value.clone());
                    }
                    if column.starts_with("skos:altLabel") {
                        names.extend(
                            value
                                .split('|')
                                .filter(|v| !v.is_empty())
                                .map(str::to_owned),
                        );
                    }
                }
            } else if matches!(
                row.get("predicate").map(String::as_str),
                Some("skos:altLabel" | "kg:metonym")
            ) {
                c.names
                    .entry(row["subject"].clone())
                    .or_default()
                    .insert(row["object"].clone());
            }
            rows.push(row);
        }
    }
    for row in rows {
        if row.get("source").map(String::as_str) != Some("peace-talks-article") {
            continue;
        }
        let entities: BTreeSet<String> = row
            .iter()
            .filter(|(column, value)| *column != "source" && ids.contains(*value))
            .map(|(_, value)| value.clone())
            .collect();
        for n in row["sentences"].split('|').filter_map(|n| n.parse().ok()) {
            c.cited
                .entry(n)
                .or_default()
                .extend(entities.iter().cloned());
        }
    }
    c
}

#[test]
fn the_seed_article_scores_against_the_curated_data() {
    let Some(article) = seed_article() else {
        return;
    };
    let text = std::fs::read_to_string(article).unwrap();
    let lexicon = lexicon();
    let analysis = analyse(&text, &lexicon, &Options::new("peace-talks-article"));
    let curated = curated();
    // The curated numbering is the build's split of the whole article.
    let numbering: BTreeMap<usize, u64> = split(&text)
        .into_iter()
        .map(|s| (text[..s.span.start].chars().count(), s.number))
        .collect();
    let mut linked: BTreeMap<u64, BTreeSet<String>> = BTreeMap::new();
    for m in &analysis.mentions {
        let Some(sentence) = analysis.sentence_at(m.start) else {
            continue;
        };
        let n = numbering[&sentence.start];
        for entity in m.entity.iter().chain(&m.via) {
            linked.entry(n).or_default().insert(entity.clone());
        }
    }
    let (mut gold_total, mut recalled, mut found_total, mut precise) =
        (0_usize, 0_usize, 0_usize, 0_usize);
    let mut problems = Vec::new();
    for s in split(&text) {
        let n = s.number;
        let words = &text[s.span];
        let cited = curated.cited.get(&n).cloned().unwrap_or_default();
        let gold: BTreeSet<&String> = cited
            .iter()
            .filter(|e| !curated.unnamed.contains(*e))
            .filter(|e| {
                curated
                    .names
                    .get(*e)
                    .is_some_and(|names| names.iter().any(|name| occurs(words, name)))
            })
            .collect();
        let ours = linked.get(&n).cloned().unwrap_or_default();
        gold_total += gold.len();
        found_total += ours.len();
        for e in &gold {
            if ours.contains(*e) {
                recalled += 1;
            } else {
                problems.push(format!("sentence {n}: missed {e}"));
            }
        }
        for e in &ours {
            if cited.contains(e) {
                precise += 1;
            } else {
                problems.push(format!("sentence {n}: {e} is linked but not cited"));
            }
        }
    }
    // Quotations: every curated quotation of the article, with its speaker.
    let mut reader = csv::Reader::from_path(root().join("data/quotations.csv")).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (mut quotes, mut speakers) = (0, 0);
    for record in reader.records() {
        let record = record.unwrap();
        if &record[at("source")] != "peace-talks-article" {
            continue;
        }
        quotes += 1;
        let words = &record[at("pto:quoteText")];
        match analysis.quotations.iter().find(|q| q.text == words) {
            Some(q) if q.speaker.as_deref() == Some(&record[at("pto:spokenBy")]) => speakers += 1,
            other => problems.push(format!(
                "quotation {words:?}: found {:?}",
                other.map(|q| (&q.speaker, q.form))
            )),
        }
    }
    let recall = recalled as f64 / gold_total as f64;
    let precision = precise as f64 / found_total as f64;
    eprintln!(
        "seed article: mention recall {:.1}% ({recalled}/{gold_total}), precision {:.1}% ({precise}/{found_total}), quotations {speakers}/{quotes} with the right speaker, residue lines dropped {}",
        100.0 * recall,
        100.0 * precision,
        analysis.residue.len()
    );
    for p in &problems {
        eprintln!("  seed: {p}");
    }
    // Zero page residue in what kg ingest keeps.
    assert_eq!(analysis.residue.len(), 1, "{:?}", analysis.residue);
    let residue = &analysis.residue[0].text;
    assert!(!analysis.kept_text.contains(residue.as_str()));
    assert_eq!(analysis.document.sentence_count, 32);
    assert!(recall >= 0.95, "recall {recall}");
    assert!(precision >= 0.90, "precision {precision}");
    assert_eq!(speakers, quotes);
    assert!(quotes >= 6);
}

#[test]
fn the_seed_articles_caps_on_the_army_are_quantities() {
    let Some(article) = seed_article() else {
        return;
    };
    let text = std::fs::read_to_string(article).unwrap();
    let analysis = analyse(&text, &lexicon(), &Options::new("peace-talks-article"));
    let found: Vec<(&str, String)> = analysis
        .numbers
        .iter()
        .map(|n| {
            (
                n.text.as_str(),
                format!("{} {}", n.quantity.value, n.quantity.unit),
            )
        })
        .collect();
    // The second has no unit word: `800,000` is a count by its shape.
    for expected in [
        ("600,000 personnel", "600000 personnel"),
        ("800,000 cap", "800000 cap"),
    ] {
        assert!(
            found.contains(&(expected.0, expected.1.to_owned())),
            "{expected:?} not in {found:?}"
        );
    }
}
