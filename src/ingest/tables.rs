//! The two passes over the CSV tables: indexing the entities of each entity table, then reading
//! and checking every row; and checking the source texts against their documents.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::csv::{
    self, Column, Header, Records, RowFacts, RowProblems, RowReader, RowStatus, TableKind,
};
use super::emit::hex;
use super::entities::{DocumentInfo, EntityIndex};
use super::input::InputFile;
use super::{PROGRESS_EVERY, Progress, Summary, text};
use crate::diagnostic::{self, Diagnostics, Location, Problem};
use crate::schema::Ontology;
use crate::vocab::{kg, rdf, rdfs};

/// Pass one over a table: checks its header, indexes the ids and classes of entity tables.
pub(super) fn index_table(
    file: &InputFile,
    ontology: &Ontology,
    entities: &mut EntityIndex,
    diagnostics: &mut Diagnostics,
    max_field_size: u64,
    progress: &dyn Fn(Progress<'_>),
) -> Option<Header> {
    let name = file.name();
    let mut records = match file.reader().and_then(|r| Records::new(r, max_field_size)) {
        Ok(records) => records,
        Err(e) => {
            diagnostics.error(Location::file(name), Problem::Io(e.to_string()));
            return None;
        }
    };
    let header_row = match records.next_row() {
        None => {
            diagnostics.error(Location::file(name), Problem::EmptyFile);
            return None;
        }
        Some(Err((line, field, problem))) => {
            diagnostics.error(at(name, line, field), problem);
            return None;
        }
        Some(Ok(row)) => row,
    };
    let header = match Header::parse(header_row.fields, ontology) {
        Ok(header) => header,
        Err(problems) => {
            for (field, problem) in problems {
                let location = if field == 0 {
                    Location::at(name, header_row.line, 1)
                } else {
                    Location::at(name, header_row.line, field as u64)
                };
                diagnostics.error(location, problem);
            }
            return None;
        }
    };
    if header.kind != TableKind::Entity {
        return Some(header);
    }
    let id_at = header.position(|c| matches!(c, Column::Id))?;
    let type_at = header.position(|c| matches!(c, Column::Type));
    let property_at = |wanted: oxigraph::model::NamedNodeRef<'_>| {
        header.position(|c| matches!(c, Column::Property(p) if p.iri.as_ref() == wanted))
    };
    let count_at = property_at(kg::SENTENCE_COUNT);
    let sha_at = property_at(kg::SHA256);
    let mut rows = 0;
    while let Some(row) = records.next_row() {
        // A row that cannot be read is still a row: the table is not "without rows".
        rows += 1;
        let row = match row {
            Ok(row) => row,
            Err((line, field, problem)) => {
                diagnostics.error(at(name, line, field), problem);
                continue;
            }
        };
        if rows % PROGRESS_EVERY == 0 {
            progress(Progress::Rows(rows));
        }
        if row.fields.len() != header.names.len() {
            // Reported once, in pass two.
            continue;
        }
        if !is_accepted(&header, &row, name, id_at, entities) {
            continue;
        }
        let mut types = Vec::new();
        if let Some(i) = type_at {
            for class in csv::split_multi(&row.fields[i]) {
                match ontology.resolve(&class, diagnostic::TermKind::Class) {
                    Ok(iri) if !types.contains(&iri) => types.push(iri),
                    Ok(_) => {}
                    Err(problem) => diagnostics
                        .error(Location::cell(name, row.line, i, &header.names[i]), problem),
                }
            }
        }
        let document = types
            .iter()
            .any(|t| t.as_ref() == kg::DOCUMENT)
            .then(|| DocumentInfo {
                sentence_count: count_at.and_then(|i| row.fields[i].parse().ok()),
                sha256: sha_at.map(|i| row.fields[i].to_ascii_lowercase()),
                sentences: None,
                sentence_spans: None,
            });
        let defined_at = format!("{}:{}", name.display(), row.line);
        let location = || Location::cell(name, row.line, id_at, &header.names[id_at]);
        match entities.define(&row.fields[id_at], types, defined_at, document) {
            Ok(None) => {}
            Ok(Some(warning)) => diagnostics.warning(location(), warning),
            Err(problem) => diagnostics.error(location(), problem),
        }
    }
    if rows == 0 {
        diagnostics.warning(Location::at(name, header_row.line, 1), Problem::NoRows);
    }
    Some(header)
}

/// Whether an entity row defines its entity: every row of a data table, the accepted rows of a
/// candidate table. The id of a row not accepted is recorded so that a row naming it is told why
/// it is unknown; a bad status is said in pass two.
fn is_accepted(
    header: &Header,
    row: &csv::Row,
    name: &Path,
    id_at: usize,
    entities: &mut EntityIndex,
) -> bool {
    let Some(i) = header.position(|c| matches!(c, Column::Status)) else {
        return true;
    };
    match RowStatus::parse(&row.fields[i]) {
        Some(RowStatus::Accepted | RowStatus::Data) => true,
        Some(status) => {
            let defined_at = format!("{}:{}", name.display(), row.line);
            entities.not_accepted(&row.fields[id_at], defined_at, status.name());
            false
        }
        None => false,
    }
}

