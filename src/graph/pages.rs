//! A projection's bytes read from its file a page at a time, the first time each page is used,
//! each page checked against the checksum `kg build` wrote for it. A command that walks a few
//! thousand edges of a five-million-edge graph reads those pages and nothing else.
//!
//! Pages are kept once read ([`OnceLock`]), so every `&[u8]` handed out lives as long as the
//! [`Pages`] and no page is read twice. A page that cannot be read or fails its checksum is an
//! error for the caller to record (see [`super::Projection::intact`]); it is never a panic.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Bytes a page holds (the last page of an area may hold fewer).
pub(super) const PAGE: usize = 4096;

/// The file pages are read from, shared by a projection's areas.
#[derive(Debug)]
pub(super) struct Source {
    file: File,
    path: PathBuf,
}

impl Source {
    pub(super) fn new(file: File, path: &Path) -> Arc<Self> {
        Arc::new(Self {
            file,
            path: path.to_path_buf(),
        })
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    #[cfg(unix)]
    fn read_at(&self, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(&self.file, buffer, offset)
    }

    #[cfg(windows)]
    fn read_at(&self, mut buffer: &mut [u8], mut offset: u64) -> std::io::Result<()> {
        use std::os::windows::fs::FileExt as _;
        while !buffer.is_empty() {
            match self.file.seek_read(buffer, offset)? {
                0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                n => {
                    buffer = &mut buffer[n..];
                    offset += n as u64;
                }
            }
        }
        Ok(())
    }
}

/// One area of the file (the strings, or the arrays), read page by page.
#[derive(Clone)]
pub(super) struct Pages {
    source: Arc<Source>,
    /// Where the area starts in the file.
    start: u64,
    len: usize,
    /// CRC-32 of each page, from the file's checksum table.
    checksums: Arc<[u32]>,
    /// Page `p` once read: the page itself, or for a string longer than a page that starts
    /// there, every page it covers.
    read: Box<[OnceLock<Box<[u8]>>]>,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("path", &self.source.path)
            .field("start", &self.start)
            .field("len", &self.len)
            .field(
                "read",
                &self.read.iter().filter(|p| p.get().is_some()).count(),
            )
            .finish_non_exhaustive()
    }
}

impl Pages {
    pub(super) fn new(source: Arc<Source>, start: u64, len: usize, checksums: Arc<[u32]>) -> Self {
        let read = (0..checksums.len()).map(|_| OnceLock::new()).collect();
        Self {
            source,
            start,
            len,
            checksums,
            read,
        }
    }

    /// Pages an area of `len` bytes has.
    pub(super) fn count(len: usize) -> usize {
        len.div_ceil(PAGE)
    }

    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn path(&self) -> &Path {
        self.source.path()
    }

    /// `len` bytes at `offset`. They must lie in one page, or start a page when longer than
    /// one: `kg build` lays strings out so (see `super::assemble`), and words never cross a
    /// page.
    pub(super) fn get(&self, offset: usize, len: usize) -> Result<&[u8], String> {
        let end = offset
            .checked_add(len)
            .filter(|end| *end <= self.len)
            .ok_or_else(|| format!("bytes {offset}+{len} are past the end of the area"))?;
        if len == 0 {
            return Ok(&[]);
        }
        let page = offset / PAGE;
        let within = offset - page * PAGE;
        let chunk = self.chunk(page, end)?;
        chunk
            .get(within..within + len)
            .ok_or_else(|| format!("bytes {offset}+{len} cross a page boundary"))
    }

    /// Page `page`, read when first asked for; reading enough pages to reach `end` when it
    /// lies beyond the page and the read starts at the page.
    fn chunk(&self, page: usize, end: usize) -> Result<&[u8], String> {
        let slot = &self.read[page];
        if let Some(chunk) = slot.get() {
            return Ok(chunk);
        }
        let first = page * PAGE;
        let last = end.max(first + 1).div_ceil(PAGE).min(self.read.len());
        let bytes_end = (last * PAGE).min(self.len);
        let mut chunk = vec![0_u8; bytes_end - first].into_boxed_slice();
        self.source
            .read_at(&mut chunk, self.start + first as u64)
            .map_err(|e| format!("cannot read page {page}: {e}"))?;
        for (i, bytes) in chunk.chunks(PAGE).enumerate() {
            if crc32fast::hash(bytes) != self.checksums[page + i] {
                return Err(format!("page {} fails its checksum", page + i));
            }
        }
        // Another thread may have read it meanwhile: the first one kept wins.
        Ok(slot.get_or_init(|| chunk))
    }
}

/// The checksum of each page of `bytes`, as the file's table holds them.
pub(super) fn checksums(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    bytes.chunks(PAGE).map(crc32fast::hash)
}
