//! The IRIs the extraction reads: kg's annotation properties for text cues, and the standard
//! classes and properties an ontology aligns to (schema.org, FOAF, PROV-O), which tell the
//! extraction which classes are people, places and quotations in any domain. They are
//! [`crate::vocab`]'s.

pub use crate::vocab::{foaf, kg, prov, schema};
