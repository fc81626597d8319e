//! The projection file's tests: assembling, saving, loading whole and opening page by page;
//! damaged and crafted files.

use std::fmt::Write as _;

use super::*;
use crate::graph::assemble::{AttributeData, EdgeData, LiteralTypeData, NodeData, ProjectionData};
use crate::graph::{Evidence, LiteralType, NODE_WORDS, NameKind};

fn sample() -> ProjectionData {
    ProjectionData {
        nodes: vec![
            NodeData {
                iri: "https://e/a".into(),
                id: "a".into(),
                label: "Ä \"quoted\"".into(),
                types: vec![0],
            },
            NodeData {
                iri: "https://e/b".into(),
                id: "b".into(),
                label: "b".into(),
                types: vec![],
            },
        ],
        edges: vec![
            EdgeData {
                source: 1,
                target: 0,
                predicate: 0,
                evidence: vec![],
                inferred: None,
            },
            EdgeData {
                source: 0,
                target: 1,
                predicate: 0,
                evidence: vec![Evidence {
                    document: "doc".into(),
                    sentence: Some(3),
                    date: Some("--11".into()),
                    text: Some("Words.".into()),
                }],
                inferred: None,
            },
            EdgeData {
                source: 0,
                target: 1,
                predicate: 0,
                evidence: vec![Evidence {
                    document: "doc".into(),
                    sentence: None,
                    date: None,
                    text: None,
                }],
                inferred: None,
            },
        ],
        classes: vec![("https://o/C".into(), "C".into())],
        predicates: vec![("https://o/p".into(), "p".into())],
        properties: vec![
            ("https://o/born".into(), "born".into()),
            ("https://o/note".into(), "note".into()),
        ],
        literal_types: vec![
            LiteralTypeData::Datatype("http://www.w3.org/2001/XMLSchema#gYear".into()),
            LiteralTypeData::Language("en".into()),
        ],
        attributes: {
            let mut attributes = AttributeData::default();
            attributes.push(1, 1, 1, "Bé");
            attributes.push(0, 1, 1, "second");
            attributes.push(0, 0, 0, "1950");
            attributes.push(0, 1, 1, "first");
            attributes.push(0, 0, 0, "1950");
            attributes
        },
        names: vec![("b".into(), 1, NameKind::Id), ("a".into(), 0, NameKind::Id)],
    }
}

/// The attributes of a node as (property IRI, value, literal type).
fn attributes_of(projection: &Projection, node: u32) -> Vec<(&str, &str, LiteralType<'_>)> {
    projection
        .node(node)
        .attributes()
        .map(|a| (projection.property(a.property).iri, a.value, a.literal_type))
        .collect()
}

#[test]
fn assembles_merges_and_indexes() {
    let projection = sample().assemble().unwrap();
    assert_eq!(projection.node_count(), 2);
    assert_eq!(projection.edge_count(), 2, "parallel duplicates merge");
    let edge = projection.edge(0);
    assert_eq!((edge.source(), edge.target()), (0, 1));
    assert_eq!(edge.evidence().count(), 2);
    assert_eq!(projection.node(0).label(), "Ä \"quoted\"");
    assert_eq!(projection.node(0).types().collect::<Vec<_>>(), [0]);
    assert_eq!(projection.in_edges(0).collect::<Vec<_>>(), [1]);
    assert_eq!(projection.nodes_named("b"), [(1, NameKind::Id)]);
    assert!(projection.nodes_named("c").is_empty());
    let year = LiteralType::Datatype("http://www.w3.org/2001/XMLSchema#gYear");
    let english = LiteralType::Language("en");
    assert_eq!(
        attributes_of(&projection, 0),
        [
            ("https://o/born", "1950", year),
            ("https://o/note", "first", english),
            ("https://o/note", "second", english),
        ],
        "sorted by property, type and value, repeats merged"
    );
    assert_eq!(
        attributes_of(&projection, 1),
        [("https://o/note", "Bé", english)]
    );
    let note = projection.node(1).attributes().next().unwrap();
    assert_eq!(note.language(), Some("en"));
    assert_eq!(note.datatype(), crate::vocab::rdf::LANG_STRING.as_str());
    assert_eq!(projection.property(0).label, "born");
}

