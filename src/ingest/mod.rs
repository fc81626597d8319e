//! Reading and checking the inputs: ontology files, CSV tables, RDF files and source texts.
//!
//! Ingestion runs in passes so that nothing is written before everything is known to be valid:
//!
//! 1. [`prepare`] parses the RDF inputs into the [`Ontology`], indexes every entity of every
//!    entity table ([`EntityIndex`]), reads the source texts, then reads every row of every table
//!    and checks it (references, domains, ranges, literals, provenance). Every problem is
//!    collected with its file, line and column.
//! 2. Only when there is no error, [`Prepared::emit`] reads the tables again and hands out the
//!    quads for the store (facts, their `rdf:Statement`s, sentences) and the facts for the graph
//!    projection. Tables are streamed both times: memory holds the index, not the rows.

pub mod diagnostic;
pub mod entities;
pub mod input;
pub mod iri;
pub mod literal;
pub mod rdf_input;
pub mod sentences;
pub mod table;
pub mod text;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use self::diagnostic::{Diagnostic, Diagnostics, Location, Problem, Severity};
use self::entities::DocumentInfo;
pub use self::entities::EntityIndex;
pub use self::input::{FileKind, InputFile, Inputs};
use self::table::{Column, Fact, Header, Provenance, Records, RowFacts, RowReader, TableKind};
use crate::ontology::Ontology;
use crate::vocab::{self, kg, rdf, rdfs, void, xsd};

/// What a build reports about its inputs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Entities defined by tables.
    pub entities: usize,
    /// Facts stated by table rows (each becomes a triple).
    pub facts: u64,
    /// Entities per declared class (prefixed names).
    pub entities_by_class: BTreeMap<String, u64>,
    /// Facts per predicate (prefixed names), `rdf:type` excluded.
    pub relations_by_predicate: BTreeMap<String, u64>,
    /// Facts per source document id.
    pub facts_by_document: BTreeMap<String, u64>,
    /// Triples read from RDF inputs (ontologies included).
    pub rdf_triples: usize,
}

