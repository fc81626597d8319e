//! The OWL 2 and RDFS terms the reasoner reads, and kg's terms for what it writes (the
//! `kg:inferred` graph, derivations). They belong in [`crate::vocab`]; they live here until
//! that module gains them, with the same `NamedNodeRef::new_unchecked` constants.

/// [OWL 2](https://www.w3.org/TR/owl2-syntax/) terms beyond those of [`crate::vocab::owl`].
pub mod owl {
    use oxigraph::model::NamedNodeRef;

    macro_rules! terms {
        ($($name:ident = $local:literal),* $(,)?) => {
            $(
                #[doc = concat!("`owl:", $local, "`")]
                pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!(
                    "http://www.w3.org/2002/07/owl#",
                    $local
                ));
            )*
        };
    }

    terms!(
        ALL_DIFFERENT = "AllDifferent",
        ALL_VALUES_FROM = "allValuesFrom",
        ASYMMETRIC_PROPERTY = "AsymmetricProperty",
        COMPLEMENT_OF = "complementOf",
        DIFFERENT_FROM = "differentFrom",
        DISJOINT_WITH = "disjointWith",
        DISTINCT_MEMBERS = "distinctMembers",
        EQUIVALENT_CLASS = "equivalentClass",
        EQUIVALENT_PROPERTY = "equivalentProperty",
        FUNCTIONAL_PROPERTY = "FunctionalProperty",
        HAS_VALUE = "hasValue",
        INTERSECTION_OF = "intersectionOf",
        INVERSE_FUNCTIONAL_PROPERTY = "InverseFunctionalProperty",
        INVERSE_OF = "inverseOf",
        IRREFLEXIVE_PROPERTY = "IrreflexiveProperty",
        MEMBERS = "members",
        NOTHING = "Nothing",
        ON_PROPERTY = "onProperty",
        PROPERTY_CHAIN_AXIOM = "propertyChainAxiom",
        PROPERTY_DISJOINT_WITH = "propertyDisjointWith",
        SAME_AS = "sameAs",
        SOME_VALUES_FROM = "someValuesFrom",
        SYMMETRIC_PROPERTY = "SymmetricProperty",
        THING = "Thing",
        TRANSITIVE_PROPERTY = "TransitiveProperty",
        UNION_OF = "unionOf",
    );
}

/// [RDF Schema](https://www.w3.org/TR/rdf-schema/) and RDF terms the rules join on.
pub mod rdfs {
    pub use oxigraph::model::vocab::rdf::{FIRST, NIL, REST, TYPE};
    pub use oxigraph::model::vocab::rdfs::{DOMAIN, RANGE, SUB_CLASS_OF, SUB_PROPERTY_OF};
}

/// kg's terms for inferred data (`ontology/kg.ttl` should declare them).
pub mod kg {
    use oxigraph::model::NamedNodeRef;

    /// The namespace of kg's vocabulary; rule IRIs are this followed by the rule's name
    /// (`kg:prp-trp`).
    pub const NAMESPACE: &str = crate::vocab::kg::NAMESPACE;

    /// `kg:inferred`, the named graph of inferred triples and their derivations.
    pub const INFERRED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#inferred");

    /// `kg:derivedBy`: from a derivation node to the rule that derived its triple.
    pub const DERIVED_BY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#derivedBy");

    /// `kg:premises`: from a derivation node to its premise triples, as an N-Triples literal
    /// (one triple per line).
    pub const PREMISES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#premises");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_in_their_namespaces() {
        assert_eq!(
            owl::SAME_AS.as_str(),
            crate::vocab::owl::SAME_AS.as_str(),
            "the local copy agrees with crate::vocab"
        );
        for term in [kg::INFERRED, kg::DERIVED_BY, kg::PREMISES] {
            assert!(term.as_str().starts_with(crate::vocab::kg::NAMESPACE));
        }
    }
}
