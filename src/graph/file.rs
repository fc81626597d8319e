//! The saved projection (`graph.kgp`): a compact little-endian binary file read in one go.
//!
//! ```text
//! magic "KGPROJ" + u16 version
//! u32 n, n × class      (str iri, str label)
//! u32 n, n × predicate  (str iri, str label)
//! u32 n, n × node       (str iri, str id, str label, u32 k, k × u32 class)
//! u32 n, n × edge       (u32 source, u32 target, u32 predicate, u32 k, k × evidence)
//!        evidence       (str document, u64 sentence+1 or 0, str date or "", u8 has text, [str text])
//! u32 n, n × name       (str folded, u32 node, u8 kind)
//! ```
//! where `str` is a u32 byte length and UTF-8 bytes. Every read is bounds-checked: a truncated or
//! corrupt file gives an error, never a panic.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{Edge, Evidence, Name, NameKind, Node, Projection, Term};

const MAGIC: &[u8; 6] = b"KGPROJ";
const VERSION: u16 = 1;

/// Errors reading a saved projection.
#[derive(Debug, thiserror::Error)]
pub enum ProjectionFileError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: not a kg graph projection (or a corrupt one) at byte {offset}: {reason}")]
    Corrupt {
        path: PathBuf,
        offset: usize,
        reason: &'static str,
    },
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
    let mut out = Encoder(Vec::with_capacity(64 + projection.edges.len() * 32));
    out.0.extend_from_slice(MAGIC);
    out.0.extend_from_slice(&VERSION.to_le_bytes());
    for terms in [&projection.classes, &projection.predicates] {
        out.len(terms.len());
        for term in terms {
            out.str(&term.iri);
            out.str(&term.label);
        }
    }
    out.len(projection.nodes.len());
    for node in &projection.nodes {
        out.str(&node.iri);
        out.str(&node.id);
        out.str(&node.label);
        out.len(node.types.len());
        for &class in &node.types {
            out.u32(class);
        }
    }
    out.len(projection.edges.len());
    for edge in &projection.edges {
        out.u32(edge.source);
        out.u32(edge.target);
        out.u32(edge.predicate);
        out.len(edge.evidence.len());
        for evidence in &edge.evidence {
            out.str(&evidence.document);
            out.0
                .extend_from_slice(&evidence.sentence.map_or(0, |s| s + 1).to_le_bytes());
            out.str(evidence.date.as_deref().unwrap_or(""));
            match &evidence.text {
                Some(text) => {
                    out.0.push(1);
                    out.str(text);
                }
                None => out.0.push(0),
            }
        }
    }
    out.len(projection.names.len());
    for name in &projection.names {
        out.str(&name.folded);
        out.u32(name.node);
        out.0.push(match name.kind {
            NameKind::Id => 0,
            NameKind::Label => 1,
            NameKind::Alias => 2,
        });
    }
    let temporary = path.with_extension("kgp.tmp");
    let mut file = std::fs::File::create(&temporary).map_err(io_error)?;
    file.write_all(&out.0).map_err(io_error)?;
    file.sync_all().map_err(io_error)?;
    std::fs::rename(&temporary, path).map_err(io_error)
}

