//! The files a build reads: where they come from (the embedded default or folders on disk) and
//! what each one is (a CSV table, an RDF file, a source text).

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

use oxigraph::io::RdfFormat;

use super::csv::DEFAULT_MAX_FIELD_SIZE;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// kg's provenance vocabulary, loaded into every build.
const KG_VOCABULARY: (&str, &[u8]) = ("ontology/kg.ttl", include_bytes!("../../ontology/kg.ttl"));

/// Where a file's bytes are.
#[derive(Debug, Clone)]
enum Content {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// What a file holds, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A CSV table (entity or relation table: the header tells which).
    Table,
    /// An RDF file in this format.
    Rdf(RdfFormat),
    /// `sources/<document-id>.txt`: the text of a source document.
    SourceText,
    /// Something kg does not read.
    Other,
}

/// One input file.
#[derive(Debug, Clone)]
pub struct InputFile {
    name: PathBuf,
    content: Content,
    kind: FileKind,
}

impl InputFile {
    fn new(name: PathBuf, content: Content, in_sources: bool) -> Self {
        let extension = name
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let kind = match extension.as_str() {
            "csv" => FileKind::Table,
            "txt" if in_sources => FileKind::SourceText,
            "owl" => FileKind::Rdf(RdfFormat::RdfXml),
            "ttl" | "nt" | "nq" | "trig" | "rdf" | "jsonld" => {
                RdfFormat::from_extension(&extension).map_or(FileKind::Other, FileKind::Rdf)
            }
            _ => FileKind::Other,
        };
        Self {
            name,
            content,
            kind,
        }
    }

    /// The name used in messages and in `kg:row`: relative to the folder given, or the repository
    /// path for embedded files.
    pub fn name(&self) -> &Path {
        &self.name
    }

    /// What the file holds.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// For a source text, the document id it belongs to (its file stem).
    pub fn document_id(&self) -> Option<&str> {
        (self.kind == FileKind::SourceText)
            .then(|| self.name.file_stem().and_then(|s| s.to_str()))
            .flatten()
    }

    /// All the bytes (for small files: RDF, source texts).
    ///
    /// # Errors
    /// When the file cannot be read.
    pub fn bytes(&self) -> io::Result<Cow<'static, [u8]>> {
        match &self.content {
            Content::Embedded(bytes) => Ok(Cow::Borrowed(bytes)),
            Content::Disk(path) => std::fs::read(path).map(Cow::Owned),
        }
    }

    /// A buffered reader, for streaming large tables.
    ///
    /// # Errors
    /// When the file cannot be opened.
    pub fn reader(&self) -> io::Result<Box<dyn Read + Send>> {
        match &self.content {
            Content::Embedded(bytes) => Ok(Box::new(*bytes)),
            Content::Disk(path) => Ok(Box::new(BufReader::with_capacity(
                1 << 20,
                File::open(path)?,
            ))),
        }
    }
}

/// Everything one build reads.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Ontology files (kg's vocabulary first).
    pub ontology: Vec<InputFile>,
    /// Data files: tables, RDF, source texts, in a stable order.
    pub data: Vec<InputFile>,
    /// `--base`: the base IRI of entities, if given.
    pub base: Option<String>,
    /// The most bytes one CSV field may have ([`DEFAULT_MAX_FIELD_SIZE`] unless changed): a
    /// larger one is an error at its line and field, and is never held in memory.
    pub max_field_size: u64,
    /// Entries of the folders read that are not regular files (FIFOs, devices, sockets, also
    /// through symbolic links), with what they are: skipped, since reading them could block or
    /// never end. A build reports each as a warning.
    pub skipped: Vec<(PathBuf, &'static str)>,
}

impl Inputs {
    /// The embedded default: the peace-talks ontology and data compiled into the binary.
    pub fn embedded() -> Self {
        let mut inputs = Self::empty();
        for (path, bytes) in embedded::EMBEDDED {
            let name = PathBuf::from(path);
            let content = Content::Embedded(bytes);
            if let Some(rest) = path.strip_prefix("data/") {
                let in_sources = rest.starts_with("sources/");
                inputs.data.push(InputFile::new(name, content, in_sources));
            } else if *path != KG_VOCABULARY.0 {
                inputs.ontology.push(InputFile::new(name, content, false));
            }
        }
        inputs
    }

