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
use super::{Projection, Text, Words};

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

mod check;
#[cfg(test)]
mod tests;
