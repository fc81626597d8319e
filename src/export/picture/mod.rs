//! Pictures of the graph: an SVG drawing with a legend, and one self-contained HTML page to
//! explore (pan, zoom, search, click for evidence), both drawn at the positions
//! [`crate::export::layout`] computes.

pub mod html;
pub mod svg;
