//! What the server and its SPARQL workers say to each other over the worker's stdin and stdout.
//!
//! The server writes one [`WorkRequest`] as a line of JSON. The worker answers with frames, each
//! a kind byte, a big-endian `u32` length and that many bytes: first a [`Frame::Head`] (JSON
//! [`WorkHead`]: the status, the media type, whether rows were cut), then [`Frame::Data`] chunks
//! of the body, then [`Frame::End`]. A worker that fails mid-body sends nothing more: the server
//! sees the missing end and breaks the response off rather than let it pass as whole.

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

/// Largest frame accepted (a worker writes chunks of [`CHUNK`] bytes).
pub const MAX_FRAME: u32 = 16 << 20;

/// The size of the body chunks a worker writes.
pub const CHUNK: usize = 64 << 10;

/// One SPARQL request for a worker.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct WorkRequest {
    /// The query text.
    pub query: String,
    /// The client's `Accept` header (empty: any).
    pub accept: String,
    /// A format name that overrides `accept` (`json`, `xml`, `csv`, `tsv`, `turtle`,
    /// `ntriples`, `jsonld`, `rdfxml`), from the `format` parameter.
    pub format: Option<String>,
    /// `default-graph-uri` parameters: the union makes the query's default graph.
    pub default_graphs: Vec<String>,
    /// `named-graph-uri` parameters: the named graphs the query may see.
    pub named_graphs: Vec<String>,
    /// Most rows (or triples) sent; more are cut and the answer says so.
    pub max_rows: u64,
    /// Milliseconds the query may run (the worker cancels it; the server kills a worker that
    /// does not stop).
    pub timeout_ms: u64,
}

/// The head of a worker's answer.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct WorkHead {
    /// The HTTP status.
    pub status: u16,
    /// The body's media type.
    pub media_type: String,
    /// Rows, triples, or 1 for an ASK answer.
    pub rows: u64,
    /// Whether `max_rows` cut the answer.
    pub truncated: bool,
    /// For errors: a JSON error body follows as data.
    pub error: bool,
}

/// One frame of a worker's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// The head: status, media type, row count.
    Head(WorkHead),
    /// A chunk of the body.
    Data(Vec<u8>),
    /// The body is complete.
    End,
}

const HEAD: u8 = b'H';
const DATA: u8 = b'D';
const END: u8 = b'E';

impl Frame {
    /// Writes the frame.
    ///
    /// # Errors
    /// I/O errors.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let (kind, payload): (u8, std::borrow::Cow<'_, [u8]>) = match self {
            Self::Head(head) => (
                HEAD,
                serde_json::to_vec(head).map_err(io::Error::other)?.into(),
            ),
            Self::Data(bytes) => (DATA, bytes.as_slice().into()),
            Self::End => (END, (&[][..]).into()),
        };
        let len = u32::try_from(payload.len())
            .ok()
            .filter(|&n| n <= MAX_FRAME)
            .ok_or_else(|| io::Error::other("frame too large"))?;
        out.write_all(&[kind])?;
        out.write_all(&len.to_be_bytes())?;
        out.write_all(&payload)
    }

    /// Decodes a frame from its kind byte and payload.
    ///
    /// # Errors
    /// An unknown kind or a head that is not JSON.
    pub fn decode(kind: u8, payload: Vec<u8>) -> io::Result<Self> {
        match kind {
            HEAD => serde_json::from_slice(&payload)
                .map(Self::Head)
                .map_err(io::Error::other),
            DATA => Ok(Self::Data(payload)),
            END => Ok(Self::End),
            _ => Err(io::Error::other(format!("unknown frame kind {kind}"))),
        }
    }

    /// Reads a frame (blocking).
    ///
    /// # Errors
    /// I/O errors, a frame over [`MAX_FRAME`], an unknown kind.
    pub fn read(input: &mut dyn Read) -> io::Result<Self> {
        let mut header = [0u8; 5];
        input.read_exact(&mut header)?;
        let (kind, len) = frame_header(header)?;
        let mut payload = vec![0; len];
        input.read_exact(&mut payload)?;
        Self::decode(kind, payload)
    }
}

/// Parses the 5-byte frame header: kind and payload length.
///
/// # Errors
/// A length over [`MAX_FRAME`].
pub fn frame_header(header: [u8; 5]) -> io::Result<(u8, usize)> {
    let len = u32::from_be_bytes([header[1], header[2], header[3], header[4]]);
    if len > MAX_FRAME {
        return Err(io::Error::other("frame too large"));
    }
    Ok((header[0], len as usize))
}

/// A `Write` that sends what it is given as [`Frame::Data`] chunks of [`CHUNK`] bytes.
pub struct FrameWriter<'a> {
    out: &'a mut dyn Write,
    buffer: Vec<u8>,
}

impl<'a> FrameWriter<'a> {
    /// Frames written to `out`.
    pub fn new(out: &'a mut dyn Write) -> Self {
        Self {
            out,
            buffer: Vec::with_capacity(CHUNK),
        }
    }

    /// Writes what is buffered as one data frame.
    fn frame(&mut self) -> io::Result<()> {
        if !self.buffer.is_empty() {
            let data = Frame::Data(std::mem::take(&mut self.buffer));
            data.write(self.out)?;
            self.buffer.reserve(CHUNK);
        }
        Ok(())
    }

    /// Sends what is buffered and the end frame, flushed together: a small answer reaches the
    /// reader in one write.
    ///
    /// # Errors
    /// I/O errors.
    pub fn finish(mut self) -> io::Result<()> {
        self.frame()?;
        Frame::End.write(self.out)?;
        self.out.flush()
    }
}

impl Write for FrameWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            // A full chunk goes out at once, for the server to stream it on.
            self.frame()?;
            self.out.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip() {
        let mut bytes = Vec::new();
        let head = Frame::Head(WorkHead {
            status: 200,
            media_type: "text/csv".into(),
            rows: 2,
            truncated: true,
            error: false,
        });
        head.write(&mut bytes).unwrap();
        let mut writer = FrameWriter::new(&mut bytes);
        writer.write_all(&vec![b'x'; CHUNK + 3]).unwrap();
        writer.finish().unwrap();
        let mut input = bytes.as_slice();
        assert_eq!(Frame::read(&mut input).unwrap(), head);
        assert_eq!(
            Frame::read(&mut input).unwrap(),
            Frame::Data(vec![b'x'; CHUNK + 3])
        );
        assert_eq!(Frame::read(&mut input).unwrap(), Frame::End);
        assert!(input.is_empty());
    }

    #[test]
    fn refuses_oversized_frames() {
        let mut bytes = vec![DATA];
        bytes.extend_from_slice(&(MAX_FRAME + 1).to_be_bytes());
        assert!(Frame::read(&mut bytes.as_slice()).is_err());
    }
}
