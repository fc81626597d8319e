//! What one document states (`kg facts --document ID`): the `rdf:Statement`s whose `kg:source`
//! is the document, with the subject, predicate, object, the document's sentences among their
//! evidence, and their date — read through the seam, so it works on any graph kg built.

use std::collections::HashMap;

use oxigraph::model::{NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term};
use serde::Serialize;

use crate::answer::Labelled;
use crate::iri::{encode_id, local_name};
use crate::names::fold;
use crate::read::{GraphReader, ReadError, label, object, objects};
use crate::vocab::{kg, rdf};

/// A document of the graph.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentRef {
    /// Its IRI.
    pub iri: String,
    /// Its id (the IRI's last part).
    pub id: String,
    /// Its label.
    pub label: String,
    /// `kg:sha256`.
    pub sha256: Option<String>,
    /// `kg:sentenceCount`.
    pub sentence_count: Option<u64>,
    /// `kg:date`.
    pub date: Option<String>,
}

/// An object: an entity or a literal.
#[derive(Debug, Clone, Serialize)]
pub struct Value {
    /// The IRI, for an entity.
    pub iri: Option<String>,
    /// The label, or the literal's value.
    pub label: String,
    /// The literal's datatype or language, if any.
    pub datatype: Option<String>,
}

/// One stated fact.
#[derive(Debug, Clone, Serialize)]
pub struct StatedFact {
    /// The `rdf:Statement`.
    pub statement: String,
    /// Subject.
    pub subject: Labelled,
    /// Predicate.
    pub predicate: Labelled,
    /// Object.
    pub object: Value,
    /// Sentence numbers of this document among the fact's evidence.
    pub sentences: Vec<u64>,
    /// Their words, when the build had the text.
    pub texts: Vec<Option<String>>,
    /// `kg:date`, if any.
    pub date: Option<String>,
}

/// A document and what it states.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentFacts {
    /// The document.
    pub document: DocumentRef,
    /// Its facts, by first sentence, then subject and predicate.
    pub facts: Vec<StatedFact>,
}

/// Caches labels and sentence numbers.
pub(crate) struct Labels<'a> {
    reader: &'a dyn GraphReader,
    labels: HashMap<String, String>,
}

impl<'a> Labels<'a> {
    pub(crate) fn new(reader: &'a dyn GraphReader) -> Self {
        Self {
            reader,
            labels: HashMap::new(),
        }
    }

    pub(crate) fn of(&mut self, iri: &NamedNode) -> Result<Labelled, ReadError> {
        if let Some(label) = self.labels.get(iri.as_str()) {
            return Ok(Labelled {
                iri: iri.as_str().to_owned(),
                label: label.clone(),
            });
        }
        let found = label(self.reader, iri)?;
        self.labels.insert(iri.as_str().to_owned(), found.clone());
        Ok(Labelled {
            iri: iri.as_str().to_owned(),
            label: found,
        })
    }

    pub(crate) fn value(&mut self, term: &Term) -> Result<Value, ReadError> {
        Ok(match term {
            Term::NamedNode(iri) => Value {
                iri: Some(iri.as_str().to_owned()),
                label: self.of(iri)?.label,
                datatype: None,
            },
            Term::Literal(literal) => Value {
                iri: None,
                label: literal.value().to_owned(),
                datatype: Some(literal.language().map_or_else(
                    || crate::iri::compact(literal.datatype().as_str(), self.reader.prefixes()),
                    |l| format!("@{l}"),
                )),
            },
            other @ Term::BlankNode(_) => Value {
                iri: None,
                label: other.to_string(),
                datatype: None,
            },
        })
    }
}

fn literal_value(term: Option<Term>) -> Option<String> {
    match term {
        Some(Term::Literal(l)) => Some(l.value().to_owned()),
        _ => None,
    }
}

