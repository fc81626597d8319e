//! The ontology as kg uses it: which classes and properties exist, their labels, domains, ranges
//! and class hierarchy, and how names written in tables resolve to them.
//!
//! It is read from RDF (the ontology files, plus any RDF among the data inputs) and checks every
//! fact a table states: the property exists, the subject's classes meet its `rdfs:domain`, the
//! object meets its `rdfs:range`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, TermRef};

use crate::ingest::diagnostic::{Problem, Suggestion, TermKind};
use crate::suggest;
use crate::vocab::{WELL_KNOWN_PREFIXES, owl, rdf, rdfs, xsd};

/// What a property's values are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Values are entities (IRIs); a cell names an entity id.
    Entity,
    /// Values are literals.
    Literal,
}

/// How a property was declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PropertyKind {
    /// `owl:ObjectProperty`.
    Object,
    /// `owl:DatatypeProperty`.
    Datatype,
    /// `owl:AnnotationProperty`.
    Annotation,
    /// `rdf:Property` (RDFS vocabularies).
    Plain,
}

/// A class constraint: the value must belong to at least one of these classes (an `owl:unionOf`,
/// or a single class).
pub type AnyOf = Vec<NamedNode>;

/// What kg knows about one property.
#[derive(Debug, Clone)]
pub struct Property {
    /// The property's IRI.
    pub iri: NamedNode,
    /// How it was declared (the strongest declaration wins: object, datatype, annotation, plain).
    pub kind: PropertyKind,
    /// Each `rdfs:domain` (all must hold).
    pub domains: Vec<AnyOf>,
    /// Each class `rdfs:range` (all must hold).
    pub class_ranges: Vec<AnyOf>,
    /// Each datatype `rdfs:range` (all must hold; a literal's datatype must be one of each).
    pub datatype_ranges: Vec<AnyOf>,
    /// `owl:inverseOf`, either way round.
    pub inverse: Option<NamedNode>,
    /// Declared `owl:SymmetricProperty`.
    pub symmetric: bool,
}

impl Property {
    /// Whether cells of this property name entities or hold literals.
    pub fn value_kind(&self) -> ValueKind {
        match self.kind {
            PropertyKind::Object => ValueKind::Entity,
            PropertyKind::Datatype => ValueKind::Literal,
            _ if !self.class_ranges.is_empty() => ValueKind::Entity,
            _ => ValueKind::Literal,
        }
    }

    /// The datatype a literal gets when nothing else says: the range, when it is one datatype.
    pub fn default_datatype(&self) -> Option<NamedNodeRef<'_>> {
        match self.datatype_ranges.as_slice() {
            [only] if only.len() == 1 && only[0] != rdfs::LITERAL => Some(only[0].as_ref()),
            _ => None,
        }
    }
}

