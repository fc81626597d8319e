//! Graphs the export tests run every format on, besides the embedded default: a generated one
//! (deterministic, about 2,000 entities and 6,000 facts) and one whose labels, ids, descriptions
//! and relation labels hold every character that escaping can get wrong.

#![allow(dead_code)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::common::{build_fixture, copy_tree, root};

/// The label of the hostile entity: quotes, backslashes, markup, `]]>`, `-->`, `</script>`,
/// a line break, a carriage return, a tab and control characters.
pub const HOSTILE_LABEL: &str = "Evil \"quoted\" \\back\\slash <b>bold</b> & co ]]> --> </script> line1\nline2\r\nctrl\u{1}\u{1b} tab\tend";

/// Its id (ids cannot hold control characters or outer spaces; everything else goes).
pub const HOSTILE_ID: &str = "evil\"id<&>]]>--></script>\\";

/// Its description.
pub const HOSTILE_COMMENT: &str = "Says \"<script>alert(1)</script>\" & ]]> --> \u{7f}\u{2}";

/// The label of the hostile relation (declared in the fixture's ontology).
pub const HOSTILE_RELATION: &str = "rel \"q\" <&> ]]> --> \\ \u{1} </script>";

/// What an XML 1.0 export shows for a text: control characters but tab, line feed and
/// carriage return replaced with U+FFFD.
pub fn xml_visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') && (c as u32) < 0x20 {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A built store with its fixture folder (both removed when dropped).
pub struct Built {
    pub dir: tempfile::TempDir,
}

impl Built {
    pub fn store(&self) -> PathBuf {
        self.dir.path().join("store")
    }
}

fn build(fixture: &Path) -> Built {
    let dir = tempfile::tempdir().expect("temporary folder");
    copy_tree(fixture, &dir.path().join("fixture"));
    build_fixture(&dir.path().join("fixture"), &dir.path().join("store"), &[]).success();
    Built { dir }
}

/// A CSV field, quoted.
fn field(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The mini fixture plus an entity with hostile label, id, description and aliases, linked to
/// Alice by a relation with a hostile label.
pub fn hostile() -> Built {
    let source = tempfile::tempdir().expect("temporary folder");
    copy_tree(&root().join("tests/data/mini"), source.path());
    let people = source.path().join("data/people.csv");
    let mut text = std::fs::read_to_string(&people).expect("people.csv");
    // Columns: id,type,rdfs:label@en,skos:altLabel@en[],ex:birthDate,source,sentences
    writeln!(
        text,
        "{},ex:Person,{},{},2000-01-01,notes,1",
        field(HOSTILE_ID),
        field(HOSTILE_LABEL),
        field("alias <one>|alias & \"two\""),
    )
    .expect("write");
    std::fs::write(&people, text).expect("people.csv");
    std::fs::write(
        source.path().join("data/hostile-relations.csv"),
        format!(
            "subject,predicate,object,lang,source,sentences\n\
             {id},ex:hostile,alice,,notes,2\n\
             alice,ex:hostile,{id},,notes,3\n\
             {id},rdfs:comment,{comment},en,notes,1\n",
            id = field(HOSTILE_ID),
            comment = field(HOSTILE_COMMENT),
        ),
    )
    .expect("relations");
    let turtle_label = HOSTILE_RELATION
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\u{1}', "\\u0001");
    std::fs::write(
        source.path().join("ontology/hostile.ttl"),
        format!(
            "@prefix ex: <https://example.org/mini#> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n\
             @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
             ex:hostile a owl:ObjectProperty ; rdfs:label \"{turtle_label}\"@en .\n"
        ),
    )
    .expect("hostile.ttl");
    build(source.path())
}

/// A small deterministic generator (a linear congruential one, as in Knuth's MMIX).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// The mini ontology with `people` persons, `organisations` organisations and `facts` distinct
/// facts among them (knows, works for, partner of), each citing a sentence of one document.
pub fn generated(people: usize, organisations: usize, facts: usize) -> Built {
    let source = tempfile::tempdir().expect("temporary folder");
    copy_tree(
        &root().join("tests/data/mini/ontology"),
        &source.path().join("ontology"),
    );
    let data = source.path().join("data");
    std::fs::create_dir_all(&data).expect("data folder");
    let mut random = Lcg(20_251_126);
    std::fs::write(
        data.join("documents.csv"),
        "id,type,rdfs:label@en,kg:sentenceCount\nreport,kg:Document,Generated report,50\n",
    )
    .expect("documents.csv");
    let mut text = String::from("id,type,rdfs:label@en,ex:birthDate,source,sentences\n");
    for i in 0..people {
        writeln!(
            text,
            "p{i},ex:Person,Person {i},{}-{:02}-{:02},report,{}",
            1940 + random.below(60),
            1 + random.below(12),
            1 + random.below(28),
            1 + random.below(50)
        )
        .expect("write");
    }
    std::fs::write(data.join("people.csv"), text).expect("people.csv");
    let mut text = String::from("id,type,rdfs:label@en,ex:founded,ex:employees,source,sentences\n");
    for i in 0..organisations {
        writeln!(
            text,
            "o{i},ex:Organization,Organisation {i},{},{},report,{}",
            1800 + random.below(220),
            1 + random.below(100_000),
            1 + random.below(50)
        )
        .expect("write");
    }
    std::fs::write(data.join("organizations.csv"), text).expect("organizations.csv");
    let mut text = String::from("subject,predicate,object,source,sentences,date\n");
    let mut seen = HashSet::new();
    while seen.len() < facts {
        let (subject, predicate, object) = match random.below(20) {
            0..10 => (
                format!("p{}", random.below(people)),
                "knows",
                format!("p{}", random.below(people)),
            ),
            10..17 => (
                format!("p{}", random.below(people)),
                "worksFor",
                format!("o{}", random.below(organisations)),
            ),
            _ => (
                format!("o{}", random.below(organisations)),
                "partnerOf",
                format!("o{}", random.below(organisations)),
            ),
        };
        if subject == object || !seen.insert((subject.clone(), predicate, object.clone())) {
            continue;
        }
        writeln!(
            text,
            "{subject},{predicate},{object},report,{},{}",
            1 + random.below(50),
            2000 + random.below(25)
        )
        .expect("write");
    }
    std::fs::write(data.join("relations.csv"), text).expect("relations.csv");
    build(source.path())
}

/// The generated graph of the tests: 1,600 persons, 400 organisations, 6,000 facts.
pub fn generated_default() -> Built {
    generated(1600, 400, 6000)
}
