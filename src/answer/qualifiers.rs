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
/// reader knows the base, that one statement is read by name (on `/api/path`, the search over
/// the subject's statements below took 91 % of the time). Otherwise, or when it is not there
/// (statements from RDF inputs), each statement about `subject` is checked.
pub(crate) fn statements_of(
    graph: &dyn GraphReader,
    subject: &NamedNode,
    predicate: &NamedNode,
    object: &Term,
) -> Result<Vec<NamedNode>, ReadError> {
    let subject_term: Term = subject.clone().into();
    if let Some(base) = graph.base() {
        let fact = Triple::new(subject.clone(), predicate.clone(), object.clone());
        let named = crate::infer::statement_iri(base, &fact);
        if holds(graph, &named, rdf::SUBJECT, &subject_term)? {
            return Ok(vec![named]);
        }
    }
    let predicate: Term = predicate.clone().into();
    let mut statements = Vec::new();
    for triple in graph.triples(None, Some(rdf::SUBJECT), Some(subject_term.as_ref())) {
        let NamedOrBlankNode::NamedNode(statement) = triple?.subject else {
            continue;
        };
        if holds(graph, &statement, rdf::PREDICATE, &predicate)?
            && holds(graph, &statement, rdf::OBJECT, object)?
        {
            statements.push(statement);
        }
    }
    Ok(statements)
}

/// Whether the graph holds `statement property value`.
fn holds(
    graph: &dyn GraphReader,
    statement: &NamedNode,
    property: NamedNodeRef<'_>,
    value: &Term,
) -> Result<bool, ReadError> {
    Ok(graph
        .triples(
            Some(statement.as_ref().into()),
            Some(property),
            Some(value.as_ref()),
        )
        .next()
        .transpose()?
        .is_some())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{BuildOptions, built_embedded};
    use crate::store::LocalGraph;

    /// The statement read by name is the one a search finds, for every stated fact of the
    /// embedded graph: the build names statements as `infer::statement_iri` does.
    #[test]
    fn a_facts_statement_read_by_name_is_the_one_searched_for() {
        struct Unnamed<'g>(&'g LocalGraph);
        impl GraphReader for Unnamed<'_> {
            fn location(&self) -> String {
                self.0.location()
            }
            fn prefixes(&self) -> &crate::iri::Prefixes {
                self.0.prefixes()
            }
            fn projection(&self) -> Result<&crate::graph::Projection, ReadError> {
                self.0.projection()
            }
            fn triples<'a>(
                &'a self,
                subject: Option<oxigraph::model::NamedOrBlankNodeRef<'_>>,
                predicate: Option<NamedNodeRef<'_>>,
                object: Option<oxigraph::model::TermRef<'_>>,
            ) -> read::Stream<'a, Triple> {
                self.0.triples(subject, predicate, object)
            }
            fn quads(
                &self,
                scope: &crate::read::GraphScope,
            ) -> Result<read::Stream<'_, oxigraph::model::Quad>, ReadError> {
                self.0.quads(scope)
            }
            fn named_graphs(&self) -> Result<Vec<NamedOrBlankNode>, ReadError> {
                self.0.named_graphs()
            }
            fn sparql(&self) -> read::SparqlDataset {
                self.0.sparql()
            }
        }
        let (_dir, local) = built_embedded(&BuildOptions::default());
        assert!(local.base().is_some());
        let projection = local.projection().unwrap();
        let mut named = 0;
        for edge in projection.edges().filter(|e| e.inferred().is_none()) {
            let s = NamedNode::new(projection.node(edge.source()).iri()).unwrap();
            let p = NamedNode::new(projection.predicate(edge.predicate()).iri).unwrap();
            let o: Term = NamedNode::new(projection.node(edge.target()).iri())
                .unwrap()
                .into();
            let searched = statements_of(&Unnamed(&local), &s, &p, &o).unwrap();
            if searched.is_empty() {
                continue;
            }
            let fact = Triple::new(s.clone(), p.clone(), o.clone());
            let name = crate::infer::statement_iri(local.base().unwrap(), &fact);
            assert_eq!(searched, vec![name], "{s} {p} {o}");
            assert_eq!(statements_of(&local, &s, &p, &o).unwrap(), searched);
            named += 1;
        }
        assert!(named > 100, "{named} stated facts with a statement");
    }
}
