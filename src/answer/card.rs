//! "What do we know about X?": an entity's card — classes, labels, aliases, description,
//! attributes, and relations with their evidence — read through the [`GraphReader`] seam by
//! triple patterns, so no user text is ever spliced into a query.
//!
//! A card reads each node it shows once: the labels of properties, classes and other entities,
//! and every triple of each statement (`rdf:Statement`) and sentence its evidence cites, are
//! read on first use and kept for the rest of the card.

use std::cell::RefCell;
use std::collections::HashMap;

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef};
use serde::Serialize;

use super::Labelled;
use super::qualifiers::qualifiers_of;
use crate::graph::Evidence;
use crate::names::PreferredLabel;
use crate::read::{self, GraphReader, ReadError, StatementReader, sort_evidence};
use crate::vocab::{STATEMENT_PATH, kg, rdf, rdfs, skos};

/// Who the card is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntitySummary {
    /// Its IRI.
    pub iri: String,
    /// Its id.
    pub id: String,
    /// Its label.
    pub label: String,
    /// Other labels and aliases.
    pub aliases: Vec<String>,
    /// Its classes.
    pub types: Vec<Labelled>,
    /// Its description (`rdfs:comment`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A literal attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribute {
    /// The property.
    pub predicate: Labelled,
    /// The literal's value.
    pub value: String,
    /// The literal's datatype IRI.
    pub datatype: String,
    /// Its language, for language-tagged strings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where it is stated.
    pub evidence: Vec<Evidence>,
}

/// A value stated on a fact rather than on an entity (a qualifier of its `rdf:Statement`: which
/// meeting of a series, the extent of a claim).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Qualifier {
    /// The property.
    pub predicate: Labelled,
    /// The value: a literal's lexical form, or an IRI.
    pub value: String,
    /// The literal's datatype IRI (none for an IRI).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datatype: Option<String>,
    /// Its language, for language-tagged strings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// Which way a relation points from the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The entity is the subject.
    Out,
    /// The entity is the object.
    In,
}

impl Direction {
    /// Both directions.
    pub const ALL: [Self; 2] = [Self::Out, Self::In];

    /// `out` or `in`, as `--direction` takes it and the JSON answer writes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Out => "out",
            Self::In => "in",
        }
    }

    /// The direction with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.name() == name)
    }
}

/// A relation to another entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Relation {
    /// Out (the entity is the subject) or in.
    pub direction: Direction,
    /// The property.
    pub predicate: Labelled,
    /// The other entity.
    pub node: Labelled,
    /// Where it is stated; for an inferred relation, where the facts it rests on are stated.
    pub evidence: Vec<Evidence>,
    /// The rule that derived it, when the ontology implies it rather than an input states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
    /// Values stated on the fact itself.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<Qualifier>,
}

/// Everything known about one entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityCard {
    /// Who.
    pub entity: EntitySummary,
    /// Literal attributes.
    pub attributes: Vec<Attribute>,
    /// Relations, grouped by direction then property.
    pub relations: Vec<Relation>,
}

/// Which relations a card shows.
#[derive(Debug, Clone, Default)]
pub struct CardFilter {
    /// Only these properties (IRIs).
    pub relations: Option<Vec<NamedNode>>,
    /// Only this direction.
    pub direction: Option<Direction>,
}

impl CardFilter {
    /// Whether a property (in a direction, for relations) is shown.
    fn admits(&self, property: NamedNodeRef<'_>, direction: Option<Direction>) -> bool {
        let direction_ok = match (self.direction, direction) {
            (Some(wanted), Some(actual)) => wanted == actual,
            _ => true,
        };
        direction_ok
            && self
                .relations
                .as_ref()
                .is_none_or(|r| r.iter().any(|w| w.as_ref() == property))
    }
}

