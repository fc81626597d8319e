//! Pass two of a build: every quad for the store (facts, their `rdf:Statement`s with provenance,
//! the sentences they cite) and every fact for the graph projection, from inputs already checked.

use std::collections::{BTreeSet, HashSet};

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use sha2::{Digest, Sha256};

use super::csv::{Fact, Header, Provenance, RowFacts};
use super::entities::EntityIndex;
use super::rdf::states_on_fact;
use super::tables::read_rows;
use super::{Prepared, Progress};
use crate::diagnostic::{Diagnostics, Location, Problem};
use crate::vocab::{self, kg, rdf, xsd};

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

/// What pass two learnt that pass one does not keep.
#[derive(Debug, Default)]
pub struct Emitted {
    /// The properties the RDF inputs state on facts (on subjects that have an `rdf:subject`)
    /// beyond the statements' provenance: what [`super::Summary::qualifiers`] records.
    pub stated_properties: BTreeSet<String>,
}

/// Why pass two stopped.
#[derive(Debug)]
pub enum EmitError<E> {
    /// A sink failed.
    Sink(E),
    /// An RDF data file no longer reads as it did when it was checked (changed since).
    Input(Box<(Location, Problem)>),
}

impl Prepared {
    /// Pass two: hands out every quad for the store and, for the projection, every fact of the
    /// tables and those facts of RDF inputs the projection keeps (see [`FactOrigin::Rdf`]).
    /// RDF data files are read again, streamed.
    ///
    /// # Errors
    /// When a sink fails (the store is full, the disk is gone), or an RDF data file changed
    /// since it was checked; inputs are not re-checked otherwise.
    pub fn emit<E>(
        &self,
        quads: &mut dyn FnMut(Quad) -> Result<(), E>,
        facts: &mut dyn FnMut(EmittedFact<'_>),
        progress: &dyn Fn(Progress<'_>),
    ) -> Result<Emitted, EmitError<E>> {
        progress(Progress::Pass("writing the store"));
        let mut emitted = Emitted::default();
        let mut rdf_quad = |quad: Quad, is_ontology: bool| {
            if states_on_fact(&self.rdf, &quad)
                && !emitted.stated_properties.contains(quad.predicate.as_str())
            {
                emitted
                    .stated_properties
                    .insert(quad.predicate.as_str().to_owned());
            }
            if quad.graph_name == GraphName::DefaultGraph {
                self.rdf_facts(&quad, is_ontology, facts);
            }
            quads(quad)
        };
        for (_, is_ontology, file_quads) in &self.rdf.kept {
            if *is_ontology {
                for quad in file_quads {
                    rdf_quad(quad.clone(), true).map_err(EmitError::Sink)?;
                }
            }
        }
        self.rdf.each_data_quad(&mut |quad| rdf_quad(quad, false))?;
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
                self.max_field_size,
                progress,
                &mut on_row,
            );
            if let Some(e) = failure.take() {
                return Err(EmitError::Sink(e));
            }
        }
        Ok(emitted)
    }

    /// The facts of one default-graph quad of an RDF input that the projection keeps:
    /// literal facts about entities (from any file: the entities' attributes), and
    /// entity-valued facts between two IRIs (from data files).
    fn rdf_facts(&self, quad: &Quad, is_ontology: bool, facts: &mut dyn FnMut(EmittedFact<'_>)) {
        let no_provenance = Provenance::default();
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
        if is_ontology {
            return;
        }
        if let (NamedOrBlankNode::NamedNode(subject), Term::NamedNode(object)) =
            (&quad.subject, &quad.object)
        {
            let entity_valued = self
                .ontology
                .property(quad.predicate.as_ref())
                .is_some_and(|p| p.value_kind() == crate::schema::ValueKind::Entity);
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
            if let Some((start, end)) = provenance.span {
                let span = Literal::new_simple_literal(format!("{start}-{end}"));
                emit(s(), kg::SPAN.into(), span.into())?;
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
pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}
