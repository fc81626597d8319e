//! Building the projection from the facts a build emits.

use std::collections::HashMap;

use oxigraph::model::{Literal, NamedNode, Term as RdfTerm};

use super::assemble::{EdgeData, LiteralTypeData, NodeData, ProjectionData};
use super::file::ProjectionFileError;
use super::{Evidence, NameKind, Projection};
use crate::ingest::literal::stored_form;
use crate::ingest::{EmittedFact, EntityIndex, FactOrigin};
use crate::iri::local_name;
use crate::names::{fold, label_rank};
use crate::schema::Ontology;
use crate::vocab::{kg, rdf, rdfs, skos};

/// The rank of a node that has no label yet (shown by its id): any label ranks better.
const NO_LABEL: u8 = u8::MAX;

/// Collects nodes, edges, names and node attributes while a build emits its facts.
pub struct ProjectionBuilder<'a> {
    ontology: &'a Ontology,
    entities: &'a EntityIndex,
    data: ProjectionData,
    node_of: HashMap<NamedNode, u32>,
    /// The [`label_rank`] of each node's label so far.
    label_rank: Vec<u8>,
    class_of: HashMap<NamedNode, u32>,
    predicate_of: HashMap<NamedNode, u32>,
    property_of: HashMap<NamedNode, u32>,
    datatype_of: HashMap<String, u32>,
    language_of: HashMap<String, u32>,
}

impl<'a> ProjectionBuilder<'a> {
    /// Starts with one node per entity (documents excluded: they are evidence, not actors),
    /// in IRI order so that two builds number nodes alike.
    ///
    /// # Errors
    /// [`ProjectionFileError::TooLarge`] beyond 2³² entities.
    pub fn new(
        ontology: &'a Ontology,
        entities: &'a EntityIndex,
    ) -> Result<Self, ProjectionFileError> {
        let mut iris: Vec<&NamedNode> = entities
            .iter()
            .filter(|e| !e.types.iter().any(|t| t.as_ref() == kg::DOCUMENT))
            .map(|e| &e.iri)
            .collect();
        iris.sort();
        u32::try_from(iris.len())
            .map_err(|_| ProjectionFileError::TooLarge("more than 2^32 entities"))?;
        let mut builder = Self {
            ontology,
            entities,
            data: ProjectionData::default(),
            node_of: HashMap::with_capacity(iris.len()),
            label_rank: Vec::with_capacity(iris.len()),
            class_of: HashMap::new(),
            predicate_of: HashMap::new(),
            property_of: HashMap::new(),
            datatype_of: HashMap::new(),
            language_of: HashMap::new(),
        };
        for (index, iri) in (0_u32..).zip(iris) {
            let id = entities
                .id_of(iri)
                .unwrap_or_else(|| iri.as_str().to_owned());
            builder.data.names.push((fold(&id), index, NameKind::Id));
            let types = entities
                .types_of(iri)
                .unwrap_or_default()
                .iter()
                .map(|class| builder.class(class))
                .collect();
            builder.data.nodes.push(NodeData {
                iri: iri.as_str().to_owned(),
                label: id.clone(),
                id,
                types,
            });
            builder.label_rank.push(NO_LABEL);
            builder.node_of.insert(iri.clone(), index);
        }
        Ok(builder)
    }

    fn class(&mut self, iri: &NamedNode) -> u32 {
        intern(
            self.ontology,
            &mut self.class_of,
            &mut self.data.classes,
            iri,
        )
    }

    fn predicate(&mut self, iri: &NamedNode) -> u32 {
        intern(
            self.ontology,
            &mut self.predicate_of,
            &mut self.data.predicates,
            iri,
        )
    }

    fn property(&mut self, iri: &NamedNode) -> u32 {
        intern(
            self.ontology,
            &mut self.property_of,
            &mut self.data.properties,
            iri,
        )
    }

    /// The index of a literal's datatype, or of its language tag.
    fn literal_type(&mut self, literal: &Literal) -> u32 {
        let (of, key, data): (_, &str, fn(String) -> LiteralTypeData) = match literal.language() {
            Some(language) => (&mut self.language_of, language, LiteralTypeData::Language),
            None => (
                &mut self.datatype_of,
                literal.datatype().as_str(),
                LiteralTypeData::Datatype,
            ),
        };
        if let Some(&index) = of.get(key) {
            return index;
        }
        let index = u32::try_from(self.data.literal_types.len()).unwrap_or(u32::MAX);
        of.insert(key.to_owned(), index);
        self.data.literal_types.push(data(key.to_owned()));
        index
    }