/// Reads the card of an entity.
///
/// # Errors
/// Read errors.
pub fn card(
    graph: &dyn GraphReader,
    iri: &NamedNode,
    id: &str,
    filter: &CardFilter,
) -> Result<EntityCard, ReadError> {
    let reader = Reader::new(graph);
    let subject = iri.as_ref();
    let mut label = PreferredLabel::default();
    let mut labels = Vec::new();
    let mut aliases = Vec::new();
    let mut types = Vec::new();
    let mut description = None;
    let mut attributes = Vec::new();
    let mut relations = Vec::new();
    let evidence_out = reader.statements(rdf::SUBJECT, subject.into())?;
    for triple in graph.triples(Some(subject.into()), None, None) {
        let quad = triple?;
        let p = quad.predicate.as_ref();
        match (&quad.object, p) {
            (Term::NamedNode(class), p) if p == rdf::TYPE => {
                types.push(reader.labelled(class.as_ref())?);
            }
            (Term::Literal(l), p) if p == rdfs::LABEL => {
                label.offer(l.value(), l.language());
                labels.push(l.value().to_owned());
            }
            (Term::Literal(l), p)
                if p == skos::ALT_LABEL || p == skos::PREF_LABEL || p == skos::HIDDEN_LABEL =>
            {
                aliases.push(l.value().to_owned());
            }
            (Term::Literal(l), p) if p == rdfs::COMMENT && description.is_none() => {
                description = Some(l.value().to_owned());
            }
            (Term::Literal(l), _) if filter.admits(p, None) => {
                attributes.push(Attribute {
                    predicate: reader.labelled(p)?,
                    value: l.value().to_owned(),
                    datatype: l.datatype().as_str().to_owned(),
                    language: l.language().map(str::to_owned),
                    evidence: reader
                        .evidence(evidence_out.get(&(p.into_owned(), quad.object.clone())))?,
                });
            }
            (Term::NamedNode(object), _) if filter.admits(p, Some(Direction::Out)) => {
                relations.push(Relation {
                    direction: Direction::Out,
                    predicate: reader.labelled(p)?,
                    node: reader.labelled(object.as_ref())?,
                    evidence: reader
                        .evidence(evidence_out.get(&(p.into_owned(), quad.object.clone())))?,
                    inferred: None,
                    qualifiers: reader
                        .qualifiers(evidence_out.get(&(p.into_owned(), quad.object.clone())))?,
                });
            }
            _ => {}
        }
    }
    relations.extend(incoming(&reader, subject, filter)?);
    for relation in &mut relations {
        if relation.evidence.is_empty() {
            mark_inferred(&reader.statements, iri.as_str(), relation);
        }
    }
    types.sort();
    types.dedup();
    aliases.sort();
    aliases.dedup();
    attributes.sort_by(|a, b| (&a.predicate.label, &a.value).cmp(&(&b.predicate.label, &b.value)));
    relations.sort_by(|a, b| {
        (a.direction, &a.predicate.label, &a.node.label).cmp(&(
            b.direction,
            &b.predicate.label,
            &b.node.label,
        ))
    });
    // The preferred label names the entity; its other labels join the aliases.
    let label = label.into_label();
    aliases.extend(labels.into_iter().filter(|l| Some(l) != label.as_ref()));
    aliases.sort();
    aliases.dedup();
    let label = label
        .or_else(|| aliases.first().cloned())
        .unwrap_or_else(|| id.to_owned());
    aliases.retain(|a| *a != label);
    Ok(EntityCard {
        entity: EntitySummary {
            iri: iri.as_str().to_owned(),
            id: id.to_owned(),
            label,
            aliases,
            types,
            description,
        },
        attributes,
        relations,
    })
}

/// Marks a relation that no input states but the reasoner derived, with the rule and the
/// evidence of the asserted facts its derivation rests on. A relation that cannot be explained
/// (a graph built without inference, a damaged derivation) is left as it is.
fn mark_inferred(statements: &StatementReader<'_>, entity: &str, relation: &mut Relation) {
    let (subject, object) = match relation.direction {
        Direction::Out => (entity, relation.node.iri.as_str()),
        Direction::In => (relation.node.iri.as_str(), entity),
    };
    if let Some((rule, evidence)) =
        crate::infer::supporting_evidence_in(statements, subject, &relation.predicate.iri, object)
    {
        relation.evidence = evidence;
        relation.inferred = Some(rule);
    }
}

