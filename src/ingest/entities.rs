//! The index of every entity the inputs define: its IRI, its classes, where it was defined, and
//! for documents what kg knows of their text. Built in a first pass over the entity tables (and
//! the RDF inputs), it lets the second pass check references and domains in any order.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};

use oxigraph::model::NamedNode;

use crate::diagnostic::{Problem, ProvenanceProblem, Suggestion};
use crate::iri::{decode_id, encode_id};
use crate::names;
use crate::vocab::kg;

/// What kg knows about a source document.
#[derive(Debug, Clone, Default)]
pub struct DocumentInfo {
    /// `kg:sentenceCount`, or the count of its text when the text was given.
    pub sentence_count: Option<u64>,
    /// `kg:sha256`, lower-case hex.
    pub sha256: Option<String>,
    /// The sentences of its text, when the text was given.
    pub sentences: Option<Vec<String>>,
}

/// One known entity.
#[derive(Debug, Clone)]
pub struct Entity {
    /// Its IRI.
    pub iri: NamedNode,
    /// Its declared classes.
    pub types: Vec<NamedNode>,
    /// `file:line` of its row; `None` for entities only described in RDF inputs.
    pub defined_at: Option<String>,
    /// Set for instances of `kg:Document`.
    pub document: Option<DocumentInfo>,
}

/// Every entity, by IRI.
#[derive(Debug)]
pub struct EntityIndex {
    base: String,
    by_iri: HashMap<NamedNode, Entity>,
    /// Suggestions cost a scan of all ids; after this many, unknown ids get none.
    suggestions_left: AtomicU32,
}

impl EntityIndex {
    /// An empty index for entities under `base`.
    pub fn new(base: impl Into<String>) -> Self {
        Self {
            base: base.into(),
            by_iri: HashMap::new(),
            suggestions_left: AtomicU32::new(64),
        }
    }

    /// The base IRI of entities.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The IRI an id names.
    ///
    /// # Errors
    /// [`Problem::InvalidId`] when the id cannot be encoded.
    pub fn iri(&self, id: &str) -> Result<NamedNode, Problem> {
        let encoded = encode_id(id).map_err(|e| Problem::InvalidId {
            id: id.to_owned(),
            reason: match e {
                crate::iri::IdError::Empty => "it is empty",
                crate::iri::IdError::Control => "it contains control characters",
                crate::iri::IdError::Padded => "it starts or ends with white space",
            },
        })?;
        NamedNode::new(format!("{}{encoded}", self.base)).map_err(|e| Problem::InvalidIri {
            iri: format!("{}{encoded}", self.base),
            reason: e.to_string(),
        })
    }

    /// Adds an entity defined by a table row.
    ///
    /// # Errors
    /// [`Problem::DuplicateId`] when the id is taken, naming where it was first defined.
    pub fn define(
        &mut self,
        id: &str,
        types: Vec<NamedNode>,
        defined_at: String,
        document: Option<DocumentInfo>,
    ) -> Result<(), Problem> {
        let iri = self.iri(id)?;
        if let Some(existing) = self.by_iri.get_mut(&iri) {
            if let Some(first) = &existing.defined_at {
                return Err(Problem::DuplicateId {
                    id: id.to_owned(),
                    first: first.clone(),
                });
            }
            // Described in RDF and defined by a row: one entity, both sets of classes.
            existing.types.extend(types);
            existing.defined_at = Some(defined_at);
            existing.document = document;
            return Ok(());
        }
        self.by_iri.insert(
            iri.clone(),
            Entity {
                iri,
                types,
                defined_at: Some(defined_at),
                document,
            },
        );
        Ok(())
    }

    /// Records a class of something an RDF input describes.
    pub fn describe(&mut self, iri: NamedNode, class: NamedNode) {
        let entity = self.by_iri.entry(iri.clone()).or_insert_with(|| Entity {
            iri,
            types: Vec::new(),
            defined_at: None,
            document: None,
        });
        if class.as_ref() == kg::DOCUMENT && entity.document.is_none() {
            entity.document = Some(DocumentInfo::default());
        }
        if !entity.types.contains(&class) {
            entity.types.push(class);
        }
    }

    /// The entity an id names, if known.
    pub fn get(&self, id: &str) -> Option<&Entity> {
        self.by_iri.get(&self.iri(id).ok()?)
    }

    /// The entity with this IRI, if known.
    pub fn by_iri(&self, iri: &NamedNode) -> Option<&Entity> {
        self.by_iri.get(iri)
    }

    /// Mutable access, to complete what a document's text tells.
    pub fn by_iri_mut(&mut self, iri: &NamedNode) -> Option<&mut Entity> {
        self.by_iri.get_mut(iri)
    }

    /// The classes of a known IRI; `None` when kg knows nothing of it.
    pub fn types_of(&self, iri: &NamedNode) -> Option<&[NamedNode]> {
        self.by_iri.get(iri).map(|e| e.types.as_slice())
    }

    /// Every entity, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Entity> {
        self.by_iri.values()
    }

    /// How many entities are known.
    pub fn len(&self) -> usize {
        self.by_iri.len()
    }

    /// Whether no entity is known.
    pub fn is_empty(&self) -> bool {
        self.by_iri.is_empty()
    }

    /// Resolves an id used as a reference to its IRI and classes.
    ///
    /// # Errors
    /// [`Problem::UnknownEntity`] with the closest ids, or [`Problem::InvalidId`].
    pub fn resolve(&self, id: &str) -> Result<(NamedNode, Vec<NamedNode>), Problem> {
        let iri = self.iri(id)?;
        match self.by_iri.get(&iri) {
            Some(entity) => Ok((iri, entity.types.clone())),
            None => Err(Problem::UnknownEntity {
                id: id.to_owned(),
                suggestion: self.suggest(id),
            }),
        }
    }

    /// Resolves the `source` of a row to a document.
    ///
    /// # Errors
    /// When the id is unknown or not a `kg:Document`.
    pub fn document(&self, id: &str) -> Result<(NamedNode, &DocumentInfo), Problem> {
        let (iri, _) = self.resolve(id)?;
        match self.by_iri.get(&iri).and_then(|e| e.document.as_ref()) {
            Some(info) => Ok((iri, info)),
            None => Err(Problem::Provenance(ProvenanceProblem::NotADocument {
                id: id.to_owned(),
            })),
        }
    }

    /// How an IRI reads in messages: its id when it is under the base, else `<iri>`.
    pub fn display(&self, iri: &NamedNode) -> String {
        iri.as_str()
            .strip_prefix(&self.base)
            .and_then(decode_id)
            .map_or_else(|| iri.to_string(), |id| format!("{id:?}"))
    }

    /// The id of an IRI under the base.
    pub fn id_of(&self, iri: &NamedNode) -> Option<String> {
        iri.as_str().strip_prefix(&self.base).and_then(decode_id)
    }

    fn suggest(&self, id: &str) -> Suggestion {
        let spend = |left: u32| left.checked_sub(1);
        if self
            .suggestions_left
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, spend)
            .is_err()
        {
            return Suggestion::default();
        }
        let ids: Vec<String> = self
            .by_iri
            .keys()
            .filter_map(|iri| iri.as_str().strip_prefix(&self.base).and_then(decode_id))
            .collect();
        Suggestion(names::closest(
            id,
            ids.iter().map(|i| (i.as_str(), i.as_str())),
            3,
        ))
    }
}
