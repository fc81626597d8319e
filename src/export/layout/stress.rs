//! Stress layouts of one connected component, for the layout: pivot MDS for the start
//! (Brandes and Pich, 2006), then stress majorisation (Gansner, Koren and North, 2004) over
//! all pairs, or sparse stress (after Ortmann, Klimenta and Brandes, 2016) for large components.
//! Everything is deterministic: no random start.

use std::collections::VecDeque;

use super::geometry::{Point, count};

/// Hop distances from `source` to every node of a connected component (breadth-first).
fn hops_from(
    neighbours: &[Vec<usize>],
    source: usize,
    row: &mut [f32],
    queue: &mut VecDeque<usize>,
) {
    row.fill(f32::INFINITY);
    row[source] = 0.0;
    queue.clear();
    queue.push_back(source);
    while let Some(node) = queue.pop_front() {
        let d = row[node] + 1.0;
        for &next in &neighbours[node] {
            if row[next].is_infinite() {
                row[next] = d;
                queue.push_back(next);
            }
        }
    }
}

/// Up to `k` pivots chosen by max-min distance (the first is node 0, each next one the node
/// farthest from those chosen, ties to the lowest index), with their distance rows.
fn pivots(neighbours: &[Vec<usize>], k: usize) -> (Vec<usize>, Vec<Vec<f32>>) {
    let n = neighbours.len();
    let mut chosen = Vec::with_capacity(k);
    let mut rows: Vec<Vec<f32>> = Vec::with_capacity(k);
    let mut nearest = vec![f32::INFINITY; n];
    let mut queue = VecDeque::new();
    let mut next = 0;
    while chosen.len() < k.min(n) {
        let mut row = vec![0.0; n];
        hops_from(neighbours, next, &mut row, &mut queue);
        for (best, d) in nearest.iter_mut().zip(&row) {
            *best = best.min(*d);
        }
        chosen.push(next);
        rows.push(row);
        next = (0..n).fold(
            0,
            |best, i| if nearest[i] > nearest[best] { i } else { best },
        );
        if nearest[next] == 0.0 {
            break;
        }
    }
    (chosen, rows)
}

/// Pivot MDS (Brandes and Pich, 2006): classical multidimensional scaling of the distances to
/// the pivots, from the two leading eigenvectors of `CᵀC` (k × k, by power iteration), where C
/// is the double-centred matrix of squared distances. With every node a pivot it is classical MDS.
/// Time O(k·n + k²·n); memory O(k·n).
#[allow(clippy::many_single_char_names)] // the paper's notation: C, k, n, v
fn pivot_mds(rows: &[Vec<f32>], n: usize, unit: f64) -> Vec<Point> {
    let k = rows.len();
    // c[j][i]: centred squared distance between pivot j and node i.
    let mut c: Vec<Vec<f64>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|&d| -0.5 * (f64::from(d) * unit).powi(2))
                .collect()
        })
        .collect();
    let column_mean: Vec<f64> = c
        .iter()
        .map(|row| row.iter().sum::<f64>() / count(n))
        .collect();
    let row_mean: Vec<f64> = (0..n)
        .map(|i| c.iter().map(|row| row[i]).sum::<f64>() / count(k))
        .collect();
    let mean = column_mean.iter().sum::<f64>() / count(k);
    for (j, row) in c.iter_mut().enumerate() {
        for (i, value) in row.iter_mut().enumerate() {
            *value += mean - column_mean[j] - row_mean[i];
        }
    }
    // CᵀC, k × k.
    let mut m = vec![0.0; k * k];
    for a in 0..k {
        for b in a..k {
            let dot: f64 = c[a].iter().zip(&c[b]).map(|(x, y)| x * y).sum();
            m[a * k + b] = dot;
            m[b * k + a] = dot;
        }
    }
    let mut axes: Vec<Vec<f64>> = Vec::new();
    for axis in 0..2 {
        let mut v: Vec<f64> = (0..k)
            .map(|i| {
                let t = count(i) + 1.0;
                if axis == 0 {
                    (t * 0.618).sin() + 0.5
                } else {
                    (t * 1.414).cos() + 0.25
                }
            })
            .collect();
        for _ in 0..300 {
            let mut next: Vec<f64> = (0..k)
                .map(|i| (0..k).map(|j| m[i * k + j] * v[j]).sum())
                .collect();
            for u in &axes {
                let dot: f64 = next.iter().zip(u).map(|(a, b)| a * b).sum();
                for (x, y) in next.iter_mut().zip(u) {
                    *x -= dot * y;
                }
            }
            let norm = next.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm <= f64::EPSILON {
                break;
            }
            for x in &mut next {
                *x /= norm;
            }
            let change: f64 = next.iter().zip(&v).map(|(a, b)| (a - b).abs()).sum();
            v = next;
            if change < 1e-10 {
                break;
            }
        }
        axes.push(v);
    }
    (0..n)
        .map(|i| {
            let coordinate = |axis: &Vec<f64>| -> f64 { (0..k).map(|j| c[j][i] * axis[j]).sum() };
            Point {
                x: coordinate(&axes[0]),
                y: coordinate(&axes[1]),
            }
        })
        .collect()
}

