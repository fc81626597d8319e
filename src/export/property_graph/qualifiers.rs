//! Values stated on the selected edges' facts (the triples of their `rdf:Statement`s beyond
//! provenance, such as `pto:extent`): edge attributes after the fixed fields, keyed and typed
//! as node attributes are.
//!
//! A local store knows its qualifier properties (the build records them): the statements that
//! carry each are read, then each one's fact, in proportion to the qualified statements alone.
//! A remote store gives every fact's values in one SELECT. Otherwise (a store built before the
//! properties were recorded) each selected stated edge's statements are found as a path hop's
//! are and read whole; a graph with no statement at all costs one lookup.

use std::collections::{BTreeMap, HashMap};

use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};

use super::attributes::{named_keys, typed_value};
use super::{EDGE_FIELDS, Key, Scan, Value, ValueKind};
use crate::answer::{PROVENANCE, statements_of};
use crate::export::select::Subgraph;
use crate::graph::Projection;
use crate::read::{self, GraphReader, ReadError, StatedValue};
use crate::vocab::{rdf, xsd};

/// The qualifier attributes of a subgraph's edges.
#[derive(Debug, Default)]
pub(super) struct EdgeQualifiers {
    /// Their keys, by property IRI.
    pub keys: Vec<Key>,
    /// Each qualified edge's values (projection edge index → (key, value), by key).
    pub values: HashMap<u32, Vec<(usize, Value)>>,
}

/// One value as read: the property, the lexical form and its datatype.
type Raw = (NamedNode, String, String);

/// Reads the qualifiers of the selected stated edges from `graph`.
///
/// # Errors
/// What reading the graph gives.
pub(super) fn edge_qualifiers(
    graph: &dyn GraphReader,
    projection: &Projection,
    subgraph: &Subgraph,
) -> Result<EdgeQualifiers, ReadError> {
    let raw = if let Some(properties) = graph.qualifier_properties() {
        by_property(graph, projection, subgraph, &properties)?
    } else if let Some(values) = graph.stated_values(None) {
        by_fact(projection, subgraph, values?)
    } else {
        by_subject(graph, projection, subgraph)?
    };
    keyed(graph, &raw)
}

/// When the qualifier properties are known: the statements that carry each, then each such
/// statement's fact. Reads in proportion to the qualified statements alone.
fn by_property(
    graph: &dyn GraphReader,
    projection: &Projection,
    subgraph: &Subgraph,
    properties: &[NamedNode],
) -> Result<BTreeMap<u32, Vec<Raw>>, ReadError> {
    let mut raw: BTreeMap<u32, Vec<Raw>> = BTreeMap::new();
    let mut edge_of_statement: HashMap<NamedOrBlankNode, Option<u32>> = HashMap::new();
    for property in properties {
        for triple in graph.triples(None, Some(property.as_ref()), None) {
            let triple = triple?;
            let edge = if let Some(edge) = edge_of_statement.get(&triple.subject) {
                *edge
            } else {
                let edge = statement_edge(graph, projection, subgraph, &triple.subject)?;
                edge_of_statement.insert(triple.subject.clone(), edge);
                edge
            };
            if let (Some(edge), Some(value)) = (edge, raw_value(triple.predicate, triple.object)) {
                raw.entry(edge).or_default().push(value);
            }
        }
    }
    Ok(raw)
}

/// The selected stated edge a statement is about, if any.
fn statement_edge(
    graph: &dyn GraphReader,
    projection: &Projection,
    subgraph: &Subgraph,
    statement: &NamedOrBlankNode,
) -> Result<Option<u32>, ReadError> {
    let (mut subject, mut predicate, mut object) = (None, None, None);
    for triple in graph.triples(Some(statement.as_ref()), None, None) {
        let triple = triple?;
        let p = triple.predicate.as_ref();
        if let Term::NamedNode(n) = triple.object {
            if p == rdf::SUBJECT {
                subject = Some(n);
            } else if p == rdf::PREDICATE {
                predicate = Some(n);
            } else if p == rdf::OBJECT {
                object = Some(n);
            }
        }
    }
    let (Some(subject), Some(predicate), Some(object)) = (subject, predicate, object) else {
        return Ok(None);
    };
    let Some(source) = projection.node_by_iri(subject.as_str()) else {
        return Ok(None);
    };
    Ok(projection.out_edges(source).find(|&edge| {
        let view = projection.edge(edge);
        subgraph.edges.binary_search(&edge).is_ok()
            && view.inferred().is_none()
            && projection.predicate(view.predicate()).iri == predicate.as_str()
            && projection.node(view.target()).iri() == object.as_str()
    }))
}

/// When the reader gives every fact's values at once (a remote store, in one SELECT): each
/// value goes to the selected stated edge of its fact.
fn by_fact(
    projection: &Projection,
    subgraph: &Subgraph,
    values: Vec<StatedValue>,
) -> BTreeMap<u32, Vec<Raw>> {
    let mut edge_of_fact: HashMap<(&str, &str, &str), u32> = HashMap::new();
    for &edge in &subgraph.edges {
        let view = projection.edge(edge);
        if view.inferred().is_none() {
            let fact = (
                projection.node(view.source()).iri(),
                projection.predicate(view.predicate()).iri,
                projection.node(view.target()).iri(),
            );
            edge_of_fact.entry(fact).or_insert(edge);
        }
    }
    let mut raw: BTreeMap<u32, Vec<Raw>> = BTreeMap::new();
    for (fact, property, value) in values {
        let (NamedOrBlankNode::NamedNode(subject), Term::NamedNode(object)) =
            (&fact.subject, &fact.object)
        else {
            continue;
        };
        let key = (subject.as_str(), fact.predicate.as_str(), object.as_str());
        if let (Some(&edge), Some(value)) = (edge_of_fact.get(&key), raw_value(property, value)) {
            raw.entry(edge).or_default().push(value);
        }
    }
    raw
}

