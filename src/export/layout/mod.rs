//! Where the pictures put each node: a deterministic stress layout, then a pass that removes
//! every overlap between node boxes.
//!
//! Each node is a box sized to its label (wrapped on up to three lines). The graph is cut into
//! connected components, each laid out on its own. A component starts from **pivot MDS**
//! (Brandes and Pich, 2006: classical scaling of the hop distances to 50 pivots chosen by
//! max-min distance, so there is no random start), then **stress majorisation** (Gansner,
//! Koren and North, 2004) moves each node to where its target distances want it:
//!
//! - up to [`STRESS_LIMIT`] nodes, over all pairs: time O(n·(n + m)) for the distances plus
//!   O(I·n²) for I rounds (at most 300), memory O(n²);
//! - above it, **sparse stress** (after Ortmann, Klimenta and Brandes, 2016): exact terms for
//!   neighbours and one term per pivot, weighted by the nodes it stands for. Time
//!   O(k·(n + m)) for the pivots' distances plus O(I·(m + k·n)), memory O(k·n), k = 50.
//!
//! Then overlaps are removed: a layout denser than its boxes allow is spread first; rounds push
//! each overlapping pair apart along the axis where they overlap least (found by a sweep over
//! boxes sorted by their left edge, O(n log n + p) per round for p close pairs); if some remain,
//! a uniform scaling of at most 2 separates them, or else every box takes the nearest free cell
//! of a grid sized for the largest box. Either way no two boxes overlap. Components are then
//! packed on shelves, tallest first.
//!
//! Everything is deterministic: the same graph gives the same coordinates, bit for bit. The
//! stress layouts live in `stress.rs`, the overlap removal in `overlap.rs`.

mod geometry;
mod overlap;
mod stress;

use std::collections::VecDeque;

use self::geometry::count;
pub use self::geometry::{GAP, Point};
use self::overlap::{overlapping_pairs, remove_overlaps};
use self::stress::{sparse_stress, stress};
use super::property_graph::PropertyGraph;

/// Components up to this many nodes get full stress majorisation; larger ones sparse stress.
pub const STRESS_LIMIT: usize = 1000;

/// Label font size, in pixels.
pub const FONT_SIZE: f64 = 12.0;
/// Height of one label line.
pub const LINE_HEIGHT: f64 = 15.0;
/// Estimated advance of one character (generous for Helvetica / Arial at [`FONT_SIZE`]).
pub const CHAR_WIDTH: f64 = 7.0;
/// Inner padding of a node box, horizontal and vertical.
pub const PADDING: (f64, f64) = (9.0, 6.0);
/// Free space around the drawing.
pub const MARGIN: f64 = 24.0;
/// Characters per label line before wrapping.
const LINE_CHARS: usize = 24;
/// Label lines at most (the rest is cut with an ellipsis).
const MAX_LINES: usize = 3;
/// Space between packed components.
const COMPONENT_GAP: f64 = 48.0;

/// Node boxes and where they go.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Centre of each node's box, by position in [`PropertyGraph::nodes`].
    pub centres: Vec<Point>,
    /// Size of each box (`x` width, `y` height).
    pub sizes: Vec<Point>,
    /// Each node's label, wrapped.
    pub lines: Vec<Vec<String>>,
    /// Width of the drawing, margins included.
    pub width: f64,
    /// Height of the drawing, margins included.
    pub height: f64,
}

impl Layout {
    /// Lays out a property graph: boxes from its labels, edges from its facts.
    pub fn of(graph: &PropertyGraph<'_>) -> Self {
        let projection = graph.projection();
        let labels: Vec<&str> = graph
            .nodes()
            .iter()
            .map(|&n| projection.node(n).label())
            .collect();
        let edges: Vec<(usize, usize)> = graph
            .edges()
            .iter()
            .filter_map(|&e| {
                let edge = projection.edge(e);
                Some((
                    graph.position(edge.source())?,
                    graph.position(edge.target())?,
                ))
            })
            .collect();
        Self::new(&labels, &edges)
    }

