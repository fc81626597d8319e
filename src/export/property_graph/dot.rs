//! [Graphviz DOT](https://graphviz.org/doc/info/lang.html): a `digraph` whose nodes are the
//! entities (filled with their class colour) and whose edges are the facts, every attribute of
//! [`super`] written as a DOT attribute. Graphviz lays it out (`dot -Tsvg`).
//!
//! Strings are double-quoted with `"` and `\` escaped ([`crate::export::escape::dot_string`]). A literal
//! attribute whose key is also a Graphviz attribute (`color`, `shape`, ...) is written as
//! `kg:<key>` so it cannot change the drawing.

use std::io::Write;

use super::PropertyGraph;
use crate::export::ExportError;
use crate::export::escape::dot_string;

/// Graphviz's own attribute names (graphviz.org/doc/info/attrs.html).
const GRAPHVIZ_ATTRIBUTES: &[&str] = &[
    "_background",
    "area",
    "arrowhead",
    "arrowsize",
    "arrowtail",
    "bb",
    "beautify",
    "bgcolor",
    "center",
    "charset",
    "class",
    "cluster",
    "clusterrank",
    "color",
    "colorscheme",
    "comment",
    "compound",
    "concentrate",
    "constraint",
    "damping",
    "decorate",
    "defaultdist",
    "dim",
    "dimen",
    "dir",
    "diredgeconstraints",
    "distortion",
    "dpi",
    "edgehref",
    "edgetarget",
    "edgetooltip",
    "edgeurl",
    "epsilon",
    "esep",
    "fillcolor",
    "fixedsize",
    "fontcolor",
    "fontname",
    "fontnames",
    "fontpath",
    "fontsize",
    "forcelabels",
    "gradientangle",
    "group",
    "head_lp",
    "headclip",
    "headhref",
    "headlabel",
    "headport",
    "headtarget",
    "headtooltip",
    "headurl",
    "height",
    "href",
    "id",
    "image",
    "imagepath",
    "imagepos",
    "imagescale",
    "inputscale",
    "k",
    "label",
    "label_scheme",
    "labelangle",
    "labeldistance",
    "labelfloat",
    "labelfontcolor",
    "labelfontname",
    "labelfontsize",
    "labelhref",
    "labeljust",
    "labelloc",
    "labeltarget",
    "labeltooltip",
    "labelurl",
    "landscape",
    "layer",
    "layerlistsep",
    "layers",
    "layerselect",
    "layersep",
    "layout",
    "len",
    "levels",
    "levelsgap",
    "lhead",
    "lheight",
    "linelength",
    "lp",
    "ltail",
    "lwidth",
    "margin",
    "maxiter",
    "mclimit",
    "mindist",
    "minlen",
    "mode",
    "model",
    "newrank",
    "nodesep",
    "nojustify",
    "normalize",
    "notranslate",
    "nslimit",
    "nslimit1",
    "oneblock",
    "ordering",
    "orientation",
    "outputorder",
    "overlap",
    "overlap_scaling",
    "overlap_shrink",
    "pack",
    "packmode",
    "pad",
    "page",
    "pagedir",
    "pencolor",
    "penwidth",
    "peripheries",
    "pin",
    "pos",
    "quadtree",
    "quantum",
    "radius",
    "rank",
    "rankdir",
    "ranksep",
    "ratio",
    "rects",
    "regular",
    "remincross",
    "repulsiveforce",
    "resolution",
    "root",
    "rotate",
    "rotation",
    "samehead",
    "sametail",
    "samplepoints",
    "scale",
    "searchsize",
    "sep",
    "shape",
    "shapefile",
    "showboxes",
    "sides",
    "size",
    "skew",
    "smoothing",
    "sortv",
    "splines",
    "start",
    "style",
    "stylesheet",
    "tail_lp",
    "tailclip",
    "tailhref",
    "taillabel",
    "tailport",
    "tailtarget",
    "tailtooltip",
    "tailurl",
    "target",
    "tbbalance",
    "tooltip",
    "truecolor",
    "url",
    "vertices",
    "viewport",
    "voro_margin",
    "weight",
    "width",
    "xdotversion",
    "xlabel",
    "xlp",
    "z",
];

/// The DOT attribute name of a literal attribute key.
fn attribute_name(key: &str) -> String {
    if GRAPHVIZ_ATTRIBUTES.contains(&key.to_ascii_lowercase().as_str()) {
        format!("kg:{key}")
    } else {
        key.to_owned()
    }
}

/// Writes the graph as a DOT digraph.
///
/// # Errors
/// I/O and storage errors.
pub fn write(
    graph: &PropertyGraph<'_>,
    title: &str,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    writeln!(out, "digraph {} {{", dot_string(title))?;
    writeln!(
        out,
        "  graph [rankdir=LR, overlap=false, splines=true, fontname=\"Helvetica\"];"
    )?;
    writeln!(
        out,
        "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=11];"
    )?;
    writeln!(
        out,
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#777777\", fontcolor=\"#555555\"];"
    )?;
    let names: Vec<String> = graph
        .keys()
        .iter()
        .map(|k| dot_string(&attribute_name(&k.name)))
        .collect();
    let edge_names: Vec<String> = graph
        .edge_keys()
        .iter()
        .map(|k| dot_string(&attribute_name(&k.name)))
        .collect();
    for position in 0..graph.nodes().len() {
        let node = graph.node(position);
        let colour = graph.colour(node.class);
        write!(
            out,
            "  {} [label={}, iri={}, class={}, classes={}, fillcolor=\"{}\", color=\"{}\"",
            dot_string(node.id),
            dot_string(node.label),
            dot_string(node.iri),
            dot_string(graph.class_label(node.class)),
            dot_string(&node.classes),
            colour.fill_hex(),
            colour.stroke_hex(),
        )?;
        if let Some(description) = &node.description {
            write!(
                out,
                ", description={}, tooltip={}",
                dot_string(description),
                dot_string(description)
            )?;
        }
        for (k, value) in &node.attributes {
            write!(out, ", {}={}", names[*k], dot_string(&value.to_string()))?;
        }
        writeln!(out, "];")?;
    }
    for position in 0..graph.edges().len() {
        let edge = graph.edge(position);
        write!(
            out,
            "  {} -> {} [label={}, predicate={}",
            dot_string(edge.source),
            dot_string(edge.target),
            dot_string(edge.label),
            dot_string(edge.predicate),
        )?;
        for (name, value) in [
            ("evidence", &edge.evidence),
            ("documents", &edge.documents),
            ("sentences", &edge.sentences),
            ("dates", &edge.dates),
        ] {
            if !value.is_empty() {
                write!(out, ", {name}={}", dot_string(value))?;
            }
        }
        for (k, value) in &edge.qualifiers {
            write!(
                out,
                ", {}={}",
                edge_names[*k],
                dot_string(&value.to_string())
            )?;
        }
        writeln!(out, "];")?;
    }
    writeln!(out, "}}")?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphviz_names_are_prefixed() {
        assert_eq!(attribute_name("Color"), "kg:Color");
        assert_eq!(attribute_name("birth date"), "birth date");
        assert!(
            GRAPHVIZ_ATTRIBUTES.windows(2).all(|w| w[0] < w[1]),
            "keep the list sorted"
        );
    }
}