#[test]
fn attributes_of_unknown_nodes_are_refused() {
    let mut data = sample();
    data.attributes.push(2, 0, 0, "1950");
    assert!(matches!(
        data.assemble(),
        Err(ProjectionFileError::Corrupt { .. })
    ));
}

/// The two areas of an in-memory projection.
fn areas(projection: &Projection) -> (&[u8], &[u8]) {
    match (&projection.strings, &projection.words) {
        (Text::Memory(text), Words::Memory(words)) => (text.as_bytes(), words),
        _ => panic!("not in memory"),
    }
}

/// Everything a reader can see of a projection, written out.
fn walk(projection: &Projection) -> String {
    let mut seen = String::new();
    for node in projection.nodes() {
        let _ = write!(
            seen,
            "{} {} {} {:?}",
            node.iri(),
            node.id(),
            node.label(),
            node.types().collect::<Vec<_>>()
        );
        for attribute in node.attributes() {
            let _ = write!(
                seen,
                " {:?} {:?}",
                projection.property(attribute.property),
                attribute
            );
        }
        for step in projection.steps(node.index(), false) {
            let _ = write!(seen, " {step:?}");
        }
        seen.push('\n');
    }
    for edge in projection.edges() {
        let evidence: Vec<_> = edge.evidence().collect();
        let _ = writeln!(
            seen,
            "{} {} {:?} {:?} {evidence:?}",
            edge.source(),
            edge.target(),
            projection.predicate(edge.predicate()),
            edge.inferred()
        );
    }
    for name in projection.names() {
        let _ = writeln!(seen, "{name:?} {:?}", projection.nodes_named(name.folded));
    }
    seen
}

#[test]
fn round_trips_through_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgp");
    let projection = sample().assemble().unwrap();
    save(&projection, &path).unwrap();
    let loaded = load(&path).unwrap();
    assert_eq!(areas(&loaded), areas(&projection));
    for node in 0..2 {
        assert_eq!(
            attributes_of(&loaded, node),
            attributes_of(&projection, node)
        );
    }
    assert_eq!(loaded.node(0).attributes().count(), 3);
    let opened = open(&path).unwrap();
    assert!(matches!(opened.words, Words::Paged(_)));
    assert_eq!(walk(&opened), walk(&projection));
    opened.intact().unwrap();
}

#[test]
fn no_string_crosses_a_page_and_long_ones_start_one() {
    let long = "x".repeat(3 * PAGE + 5);
    let mut data = sample();
    data.nodes[0].label = long.clone();
    data.nodes[1].label = "é".repeat(PAGE / 2 - 3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgp");
    save(&data.assemble().unwrap(), &path).unwrap();
    let opened = open(&path).unwrap();
    assert_eq!(opened.node(0).label(), long);
    assert_eq!(opened.node(1).label(), "é".repeat(PAGE / 2 - 3));
    assert_eq!(walk(&opened), walk(&load(&path).unwrap()));
    opened.intact().unwrap();
}

/// Where the arrays start in a saved file.
fn words_start(bytes: &[u8]) -> usize {
    let number = |at: usize| {
        usize::try_from(u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())).unwrap()
    };
    let (string_len, word_len) = (number(8), number(16) * 4);
    let table = 4 * (Pages::count(string_len) + Pages::count(word_len));
    page_aligned(HEADER + table) + page_aligned(string_len)
}