/// Where a record problem is: its line and 1-based field.
fn at(name: &Path, line: u64, field: Option<usize>) -> Location {
    Location {
        file: name.to_path_buf(),
        line: Some(line),
        column: field.map(|f| f as u64),
        field: None,
    }
}

/// Checks a source text against its document and keeps its sentences.
pub(super) fn read_source_text(
    file: &InputFile,
    entities: &mut EntityIndex,
    diagnostics: &mut Diagnostics,
) {
    let name = file.name();
    let Some(id) = file.document_id() else {
        return;
    };
    let iri = match entities.document(id) {
        Ok((iri, _)) => iri,
        Err(problem) => {
            diagnostics.warning(Location::file(name), problem);
            return;
        }
    };
    let bytes = match file.bytes() {
        Ok(bytes) => bytes,
        Err(e) => {
            diagnostics.error(Location::file(name), Problem::Io(e.to_string()));
            return;
        }
    };
    let text = match text::decode_utf8(&bytes) {
        Ok(text) => text,
        Err((line, column, detail)) => {
            diagnostics.error(
                Location::at(name, line, column),
                Problem::InvalidUtf8(detail),
            );
            return;
        }
    };
    let digest = hex(&Sha256::digest(text.as_bytes()));
    let split = text::sentences::split(text);
    let sentences: Vec<String> = split
        .iter()
        .map(|s| text[s.span.clone()].to_owned())
        .collect();
    // Character offsets, as `span` cells count them.
    let mut spans = Vec::with_capacity(split.len());
    let (mut bytes_seen, mut chars_seen) = (0, 0u64);
    for sentence in &split {
        chars_seen += text[bytes_seen..sentence.span.start].chars().count() as u64;
        let start = chars_seen;
        chars_seen += text[sentence.span.clone()].chars().count() as u64;
        bytes_seen = sentence.span.end;
        spans.push((start, chars_seen));
    }
    let Some(info) = entities.by_iri_mut(&iri).and_then(|e| e.document.as_mut()) else {
        return;
    };
    if let Some(expected) = &info.sha256
        && *expected != digest
    {
        diagnostics.error(
            Location::file(name),
            Problem::Sha256Mismatch {
                expected: expected.as_str().into(),
                actual: digest,
            },
        );
        return;
    }
    let actual = sentences.len() as u64;
    match info.sentence_count {
        Some(expected) if expected != actual => {
            diagnostics.error(
                Location::file(name),
                Problem::SentenceCountMismatch { expected, actual },
            );
            return;
        }
        _ => info.sentence_count = Some(actual),
    }
    info.sentences = Some(sentences);
    info.sentence_spans = Some(spans);
}

/// Rows of candidate tables left out of a build because they are not accepted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Unreviewed {
    /// Rows still `proposed` (or with an empty `status`).
    pub proposed: u64,
    /// Rows `rejected`.
    pub rejected: u64,
}

