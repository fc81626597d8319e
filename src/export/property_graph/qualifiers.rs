//! Values stated on the selected edges' facts (the triples of their `rdf:Statement`s beyond
//! provenance, such as `pto:extent`): edge attributes after the fixed fields, keyed and typed
//! as node attributes are.
//!
//! Read from the graph once per selected node that is the subject of a selected edge: the
//! statements about it (`?st rdf:subject <node>`), then each statement's triples. A graph with
//! no statement at all (built without provenance) costs one lookup.

use std::collections::{BTreeMap, HashMap};

use oxigraph::model::{NamedNode, Term};

use super::attributes::{named_keys, typed_value};
use super::{EDGE_FIELDS, Key, Scan, Value, ValueKind};
use crate::answer::PROVENANCE;
use crate::export::select::Subgraph;
use crate::graph::Projection;
use crate::read::{self, GraphReader, ReadError};
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
    if graph
        .triples(None, Some(rdf::SUBJECT), None)
        .next()
        .transpose()?
        .is_none()
    {
        return Ok(EdgeQualifiers::default());
    }
    let selected = |edge: u32| subgraph.edges.binary_search(&edge).is_ok();
    let mut raw: BTreeMap<u32, Vec<Raw>> = BTreeMap::new();
    for &node in &subgraph.nodes {
        // The node's selected stated edges, by (predicate IRI, target IRI).
        let mut edges: HashMap<(&str, &str), u32> = HashMap::new();
        for edge in projection.out_edges(node) {
            let view = projection.edge(edge);
            if selected(edge) && view.inferred().is_none() {
                let predicate = projection.predicate(view.predicate()).iri;
                edges.insert((predicate, projection.node(view.target()).iri()), edge);
            }
        }
        if edges.is_empty() {
            continue;
        }
        let subject = NamedNode::new_unchecked(projection.node(node).iri());
        for statement in graph.triples(None, Some(rdf::SUBJECT), Some(subject.as_ref().into())) {
            let statement = statement?.subject;
            let mut predicate = None;
            let mut object = None;
            let mut values = Vec::new();
            for triple in graph.triples(Some(statement.as_ref()), None, None) {
                let triple = triple?;
                match (triple.predicate.as_ref(), triple.object) {
                    (p, Term::NamedNode(n)) if p == rdf::PREDICATE => predicate = Some(n),
                    (p, Term::NamedNode(n)) if p == rdf::OBJECT => object = Some(n),
                    (p, _) if PROVENANCE.contains(&p) => {}
                    (_, Term::Literal(l)) => values.push((
                        triple.predicate.clone(),
                        l.value().to_owned(),
                        l.datatype().as_str().to_owned(),
                    )),
                    (_, Term::NamedNode(n)) => {
                        values.push((triple.predicate.clone(), n.into_string(), String::new()));
                    }
                    (_, Term::BlankNode(_)) => {}
                }
            }
            if values.is_empty() {
                continue;
            }
            let (Some(predicate), Some(object)) = (predicate, object) else {
                continue;
            };
            if let Some(&edge) = edges.get(&(predicate.as_str(), object.as_str())) {
                raw.entry(edge).or_default().extend(values);
            }
        }
    }
    keyed(graph, &raw)
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
            let datatype = if datatype.is_empty() {
                xsd::STRING.as_str()
            } else {
                datatype
            };
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
        &EDGE_FIELDS,
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