/// Writes the checksums again after `bytes` were changed: a crafted file, not a damaged one.
fn reseal(bytes: &mut [u8]) {
    let words_at = words_start(bytes);
    let string_len = usize::try_from(u64::from_le_bytes(bytes[8..16].try_into().unwrap())).unwrap();
    let head_len = words_at - page_aligned(string_len);
    let strings = bytes[head_len..head_len + string_len].to_vec();
    let head = header(&strings, &bytes[words_at..]);
    bytes[..head_len].copy_from_slice(&head);
}

#[test]
fn attribute_ranges_and_indexes_out_of_bounds_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgp");
    let projection = sample().assemble().unwrap();
    save(&projection, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let l = projection.layout;
    let node_1 = l.nodes + NODE_WORDS;
    let cases = [
        // Node 1's attribute range runs one past the attribute table.
        (node_1 + 9, 2, "node attributes out of range"),
        // Node 1's first attribute is past the table.
        (node_1 + 8, 4, "node attributes out of range"),
        // The first attribute names a property that does not exist.
        (l.attributes, 2, "property 2 out of range"),
        // ... or a literal type that does not exist.
        (l.attributes + 3, 7, "literal type 7 out of range"),
        // Its value runs past the text.
        (l.attributes + 2, u32::MAX, "outside the text"),
        // A literal type that is neither a datatype nor a language.
        (l.literal_types + 2, 2, "unknown literal type kind"),
    ];
    for (word, value, expected) in cases {
        let mut damaged = bytes.clone();
        let at = words_start(&bytes) + 4 * word;
        damaged[at..at + 4].copy_from_slice(&u32::to_le_bytes(value));
        std::fs::write(&path, &damaged).unwrap();
        // The page's checksum finds it first.
        let Err(ProjectionFileError::Corrupt { reason, .. }) = load(&path) else {
            panic!("word {word} = {value} accepted")
        };
        assert!(reason.contains("fails its checksum"), "{reason}");
        // Resealed, the checks find it: whole at load, where used when opened.
        reseal(&mut damaged);
        std::fs::write(&path, &damaged).unwrap();
        match load(&path) {
            Err(ProjectionFileError::Corrupt { reason, .. }) => {
                assert!(reason.contains(expected), "{reason}: expected {expected}");
            }
            other => panic!("word {word} = {value} gave {other:?}"),
        }
        let opened = open(&path).unwrap();
        walk(&opened);
        assert!(opened.intact().is_err(), "word {word} = {value} unnoticed");
    }
}

#[test]
fn every_truncation_and_many_corruptions_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.kgp");
    let projection = sample().assemble().unwrap();
    save(&projection, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for len in (0..bytes.len()).step_by(7) {
        std::fs::write(&path, &bytes[..len]).unwrap();
        assert!(load(&path).is_err(), "prefix of {len} bytes accepted");
        assert!(open(&path).is_err(), "prefix of {len} bytes opened");
    }
    let (strings, words) = areas(&projection);
    let words_at = words_start(&bytes);
    let strings_at = words_at - page_aligned(strings.len());
    let content = (0..HEADER)
        .chain(strings_at..strings_at + strings.len())
        .chain(words_at..words_at + words.len());
    for at in content {
        for flip in [0x01, 0x80, 0xFF] {
            let mut damaged = bytes.clone();
            damaged[at] ^= flip;
            for resealed in [false, true] {
                if resealed {
                    if at < HEADER {
                        continue;
                    }
                    reseal(&mut damaged);
                }
                std::fs::write(&path, &damaged).unwrap();
                // A flip in a checked page is refused; resealed, it is refused or still
                // a consistent projection: never a panic.
                if let Ok(loaded) = load(&path) {
                    assert!(resealed, "byte {at} ^ {flip} accepted");
                    walk(&loaded);
                }
                if let Ok(opened) = open(&path) {
                    walk(&opened);
                    // Each area is one page here: any read checks it.
                    if !resealed {
                        assert!(opened.intact().is_err(), "byte {at} ^ {flip} unnoticed");
                    }
                }
            }
        }
    }
}
