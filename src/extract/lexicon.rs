//! What the extraction knows about a graph, read once through the seam ([`GraphReader`]): its
//! entities with their classes, every label, alias and metonym as a token sequence, the cue
//! words that announce a new name of a class, the cue patterns that state a property, and which
//! classes are people, places, agents and quotations. Nothing here is specific to a domain: a new
//! ontology brings its own cues as annotations (see `docs/ingest.md`).

use std::collections::{BTreeSet, HashMap, HashSet};

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term};

use super::relations::{Pattern, parse_cue};
use super::terms::{foaf, kg as kgx, prov, schema};
use super::token::tokenize;
use crate::iri::{Prefixes, compact};
use crate::read::{GraphReader, ReadError, SchemaView};
use crate::schema::ClassHierarchy;
use crate::vocab::{rdfs, skos};

/// How a name belongs to an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameSource {
    /// Its `rdfs:label`.
    Label,
    /// An alias (`skos:altLabel`, `skos:prefLabel`, `skos:hiddenLabel`).
    Alias,
    /// A `kg:metonym`: a place or building whose name stands for the entity.
    Metonym,
}

/// One entity of the graph.
#[derive(Debug, Clone)]
pub struct EntityInfo {
    /// Its IRI.
    pub iri: String,
    /// Its id in the data (`Vladimir_Putin`).
    pub id: String,
    /// Its preferred label.
    pub label: String,
    /// Its classes, with every superclass.
    pub classes: BTreeSet<String>,
}

/// A name as a sequence of folded tokens.
#[derive(Debug, Clone)]
pub struct NameEntry {
    /// Folded tokens.
    pub tokens: Vec<String>,
    /// The entity (index into [`Lexicon::entities`]).
    pub entity: usize,
    /// Label, alias or metonym.
    pub source: NameSource,
    /// The name has no lower-case letter (`US`, `NATO`): the text must have none either.
    pub exact_case: bool,
}

/// Words that announce a name of a class (`aide` → person, `the town of` → place).
#[derive(Debug, Clone)]
pub struct ClassCue {
    /// The class IRI.
    pub class: String,
    /// The class, prefixed.
    pub compact: String,
    /// The phrase as written in the ontology.
    pub phrase: String,
    /// Its folded tokens.
    pub tokens: Vec<String>,
}

/// A pattern that states a property.
#[derive(Debug, Clone)]
pub struct RelationCue {
    /// The property IRI.
    pub property: String,
    /// The property, prefixed.
    pub compact: String,
    /// The pattern as written.
    pub template: String,
    /// The parsed pattern.
    pub pattern: Pattern,
    /// `rdfs:domain` classes (empty: any).
    pub domain: Vec<String>,
    /// `rdfs:range` classes (empty: any).
    pub range: Vec<String>,
}

/// Which class and properties hold quotations (`schema:Quotation`, `schema:text`,
/// `schema:spokenByCharacter` or their subclasses and subproperties).
#[derive(Debug, Clone)]
pub struct QuotationSchema {
    /// The quotation class, prefixed.
    pub class: String,
    /// The property holding the words, prefixed.
    pub text: String,
    /// The property naming the speaker, prefixed.
    pub speaker: Option<String>,
    /// The speaker property's `rdfs:range` classes.
    pub speaker_range: Vec<String>,
}

/// Everything the extraction reads from a graph.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Entities, in projection order.
    pub entities: Vec<EntityInfo>,
    /// Every name.
    pub entries: Vec<NameEntry>,
    by_first: HashMap<String, Vec<usize>>,
    /// Entity index by id.
    by_id: HashMap<String, usize>,
    /// Entity index by IRI.
    by_iri: HashMap<String, usize>,
    /// Class cues.
    pub class_cues: Vec<ClassCue>,
    /// Relation cues.
    pub relation_cues: Vec<RelationCue>,
    /// Labels of classes, by IRI.
    pub class_labels: HashMap<String, String>,
    /// Quotation class and properties, when the ontology has them.
    pub quotation: Option<QuotationSchema>,
    /// Prefixes for writing classes and properties.
    pub prefixes: Prefixes,
    person: HashSet<String>,
    place: HashSet<String>,
    agent: HashSet<String>,
    hierarchy: ClassHierarchy,
    /// Cues that could not be read (`property: reason`).
    pub problems: Vec<String>,
}

