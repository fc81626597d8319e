//! Why does the graph hold a triple? [`explain`] reads, through the [`GraphReader`] seam, the
//! derivation the build recorded for an inferred triple (its rule and premises, in the
//! `kg:inferred` graph), and the premises' own, down to asserted facts, each with the
//! documents and sentences that state it (its `rdf:Statement`). An asserted triple is
//! explained by its evidence alone.
//!
//! The JSON shape (stable; `kg explain --format json` prints it, tests deserialise it):
//!
//! ```json
//! {"subject": {"kind": "iri", "value": "https://…/Witkoff", "label": "Steve Witkoff"},
//!  "predicate": {"kind": "iri", "value": "https://…#drafted", "label": "drafted"},
//!  "object": {"kind": "iri", "value": "https://…/Plan_28_Point", "label": "28-point plan"},
//!  "status": "inferred", "rule": "prp-inv1",
//!  "evidence": [], "rows": [],
//!  "premises": [{"subject": …, "status": "asserted", "rule": null,
//!                "evidence": [{"document": "peace-talks-article", "sentence": 9, "date": null}],
//!                "rows": ["relations.csv:12"], "premises": []}, …]}
//! ```
//!
//! `kind` is `iri`, `blank` or `literal` (then `datatype` and, for language strings,
//! `language`); `status` is `asserted`, `inferred` or `unexplained` (a premise the store does
//! not hold: a store built without inference, or by another kg). A node whose premises were
//! not expanded — the tree reached [`MAX_NODES`], or the premise repeats one of its own
//! conclusions — has `"truncated": true`.

use std::collections::HashSet;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{
    GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
    Triple,
};
use oxigraph::store::Store;
use serde::Serialize;

use super::stage::statement_iri;
use super::vocab::kg as inferred_vocab;
use crate::graph::Evidence;
use crate::read::{
    self, GraphReader, GraphScope, ReadError, SparqlDataset, StatementReader, sort_evidence,
};
use crate::vocab::{STATEMENT_PATH, kg};

/// The most triples one explanation shows.
pub const MAX_NODES: usize = 500;

/// Whether a triple is asserted or inferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Stated by the inputs.
    Asserted,
    /// Derived by a rule at build time.
    Inferred,
    /// Neither, in this store.
    Unexplained,
}

/// A term as an explanation shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedTerm {
    /// `iri`, `blank` or `literal`.
    pub kind: &'static str,
    /// The IRI, the blank node's id, or the literal's lexical form.
    pub value: String,
    /// The IRI's label (its local name when it has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The literal's datatype IRI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datatype: Option<String>,
    /// The literal's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// A triple and why the graph holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The subject.
    pub subject: ExplainedTerm,
    /// The predicate.
    pub predicate: ExplainedTerm,
    /// The object.
    pub object: ExplainedTerm,
    /// Asserted, inferred or unexplained.
    pub status: Status,
    /// The rule that derived it (inferred triples).
    pub rule: Option<String>,
    /// The documents and sentences that state it (asserted triples of tables).
    pub evidence: Vec<Evidence>,
    /// The input rows that state it (`file:line`).
    pub rows: Vec<String>,
    /// The derivation's premises, explained in turn.
    pub premises: Vec<Explanation>,
    /// Whether the premises were left out (see the module documentation).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl Explanation {
    /// The number of triples in the tree.
    pub fn size(&self) -> usize {
        1 + self.premises.iter().map(Self::size).sum::<usize>()
    }

    /// The depth of the tree (1 for a triple without premises).
    pub fn depth(&self) -> usize {
        1 + self.premises.iter().map(Self::depth).max().unwrap_or(0)
    }
}

/// Why an explanation could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExplainError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("the graph declares no `kgs:` prefix, so its statements cannot be found")]
    NoStatementPrefix,
    #[error("the derivation {node} has unreadable premises: {reason}")]
    BadDerivation {
        /// The derivation node.
        node: String,
        /// What is wrong.
        reason: String,
    },
}

/// Explains a triple: `None` when the graph neither asserts nor inferred it.
///
/// # Errors
/// Read errors; a graph without the `kgs:` prefix; a damaged derivation.
pub fn explain(
    graph: &dyn GraphReader,
    subject: NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
    object: TermRef<'_>,
) -> Result<Option<Explanation>, ExplainError> {
    explain_to(
        &StatementReader::new(graph),
        subject,
        predicate,
        object,
        true,
    )
}

