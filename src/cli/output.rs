//! Where a command's data goes: stdout, or `-o FILE` — one behaviour for every command.
//!
//! - A regular file (or a name that does not exist yet) is written beside its target and
//!   renamed over it only when the command succeeded: a failed or interrupted command leaves
//!   what was there, and never an empty or half-written file.
//! - A symbolic link is followed: the file it points to is replaced, the link stays a link.
//! - Anything that is not a regular file — a device such as `/dev/null`, a FIFO, a socket,
//!   `/dev/stdout` — is written directly, never replaced.
//! - A folder is refused.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

/// An output being written; [`Output::commit`] makes it final.
pub struct Output {
    sink: Sink,
}

enum Sink {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    /// A device, FIFO or other special file, written in place.
    Direct {
        path: PathBuf,
        writer: BufWriter<File>,
    },
    /// A regular file, written beside `target` and renamed over it on commit.
    Atomic {
        target: PathBuf,
        temporary: PathBuf,
        writer: BufWriter<File>,
        committed: bool,
    },
}

/// Buffer size: large writes for large exports.
const BUFFER: usize = 1 << 16;

impl Output {
    /// stdout.
    pub fn stdout() -> Self {
        Self {
            sink: Sink::Stdout(BufWriter::with_capacity(BUFFER, io::stdout().lock())),
        }
    }

    /// `-o PATH` when given, else stdout.
    ///
    /// # Errors
    /// When the target is a folder, or the file beside it cannot be created.
    pub fn open(path: Option<&Path>) -> anyhow::Result<Self> {
        match path {
            None => Ok(Self::stdout()),
            Some(path) => Self::file(path),
        }
    }

    /// `-o PATH`.
    ///
    /// # Errors
    /// When the target is a folder, or the file beside it cannot be created.
    pub fn file(path: &Path) -> anyhow::Result<Self> {
        let target = resolve(path)?;
        let special = match fs::metadata(&target) {
            Ok(metadata) if metadata.is_dir() => {
                anyhow::bail!("-o {}: is a folder, give a file name", path.display())
            }
            Ok(metadata) => !metadata.is_file(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => false,
            Err(e) => return Err(e).with_context(|| format!("-o {}", path.display())),
        };
        // Names under /dev and /proc are handles of this process (`/dev/stdout`, `/dev/fd/3`)
        // even when they lead to a regular file: write through them, never rename over them.
        if special || is_process_handle(path) {
            let file = OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            return Ok(Self {
                sink: Sink::Direct {
                    path: path.to_path_buf(),
                    writer: BufWriter::with_capacity(BUFFER, file),
                },
            });
        }
        let name = target
            .file_name()
            .with_context(|| format!("-o {}: not a file name", path.display()))?;
        let temporary = target.with_file_name(format!(
            ".{}.kg-{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporary)
            .or_else(|_| {
                // A stale temporary file of a killed run with our process id: replace it.
                let _ = fs::remove_file(&temporary);
                OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&temporary)
            })
            .with_context(|| format!("cannot create a file beside {}", target.display()))?;
        Ok(Self {
            sink: Sink::Atomic {
                target,
                temporary,
                writer: BufWriter::with_capacity(BUFFER, file),
                committed: false,
            },
        })
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut dyn Write {
        match &mut self.sink {
            Sink::Stdout(writer) => writer,
            Sink::Direct { writer, .. } | Sink::Atomic { writer, .. } => writer,
        }
    }

    /// Where the output goes, for messages.
    pub fn describe(&self) -> String {
        match &self.sink {
            Sink::Stdout(_) => "stdout".to_owned(),
            Sink::Direct { path, .. } => path.display().to_string(),
            Sink::Atomic { target, .. } => target.display().to_string(),
        }
    }

    /// Flushes, and for a regular file syncs it and renames it over its target.
    ///
    /// # Errors
    /// Write, sync and rename errors (the target is then unchanged).
    pub fn commit(mut self) -> anyhow::Result<()> {
        match &mut self.sink {
            Sink::Stdout(writer) => writer.flush().context("cannot write to stdout"),
            Sink::Direct { path, writer } => writer
                .flush()
                .with_context(|| format!("cannot write {}", path.display())),
            Sink::Atomic {
                target,
                temporary,
                writer,
                committed,
            } => {
                writer
                    .flush()
                    .and_then(|()| writer.get_ref().sync_all())
                    .with_context(|| format!("cannot write {}", target.display()))?;
                fs::rename(&*temporary, &*target)
                    .with_context(|| format!("cannot replace {}", target.display()))?;
                *committed = true;
                Ok(())
            }
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        if let Sink::Atomic {
            temporary,
            committed: false,
            ..
        } = &self.sink
        {
            let _ = fs::remove_file(temporary);
        }
    }
}

/// The file a path names, symbolic links followed (a link that dangles names its target).
fn resolve(path: &Path) -> anyhow::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // Bounded, as the kernel bounds link chains (ELOOP).
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let link = fs::read_link(&current)
                    .with_context(|| format!("-o {}: cannot read the link", path.display()))?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    anyhow::bail!("-o {}: too many levels of symbolic links", path.display())
}

fn is_process_handle(path: &Path) -> bool {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or_else(|_| path.to_path_buf(), |d| d.join(path))
    };
    absolute.starts_with("/dev") || absolute.starts_with("/proc")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_output_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("answer.csv");
        fs::write(&target, "old").unwrap();
        {
            let mut output = Output::file(&target).unwrap();
            output.writer().write_all(b"new").unwrap();
        }
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut output = Output::file(&target).unwrap();
        output.writer().write_all(b"new").unwrap();
        output.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink("real.txt", &link).unwrap();
        let mut output = Output::file(&link).unwrap();
        output.writer().write_all(b"new").unwrap();
        output.commit().unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn devices_are_written_in_place() {
        let mut output = Output::file(Path::new("/dev/null")).unwrap();
        output.writer().write_all(b"nothing").unwrap();
        output.commit().unwrap();
        assert!(!fs::metadata("/dev/null").unwrap().is_file());
    }

    #[test]
    fn folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Output::file(dir.path()).is_err());
    }
}