impl Lexicon {
    /// Reads a graph: its projection's entities and a few pattern reads, independent of the
    /// number of facts.
    ///
    /// # Errors
    /// Read errors.
    pub fn read(reader: &dyn GraphReader) -> Result<Self, ReadError> {
        let schema = SchemaView::read(reader)?;
        let mut lexicon = Self {
            prefixes: reader.prefixes().clone(),
            ..Self::default()
        };
        let below = |roots: &[NamedNodeRef<'_>]| -> HashSet<String> {
            roots
                .iter()
                .flat_map(|r| schema.hierarchy.descendants(*r))
                .map(NamedNode::into_string)
                .collect()
        };
        lexicon.person = below(&[foaf::PERSON, schema::PERSON, prov::PERSON]);
        lexicon.place = below(&[schema::PLACE, prov::LOCATION]);
        lexicon.agent = below(&[
            foaf::AGENT,
            prov::AGENT,
            schema::PERSON,
            schema::ORGANIZATION,
        ]);
        lexicon.class_labels = schema.classes.clone().into_iter().collect();
        let named = lexicon.read_entities(reader, &schema)?;
        lexicon.read_names(reader, &named)?;
        lexicon.read_class_cues(reader)?;
        lexicon.read_relation_cues(reader)?;
        lexicon.quotation = quotation_schema(reader, &schema, &lexicon.prefixes)?;
        lexicon.hierarchy = schema.hierarchy;
        Ok(lexicon)
    }

    /// The projection's entities; for each, whether its names are looked for in text (not when a
    /// class of it is marked `kg:namedInText false`).
    fn read_entities(
        &mut self,
        reader: &dyn GraphReader,
        schema: &SchemaView,
    ) -> Result<Vec<bool>, ReadError> {
        let mut unnamed = HashSet::new();
        for triple in reader.triples(None, Some(kgx::NAMED_IN_TEXT), None) {
            let triple = triple?;
            if let (NamedOrBlankNode::NamedNode(class), Term::Literal(value)) =
                (&triple.subject, &triple.object)
                && matches!(value.value(), "false" | "0")
            {
                unnamed.extend(
                    schema
                        .hierarchy
                        .descendants(class.as_ref())
                        .into_iter()
                        .map(NamedNode::into_string),
                );
            }
        }
        let projection = reader.projection()?;
        let mut named = Vec::new();
        for node in projection.nodes() {
            let mut classes = BTreeSet::new();
            for class in node.types() {
                let iri = projection.class(class).iri;
                classes.extend(
                    schema
                        .hierarchy
                        .ancestors(NamedNodeRef::new_unchecked(iri))
                        .into_iter()
                        .map(NamedNode::into_string),
                );
                classes.insert(iri.to_owned());
            }
            named.push(!classes.iter().any(|c| unnamed.contains(c)));
            self.by_iri
                .insert(node.iri().to_owned(), self.entities.len());
            self.by_id.insert(node.id().to_owned(), self.entities.len());
            self.entities.push(EntityInfo {
                iri: node.iri().to_owned(),
                id: node.id().to_owned(),
                label: node.label().to_owned(),
                classes,
            });
        }
        Ok(named)
    }

    /// Labels, aliases and metonyms of the entities whose names are looked for.
    fn read_names(&mut self, reader: &dyn GraphReader, named: &[bool]) -> Result<(), ReadError> {
        let sources = [
            (rdfs::LABEL, NameSource::Label),
            (skos::ALT_LABEL, NameSource::Alias),
            (skos::PREF_LABEL, NameSource::Alias),
            (skos::HIDDEN_LABEL, NameSource::Alias),
            (kgx::METONYM, NameSource::Metonym),
        ];
        for (predicate, source) in sources {
            for triple in reader.triples(None, Some(predicate), None) {
                let triple = triple?;
                let (NamedOrBlankNode::NamedNode(subject), Term::Literal(name)) =
                    (&triple.subject, &triple.object)
                else {
                    continue;
                };
                if let Some(&entity) = self.by_iri.get(subject.as_str())
                    && named[entity]
                {
                    self.add_name(entity, name.value(), source);
                }
            }
        }
        Ok(())
    }

    fn read_class_cues(&mut self, reader: &dyn GraphReader) -> Result<(), ReadError> {
        for triple in reader.triples(None, Some(kgx::NAME_CUE), None) {
            let triple = triple?;
            if let (NamedOrBlankNode::NamedNode(class), Term::Literal(phrase)) =
                (&triple.subject, &triple.object)
            {
                let tokens = folded_tokens(phrase.value());
                if tokens.is_empty() {
                    continue;
                }
                self.class_cues.push(ClassCue {
                    class: class.as_str().to_owned(),
                    compact: compact(class.as_str(), &self.prefixes),
                    phrase: phrase.value().to_owned(),
                    tokens,
                });
            }
        }
        // Longer phrases first: `the town of` before `town`.
        self.class_cues.sort_by(|a, b| {
            b.tokens
                .len()
                .cmp(&a.tokens.len())
                .then(a.phrase.cmp(&b.phrase))
        });
        Ok(())
    }

