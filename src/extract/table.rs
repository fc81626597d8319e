//! The candidate files of an ingest folder: CSV tables in the `data/` layout plus review columns
//! (`status`, `confidence`, `rule`, `span`, `text`), their review state, and the step that writes
//! the accepted rows as clean tables the build reads.
//!
//! An ingest folder holds `document.csv` (the document's row), `sources/<id>.txt` (the kept
//! text), `entities.csv`, `relations.csv`, `quotations.csv` (the candidates), `analysis.json`
//! and `report.md`. [`accept`] writes `<id>.document.csv`, `<id>.entities.csv`,
//! `<id>.relations.csv`, `<id>.quotations.csv` and `sources/<id>.txt` with the accepted rows
//! only and without the review columns, dropping (and reporting) accepted rows that refer to a
//! new entity that was not accepted.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Columns that are for review, not data.
pub const REVIEW_COLUMNS: &[&str] = &["status", "confidence", "rule", "span", "text"];
/// The candidate tables, in review order.
pub const CANDIDATE_FILES: &[&str] = &["entities.csv", "relations.csv", "quotations.csv"];
/// The document's row.
pub const DOCUMENT_FILE: &str = "document.csv";

/// Why an ingest folder could not be read or written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What failed.
        source: io::Error,
    },
    /// A CSV file is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Csv {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// A `status` cell holds something else than `proposed`, `accepted` or `rejected`.
    #[error("{}:{line}: status {value:?} is not proposed, accepted or rejected", path.display())]
    Status {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// The cell.
        value: String,
    },
    /// The folder is not an ingest folder.
    #[error("{}: not a kg ingest folder (no {DOCUMENT_FILE}); run `kg ingest ARTICLE -o DIR` first", path.display())]
    NotIngestFolder {
        /// The folder.
        path: PathBuf,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> TableError + '_ {
    move |source| TableError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A review decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Not reviewed yet.
    Proposed,
    /// Kept: `--accept` writes it.
    Accepted,
    /// Dropped.
    Rejected,
}

impl Status {
    /// Its cell text.
    pub fn name(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }

    fn parse(cell: &str) -> Option<Self> {
        match cell.trim() {
            "" | "proposed" => Some(Self::Proposed),
            "accepted" => Some(Self::Accepted),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }
}

/// A CSV table: a header and rows of the same width.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these columns and no rows.
    pub fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|&h| h.to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// The index of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// A cell of a row, empty when the column is missing.
    pub fn cell<'a>(&self, row: &'a [String], name: &str) -> &'a str {
        self.column(name)
            .and_then(|i| row.get(i))
            .map_or("", String::as_str)
    }

    /// Appends a row given as (column, value) pairs; other columns stay empty.
    pub fn push(&mut self, cells: &[(&str, String)]) {
        let mut row = vec![String::new(); self.header.len()];
        for (name, value) in cells {
            if let Some(i) = self.column(name) {
                row[i].clone_from(value);
            }
        }
        self.rows.push(row);
    }

    /// The status of a row.
    ///
    /// # Errors
    /// [`TableError::Status`] for an unknown status (`line` is its 1-based line in `path`).
    pub fn status(&self, row: &[String], path: &Path, line: u64) -> Result<Status, TableError> {
        let cell = self.cell(row, "status");
        Status::parse(cell).ok_or_else(|| TableError::Status {
            path: path.to_path_buf(),
            line,
            value: cell.to_owned(),
        })
    }

    /// Reads a table.
    ///
    /// # Errors
    /// When the file cannot be read or is not CSV with rows as wide as the header.
    pub fn read(path: &Path) -> Result<Self, TableError> {
        let bytes = fs::read(path).map_err(io_error(path))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(crate::ingest::text::strip_bom(&bytes));
        let csv_error = |e: csv::Error| TableError::Csv {
            path: path.to_path_buf(),
            line: e.position().map_or(1, csv::Position::line),
            message: e.to_string(),
        };
        let header = reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(str::to_owned)
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            rows.push(
                record
                    .map_err(csv_error)?
                    .iter()
                    .map(str::to_owned)
                    .collect(),
            );
        }
        Ok(Self { header, rows })
    }

    /// The CSV text.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        // Writing to memory does not fail.
        let _ = writer.write_record(&self.header);
        for row in &self.rows {
            let _ = writer.write_record(row);
        }
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    /// Writes the table, replacing the file only when the whole table is written.
    ///
    /// # Errors
    /// I/O errors, with the path.
    pub fn write(&self, path: &Path) -> Result<(), TableError> {
        write_atomic(path, self.to_csv().as_bytes())
    }

    /// The table without the review columns.
    #[must_use]
    pub fn without_review_columns(&self) -> Self {
        let keep: Vec<usize> = (0..self.header.len())
            .filter(|&i| !REVIEW_COLUMNS.contains(&self.header[i].as_str()))
            .collect();
        Self {
            header: keep.iter().map(|&i| self.header[i].clone()).collect(),
            rows: self
                .rows
                .iter()
                .map(|r| keep.iter().map(|&i| r[i].clone()).collect())
                .collect(),
        }
    }
}

