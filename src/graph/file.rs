//! The saved projection (`graph.kgp`): its layout, the validation that makes every later access
//! safe, saving and loading. [`super::assemble`] writes the layout.
//!
//! ```text
//! "KGPROJ" u16 version   u64 string bytes   u64 array words
//! strings                UTF-8, every string of the projection
//! arrays                 little-endian u32 words:
//!   counts     nodes edges classes predicates documents evidence names node-types properties
//!              literal-types attributes
//!   classes    × (iri offset, iri length, label offset, label length)
//!   predicates × (same)
//!   properties × (same): the predicates of literal attributes
//!   literal types × (offset, length, 0 for a datatype IRI or 1 for a language tag)
//!   documents  × (id offset, id length)
//!   nodes      × (iri, id, label as offset/length pairs, first type, type count,
//!                 first attribute, attribute count)
//!   node types × class index
//!   attributes × (property, value offset, value length, literal type), grouped by node
//!   edges      × (subject, object, predicate, first evidence, evidence count, rule offset,
//!                 rule length + 1 or 0 for an asserted fact), sorted by subject
//!   evidence   × (document, sentence + 1 or 0, date offset, date length + 1 or 0, text offset,
//!                 text length + 1 or 0)
//!   out        node count + 1 offsets into the edges (edges are sorted by subject)
//!   in         node count + 1 offsets into the in-edge list, then the edges sorted by object
//!   names      × (folded offset, folded length, node, kind), sorted by folded name
//! ```
//!
//! Loading reads the two parts into memory and checks every offset, index and ordering once, so
//! that later accesses cannot fail: a truncated or corrupt file is an error, never a panic.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::{
    ATTRIBUTE_WORDS, DOCUMENT_WORDS, EDGE_WORDS, EVIDENCE_WORDS, LITERAL_TYPE_WORDS, Layout,
    NAME_WORDS, NODE_WORDS, NameKind, Projection, TERM_WORDS,
};

const MAGIC: &[u8; 6] = b"KGPROJ";
const VERSION: u16 = 4;
const HEADER: usize = 6 + 2 + 8 + 8;

/// Errors reading, writing or assembling a projection.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionFileError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: not a kg graph projection, or a damaged one ({reason}); run `kg build` again")]
    Corrupt { path: PathBuf, reason: String },
    #[error("the graph is too large for the projection format: {0}")]
    TooLarge(&'static str),
}

impl Projection {
    /// Checks the arrays and builds the layout.
    pub(super) fn from_parts(strings: String, words: Vec<u8>) -> Result<Self, String> {
        if !words.len().is_multiple_of(4) {
            return Err("the arrays are not whole words".into());
        }
        let mut projection = Self {
            strings,
            words,
            layout: Layout::default(),
            asserted_only: false,
        };
        projection.layout = projection.check()?;
        Ok(projection)
    }

    fn check(&self) -> Result<Layout, String> {
        let total = self.words.len() / 4;
        let word = |i: usize| -> Result<usize, String> {
            if i < total {
                Ok(self.word(i) as usize)
            } else {
                Err(format!("word {i} is past the end ({total} words)"))
            }
        };
        let mut layout = Layout {
            node_count: word(0)?,
            edge_count: word(1)?,
            class_count: word(2)?,
            predicate_count: word(3)?,
            document_count: word(4)?,
            evidence_count: word(5)?,
            name_count: word(6)?,
            property_count: word(8)?,
            literal_type_count: word(9)?,
            attribute_count: word(10)?,
            ..Layout::default()
        };
        let type_count = word(7)?;
        let mut at = 11_usize;
        let mut section = |len: usize| -> Result<usize, String> {
            let start = at;
            at = at
                .checked_add(len)
                .filter(|end| *end <= total)
                .ok_or("an array runs past the end")?;
            Ok(start)
        };
        let l = &mut layout;
        l.classes = section(l.class_count.checked_mul(TERM_WORDS).ok_or("size")?)?;
        l.predicates = section(l.predicate_count.checked_mul(TERM_WORDS).ok_or("size")?)?;
        l.properties = section(l.property_count.checked_mul(TERM_WORDS).ok_or("size")?)?;
        l.literal_types = section(
            l.literal_type_count
                .checked_mul(LITERAL_TYPE_WORDS)
                .ok_or("size")?,
        )?;
        l.documents = section(l.document_count.checked_mul(DOCUMENT_WORDS).ok_or("size")?)?;
        l.nodes = section(l.node_count.checked_mul(NODE_WORDS).ok_or("size")?)?;
        l.node_types = section(type_count)?;
        l.attributes = section(
            l.attribute_count
                .checked_mul(ATTRIBUTE_WORDS)
                .ok_or("size")?,
        )?;
        l.edges = section(l.edge_count.checked_mul(EDGE_WORDS).ok_or("size")?)?;
        l.evidence = section(l.evidence_count.checked_mul(EVIDENCE_WORDS).ok_or("size")?)?;
        l.out_offsets = section(l.node_count + 1)?;
        l.in_offsets = section(l.node_count + 1)?;
        l.in_edges = section(l.edge_count)?;
        l.names = section(l.name_count.checked_mul(NAME_WORDS).ok_or("size")?)?;
        l.end = at;
        if l.end != total {
            return Err("trailing words".into());
        }
        let layout = *l;
        self.check_strings(&layout, type_count)?;
        self.check_indexes(&layout, type_count)?;
        Ok(layout)
    }

