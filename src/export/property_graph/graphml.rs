//! [GraphML](http://graphml.graphdrawing.org/specification.html): every node and edge
//! attribute of [`super`] declared once as a `<key>` with its `attr.type`, as Gephi, yEd,
//! Cytoscape and networkx read it. The graph is directed; parallel edges keep their own ids.

use std::io::Write;

use super::xml::XmlWriter;
use super::{EDGE_FIELDS, NODE_FIELDS, PropertyGraph};
use crate::export::ExportError;

const NAMESPACE: &str = "http://graphml.graphdrawing.org/xmlns";
const SCHEMA: &str =
    "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd";

/// Writes the graph as `GraphML`.
///
/// Node keys are `n0`… (the fixed fields but `id`, then one per literal attribute), edge keys
/// `e0`… (the fixed fields but `id`, `source` and `target`, which are XML attributes, then one
/// per qualifier).
///
/// # Errors
/// I/O and storage errors.
pub fn write(
    graph: &PropertyGraph<'_>,
    title: &str,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let mut xml = XmlWriter::new(out)?;
    xml.start(
        "graphml",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            ("xsi:schemaLocation", SCHEMA),
        ],
    )?;
    let node_fields = &NODE_FIELDS[1..];
    let mut node_key = 0usize;
    for field in node_fields {
        key(&mut xml, &format!("n{node_key}"), "node", field, "string")?;
        node_key += 1;
    }
    for attribute in graph.keys() {
        key(
            &mut xml,
            &format!("n{node_key}"),
            "node",
            &attribute.name,
            attribute.kind.xml_name(),
        )?;
        node_key += 1;
    }
    let edge_fields = &EDGE_FIELDS[3..];
    for (i, field) in edge_fields.iter().enumerate() {
        key(&mut xml, &format!("e{i}"), "edge", field, "string")?;
    }
    for (k, qualifier) in graph.edge_keys().iter().enumerate() {
        let id = format!("e{}", edge_fields.len() + k);
        key(
            &mut xml,
            &id,
            "edge",
            &qualifier.name,
            qualifier.kind.xml_name(),
        )?;
    }
    key(&mut xml, "g0", "graph", "title", "string")?;
    xml.start("graph", &[("id", "G"), ("edgedefault", "directed")])?;
    xml.text_element("data", &[("key", "g0")], title)?;
    for position in 0..graph.nodes().len() {
        let node = graph.node(position);
        xml.start("node", &[("id", node.id)])?;
        // Keys n0… are the fixed fields but the id, which is the element's XML attribute.
        for (i, value) in node.fields(graph)[1..].iter().enumerate() {
            if !value.is_empty() {
                xml.text_element("data", &[("key", &format!("n{i}"))], value)?;
            }
        }
        for (k, value) in &node.attributes {
            let id = format!("n{}", node_fields.len() + k);
            xml.text_element("data", &[("key", &id)], &value.to_string())?;
        }
        xml.end("node")?;
    }
    for position in 0..graph.edges().len() {
        let edge = graph.edge(position);
        xml.start(
            "edge",
            &[
                ("id", &edge.id),
                ("source", edge.source),
                ("target", edge.target),
            ],
        )?;
        // Keys e0… are the fixed fields but id, source and target: XML attributes.
        for (i, value) in edge.fields()[3..].iter().enumerate() {
            if !value.is_empty() {
                xml.text_element("data", &[("key", &format!("e{i}"))], value)?;
            }
        }
        for (k, value) in &edge.qualifiers {
            let id = format!("e{}", edge_fields.len() + k);
            xml.text_element("data", &[("key", &id)], &value.to_string())?;
        }
        xml.end("edge")?;
    }
    xml.end("graph")?;
    xml.end("graphml")?;
    xml.finish()?;
    Ok(())
}

fn key(
    xml: &mut XmlWriter<'_>,
    id: &str,
    domain: &str,
    name: &str,
    kind: &str,
) -> Result<(), ExportError> {
    xml.empty(
        "key",
        &[
            ("id", id),
            ("for", domain),
            ("attr.name", name),
            ("attr.type", kind),
        ],
    )?;
    Ok(())
}
