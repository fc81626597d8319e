//! The saved projection (`graph.kgp`) and how projections are assembled.
//!
//! ```text
//! "KGPROJ" u16 version   u64 string bytes   u64 array words
//! strings                UTF-8, every string of the projection
//! arrays                 little-endian u32 words:
//!   counts     nodes edges classes predicates documents evidence names node-types
//!   classes    × (iri offset, iri length, label offset, label length)
//!   predicates × (same)
//!   documents  × (id offset, id length)
//!   nodes      × (iri, id, label as offset/length pairs, first type, type count)
//!   node types × class index
//!   edges      × (subject, object, predicate, first evidence, evidence count), sorted by subject
//!   evidence   × (document, sentence + 1 or 0, date offset, date length + 1 or 0, text offset,
//!                 text length + 1 or 0)
//!   out        node count + 1 offsets into the edges (edges are sorted by subject)
//!   in         node count + 1 offsets into the in-edge list, then the edges sorted by object
//!   names      × (folded offset, folded length, node, kind), sorted by folded name
//! ```
//!
//! Loading reads the two parts into memory and checks every offset, index and ordering once, so
//! that later accesses cannot fail: a truncated or corrupt file is an error, never a panic.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::{
    DOCUMENT_WORDS, EDGE_WORDS, EVIDENCE_WORDS, Evidence, Layout, NAME_WORDS, NODE_WORDS, NameKind,
    Projection, TERM_WORDS,
};

const MAGIC: &[u8; 6] = b"KGPROJ";
const VERSION: u16 = 2;
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

/// A node to assemble.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeData {
    /// IRI.
    pub iri: String,
    /// Id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Class indexes.
    pub types: Vec<u32>,
}

/// An edge to assemble.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgeData {
    /// Subject node.
    pub source: u32,
    /// Object node.
    pub target: u32,
    /// Predicate index.
    pub predicate: u32,
    /// Evidence.
    pub evidence: Vec<Evidence>,
}

/// Everything a projection holds, as owned values: what builders and tests assemble.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectionData {
    /// Nodes.
    pub nodes: Vec<NodeData>,
    /// Edges, in any order; edges with the same subject, object and predicate are merged.
    pub edges: Vec<EdgeData>,
    /// Classes: (IRI, label).
    pub classes: Vec<(String, String)>,
    /// Predicates: (IRI, label).
    pub predicates: Vec<(String, String)>,
    /// Names: (folded name, node, kind).
    pub names: Vec<(String, u32, NameKind)>,
}

fn word_count(n: usize, what: &'static str) -> Result<u32, ProjectionFileError> {
    u32::try_from(n).map_err(|_| ProjectionFileError::TooLarge(what))
}

/// Appends strings to the string area, sharing repeated ones when asked.
struct Strings {
    text: String,
    shared: HashMap<String, (u32, u32)>,
}

impl Strings {
    fn add(&mut self, value: &str) -> Result<(u32, u32), ProjectionFileError> {
        let offset = word_count(self.text.len(), "more than 4 GiB of text")?;
        let len = word_count(value.len(), "a string longer than 4 GiB")?;
        self.text.push_str(value);
        word_count(self.text.len(), "more than 4 GiB of text")?;
        Ok((offset, len))
    }

    fn shared(&mut self, value: &str) -> Result<(u32, u32), ProjectionFileError> {
        if let Some(&found) = self.shared.get(value) {
            return Ok(found);
        }
        let found = self.add(value)?;
        self.shared.insert(value.to_owned(), found);
        Ok(found)
    }

    /// An optional string as (offset, length + 1), (0, 0) for none.
    fn optional(&mut self, value: Option<&str>) -> Result<(u32, u32), ProjectionFileError> {
        match value {
            Some(value) => {
                let (offset, len) = self.shared(value)?;
                Ok((
                    offset,
                    len.checked_add(1)
                        .ok_or(ProjectionFileError::TooLarge("string"))?,
                ))
            }
            None => Ok((0, 0)),
        }
    }
}

impl ProjectionData {
    /// Assembles the projection: merges parallel duplicates, sorts edges by subject, builds the
    /// indexes, and checks the result as a load would.
    ///
    /// # Errors
    /// [`ProjectionFileError::TooLarge`] beyond 2³² nodes, edges or bytes of text;
    /// [`ProjectionFileError::Corrupt`] when an index is out of range.
    pub fn assemble(mut self) -> Result<Projection, ProjectionFileError> {
        let (strings, words) = self.encode()?;
        Projection::from_parts(strings, words).map_err(|reason| ProjectionFileError::Corrupt {
            path: PathBuf::from("(assembled)"),
            reason,
        })
    }