/// Scales points so that edges are `unit` long on average, and moves apart points that fell on
/// the same spot (deterministically), so that majorisation has directions to work with.
fn normalise(points: &mut [Point], neighbours: &[Vec<usize>], unit: f64) {
    let (mut total, mut edges) = (0.0, 0usize);
    for (a, list) in neighbours.iter().enumerate() {
        for &b in list.iter().filter(|&&b| b > a) {
            total +=
                ((points[a].x - points[b].x).powi(2) + (points[a].y - points[b].y).powi(2)).sqrt();
            edges += 1;
        }
    }
    let mean = if edges == 0 {
        0.0
    } else {
        total / count(edges)
    };
    let scale = if mean > 1e-9 { unit / mean } else { 1.0 };
    for (i, p) in points.iter_mut().enumerate() {
        // A golden-angle spiral of small offsets: no two nodes share a point.
        let angle = count(i) * 2.399_963;
        let radius = unit * 0.01 * count(i).sqrt();
        p.x = p.x * scale + radius * angle.cos();
        p.y = p.y * scale + radius * angle.sin();
    }
}

/// A stress term of a node: (other node, target distance, weight).
type Term = (usize, f64, f64);

/// One round of stress majorisation (Gansner, Koren and North): each node moves to the
/// weighted average of where its terms want it. A term is (other node, target distance,
/// weight). Returns the largest move.
fn majorise(points: &mut [Point], terms: &dyn Fn(usize, &mut Vec<Term>)) -> f64 {
    let mut moved = 0.0_f64;
    let mut list = Vec::new();
    for i in 0..points.len() {
        list.clear();
        terms(i, &mut list);
        let here = points[i];
        let (mut x, mut y, mut total) = (0.0, 0.0, 0.0);
        for &(j, target, weight) in &list {
            let there = points[j];
            let (dx, dy) = (here.x - there.x, here.y - there.y);
            let length = (dx * dx + dy * dy).sqrt().max(1e-9);
            x += weight * (there.x + target * dx / length);
            y += weight * (there.y + target * dy / length);
            total += weight;
        }
        if total > 0.0 {
            let next = Point {
                x: x / total,
                y: y / total,
            };
            moved = moved.max((next.x - here.x).abs().max((next.y - here.y).abs()));
            points[i] = next;
        }
    }
    moved
}

/// Pivots for the start and for sparse stress.
const PIVOTS: usize = 50;

/// Stress majorisation of one connected component over all pairs, from pivot MDS.
pub(crate) fn stress(neighbours: &[Vec<usize>], unit: f64) -> Vec<Point> {
    let n = neighbours.len();
    let mut hops = vec![0.0_f32; n * n];
    let mut queue = VecDeque::new();
    for source in 0..n {
        hops_from(
            neighbours,
            source,
            &mut hops[source * n..(source + 1) * n],
            &mut queue,
        );
    }
    let (_, rows) = pivots(neighbours, PIVOTS);
    let mut points = pivot_mds(&rows, n, unit);
    normalise(&mut points, neighbours, unit);
    let terms = |i: usize, list: &mut Vec<Term>| {
        for j in (0..n).filter(|&j| j != i) {
            let target = f64::from(hops[i * n + j]) * unit;
            list.push((j, target, 1.0 / (target * target)));
        }
    };
    for _ in 0..300 {
        if majorise(&mut points, &terms) < unit * 1e-3 {
            break;
        }
    }
    points
}

/// Sparse stress (after Ortmann, Klimenta and Brandes, 2016) for large components: each node
/// keeps exact terms for its neighbours and one term per pivot, weighted by how many nodes
/// that pivot stands for.
pub(crate) fn sparse_stress(neighbours: &[Vec<usize>], unit: f64) -> Vec<Point> {
    let n = neighbours.len();
    let (chosen, rows) = pivots(neighbours, PIVOTS);
    let mut points = pivot_mds(&rows, n, unit);
    normalise(&mut points, neighbours, unit);
    // Each node belongs to its nearest pivot (ties to the first).
    let mut region = vec![0usize; chosen.len()];
    let nearest = |node: usize| {
        (0..chosen.len()).fold(0, |best, p| {
            if rows[p][node] < rows[best][node] {
                p
            } else {
                best
            }
        })
    };
    for node in 0..n {
        region[nearest(node)] += 1;
    }
    let terms = |i: usize, list: &mut Vec<Term>| {
        for &j in &neighbours[i] {
            list.push((j, unit, 1.0 / (unit * unit)));
        }
        for (p, &pivot) in chosen.iter().enumerate() {
            let hops = f64::from(rows[p][i]);
            if pivot != i && hops > 1.0 {
                let target = hops * unit;
                list.push((pivot, target, count(region[p]) / (target * target)));
            }
        }
    };
    for _ in 0..120 {
        if majorise(&mut points, &terms) < unit * 1e-3 {
            break;
        }
    }
    points
}
