//! Reading the ontology model from RDF: one pass over the quads gathers the axioms, then they
//! are assembled into [`Property`] descriptions.

use std::collections::{BTreeMap, HashMap, HashSet};

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, TermRef};

use super::{AnyOf, Ontology, Property, PropertyKind};
use crate::vocab::{WELL_KNOWN_PREFIXES, owl, rdf, rdfs};

impl Ontology {
    /// Reads the ontology from quads (any graph) and the prefixes their files declared.
    pub fn from_quads<'a>(
        quads: impl IntoIterator<Item = &'a Quad>,
        prefixes: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        let mut ontology = Self::default();
        for (prefix, namespace) in WELL_KNOWN_PREFIXES {
            ontology
                .prefixes
                .insert((*prefix).to_owned(), (*namespace).to_owned());
        }
        for (prefix, namespace) in prefixes {
            ontology.prefixes.entry(prefix).or_insert(namespace);
        }
        let quads: Vec<&Quad> = quads.into_iter().collect();
        let lists = ListIndex::new(&quads);
        let mut axioms = Axioms::default();
        for quad in &quads {
            if let NamedOrBlankNode::NamedNode(subject) = &quad.subject {
                ontology.read(subject, quad, &lists, &mut axioms);
            }
        }
        ontology.assemble(axioms);
        ontology.index_local_names();
        ontology
    }

    /// Whether [`Ontology::from_quads`] can learn anything from `quad`: the predicates it
    /// reads about named subjects, and every triple about a blank node (the `owl:unionOf`
    /// lists). A build keeps only these of its RDF data files before it writes them.
    pub fn reads(quad: &Quad) -> bool {
        let p = quad.predicate.as_ref();
        matches!(quad.subject, NamedOrBlankNode::BlankNode(_))
            || p == rdf::TYPE
            || p == rdfs::SUB_CLASS_OF
            || p == owl::EQUIVALENT_CLASS
            || p == rdfs::DOMAIN
            || p == rdfs::RANGE
            || p == owl::INVERSE_OF
            || p == rdfs::LABEL
    }

    /// Takes in one schema triple about a named subject.
    fn read(
        &mut self,
        subject: &NamedNode,
        quad: &Quad,
        lists: &ListIndex<'_>,
        axioms: &mut Axioms,
    ) {
        let p = quad.predicate.as_ref();
        match &quad.object {
            Term::NamedNode(class) if p == rdf::TYPE => {
                let class = class.as_ref();
                if let Some(kind) = property_kind(class) {
                    let entry = axioms.declared.entry(subject.clone()).or_insert(kind);
                    *entry = (*entry).min(kind);
                    if class == owl::SYMMETRIC_PROPERTY {
                        axioms.symmetric.insert(subject.clone());
                    }
                } else if class == owl::CLASS || class == rdfs::CLASS {
                    self.classes.insert(subject.clone());
                } else if class == rdfs::DATATYPE {
                    self.datatypes.insert(subject.clone());
                }
            }
            object if p == rdfs::SUB_CLASS_OF => {
                for sup in lists.named(object) {
                    self.hierarchy.add(subject.clone(), sup);
                }
            }
            object if p == owl::EQUIVALENT_CLASS => {
                for other in lists.named(object) {
                    self.hierarchy.add_equivalent(subject.clone(), other);
                }
            }
            object if p == rdfs::DOMAIN => {
                axioms.domains.push((subject.clone(), lists.named(object)));
            }
            object if p == rdfs::RANGE => {
                axioms.ranges.push((subject.clone(), lists.named(object)));
            }
            Term::NamedNode(other) if p == owl::INVERSE_OF => {
                axioms.inverses.push((subject.clone(), other.clone()));
            }
            Term::Literal(label) if p == rdfs::LABEL => {
                self.labels
                    .entry(subject.clone())
                    .or_default()
                    .offer(label.value(), label.language());
            }
            _ => {}
        }
    }

    /// Turns the collected axioms into [`Property`] descriptions.
    fn assemble(&mut self, mut axioms: Axioms) {
        axioms
            .declared
            .entry(owl::SAME_AS.into_owned())
            .or_insert(PropertyKind::Object);
        for (iri, kind) in axioms.declared {
            let symmetric = axioms.symmetric.contains(&iri);
            self.properties.insert(
                iri.clone(),
                Property {
                    iri,
                    kind,
                    domains: Vec::new(),
                    class_ranges: Vec::new(),
                    datatype_ranges: Vec::new(),
                    inverse: None,
                    symmetric,
                },
            );
        }
        // A repeated axiom (a file loaded twice, two files stating the same range) changes
        // nothing: each list keeps distinct constraints only.
        for (iri, any_of) in axioms.domains {
            if let Some(property) = self.properties.get_mut(&iri)
                && !any_of.is_empty()
                && !property.domains.contains(&any_of)
            {
                property.domains.push(any_of);
            }
        }
        for (iri, any_of) in axioms.ranges {
            let datatype = any_of.iter().all(|t| self.is_datatype(t.as_ref()));
            if let Some(property) = self.properties.get_mut(&iri)
                && !any_of.is_empty()
            {
                let ranges = if datatype {
                    &mut property.datatype_ranges
                } else {
                    &mut property.class_ranges
                };
                if !ranges.contains(&any_of) {
                    ranges.push(any_of);
                }
            }
        }
        for (a, b) in axioms.inverses {
            if let Some(property) = self.properties.get_mut(&a) {
                property.inverse = Some(b.clone());
            }
            if let Some(property) = self.properties.get_mut(&b) {
                property.inverse.get_or_insert(a);
            }
        }
    }
}

