//! The store folder: a persistent oxigraph store plus the saved graph projection, replaced as a
//! whole by each build.
//!
//! Layout of `--store DIR`:
//!
//! ```text
//! DIR/CURRENT          name of the generation readers open (replaced atomically by rename)
//! DIR/PREVIOUS         the generation before it, kept for readers that opened it
//! DIR/build.lock       held (flock) by the one build allowed at a time
//! DIR/gen-<id>/oxigraph/   the RocksDB store
//! DIR/gen-<id>/graph.kgp   the graph projection
//! DIR/gen-<id>/meta.json   what was built, from what, with which prefixes
//! DIR/gen-<id>/readers     locked (shared flock) by every reader that has the generation open
//! ```
//!
//! A build writes a new generation beside the current one and only then points `CURRENT` at it,
//! so a failed, interrupted or killed build leaves the previous graph intact and queryable. The
//! next build removes what a killed build left behind, and generations older than `PREVIOUS`,
//! except those a reader still has open: a query in flight (in `kg query`, in a `kg serve`
//! worker) finishes on the generation it began on however many builds commit meanwhile.

mod local;

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use oxigraph::store::Store;
use serde::{Deserialize, Serialize};

pub use self::local::LocalGraph;

const CURRENT: &str = "CURRENT";
const PREVIOUS: &str = "PREVIOUS";
const LOCK: &str = "build.lock";
const GENERATION_PREFIX: &str = "gen-";
const OXIGRAPH_DIR: &str = "oxigraph";
const PROJECTION_FILE: &str = "graph.kgp";
const META_FILE: &str = "meta.json";
const READERS_FILE: &str = "readers";

/// Version of the folder layout and `meta.json`; a store of another version must be rebuilt.
pub const FORMAT_VERSION: u32 = 2;

/// Errors of the store folder. Each names the file; the cause is its [`source`] (shown once
/// by error chains such as anyhow's `{:#}`), or for `RocksDB` in the message, cleaned of
/// repeats.
///
/// [`source`]: std::error::Error::source
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("{path}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("no graph has been built in {0} yet (run `kg build`)")]
    NotBuilt(PathBuf),
    #[error("{path} is locked by another kg build{}", holder.map(|pid| format!(" (process {pid})")).unwrap_or_default())]
    Locked { path: PathBuf, holder: Option<u32> },
    #[error("{path}: {}", storage_message(error))]
    Oxigraph {
        path: PathBuf,
        error: oxigraph::store::StorageError,
    },
    #[error("{path}: unreadable build description")]
    Meta {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "{path} was built by a kg with store format {found}; this kg reads format {FORMAT_VERSION}: run `kg build` again"
    )]
    Version { path: PathBuf, found: u32 },
    #[error(
        "{path} is one generation of a store, not a store folder: build into the store, {parent}"
    )]
    Generation { path: PathBuf, parent: PathBuf },
}