/// Reads every row of a table, reporting problems and handing each good row to `on_row`; the
/// rows of a candidate table that are not accepted are skipped and counted.
///
/// Some problems are said once for the table rather than once per row (see [`TableProblems`]).
#[allow(clippy::too_many_arguments)]
pub(super) fn read_rows(
    file: &InputFile,
    header: &Header,
    ontology: &Ontology,
    entities: &EntityIndex,
    diagnostics: &mut Diagnostics,
    max_field_size: u64,
    progress: &dyn Fn(Progress<'_>),
    on_row: &mut dyn FnMut(&RowFacts, &Header),
) -> Unreviewed {
    let mut skipped = Unreviewed::default();
    let name = file.name();
    let mut records = match file.reader().and_then(|r| Records::new(r, max_field_size)) {
        Ok(records) => records,
        Err(e) => {
            diagnostics.error(Location::file(name), Problem::Io(e.to_string()));
            return skipped;
        }
    };
    // The header was read in pass one.
    let _ = records.next_row();
    let reader = RowReader {
        ontology,
        entities,
        file: name,
        header,
    };
    let mut problems = RowProblems::default();
    let mut table = TableProblems::default();
    let mut rows = 0;
    while let Some(row) = records.next_row() {
        rows += 1;
        if rows % PROGRESS_EVERY == 0 {
            progress(Progress::Rows(rows));
        }
        let row = match row {
            Ok(row) => row,
            // Already reported in pass one for entity tables.
            Err(_) if header.kind == TableKind::Entity => continue,
            Err((line, field, problem)) => {
                table.error(diagnostics, at(name, line, field), problem);
                continue;
            }
        };
        if row.fields.len() != header.names.len() {
            let column = row.fields.len().min(header.names.len()) as u64 + 1;
            let problem = Problem::FieldCount {
                expected: header.names.len(),
                found: row.fields.len(),
            };
            table.error(diagnostics, Location::at(name, row.line, column), problem);
            continue;
        }
        match reader.status(&row, &mut problems) {
            Some(RowStatus::Proposed) => {
                skipped.proposed += 1;
                continue;
            }
            Some(RowStatus::Rejected) => {
                skipped.rejected += 1;
                continue;
            }
            Some(RowStatus::Data | RowStatus::Accepted) => {}
            None => {
                for (location, problem) in problems.errors.drain(..) {
                    table.error(diagnostics, location, problem);
                }
                continue;
            }
        }
        if let Some(facts) = reader.read(&row, &mut problems) {
            if facts.provenance.document.is_none() {
                let is_document = header.kind == TableKind::Entity
                    && facts.facts.iter().any(|f| {
                        f.predicate.as_ref() == rdf::TYPE && f.object == kg::DOCUMENT.into()
                    });
                if !is_document {
                    table.unsourced.get_or_insert((row.line, 0)).1 += 1;
                }
            }
            if header.kind == TableKind::Entity
                && !facts
                    .facts
                    .iter()
                    .any(|f| f.predicate.as_ref() == rdfs::LABEL)
                && let Some(first) = facts.facts.first()
            {
                diagnostics.warning(
                    Location::at(name, row.line, 1),
                    Problem::MissingLabel(entities.display(&first.subject).into()),
                );
            }
            on_row(&facts, header);
        }
        for (location, problem) in problems.errors.drain(..) {
            table.error(diagnostics, location, problem);
        }
        for (location, problem) in problems.warnings.drain(..) {
            table.column_warning(diagnostics, location, problem);
        }
    }
    table.finish(name, entities, diagnostics);
    skipped
}

/// The problems of a table said once for it rather than once per row: rows without a source
/// (with their count), a `source` naming no known document (once per document, with the count
/// of rows citing it), and a date-shaped cell stored as a plain string (once per column).
#[derive(Default)]
struct TableProblems {
    /// The first row without a source, and how many there are.
    unsourced: Option<(u64, u64)>,
    /// Unknown documents, with how many rows cite each.
    unknown_documents: HashMap<String, u64>,
    /// Errors held from the first unknown document on, so that its error can give the final
    /// count and the order of the errors is kept.
    pending: Vec<(Location, Problem)>,
    /// Columns already warned about.
    warned_columns: HashSet<Option<u64>>,
}

impl TableProblems {
    fn error(&mut self, diagnostics: &mut Diagnostics, location: Location, problem: Problem) {
        if let Problem::UnknownDocument { id, .. } = &problem {
            let count = self
                .unknown_documents
                .entry(id.as_str().to_owned())
                .or_default();
            *count += 1;
            if *count > 1 {
                return;
            }
        }
        if self.unknown_documents.is_empty() {
            diagnostics.error(location, problem);
        } else {
            self.pending.push((location, problem));
        }
    }

    fn column_warning(
        &mut self,
        diagnostics: &mut Diagnostics,
        location: Location,
        problem: Problem,
    ) {
        if self.warned_columns.insert(location.column) {
            diagnostics.warning(location, problem);
        }
    }

    fn finish(self, name: &Path, entities: &EntityIndex, diagnostics: &mut Diagnostics) {
        let table = (!self.unknown_documents.is_empty())
            .then(|| entities.document_table())
            .flatten();
        for (location, mut problem) in self.pending {
            if let Problem::UnknownDocument {
                id,
                rows,
                table: where_,
                ..
            } = &mut problem
                && let Some(count) = self.unknown_documents.get(id.as_str())
            {
                *rows = *count;
                where_.clone_from(&table);
            }
            diagnostics.error(location, problem);
        }
        if let Some((first, rows)) = self.unsourced {
            diagnostics.warning(Location::at(name, first, 1), Problem::NoProvenance { rows });
        }
    }
}

pub(super) fn count_row(
    row: &RowFacts,
    ontology: &Ontology,
    entities: &EntityIndex,
    summary: &mut Summary,
) {
    if !row.facts.is_empty() {
        for (qualifier, _) in &row.qualifiers {
            if !summary.qualifiers.contains(qualifier.as_str()) {
                summary.qualifiers.insert(qualifier.as_str().to_owned());
            }
        }
    }
    for fact in &row.facts {
        summary.facts += 1;
        if fact.predicate.as_ref() != rdf::TYPE {
            *summary
                .relations_by_predicate
                .entry(ontology.compact(fact.predicate.as_ref()))
                .or_default() += 1;
        }
        if let Some(document) = &row.provenance.document {
            *summary
                .facts_by_document
                .entry(
                    entities
                        .id_of(document)
                        .unwrap_or_else(|| document.to_string()),
                )
                .or_default() += 1;
        }
    }
}