/// Axioms gathered in one pass over the quads, assembled once all are known.
#[derive(Default)]
struct Axioms {
    declared: BTreeMap<NamedNode, PropertyKind>,
    domains: Vec<(NamedNode, AnyOf)>,
    ranges: Vec<(NamedNode, AnyOf)>,
    inverses: Vec<(NamedNode, NamedNode)>,
    symmetric: HashSet<NamedNode>,
}

/// The kind of property a `rdf:type` declares, if it declares one.
fn property_kind(class: NamedNodeRef<'_>) -> Option<PropertyKind> {
    if class == owl::OBJECT_PROPERTY
        || class == owl::SYMMETRIC_PROPERTY
        || class == owl::TRANSITIVE_PROPERTY
    {
        Some(PropertyKind::Object)
    } else if class == owl::DATATYPE_PROPERTY {
        Some(PropertyKind::Datatype)
    } else if class == owl::ANNOTATION_PROPERTY {
        Some(PropertyKind::Annotation)
    } else if class == rdf::PROPERTY || class == owl::FUNCTIONAL_PROPERTY {
        Some(PropertyKind::Plain)
    } else {
        None
    }
}

/// Named members of `owl:unionOf` lists (or the node itself when it is named).
struct ListIndex<'a> {
    by_subject: HashMap<&'a NamedOrBlankNode, Vec<&'a Quad>>,
}

impl<'a> ListIndex<'a> {
    fn new(quads: &[&'a Quad]) -> Self {
        let mut by_subject: HashMap<&NamedOrBlankNode, Vec<&Quad>> = HashMap::new();
        for quad in quads {
            if matches!(quad.subject, NamedOrBlankNode::BlankNode(_)) {
                by_subject.entry(&quad.subject).or_default().push(quad);
            }
        }
        Self { by_subject }
    }

    fn object(&self, node: &NamedOrBlankNode, predicate: NamedNodeRef<'_>) -> Option<&'a Term> {
        self.by_subject
            .get(node)?
            .iter()
            .find(|q| q.predicate.as_ref() == predicate)
            .map(|q| &q.object)
    }

    /// The named classes a term stands for: itself, or the members of its `owl:unionOf`.
    fn named(&self, term: &Term) -> Vec<NamedNode> {
        match term.as_ref() {
            TermRef::NamedNode(n) => vec![n.into_owned()],
            TermRef::BlankNode(b) => {
                let node = NamedOrBlankNode::BlankNode(b.into_owned());
                let Some(list) = self.object(&node, owl::UNION_OF) else {
                    return Vec::new();
                };
                let mut members = Vec::new();
                let mut cursor = list.clone();
                for _ in 0..10_000 {
                    let Term::BlankNode(cell) = &cursor else {
                        break;
                    };
                    let cell = NamedOrBlankNode::BlankNode(cell.clone());
                    if let Some(Term::NamedNode(first)) = self.object(&cell, rdf::FIRST) {
                        members.push(first.clone());
                    }
                    match self.object(&cell, rdf::REST) {
                        Some(rest) => cursor = rest.clone(),
                        None => break,
                    }
                }
                members
            }
            TermRef::Literal(_) => Vec::new(),
        }
    }
}