/// When they are not known (a store built before they were recorded, a reader that gives
/// neither): each
/// selected stated edge's statements, found as a path hop's are ([`statements_of`]), read whole.
fn by_subject(
    graph: &dyn GraphReader,
    projection: &Projection,
    subgraph: &Subgraph,
) -> Result<BTreeMap<u32, Vec<Raw>>, ReadError> {
    let mut raw: BTreeMap<u32, Vec<Raw>> = BTreeMap::new();
    if graph
        .triples(None, Some(rdf::SUBJECT), None)
        .next()
        .transpose()?
        .is_none()
    {
        return Ok(raw);
    }
    for &edge in &subgraph.edges {
        let view = projection.edge(edge);
        if view.inferred().is_some() {
            continue;
        }
        let subject = NamedNode::new_unchecked(projection.node(view.source()).iri());
        let predicate = NamedNode::new_unchecked(projection.predicate(view.predicate()).iri);
        let object = NamedNode::new_unchecked(projection.node(view.target()).iri()).into();
        let mut values = Vec::new();
        for statement in statements_of(graph, &subject, &predicate, &object)? {
            for triple in graph.triples(Some(statement.as_ref().into()), None, None) {
                let triple = triple?;
                if !PROVENANCE.contains(&triple.predicate.as_ref()) {
                    values.extend(raw_value(triple.predicate, triple.object));
                }
            }
        }
        if !values.is_empty() {
            raw.insert(edge, values);
        }
    }
    Ok(raw)
}

/// A qualifier's value as read: literals with their datatype, IRIs as text (`xsd:string`);
/// blank nodes have no value to show.
fn raw_value(property: NamedNode, value: Term) -> Option<Raw> {
    match value {
        Term::Literal(l) => {
            let datatype = l.datatype().as_str().to_owned();
            Some((property, l.value().to_owned(), datatype))
        }
        Term::NamedNode(n) => Some((property, n.into_string(), xsd::STRING.as_str().to_owned())),
        Term::BlankNode(_) => None,
    }
}

/// Keys the raw values: one key per property (named by its label), its values typed when every
/// edge has one that fits, else `|`-joined text.
fn keyed(
    graph: &dyn GraphReader,
    raw: &BTreeMap<u32, Vec<Raw>>,
) -> Result<EdgeQualifiers, ReadError> {
    let mut scans: BTreeMap<&str, Scan> = BTreeMap::new();
    for values in raw.values() {
        let mut seen: Vec<&str> = Vec::new();
        for (property, lexical, datatype) in values {
            let scan = scans.entry(property.as_str()).or_default();
            scan.see(datatype, lexical);
            if seen.contains(&property.as_str()) {
                scan.multiple = true;
            }
            seen.push(property.as_str());
        }
    }
    let mut labels = Vec::with_capacity(scans.len());
    for property in scans.keys() {
        labels.push(read::label(graph, &NamedNode::new_unchecked(*property))?);
    }
    let keys = named_keys(
        scans
            .into_iter()
            .zip(&labels)
            .map(|((property, scan), label)| (property, label.as_str(), scan)),
        // `key`: node-link's own field for the edge id.
        &[&EDGE_FIELDS[..], &["key"]].concat(),
    );
    let position: HashMap<&str, usize> = keys
        .iter()
        .enumerate()
        .map(|(k, key)| (key.predicate.as_str(), k))
        .collect();
    let mut out = HashMap::with_capacity(raw.len());
    for (edge, values) in raw {
        let mut by_key: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
        for (property, lexical, _) in values {
            by_key
                .entry(position[property.as_str()])
                .or_default()
                .push(lexical);
        }
        let typed = by_key
            .into_iter()
            .map(|(k, mut values)| {
                values.sort_unstable();
                values.dedup();
                let value = match (keys[k].kind, values.as_slice()) {
                    (ValueKind::String, _) | (_, [_, _, ..]) => Value::String(values.join("|")),
                    (kind, [one]) => {
                        typed_value(kind, one).unwrap_or_else(|| Value::String((*one).to_owned()))
                    }
                    (_, []) => Value::String(String::new()),
                };
                (k, value)
            })
            .collect();
        out.insert(*edge, typed);
    }
    Ok(EdgeQualifiers { keys, values: out })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{BuildOptions, built_embedded};

    /// Both ways of reading give the same values: by the properties the build recorded, and by
    /// each node's statements (remote and older stores).
    #[test]
    fn the_recorded_properties_find_what_the_statements_hold() {
        let (_dir, local) = built_embedded(&BuildOptions::default());
        let projection = local.projection().unwrap();
        let all = Subgraph::all(projection);
        let properties = local.qualifier_properties().expect("recorded by the build");
        assert!(!properties.is_empty());
        let recorded = by_property(&local, projection, &all, &properties).unwrap();
        assert!(recorded.len() >= 4, "{recorded:?}");
        assert_eq!(recorded, by_subject(&local, projection, &all).unwrap());
        // A selection without the qualified facts' subjects has none.
        let none = Subgraph {
            nodes: Vec::new(),
            edges: Vec::new(),
            truncated: None,
        };
        assert!(
            by_property(&local, projection, &none, &properties)
                .unwrap()
                .is_empty()
        );
    }
}
