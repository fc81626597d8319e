//! "What do we know about X?": resolving a name people type to one entity, and the entity's card
//! — classes, labels, aliases, description, attributes, and relations with their evidence.
//!
//! Names resolve through the projection's name index (ids, labels, aliases, folded so that case,
//! diacritics and punctuation do not matter); the card is read from the RDF store through its
//! quad API, so no user text is ever spliced into a query.

use std::collections::{BTreeMap, HashMap};

use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef};
use oxigraph::store::{StorageError, Store};
use serde::Serialize;

use crate::graph::{Evidence, NameKind, Projection};
use crate::suggest::{fold, similarity};
use crate::vocab::{STATEMENT_PATH, kg, rdf, rdfs, skos};

/// How a name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Exactly one entity.
    One(u32),
    /// Several entities fit equally well.
    Ambiguous(Vec<u32>),
    /// None fits; these are the closest.
    Unknown(Vec<u32>),
}

/// Resolves a name: an IRI (`<…>` or `http…`), an id, a label or an alias; case, diacritics and
/// punctuation are ignored. When nothing matches whole, the entity whose name contains all the
/// words (`putin` → "Vladimir Putin") with the fewest others wins.
pub fn resolve(projection: &Projection, name: &str) -> Resolution {
    let trimmed = name.trim();
    let iri = trimmed
        .strip_prefix('<')
        .and_then(|n| n.strip_suffix('>'))
        .unwrap_or(trimmed);
    if iri.contains("://")
        && let Some(node) = projection.node_by_iri(iri)
    {
        return Resolution::One(node);
    }
    let folded = fold(trimmed);
    if folded.is_empty() {
        return Resolution::Unknown(Vec::new());
    }
    let exact = projection.nodes_named(&folded);
    if let Some(best) = exact.iter().map(|(_, kind)| *kind).min() {
        // Ids and labels outrank aliases: "Kyiv" is the city, even if Ukraine's government is
        // also called "Kyiv".
        let rank = |kind: NameKind| u8::from(kind == NameKind::Alias);
        let best = rank(best);
        let mut nodes: Vec<u32> = exact
            .iter()
            .filter(|(_, kind)| rank(*kind) == best)
            .map(|(node, _)| *node)
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        return if nodes.len() == 1 {
            Resolution::One(nodes[0])
        } else {
            Resolution::Ambiguous(nodes)
        };
    }
    let words: Vec<&str> = folded.split(' ').collect();
    let mut by_extra: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    for name in projection.names() {
        let name_words: Vec<&str> = name.folded.split(' ').collect();
        if words.iter().all(|w| name_words.contains(w)) {
            by_extra
                .entry(name_words.len() - words.len())
                .or_default()
                .push(name.node);
        }
    }
    if let Some((_, mut nodes)) = by_extra.into_iter().next() {
        nodes.sort_unstable();
        nodes.dedup();
        return if nodes.len() == 1 {
            Resolution::One(nodes[0])
        } else {
            Resolution::Ambiguous(nodes)
        };
    }
    Resolution::Unknown(closest(projection, &folded, 5))
}

/// The nodes whose names are closest to a folded name, best first.
fn closest(projection: &Projection, folded: &str, limit: usize) -> Vec<u32> {
    let mut best: HashMap<u32, f64> = HashMap::new();
    for name in projection.names() {
        let mut score = similarity(folded, name.folded);
        // "putn" should find "Vladimir Putin": compare with each word too, a little less for
        // every other word the name has, so "Putin" beats "Success depends on Putin's ...".
        let words: Vec<&str> = name.folded.split(' ').collect();
        let penalty = 0.04 * (words.len().saturating_sub(1)) as f64;
        for word in &words {
            score = score.max(similarity(folded, word) - penalty);
        }
        let entry = best.entry(name.node).or_insert(0.0);
        *entry = entry.max(score);
    }
    let mut scored: Vec<(u32, f64)> = best.into_iter().filter(|(_, s)| *s >= 0.75).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
        .into_iter()
        .take(limit)
        .map(|(node, _)| node)
        .collect()
}

/// An IRI with its human label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Labelled {
    /// The IRI.
    pub iri: String,
    /// Its label (the IRI's local name when it has none).
    pub label: String,
}

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

/// Which way a relation points from the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The entity is the subject.
    Out,
    /// The entity is the object.
    In,
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
    /// Where it is stated.
    pub evidence: Vec<Evidence>,
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

/// Reads the card of an entity from the store.
///
/// # Errors
/// Storage errors.
pub fn card(
    store: &Store,
    iri: &NamedNode,
    id: &str,
    filter: &CardFilter,
) -> Result<EntityCard, StorageError> {
    let reader = Reader { store };
    let subject = iri.as_ref();
    let mut label = None;
    let mut aliases = Vec::new();
    let mut types = Vec::new();
    let mut description = None;
    let mut attributes = Vec::new();
    let mut relations = Vec::new();
    let evidence_out = reader.statements(rdf::SUBJECT, subject.into())?;
    for quad in store.quads_for_pattern(
        Some(subject.into()),
        None,
        None,
        Some(GraphNameRef::DefaultGraph),
    ) {
        let quad = quad?;
        let p = quad.predicate.as_ref();
        match (&quad.object, p) {
            (Term::NamedNode(class), p) if p == rdf::TYPE => {
                types.push(reader.labelled(class.as_ref())?);
            }
            (Term::Literal(l), p) if p == rdfs::LABEL => {
                let english = l.language().is_none_or(|t| t.starts_with("en"));
                if label.is_none() && english {
                    label = Some(l.value().to_owned());
                } else {
                    aliases.push(l.value().to_owned());
                }
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
                });
            }
            _ => {}
        }
    }
    relations.extend(incoming(&reader, subject, filter)?);
    types.sort();
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

