//! Overlap removal for the layout: after it, no two node boxes overlap and each pair
//! keeps [`GAP`] between them.

use super::geometry::{GAP, Point, count};

/// Pairs of boxes closer than `gap` on both axes, by a sweep over left edges.
pub(crate) fn overlapping_pairs(
    centres: &[Point],
    sizes: &[Point],
    gap: f64,
) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..centres.len()).collect();
    let left = |i: usize| centres[i].x - sizes[i].x / 2.0;
    order.sort_by(|&a, &b| left(a).total_cmp(&left(b)).then(a.cmp(&b)));
    let mut pairs = Vec::new();
    for (rank, &i) in order.iter().enumerate() {
        let right = centres[i].x + sizes[i].x / 2.0 + gap;
        for &j in &order[rank + 1..] {
            if left(j) >= right {
                break;
            }
            let dy = (centres[i].y - centres[j].y).abs();
            if dy < f64::midpoint(sizes[i].y, sizes[j].y) + gap {
                pairs.push((i.min(j), i.max(j)));
            }
        }
    }
    pairs.sort_unstable();
    pairs
}

/// Removes every overlap between boxes (keeping [`GAP`] between them).
///
/// A layout denser than its boxes allow is first spread to about twice their total area.
/// Rounds of pushing then separate the overlapping pairs; if some remain, the layout is scaled
/// up uniformly when a factor of at most [`MAX_SCALE`] separates them all, else each box gets a
/// cell of a grid near its place ([`snap_to_grid`]). Either way no two boxes overlap.
pub(crate) fn remove_overlaps(points: &mut [Point], sizes: &[Point]) {
    if points.len() < 2 {
        return;
    }
    spread(points, sizes);
    for _ in 0..PUSH_ROUNDS {
        let pairs = overlapping_pairs(points, sizes, GAP);
        if pairs.is_empty() {
            return;
        }
        push_apart(points, sizes, &pairs);
    }
    // Scaling the layout by s multiplies every centre distance by s but leaves boxes as they
    // are, so the least s that separates each pair on one axis separates them all.
    let mut scale: f64 = 1.0;
    for (i, j) in overlapping_pairs(points, sizes, GAP) {
        let (dx, dy) = (
            (points[j].x - points[i].x).abs(),
            (points[j].y - points[i].y).abs(),
        );
        let need_x = if dx > 0.0 {
            (f64::midpoint(sizes[i].x, sizes[j].x) + GAP) / dx
        } else {
            f64::INFINITY
        };
        let need_y = if dy > 0.0 {
            (f64::midpoint(sizes[i].y, sizes[j].y) + GAP) / dy
        } else {
            f64::INFINITY
        };
        scale = scale.max(need_x.min(need_y));
    }
    if scale <= 1.0 {
        return;
    }
    if scale <= MAX_SCALE {
        let scale = scale * 1.001;
        for p in points.iter_mut() {
            p.x *= scale;
            p.y *= scale;
        }
    } else {
        snap_to_grid(points, sizes);
    }
}

/// Rounds of pushing before the fallbacks.
const PUSH_ROUNDS: usize = 150;
/// The largest uniform scaling the overlap removal accepts; beyond it, the grid.
const MAX_SCALE: f64 = 2.0;

/// Spreads a layout denser than its boxes allow to about twice their total area (around its
/// centroid), and moves apart boxes at the very same point.
fn spread(points: &mut [Point], sizes: &[Point]) {
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.sort_by(|&a, &b| {
        points[a]
            .x
            .total_cmp(&points[b].x)
            .then(points[a].y.total_cmp(&points[b].y))
            .then(a.cmp(&b))
    });
    for pair in order.windows(2) {
        if points[pair[0]] == points[pair[1]] {
            points[pair[1]].y += 0.5;
            points[pair[1]].x += 0.25;
        }
    }
    let needed: f64 = sizes.iter().map(|s| (s.x + GAP) * (s.y + GAP)).sum::<f64>() * 2.0;
    let (min, max) = bounds(points);
    let area = (max.x - min.x).max(1.0) * (max.y - min.y).max(1.0);
    if area < needed {
        let scale = (needed / area).sqrt();
        let centre = Point {
            x: f64::midpoint(min.x, max.x),
            y: f64::midpoint(min.y, max.y),
        };
        for p in points.iter_mut() {
            p.x = centre.x + (p.x - centre.x) * scale;
            p.y = centre.y + (p.y - centre.y) * scale;
        }
    }
}

fn bounds(points: &[Point]) -> (Point, Point) {
    points.iter().fold(
        (
            Point {
                x: f64::INFINITY,
                y: f64::INFINITY,
            },
            Point {
                x: f64::NEG_INFINITY,
                y: f64::NEG_INFINITY,
            },
        ),
        |(min, max), p| {
            (
                Point {
                    x: min.x.min(p.x),
                    y: min.y.min(p.y),
                },
                Point {
                    x: max.x.max(p.x),
                    y: max.y.max(p.y),
                },
            )
        },
    )
}