/// Classes, properties, labels and prefixes of the loaded ontologies.
#[derive(Debug, Clone, Default)]
pub struct Ontology {
    classes: BTreeSet<NamedNode>,
    properties: BTreeMap<NamedNode, Property>,
    /// Direct super classes (`rdfs:subClassOf`, and `owl:equivalentClass` both ways).
    supers: HashMap<NamedNode, Vec<NamedNode>>,
    labels: HashMap<NamedNode, String>,
    prefixes: BTreeMap<String, String>,
    datatypes: HashSet<NamedNode>,
}

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
        ontology
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
                    self.supers.entry(subject.clone()).or_default().push(sup);
                }
            }
            object if p == owl::EQUIVALENT_CLASS => {
                for other in lists.named(object) {
                    self.supers
                        .entry(subject.clone())
                        .or_default()
                        .push(other.clone());
                    self.supers.entry(other).or_default().push(subject.clone());
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
                let english = label.language().is_none_or(|l| l.starts_with("en"));
                if english || !self.labels.contains_key(subject) {
                    self.labels
                        .insert(subject.clone(), label.value().to_owned());
                }
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
        for (iri, any_of) in axioms.domains {
            if let Some(property) = self.properties.get_mut(&iri)
                && !any_of.is_empty()
            {
                property.domains.push(any_of);
            }
        }
        for (iri, any_of) in axioms.ranges {
            let datatype = any_of.iter().all(|t| self.is_datatype(t.as_ref()));
            if let Some(property) = self.properties.get_mut(&iri)
                && !any_of.is_empty()
            {
                if datatype {
                    property.datatype_ranges.push(any_of);
                } else {
                    property.class_ranges.push(any_of);
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

    /// Whether `iri` names a datatype: XSD's, `rdf:langString`, `rdfs:Literal`, or one declared
    /// `rdfs:Datatype`.
    pub fn is_datatype(&self, iri: NamedNodeRef<'_>) -> bool {
        iri.as_str()
            .starts_with(xsd::STRING.as_str().trim_end_matches("string"))
            || iri == rdf::LANG_STRING
            || iri == rdfs::LITERAL
            || iri.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral"
            || self.datatypes.contains(&iri.into_owned())
    }

    /// The property with this IRI, if declared.
    pub fn property(&self, iri: NamedNodeRef<'_>) -> Option<&Property> {
        self.properties.get(&iri.into_owned())
    }

    /// Whether a class with this IRI is declared.
    pub fn has_class(&self, iri: NamedNodeRef<'_>) -> bool {
        self.classes.contains(&iri.into_owned())
    }

    /// All declared classes.
    pub fn classes(&self) -> impl Iterator<Item = &NamedNode> {
        self.classes.iter()
    }

    /// All declared properties.
    pub fn properties(&self) -> impl Iterator<Item = &Property> {
        self.properties.values()
    }

    /// The `rdfs:label` of a term (English preferred).
    pub fn label(&self, iri: NamedNodeRef<'_>) -> Option<&str> {
        self.labels.get(&iri.into_owned()).map(String::as_str)
    }

    /// The prefixes: well-known ones, then those the ontology files declared.
    pub fn prefixes(&self) -> &BTreeMap<String, String> {
        &self.prefixes
    }

    /// The class and all its super classes (through `rdfs:subClassOf` and `owl:equivalentClass`).
    pub fn super_classes(&self, class: NamedNodeRef<'_>) -> BTreeSet<NamedNode> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![class.into_owned()];
        while let Some(next) = todo.pop() {
            if let Some(direct) = self.supers.get(&next) {
                todo.extend(direct.iter().filter(|c| !seen.contains(*c)).cloned());
            }
            seen.insert(next);
        }
        seen
    }

    /// Whether something typed with `types` belongs to one of the classes of `any_of`.
    pub fn satisfies(&self, types: &[NamedNode], any_of: &[NamedNode]) -> bool {
        if any_of
            .iter()
            .any(|c| c.as_ref() == owl::THING || c.as_ref() == rdfs::RESOURCE)
        {
            return true;
        }
        types.iter().any(|t| {
            let supers = self.super_classes(t.as_ref());
            any_of.iter().any(|c| supers.contains(c))
        })
    }

    /// Writes an IRI the short way when a prefix covers it (`pto:Person`), else `<iri>`.
    pub fn compact(&self, iri: NamedNodeRef<'_>) -> String {
        let iri = iri.as_str();
        self.prefixes
            .iter()
            .filter(|(_, ns)| iri.starts_with(ns.as_str()))
            .max_by_key(|(_, ns)| ns.len())
            .map(|(prefix, ns)| (prefix, &iri[ns.len()..]))
            .filter(|(_, local)| is_pn_local(local))
            .map_or_else(|| format!("<{iri}>"), |(p, local)| format!("{p}:{local}"))
    }

    /// Resolves a name written in a table (`pto:Person`, `<https://…>` or a bare `Person`) to a
    /// declared class, property or datatype.
    ///
    /// # Errors
    /// [`Problem::UnknownTerm`] (with suggestions), [`Problem::AmbiguousTerm`],
    /// [`Problem::UnknownPrefix`] or [`Problem::InvalidIri`].
    pub fn resolve(&self, name: &str, kind: TermKind) -> Result<NamedNode, Problem> {
        let iri = if let Some(inner) = name.strip_prefix('<').and_then(|n| n.strip_suffix('>')) {
            NamedNode::new(inner).map_err(|e| Problem::InvalidIri {
                iri: inner.to_owned(),
                reason: e.to_string(),
            })?
        } else if let Some((prefix, local)) = name.split_once(':') {
            let namespace = self
                .prefixes
                .get(prefix)
                .ok_or_else(|| Problem::UnknownPrefix(prefix.to_owned()))?;
            NamedNode::new(format!("{namespace}{local}")).map_err(|e| Problem::InvalidIri {
                iri: format!("{namespace}{local}"),
                reason: e.to_string(),
            })?
        } else {
            return self.resolve_local(name, kind);
        };
        if self.is_declared(iri.as_ref(), kind) {
            Ok(iri)
        } else {
            Err(Problem::UnknownTerm {
                kind,
                name: name.to_owned(),
                suggestion: self.suggest(name, kind),
            })
        }
    }

    fn is_declared(&self, iri: NamedNodeRef<'_>, kind: TermKind) -> bool {
        match kind {
            TermKind::Class => self.has_class(iri),
            TermKind::Property => self.property(iri).is_some() || iri == rdf::TYPE,
            TermKind::Datatype => self.is_datatype(iri),
        }
    }

    fn terms(&self, kind: TermKind) -> Vec<&NamedNode> {
        match kind {
            TermKind::Class => self.classes.iter().collect(),
            TermKind::Property => self.properties.keys().collect(),
            TermKind::Datatype => self.datatypes.iter().collect(),
        }
    }

    fn resolve_local(&self, name: &str, kind: TermKind) -> Result<NamedNode, Problem> {
        let mut matches: Vec<&NamedNode> = self
            .terms(kind)
            .into_iter()
            .filter(|iri| local_name(iri.as_str()) == name)
            .collect();
        if kind == TermKind::Datatype && matches.is_empty() {
            return self.resolve(&format!("xsd:{name}"), kind);
        }
        matches.sort();
        match matches.as_slice() {
            [] => Err(Problem::UnknownTerm {
                kind,
                name: name.to_owned(),
                suggestion: self.suggest(name, kind),
            }),
            [only] => Ok((*only).clone()),
            many => Err(Problem::AmbiguousTerm {
                kind,
                name: name.to_owned(),
                candidates: many.iter().map(|iri| self.compact(iri.as_ref())).collect(),
            }),
        }
    }

    fn suggest(&self, name: &str, kind: TermKind) -> Suggestion {
        let names: Vec<String> = self
            .terms(kind)
            .into_iter()
            .map(|iri| self.compact(iri.as_ref()))
            .collect();
        let wanted = name.rsplit([':', '#', '/']).next().unwrap_or(name);
        Suggestion(suggest::closest(
            wanted,
            names.iter().map(|n| (local_name(n), n.as_str())),
            3,
        ))
    }
}

/// The part of an IRI after its last `#`, `/` or `:`.
pub fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/', ':']).next().unwrap_or(iri)
}

/// Whether a local name can follow a prefix in Turtle and SPARQL without escaping (a safe subset).
fn is_pn_local(local: &str) -> bool {
    let mut chars = local.chars();
    chars
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
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