    fn read_relation_cues(&mut self, reader: &dyn GraphReader) -> Result<(), ReadError> {
        for triple in reader.triples(None, Some(kgx::CUE), None) {
            let triple = triple?;
            let (NamedOrBlankNode::NamedNode(property), Term::Literal(template)) =
                (&triple.subject, &triple.object)
            else {
                continue;
            };
            let name = compact(property.as_str(), &self.prefixes);
            let pattern = match parse_cue(template.value()) {
                Ok(pattern) => pattern,
                Err(reason) => {
                    self.problems
                        .push(format!("{name}: cue {:?}: {reason}", template.value()));
                    continue;
                }
            };
            let classes = |p| -> Result<Vec<String>, ReadError> {
                let mut out = Vec::new();
                for t in reader.triples(Some(property.as_ref().into()), Some(p), None) {
                    if let Term::NamedNode(class) = t?.object {
                        out.push(class.into_string());
                    }
                }
                Ok(out)
            };
            self.relation_cues.push(RelationCue {
                property: property.as_str().to_owned(),
                compact: name,
                template: template.value().to_owned(),
                pattern,
                domain: classes(rdfs::DOMAIN)?,
                range: classes(rdfs::RANGE)?,
            });
        }
        self.relation_cues
            .sort_by(|a, b| a.compact.cmp(&b.compact).then(a.template.cmp(&b.template)));
        Ok(())
    }

    fn add_name(&mut self, entity: usize, name: &str, source: NameSource) {
        let tokens = folded_tokens(name);
        if tokens.is_empty() {
            return;
        }
        let index = self.entries.len();
        self.by_first
            .entry(tokens[0].clone())
            .or_default()
            .push(index);
        self.entries.push(NameEntry {
            tokens,
            entity,
            source,
            exact_case: !name.chars().any(char::is_lowercase),
        });
    }

    /// The names whose first token is `first`.
    pub fn names_starting(&self, first: &str) -> impl Iterator<Item = &NameEntry> {
        self.by_first
            .get(first)
            .into_iter()
            .flatten()
            .map(|&i| &self.entries[i])
    }

    /// The entity with this id.
    pub fn entity_by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Whether an id is taken.
    pub fn has_id(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// Whether a class IRI (with its superclasses in `classes`) is a person class.
    pub fn is_person(&self, classes: &BTreeSet<String>) -> bool {
        classes.iter().any(|c| self.person.contains(c))
    }

    /// Whether the classes include a place class.
    pub fn is_place(&self, classes: &BTreeSet<String>) -> bool {
        classes.iter().any(|c| self.place.contains(c))
    }

    /// Whether the classes include an agent class.
    pub fn is_agent(&self, classes: &BTreeSet<String>) -> bool {
        classes.iter().any(|c| self.agent.contains(c))
    }

    /// A class IRI and its superclasses.
    pub fn class_closure(&self, class: &str) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self
            .hierarchy
            .ancestors(NamedNodeRef::new_unchecked(class))
            .into_iter()
            .map(NamedNode::into_string)
            .collect();
        out.insert(class.to_owned());
        out
    }
}

/// The folded word tokens of a name (marks dropped).
pub fn folded_tokens(name: &str) -> Vec<String> {
    tokenize(name, 0..name.len())
        .into_iter()
        .filter(super::token::Token::is_word)
        .map(|t| t.folded)
        .collect()
}

fn quotation_schema(
    reader: &dyn GraphReader,
    schema_view: &SchemaView,
    prefixes: &Prefixes,
) -> Result<Option<QuotationSchema>, ReadError> {
    let classes: Vec<NamedNode> = schema_view
        .hierarchy
        .descendants(schema::QUOTATION)
        .into_iter()
        .filter(|c| c.as_ref() != schema::QUOTATION && schema_view.classes.contains_key(c.as_str()))
        .collect();
    let Some(class) = classes.first() else {
        return Ok(None);
    };
    let sub_property = |root: NamedNodeRef<'_>| -> Result<Option<NamedNode>, ReadError> {
        for triple in reader.triples(None, Some(rdfs::SUB_PROPERTY_OF), Some(root.into())) {
            if let NamedOrBlankNode::NamedNode(property) = triple?.subject {
                return Ok(Some(property));
            }
        }
        Ok(None)
    };
    let Some(text) = sub_property(schema::TEXT)? else {
        return Ok(None);
    };
    let speaker = sub_property(schema::SPOKEN_BY_CHARACTER)?;
    let mut speaker_range = Vec::new();
    if let Some(property) = &speaker {
        for triple in reader.triples(Some(property.as_ref().into()), Some(rdfs::RANGE), None) {
            if let Term::NamedNode(class) = triple?.object {
                speaker_range.push(class.into_string());
            }
        }
    }
    Ok(Some(QuotationSchema {
        class: compact(class.as_str(), prefixes),
        text: compact(text.as_str(), prefixes),
        speaker: speaker.map(|p| compact(p.as_str(), prefixes)),
        speaker_range,
    }))
}
