//! The HTML page: one self-contained file (styles and script inline, no fonts, images or
//! network requests; a Content-Security-Policy forbids them) where a person can pan, zoom,
//! search an entity, and click it to see its attributes, relations and their evidence.
//!
//! The graph travels as JSON in a `<script type="application/json">` element, written through
//! [`ScriptSafe`] so no label can close the element; the page's script (`assets/viewer.js`)
//! draws it as SVG at the positions [`crate::export::layout`] computed, the same as the SVG export.

use std::io::Write;

use serde_json::json;

use super::svg::EdgeShapes;
use crate::export::ExportError;
use crate::export::escape::{ScriptSafe, html};
use crate::export::layout::Layout;
use crate::export::property_graph::PropertyGraph;

const STYLE: &str = include_str!("assets/viewer.css");
const SCRIPT: &str = include_str!("assets/viewer.js");

/// The page's policy: nothing but its own inline style and script, and the empty icon.
const POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// Writes the page.
///
/// # Errors
/// I/O and storage errors.
pub fn write(
    graph: &PropertyGraph<'_>,
    layout: &Layout,
    title: &str,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let raw_title = title;
    let title = html(title);
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"kg\">\n<link rel=\"icon\" href=\"data:,\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n"
    )?;
    write!(
        out,
        "<header>\n<h1>{title}</h1>\n<span class=\"counts\">{} entities · {} facts</span>\n\
         <div class=\"search\"><input id=\"search\" type=\"search\" placeholder=\"Search an entity (press /)\" \
         aria-label=\"Search an entity\" autocomplete=\"off\"><ul id=\"results\"></ul></div>\n\
         <div class=\"tools\"><button id=\"zoom-in\" title=\"Zoom in\">+</button> \
         <button id=\"zoom-out\" title=\"Zoom out\">−</button> <button id=\"fit\" title=\"Show everything\">Fit</button></div>\n\
         </header>\n<main>\n<svg id=\"canvas\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{title}\">\n\
         <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">\
         <path d=\"M0,0 L10,5 L0,10 z\" fill=\"#8a8a8a\"/></marker></defs>\n<g id=\"viewport\"></g>\n</svg>\n\
         <details id=\"legend-box\" open><summary>Classes</summary><ul id=\"legend\"></ul></details>\n</main>\n<aside id=\"panel\" aria-live=\"polite\"></aside>\n",
        graph.nodes().len(),
        graph.edges().len(),
    )?;

    write!(out, "<script type=\"application/json\" id=\"kg-data\">")?;
    write_data(graph, layout, raw_title, &mut ScriptSafe(&mut *out))?;
    write!(
        out,
        "</script>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    )?;
    out.flush()?;
    Ok(())
}

/// The page's data: `{"title", "width", "height", "classes": [...], "nodes": [...], "edges":
/// [...]}`, one node or edge per line.
fn write_data(
    graph: &PropertyGraph<'_>,
    layout: &Layout,
    title: &str,
    data: &mut dyn Write,
) -> Result<(), ExportError> {
    let classes: Vec<serde_json::Value> = graph
        .legend()
        .iter()
        .map(|&(class, count)| {
            let colour = graph.colour(Some(class));
            json!({
                "label": graph.class_label(Some(class)),
                "count": count,
                "fill": colour.fill_hex(),
                "stroke": colour.stroke_hex(),
            })
        })
        .collect();
    let rank =
        |class: Option<u32>| class.and_then(|c| graph.legend().iter().position(|(l, _)| *l == c));
    write!(data, "{{\"title\":")?;
    serde_json::to_writer(&mut *data, title).map_err(std::io::Error::from)?;
    write!(
        data,
        ",\"width\":{:.1},\"height\":{:.1},\"classes\":",
        layout.width, layout.height
    )?;
    serde_json::to_writer(&mut *data, &classes).map_err(std::io::Error::from)?;
    // Every name a node answers to (id, label, aliases), folded as kg folds them, for search.
    let projection = graph.projection();
    let mut names: Vec<Vec<&str>> = vec![Vec::new(); graph.nodes().len()];
    for name in projection.names() {
        if let Some(position) = graph.position(name.node) {
            names[position].push(name.folded);
        }
    }
    write!(data, ",\n\"nodes\":[")?;
    for (position, names) in names.iter().enumerate() {
        let node = graph.node(position);
        let attributes: Vec<(&str, &crate::export::property_graph::Value)> = node
            .attributes
            .iter()
            .map(|(k, v)| (graph.keys()[*k].name.as_str(), v))
            .collect();
        let (centre, size) = (layout.centres[position], layout.sizes[position]);
        let value = json!({
            "id": node.id,
            "iri": node.iri,
            "label": node.label,
            "lines": layout.lines[position],
            "names": names,
            "x": round(centre.x),
            "y": round(centre.y),
            "w": round(size.x),
            "h": round(size.y),
            "class": rank(node.class),
            "classes": node.classes,
            "description": node.description,
            "attributes": attributes,
        });
        data.write_all(if position == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *data, &value).map_err(std::io::Error::from)?;
    }
    write!(data, "],\n\"edges\":[")?;
    let shapes = EdgeShapes::new(graph, layout);
    for position in 0..graph.edges().len() {
        let edge = graph.edge(position);
        let shape = shapes.shape(position);
        let ends = projection.edge(edge.index);
        let qualifiers: Vec<(&str, &crate::export::property_graph::Value)> = edge
            .qualifiers
            .iter()
            .map(|(k, v)| (graph.edge_keys()[*k].name.as_str(), v))
            .collect();
        let value = json!({
            "s": graph.position(ends.source()),
            "t": graph.position(ends.target()),
            "label": edge.label,
            "predicate": edge.predicate,
            "path": shape.path,
            "lx": round(shape.label.x),
            "ly": round(shape.label.y),
            "evidence": edge.items,
            "qualifiers": qualifiers,
        });
        data.write_all(if position == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *data, &value).map_err(std::io::Error::from)?;
    }
    write!(data, "]}}")?;
    Ok(())
}

/// A coordinate to a tenth of a pixel.
fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
