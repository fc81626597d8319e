//! Building the projection from the facts a build emits.

use std::collections::{HashMap, HashSet};

use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term as RdfTerm, Triple};

use super::assemble::{EdgeData, LiteralTypeData, NodeData, ProjectionData};
use super::file::ProjectionFileError;
use super::{Evidence, NameKind, Projection};
use crate::ingest::literal::stored_form;
use crate::ingest::{EmittedFact, EntityIndex};
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
    /// aliases name nodes whether a table or an RDF input gives them.
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
                    inferred: None,
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

    /// Takes in the relations a build derived (the reasoner's triples between two entities):
    /// each becomes an inferred edge where it links two entities that no stated fact links
    /// in either direction, so that paths gain what the ontology implies (a transitive
    /// shortcut, a chain, a co-referent's ties) without repeating each stated hop under its
    /// super-properties and inverses. One edge per pair of entities, by the rule order below.
    /// Call it after the stated facts.
    pub fn add_derived(&mut self, relations: &[(Triple, &'static str)]) {
        let linked: HashSet<(u32, u32)> = self
            .data
            .edges
            .iter()
            .map(|e| (e.source.min(e.target), e.source.max(e.target)))
            .collect();
        let mut chosen: HashMap<(u32, u32), Candidate> = HashMap::new();
        for (triple, rule) in relations {
            let (NamedOrBlankNode::NamedNode(subject), RdfTerm::NamedNode(object)) =
                (&triple.subject, &triple.object)
            else {
                continue;
            };
            let (Some(&source), Some(&target)) =
                (self.node_of.get(subject), self.node_of.get(object))
            else {
                continue;
            };
            let pair = (source.min(target), source.max(target));
            if source == target || linked.contains(&pair) {
                continue;
            }
            let predicate = self.predicate(&triple.predicate);
            let candidate = (rule_preference(rule), predicate, source, target, *rule);
            chosen
                .entry(pair)
                .and_modify(|kept| {
                    if (candidate.0, candidate.1, candidate.2) < (kept.0, kept.1, kept.2) {
                        *kept = candidate;
                    }
                })
                .or_insert(candidate);
        }
        for (_, predicate, source, target, rule) in chosen.into_values() {
            self.data.edges.push(EdgeData {
                source,
                target,
                predicate,
                evidence: Vec::new(),
                inferred: Some(rule.to_owned()),
            });
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

/// A derived relation that may become the edge of a pair of entities: (its rule's
/// [`rule_preference`], predicate, source, target, rule).
type Candidate = (usize, u32, u32, u32, &'static str);

/// Which derived relation between two entities becomes their edge, best first: a co-referent's
/// ties (`eq-rep-*`), transitive shortcuts, chains, then inverses, symmetry and super-properties.
/// The remote projection (`crate::remote`) picks the same way, so remote paths equal local ones.
pub(crate) fn rule_preference(rule: &str) -> usize {
    const ORDER: [&str; 7] = [
        "eq-rep-s", "eq-rep-o", "prp-trp", "prp-spo2", "prp-symp", "prp-inv1", "prp-inv2",
    ];
    ORDER.iter().position(|r| *r == rule).unwrap_or(ORDER.len())
}