/// One round: each overlapping pair moves apart by half its overlap each, along the axis where
/// it overlaps least.
fn push_apart(points: &mut [Point], sizes: &[Point], pairs: &[(usize, usize)]) {
    let mut shift = vec![Point::default(); points.len()];
    for &(i, j) in pairs {
        let (dx, dy) = (points[j].x - points[i].x, points[j].y - points[i].y);
        let over_x = f64::midpoint(sizes[i].x, sizes[j].x) + GAP - dx.abs();
        let over_y = f64::midpoint(sizes[i].y, sizes[j].y) + GAP - dy.abs();
        if over_x <= 0.0 || over_y <= 0.0 {
            continue;
        }
        if over_y <= over_x {
            let push = (over_y / 2.0 + 0.01) * if dy >= 0.0 { 1.0 } else { -1.0 };
            shift[i].y -= push;
            shift[j].y += push;
        } else {
            let push = (over_x / 2.0 + 0.01) * if dx >= 0.0 { 1.0 } else { -1.0 };
            shift[i].x -= push;
            shift[j].x += push;
        }
    }
    for (p, s) in points.iter_mut().zip(&shift) {
        p.x += s.x;
        p.y += s.y;
    }
}

/// Gives each box a cell of a grid whose cells hold the largest box with [`GAP`] to spare, so
/// no two boxes can overlap: the layout is scaled to about two cells per box, then boxes from
/// the centre outwards take the free cell nearest their place (searching rings of cells).
/// Time O(n log n + n·r²) for rings of radius r, small when places are spread.
#[allow(clippy::cast_possible_truncation)]
fn snap_to_grid(points: &mut [Point], sizes: &[Point]) {
    let cell = sizes.iter().fold(Point::default(), |c, s| Point {
        x: c.x.max(s.x + GAP),
        y: c.y.max(s.y + GAP),
    });
    let (min, max) = bounds(points);
    let centre = Point {
        x: f64::midpoint(min.x, max.x),
        y: f64::midpoint(min.y, max.y),
    };
    let area = (max.x - min.x).max(1.0) * (max.y - min.y).max(1.0);
    let scale = (2.0 * count(points.len()) * cell.x * cell.y / area).sqrt();
    let mut order: Vec<usize> = (0..points.len()).collect();
    let distance = |p: Point| (p.x - centre.x).powi(2) + (p.y - centre.y).powi(2);
    order.sort_by(|&a, &b| {
        distance(points[a])
            .total_cmp(&distance(points[b]))
            .then(a.cmp(&b))
    });
    let mut taken: std::collections::HashSet<(i64, i64)> = std::collections::HashSet::new();
    for i in order {
        let want = Point {
            x: (points[i].x - centre.x) * scale / cell.x,
            y: (points[i].y - centre.y) * scale / cell.y,
        };
        let home = (want.x.round() as i64, want.y.round() as i64);
        let mut best: Option<((i64, i64), f64)> = None;
        let mut radius = 0i64;
        while best.is_none() {
            for gx in home.0 - radius..=home.0 + radius {
                for gy in home.1 - radius..=home.1 + radius {
                    if (gx - home.0).abs().max((gy - home.1).abs()) != radius
                        || taken.contains(&(gx, gy))
                    {
                        continue;
                    }
                    let d = (count_i(gx) - want.x).powi(2) + (count_i(gy) - want.y).powi(2);
                    if best.is_none_or(|(_, b)| d < b) {
                        best = Some(((gx, gy), d));
                    }
                }
            }
            radius += 1;
        }
        if let Some((spot, _)) = best {
            taken.insert(spot);
            points[i] = Point {
                x: count_i(spot.0) * cell.x,
                y: count_i(spot.1) * cell.y,
            };
        }
    }
}

#[allow(clippy::cast_precision_loss)]
fn count_i(n: i64) -> f64 {
    n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_layouts_fall_back_to_the_grid_without_overlaps() {
        let sizes: Vec<Point> = (0..300)
            .map(|i| Point {
                x: 60.0 + count(i % 7) * 20.0,
                y: 21.0 + count(i % 3) * 15.0,
            })
            .collect();
        let mut points = vec![Point::default(); 300];
        remove_overlaps(&mut points, &sizes);
        assert!(overlapping_pairs(&points, &sizes, 0.0).is_empty());
        let mut points: Vec<Point> = (0..300)
            .map(|i| Point {
                x: count(i % 10),
                y: count(i / 10),
            })
            .collect();
        snap_to_grid(&mut points, &sizes);
        assert!(overlapping_pairs(&points, &sizes, 0.0).is_empty());
        let labels: Vec<String> = (0..60)
            .map(|i| format!("a rather long label number {i}"))
            .collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let clique: Vec<(usize, usize)> = (0..60)
            .flat_map(|a| (a + 1..60).map(move |b| (a, b)))
            .collect();
        assert!(
            super::super::Layout::new(&labels, &clique)
                .overlaps()
                .is_empty()
        );
    }
}
