//! The provenance of facts, read through the seam: the documents, cited sentences and date of
//! a fact's `rdf:Statement`. A [`StatementReader`] reads every triple of each statement and
//! sentence once and keeps it, so an answer that cites the same node twice (an entity card and
//! the explanations of its inferred relations) reads it once.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use oxigraph::model::{NamedNode, NamedNodeRef, Term, Triple};

use super::{GraphReader, ReadError};
use crate::graph::Evidence;
use crate::iri::{decode_id, local_name};
use crate::vocab::kg;

/// Reads nodes' triples through a [`GraphReader`], each node once.
pub struct StatementReader<'a> {
    graph: &'a dyn GraphReader,
    nodes: RefCell<HashMap<NamedNode, Rc<NodeTriples>>>,
}

/// The triples of one node `(node, ?, ?)`, in the order the graph gives them.
pub struct NodeTriples(Vec<Triple>);

impl NodeTriples {
    /// Every triple.
    pub fn triples(&self) -> &[Triple] {
        &self.0
    }

    /// The objects of `predicate`, in order (what [`super::objects`] gives).
    pub fn objects<'t, 'p: 't>(
        &'t self,
        predicate: NamedNodeRef<'p>,
    ) -> impl Iterator<Item = &'t Term> + 't {
        self.0
            .iter()
            .filter(move |t| t.predicate.as_ref() == predicate)
            .map(|t| &t.object)
    }

    /// The first object of `predicate` (what [`super::object`] gives).
    pub fn object(&self, predicate: NamedNodeRef<'_>) -> Option<&Term> {
        self.0
            .iter()
            .find(|t| t.predicate.as_ref() == predicate)
            .map(|t| &t.object)
    }

    /// The lexical form of the first object of `predicate` when it is a literal.
    pub fn literal(&self, predicate: NamedNodeRef<'_>) -> Option<String> {
        match self.object(predicate)? {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        }
    }
}

impl<'a> StatementReader<'a> {
    /// A reader of `graph` that has read nothing yet.
    pub fn new(graph: &'a dyn GraphReader) -> Self {
        Self {
            graph,
            nodes: RefCell::default(),
        }
    }

    /// The graph read.
    pub fn graph(&self) -> &'a dyn GraphReader {
        self.graph
    }

    /// Every triple of `node`, read on first use.
    ///
    /// # Errors
    /// Read errors.
    pub fn node(&self, node: NamedNodeRef<'_>) -> Result<Rc<NodeTriples>, ReadError> {
        if let Some(triples) = self.nodes.borrow().get(&node.into_owned()) {
            return Ok(triples.clone());
        }
        let triples = self
            .graph
            .triples(Some(node.into()), None, None)
            .collect::<Result<Vec<_>, _>>()?;
        let triples = Rc::new(NodeTriples(triples));
        self.nodes
            .borrow_mut()
            .insert(node.into_owned(), triples.clone());
        Ok(triples)
    }

    /// The evidence of one statement, sorted by document and sentence, without repeats: each
    /// cited sentence of each of its documents (number and text), else the document alone,
    /// with the statement's date.
    ///
    /// # Errors
    /// Read errors.
    pub fn evidence(&self, statement: NamedNodeRef<'_>) -> Result<Vec<Evidence>, ReadError> {
        let facts = self.node(statement)?;
        let date = facts.literal(kg::DATE);
        let mut evidence = Vec::new();
        for document in facts.objects(kg::SOURCE) {
            let Term::NamedNode(document) = document else {
                continue;
            };
            let document_id = local_name(document.as_str()).to_owned();
            let document_id = decode_id(&document_id).unwrap_or(document_id);
            let mut cited = false;
            for sentence in facts.objects(kg::EVIDENCE) {
                let Term::NamedNode(sentence) = sentence else {
                    continue;
                };
                let sentence = self.node(sentence.as_ref())?;
                if sentence.object(kg::IN_DOCUMENT) != Some(&Term::NamedNode(document.clone())) {
                    continue;
                }
                cited = true;
                let number = match sentence.object(kg::SENTENCE_NUMBER) {
                    Some(Term::Literal(l)) => l.value().parse().ok(),
                    _ => None,
                };
                evidence.push(Evidence {
                    document: document_id.clone(),
                    sentence: number,
                    date: date.clone(),
                    text: sentence.literal(kg::TEXT),
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
        sort_evidence(&mut evidence);
        Ok(evidence)
    }
}

/// Sorts evidence by document and sentence and drops repeats: the order every answer gives.
pub fn sort_evidence(evidence: &mut Vec<Evidence>) {
    evidence.sort_by(|a, b| (&a.document, a.sentence).cmp(&(&b.document, b.sentence)));
    evidence.dedup();
}