/// The documents of the graph.
///
/// # Errors
/// Read errors.
pub fn documents(reader: &dyn GraphReader) -> Result<Vec<DocumentRef>, ReadError> {
    let mut out = Vec::new();
    for triple in reader.triples(None, Some(rdf::TYPE), Some(kg::DOCUMENT.into())) {
        let NamedOrBlankNode::NamedNode(iri) = triple?.subject else {
            continue;
        };
        let subject: NamedOrBlankNodeRef<'_> = iri.as_ref().into();
        out.push(DocumentRef {
            id: local_name(iri.as_str()).to_owned(),
            label: label(reader, &iri)?,
            sha256: literal_value(object(reader, subject, kg::SHA256)?),
            sentence_count: literal_value(object(reader, subject, kg::SENTENCE_COUNT)?)
                .and_then(|c| c.parse().ok()),
            date: literal_value(object(reader, subject, kg::DATE)?),
            iri: iri.into_string(),
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// Finds a document by id (or label, folded).
///
/// # Errors
/// Read errors.
pub fn find_document(
    reader: &dyn GraphReader,
    name: &str,
) -> Result<Option<DocumentRef>, ReadError> {
    let encoded = encode_id(name).unwrap_or_else(|_| name.to_owned());
    let all = documents(reader)?;
    if let Some(found) = all.iter().find(|d| d.id == encoded) {
        return Ok(Some(found.clone()));
    }
    let folded = fold(name);
    Ok(all
        .into_iter()
        .find(|d| fold(&d.label) == folded || fold(&d.id) == folded))
}

/// Sentence number and words of a sentence IRI.
pub(crate) fn sentence(
    reader: &dyn GraphReader,
    sentence: &NamedNode,
) -> Result<(Option<u64>, Option<String>), ReadError> {
    let subject: NamedOrBlankNodeRef<'_> = sentence.as_ref().into();
    Ok((
        literal_value(object(reader, subject, kg::SENTENCE_NUMBER)?).and_then(|n| n.parse().ok()),
        literal_value(object(reader, subject, kg::TEXT)?),
    ))
}

/// What a document states.
///
/// # Errors
/// Read errors.
pub fn document_facts(
    reader: &dyn GraphReader,
    document: DocumentRef,
) -> Result<DocumentFacts, ReadError> {
    let iri = NamedNode::new_unchecked(document.iri.clone());
    let mut labels = Labels::new(reader);
    let mut facts = Vec::new();
    for triple in reader.triples(None, Some(kg::SOURCE), Some(iri.as_ref().into())) {
        let statement = triple?.subject;
        let s = statement.as_ref();
        let (Some(Term::NamedNode(subject)), Some(Term::NamedNode(predicate)), Some(obj)) = (
            object(reader, s, rdf::SUBJECT)?,
            object(reader, s, rdf::PREDICATE)?,
            object(reader, s, rdf::OBJECT)?,
        ) else {
            continue;
        };
        let mut found = Vec::new();
        for evidence in objects(reader, s, kg::EVIDENCE)? {
            let Term::NamedNode(sentence_iri) = evidence else {
                continue;
            };
            let in_document = object(reader, sentence_iri.as_ref().into(), kg::IN_DOCUMENT)?
                .is_some_and(|d| d == Term::NamedNode(iri.clone()));
            if in_document && let (Some(n), text) = sentence(reader, &sentence_iri)? {
                found.push((n, text));
            }
        }
        found.sort();
        facts.push(StatedFact {
            statement: match &statement {
                NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
                NamedOrBlankNode::BlankNode(b) => b.to_string(),
            },
            subject: labels.of(&subject)?,
            predicate: labels.of(&predicate)?,
            object: labels.value(&obj)?,
            sentences: found.iter().map(|(n, _)| *n).collect(),
            texts: found.into_iter().map(|(_, t)| t).collect(),
            date: literal_value(object(reader, s, kg::DATE)?),
        });
    }
    facts.sort_by(|a, b| {
        let first = |f: &StatedFact| f.sentences.first().copied().unwrap_or(u64::MAX);
        (
            first(a),
            &a.subject.label,
            &a.predicate.label,
            &a.object.label,
        )
            .cmp(&(
                first(b),
                &b.subject.label,
                &b.predicate.label,
                &b.object.label,
            ))
    });
    Ok(DocumentFacts { document, facts })
}
