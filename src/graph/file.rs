//! The saved projection (`graph.kgp`): its layout, the checks that make every access safe,
//! saving, loading whole, and opening to read page by page. [`super::assemble`] writes the
//! layout.
//!
//! ```text
//! "KGPROJ" u16 version   u64 string bytes   u64 array words   u32 CRC-32 of the header and table
//! table                  u32 CRC-32 of each 4 KiB page of the strings, then of the arrays
//!                        (zeros to the next page)
//! strings                UTF-8, every string of the projection; none crosses a page, and one
//!                        longer than a page starts one (zeros to the next page)
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
//!   in         node count + 1 offsets into the in-edge list, then the edges sorted by object,
//!              each as (edge, its subject)
//!   names      × (folded offset, folded length, node, kind), sorted by folded name
//! ```
//!
//! Two ways in. [`load`] reads the file whole and checks every page, offset, index and ordering
//! once, so that later accesses cannot fail: a truncated or corrupt file is an error, never a
//! panic. [`open`] checks the header, the checksum table and the layout, then reads pages as they
//! are used, each checked against its checksum, each value range-checked where it is used
//! ([`Projection::intact`] says whether all was consistent): a path on a graph of millions of
//! edges reads the few hundred pages it walks.

use std::io::{self, Read, Seek as _, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::pages::{self, PAGE, Pages, Source};
use super::{
    ATTRIBUTE_WORDS, DOCUMENT_WORDS, EDGE_WORDS, EVIDENCE_WORDS, LITERAL_TYPE_WORDS, Layout,
    NAME_WORDS, NODE_WORDS, NameKind, Projection, TERM_WORDS, Text, Words,
};

const MAGIC: &[u8; 6] = b"KGPROJ";
const VERSION: u16 = 5;

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
        let total = words.len() / 4;
        let mut projection = Self {
            strings: Text::Memory(strings),
            words: Words::Memory(words),
            ..Self::default()
        };
        projection.layout = projection.check_layout(total)?;
        let (layout, types) = (projection.layout, projection.layout.type_count);
        projection.check_strings(&layout, types)?;
        projection.check_indexes(&layout, types)?;
        Ok(projection)
    }

    /// A projection read page by page: only its layout is checked now, the rest where it is
    /// used (see [`Projection::intact`]).
    fn from_pages(strings: Pages, words: Pages) -> Result<Self, String> {
        if !words.len().is_multiple_of(4) {
            return Err("the arrays are not whole words".into());
        }
        let total = words.len() / 4;
        let mut projection = Self {
            strings: Text::Paged(strings),
            words: Words::Paged(words),
            ..Self::default()
        };
        projection.layout = projection.check_layout(total)?;
        match projection.damage.get() {
            Some(reason) => Err(reason.clone()),
            None => Ok(projection),
        }
    }

    /// The counts and where each array starts: every array within the words, and no table
    /// empty that another points into.
    fn check_layout(&self, total: usize) -> Result<Layout, String> {
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
        layout.type_count = type_count;
        for (pointing, table, what) in [
            (layout.edge_count, layout.node_count, "edges without nodes"),
            (
                layout.edge_count,
                layout.predicate_count,
                "edges without predicates",
            ),
            (
                layout.evidence_count,
                layout.document_count,
                "evidence without documents",
            ),
            (layout.name_count, layout.node_count, "names without nodes"),
            (type_count, layout.class_count, "node types without classes"),
            (
                layout.attribute_count,
                layout.property_count,
                "attributes without properties",
            ),
            (
                layout.attribute_count,
                layout.literal_type_count,
                "attributes without types",
            ),
        ] {
            if pointing > 0 && table == 0 {
                return Err(what.into());
            }
        }
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
        l.in_edges = section(l.edge_count.checked_mul(2).ok_or("size")?)?;
        l.names = section(l.name_count.checked_mul(NAME_WORDS).ok_or("size")?)?;
        l.end = at;
        if l.end != total {
            return Err("trailing words".into());
        }
        Ok(*l)
    }

    fn check_string(&self, offset: usize, len: usize) -> Result<(), String> {
        let Text::Memory(text) = &self.strings else {
            return Ok(());
        };
        let end = offset.checked_add(len).ok_or("string range overflows")?;
        if end > text.len() || !text.is_char_boundary(offset) || !text.is_char_boundary(end) {
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
        // object is n (through the in-edge index, which also holds each edge's subject).
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
                    let e = index.map_or(i, |index| w(index + 2 * i));
                    below(e, l.edge_count, "edge")?;
                    if w(l.edges + e * EDGE_WORDS + end_field) != n {
                        return Err(format!("{side} offsets disagree with the edges"));
                    }
                    // An in-edge carries its subject.
                    if let Some(index) = index
                        && w(index + 2 * i + 1) != w(l.edges + e * EDGE_WORDS)
                    {
                        return Err("an in-edge's subject disagrees with the edge".into());
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
            let folded = self.string(self.word(at), self.word(at + 1));
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

/// The fixed part of the header: magic, version, string bytes, array words, and the CRC-32 of
/// the header and the checksum table.
const HEADER: usize = 6 + 2 + 8 + 8 + 4;

/// `n` rounded up to a whole number of pages.
fn page_aligned(n: usize) -> usize {
    n.div_ceil(PAGE) * PAGE
}

/// The header and the checksum table of a projection whose areas are these bytes: the table
/// holds one CRC-32 per page of the strings, then one per page of the arrays.
fn header(strings: &[u8], words: &[u8]) -> Vec<u8> {
    let mut header = Vec::with_capacity(HEADER + 4 * (strings.len() + words.len()) / PAGE + 8);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&VERSION.to_le_bytes());
    header.extend_from_slice(&(strings.len() as u64).to_le_bytes());
    header.extend_from_slice(&(words.len() as u64 / 4).to_le_bytes());
    let mut table = Vec::new();
    for checksum in pages::checksums(strings).chain(pages::checksums(words)) {
        table.extend_from_slice(&checksum.to_le_bytes());
    }
    let mut crc = crc32fast::Hasher::new();
    crc.update(&header);
    crc.update(&table);
    header.extend_from_slice(&crc.finalize().to_le_bytes());
    header.extend_from_slice(&table);
    header.resize(page_aligned(header.len()), 0);
    header
}

/// The text as stored: strings, then zeros to the next page.
fn string_bytes(projection: &Projection) -> Result<&[u8], ProjectionFileError> {
    match (&projection.strings, &projection.words) {
        (Text::Memory(text), Words::Memory(_)) => Ok(text.as_bytes()),
        _ => Err(ProjectionFileError::TooLarge(
            "a projection read page by page is saved by the build that wrote it",
        )),
    }
}

/// Writes the projection to `path` (through a temporary file, then renamed): the header, a
/// checksum for every page, the strings and the arrays, each area starting on a page.
///
/// # Errors
/// I/O errors.
pub fn save(projection: &Projection, path: &Path) -> Result<(), ProjectionFileError> {
    let io_error = |source| ProjectionFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let strings = string_bytes(projection)?;
    let Words::Memory(words) = &projection.words else {
        unreachable!("string_bytes refuses paged projections")
    };
    let temporary = path.with_extension("kgp.tmp");
    let mut file = io::BufWriter::new(std::fs::File::create(&temporary).map_err(io_error)?);
    file.write_all(&header(strings, words)).map_err(io_error)?;
    file.write_all(strings).map_err(io_error)?;
    file.write_all(&vec![0; page_aligned(strings.len()) - strings.len()])
        .map_err(io_error)?;
    file.write_all(words).map_err(io_error)?;
    let file = file.into_inner().map_err(|e| io_error(e.into_error()))?;
    file.sync_all().map_err(io_error)?;
    std::fs::rename(&temporary, path).map_err(io_error)
}

/// What the header of a projection file says.
struct Header {
    string_len: usize,
    word_len: usize,
    string_checksums: Arc<[u32]>,
    word_checksums: Arc<[u32]>,
    /// Where the strings start; the arrays start at the next page after them.
    strings_at: u64,
    words_at: u64,
}

/// Reads and checks the header and the checksum table, and that the file is as long as they
/// say.
fn read_header(file: &mut std::fs::File, path: &Path) -> Result<Header, ProjectionFileError> {
    let corrupt = |reason: String| ProjectionFileError::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let file_len = file
        .metadata()
        .map_err(|source| ProjectionFileError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    let mut fixed = [0_u8; HEADER];
    file.read_exact(&mut fixed)
        .map_err(|_| corrupt("shorter than its header".into()))?;
    if &fixed[..6] != MAGIC {
        return Err(corrupt("wrong magic number".into()));
    }
    if u16::from_le_bytes([fixed[6], fixed[7]]) != VERSION {
        return Err(corrupt("written by another version of kg".into()));
    }
    let number = |range: std::ops::Range<usize>| {
        let mut bytes = [0_u8; 8];
        bytes.copy_from_slice(&fixed[range]);
        usize::try_from(u64::from_le_bytes(bytes)).ok()
    };
    let too_large = || {
        corrupt(format!(
            "its size ({file_len} bytes) does not match its header"
        ))
    };
    let (string_len, word_count) = (
        number(8..16).ok_or_else(too_large)?,
        number(16..24).ok_or_else(too_large)?,
    );
    let word_len = word_count.checked_mul(4).ok_or_else(too_large)?;
    let (string_pages, word_pages) = (Pages::count(string_len), Pages::count(word_len));
    let table_len = (string_pages + word_pages) * 4;
    let head_len = page_aligned(HEADER + table_len);
    let expected = head_len
        .checked_add(page_aligned(string_len))
        .and_then(|n| n.checked_add(word_len));
    if expected.is_none_or(|n| n as u64 != file_len) {
        return Err(too_large());
    }
    let mut table = vec![0_u8; table_len];
    file.read_exact(&mut table)
        .map_err(|_| corrupt("shorter than its checksum table".into()))?;
    let mut crc = crc32fast::Hasher::new();
    crc.update(&fixed[..HEADER - 4]);
    crc.update(&table);
    if crc.finalize().to_le_bytes() != fixed[HEADER - 4..] {
        return Err(corrupt("its header fails its checksum".into()));
    }
    let checksums: Vec<u32> = table
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Ok(Header {
        string_len,
        word_len,
        string_checksums: checksums[..string_pages].into(),
        word_checksums: checksums[string_pages..].into(),
        strings_at: head_len as u64,
        words_at: (head_len + page_aligned(string_len)) as u64,
    })
}

/// Reads a projection saved by [`save`] whole, checks every page against its checksum, then
/// every offset, index and ordering: after this no access can fail. For a command that answers
/// one question, [`open`] is faster: it reads only what the answer touches.
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
    let header = read_header(&mut file, path)?;
    let mut area =
        |at: u64, len: usize, checksums: &[u32]| -> Result<Vec<u8>, ProjectionFileError> {
            let mut bytes = vec![0_u8; len];
            file.seek(io::SeekFrom::Start(at)).map_err(io_error)?;
            file.read_exact(&mut bytes).map_err(io_error)?;
            for (page, (bytes, checksum)) in pages::checksums(&bytes).zip(checksums).enumerate() {
                if bytes != *checksum {
                    return Err(corrupt(format!("page {page} fails its checksum")));
                }
            }
            Ok(bytes)
        };
    let strings = area(
        header.strings_at,
        header.string_len,
        &header.string_checksums,
    )?;
    let words = area(header.words_at, header.word_len, &header.word_checksums)?;
    let strings = String::from_utf8(strings).map_err(|_| corrupt("invalid UTF-8".into()))?;
    Projection::from_parts(strings, words).map_err(corrupt)
}

/// Opens a projection saved by [`save`] to be read page by page as it is walked: the header,
/// the checksum table and the layout are checked now; each page against its checksum when it
/// is first read, and each value where it is used. Ask [`Projection::intact`] before trusting
/// an answer.
///
/// The file stays open: a later build renames a new projection over the name, never writes
/// into this one, so the pages read later are of the same generation.
///
/// # Errors
/// I/O errors, or [`ProjectionFileError::Corrupt`] when the header, the checksum table or the
/// layout is inconsistent.
pub fn open(path: &Path) -> Result<Projection, ProjectionFileError> {
    let mut file = std::fs::File::open(path).map_err(|source| ProjectionFileError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let header = read_header(&mut file, path)?;
    let source = Source::new(file, path);
    let strings = Pages::new(
        source.clone(),
        header.strings_at,
        header.string_len,
        header.string_checksums,
    );
    let words = Pages::new(
        source,
        header.words_at,
        header.word_len,
        header.word_checksums,
    );
    Projection::from_pages(strings, words).map_err(|reason| ProjectionFileError::Corrupt {
        path: path.to_path_buf(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

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
        let string_len =
            usize::try_from(u64::from_le_bytes(bytes[8..16].try_into().unwrap())).unwrap();
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
}
