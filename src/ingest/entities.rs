//! The index of every entity the inputs define: its IRI, its classes, where it was defined, and
//! for documents what kg knows of their text. Built in a first pass over the entity tables (and
//! the RDF inputs), it lets the second pass check references and domains in any order.

use std::collections::HashMap;
use std::sync::OnceLock;

use oxigraph::model::NamedNode;
use unicode_normalization::UnicodeNormalization;

use crate::diagnostic::{Problem, ProvenanceProblem, Suggestion, SuggestionBudget};
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
    /// Where each sentence is in the text, in characters (`start..end`), when the text was
    /// given.
    pub sentence_spans: Option<Vec<(u64, u64)>>,
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
    /// Suggestions cost a scan of all ids: a build runs a bounded number of them.
    suggestions: SuggestionBudget,
    /// The first entity of each id folded by case and Unicode normalisation, to warn about ids
    /// that differ only so.
    folded: HashMap<String, NamedNode>,
    /// Every id with its folded form (see [`names::fold`]), made on the first suggestion.
    suggestion_keys: OnceLock<Vec<(String, String)>>,
    /// Ids of candidate rows not accepted, with their row (`file:line`) and status: a row
    /// naming one is told why the entity is unknown.
    unreviewed: HashMap<String, (String, &'static str)>,
}

impl EntityIndex {
    /// An empty index for entities under `base`.
    pub fn new(base: impl Into<String>) -> Self {
        Self {
            base: base.into(),
            by_iri: HashMap::new(),
            suggestions: SuggestionBudget::default(),
            folded: HashMap::new(),
            suggestion_keys: OnceLock::new(),
            unreviewed: HashMap::new(),
        }
    }