/// The relations pointing at the entity (statements and sentences excepted).
fn incoming(
    reader: &Reader<'_>,
    entity: NamedNodeRef<'_>,
    filter: &CardFilter,
) -> Result<Vec<Relation>, StorageError> {
    let evidence = reader.statements(rdf::OBJECT, entity.into())?;
    let mut relations = Vec::new();
    let pattern = reader.store.quads_for_pattern(
        None,
        None,
        Some(entity.into()),
        Some(GraphNameRef::DefaultGraph),
    );
    for quad in pattern {
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
        });
    }
    Ok(relations)
}

/// Reads labels and evidence through the quad API.
struct Reader<'a> {
    store: &'a Store,
}

/// The statements about the entity in one position, by the other two terms: for `rdf:subject`
/// the key is (predicate, object), for `rdf:object` (predicate, subject).
type StatementIndex = HashMap<(NamedNode, Term), Vec<NamedNode>>;

impl Reader<'_> {
    fn objects(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, StorageError> {
        self.store
            .quads_for_pattern(
                Some(subject.into()),
                Some(predicate),
                None,
                Some(GraphNameRef::DefaultGraph),
            )
            .map(|q| q.map(|q| q.object))
            .collect()
    }

    fn one(
        &self,
        subject: NamedNodeRef<'_>,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Option<Term>, StorageError> {
        Ok(self.objects(subject, predicate)?.into_iter().next())
    }

    /// The IRI with its English (or any) `rdfs:label`, else its local name.
    fn labelled(&self, iri: NamedNodeRef<'_>) -> Result<Labelled, StorageError> {
        let labels = self.objects(iri, rdfs::LABEL)?;
        let pick = |english: bool| {
            labels.iter().find_map(|t| match t {
                Term::Literal(l)
                    if !english || l.language().is_none_or(|t| t.starts_with("en")) =>
                {
                    Some(l.value().to_owned())
                }
                _ => None,
            })
        };
        let label = pick(true)
            .or_else(|| pick(false))
            .unwrap_or_else(|| crate::ontology::local_name(iri.as_str()).to_owned());
        Ok(Labelled {
            iri: iri.as_str().to_owned(),
            label,
        })
    }

    fn statements(
        &self,
        position: NamedNodeRef<'_>,
        entity: TermRef<'_>,
    ) -> Result<StatementIndex, StorageError> {
        let mut index: StatementIndex = HashMap::new();
        let other_position = if position == rdf::SUBJECT {
            rdf::OBJECT
        } else {
            rdf::SUBJECT
        };
        for quad in self.store.quads_for_pattern(
            None,
            Some(position),
            Some(entity),
            Some(GraphNameRef::DefaultGraph),
        ) {
            let quad = quad?;
            let NamedOrBlankNodeRef::NamedNode(statement) = quad.subject.as_ref() else {
                continue;
            };
            let (Some(Term::NamedNode(predicate)), Some(other)) = (
                self.one(statement, rdf::PREDICATE)?,
                self.one(statement, other_position)?,
            ) else {
                continue;
            };
            index
                .entry((predicate, other))
                .or_default()
                .push(statement.into_owned());
        }
        Ok(index)
    }

    fn evidence(&self, statements: Option<&Vec<NamedNode>>) -> Result<Vec<Evidence>, StorageError> {
        let mut evidence = Vec::new();
        for statement in statements.into_iter().flatten() {
            let statement = statement.as_ref();
            let date = self.one(statement, kg::DATE)?.and_then(|t| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            });
            let documents = self.objects(statement, kg::SOURCE)?;
            let sentences = self.objects(statement, kg::EVIDENCE)?;
            for document in &documents {
                let Term::NamedNode(document) = document else {
                    continue;
                };
                let document_id = crate::ontology::local_name(document.as_str()).to_owned();
                let document_id =
                    crate::ingest::iri::decode_id(&document_id).unwrap_or(document_id);
                let mut cited = false;
                for sentence in &sentences {
                    let Term::NamedNode(sentence) = sentence else {
                        continue;
                    };
                    if self.one(sentence.as_ref(), kg::IN_DOCUMENT)?.as_ref()
                        != Some(&Term::NamedNode(document.clone()))
                    {
                        continue;
                    }
                    cited = true;
                    let number = match self.one(sentence.as_ref(), kg::SENTENCE_NUMBER)? {
                        Some(Term::Literal(l)) => l.value().parse().ok(),
                        _ => None,
                    };
                    let text = match self.one(sentence.as_ref(), kg::TEXT)? {
                        Some(Term::Literal(l)) => Some(l.value().to_owned()),
                        _ => None,
                    };
                    evidence.push(Evidence {
                        document: document_id.clone(),
                        sentence: number,
                        date: date.clone(),
                        text,
                    });
                }
                if !cited {
                    evidence.push(Evidence {
                        document: document_id.clone(),
                        sentence: None,
                        date: date.clone(),
                        text: None,
                    });
                }
            }
        }
        evidence.sort_by(|a, b| (&a.document, a.sentence).cmp(&(&b.document, b.sentence)));
        evidence.dedup();
        Ok(evidence)
    }
}