/// What is happening, for progress displays.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A pass over the inputs begins.
    Pass(&'a str),
    /// A file is being read.
    File(&'a Path),
    /// Rows read so far in the current file.
    Rows(u64),
}

/// The inputs after reading and checking: ready to be written, unless `diagnostics` has errors.
pub struct Prepared {
    /// Classes, properties, prefixes.
    pub ontology: Ontology,
    /// Every problem found.
    pub diagnostics: Diagnostics,
    /// Counts for the build report.
    pub summary: Summary,
    /// Every entity.
    pub entities: EntityIndex,
    rdf: RdfInputs,
    tables: Vec<(InputFile, Header)>,
}

/// How often (in rows) progress is reported.
const PROGRESS_EVERY: u64 = 50_000;

/// Reads and checks every input (see the module documentation). Bad data never stops it: every
/// problem goes to [`Prepared::diagnostics`].
pub fn prepare(inputs: &Inputs, progress: &dyn Fn(Progress<'_>)) -> Prepared {
    let mut diagnostics = Diagnostics::default();
    let mut summary = Summary::default();

    progress(Progress::Pass("reading the ontology"));
    let (rdf, prefixes) = read_rdf(inputs, &mut diagnostics, &mut summary, progress);
    let ontology = Ontology::from_quads(rdf.iter().flat_map(|(_, _, q)| q), prefixes);
    if diagnostics.has_errors() {
        // An ontology that does not parse would make every table look wrong: report only it.
        return Prepared {
            ontology,
            diagnostics,
            summary,
            entities: EntityIndex::new(vocab::DEFAULT_BASE),
            rdf,
            tables: Vec::new(),
        };
    }

    let base = inputs
        .base
        .clone()
        .or_else(|| uri_space(rdf.iter().flat_map(|(_, _, q)| q)))
        .unwrap_or_else(|| vocab::DEFAULT_BASE.to_owned());
    let mut entities = EntityIndex::new(base);
    for (_, _, quads) in &rdf {
        for quad in quads {
            if let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(class)) =
                (&quad.subject, &quad.object)
                && quad.predicate.as_ref() == rdf::TYPE
                && ontology.has_class(class.as_ref())
            {
                entities.describe(s.clone(), class.clone());
            }
        }
    }

    // Pass one: headers, ids and classes of every entity table.
    progress(Progress::Pass("indexing entities"));
    let mut tables = Vec::new();
    for file in &inputs.data {
        match file.kind() {
            FileKind::Table => {}
            FileKind::Other => {
                diagnostics.warning(Location::file(file.name()), Problem::SkippedFile);
                continue;
            }
            FileKind::Rdf(_) | FileKind::SourceText => continue,
        }
        summary.files += 1;
        progress(Progress::File(file.name()));
        if let Some(header) =
            index_table(file, &ontology, &mut entities, &mut diagnostics, progress)
        {
            tables.push((file.clone(), header));
        }
    }
    summary.entities = entities.iter().filter(|e| e.defined_at.is_some()).count();

    for file in inputs
        .data
        .iter()
        .filter(|f| f.kind() == FileKind::SourceText)
    {
        summary.files += 1;
        read_source_text(file, &mut entities, &mut diagnostics);
    }

    // Pass two: every row.
    progress(Progress::Pass("checking facts"));
    for (file, header) in &tables {
        progress(Progress::File(file.name()));
        let mut facts = |row: &RowFacts, _: &Header| {
            count_row(row, &ontology, &entities, &mut summary);
        };
        read_rows(
            file,
            header,
            &ontology,
            &entities,
            &mut diagnostics,
            progress,
            &mut facts,
        );
    }
    for entity in entities.iter().filter(|e| e.defined_at.is_some()) {
        for class in &entity.types {
            *summary
                .entities_by_class
                .entry(ontology.compact(class.as_ref()))
                .or_default() += 1;
        }
    }

    Prepared {
        ontology,
        diagnostics,
        summary,
        entities,
        rdf,
        tables,
    }
}

/// The RDF inputs: ontology files first, then RDF files among the data, with the prefixes they
/// declare. Each entry says whether it is an ontology file.
type RdfInputs = Vec<(PathBuf, bool, Vec<Quad>)>;

/// Parses every RDF input; syntax errors go to `diagnostics`.
fn read_rdf(
    inputs: &Inputs,
    diagnostics: &mut Diagnostics,
    summary: &mut Summary,
    progress: &dyn Fn(Progress<'_>),
) -> (RdfInputs, Vec<(String, String)>) {
    let mut rdf = Vec::new();
    let mut prefixes = Vec::new();
    let files = inputs
        .ontology
        .iter()
        .map(|f| (f, true))
        .chain(inputs.data.iter().map(|f| (f, false)));
    for (file, is_ontology) in files {
        let format = match file.kind() {
            FileKind::Rdf(format) => format,
            // `--ontology some.file` with an extension kg does not know: say so.
            _ if is_ontology => {
                diagnostics.error(
                    Location::file(file.name()),
                    Problem::RdfSyntax("unknown RDF file extension".into()),
                );
                continue;
            }
            _ => continue,
        };
        progress(Progress::File(file.name()));
        summary.files += 1;
        match rdf_input::parse(file, format) {
            Ok(content) => {
                summary.rdf_triples += content.quads.len();
                prefixes.extend(content.prefixes);
                rdf.push((file.name().to_path_buf(), is_ontology, content.quads));
            }
            Err(failure) => {
                let (location, problem) = *failure;
                diagnostics.error(location, problem);
            }
        }
    }
    (rdf, prefixes)
}

/// The `void:uriSpace` of a `void:Dataset` in the inputs, if exactly one is given.
fn uri_space<'a>(quads: impl Iterator<Item = &'a Quad>) -> Option<String> {
    let quads: Vec<&Quad> = quads.collect();
    let datasets: HashSet<&NamedOrBlankNode> = quads
        .iter()
        .filter(|q| q.predicate.as_ref() == rdf::TYPE && q.object == void::DATASET.into())
        .map(|q| &q.subject)
        .collect();
    let spaces: Vec<&str> = quads
        .iter()
        .filter(|q| q.predicate.as_ref() == void::URI_SPACE && datasets.contains(&q.subject))
        .filter_map(|q| match &q.object {
            Term::Literal(l) => Some(l.value()),
            Term::NamedNode(n) => Some(n.as_str()),
            Term::BlankNode(_) => None,
        })
        .collect();
    match spaces.as_slice() {
        [only] => Some((*only).to_owned()),
        _ => None,
    }
}

/// Pass one over a table: checks its header, indexes the ids and classes of entity tables.
fn index_table(
    file: &InputFile,
    ontology: &Ontology,
    entities: &mut EntityIndex,
    diagnostics: &mut Diagnostics,
    progress: &dyn Fn(Progress<'_>),
) -> Option<Header> {
    let name = file.name();
    let mut records = match file.reader().and_then(Records::new) {
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
        let row = match row {
            Ok(row) => row,
            Err((line, field, problem)) => {
                diagnostics.error(at(name, line, field), problem);
                continue;
            }
        };
        rows += 1;
        if rows % PROGRESS_EVERY == 0 {
            progress(Progress::Rows(rows));
        }
        if row.fields.len() != header.names.len() {
            // Reported once, in pass two.
            continue;
        }
        let mut types = Vec::new();
        if let Some(i) = type_at {
            for class in table::split_multi(&row.fields[i]) {
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
            });
        let defined_at = format!("{}:{}", name.display(), row.line);
        if let Err(problem) = entities.define(&row.fields[id_at], types, defined_at, document) {
            diagnostics.error(
                Location::cell(name, row.line, id_at, &header.names[id_at]),
                problem,
            );
        }
    }
    if rows == 0 {
        diagnostics.warning(Location::at(name, header_row.line, 1), Problem::NoRows);
    }
    Some(header)
}

fn at(name: &Path, line: u64, field: Option<usize>) -> Location {
    Location {
        file: name.to_path_buf(),
        line: Some(line),
        column: field.map(|f| f as u64),
        field: None,
    }
}

/// Checks a source text against its document and keeps its sentences.
fn read_source_text(file: &InputFile, entities: &mut EntityIndex, diagnostics: &mut Diagnostics) {
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
    let sentences: Vec<String> = sentences::split(text)
        .into_iter()
        .map(|s| text[s.span].to_owned())
        .collect();
    let Some(info) = entities.by_iri_mut(&iri).and_then(|e| e.document.as_mut()) else {
        return;
    };
    if let Some(expected) = &info.sha256
        && *expected != digest
    {
        diagnostics.error(
            Location::file(name),
            Problem::Sha256Mismatch {
                expected: expected.clone(),
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
}

/// Reads every row of a table, reporting problems and handing each good row to `on_row`.
fn read_rows(
    file: &InputFile,
    header: &Header,
    ontology: &Ontology,
    entities: &EntityIndex,
    diagnostics: &mut Diagnostics,
    progress: &dyn Fn(Progress<'_>),
    on_row: &mut dyn FnMut(&RowFacts, &Header),
) {
    let name = file.name();
    let mut records = match file.reader().and_then(Records::new) {
        Ok(records) => records,
        Err(e) => {
            diagnostics.error(Location::file(name), Problem::Io(e.to_string()));
            return;
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
    let mut problems = Vec::new();
    let mut rows = 0;
    // Rows whose facts have no source: counted, reported once per table.
    let mut unsourced: Option<(u64, u64)> = None;
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
                diagnostics.error(at(name, line, field), problem);
                continue;
            }
        };
        if row.fields.len() != header.names.len() {
            diagnostics.error(
                Location::at(
                    name,
                    row.line,
                    row.fields.len().min(header.names.len()) as u64 + 1,
                ),
                Problem::FieldCount {
                    expected: header.names.len(),
                    found: row.fields.len(),
                },
            );
            continue;
        }
        if let Some(facts) = reader.read(&row, &mut problems) {
            if facts.provenance.document.is_none() {
                let is_document = header.kind == TableKind::Entity
                    && facts.facts.iter().any(|f| {
                        f.predicate.as_ref() == rdf::TYPE && f.object == kg::DOCUMENT.into()
                    });
                if !is_document {
                    unsourced.get_or_insert((row.line, 0)).1 += 1;
                }
            }
            if header.kind == TableKind::Entity
                && !facts
                    .facts
                    .iter()
                    .any(|f| f.predicate.as_ref() == rdfs::LABEL)
                && let Some(first) = facts.facts.first()
            {
                {
                    diagnostics.warning(
                        Location::at(name, row.line, 1),
                        Problem::MissingLabel(entities.display(&first.subject)),
                    );
                }
            }
            on_row(&facts, header);
        }
        for (location, problem) in problems.drain(..) {
            diagnostics.error(location, problem);
        }
    }
    if let Some((first, rows)) = unsourced {
        diagnostics.warning(Location::at(name, first, 1), Problem::NoProvenance { rows });
    }
}

fn count_row(row: &RowFacts, ontology: &Ontology, entities: &EntityIndex, summary: &mut Summary) {
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

/// What [`Prepared::emit`] hands out for the graph projection.
#[derive(Debug, Clone, Copy)]
pub struct EmittedFact<'a> {
    /// The fact.
    pub fact: &'a Fact,
    /// Its provenance (empty for facts of RDF inputs).
    pub provenance: &'a Provenance,
    /// Where it comes from.
    pub origin: FactOrigin,
}

/// Where an emitted fact comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactOrigin {
    /// A row of a CSV table.
    Table,
    /// A triple of the default graph of an RDF input, data or ontology. Two kinds are handed
    /// out: entity-valued facts between two IRIs, and literal facts about a known entity.
    Rdf,
}

impl Prepared {
    /// Whether the inputs may be written: no errors, and no warnings when `strict`.
    pub fn is_valid(&self, strict: bool) -> bool {
        let refused_warnings = strict && self.diagnostics.warning_count() > 0;
        !(self.diagnostics.has_errors() || refused_warnings)
    }

    /// The prefixes worth declaring in queries and exports: the ontology's, plus `kgs:` for
    /// statements.
    pub fn prefixes(&self) -> BTreeMap<String, String> {
        let mut prefixes = self.ontology.prefixes().clone();
        prefixes
            .entry("kgs".into())
            .or_insert_with(|| format!("{}{}", self.entities.base(), vocab::STATEMENT_PATH));
        prefixes
    }

    /// Pass two: hands out every quad for the store and, for the projection, every fact of the
    /// tables and those facts of RDF inputs the projection keeps (see [`FactOrigin::Rdf`]).
    ///
    /// # Errors
    /// When a sink fails (the store is full, the disk is gone); inputs are not re-checked.
    pub fn emit<E>(
        &self,
        quads: &mut dyn FnMut(Quad) -> Result<(), E>,
        facts: &mut dyn FnMut(EmittedFact<'_>),
        progress: &dyn Fn(Progress<'_>),
    ) -> Result<(), E> {
        progress(Progress::Pass("writing the store"));
        let no_provenance = Provenance::default();
        for (_, is_ontology, file_quads) in &self.rdf {
            for quad in file_quads {
                quads(quad.clone())?;
                if quad.graph_name != GraphName::DefaultGraph {
                    continue;
                }
                // Literal facts about entities, from any file: the projection keeps them as the
                // entities' attributes.
                if let (NamedOrBlankNode::NamedNode(subject), Term::Literal(_)) =
                    (&quad.subject, &quad.object)
                    && self.entities.by_iri(subject).is_some()
                {
                    let fact = Fact {
                        subject: subject.clone(),
                        predicate: quad.predicate.clone(),
                        object: quad.object.clone(),
                    };
                    facts(EmittedFact {
                        fact: &fact,
                        provenance: &no_provenance,
                        origin: FactOrigin::Rdf,
                    });
                }
                if *is_ontology {
                    continue;
                }
                if let (NamedOrBlankNode::NamedNode(subject), Term::NamedNode(object)) =
                    (&quad.subject, &quad.object)
                {
                    let entity_valued = self
                        .ontology
                        .property(quad.predicate.as_ref())
                        .is_some_and(|p| p.value_kind() == crate::ontology::ValueKind::Entity);
                    if entity_valued {
                        let fact = Fact {
                            subject: subject.clone(),
                            predicate: quad.predicate.clone(),
                            object: object.clone().into(),
                        };
                        facts(EmittedFact {
                            fact: &fact,
                            provenance: &no_provenance,
                            origin: FactOrigin::Rdf,
                        });
                    }
                }
            }
        }
        let mut writer = StatementWriter {
            entities: &self.entities,
            sentences_written: HashSet::new(),
        };
        let mut diagnostics = Diagnostics::default();
        let mut failure = None;
        for (file, header) in &self.tables {
            progress(Progress::File(file.name()));
            let mut on_row = |row: &RowFacts, _: &Header| {
                if failure.is_some() {
                    return;
                }
                for fact in &row.facts {
                    facts(EmittedFact {
                        fact,
                        provenance: &row.provenance,
                        origin: FactOrigin::Table,
                    });
                }
                if let Err(e) = writer.write(row, &mut *quads) {
                    failure = Some(e);
                }
            };
            read_rows(
                file,
                header,
                &self.ontology,
                &self.entities,
                &mut diagnostics,
                progress,
                &mut on_row,
            );
            if let Some(e) = failure.take() {
                return Err(e);
            }
        }
        Ok(())
    }
}

/// Turns a row's facts into quads: the triples themselves, their `rdf:Statement`s with
/// provenance and qualifiers, and the sentence nodes they cite.
struct StatementWriter<'a> {
    entities: &'a EntityIndex,
    sentences_written: HashSet<(NamedNode, u64)>,
}

impl StatementWriter<'_> {
    fn write<E>(
        &mut self,
        row: &RowFacts,
        quads: &mut dyn FnMut(Quad) -> Result<(), E>,
    ) -> Result<(), E> {
        let provenance = &row.provenance;
        let reify = provenance.document.is_some()
            || provenance.date.is_some()
            || !row.qualifiers.is_empty();
        let mut emit = |s: NamedOrBlankNode, p: NamedNode, o: Term| {
            quads(Quad::new(s, p, o, GraphName::DefaultGraph))
        };
        for fact in &row.facts {
            emit(
                fact.subject.clone().into(),
                fact.predicate.clone(),
                fact.object.clone(),
            )?;
            if !reify {
                continue;
            }
            let statement = self.statement_iri(fact);
            let s = || NamedOrBlankNode::from(statement.clone());
            emit(s(), rdf::TYPE.into(), rdf::STATEMENT.into())?;
            emit(s(), rdf::SUBJECT.into(), fact.subject.clone().into())?;
            emit(s(), rdf::PREDICATE.into(), fact.predicate.clone().into())?;
            emit(s(), rdf::OBJECT.into(), fact.object.clone())?;
            emit(
                s(),
                kg::ROW.into(),
                Literal::new_simple_literal(&provenance.row).into(),
            )?;
            if let Some(date) = &provenance.date {
                emit(s(), kg::DATE.into(), date.clone().into())?;
            }
            for (qualifier, value) in &row.qualifiers {
                emit(s(), qualifier.clone(), value.clone())?;
            }
            let Some(document) = &provenance.document else {
                continue;
            };
            emit(s(), kg::SOURCE.into(), document.clone().into())?;
            for &number in &provenance.sentences {
                let sentence = sentence_iri(document, number);
                emit(s(), kg::EVIDENCE.into(), sentence.clone().into())?;
                if self.sentences_written.insert((document.clone(), number)) {
                    let subject = || NamedOrBlankNode::from(sentence.clone());
                    emit(subject(), rdf::TYPE.into(), kg::SENTENCE.into())?;
                    emit(subject(), kg::IN_DOCUMENT.into(), document.clone().into())?;
                    let number_literal =
                        Literal::new_typed_literal(number.to_string(), xsd::INTEGER);
                    emit(subject(), kg::SENTENCE_NUMBER.into(), number_literal.into())?;
                    let text = self
                        .entities
                        .by_iri(document)
                        .and_then(|e| e.document.as_ref())
                        .and_then(|d| d.sentences.as_ref())
                        .and_then(|s| s.get(usize::try_from(number - 1).ok()?));
                    if let Some(text) = text {
                        emit(
                            subject(),
                            kg::TEXT.into(),
                            Literal::new_simple_literal(text).into(),
                        )?;
                    }
                }
            }
        }
        Ok(())
    }

    fn statement_iri(&self, fact: &Fact) -> NamedNode {
        let digest = Sha256::digest(format!(
            "{} {} {}",
            fact.subject, fact.predicate, fact.object
        ));
        NamedNode::new_unchecked(format!(
            "{}{}{}",
            self.entities.base(),
            vocab::STATEMENT_PATH,
            hex(&digest[..16])
        ))
    }
}

/// The IRI of sentence `number` of a document: the document's IRI with `#s<number>`.
pub fn sentence_iri(document: &NamedNode, number: u64) -> NamedNode {
    NamedNode::new_unchecked(format!("{}#s{number}", document.as_str()))
}

/// Lower-case hexadecimal digits of some bytes.
fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}
