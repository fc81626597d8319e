//! The terms the reasoner reads and writes. OWL and kg's own (the `kg:inferred` graph of
//! inferred triples, `kg:derivedBy` from a derivation node to its rule, `kg:premises` to its
//! premises as N-Triples lines) are [`crate::vocab`]'s; the RDF and RDFS terms the rules join
//! on are gathered here.

pub use crate::vocab::{kg, owl};

/// [RDF Schema](https://www.w3.org/TR/rdf-schema/) and RDF terms the rules join on.
pub mod rdfs {
    pub use oxigraph::model::vocab::rdf::{FIRST, NIL, REST, TYPE};
    pub use oxigraph::model::vocab::rdfs::{DOMAIN, RANGE, SUB_CLASS_OF, SUB_PROPERTY_OF};
}
