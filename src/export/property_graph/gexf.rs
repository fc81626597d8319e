//! [GEXF 1.2](https://gexf.net/) (the `1.2draft` namespace Gephi and networkx read): labels as
//! the `label` of nodes and edges, every other attribute of [`super`] declared under
//! `<attributes>` and given in `<attvalues>`, node colours by class in `viz:color`.

use std::io::Write;

use super::xml::XmlWriter;
use super::{EDGE_FIELDS, NODE_FIELDS, PropertyGraph};
use crate::export::ExportError;

const NAMESPACE: &str = "http://www.gexf.net/1.2draft";
const VIZ: &str = "http://www.gexf.net/1.2draft/viz";

/// Writes the graph as GEXF.
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
        "gexf",
        &[("xmlns", NAMESPACE), ("xmlns:viz", VIZ), ("version", "1.2")],
    )?;
    xml.start("meta", &[])?;
    xml.text_element("creator", &[], "kg")?;
    xml.text_element("description", &[], title)?;
    xml.end("meta")?;
    xml.start(
        "graph",
        &[("defaultedgetype", "directed"), ("mode", "static")],
    )?;

    let (node_fields, edge_fields) = declare_attributes(&mut xml, graph)?;

    xml.start("nodes", &[])?;
    for position in 0..graph.nodes().len() {
        let node = graph.node(position);
        xml.start("node", &[("id", node.id), ("label", node.label)])?;
        xml.start("attvalues", &[])?;
        let fixed = as_attvalues(&NODE_FIELDS, node.fields(graph), NODE_XML_ATTRIBUTES);
        for (i, value) in fixed.enumerate() {
            if !value.is_empty() {
                xml.empty("attvalue", &[("for", &i.to_string()), ("value", value)])?;
            }
        }
        for (k, value) in &node.attributes {
            let id = (node_fields + k).to_string();
            xml.empty("attvalue", &[("for", &id), ("value", &value.to_string())])?;
        }
        xml.end("attvalues")?;
        let [r, g, b] = graph.colour(node.class).fill;
        xml.empty(
            "viz:color",
            &[
                ("r", &r.to_string()),
                ("g", &g.to_string()),
                ("b", &b.to_string()),
            ],
        )?;
        xml.end("node")?;
    }
    xml.end("nodes")?;

    xml.start("edges", &[])?;
    for position in 0..graph.edges().len() {
        let edge = graph.edge(position);
        xml.start(
            "edge",
            &[
                ("id", &edge.id),
                ("source", edge.source),
                ("target", edge.target),
                ("label", edge.label),
            ],
        )?;
        xml.start("attvalues", &[])?;
        let values = as_attvalues(&EDGE_FIELDS, edge.fields(), EDGE_XML_ATTRIBUTES);
        for (i, value) in values.enumerate() {
            if !value.is_empty() {
                xml.empty("attvalue", &[("for", &i.to_string()), ("value", value)])?;
            }
        }
        for (k, value) in &edge.qualifiers {
            let id = (edge_fields + k).to_string();
            xml.empty("attvalue", &[("for", &id), ("value", &value.to_string())])?;
        }
        xml.end("attvalues")?;
        xml.end("edge")?;
    }
    xml.end("edges")?;
    xml.end("graph")?;
    xml.end("gexf")?;
    xml.finish()?;
    Ok(())
}

/// Declares the node and edge attributes; returns how many fixed node fields come before the
/// literal attributes, and how many fixed edge fields before the qualifiers.
fn declare_attributes(
    xml: &mut XmlWriter<'_>,
    graph: &PropertyGraph<'_>,
) -> Result<(usize, usize), ExportError> {
    // Node attributes: the fixed fields but id and label, then the literal attributes.
    let node_fields: Vec<&str> =
        as_attvalues(&NODE_FIELDS, NODE_FIELDS, NODE_XML_ATTRIBUTES).collect();
    xml.start("attributes", &[("class", "node"), ("mode", "static")])?;
    let mut next = 0usize;
    for field in &node_fields {
        attribute(xml, next, field, "string")?;
        next += 1;
    }
    for key in graph.keys() {
        attribute(xml, next, &key.name, key.kind.xml_name())?;
        next += 1;
    }
    xml.end("attributes")?;
    // Edge attributes: the fixed fields but id, source, target and label, then the qualifiers.
    let edge_fields: Vec<&str> =
        as_attvalues(&EDGE_FIELDS, EDGE_FIELDS, EDGE_XML_ATTRIBUTES).collect();
    xml.start("attributes", &[("class", "edge"), ("mode", "static")])?;
    for (i, field) in edge_fields.iter().enumerate() {
        attribute(xml, i, field, "string")?;
    }
    for (k, key) in graph.edge_keys().iter().enumerate() {
        attribute(xml, edge_fields.len() + k, &key.name, key.kind.xml_name())?;
    }
    xml.end("attributes")?;

    Ok((node_fields.len(), edge_fields.len()))
}

/// Fixed node fields written as XML attributes of `<node>`, not as `<attvalue>`s.
const NODE_XML_ATTRIBUTES: &[&str] = &["id", "label"];

/// Fixed edge fields written as XML attributes of `<edge>`, not as `<attvalue>`s.
const EDGE_XML_ATTRIBUTES: &[&str] = &["id", "source", "target", "label"];

/// The items of `values` (one per field of `names`) whose field is not in `skip`: the fixed
/// fields that are `<attvalue>`s, numbered as their declarations are.
fn as_attvalues<'v, const N: usize>(
    names: &[&str; N],
    values: [&'v str; N],
    skip: &'static [&'static str],
) -> impl Iterator<Item = &'v str> {
    names
        .iter()
        .zip(values)
        .filter(move |(name, _)| !skip.contains(name))
        .map(|(_, value)| value)
}

fn attribute(
    xml: &mut XmlWriter<'_>,
    id: usize,
    title: &str,
    kind: &str,
) -> Result<(), ExportError> {
    xml.empty(
        "attribute",
        &[("id", &id.to_string()), ("title", title), ("type", kind)],
    )?;
    Ok(())
}
