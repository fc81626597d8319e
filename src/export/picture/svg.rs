//! The SVG picture: node boxes placed by [`crate::export::layout`], filled by class (with a legend),
//! labels wrapped inside them, facts as arrows with their relation's label. Parallel facts
//! between two entities bend apart; a fact from an entity to itself loops above it.
//!
//! The file is well-formed XML 1.0 (text escaped by [`crate::export::escape`]); each node group carries
//! `data-id`, `data-label` and a `<title>` (its full label and class, shown on hover).

use std::collections::HashMap;
use std::io::Write;

use crate::export::ExportError;
use crate::export::layout::{FONT_SIZE, LINE_HEIGHT, Layout, MARGIN, PADDING, Point, text_width};
use crate::export::property_graph::PropertyGraph;
use crate::export::property_graph::xml::XmlWriter;

/// How far apart parallel facts bend, in pixels.
const BEND: f64 = 28.0;
/// Height of a loop above its node.
const LOOP: f64 = 34.0;
/// Edge label font size.
pub const EDGE_FONT_SIZE: f64 = 10.0;

/// The drawn shape of a fact.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeShape {
    /// The SVG path (`d` attribute), from the subject's box edge to the object's.
    pub path: String,
    /// Where the relation's label goes.
    pub label: Point,
}

/// Computes the shape of each fact of a laid-out graph.
#[derive(Debug)]
pub struct EdgeShapes<'l> {
    layout: &'l Layout,
    ends: Vec<(usize, usize)>,
    rank: Vec<(usize, usize)>,
}

impl<'l> EdgeShapes<'l> {
    /// Finds the parallel facts (same two entities, either direction) and each one's rank
    /// among them.
    pub fn new(graph: &PropertyGraph<'_>, layout: &'l Layout) -> Self {
        let projection = graph.projection();
        let ends: Vec<(usize, usize)> = graph
            .edges()
            .iter()
            .map(|&e| {
                let edge = projection.edge(e);
                (
                    graph.position(edge.source()).unwrap_or(0),
                    graph.position(edge.target()).unwrap_or(0),
                )
            })
            .collect();
        let mut count: HashMap<(usize, usize), usize> = HashMap::new();
        let rank = ends
            .iter()
            .map(|&(a, b)| {
                let seen = count.entry((a.min(b), a.max(b))).or_default();
                *seen += 1;
                *seen - 1
            })
            .collect::<Vec<_>>();
        let rank = rank
            .into_iter()
            .zip(&ends)
            .map(|(r, &(a, b))| (r, count[&(a.min(b), a.max(b))]))
            .collect();
        Self { layout, ends, rank }
    }

    /// The shape of the fact at `position` among the graph's edges.
    pub fn shape(&self, position: usize) -> EdgeShape {
        let (a, b) = self.ends[position];
        let (rank, of) = self.rank[position];
        let centres = &self.layout.centres;
        let sizes = &self.layout.sizes;
        if a == b {
            let (c, s) = (centres[a], sizes[a]);
            let top = c.y - s.y / 2.0;
            let height = LOOP + layout_count(rank) * 14.0;
            let half = s.x / 4.0;
            return EdgeShape {
                path: format!(
                    "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                    c.x + half,
                    top,
                    c.x + half,
                    top - height,
                    c.x - half,
                    top - height,
                    c.x - half,
                    top
                ),
                label: Point {
                    x: c.x,
                    y: top - height * 0.75 - 3.0,
                },
            };
        }
        let (from, to) = (centres[a], centres[b]);
        // Offsets are measured in the frame of the pair's lower index, so a→b and b→a bend to
        // opposite sides.
        let (low, high) = if a < b { (from, to) } else { (to, from) };
        let (dx, dy) = (high.x - low.x, high.y - low.y);
        let length = (dx * dx + dy * dy).sqrt().max(1e-9);
        let normal = Point {
            x: -dy / length,
            y: dx / length,
        };
        let offset = (layout_count(rank) - (layout_count(of) - 1.0) / 2.0) * BEND;
        let middle = Point {
            x: f64::midpoint(from.x, to.x),
            y: f64::midpoint(from.y, to.y),
        };
        if offset.abs() < 1e-9 {
            let start = clip(from, sizes[a], to);
            let end = clip(to, sizes[b], from);
            return EdgeShape {
                path: format!("M{:.1},{:.1} L{:.1},{:.1}", start.x, start.y, end.x, end.y),
                label: middle,
            };
        }
        // A quadratic curve's apex is half-way to its control point.
        let control = Point {
            x: middle.x + normal.x * offset * 2.0,
            y: middle.y + normal.y * offset * 2.0,
        };
        let start = clip(from, sizes[a], control);
        let end = clip(to, sizes[b], control);
        EdgeShape {
            path: format!(
                "M{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}",
                start.x, start.y, control.x, control.y, end.x, end.y
            ),
            label: Point {
                x: middle.x + normal.x * offset,
                y: middle.y + normal.y * offset,
            },
        }
    }
}