    /// Lays out nodes with these labels and these edges (pairs of indexes into `labels`).
    pub fn new(labels: &[&str], edges: &[(usize, usize)]) -> Self {
        let lines: Vec<Vec<String>> = labels.iter().map(|l| wrap(l)).collect();
        let sizes: Vec<Point> = lines.iter().map(|l| box_size(l)).collect();
        let mut centres = place(&sizes, edges);
        let (mut min, mut max) = (
            Point {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            Point {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        );
        for (c, s) in centres.iter().zip(&sizes) {
            min.x = min.x.min(c.x - s.x / 2.0);
            min.y = min.y.min(c.y - s.y / 2.0);
            max.x = max.x.max(c.x + s.x / 2.0);
            max.y = max.y.max(c.y + s.y / 2.0);
        }
        if centres.is_empty() {
            min = Point::default();
            max = Point::default();
        }
        for c in &mut centres {
            c.x = c.x - min.x + MARGIN;
            c.y = c.y - min.y + MARGIN;
        }
        Self {
            centres,
            sizes,
            lines,
            width: max.x - min.x + 2.0 * MARGIN,
            height: max.y - min.y + 2.0 * MARGIN,
        }
    }

    /// The pairs of node boxes that overlap (touching is not overlapping). Empty for every
    /// layout this module makes; tests check it.
    pub fn overlaps(&self) -> Vec<(usize, usize)> {
        overlapping_pairs(&self.centres, &self.sizes, 0.0)
    }
}

/// Wraps a label on words into at most three lines of about 24 characters; a longer label is
/// cut with an ellipsis.
pub fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut cut = false;
    for word in label.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while !word.is_empty() {
            let used = line.chars().count();
            let room = if used == 0 {
                LINE_CHARS
            } else {
                LINE_CHARS.saturating_sub(used + 1)
            };
            if word.len() <= room {
                if used > 0 {
                    line.push(' ');
                }
                line.extend(word.drain(..));
            } else if used == 0 {
                line.extend(word.drain(..LINE_CHARS));
                lines.push(std::mem::take(&mut line));
            } else {
                lines.push(std::mem::take(&mut line));
            }
            if lines.len() == MAX_LINES {
                cut = true;
                break;
            }
        }
        if cut {
            break;
        }
    }
    if !cut && !line.is_empty() {
        lines.push(line);
    }
    if cut && let Some(last) = lines.last_mut() {
        let mut chars: Vec<char> = last.chars().collect();
        chars.truncate(LINE_CHARS - 1);
        *last = chars.into_iter().collect::<String>() + "…";
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// Estimated width of a line of text: wide (East Asian) characters count double.
pub fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| {
            if is_wide(c) {
                2.0 * CHAR_WIDTH
            } else {
                CHAR_WIDTH
            }
        })
        .sum()
}

fn is_wide(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{115F}' | '\u{2E80}'..='\u{A4CF}' | '\u{AC00}'..='\u{D7A3}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FF60}' | '\u{FFE0}'..='\u{FFE6}' | '\u{1F300}'..='\u{1FAFF}' | '\u{20000}'..)
}

fn box_size(lines: &[String]) -> Point {
    let widest = lines.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    Point {
        x: widest.max(CHAR_WIDTH * 2.0) + 2.0 * PADDING.0,
        y: count(lines.len()) * LINE_HEIGHT + 2.0 * PADDING.1,
    }
}

/// Places boxes of `sizes` for `edges`; returns their centres.
fn place(sizes: &[Point], edges: &[(usize, usize)]) -> Vec<Point> {
    let n = sizes.len();
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b && a < n && b < n {
            neighbours[a].push(b);
            neighbours[b].push(a);
        }
    }
    for list in &mut neighbours {
        list.sort_unstable();
        list.dedup();
    }
    let mut component = vec![usize::MAX; n];
    let mut components: Vec<Vec<usize>> = Vec::new();
    for start in 0..n {
        if component[start] != usize::MAX {
            continue;
        }
        let id = components.len();
        let mut members = vec![start];
        component[start] = id;
        let mut queue = VecDeque::from([start]);
        while let Some(node) = queue.pop_front() {
            for &next in &neighbours[node] {
                if component[next] == usize::MAX {
                    component[next] = id;
                    members.push(next);
                    queue.push_back(next);
                }
            }
        }
        members.sort_unstable();
        components.push(members);
    }
    let mean_width = if n == 0 {
        0.0
    } else {
        sizes.iter().map(|s| s.x).sum::<f64>() / count(n)
    };
    let unit = mean_width.max(60.0) + 40.0;
    let mut centres = vec![Point::default(); n];
    let mut pieces: Vec<Piece> = Vec::with_capacity(components.len());
    for members in components {
        let local_index: std::collections::HashMap<usize, usize> =
            members.iter().enumerate().map(|(i, &m)| (m, i)).collect();
        let local_neighbours: Vec<Vec<usize>> = members
            .iter()
            .map(|&m| neighbours[m].iter().map(|x| local_index[x]).collect())
            .collect();
        let local_sizes: Vec<Point> = members.iter().map(|&m| sizes[m]).collect();
        let mut points = if members.len() == 1 {
            vec![Point::default()]
        } else if members.len() <= STRESS_LIMIT {
            stress(&local_neighbours, unit)
        } else {
            sparse_stress(&local_neighbours, unit)
        };
        remove_overlaps(&mut points, &local_sizes);
        pieces.push(Piece::new(members, points, &local_sizes));
    }
    pack(&mut pieces);
    for piece in pieces {
        for (member, point) in piece.members.into_iter().zip(piece.points) {
            centres[member] = Point {
                x: point.x + piece.offset.x,
                y: point.y + piece.offset.y,
            };
        }
    }
    centres
}

