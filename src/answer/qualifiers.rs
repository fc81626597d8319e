//! Values stated on a fact rather than on an entity: the triples of its `rdf:Statement`s beyond
//! their provenance (which meeting of a series, the extent of a claim). Entity cards and path
//! hops show them.

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};

use super::{Labelled, Qualifier};
use crate::read::{self, GraphReader, ReadError};
use crate::vocab::{kg, rdf};

/// What a statement records about where its fact comes from: not a qualifier.
pub(crate) const PROVENANCE: [NamedNodeRef<'static>; 9] = [
    rdf::TYPE,
    rdf::SUBJECT,
    rdf::PREDICATE,
    rdf::OBJECT,
    kg::SOURCE,
    kg::EVIDENCE,
    kg::DATE,
    kg::ROW,
    kg::SPAN,
];

/// The statements of the fact `subject predicate object` (its `rdf:Statement`s, one per
/// citing row or one shared).
///
/// kg names a fact's statement after the fact ([`crate::infer::statement_iri`]): where the
/// reader knows the base, that one statement is read by name. Otherwise (or when it is not
/// there: statements from RDF inputs), two index scans: the statements about `subject`, then
/// those among them whose object is `object`, their predicate checked last.
pub(crate) fn statements_of(
    graph: &dyn GraphReader,
    subject: &NamedNode,
    predicate: &NamedNode,
    object: &Term,
) -> Result<Vec<NamedNode>, ReadError> {
    if let Some(base) = graph.base() {
        let fact = Triple::new(subject.clone(), predicate.clone(), object.clone());
        let named = crate::infer::statement_iri(base, &fact);
        let found = graph
            .triples(
                Some(named.as_ref().into()),
                Some(rdf::SUBJECT),
                Some(subject.as_ref().into()),
            )
            .next()
            .transpose()?
            .is_some();
        if found {
            return Ok(vec![named]);
        }
    }
    let mut about = std::collections::HashSet::new();
    for triple in graph.triples(None, Some(rdf::SUBJECT), Some(subject.as_ref().into())) {
        if let NamedOrBlankNode::NamedNode(statement) = triple?.subject {
            about.insert(statement);
        }
    }
    if about.is_empty() {
        return Ok(Vec::new());
    }
    let mut statements = Vec::new();
    for triple in graph.triples(None, Some(rdf::OBJECT), Some(object.as_ref())) {
        let NamedOrBlankNode::NamedNode(statement) = triple?.subject else {
            continue;
        };
        if !about.contains(&statement) {
            continue;
        }
        let stated = graph
            .triples(
                Some(statement.as_ref().into()),
                Some(rdf::PREDICATE),
                Some(predicate.as_ref().into()),
            )
            .next()
            .transpose()?
            .is_some();
        if stated {
            statements.push(statement);
        }
    }
    statements.sort_unstable();
    statements.dedup();
    Ok(statements)
}

/// The values stated on these statements beyond their provenance, sorted by property label and
/// value, without repeats.
pub(crate) fn statement_qualifiers(
    graph: &dyn GraphReader,
    statements: &[NamedNode],
) -> Result<Vec<Qualifier>, ReadError> {
    let mut triples = Vec::new();
    for statement in statements {
        for triple in graph.triples(Some(statement.as_ref().into()), None, None) {
            triples.push(triple?);
        }
    }
    qualifiers_of(&triples, |property| {
        Ok(Labelled {
            iri: property.as_str().to_owned(),
            label: read::label(graph, &property.into_owned())?,
        })
    })
}

/// The qualifiers among the triples of a fact's statements, each property labelled by
/// `labelled`, sorted by property label and value, without repeats.
pub(crate) fn qualifiers_of<'t>(
    triples: impl IntoIterator<Item = &'t Triple>,
    mut labelled: impl FnMut(NamedNodeRef<'_>) -> Result<Labelled, ReadError>,
) -> Result<Vec<Qualifier>, ReadError> {
    let mut qualifiers = Vec::new();
    for triple in triples {
        if PROVENANCE.contains(&triple.predicate.as_ref()) {
            continue;
        }
        let (value, datatype, language) = match &triple.object {
            Term::Literal(l) => (
                l.value().to_owned(),
                Some(l.datatype().as_str().to_owned()),
                l.language().map(str::to_owned),
            ),
            Term::NamedNode(n) => (n.as_str().to_owned(), None, None),
            Term::BlankNode(b) => (b.to_string(), None, None),
        };
        qualifiers.push(Qualifier {
            predicate: labelled(triple.predicate.as_ref())?,
            value,
            datatype,
            language,
        });
    }
    qualifiers.sort_by(|a, b| (&a.predicate.label, &a.value).cmp(&(&b.predicate.label, &b.value)));
    qualifiers.dedup();
    Ok(qualifiers)
}