/// Writes a file through a temporary file in the same folder and a rename.
///
/// # Errors
/// I/O errors, with the path.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), TableError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    let name = path
        .file_name()
        .map_or_else(|| "table".into(), |n| n.to_string_lossy().into_owned());
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    fs::write(&temporary, bytes).map_err(io_error(&temporary))?;
    fs::rename(&temporary, path).map_err(|source| {
        let _ = fs::remove_file(&temporary);
        TableError::Io {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// An ingest folder's document id (from `document.csv`).
///
/// # Errors
/// [`TableError::NotIngestFolder`] when there is no document row.
pub fn document_id(dir: &Path) -> Result<String, TableError> {
    let path = dir.join(DOCUMENT_FILE);
    if !path.exists() {
        return Err(TableError::NotIngestFolder {
            path: dir.to_path_buf(),
        });
    }
    let table = Table::read(&path)?;
    table
        .rows
        .first()
        .map(|row| table.cell(row, "id").to_owned())
        .filter(|id| !id.is_empty())
        .ok_or(TableError::NotIngestFolder {
            path: dir.to_path_buf(),
        })
}

/// What [`accept`] wrote.
#[derive(Debug, Clone, Default)]
pub struct Accepted {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Rows written per candidate file.
    pub rows: Vec<(String, usize)>,
    /// Accepted rows left out, with why.
    pub dropped: Vec<String>,
    /// Rows still proposed.
    pub undecided: usize,
}

/// Writes the accepted rows of an ingest folder as tables the build reads, into `out`.
///
/// # Errors
/// When a file cannot be read or written, or a status is unknown.
pub fn accept(dir: &Path, out: &Path) -> Result<Accepted, TableError> {
    let id = document_id(dir)?;
    let mut report = Accepted::default();
    let mut tables = Vec::new();
    for name in CANDIDATE_FILES {
        let path = dir.join(name);
        if path.exists() {
            tables.push((*name, path.clone(), Table::read(&path)?));
        }
    }
    // New entities: every id of entities.csv, and those accepted.
    let mut new_ids = BTreeSet::new();
    let mut accepted_ids = BTreeSet::new();
    for (name, path, table) in &tables {
        if *name != "entities.csv" {
            continue;
        }
        for (i, row) in table.rows.iter().enumerate() {
            let entity = table.cell(row, "id").to_owned();
            if table.status(row, path, i as u64 + 2)? == Status::Accepted {
                accepted_ids.insert(entity.clone());
            }
            new_ids.insert(entity);
        }
    }
    let refers_to_dropped = |cell: &str| new_ids.contains(cell) && !accepted_ids.contains(cell);
    let mut written = Vec::new();
    for (name, path, table) in &tables {
        let mut kept = Table {
            header: table.header.clone(),
            rows: Vec::new(),
        };
        for (i, row) in table.rows.iter().enumerate() {
            let line = i as u64 + 2;
            match table.status(row, path, line)? {
                Status::Accepted => {}
                Status::Proposed => {
                    report.undecided += 1;
                    continue;
                }
                Status::Rejected => continue,
            }
            let mut row = row.clone();
            let mut dropped = false;
            for (c, column) in table.header.iter().enumerate() {
                if REVIEW_COLUMNS.contains(&column.as_str()) || !refers_to_dropped(&row[c]) {
                    continue;
                }
                if matches!(column.as_str(), "subject" | "object" | "id") {
                    report.dropped.push(format!(
                        "{name}:{line}: refers to {} which was not accepted",
                        row[c]
                    ));
                    dropped = true;
                } else {
                    report.dropped.push(format!(
                        "{name}:{line}: column {column} emptied: {} was not accepted",
                        row[c]
                    ));
                    row[c].clear();
                }
            }
            if !dropped {
                kept.rows.push(row);
            }
        }
        report.rows.push(((*name).to_owned(), kept.rows.len()));
        if !kept.rows.is_empty() {
            written.push((format!("{id}.{name}"), kept.without_review_columns()));
        }
    }
    let document = Table::read(&dir.join(DOCUMENT_FILE))?;
    written.insert(
        0,
        (
            format!("{id}.{DOCUMENT_FILE}"),
            document.without_review_columns(),
        ),
    );
    for (name, table) in written {
        let path = out.join(name);
        table.write(&path)?;
        report.files.push(path);
    }
    let source = dir.join("sources").join(format!("{id}.txt"));
    let text = fs::read(&source).map_err(io_error(&source))?;
    let target = out.join("sources").join(format!("{id}.txt"));
    write_atomic(&target, &text)?;
    report.files.push(target);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_drops_review_columns() {
        let dir = tempfile::tempdir().unwrap();
        let mut table = Table::new(&["status", "id", "rdfs:label@en", "text"]);
        table.push(&[
            ("status", "proposed".into()),
            ("id", "A".into()),
            ("text", "a, \"b\"".into()),
        ]);
        let path = dir.path().join("t.csv");
        table.write(&path).unwrap();
        let back = Table::read(&path).unwrap();
        assert_eq!(back, table);
        let clean = back.without_review_columns();
        assert_eq!(clean.header, ["id", "rdfs:label@en"]);
        assert_eq!(clean.rows, [vec!["A".to_owned(), String::new()]]);
        assert_eq!(
            back.status(&back.rows[0], &path, 2).unwrap(),
            Status::Proposed
        );
        let mut bad = back.clone();
        bad.rows[0][0] = "maybe".into();
        assert!(
            bad.status(&bad.rows[0], &path, 2)
                .unwrap_err()
                .to_string()
                .contains("t.csv:2")
        );
    }
}
