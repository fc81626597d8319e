//! Values stated on a fact rather than on an entity: the triples of its `rdf:Statement`s beyond
//! their provenance (which meeting of a series, the extent of a claim). Entity cards and path
//! hops show them.

use std::collections::HashMap;

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};

use super::{Labelled, Qualifier};
use crate::read::{self, GraphReader, ReadError};
use crate::vocab::rdf;

/// What a statement records about where its fact comes from: not a qualifier.
pub(crate) use crate::vocab::STATEMENT_PROVENANCE as PROVENANCE;

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

/// Reads the values stated on facts, one fact after another, for one answer (a path's hops).
///
/// Where the build recorded which properties are stated on facts
/// ([`GraphReader::qualifier_properties`]), only those are read from each statement, and a graph
/// that has none reads nothing. A reader that gives a fact's values at once
/// ([`GraphReader::stated_values`], a remote one) is asked once per fact; otherwise each
/// statement is read whole. Each property's label is looked up once per answer.
pub(crate) struct FactQualifiers<'g> {
    graph: &'g dyn GraphReader,
    properties: Option<Vec<NamedNode>>,
    labels: HashMap<NamedNode, String>,
}

impl<'g> FactQualifiers<'g> {
    pub(crate) fn new(graph: &'g dyn GraphReader) -> Self {
        Self {
            graph,
            properties: graph.qualifier_properties(),
            labels: HashMap::new(),
        }
    }

    /// The values stated on the fact `subject predicate object`, sorted by property label and
    /// value, without repeats.
    pub(crate) fn of(
        &mut self,
        subject: &NamedNode,
        predicate: &NamedNode,
        object: &Term,
    ) -> Result<Vec<Qualifier>, ReadError> {
        if self.properties.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Vec::new());
        }
        let graph = self.graph;
        let fact = Triple::new(subject.clone(), predicate.clone(), object.clone());
        let mut values: Vec<(NamedNode, Term)> = Vec::new();
        if let Some(stated) = graph.stated_values(Some(&fact)) {
            values.extend(
                stated?
                    .into_iter()
                    .map(|(_, property, value)| (property, value)),
            );
        } else {
            for statement in statements_of(graph, subject, predicate, object)? {
                let statement = Some(statement.as_ref().into());
                let mut read = |property: Option<NamedNodeRef<'_>>| -> Result<(), ReadError> {
                    for triple in graph.triples(statement, property, None) {
                        let triple = triple?;
                        values.push((triple.predicate, triple.object));
                    }
                    Ok(())
                };
                match &self.properties {
                    Some(properties) => {
                        for property in properties {
                            read(Some(property.as_ref()))?;
                        }
                    }
                    None => read(None)?,
                }
            }
        }
        let labels = &mut self.labels;
        qualifiers_of(values.iter().map(|(p, v)| (p, v)), |property| {
            let property = property.into_owned();
            let label = if let Some(label) = labels.get(&property) {
                label.clone()
            } else {
                let label = read::label(graph, &property)?;
                labels.insert(property.clone(), label.clone());
                label
            };
            Ok(Labelled {
                iri: property.into_string(),
                label,
            })
        })
    }
}

/// The qualifiers among the `(property, value)` pairs of a fact's statements, each property
/// labelled by `labelled`, sorted by property label and value, without repeats.
pub(crate) fn qualifiers_of<'t>(
    pairs: impl IntoIterator<Item = (&'t NamedNode, &'t Term)>,
    mut labelled: impl FnMut(NamedNodeRef<'_>) -> Result<Labelled, ReadError>,
) -> Result<Vec<Qualifier>, ReadError> {
    let mut qualifiers = Vec::new();
    for (property, object) in pairs {
        if PROVENANCE.contains(&property.as_ref()) {
            continue;
        }
        let (value, datatype, language) = match object {
            Term::Literal(l) => (
                l.value().to_owned(),
                Some(l.datatype().as_str().to_owned()),
                l.language().map(str::to_owned),
            ),
            Term::NamedNode(n) => (n.as_str().to_owned(), None, None),
            Term::BlankNode(b) => (b.to_string(), None, None),
        };
        qualifiers.push(Qualifier {
            predicate: labelled(property.as_ref())?,
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

    /// A reader of a local graph that knows neither its base nor its recorded qualifier
    /// properties, as a remote one does not: it searches.
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

    /// Every stated fact of a projection, as terms.
    fn stated_facts(projection: &crate::graph::Projection) -> Vec<(NamedNode, NamedNode, Term)> {
        let iri = |i: &str| NamedNode::new(i).unwrap();
        projection
            .edges()
            .filter(|e| e.inferred().is_none())
            .map(|edge| {
                (
                    iri(projection.node(edge.source()).iri()),
                    iri(projection.predicate(edge.predicate()).iri),
                    iri(projection.node(edge.target()).iri()).into(),
                )
            })
            .collect()
    }

    /// The statement read by name is the one a search finds, for every stated fact of the
    /// embedded graph: the build names statements as `infer::statement_iri` does.
    #[test]
    fn a_facts_statement_read_by_name_is_the_one_searched_for() {
        let (_dir, local) = built_embedded(&BuildOptions::default());
        assert!(local.base().is_some());
        let mut named = 0;
        for (s, p, o) in stated_facts(local.projection().unwrap()) {
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

    /// A path hop's qualifiers read through the recorded properties are the ones the whole
    /// statements hold, for every stated fact of the embedded graph.
    #[test]
    fn the_recorded_properties_give_every_hops_qualifiers() {
        let (_dir, local) = built_embedded(&BuildOptions::default());
        assert!(local.qualifier_properties().is_some_and(|p| !p.is_empty()));
        let unnamed = Unnamed(&local);
        let (mut recorded, mut searched) =
            (FactQualifiers::new(&local), FactQualifiers::new(&unnamed));
        let mut qualified = 0;
        for (s, p, o) in stated_facts(local.projection().unwrap()) {
            let read = recorded.of(&s, &p, &o).unwrap();
            assert_eq!(read, searched.of(&s, &p, &o).unwrap(), "{s} {p} {o}");
            qualified += usize::from(!read.is_empty());
        }
        assert!(
            qualified > 0,
            "no stated fact of the embedded graph carries a qualifier"
        );
    }
}
