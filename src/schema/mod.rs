//! The ontology as kg uses it: which classes and properties exist, their labels, domains, ranges
//! and class hierarchy, and how names written in tables resolve to them.
//!
//! It is read from RDF (the ontology files, plus any RDF among the data inputs) and checks every
//! fact a table states: the property exists, the subject's classes meet its `rdfs:domain`, the
//! object meets its `rdfs:range`.

mod hierarchy;
mod load;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use oxigraph::model::{NamedNode, NamedNodeRef};

pub use self::hierarchy::ClassHierarchy;
use crate::diagnostic::{Problem, Suggestion, SuggestionBudget, TermKind};
use crate::iri::{self, local_name};
use crate::names;
use crate::vocab::{owl, rdf, rdfs, xsd};

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
    /// `rdfs:subClassOf`, and `owl:equivalentClass` both ways.
    hierarchy: ClassHierarchy,
    labels: std::collections::HashMap<NamedNode, names::PreferredLabel>,
    prefixes: BTreeMap<String, String>,
    datatypes: HashSet<NamedNode>,
    /// "Did you mean" searches left for unknown names.
    suggestions: SuggestionBudget,
    /// Classes, properties and datatypes by local name, for bare names in headers and cells.
    by_local_name: HashMap<(String, TermKind), Vec<NamedNode>>,
}

impl Ontology {
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
        self.labels
            .get(&iri.into_owned())
            .and_then(names::PreferredLabel::get)
    }

    /// The prefixes: well-known ones, then those the ontology files declared.
    pub fn prefixes(&self) -> &BTreeMap<String, String> {
        &self.prefixes
    }

    /// The class and all its super classes (through `rdfs:subClassOf` and `owl:equivalentClass`).
    pub fn super_classes(&self, class: NamedNodeRef<'_>) -> BTreeSet<NamedNode> {
        self.hierarchy.ancestors(class)
    }

    /// The class hierarchy.
    pub fn hierarchy(&self) -> &ClassHierarchy {
        &self.hierarchy
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

    /// Writes an IRI the short way when a prefix covers it (`pto:Person`), else `<iri>` (see
    /// [`iri::compact`]).
    pub fn compact(&self, iri: NamedNodeRef<'_>) -> String {
        iri::compact(iri.as_str(), &self.prefixes)
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
                iri: inner.into(),
                reason: e.to_string().into(),
            })?
        } else if let Some((prefix, local)) = name.split_once(':') {
            let namespace = self
                .prefixes
                .get(prefix)
                .ok_or_else(|| Problem::UnknownPrefix(prefix.into()))?;
            NamedNode::new(format!("{namespace}{local}")).map_err(|e| Problem::InvalidIri {
                iri: format!("{namespace}{local}").into(),
                reason: e.to_string().into(),
            })?
        } else {
            return self.resolve_local(name, kind);
        };
        if self.is_declared(iri.as_ref(), kind) {
            Ok(iri)
        } else {
            Err(Problem::UnknownTerm {
                kind,
                name: name.into(),
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

    /// Indexes the terms by local name (once every term is known).
    fn index_local_names(&mut self) {
        let mut index: HashMap<(String, TermKind), Vec<NamedNode>> = HashMap::new();
        for kind in [TermKind::Class, TermKind::Property, TermKind::Datatype] {
            for iri in self.terms(kind) {
                index
                    .entry((local_name(iri.as_str()).to_owned(), kind))
                    .or_default()
                    .push(iri.clone());
            }
        }
        self.by_local_name = index;
    }

    fn resolve_local(&self, name: &str, kind: TermKind) -> Result<NamedNode, Problem> {
        let mut matches: Vec<&NamedNode> = self
            .by_local_name
            .get(&(name.to_owned(), kind))
            .map(|found| found.iter().collect())
            .unwrap_or_default();
        if kind == TermKind::Datatype && matches.is_empty() {
            return self.resolve(&format!("xsd:{name}"), kind);
        }
        matches.sort();
        match matches.as_slice() {
            [] => Err(Problem::UnknownTerm {
                kind,
                name: name.into(),
                suggestion: self.suggest(name, kind),
            }),
            [only] => Ok((*only).clone()),
            many => Err(Problem::AmbiguousTerm {
                kind,
                name: name.into(),
                candidates: many.iter().map(|iri| self.compact(iri.as_ref())).collect(),
            }),
        }
    }

    fn suggest(&self, name: &str, kind: TermKind) -> Suggestion {
        if !self.suggestions.spend(name) {
            return Suggestion::default();
        }
        let names: Vec<String> = self
            .terms(kind)
            .into_iter()
            .map(|iri| self.compact(iri.as_ref()))
            .collect();
        let wanted = name.rsplit([':', '#', '/']).next().unwrap_or(name);
        Suggestion(names::closest(
            wanted,
            names.iter().map(|n| (local_name(n), n.as_str())),
            3,
        ))
    }
}
