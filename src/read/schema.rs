//! What commands need from a graph's ontology at read time: the classes with their labels, the
//! class hierarchy, and the dataset's title — read once through the seam.

use std::collections::BTreeMap;

use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};

use super::{GraphReader, ReadError};
use crate::iri::local_name;
use crate::names::PreferredLabel;
use crate::schema::ClassHierarchy;
use crate::vocab::{dcterms, owl, rdf, rdfs, void};

/// Classes, their hierarchy and the dataset's title, as a graph states them.
#[derive(Debug, Clone, Default)]
pub struct SchemaView {
    /// Every class the graph declares (`owl:Class`, `rdfs:Class`) or its entities have, with
    /// its preferred label (else its local name), by IRI.
    pub classes: BTreeMap<String, String>,
    /// `rdfs:subClassOf` and `owl:equivalentClass` between named classes.
    pub hierarchy: ClassHierarchy,
    /// The `dcterms:title` of a `void:Dataset` (English preferred).
    pub title: Option<String>,
}

impl SchemaView {
    /// Reads the schema of a graph: a few pattern reads, independent of the number of facts.
    ///
    /// # Errors
    /// Read errors.
    pub fn read(reader: &dyn GraphReader) -> Result<Self, ReadError> {
        let mut view = Self::default();
        for kind in [owl::CLASS, rdfs::CLASS] {
            for triple in reader.triples(None, Some(rdf::TYPE), Some(kind.into())) {
                if let NamedOrBlankNode::NamedNode(class) = triple?.subject {
                    let label = label(reader, &class)?;
                    view.classes.insert(class.into_string(), label);
                }
            }
        }
        for class in reader.projection()?.classes() {
            view.classes
                .entry(class.iri.to_owned())
                .or_insert_with(|| class.label.to_owned());
        }
        for predicate in [rdfs::SUB_CLASS_OF, owl::EQUIVALENT_CLASS] {
            for triple in reader.triples(None, Some(predicate), None) {
                let triple = triple?;
                if let (NamedOrBlankNode::NamedNode(sub), Term::NamedNode(sup)) =
                    (triple.subject, triple.object)
                {
                    if predicate == rdfs::SUB_CLASS_OF {
                        view.hierarchy.add(sub, sup);
                    } else {
                        view.hierarchy.add_equivalent(sub, sup);
                    }
                }
            }
        }
        let mut title = PreferredLabel::default();
        for dataset in reader.triples(None, Some(rdf::TYPE), Some(void::DATASET.into())) {
            let dataset = dataset?.subject;
            for triple in reader.triples(Some(dataset.as_ref()), Some(dcterms::TITLE), None) {
                if let Term::Literal(literal) = triple?.object {
                    title.offer(literal.value(), literal.language());
                }
            }
        }
        view.title = title.into_label();
        Ok(view)
    }

    /// The classes as (IRI, label) pairs, for name resolution.
    pub fn class_list(&self) -> Vec<(String, String)> {
        self.classes
            .iter()
            .map(|(iri, label)| (iri.clone(), label.clone()))
            .collect()
    }
}

/// The preferred `rdfs:label` of an IRI, else its local name.
///
/// # Errors
/// Read errors.
pub fn label(reader: &dyn GraphReader, iri: &NamedNode) -> Result<String, ReadError> {
    let mut best = PreferredLabel::default();
    for triple in reader.triples(Some(iri.as_ref().into()), Some(rdfs::LABEL), None) {
        if let Term::Literal(literal) = triple?.object {
            best.offer(literal.value(), literal.language());
        }
    }
    Ok(best
        .into_label()
        .unwrap_or_else(|| local_name(iri.as_str()).to_owned()))
}