    fn check_string(&self, offset: usize, len: usize) -> Result<(), String> {
        let end = offset.checked_add(len).ok_or("string range overflows")?;
        if end > self.strings.len()
            || !self.strings.is_char_boundary(offset)
            || !self.strings.is_char_boundary(end)
        {
            return Err(format!("string {offset}+{len} is outside the text"));
        }
        Ok(())
    }

    fn check_strings(&self, l: &Layout, _type_count: usize) -> Result<(), String> {
        let w = |i: usize| self.word(i) as usize;
        // Classes, predicates and properties lie one after the other.
        for i in 0..l.class_count + l.predicate_count + l.property_count {
            let at = l.classes + i * TERM_WORDS;
            self.check_string(w(at), w(at + 1))?;
            self.check_string(w(at + 2), w(at + 3))?;
        }
        for i in 0..l.literal_type_count {
            let at = l.literal_types + i * LITERAL_TYPE_WORDS;
            self.check_string(w(at), w(at + 1))?;
        }
        for i in 0..l.attribute_count {
            let at = l.attributes + i * ATTRIBUTE_WORDS;
            self.check_string(w(at + 1), w(at + 2))?;
        }
        for i in 0..l.document_count {
            let at = l.documents + i * DOCUMENT_WORDS;
            self.check_string(w(at), w(at + 1))?;
        }
        for i in 0..l.node_count {
            let at = l.nodes + i * NODE_WORDS;
            for pair in 0..3 {
                self.check_string(w(at + 2 * pair), w(at + 2 * pair + 1))?;
            }
        }
        for i in 0..l.edge_count {
            let at = l.edges + i * EDGE_WORDS;
            if let Some(len) = w(at + 6).checked_sub(1) {
                self.check_string(w(at + 5), len)?;
            }
        }
        for i in 0..l.evidence_count {
            let at = l.evidence + i * EVIDENCE_WORDS;
            for pair in [2, 4] {
                if let Some(len) = w(at + pair + 1).checked_sub(1) {
                    self.check_string(w(at + pair), len)?;
                }
            }
        }
        for i in 0..l.name_count {
            let at = l.names + i * NAME_WORDS;
            self.check_string(w(at), w(at + 1))?;
        }
        Ok(())
    }