/// A `RocksDB` error as one readable cause: `RocksDB` repeats itself (`IO error: No space left
/// on device: While appending to file: F: No space left on device`), so its `: `-separated parts
/// are kept once each, and the `IO error` tag is dropped.
///
/// ```
/// let error = oxigraph::store::StorageError::Io(std::io::Error::other(
///     "IO error: No space left on device: While appending to file: /s/1.sst: No space left on device",
/// ));
/// assert_eq!(
///     kg::store::storage_message(&error),
///     "No space left on device: While appending to file: /s/1.sst"
/// );
/// ```
pub fn storage_message(error: &oxigraph::store::StorageError) -> String {
    let text = error.to_string();
    let mut parts: Vec<&str> = Vec::new();
    for part in text.split(": ").map(str::trim) {
        if !part.is_empty() && part != "IO error" && !parts.contains(&part) {
            parts.push(part);
        }
    }
    if parts.is_empty() {
        text
    } else {
        parts.join(": ")
    }
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a generation holds, saved as `meta.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// [`FORMAT_VERSION`] of the writer.
    pub format: u32,
    /// The kg version that built it.
    pub kg_version: String,
    /// Seconds since the Unix epoch when the build finished.
    pub built_at: u64,
    /// The base IRI of entities.
    pub base: String,
    /// Prefixes to declare in queries and exports.
    pub prefixes: BTreeMap<String, String>,
    /// Quads in the store.
    pub quads: u64,
    /// The build report.
    pub summary: serde_json::Value,
}

/// A store folder (`--store DIR`).
#[derive(Debug, Clone)]
pub struct StoreDir {
    root: PathBuf,
}

/// A generation that has been built and committed.
#[derive(Debug, Clone)]
pub struct Generation {
    dir: PathBuf,
}

impl Generation {
    /// The generation's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the saved projection is.
    pub fn projection_path(&self) -> PathBuf {
        self.dir.join(PROJECTION_FILE)
    }

    /// Reads `meta.json`.
    ///
    /// # Errors
    /// When it is missing, unreadable, or of another format version.
    pub fn meta(&self) -> Result<Meta, StoreError> {
        let path = self.dir.join(META_FILE);
        let bytes = fs::read(&path).map_err(io_error(&path))?;
        let meta: Meta = serde_json::from_slice(&bytes).map_err(|source| StoreError::Meta {
            path: path.clone(),
            source,
        })?;
        if meta.format != FORMAT_VERSION {
            return Err(StoreError::Version {
                path,
                found: meta.format,
            });
        }
        Ok(meta)
    }

    /// Takes a reader's lease on the generation: a shared lock on its `readers` file, held
    /// while the returned file is open. A build removes no generation that is leased. `None`
    /// for a generation built before leases existed (it has no `readers` file).
    ///
    /// # Errors
    /// When the file cannot be opened, or a build is removing the generation this moment.
    pub fn lease(&self) -> Result<Option<File>, StoreError> {
        let path = self.dir.join(READERS_FILE);
        let file = match File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound && self.dir.join(META_FILE).is_file() => {
                return Ok(None);
            }
            Err(e) => return Err(io_error(&path)(e)),
        };
        match file.try_lock_shared() {
            Ok(()) => Ok(Some(file)),
            Err(fs::TryLockError::WouldBlock) => Err(io_error(&path)(io::Error::new(
                io::ErrorKind::NotFound,
                "the generation is being removed by a build",
            ))),
            Err(fs::TryLockError::Error(source)) => Err(io_error(&path)(source)),
        }
    }

    /// Opens the oxigraph store read-only. Many readers may open it at once; builds never write
    /// into a committed generation.
    ///
    /// # Errors
    /// When `RocksDB` cannot open it.
    pub fn open_store(&self) -> Result<Store, StoreError> {
        let path = self.dir.join(OXIGRAPH_DIR);
        Store::open_read_only(&path).map_err(|error| StoreError::Oxigraph { path, error })
    }
}

impl StoreDir {
    /// The store folder at `root` (created by the first build).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn read_pointer(&self, name: &str) -> Result<Option<String>, StoreError> {
        let path = self.root.join(name);
        match fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text.trim().to_owned()).filter(|t| !t.is_empty())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(&path)(e)),
        }
    }

    /// The generation readers should open.
    ///
    /// # Errors
    /// [`StoreError::NotBuilt`] when nothing was ever committed here.
    pub fn current(&self) -> Result<Generation, StoreError> {
        match self.read_pointer(CURRENT)? {
            Some(name) if is_generation_name(&name) => Ok(Generation {
                dir: self.root.join(name),
            }),
            _ => Err(StoreError::NotBuilt(self.root.clone())),
        }
    }

    /// Whether a graph has been committed here.
    pub fn is_built(&self) -> bool {
        self.current().is_ok()
    }

    /// Starts a build: takes the build lock, removes what killed builds left, and creates an
    /// empty generation folder. A folder that is itself a generation of a store is refused.
    ///
    /// # Errors
    /// [`StoreError::Locked`] when another build holds the lock; [`StoreError::Generation`];
    /// I/O errors.
    pub fn begin(&self) -> Result<Building, StoreError> {
        if self.root.join(META_FILE).is_file() || self.root.join(OXIGRAPH_DIR).is_dir() {
            return Err(StoreError::Generation {
                parent: self
                    .root
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
                path: self.root.clone(),
            });
        }
        let created_root = !self.root.exists();
        fs::create_dir_all(&self.root).map_err(io_error(&self.root))?;
        let lock_path = self.root.join(LOCK);
        let mut lock = self.lock(&lock_path)?;
        lock.set_len(0).map_err(io_error(&lock_path))?;
        write!(lock, "{}", std::process::id()).map_err(io_error(&lock_path))?;
        self.remove_stale()?;
        let name = format!(
            "{GENERATION_PREFIX}{}-{}",
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis()),
            std::process::id()
        );
        let dir = self.root.join(&name);
        fs::create_dir(&dir).map_err(io_error(&dir))?;
        let readers = dir.join(READERS_FILE);
        File::create(&readers).map_err(io_error(&readers))?;
        Ok(Building {
            root: self.root.clone(),
            name,
            dir,
            committed: false,
            created_root,
            lock,
        })
    }

    /// Opens and locks `build.lock`. A failed first build removes the lock file with the folder
    /// it created, so a lock taken on a file that has meanwhile been removed (or replaced) is no
    /// lock: it is taken again on the file the path now names.
    fn lock(&self, lock_path: &Path) -> Result<File, StoreError> {
        for _ in 0..3 {
            let lock = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(lock_path)
                .map_err(io_error(lock_path))?;
            match lock.try_lock() {
                Ok(()) if same_file(&lock, lock_path) => return Ok(lock),
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = (&lock).read_to_string(&mut holder);
                    return Err(StoreError::Locked {
                        path: self.root.clone(),
                        holder: holder.trim().parse().ok(),
                    });
                }
                Err(fs::TryLockError::Error(source)) => return Err(io_error(lock_path)(source)),
            }
        }
        Err(StoreError::Locked {
            path: self.root.clone(),
            holder: None,
        })
    }

    /// Removes generations that are neither current nor previous (older ones, and those left
    /// by killed builds), but for those a reader has leased: they go with a later build.
    fn remove_stale(&self) -> Result<(), StoreError> {
        let keep = [self.read_pointer(CURRENT)?, self.read_pointer(PREVIOUS)?];
        let entries = fs::read_dir(&self.root).map_err(io_error(&self.root))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let kept = keep.iter().flatten().any(|k| *k == name);
            if !is_generation_name(&name) || kept {
                continue;
            }
            // Held while the folder goes, so that no reader takes a lease on it meanwhile.
            let readers = File::open(entry.path().join(READERS_FILE));
            let unleased = readers
                .as_ref()
                .map_or(true, |file| file.try_lock().is_ok());
            if unleased {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
        Ok(())
    }
}

/// Whether the open `file` is the one `path` names now.
#[cfg(unix)]
fn same_file(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &File, path: &Path) -> bool {
    path.exists()
}

fn is_generation_name(name: &str) -> bool {
    name.starts_with(GENERATION_PREFIX) && !name.contains(['/', '\\']) && name != ".."
}

/// A build in progress: owns the build lock and a new generation folder. Dropped without
/// [`commit`](Self::commit), it removes the folder and the current graph stays as it was.
#[derive(Debug)]
pub struct Building {
    root: PathBuf,
    name: String,
    dir: PathBuf,
    committed: bool,
    /// Whether this build created the store folder: a failed first build leaves no folder.
    created_root: bool,
    lock: File,
}

impl Building {
    /// The new generation's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Opens the new generation's oxigraph store for writing.
    ///
    /// # Errors
    /// When `RocksDB` cannot create it.
    pub fn create_store(&self) -> Result<Store, StoreError> {
        let path = self.dir.join(OXIGRAPH_DIR);
        Store::open(&path).map_err(|error| StoreError::Oxigraph { path, error })
    }

    /// Where to save the projection.
    pub fn projection_path(&self) -> PathBuf {
        self.dir.join(PROJECTION_FILE)
    }

    /// Makes the new generation current: writes `meta.json`, syncs, then swaps `CURRENT` by an
    /// atomic rename. Older generations but the previous one are removed.
    ///
    /// # Errors
    /// I/O errors; the previous generation stays current when any step fails.
    pub fn commit(mut self, meta: &Meta) -> Result<Generation, StoreError> {
        let meta_path = self.dir.join(META_FILE);
        let json = serde_json::to_vec_pretty(meta).map_err(|source| StoreError::Meta {
            path: meta_path.clone(),
            source,
        })?;
        write_synced(&meta_path, &json)?;
        sync_dir(&self.dir)?;
        let previous = fs::read_to_string(self.root.join(CURRENT)).ok();
        if let Some(previous) = previous.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            replace_file(&self.root, PREVIOUS, previous, || {})?;
        }
        replace_file(&self.root, CURRENT, &self.name, || self.committed = true)?;
        let store = StoreDir::new(&self.root);
        store.remove_stale()?;
        Ok(Generation {
            dir: self.dir.clone(),
        })
    }
}

impl Drop for Building {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        let _ = fs::remove_dir_all(&self.dir);
        if self.created_root {
            // Still holding the lock: a build that opened the file meanwhile sees it removed.
            let _ = fs::remove_file(self.root.join(LOCK));
            let _ = fs::remove_dir(&self.root);
        }
        let _ = self.lock.unlock();
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let mut file = File::create(path).map_err(io_error(path))?;
    file.write_all(bytes).map_err(io_error(path))?;
    file.sync_all().map_err(io_error(path))
}

/// Replaces `root/name` with `content` atomically: write a temporary file, sync, rename, sync
/// the folder. `renamed` runs as soon as the rename took place: from then on the new content is
/// what readers see, even if the folder sync fails. A failed write removes the temporary file.
fn replace_file(
    root: &Path,
    name: &str,
    content: &str,
    renamed: impl FnOnce(),
) -> Result<(), StoreError> {
    let temporary = root.join(format!(".{name}.tmp"));
    let target = root.join(name);
    let written = write_synced(&temporary, content.as_bytes())
        .and_then(|()| fs::rename(&temporary, &target).map_err(io_error(&target)));
    if let Err(e) = written {
        let _ = fs::remove_file(&temporary);
        return Err(e);
    }
    renamed();
    sync_dir(root)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_error(dir))
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), StoreError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Commits an empty generation (no oxigraph store: only the folder layout is under test).
    fn commit_empty(store: &StoreDir) -> Generation {
        // Generation names are made of the time in milliseconds.
        std::thread::sleep(std::time::Duration::from_millis(3));
        let meta = Meta {
            format: FORMAT_VERSION,
            kg_version: String::new(),
            built_at: 0,
            base: String::new(),
            prefixes: BTreeMap::new(),
            quads: 0,
            summary: serde_json::Value::Null,
        };
        store.begin().unwrap().commit(&meta).unwrap()
    }

    #[test]
    fn a_leased_generation_outlives_the_builds_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = StoreDir::new(dir.path().join("store"));
        let first = commit_empty(&store);
        let lease = first.lease().unwrap();
        assert!(lease.is_some(), "a new generation can be leased");
        commit_empty(&store);
        commit_empty(&store);
        commit_empty(&store);
        assert!(
            first.meta().is_ok(),
            "a generation a reader holds was removed"
        );
        drop(lease);
        let second_last = commit_empty(&store);
        assert!(!first.dir().exists(), "a released generation stays");
        let current = commit_empty(&store);
        assert!(second_last.dir().exists(), "PREVIOUS is kept");
        assert_eq!(store.current().unwrap().dir(), current.dir());
    }
}
