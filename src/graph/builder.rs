//! Building the projection from the facts a build emits.

use std::collections::HashMap;

use oxigraph::model::{NamedNode, Term as RdfTerm};

use super::{Edge, Evidence, Name, NameKind, Node, Projection, Term};
use crate::ingest::{EmittedFact, EntityIndex};
use crate::ontology::{Ontology, local_name};
use crate::suggest::fold;
use crate::vocab::{kg, rdf, rdfs, skos};

/// Collects nodes, edges and names while a build emits its facts.
pub struct ProjectionBuilder<'a> {
    ontology: &'a Ontology,
    entities: &'a EntityIndex,
    node_of: HashMap<NamedNode, u32>,
    nodes: Vec<Node>,
    /// Whether a node's label came from an English (or untagged) `rdfs:label`.
    english_label: Vec<bool>,
    edges: Vec<Edge>,
    edge_of: HashMap<(u32, u32, u32), u32>,
    classes: Vec<Term>,
    class_of: HashMap<NamedNode, u32>,
    predicates: Vec<Term>,
    predicate_of: HashMap<NamedNode, u32>,
    names: Vec<Name>,
}

impl<'a> ProjectionBuilder<'a> {
    /// Starts with one node per entity (documents excluded: they are evidence, not actors),
    /// in IRI order so that two builds number nodes alike.
    pub fn new(ontology: &'a Ontology, entities: &'a EntityIndex) -> Self {
        let mut iris: Vec<&NamedNode> = entities
            .iter()
            .filter(|e| !e.types.iter().any(|t| t.as_ref() == kg::DOCUMENT))
            .map(|e| &e.iri)
            .collect();
        iris.sort();
        let mut builder = Self {
            ontology,
            entities,
            node_of: HashMap::with_capacity(iris.len()),
            nodes: Vec::with_capacity(iris.len()),
            english_label: Vec::with_capacity(iris.len()),
            edges: Vec::new(),
            edge_of: HashMap::new(),
            classes: Vec::new(),
            class_of: HashMap::new(),
            predicates: Vec::new(),
            predicate_of: HashMap::new(),
            names: Vec::new(),
        };
        for iri in iris {
            let id = entities.id_of(iri).unwrap_or_else(|| iri.as_str().to_owned());
            let index = builder.nodes.len() as u32;
            builder.names.push(Name {
                folded: fold(&id),
                node: index,
                kind: NameKind::Id,
            });
            let types = entities
                .types_of(iri)
                .unwrap_or_default()
                .iter()
                .map(|class| builder.class(class))
                .collect();
            builder.nodes.push(Node {
                iri: iri.as_str().to_owned(),
                label: id.clone(),
                id,
                types,
            });
            builder.english_label.push(false);
            builder.node_of.insert(iri.clone(), index);
        }
        builder
    }

    fn term(&self, iri: &NamedNode) -> Term {
        Term {
            iri: iri.as_str().to_owned(),
            label: self
                .ontology
                .label(iri.as_ref())
                .map_or_else(|| local_name(iri.as_str()).to_owned(), str::to_owned),
        }
    }

    fn class(&mut self, iri: &NamedNode) -> u32 {
        if let Some(&index) = self.class_of.get(iri) {
            return index;
        }
        let index = self.classes.len() as u32;
        self.classes.push(self.term(iri));
        self.class_of.insert(iri.clone(), index);
        index
    }

    fn predicate(&mut self, iri: &NamedNode) -> u32 {
        if let Some(&index) = self.predicate_of.get(iri) {
            return index;
        }
        let index = self.predicates.len() as u32;
        self.predicates.push(self.term(iri));
        self.predicate_of.insert(iri.clone(), index);
        index
    }

    /// Takes in one emitted fact: labels and aliases name nodes, facts between two entities
    /// become edges (the same fact from several rows is one edge with all the evidence).
    pub fn add(&mut self, emitted: EmittedFact<'_>) {
        let fact = emitted.fact;
        let Some(&subject) = self.node_of.get(&fact.subject) else {
            return;
        };
        let predicate = fact.predicate.as_ref();
        match &fact.object {
            RdfTerm::Literal(literal) if predicate == rdfs::LABEL => {
                let english = literal.language().is_none_or(|l| l.starts_with("en"));
                let node = &mut self.nodes[subject as usize];
                if english && !self.english_label[subject as usize] || node.label == node.id {
                    node.label = literal.value().to_owned();
                    self.english_label[subject as usize] = english;
                }
                self.names.push(Name {
                    folded: fold(literal.value()),
                    node: subject,
                    kind: NameKind::Label,
                });
            }
            RdfTerm::Literal(literal)
                if predicate == skos::ALT_LABEL
                    || predicate == skos::PREF_LABEL
                    || predicate == skos::HIDDEN_LABEL =>
            {
                self.names.push(Name {
                    folded: fold(literal.value()),
                    node: subject,
                    kind: NameKind::Alias,
                });
            }
            RdfTerm::NamedNode(object) if predicate != rdf::TYPE => {
                let Some(&target) = self.node_of.get(object) else {
                    return;
                };
                let predicate = self.predicate(&fact.predicate);
                let key = (subject, target, predicate);
                let index = *self.edge_of.entry(key).or_insert_with(|| {
                    self.edges.push(Edge {
                        source: subject,
                        target,
                        predicate,
                        evidence: Vec::new(),
                    });
                    self.edges.len() as u32 - 1
                });
                let provenance = emitted.provenance;
                let Some(document) = &provenance.document else {
                    return;
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
                let evidence = &mut self.edges[index as usize].evidence;
                let mut add = |sentence: Option<u64>| {
                    let item = Evidence {
                        document: document_id.clone(),
                        sentence,
                        date: date.clone(),
                        text: sentence
                            .and_then(|n| texts.and_then(|t| t.get(n as usize - 1)))
                            .cloned(),
                    };
                    if !evidence.contains(&item) {
                        evidence.push(item);
                    }
                };
                if provenance.sentences.is_empty() {
                    add(None);
                }
                for &sentence in &provenance.sentences {
                    add(Some(sentence));
                }
            }
            _ => {}
        }
    }

    /// The finished projection.
    pub fn finish(mut self) -> Projection {
        for edge in &mut self.edges {
            edge.evidence.sort_by(|a, b| (&a.document, a.sentence).cmp(&(&b.document, b.sentence)));
        }
        Projection::new(self.nodes, self.edges, self.classes, self.predicates, self.names)
    }
}