    fn encode(&mut self) -> Result<(String, Vec<u8>), ProjectionFileError> {
        let edges = merge_edges(std::mem::take(&mut self.edges));
        self.names.sort();
        self.names.dedup();
        let mut strings = Strings {
            text: String::new(),
            shared: HashMap::new(),
        };
        let mut documents: Vec<&str> = Vec::new();
        let mut document_of: HashMap<&str, u32> = HashMap::new();
        for evidence in edges.iter().flat_map(|e| &e.evidence) {
            if !document_of.contains_key(evidence.document.as_str()) {
                document_of.insert(
                    &evidence.document,
                    word_count(documents.len(), "documents")?,
                );
                documents.push(&evidence.document);
            }
        }
        let mut out: Vec<u32> = Vec::new();
        for count in [
            self.nodes.len(),
            edges.len(),
            self.classes.len(),
            self.predicates.len(),
            documents.len(),
            edges.iter().map(|e| e.evidence.len()).sum(),
            self.names.len(),
            self.nodes.iter().map(|n| n.types.len()).sum(),
        ] {
            out.push(word_count(count, "too many items")?);
        }
        for (iri, label) in self.classes.iter().chain(&self.predicates) {
            let (iri_at, iri_len) = strings.shared(iri)?;
            let (label_at, label_len) = strings.shared(label)?;
            out.extend([iri_at, iri_len, label_at, label_len]);
        }
        for document in &documents {
            let (at, len) = strings.shared(document)?;
            out.extend([at, len]);
        }
        self.encode_nodes(&mut strings, &mut out)?;
        encode_edges(&edges, &document_of, &mut strings, &mut out)?;
        encode_adjacency(self.nodes.len(), &edges, &mut out)?;
        for (folded, node, kind) in &self.names {
            let (at, len) = strings.add(folded)?;
            out.extend([at, len, *node, kind.word()]);
        }
        let mut words = Vec::with_capacity(out.len() * 4);
        for word in out {
            words.extend_from_slice(&word.to_le_bytes());
        }
        Ok((strings.text, words))
    }

    /// Node records, then the list of their classes.
    fn encode_nodes(
        &self,
        strings: &mut Strings,
        out: &mut Vec<u32>,
    ) -> Result<(), ProjectionFileError> {
        let mut first_type = 0_u32;
        for node in &self.nodes {
            let (iri_at, iri_len) = strings.add(&node.iri)?;
            let (id_at, id_len) = strings.add(&node.id)?;
            let (label_at, label_len) = strings.add(&node.label)?;
            let types = word_count(node.types.len(), "node types")?;
            out.extend([
                iri_at, iri_len, id_at, id_len, label_at, label_len, first_type, types,
            ]);
            first_type = first_type
                .checked_add(types)
                .ok_or(ProjectionFileError::TooLarge("node types"))?;
        }
        for node in &self.nodes {
            out.extend(&node.types);
        }
        Ok(())
    }
}

/// Sorts edges by (subject, object, predicate) and merges duplicates, their evidence sorted
/// and without repeats.
fn merge_edges(mut edges: Vec<EdgeData>) -> Vec<EdgeData> {
    edges.sort_by_key(|e| (e.source, e.target, e.predicate));
    let mut merged: Vec<EdgeData> = Vec::with_capacity(edges.len());
    for edge in edges {
        match merged.last_mut() {
            Some(last)
                if (last.source, last.target, last.predicate)
                    == (edge.source, edge.target, edge.predicate) =>
            {
                last.evidence.extend(edge.evidence);
            }
            _ => merged.push(edge),
        }
    }
    for edge in &mut merged {
        edge.evidence.sort_by(|a, b| {
            (&a.document, a.sentence, &a.date).cmp(&(&b.document, b.sentence, &b.date))
        });
        edge.evidence.dedup();
    }
    merged
}

