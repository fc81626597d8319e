//! The IRIs the extraction reads: kg's annotation properties for text cues, and the standard
//! classes and properties an ontology aligns to (schema.org, FOAF, PROV-O), which tell the
//! extraction which classes are people, places and quotations in any domain.
//!
//! (These belong with the others in [`crate::vocab`]; they live here until that module takes
//! them.)

use oxigraph::model::NamedNodeRef;

macro_rules! terms {
    ($(#[$doc:meta])* $module:ident, $namespace:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        $(#[$doc])*
        pub mod $module {
            use super::NamedNodeRef;
            $(
                #[doc = concat!("`", $namespace, $local, "`")]
                pub const $name: NamedNodeRef<'static> =
                    NamedNodeRef::new_unchecked(concat!($namespace, $local));
            )*
        }
    };
}

terms!(
    /// kg's annotation properties for reading text (`ontology/kg.ttl`).
    kg, "https://kg.example/vocab#", {
        CUE = "cue",
        NAME_CUE = "nameCue",
        NAMED_IN_TEXT = "namedInText",
        METONYM = "metonym",
        DESCRIBES_TIME = "describesTime",
    }
);

terms!(
    /// [schema.org](https://schema.org/).
    schema, "https://schema.org/", {
        PERSON = "Person",
        PLACE = "Place",
        ORGANIZATION = "Organization",
        QUOTATION = "Quotation",
        TEXT = "text",
        SPOKEN_BY_CHARACTER = "spokenByCharacter",
    }
);

terms!(
    /// [FOAF](http://xmlns.com/foaf/spec/).
    foaf, "http://xmlns.com/foaf/0.1/", {
        PERSON = "Person",
        AGENT = "Agent",
    }
);

terms!(
    /// [PROV-O](https://www.w3.org/TR/prov-o/).
    prov, "http://www.w3.org/ns/prov#", {
        PERSON = "Person",
        AGENT = "Agent",
        LOCATION = "Location",
    }
);