    /// Records that a candidate row with this id was not accepted (`status` is `proposed` or
    /// `rejected`), so that it defines no entity but [`Self::resolve`] can say why.
    pub fn not_accepted(&mut self, id: &str, row: String, status: &'static str) {
        self.unreviewed
            .entry(id.to_owned())
            .or_insert((row, status));
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
            id: id.into(),
            reason: match e {
                crate::iri::IdError::Empty => "it is empty",
                crate::iri::IdError::Control => "it contains control characters",
                crate::iri::IdError::Padded => "it starts or ends with white space",
            },
        })?;
        NamedNode::new(format!("{}{encoded}", self.base)).map_err(|e| Problem::InvalidIri {
            iri: format!("{}{encoded}", self.base).into(),
            reason: e.to_string().into(),
        })
    }

    /// Adds an entity defined by a table row. An id that differs from one defined before only by
    /// case or Unicode normalisation (`Kyiv`, `kyiv`; `é` composed or not) still defines a second
    /// entity, but comes back as a warning.
    ///
    /// # Errors
    /// [`Problem::DuplicateId`] when the id is taken, naming where it was first defined.
    pub fn define(
        &mut self,
        id: &str,
        types: Vec<NamedNode>,
        defined_at: String,
        document: Option<DocumentInfo>,
    ) -> Result<Option<Problem>, Problem> {
        let iri = self.iri(id)?;
        self.suggestion_keys.take();
        if let Some(existing) = self.by_iri.get_mut(&iri) {
            if let Some(first) = &existing.defined_at {
                return Err(Problem::DuplicateId {
                    id: id.into(),
                    first: first.clone(),
                });
            }
            // Described in RDF and defined by a row: one entity, both sets of classes.
            existing.types.extend(types);
            existing.defined_at = Some(defined_at);
            existing.document = document;
            return Ok(None);
        }
        let folded = fold_id(id);
        let warning = if let Some(twin) = self.folded.get(&folded) {
            self.twin_warning(id, twin)
        } else {
            self.folded.insert(folded, iri.clone());
            None
        };
        self.by_iri.insert(
            iri.clone(),
            Entity {
                iri,
                types,
                defined_at: Some(defined_at),
                document,
            },
        );
        Ok(warning)
    }

    /// The warning for `id`, which folds to the same id as the entity `twin`.
    fn twin_warning(&self, id: &str, twin: &NamedNode) -> Option<Problem> {
        let other = self.by_iri.get(twin)?;
        let other_id = self.id_of(twin).unwrap_or_default();
        let composed = |s: &str| s.nfc().collect::<String>();
        let how = if composed(id) == composed(&other_id) {
            "Unicode normalisation (composed and decomposed accents look alike)"
        } else if id.to_lowercase() == other_id.to_lowercase() {
            "case"
        } else {
            "case and Unicode normalisation"
        };
        Some(Problem::FoldedIds {
            id: id.into(),
            other: other_id.into(),
            other_at: other.defined_at.clone().unwrap_or_default(),
            how,
        })
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
    /// [`Problem::UnknownEntity`] with the closest ids, [`Problem::EntityNotAccepted`] for the
    /// id of a candidate row not accepted, or [`Problem::InvalidId`].
    pub fn resolve(&self, id: &str) -> Result<(NamedNode, Vec<NamedNode>), Problem> {
        let iri = self.iri(id)?;
        match self.by_iri.get(&iri) {
            Some(entity) => Ok((iri, entity.types.clone())),
            None if let Some((row, status)) = self.unreviewed.get(id) => {
                Err(Problem::EntityNotAccepted {
                    id: id.into(),
                    row: row.clone(),
                    status,
                })
            }
            None => Err(Problem::UnknownEntity {
                id: id.into(),
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
                id: id.into(),
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

    /// The file of an entity table that defines documents, if any: where a missing document's
    /// row belongs.
    pub fn document_table(&self) -> Option<String> {
        self.by_iri
            .values()
            .filter(|e| e.document.is_some())
            .filter_map(|e| e.defined_at.as_deref())
            .filter_map(|at| at.rsplit_once(':').map(|(file, _)| file.to_owned()))
            .min()
    }

    fn suggest(&self, id: &str) -> Suggestion {
        if !self.suggestions.spend(id) {
            return Suggestion::default();
        }
        let wanted = names::fold(id);
        if wanted.is_empty() {
            return Suggestion::default();
        }
        let keys = self.suggestion_keys.get_or_init(|| {
            let mut keys: Vec<(String, String)> = self
                .by_iri
                .keys()
                .filter_map(|iri| iri.as_str().strip_prefix(&self.base).and_then(decode_id))
                .map(|id| (names::fold(&id), id))
                .collect();
            keys.sort_unstable_by(|a, b| a.1.cmp(&b.1));
            keys
        });
        // As `names::closest`, on keys folded once for all searches.
        let mut scored: Vec<(f64, &str)> = keys
            .iter()
            .map(|(key, id)| (names::similarity(&wanted, key), id.as_str()))
            .filter(|(score, _)| *score >= 0.75)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        Suggestion(
            scored
                .into_iter()
                .take(3)
                .map(|(_, id)| id.to_owned())
                .collect(),
        )
    }
}

/// An id folded by case and Unicode normalisation (NFC): ids equal once folded are
/// suspiciously alike.
fn fold_id(id: &str) -> String {
    id.nfc().flat_map(char::to_lowercase).nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::SuggestionBudget;

    #[test]
    fn ids_that_fold_together_are_two_entities_and_a_warning() {
        let mut index = EntityIndex::new("https://e/");
        assert_eq!(
            index.define("Kyiv", vec![], "a.csv:2".into(), None),
            Ok(None)
        );
        let warning = index.define("kyiv", vec![], "a.csv:3".into(), None);
        assert!(
            matches!(&warning, Ok(Some(Problem::FoldedIds { other_at, .. })) if other_at == "a.csv:2"),
            "{warning:?}"
        );
        // NFC and NFD spellings of the same word.
        assert_eq!(
            index.define("Caf\u{e9}", vec![], "a.csv:4".into(), None),
            Ok(None)
        );
        assert!(matches!(
            index.define("Cafe\u{301}", vec![], "a.csv:5".into(), None),
            Ok(Some(Problem::FoldedIds { .. }))
        ));
        assert_eq!(index.len(), 4);
    }

    #[test]
    fn suggestions_are_bounded() {
        let mut index = EntityIndex::new("https://e/");
        for i in 0..1000 {
            let _ = index.define(&format!("person_{i}"), vec![], format!("a.csv:{i}"), None);
        }
        let long = "p".repeat(SuggestionBudget::LONGEST + 1);
        assert!(matches!(
            index.resolve(&long),
            Err(Problem::UnknownEntity { suggestion, .. }) if suggestion.0.is_empty()
        ));
        let suggested = (0..2 * SuggestionBudget::SEARCHES)
            .filter(|_| {
                matches!(
                    index.resolve("persn_7"),
                    Err(Problem::UnknownEntity { suggestion, .. }) if !suggestion.0.is_empty()
                )
            })
            .count();
        assert_eq!(suggested, SuggestionBudget::SEARCHES as usize);
    }
}