    fn check_indexes(&self, l: &Layout, type_count: usize) -> Result<(), String> {
        let w = |i: usize| self.word(i) as usize;
        let below = |value: usize, bound: usize, what: &str| {
            if value < bound {
                Ok(())
            } else {
                Err(format!("{what} {value} out of range ({bound})"))
            }
        };
        for i in 0..l.node_count {
            let at = l.nodes + i * NODE_WORDS;
            let (first, count) = (w(at + 6), w(at + 7));
            if first.checked_add(count).is_none_or(|end| end > type_count) {
                return Err("node types out of range".into());
            }
        }
        for i in 0..type_count {
            below(w(l.node_types + i), l.class_count, "class")?;
        }
        self.check_attributes(l)?;
        let mut previous = (0, 0, 0);
        for i in 0..l.edge_count {
            let at = l.edges + i * EDGE_WORDS;
            let key = (w(at), w(at + 1), w(at + 2));
            below(key.0, l.node_count, "subject")?;
            below(key.1, l.node_count, "object")?;
            below(key.2, l.predicate_count, "predicate")?;
            if i > 0 && key <= previous {
                return Err("edges are not sorted".into());
            }
            previous = key;
            if w(at + 3)
                .checked_add(w(at + 4))
                .is_none_or(|end| end > l.evidence_count)
            {
                return Err("evidence out of range".into());
            }
        }
        for i in 0..l.evidence_count {
            below(
                w(l.evidence + i * EVIDENCE_WORDS),
                l.document_count,
                "document",
            )?;
        }
        // Adjacency: node n's out range holds exactly the edges whose subject is n (edges are
        // sorted by subject, so the range is the edges themselves), its in range the edges whose
        // object is n (through the in-edge index).
        let adjacency = [
            ("out", l.out_offsets, None, 0),
            ("in", l.in_offsets, Some(l.in_edges), 1),
        ];
        for (side, offsets, index, end_field) in adjacency {
            if w(offsets) != 0 || w(offsets + l.node_count) != l.edge_count {
                return Err(format!("{side} offsets do not span the edges"));
            }
            for n in 0..l.node_count {
                let (start, end) = (w(offsets + n), w(offsets + n + 1));
                if start > end || end > l.edge_count {
                    return Err(format!("{side} offsets are not increasing"));
                }
                for i in start..end {
                    let e = index.map_or(i, |index| w(index + i));
                    below(e, l.edge_count, "edge")?;
                    if w(l.edges + e * EDGE_WORDS + end_field) != n {
                        return Err(format!("{side} offsets disagree with the edges"));
                    }
                }
            }
        }
        let mut previous: Option<&str> = None;
        for i in 0..l.name_count {
            let at = l.names + i * NAME_WORDS;
            below(w(at + 2), l.node_count, "node")?;
            if NameKind::from_word(self.word(at + 3)).is_none() {
                return Err("unknown name kind".into());
            }
            let folded = &self.strings[w(at)..w(at) + w(at + 1)];
            if previous.is_some_and(|p| p > folded) {
                return Err("names are not sorted".into());
            }
            previous = Some(folded);
        }
        Ok(())
    }
}

impl Projection {
    /// Each node's attribute range, and each attribute's property and literal type.
    fn check_attributes(&self, l: &Layout) -> Result<(), String> {
        let w = |i: usize| self.word(i) as usize;
        for i in 0..l.node_count {
            let at = l.nodes + i * NODE_WORDS;
            if w(at + 8)
                .checked_add(w(at + 9))
                .is_none_or(|end| end > l.attribute_count)
            {
                return Err("node attributes out of range".into());
            }
        }
        for i in 0..l.literal_type_count {
            if w(l.literal_types + i * LITERAL_TYPE_WORDS + 2) > 1 {
                return Err("unknown literal type kind".into());
            }
        }
        for i in 0..l.attribute_count {
            let at = l.attributes + i * ATTRIBUTE_WORDS;
            for (value, bound, what) in [
                (w(at), l.property_count, "property"),
                (w(at + 3), l.literal_type_count, "literal type"),
            ] {
                if value >= bound {
                    return Err(format!("{what} {value} out of range ({bound})"));
                }
            }
        }
        Ok(())
    }
}

/// Writes the projection to `path` (through a temporary file, then renamed).
///
/// # Errors
/// I/O errors.
pub fn save(projection: &Projection, path: &Path) -> Result<(), ProjectionFileError> {
    let io_error = |source| ProjectionFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let temporary = path.with_extension("kgp.tmp");
    let mut file = io::BufWriter::new(std::fs::File::create(&temporary).map_err(io_error)?);
    file.write_all(MAGIC).map_err(io_error)?;
    file.write_all(&VERSION.to_le_bytes()).map_err(io_error)?;
    file.write_all(&(projection.strings.len() as u64).to_le_bytes())
        .map_err(io_error)?;
    file.write_all(&(projection.words.len() as u64 / 4).to_le_bytes())
        .map_err(io_error)?;
    file.write_all(projection.strings.as_bytes())
        .map_err(io_error)?;
    file.write_all(&projection.words).map_err(io_error)?;
    let file = file.into_inner().map_err(|e| io_error(e.into_error()))?;
    file.sync_all().map_err(io_error)?;
    std::fs::rename(&temporary, path).map_err(io_error)
}

