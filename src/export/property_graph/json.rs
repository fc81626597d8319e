//! The JSON property-graph formats: [Cytoscape.js elements
//! JSON](https://js.cytoscape.org/#notation/elements-json) (`.cyjs`, which Cytoscape desktop
//! imports) and [node-link JSON](https://networkx.org/documentation/stable/reference/readwrite/generated/networkx.readwrite.json_graph.node_link_data.html)
//! (networkx's `node_link_graph(data, edges="links")`, D3's force layouts).
//!
//! One element per line; attribute values keep their type (numbers and booleans are JSON
//! numbers and booleans). Keys within an object are sorted.

use std::io::Write;

use serde_json::{Map, Value as Json};

use super::{EdgeRecord, NodeRecord, PropertyGraph};
use crate::export::ExportError;

/// What goes before the element at `position` of a list: one per line.
fn separator(position: usize) -> &'static [u8] {
    if position == 0 { b"\n" } else { b",\n" }
}

fn node_object(graph: &PropertyGraph<'_>, node: &NodeRecord<'_>) -> Map<String, Json> {
    let mut object = Map::new();
    object.insert("id".into(), node.id.into());
    object.insert("iri".into(), node.iri.into());
    object.insert("label".into(), node.label.into());
    object.insert("class".into(), graph.class_label(node.class).into());
    object.insert("classes".into(), node.classes.clone().into());
    if let Some(description) = &node.description {
        object.insert("description".into(), description.clone().into());
    }
    for (k, value) in &node.attributes {
        let value = serde_json::to_value(value).unwrap_or(Json::Null);
        object.insert(graph.keys()[*k].name.clone(), value);
    }
    object
}

fn edge_object(graph: &PropertyGraph<'_>, edge: &EdgeRecord<'_>) -> Map<String, Json> {
    let mut object = Map::new();
    object.insert("source".into(), edge.source.into());
    object.insert("target".into(), edge.target.into());
    object.insert("predicate".into(), edge.predicate.into());
    object.insert("label".into(), edge.label.into());
    for (name, value) in [
        ("evidence", &edge.evidence),
        ("documents", &edge.documents),
        ("sentences", &edge.sentences),
        ("dates", &edge.dates),
    ] {
        if !value.is_empty() {
            object.insert(name.into(), value.clone().into());
        }
    }
    for (k, value) in &edge.qualifiers {
        let value = serde_json::to_value(value).unwrap_or(Json::Null);
        object.insert(graph.edge_keys()[*k].name.clone(), value);
    }
    object
}

/// Writes the graph as Cytoscape.js elements JSON: `{"data": {"name": …}, "elements":
/// {"nodes": [{"data": {…}}], "edges": [{"data": {…}}]}}`.
///
/// # Errors
/// I/O and storage errors.
pub fn write_cytoscape(
    graph: &PropertyGraph<'_>,
    title: &str,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    write!(out, "{{\"data\":{{\"name\":")?;
    serde_json::to_writer(&mut *out, title).map_err(std::io::Error::from)?;
    write!(out, ",\"directed\":true}},\n\"elements\":{{\"nodes\":[")?;
    for position in 0..graph.nodes().len() {
        let node = graph.node(position);
        let mut element = Map::new();
        element.insert("data".into(), Json::Object(node_object(graph, &node)));
        out.write_all(separator(position))?;
        serde_json::to_writer(&mut *out, &element).map_err(std::io::Error::from)?;
    }
    write!(out, "\n],\"edges\":[")?;
    for position in 0..graph.edges().len() {
        let edge = graph.edge(position);
        let mut data = edge_object(graph, &edge);
        data.insert("id".into(), edge.id.clone().into());
        let mut element = Map::new();
        element.insert("data".into(), Json::Object(data));
        out.write_all(separator(position))?;
        serde_json::to_writer(&mut *out, &element).map_err(std::io::Error::from)?;
    }
    writeln!(out, "\n]}}}}")?;
    out.flush()?;
    Ok(())
}

/// Writes the graph as node-link JSON: `{"directed": true, "multigraph": true, "graph":
/// {"name": …}, "nodes": [{"id": …}], "links": [{"source": …, "target": …, "key": …}]}`; the
/// `key` of a link is its edge id, so parallel facts stay apart.
///
/// # Errors
/// I/O and storage errors.
pub fn write_node_link(
    graph: &PropertyGraph<'_>,
    title: &str,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    write!(
        out,
        "{{\"directed\":true,\"multigraph\":true,\"graph\":{{\"name\":"
    )?;
    serde_json::to_writer(&mut *out, title).map_err(std::io::Error::from)?;
    write!(out, "}},\n\"nodes\":[")?;
    for position in 0..graph.nodes().len() {
        let node = graph.node(position);
        out.write_all(separator(position))?;
        serde_json::to_writer(&mut *out, &node_object(graph, &node))
            .map_err(std::io::Error::from)?;
    }
    write!(out, "\n],\"links\":[")?;
    for position in 0..graph.edges().len() {
        let edge = graph.edge(position);
        let mut link = edge_object(graph, &edge);
        link.insert("key".into(), edge.id.clone().into());
        out.write_all(separator(position))?;
        serde_json::to_writer(&mut *out, &link).map_err(std::io::Error::from)?;
    }
    writeln!(out, "\n]}}")?;
    out.flush()?;
    Ok(())
}