#[allow(clippy::cast_precision_loss)]
fn layout_count(n: usize) -> f64 {
    n as f64
}

/// Where the segment from a box's centre towards `toward` leaves the box.
fn clip(centre: Point, size: Point, toward: Point) -> Point {
    let (dx, dy) = (toward.x - centre.x, toward.y - centre.y);
    let tx = if dx.abs() > 1e-9 {
        size.x / 2.0 / dx.abs()
    } else {
        f64::INFINITY
    };
    let ty = if dy.abs() > 1e-9 {
        size.y / 2.0 / dy.abs()
    } else {
        f64::INFINITY
    };
    let t = tx.min(ty).min(1.0);
    if !t.is_finite() {
        return centre;
    }
    Point {
        x: centre.x + dx * t,
        y: centre.y + dy * t,
    }
}

/// The legend's items and its height, for a drawing `width` wide: (swatch position, class
/// index, text) by row.
pub fn legend_items(graph: &PropertyGraph<'_>, width: f64) -> (Vec<(Point, u32, String)>, f64) {
    let mut items = Vec::new();
    let (mut x, mut y) = (0.0, 0.0);
    let row = 20.0;
    let limit = width.max(480.0) - 2.0 * MARGIN;
    for &(class, count) in graph.legend() {
        let text = format!("{} ({count})", graph.class_label(Some(class)));
        let item_width = 18.0 + text_width(&text) + 18.0;
        if x > 0.0 && x + item_width > limit {
            x = 0.0;
            y += row;
        }
        items.push((Point { x, y }, class, text));
        x += item_width;
    }
    let height = if items.is_empty() { 0.0 } else { y + row + 8.0 };
    (items, height)
}

/// Writes the picture.
///
/// # Errors
/// I/O errors.
pub fn write(
    graph: &PropertyGraph<'_>,
    layout: &Layout,
    title: &str,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    let (legend, legend_height) = legend_items(graph, layout.width);
    let width = layout
        .width
        .max(if legend.is_empty() { 0.0 } else { 480.0 });
    let height = layout.height + legend_height;
    let mut xml = XmlWriter::new(out)?;
    xml.start(
        "svg",
        &[
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("width", &number(width)),
            ("height", &number(height)),
            (
                "viewBox",
                &format!("0 0 {} {}", number(width), number(height)),
            ),
            ("font-family", "Helvetica, Arial, sans-serif"),
            ("font-size", &number(FONT_SIZE)),
        ],
    )?;
    xml.text_element("title", &[], title)?;
    xml.start("defs", &[])?;
    xml.start(
        "marker",
        &[
            ("id", "arrow"),
            ("viewBox", "0 0 10 10"),
            ("refX", "10"),
            ("refY", "5"),
            ("markerWidth", "7"),
            ("markerHeight", "7"),
            ("orient", "auto"),
        ],
    )?;
    xml.empty("path", &[("d", "M0,0 L10,5 L0,10 z"), ("fill", "#8a8a8a")])?;
    xml.end("marker")?;
    xml.end("defs")?;
    xml.text_element(
        "style",
        &[],
        ".edge path{fill:none;stroke:#9a9a9a;stroke-width:1.2}\
         .edge text{font-size:10px;fill:#505050;paint-order:stroke;stroke:#ffffff;stroke-width:3px;stroke-linejoin:round}\
         .node text{fill:#1e1e1e}.legend text{font-size:11px;fill:#333333}",
    )?;
    xml.empty(
        "rect",
        &[("width", "100%"), ("height", "100%"), ("fill", "#ffffff")],
    )?;

    write_legend(&mut xml, graph, &legend)?;
    xml.start(
        "g",
        &[
            ("class", "graph"),
            (
                "transform",
                &format!("translate(0,{})", number(legend_height)),
            ),
        ],
    )?;
    write_edges(&mut xml, graph, layout)?;
    write_nodes(&mut xml, graph, layout)?;
    xml.end("g")?;
    xml.end("svg")?;
    xml.finish()?;
    Ok(())
}

fn number(x: f64) -> String {
    format!("{x:.1}")
}