    /// No inputs but kg's own vocabulary.
    pub fn empty() -> Self {
        Self {
            ontology: vec![InputFile::new(
                PathBuf::from(KG_VOCABULARY.0),
                Content::Embedded(KG_VOCABULARY.1),
                false,
            )],
            data: Vec::new(),
            base: None,
            max_field_size: DEFAULT_MAX_FIELD_SIZE,
            skipped: Vec::new(),
        }
    }

    /// Adds an ontology file, or every RDF file of a folder.
    ///
    /// # Errors
    /// When the path cannot be read.
    pub fn add_ontology(&mut self, path: &Path) -> io::Result<()> {
        for (name, absolute) in self.walk(path)? {
            let file = InputFile::new(name, Content::Disk(absolute), false);
            if matches!(file.kind, FileKind::Rdf(_)) || path.is_file() {
                self.ontology.push(file);
            }
        }
        Ok(())
    }

    /// Adds every file of a data folder (tables, RDF, `sources/*.txt`). A subfolder is read the
    /// same way, its own `sources/` included: an ingest folder copied into the data folder is
    /// read with its text.
    ///
    /// # Errors
    /// When the folder cannot be read.
    pub fn add_data(&mut self, dir: &Path) -> io::Result<()> {
        for (name, absolute) in self.walk(dir)? {
            let in_sources =
                name.parent().and_then(Path::file_name) == Some(std::ffi::OsStr::new("sources"));
            self.data
                .push(InputFile::new(name, Content::Disk(absolute), in_sources));
        }
        Ok(())
    }

    /// Adds source texts: `DIR/<document-id>.txt` files (or one such file).
    ///
    /// # Errors
    /// When the path cannot be read.
    pub fn add_sources(&mut self, path: &Path) -> io::Result<()> {
        for (name, absolute) in self.walk(path)? {
            let file = InputFile::new(
                Path::new("sources").join(name.file_name().unwrap_or(name.as_os_str())),
                Content::Disk(absolute),
                true,
            );
            if file.kind == FileKind::SourceText {
                self.data.push(file);
            }
        }
        Ok(())
    }

    /// Regular files under `path` (or `path` itself), with names relative to it, sorted by name.
    /// Symbolic links are followed (a folder reached twice is read once); what is not a regular
    /// file or a folder once they are followed goes to [`Self::skipped`].
    fn walk(&mut self, path: &Path) -> io::Result<Vec<(PathBuf, PathBuf)>> {
        let metadata = std::fs::metadata(path)?;
        if metadata.is_file() {
            let name = path
                .file_name()
                .map_or_else(|| path.to_path_buf(), PathBuf::from);
            return Ok(vec![(name, path.to_path_buf())]);
        }
        if !metadata.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "not a regular file or a folder ({})",
                    special_kind(&metadata)
                ),
            ));
        }
        let mut files = Vec::new();
        let mut seen_folders = std::collections::HashSet::new();
        seen_folders.insert(std::fs::canonicalize(path)?);
        let mut todo = vec![PathBuf::new()];
        while let Some(relative) = todo.pop() {
            for entry in std::fs::read_dir(path.join(&relative))? {
                let entry = entry?;
                let name = relative.join(entry.file_name());
                if entry.file_name().to_string_lossy().starts_with('.') {
                    continue;
                }
                // Followed through symbolic links: a `.csv` link to /dev/zero is a device.
                let metadata = match std::fs::metadata(entry.path()) {
                    Ok(metadata) => metadata,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        self.skipped.push((name, "a broken symbolic link"));
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                if metadata.is_dir() {
                    if seen_folders.insert(std::fs::canonicalize(entry.path())?) {
                        todo.push(name);
                    }
                } else if metadata.is_file() {
                    files.push((name, entry.path()));
                } else {
                    self.skipped.push((name, special_kind(&metadata)));
                }
            }
        }
        files.sort();
        self.skipped.sort();
        Ok(files)
    }
}

/// What a file that is neither regular nor a folder is, in words.
fn special_kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    let _ = metadata;
    "not a regular file"
}