/// Reads a projection saved by [`save`].
///
/// # Errors
/// I/O errors, or [`ProjectionFileError::Corrupt`] for anything that is not a whole projection.
pub fn load(path: &Path) -> Result<Projection, ProjectionFileError> {
    let bytes = std::fs::read(path).map_err(|source| ProjectionFileError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    decode(&bytes).map_err(|(offset, reason)| ProjectionFileError::Corrupt {
        path: path.to_path_buf(),
        offset,
        reason,
    })
}

struct Encoder(Vec<u8>);

impl Encoder {
    fn u32(&mut self, value: u32) {
        self.0.extend_from_slice(&value.to_le_bytes());
    }

    fn len(&mut self, value: usize) {
        self.u32(u32::try_from(value).unwrap_or(u32::MAX));
    }

    fn str(&mut self, value: &str) {
        self.len(value.len());
        self.0.extend_from_slice(value.as_bytes());
    }
}

type DecodeError = (usize, &'static str);

struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
            .ok_or((self.at, "unexpected end of file"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, DecodeError> {
        let bytes = self.take(4)?;
        Ok(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    fn u64(&mut self) -> Result<u64, DecodeError> {
        let bytes = self.take(8)?;
        let mut array = [0; 8];
        array.copy_from_slice(bytes);
        Ok(u64::from_le_bytes(array))
    }

    /// A count, checked against the bytes left (each item takes at least `min_size` bytes), so a
    /// corrupt count cannot make kg allocate without bound.
    fn count(&mut self, min_size: usize) -> Result<usize, DecodeError> {
        let at = self.at;
        let count = self.u32()? as usize;
        if count.saturating_mul(min_size) > self.bytes.len() - self.at {
            return Err((at, "count larger than the file"));
        }
        Ok(count)
    }

    fn str(&mut self) -> Result<String, DecodeError> {
        let len = self.u32()? as usize;
        let at = self.at;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| (at, "invalid UTF-8"))
    }

    fn index(&mut self, bound: usize) -> Result<u32, DecodeError> {
        let at = self.at;
        let value = self.u32()?;
        if value as usize >= bound {
            return Err((at, "index out of range"));
        }
        Ok(value)
    }
}

fn decode(bytes: &[u8]) -> Result<Projection, DecodeError> {
    let mut d = Decoder { bytes, at: 0 };
    if d.take(MAGIC.len())? != MAGIC {
        return Err((0, "wrong magic number"));
    }
    let version = d.take(2)?;
    if u16::from_le_bytes([version[0], version[1]]) != VERSION {
        return Err((MAGIC.len(), "unsupported version: run `kg build` again"));
    }
    let mut terms = || -> Result<Vec<Term>, DecodeError> {
        let n = d.count(8)?;
        (0..n)
            .map(|_| {
                Ok(Term {
                    iri: d.str()?,
                    label: d.str()?,
                })
            })
            .collect()
    };
    let classes = terms()?;
    let predicates = terms()?;
    let n = d.count(16)?;
    let mut nodes = Vec::with_capacity(n);
    for _ in 0..n {
        let iri = d.str()?;
        let id = d.str()?;
        let label = d.str()?;
        let k = d.count(4)?;
        let types = (0..k)
            .map(|_| d.index(classes.len()))
            .collect::<Result<_, _>>()?;
        nodes.push(Node {
            iri,
            id,
            label,
            types,
        });
    }
    let n = d.count(16)?;
    let mut edges = Vec::with_capacity(n);
    for _ in 0..n {
        let source = d.index(nodes.len())?;
        let target = d.index(nodes.len())?;
        let predicate = d.index(predicates.len())?;
        let k = d.count(17)?;
        let mut evidence = Vec::with_capacity(k);
        for _ in 0..k {
            let document = d.str()?;
            let sentence = d.u64()?.checked_sub(1);
            let date = Some(d.str()?).filter(|s| !s.is_empty());
            let text = if d.u8()? == 1 { Some(d.str()?) } else { None };
            evidence.push(Evidence {
                document,
                sentence,
                date,
                text,
            });
        }
        edges.push(Edge {
            source,
            target,
            predicate,
            evidence,
        });
    }
    let n = d.count(9)?;
    let mut names = Vec::with_capacity(n);
    for _ in 0..n {
        let folded = d.str()?;
        let node = d.index(nodes.len())?;
        let at = d.at;
        let kind = match d.u8()? {
            0 => NameKind::Id,
            1 => NameKind::Label,
            2 => NameKind::Alias,
            _ => return Err((at, "unknown name kind")),
        };
        names.push(Name { folded, node, kind });
    }
    if d.at != bytes.len() {
        return Err((d.at, "trailing bytes"));
    }
    Ok(Projection::new(nodes, edges, classes, predicates, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Projection {
        Projection::new(
            vec![
                Node {
                    iri: "https://e/a".into(),
                    id: "a".into(),
                    label: "Ä \"quoted\"".into(),
                    types: vec![0],
                },
                Node {
                    iri: "https://e/b".into(),
                    id: "b".into(),
                    label: "b".into(),
                    types: vec![],
                },
            ],
            vec![Edge {
                source: 0,
                target: 1,
                predicate: 0,
                evidence: vec![Evidence {
                    document: "doc".into(),
                    sentence: Some(3),
                    date: Some("--11".into()),
                    text: Some("Words.".into()),
                }],
            }],
            vec![Term {
                iri: "https://o/C".into(),
                label: "C".into(),
            }],
            vec![Term {
                iri: "https://o/p".into(),
                label: "p".into(),
            }],
            vec![Name {
                folded: "a".into(),
                node: 0,
                kind: NameKind::Id,
            }],
        )
    }

    #[test]
    fn round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.kgp");
        let projection = sample();
        save(&projection, &path).unwrap();
        let loaded = load(&path).unwrap();
        assert_eq!(loaded.nodes, projection.nodes);
        assert_eq!(loaded.edges, projection.edges);
        assert_eq!(loaded.names, projection.names);
        assert_eq!(loaded.graph().edge_count(), 1);
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.kgp");
        save(&sample(), &path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        for len in 0..bytes.len() {
            assert!(decode(&bytes[..len]).is_err(), "prefix of {len} bytes accepted");
        }
        let mut flipped = bytes.clone();
        flipped[0] ^= 0xFF;
        assert!(decode(&flipped).is_err());
    }
}