/// The legend: a swatch and a label per class.
fn write_legend(
    xml: &mut XmlWriter<'_>,
    graph: &PropertyGraph<'_>,
    legend: &[(Point, u32, String)],
) -> Result<(), ExportError> {
    xml.start(
        "g",
        &[
            ("class", "legend"),
            (
                "transform",
                &format!("translate({MARGIN},{})", number(MARGIN / 2.0)),
            ),
        ],
    )?;
    for (at, class, text) in legend {
        let colour = graph.colour(Some(*class));
        xml.empty(
            "rect",
            &[
                ("x", &number(at.x)),
                ("y", &number(at.y)),
                ("width", "12"),
                ("height", "12"),
                ("rx", "3"),
                ("fill", &colour.fill_hex()),
                ("stroke", &colour.stroke_hex()),
            ],
        )?;
        xml.text_element(
            "text",
            &[("x", &number(at.x + 17.0)), ("y", &number(at.y + 10.5))],
            text,
        )?;
    }
    xml.end("g")?;

    Ok(())
}

/// Every fact: a path with an arrow head, its relation's label, a tooltip.
fn write_edges(
    xml: &mut XmlWriter<'_>,
    graph: &PropertyGraph<'_>,
    layout: &Layout,
) -> Result<(), ExportError> {
    xml.start("g", &[("class", "edges")])?;
    let shapes = EdgeShapes::new(graph, layout);
    let projection = graph.projection();
    for position in 0..graph.edges().len() {
        let edge = graph.edge(position);
        let shape = shapes.shape(position);
        let from = &projection
            .node(projection.edge(edge.index).source())
            .label();
        let to = &projection
            .node(projection.edge(edge.index).target())
            .label();
        xml.start("g", &[("class", "edge"), ("data-id", &edge.id)])?;
        xml.text_element("title", &[], &format!("{from} — {} → {to}", edge.label))?;
        xml.empty("path", &[("d", &shape.path), ("marker-end", "url(#arrow)")])?;
        xml.text_element(
            "text",
            &[
                ("x", &number(shape.label.x)),
                ("y", &number(shape.label.y + EDGE_FONT_SIZE / 3.0)),
                ("text-anchor", "middle"),
            ],
            edge.label,
        )?;
        xml.end("g")?;
    }
    xml.end("g")?;

    Ok(())
}

/// Every entity: a box filled by class with its wrapped label, a tooltip.
fn write_nodes(
    xml: &mut XmlWriter<'_>,
    graph: &PropertyGraph<'_>,
    layout: &Layout,
) -> Result<(), ExportError> {
    let projection = graph.projection();
    xml.start("g", &[("class", "nodes")])?;
    for position in 0..graph.nodes().len() {
        let index = graph.nodes()[position];
        let node = projection.node(index);
        let class = graph.main_class(position);
        let colour = graph.colour(class);
        let (centre, size) = (layout.centres[position], layout.sizes[position]);
        let (left, top) = (centre.x - size.x / 2.0, centre.y - size.y / 2.0);
        xml.start(
            "g",
            &[
                ("class", "node"),
                ("data-id", graph.id(position)),
                ("data-label", node.label()),
            ],
        )?;
        let class_label = graph.class_label(class);
        let tooltip = if class_label.is_empty() {
            node.label().to_owned()
        } else {
            format!("{} ({class_label})", node.label())
        };
        xml.text_element("title", &[], &tooltip)?;
        xml.empty(
            "rect",
            &[
                ("x", &number(left)),
                ("y", &number(top)),
                ("width", &number(size.x)),
                ("height", &number(size.y)),
                ("rx", "6"),
                ("fill", &colour.fill_hex()),
                ("stroke", &colour.stroke_hex()),
                ("stroke-width", "1.2"),
            ],
        )?;
        for (i, line) in layout.lines[position].iter().enumerate() {
            let baseline = top + PADDING.1 + layout_count(i) * LINE_HEIGHT + FONT_SIZE * 0.95;
            xml.text_element(
                "text",
                &[
                    ("x", &number(centre.x)),
                    ("y", &number(baseline)),
                    ("text-anchor", "middle"),
                ],
                line,
            )?;
        }
        xml.end("g")?;
    }
    xml.end("g")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_stops_at_the_box_edge() {
        let centre = Point { x: 0.0, y: 0.0 };
        let size = Point { x: 100.0, y: 20.0 };
        assert_eq!(
            clip(centre, size, Point { x: 200.0, y: 0.0 }),
            Point { x: 50.0, y: 0.0 }
        );
        assert_eq!(
            clip(centre, size, Point { x: 0.0, y: -100.0 }),
            Point { x: 0.0, y: -10.0 }
        );
        assert_eq!(clip(centre, size, centre), centre);
    }
}