/// The relations pointing at the entity (statements and sentences excepted).
fn incoming(
    reader: &Reader<'_>,
    entity: NamedNodeRef<'_>,
    filter: &CardFilter,
) -> Result<Vec<Relation>, ReadError> {
    let evidence = reader.statements(rdf::OBJECT, entity.into())?;
    let mut relations = Vec::new();
    for quad in reader.graph.triples(None, None, Some(entity.into())) {
        let quad = quad?;
        let p = quad.predicate.as_ref();
        let NamedOrBlankNodeRef::NamedNode(other) = quad.subject.as_ref() else {
            continue;
        };
        // Statements and sentences point at entities too; they are evidence, not relations.
        let evidence_link =
            p == rdf::SUBJECT || p == rdf::OBJECT || p == kg::SOURCE || p == kg::IN_DOCUMENT;
        if evidence_link
            || other.as_str().contains(STATEMENT_PATH)
            || !filter.admits(p, Some(Direction::In))
        {
            continue;
        }
        let key = (p.into_owned(), Term::NamedNode(other.into_owned()));
        relations.push(Relation {
            direction: Direction::In,
            predicate: reader.labelled(p)?,
            node: reader.labelled(other)?,
            evidence: reader.evidence(evidence.get(&key))?,
            inferred: None,
            qualifiers: reader.qualifiers(evidence.get(&key))?,
        });
    }
    Ok(relations)
}

/// Reads labels and evidence through the seam, each node once.
struct Reader<'a> {
    graph: &'a dyn GraphReader,
    /// Labels read, by IRI.
    labels: RefCell<HashMap<String, String>>,
    /// Every triple of the statements and sentences read (the explanations of inferred
    /// relations read through it too).
    statements: StatementReader<'a>,
}

/// The statements about the entity in one position, by the other two terms: for `rdf:subject`
/// the key is (predicate, object), for `rdf:object` (predicate, subject).
type StatementIndex = HashMap<(NamedNode, Term), Vec<NamedNode>>;

impl<'a> Reader<'a> {
    fn new(graph: &'a dyn GraphReader) -> Self {
        Self {
            graph,
            labels: RefCell::default(),
            statements: StatementReader::new(graph),
        }
    }

    /// The IRI with its preferred `rdfs:label`, else its local name.
    fn labelled(&self, iri: NamedNodeRef<'_>) -> Result<Labelled, ReadError> {
        if let Some(label) = self.labels.borrow().get(iri.as_str()) {
            return Ok(Labelled {
                iri: iri.as_str().to_owned(),
                label: label.clone(),
            });
        }
        let label = read::label(self.graph, &iri.into_owned())?;
        self.labels
            .borrow_mut()
            .insert(iri.as_str().to_owned(), label.clone());
        Ok(Labelled {
            iri: iri.as_str().to_owned(),
            label,
        })
    }

    fn statements(
        &self,
        position: NamedNodeRef<'_>,
        entity: TermRef<'_>,
    ) -> Result<StatementIndex, ReadError> {
        let mut index: StatementIndex = HashMap::new();
        let other_position = if position == rdf::SUBJECT {
            rdf::OBJECT
        } else {
            rdf::SUBJECT
        };
        for quad in self.graph.triples(None, Some(position), Some(entity)) {
            let quad = quad?;
            let NamedOrBlankNodeRef::NamedNode(statement) = quad.subject.as_ref() else {
                continue;
            };
            let facts = self.statements.node(statement)?;
            let (Some(Term::NamedNode(predicate)), Some(other)) =
                (facts.object(rdf::PREDICATE), facts.object(other_position))
            else {
                continue;
            };
            index
                .entry((predicate.clone(), other.clone()))
                .or_default()
                .push(statement.into_owned());
        }
        Ok(index)
    }

    /// The values stated on a fact's statements beyond its provenance.
    fn qualifiers(&self, statements: Option<&Vec<NamedNode>>) -> Result<Vec<Qualifier>, ReadError> {
        let mut facts = Vec::new();
        for statement in statements.into_iter().flatten() {
            facts.push(self.statements.node(statement.as_ref())?);
        }
        let pairs = facts.iter().flat_map(|f| f.triples());
        qualifiers_of(pairs.map(|t| (&t.predicate, &t.object)), |property| {
            self.labelled(property)
        })
    }

    fn evidence(&self, statements: Option<&Vec<NamedNode>>) -> Result<Vec<Evidence>, ReadError> {
        let mut evidence = Vec::new();
        for statement in statements.into_iter().flatten() {
            evidence.extend(self.statements.evidence(statement.as_ref())?);
        }
        sort_evidence(&mut evidence);
        Ok(evidence)
    }
}