/// Edge records, then the evidence records they point to.
fn encode_edges(
    edges: &[EdgeData],
    document_of: &HashMap<&str, u32>,
    strings: &mut Strings,
    out: &mut Vec<u32>,
) -> Result<(), ProjectionFileError> {
    let mut first_evidence = 0_u32;
    for edge in edges {
        let count = word_count(edge.evidence.len(), "evidence")?;
        out.extend([
            edge.source,
            edge.target,
            edge.predicate,
            first_evidence,
            count,
        ]);
        first_evidence = first_evidence
            .checked_add(count)
            .ok_or(ProjectionFileError::TooLarge("evidence"))?;
    }
    for evidence in edges.iter().flat_map(|e| &e.evidence) {
        let document = document_of
            .get(evidence.document.as_str())
            .copied()
            .unwrap_or_default();
        let sentence = match evidence.sentence {
            Some(n) => u32::try_from(n)
                .ok()
                .and_then(|n| n.checked_add(1))
                .ok_or(ProjectionFileError::TooLarge("sentence number"))?,
            None => 0,
        };
        let (date_at, date_len) = strings.optional(evidence.date.as_deref())?;
        let (text_at, text_len) = strings.optional(evidence.text.as_deref())?;
        out.extend([document, sentence, date_at, date_len, text_at, text_len]);
    }
    Ok(())
}

/// Out offsets (edges are sorted by subject, so offsets suffice), then in offsets and the edges
/// grouped by object (a counting sort, which keeps subject order within a group).
fn encode_adjacency(
    node_count: usize,
    edges: &[EdgeData],
    out: &mut Vec<u32>,
) -> Result<(), ProjectionFileError> {
    let offsets = |end: fn(&EdgeData) -> u32| {
        let mut offsets = vec![0_u32; node_count + 1];
        for edge in edges {
            offsets[end(edge) as usize + 1] += 1;
        }
        for i in 0..node_count {
            offsets[i + 1] += offsets[i];
        }
        offsets
    };
    out.extend(offsets(|e| e.source));
    let in_offsets = offsets(|e| e.target);
    let mut next = in_offsets.clone();
    let mut in_edges = vec![0_u32; edges.len()];
    for (index, edge) in (0_u32..).zip(edges) {
        let slot = &mut next[edge.target as usize];
        in_edges[*slot as usize] = index;
        *slot += 1;
    }
    word_count(edges.len(), "edges")?;
    out.extend(in_offsets);
    out.extend(in_edges);
    Ok(())
}

impl Projection {
    /// Checks the arrays and builds the layout.
    fn from_parts(strings: String, words: Vec<u8>) -> Result<Self, String> {
        if !words.len().is_multiple_of(4) {
            return Err("the arrays are not whole words".into());
        }
        let mut projection = Self {
            strings,
            words,
            layout: Layout::default(),
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
            ..Layout::default()
        };
        let type_count = word(7)?;
        let mut at = 8_usize;
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
        l.documents = section(l.document_count.checked_mul(DOCUMENT_WORDS).ok_or("size")?)?;
        l.nodes = section(l.node_count.checked_mul(NODE_WORDS).ok_or("size")?)?;
        l.node_types = section(type_count)?;
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
        for i in 0..l.class_count + l.predicate_count {
            let at = l.classes + i * TERM_WORDS;
            self.check_string(w(at), w(at + 1))?;
            self.check_string(w(at + 2), w(at + 3))?;
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
        // Out offsets: edge e is in node n's range exactly when its subject is n.
        if w(l.out_offsets) != 0 || w(l.out_offsets + l.node_count) != l.edge_count {
            return Err("out offsets do not span the edges".into());
        }
        for n in 0..l.node_count {
            let (start, end) = (w(l.out_offsets + n), w(l.out_offsets + n + 1));
            if start > end || end > l.edge_count {
                return Err("out offsets are not increasing".into());
            }
            for e in start..end {
                if w(l.edges + e * EDGE_WORDS) != n {
                    return Err("out offsets disagree with the edges".into());
                }
            }
        }
        if w(l.in_offsets) != 0 || w(l.in_offsets + l.node_count) != l.edge_count {
            return Err("in offsets do not span the edges".into());
        }
        for n in 0..l.node_count {
            let (start, end) = (w(l.in_offsets + n), w(l.in_offsets + n + 1));
            if start > end || end > l.edge_count {
                return Err("in offsets are not increasing".into());
            }
            for i in start..end {
                let e = w(l.in_edges + i);
                below(e, l.edge_count, "edge")?;
                if w(l.edges + e * EDGE_WORDS + 1) != n {
                    return Err("in offsets disagree with the edges".into());
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
                },
            ],
            classes: vec![("https://o/C".into(), "C".into())],
            predicates: vec![("https://o/p".into(), "p".into())],
            names: vec![("b".into(), 1, NameKind::Id), ("a".into(), 0, NameKind::Id)],
        }
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
                    }
                    for edge in projection.edges() {
                        let _ = edge.evidence().count();
                    }
                }
            }
        }
    }
}