    /// Takes in one emitted fact: labels and aliases name nodes, facts between two entities
    /// become edges (the same fact from several rows becomes one edge with all the evidence),
    /// and every literal fact but an `rdfs:label` becomes an attribute of its node, in the form
    /// the store keeps (the store holds each triple once, and so do the attributes). Labels and
    /// aliases of RDF inputs name no node.
    pub fn add(&mut self, emitted: EmittedFact<'_>) {
        let fact = emitted.fact;
        let Some(&subject) = self.node_of.get(&fact.subject) else {
            return;
        };
        let predicate = fact.predicate.as_ref();
        if let RdfTerm::Literal(literal) = &fact.object
            && predicate != rdfs::LABEL
        {
            let literal = stored_form(literal);
            let property = self.property(&fact.predicate);
            let literal_type = self.literal_type(&literal);
            self.data
                .attributes
                .push(subject, property, literal_type, literal.value());
        }
        if emitted.origin == FactOrigin::Rdf && matches!(fact.object, RdfTerm::Literal(_)) {
            return;
        }
        match &fact.object {
            RdfTerm::Literal(literal) if predicate == rdfs::LABEL => {
                // The preferred label (English, untagged, any: [`label_rank`]) names the node.
                let rank = label_rank(literal.language());
                let kept = &mut self.label_rank[subject as usize];
                if rank < *kept {
                    literal
                        .value()
                        .clone_into(&mut self.data.nodes[subject as usize].label);
                    *kept = rank;
                }
                self.data
                    .names
                    .push((fold(literal.value()), subject, NameKind::Label));
            }
            RdfTerm::Literal(literal)
                if predicate == skos::ALT_LABEL
                    || predicate == skos::PREF_LABEL
                    || predicate == skos::HIDDEN_LABEL =>
            {
                self.data
                    .names
                    .push((fold(literal.value()), subject, NameKind::Alias));
            }
            RdfTerm::NamedNode(object) if predicate != rdf::TYPE => {
                let Some(&target) = self.node_of.get(object) else {
                    return;
                };
                let predicate = self.predicate(&fact.predicate);
                let evidence = self.evidence(emitted);
                self.data.edges.push(EdgeData {
                    source: subject,
                    target,
                    predicate,
                    evidence,
                });
            }
            _ => {}
        }
    }

    /// One evidence item per cited sentence (or one without a sentence).
    fn evidence(&self, emitted: EmittedFact<'_>) -> Vec<Evidence> {
        let provenance = emitted.provenance;
        let Some(document) = &provenance.document else {
            return Vec::new();
        };
        let document_id = self
            .entities
            .id_of(document)
            .unwrap_or_else(|| document.as_str().to_owned());
        let texts = self
            .entities
            .by_iri(document)
            .and_then(|e| e.document.as_ref())
            .and_then(|d| d.sentences.as_ref());
        let date = provenance.date.as_ref().map(|d| d.value().to_owned());
        let item = |sentence: Option<u64>| Evidence {
            document: document_id.clone(),
            sentence,
            date: date.clone(),
            text: sentence
                .and_then(|n| texts?.get(usize::try_from(n.checked_sub(1)?).ok()?))
                .cloned(),
        };
        if provenance.sentences.is_empty() {
            vec![item(None)]
        } else {
            provenance
                .sentences
                .iter()
                .map(|&n| item(Some(n)))
                .collect()
        }
    }

    /// The finished projection.
    ///
    /// # Errors
    /// [`ProjectionFileError::TooLarge`] when the graph exceeds the format's limits.
    pub fn finish(self) -> Result<Projection, ProjectionFileError> {
        self.data.assemble()
    }
}

/// The index of `iri` in a term table (IRI, label), added with its ontology label (else its local
/// name) the first time it is seen.
fn intern(
    ontology: &Ontology,
    index_of: &mut HashMap<NamedNode, u32>,
    table: &mut Vec<(String, String)>,
    iri: &NamedNode,
) -> u32 {
    if let Some(&index) = index_of.get(iri) {
        return index;
    }
    let index = u32::try_from(table.len()).unwrap_or(u32::MAX);
    let label = ontology
        .label(iri.as_ref())
        .map_or_else(|| local_name(iri.as_str()).to_owned(), str::to_owned);
    table.push((iri.as_str().to_owned(), label));
    index_of.insert(iri.clone(), index);
    index
}