/// [`explain`]; with `full` false, the terms' labels and the input rows are left out (the
/// rule and the evidence are what [`supporting_evidence`] keeps).
fn explain_to(
    statements: &StatementReader<'_>,
    subject: NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
    object: TermRef<'_>,
    full: bool,
) -> Result<Option<Explanation>, ExplainError> {
    let graph = statements.graph();
    let prefix = graph
        .prefixes()
        .get("kgs")
        .cloned()
        .ok_or(ExplainError::NoStatementPrefix)?;
    let base = prefix
        .strip_suffix(STATEMENT_PATH)
        .unwrap_or(&prefix)
        .to_owned();
    let mut reader = Reader {
        graph,
        statements,
        base,
        derivations: Derivations::open(graph)?,
        budget: MAX_NODES,
        full,
    };
    let triple = Triple::new(
        subject.into_owned(),
        predicate.into_owned(),
        object.into_owned(),
    );
    let explanation = reader.node(&triple, &mut HashSet::new())?;
    Ok((explanation.status != Status::Unexplained).then_some(explanation))
}

/// Where derivations are read: the `kg:inferred` graph of a local store by pattern, else the
/// whole graph read once.
enum Derivations {
    Store(Store),
    Read(std::collections::HashMap<NamedNode, (Option<NamedNode>, Option<String>)>),
}

impl Derivations {
    fn open(graph: &dyn GraphReader) -> Result<Self, ReadError> {
        #[allow(irrefutable_let_patterns)]
        if let SparqlDataset::Local { store, .. } = graph.sparql() {
            Ok(Self::Store(store))
        } else {
            {
                let mut nodes = std::collections::HashMap::new();
                let scope = GraphScope::Named(inferred_vocab::INFERRED.into_owned());
                let quads = match graph.quads(&scope) {
                    Ok(quads) => quads,
                    Err(ReadError::UnknownGraph(_)) => return Ok(Self::Read(nodes)),
                    Err(e) => return Err(e),
                };
                for quad in quads {
                    let quad = quad?;
                    let NamedOrBlankNode::NamedNode(node) = quad.subject else {
                        continue;
                    };
                    let entry: &mut (Option<NamedNode>, Option<String>) =
                        nodes.entry(node).or_default();
                    match quad.object {
                        Term::NamedNode(rule) if quad.predicate == inferred_vocab::DERIVED_BY => {
                            entry.0 = Some(rule);
                        }
                        Term::Literal(l) if quad.predicate == inferred_vocab::PREMISES => {
                            entry.1 = Some(l.value().to_owned());
                        }
                        _ => {}
                    }
                }
                Ok(Self::Read(nodes))
            }
        }
    }

    /// The rule and premises recorded at `node`.
    fn get(&self, node: &NamedNode) -> Result<Option<(NamedNode, String)>, ReadError> {
        match self {
            Self::Store(store) => {
                let graph = GraphNameRef::NamedNode(inferred_vocab::INFERRED);
                let one = |predicate| -> Result<Option<Term>, ReadError> {
                    Ok(store
                        .quads_for_pattern(
                            Some(node.as_ref().into()),
                            Some(predicate),
                            None,
                            Some(graph),
                        )
                        .next()
                        .transpose()?
                        .map(|q| q.object))
                };
                match (
                    one(inferred_vocab::DERIVED_BY)?,
                    one(inferred_vocab::PREMISES)?,
                ) {
                    (Some(Term::NamedNode(rule)), Some(Term::Literal(premises))) => {
                        Ok(Some((rule, premises.value().to_owned())))
                    }
                    _ => Ok(None),
                }
            }
            Self::Read(nodes) => Ok(match nodes.get(node) {
                Some((Some(rule), Some(premises))) => Some((rule.clone(), premises.clone())),
                _ => None,
            }),
        }
    }
}

struct Reader<'a> {
    graph: &'a dyn GraphReader,
    /// Statements and sentences, each read once (shared with the caller's other answers).
    statements: &'a StatementReader<'a>,
    base: String,
    derivations: Derivations,
    budget: usize,
    /// Whether labels and rows are read.
    full: bool,
}

