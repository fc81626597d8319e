//! What the layout's parts share: points and sizes, the gap between boxes, counts as floats.

/// Least free space between two node boxes.
pub const GAP: f64 = 14.0;

/// A point or a size.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Horizontal, growing rightwards.
    pub x: f64,
    /// Vertical, growing downwards.
    pub y: f64,
}

/// A count as a coordinate factor.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn count(n: usize) -> f64 {
    n as f64
}