/// Reads a projection saved by [`save`]: two reads, then one validation pass.
///
/// # Errors
/// I/O errors, or [`ProjectionFileError::Corrupt`] for anything that is not a whole, consistent
/// projection.
pub fn load(path: &Path) -> Result<Projection, ProjectionFileError> {
    let io_error = |source| ProjectionFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let corrupt = |reason: String| ProjectionFileError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let mut file = std::fs::File::open(path).map_err(io_error)?;
    let file_len = file.metadata().map_err(io_error)?.len();
    let mut header = [0_u8; HEADER];
    file.read_exact(&mut header)
        .map_err(|_| corrupt("shorter than its header".into()))?;
    if &header[..6] != MAGIC {
        return Err(corrupt("wrong magic number".into()));
    }
    if u16::from_le_bytes([header[6], header[7]]) != VERSION {
        return Err(corrupt("written by another version of kg".into()));
    }
    let number = |range: std::ops::Range<usize>| {
        let mut bytes = [0_u8; 8];
        bytes.copy_from_slice(&header[range]);
        u64::from_le_bytes(bytes)
    };
    let (string_len, word_len) = (number(8..16), number(16..24));
    let expected = word_len
        .checked_mul(4)
        .and_then(|w| w.checked_add(string_len))
        .and_then(|b| b.checked_add(HEADER as u64));
    if expected != Some(file_len) {
        return Err(corrupt(format!(
            "its size ({file_len} bytes) does not match its header"
        )));
    }
    let mut strings =
        vec![0_u8; usize::try_from(string_len).map_err(|_| corrupt("too large".into()))?];
    file.read_exact(&mut strings).map_err(io_error)?;
    let strings = String::from_utf8(strings).map_err(|_| corrupt("invalid UTF-8".into()))?;
    let mut words =
        vec![0_u8; usize::try_from(word_len * 4).map_err(|_| corrupt("too large".into()))?];
    file.read_exact(&mut words).map_err(io_error)?;
    Projection::from_parts(strings, words).map_err(corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::assemble::{
        AttributeData, EdgeData, LiteralTypeData, NodeData, ProjectionData,
    };
    use crate::graph::{Evidence, LiteralType};

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

    #[test]
    fn round_trips_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.kgp");
        let projection = sample().assemble().unwrap();
        save(&projection, &path).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.strings, projection.strings);
        assert_eq!(loaded.words, projection.words);
        for node in 0..2 {
            assert_eq!(
                attributes_of(&loaded, node),
                attributes_of(&projection, node)
            );
        }
        assert_eq!(loaded.node(0).attributes().count(), 3);
    }

    /// The file position of word `i` of the arrays.
    fn word_at(projection: &Projection, i: usize) -> usize {
        HEADER + projection.strings.len() + 4 * i
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
            let at = word_at(&projection, word);
            damaged[at..at + 4].copy_from_slice(&u32::to_le_bytes(value));
            std::fs::write(&path, &damaged).unwrap();
            match load(&path) {
                Err(ProjectionFileError::Corrupt { reason, .. }) => {
                    assert!(reason.contains(expected), "{reason}: expected {expected}");
                }
                other => panic!("word {word} = {value} gave {other:?}"),
            }
        }
    }

    #[test]
    fn every_truncation_and_many_corruptions_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.kgp");
        save(&sample().assemble().unwrap(), &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        for len in 0..bytes.len() {
            std::fs::write(&path, &bytes[..len]).unwrap();
            assert!(load(&path).is_err(), "prefix of {len} bytes accepted");
        }
        for at in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xFF] {
                let mut damaged = bytes.clone();
                damaged[at] ^= flip;
                std::fs::write(&path, &damaged).unwrap();
                // Either rejected or still a consistent projection: never a panic.
                if let Ok(projection) = load(&path) {
                    for node in projection.nodes() {
                        let _ = (node.iri(), node.label(), node.types().count());
                        for attribute in node.attributes() {
                            let _ = (
                                projection.property(attribute.property),
                                attribute.datatype(),
                            );
                        }
                    }
                    for edge in projection.edges() {
                        let _ = edge.evidence().count();
                    }
                }
            }
        }
    }
}