impl Reader<'_> {
    fn node(
        &mut self,
        triple: &Triple,
        path: &mut HashSet<Triple>,
    ) -> Result<Explanation, ExplainError> {
        self.budget = self.budget.saturating_sub(1);
        let node = statement_iri(&self.base, triple);
        let mut explanation = Explanation {
            subject: self.term(&triple.subject.clone().into())?,
            predicate: self.term(&triple.predicate.clone().into())?,
            object: self.term(&triple.object)?,
            status: Status::Unexplained,
            rule: None,
            evidence: Vec::new(),
            rows: Vec::new(),
            premises: Vec::new(),
            truncated: false,
        };
        if let Some((rule, premises)) = self.derivations.get(&node)? {
            explanation.status = Status::Inferred;
            explanation.rule = Some(
                rule.as_str()
                    .strip_prefix(inferred_vocab::NAMESPACE)
                    .unwrap_or(rule.as_str())
                    .to_owned(),
            );
            let premises = parse_premises(&node, &premises)?;
            path.insert(triple.clone());
            for premise in premises {
                if self.budget == 0 || path.contains(&premise) {
                    explanation.truncated = true;
                    continue;
                }
                explanation.premises.push(self.node(&premise, path)?);
            }
            path.remove(triple);
        } else if self.asserted(triple)? {
            explanation.status = Status::Asserted;
            (explanation.evidence, explanation.rows) = self.evidence(&node)?;
        }
        Ok(explanation)
    }

    fn asserted(&self, triple: &Triple) -> Result<bool, ReadError> {
        Ok(self
            .graph
            .triples(
                Some(triple.subject.as_ref()),
                Some(triple.predicate.as_ref()),
                Some(triple.object.as_ref()),
            )
            .next()
            .transpose()?
            .is_some())
    }

    fn term(&self, term: &Term) -> Result<ExplainedTerm, ReadError> {
        Ok(match term {
            Term::NamedNode(iri) => ExplainedTerm {
                kind: "iri",
                value: iri.as_str().to_owned(),
                label: if self.full {
                    Some(read::label(self.graph, iri)?)
                } else {
                    None
                },
                datatype: None,
                language: None,
            },
            Term::BlankNode(blank) => ExplainedTerm {
                kind: "blank",
                value: blank.as_str().to_owned(),
                label: None,
                datatype: None,
                language: None,
            },
            Term::Literal(literal) => ExplainedTerm {
                kind: "literal",
                value: literal.value().to_owned(),
                label: None,
                datatype: Some(literal.datatype().as_str().to_owned()),
                language: literal.language().map(str::to_owned),
            },
        })
    }

    /// The documents, sentences and rows of an asserted triple's statement.
    fn evidence(&self, statement: &NamedNode) -> Result<(Vec<Evidence>, Vec<String>), ReadError> {
        let statement = statement.as_ref();
        let rows: Vec<String> = if self.full {
            self.statements
                .node(statement)?
                .objects(kg::ROW)
                .filter_map(|t| match t {
                    Term::Literal(l) => Some(l.value().to_owned()),
                    _ => None,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok((self.statements.evidence(statement)?, rows))
    }
}

/// The premise triples of a derivation, from their N-Triples literal.
fn parse_premises(node: &NamedNode, text: &str) -> Result<Vec<Triple>, ExplainError> {
    RdfParser::from_format(RdfFormat::NTriples)
        .for_slice(text.as_bytes())
        .map(|quad| quad.map(Triple::from))
        .collect::<Result<_, _>>()
        .map_err(|e| ExplainError::BadDerivation {
            node: node.as_str().to_owned(),
            reason: e.to_string(),
        })
}

/// For a triple between two IRIs that the reasoner inferred: its rule and the evidence of the
/// stated facts its derivation rests on, sorted and without repeats. `None` when the triple is
/// stated, unknown, or its derivation cannot be read (a graph built without inference).
pub fn supporting_evidence(
    graph: &dyn GraphReader,
    subject: &str,
    predicate: &str,
    object: &str,
) -> Option<(String, Vec<Evidence>)> {
    supporting_evidence_in(&StatementReader::new(graph), subject, predicate, object)
}

/// [`supporting_evidence`], reading statements and sentences through `statements`: an answer
/// that explains several relations (an entity card) reads each cited node once.
pub fn supporting_evidence_in(
    statements: &StatementReader<'_>,
    subject: &str,
    predicate: &str,
    object: &str,
) -> Option<(String, Vec<Evidence>)> {
    let (Ok(subject), Ok(predicate), Ok(object)) = (
        NamedNodeRef::new(subject),
        NamedNodeRef::new(predicate),
        NamedNodeRef::new(object),
    ) else {
        return None;
    };
    // Labels and rows are not kept: they are not read.
    let explanation =
        explain_to(statements, subject.into(), predicate, object.into(), false).ok()??;
    if explanation.status != Status::Inferred {
        return None;
    }
    let mut evidence = Vec::new();
    let mut pending = vec![&explanation];
    while let Some(step) = pending.pop() {
        evidence.extend(step.evidence.iter().cloned());
        pending.extend(&step.premises);
    }
    sort_evidence(&mut evidence);
    Some((explanation.rule?, evidence))
}
