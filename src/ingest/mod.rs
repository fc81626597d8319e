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

mod csv;
mod emit;
mod entities;
mod facts;
mod input;
pub mod literal;
mod rdf;
mod tables;
pub mod text;

use std::collections::BTreeMap;
use std::path::Path;

use oxigraph::model::{NamedOrBlankNode, Term};
use serde::Serialize;

pub use self::csv::DEFAULT_MAX_FIELD_SIZE;
use self::csv::{Header, RowFacts};
pub use self::emit::{EmitError, Emitted, EmittedFact, FactOrigin, sentence_iri};
pub use self::entities::{DocumentInfo, Entity, EntityIndex};
pub use self::facts::{FactSet, TermId};
pub use self::input::{FileKind, InputFile, Inputs};
use self::rdf::{RdfInputs, read_rdf, uri_space};
pub use self::tables::Unreviewed;
use self::tables::{count_row, index_table, read_rows, read_source_text};
pub use crate::diagnostic::{Diagnostic, Diagnostics, Location, Problem, Severity};
use crate::schema::Ontology;
use crate::vocab::{self, rdf as rdf_vocab};

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
    /// The properties stated on facts (qualifier columns of relation tables), full IRIs: what
    /// the property-graph exports read as edge attributes.
    pub qualifiers: std::collections::BTreeSet<String>,
    /// Triples read from RDF inputs (ontologies included).
    pub rdf_triples: usize,
    /// Rows of candidate tables (a `status` column) left out because they are not accepted.
    pub unreviewed: Unreviewed,
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
    /// Every asserted fact of the default graph, when [`prepare`] was asked to collect them
    /// (the derived-data stages read them).
    pub facts: Option<FactSet>,
    rdf: RdfInputs,
    tables: Vec<(InputFile, Header)>,
    max_field_size: u64,
}

/// How often (in rows) progress is reported.
const PROGRESS_EVERY: u64 = 50_000;

/// Reads and checks every input (see the module documentation). Bad data never stops it: every
/// problem goes to [`Prepared::diagnostics`]. With `collect_facts`, every asserted fact of the
/// default graph is also kept, interned, in [`Prepared::facts`].
pub fn prepare(inputs: &Inputs, collect_facts: bool, progress: &dyn Fn(Progress<'_>)) -> Prepared {
    let mut diagnostics = Diagnostics::default();
    let mut summary = Summary::default();

    for (name, kind) in &inputs.skipped {
        diagnostics.warning(Location::file(name), Problem::NotRegularFile(kind));
    }
    progress(Progress::Pass("reading the ontology"));
    // Facts of RDF inputs are collected as they are read (RDF data files are not kept).
    let mut facts = collect_facts.then(FactSet::default);
    let (rdf, prefixes) = read_rdf(
        inputs,
        &mut diagnostics,
        &mut summary,
        facts.as_mut(),
        progress,
    );
    let ontology = Ontology::from_quads(rdf.kept_quads().map(|(_, q)| q), prefixes);
    let stopped = |ontology, diagnostics, summary, rdf| Prepared {
        ontology,
        diagnostics,
        summary,
        entities: EntityIndex::new(vocab::DEFAULT_BASE),
        facts: None,
        rdf,
        tables: Vec::new(),
        max_field_size: inputs.max_field_size,
    };
    if diagnostics.has_errors() {
        // An ontology that does not parse would make every table look wrong: report only it.
        return stopped(ontology, diagnostics, summary, rdf);
    }

    let base = match base(inputs, &rdf) {
        Ok(base) => base,
        Err(failure) => {
            // Every entity IRI would be wrong: say it once, about the base.
            let (location, problem) = *failure;
            diagnostics.error(location, problem);
            return stopped(ontology, diagnostics, summary, rdf);
        }
    };
    let mut entities = EntityIndex::new(base);
    describe_rdf_entities(&rdf, &ontology, &mut entities);

    // Pass one: headers, ids and classes of every entity table.
    progress(Progress::Pass("indexing entities"));
    let tables = index_tables(
        inputs,
        &ontology,
        &mut entities,
        &mut diagnostics,
        &mut summary,
        progress,
    );
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
        let mut on_row = |row: &RowFacts, _: &Header| {
            count_row(row, &ontology, &entities, &mut summary);
            if let Some(facts) = facts.as_mut() {
                for fact in &row.facts {
                    facts.insert(&fact.subject.clone().into(), &fact.predicate, &fact.object);
                }
            }
        };
        let skipped = read_rows(
            file,
            header,
            &ontology,
            &entities,
            &mut diagnostics,
            inputs.max_field_size,
            progress,
            &mut on_row,
        );
        summary.unreviewed.proposed += skipped.proposed;
        summary.unreviewed.rejected += skipped.rejected;
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
        facts,
        rdf,
        tables,
        max_field_size: inputs.max_field_size,
    }
}

/// The base IRI of entities: `--base`, else the `void:uriSpace` of the inputs, else kg's
/// default; an error at where it came from when it cannot be one.
fn base(inputs: &Inputs, rdf: &RdfInputs) -> Result<String, Box<(Location, Problem)>> {
    let (base, origin) = match &inputs.base {
        Some(base) => (base.clone(), Location::file("--base")),
        None => match uri_space(rdf) {
            Some((space, file)) => (space, Location::file(file)),
            None => (vocab::DEFAULT_BASE.to_owned(), Location::file("--base")),
        },
    };
    check_base(&base)
        .map(|()| base)
        .map_err(|p| Box::new((origin, p)))
}

/// Checks that entity IRIs can be made from `base`: it must be an absolute IRI (with a scheme)
/// that stays one with an id after it.
///
/// # Errors
/// [`Problem::InvalidBase`] with the reason.
///
/// ```
/// assert!(kg::ingest::check_base("https://example.org/id/").is_ok());
/// assert!(kg::ingest::check_base("not an iri").is_err());
/// ```
pub fn check_base(base: &str) -> Result<(), Problem> {
    oxigraph::model::NamedNode::new(format!("{base}id"))
        .map(|_| ())
        .map_err(|e| Problem::InvalidBase {
            base: base.into(),
            reason: e.to_string().into(),
        })
}

/// Indexes the classes of what the RDF inputs describe.
fn describe_rdf_entities(rdf: &RdfInputs, ontology: &Ontology, entities: &mut EntityIndex) {
    for (_, quad) in rdf.kept_quads() {
        if let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(class)) =
            (&quad.subject, &quad.object)
            && quad.predicate.as_ref() == rdf_vocab::TYPE
            && ontology.has_class(class.as_ref())
        {
            entities.describe(s.clone(), class.clone());
        }
    }
}

/// Pass one over every table of the data: the headers, and the ids and classes of entity tables.
fn index_tables(
    inputs: &Inputs,
    ontology: &Ontology,
    entities: &mut EntityIndex,
    diagnostics: &mut Diagnostics,
    summary: &mut Summary,
    progress: &dyn Fn(Progress<'_>),
) -> Vec<(InputFile, Header)> {
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
        let limit = inputs.max_field_size;
        if let Some(header) = index_table(file, ontology, entities, diagnostics, limit, progress) {
            tables.push((file.clone(), header));
        }
    }
    tables
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
}