/// A laid-out component.
struct Piece {
    members: Vec<usize>,
    points: Vec<Point>,
    min: Point,
    size: Point,
    offset: Point,
}

impl Piece {
    fn new(members: Vec<usize>, points: Vec<Point>, sizes: &[Point]) -> Self {
        let mut min = Point {
            x: f64::INFINITY,
            y: f64::INFINITY,
        };
        let mut max = Point {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        };
        for (p, s) in points.iter().zip(sizes) {
            min.x = min.x.min(p.x - s.x / 2.0);
            min.y = min.y.min(p.y - s.y / 2.0);
            max.x = max.x.max(p.x + s.x / 2.0);
            max.y = max.y.max(p.y + s.y / 2.0);
        }
        Self {
            members,
            points,
            min,
            size: Point {
                x: max.x - min.x,
                y: max.y - min.y,
            },
            offset: Point::default(),
        }
    }
}

/// Shelf packing: tallest components first, left to right in rows about as wide as the
/// drawing is tall.
fn pack(pieces: &mut [Piece]) {
    let area: f64 = pieces
        .iter()
        .map(|p| (p.size.x + COMPONENT_GAP) * (p.size.y + COMPONENT_GAP))
        .sum();
    let widest = pieces.iter().map(|p| p.size.x).fold(0.0, f64::max);
    let row_width = widest.max(area.sqrt() * 1.3);
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by(|&a, &b| {
        pieces[b]
            .size
            .y
            .total_cmp(&pieces[a].size.y)
            .then(pieces[b].members.len().cmp(&pieces[a].members.len()))
            .then(pieces[a].members[0].cmp(&pieces[b].members[0]))
    });
    let (mut x, mut y, mut shelf) = (0.0, 0.0, 0.0_f64);
    for i in order {
        let piece = &mut pieces[i];
        if x > 0.0 && x + piece.size.x > row_width {
            x = 0.0;
            y += shelf + COMPONENT_GAP;
            shelf = 0.0;
        }
        piece.offset = Point {
            x: x - piece.min.x,
            y: y - piece.min.y,
        };
        x += piece.size.x + COMPONENT_GAP;
        shelf = shelf.max(piece.size.y);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_wrap_on_words_and_are_cut_after_three_lines() {
        assert_eq!(wrap("Steve Witkoff"), ["Steve Witkoff"]);
        assert_eq!(
            wrap("Russia's demand that Ukraine withdraw from Donbas"),
            ["Russia's demand that", "Ukraine withdraw from", "Donbas"]
        );
        let long = wrap(&"word ".repeat(40));
        assert_eq!(long.len(), MAX_LINES);
        assert!(long[2].ends_with('…'));
        let unbroken = wrap(&"x".repeat(30));
        assert_eq!(unbroken, ["x".repeat(24), "x".repeat(6)]);
        assert_eq!(wrap(""), [""]);
        assert_eq!(wrap("a\nb"), ["a b"]);
    }

    #[test]
    fn no_boxes_overlap_on_a_star_a_clique_and_loose_nodes() {
        let labels: Vec<String> = (0..40)
            .map(|i| format!("node number {i} with a long label"))
            .collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let mut edges: Vec<(usize, usize)> = (1..20).map(|i| (0, i)).collect();
        for a in 20..30 {
            for b in a + 1..30 {
                edges.push((a, b));
            }
        }
        let layout = Layout::new(&labels, &edges);
        assert_eq!(layout.overlaps(), Vec::<(usize, usize)>::new());
        assert!(
            layout
                .centres
                .iter()
                .all(|c| c.x.is_finite() && c.y.is_finite())
        );
        for (c, s) in layout.centres.iter().zip(&layout.sizes) {
            assert!(
                c.x - s.x / 2.0 >= MARGIN - 1e-6 && c.x + s.x / 2.0 <= layout.width - MARGIN + 1e-6
            );
            assert!(
                c.y - s.y / 2.0 >= MARGIN - 1e-6
                    && c.y + s.y / 2.0 <= layout.height - MARGIN + 1e-6
            );
        }
    }

    #[test]
    fn a_large_component_gets_sparse_stress_without_overlaps() {
        let n = STRESS_LIMIT + 200;
        let labels: Vec<String> = (0..n).map(|i| format!("n{i}")).collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let edges: Vec<(usize, usize)> = (1..n).map(|i| (i, (i * 7919) % i)).collect();
        let layout = Layout::new(&labels, &edges);
        assert!(layout.overlaps().is_empty());
    }

    #[test]
    fn layouts_are_deterministic() {
        let labels = ["a", "b", "c", "d"];
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3)];
        assert_eq!(Layout::new(&labels, &edges), Layout::new(&labels, &edges));
        assert_eq!(Layout::new(&[], &[]).centres.len(), 0);
    }
}
