//! IRIs of the vocabularies kg reads and writes, as constants.
//!
//! Every IRI the code refers to lives here (oxrdf's `vocab` is the model); the rest of the crate
//! names terms, never spells them.

pub use oxigraph::model::vocab::{rdf, rdfs, xsd};

/// `xsd:integer` and every datatype derived from it: values of these are integers (and oxigraph
/// stores them as `xsd:integer`).
pub const XSD_INTEGER_TYPES: [oxigraph::model::NamedNodeRef<'static>; 13] = [
    xsd::INTEGER,
    xsd::LONG,
    xsd::INT,
    xsd::SHORT,
    xsd::BYTE,
    xsd::NON_NEGATIVE_INTEGER,
    xsd::POSITIVE_INTEGER,
    xsd::NON_POSITIVE_INTEGER,
    xsd::NEGATIVE_INTEGER,
    xsd::UNSIGNED_LONG,
    xsd::UNSIGNED_INT,
    xsd::UNSIGNED_SHORT,
    xsd::UNSIGNED_BYTE,
];

/// What a fact's `rdf:Statement` records about where the fact comes from. Its other properties
/// are values stated on the fact (its qualifiers).
pub const STATEMENT_PROVENANCE: [oxigraph::model::NamedNodeRef<'static>; 9] = [
    rdf::TYPE,
    rdf::SUBJECT,
    rdf::PREDICATE,
    rdf::OBJECT,
    kg::SOURCE,
    kg::EVIDENCE,
    kg::DATE,
    kg::ROW,
    kg::SPAN,
];

/// Declares a module of `NamedNodeRef` constants sharing one namespace.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $module:ident, $namespace:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        $(#[$doc])*
        pub mod $module {
            use oxigraph::model::NamedNodeRef;

            /// The namespace IRI.
            pub const NAMESPACE: &str = $namespace;
            $(
                #[doc = concat!("`", $namespace, $local, "`")]
                pub const $name: NamedNodeRef<'static> =
                    NamedNodeRef::new_unchecked(concat!($namespace, $local));
            )*
        }
    };
}

vocabulary!(
    /// [OWL 2](https://www.w3.org/TR/owl2-syntax/).
    owl, "http://www.w3.org/2002/07/owl#", {
        ALL_DIFFERENT = "AllDifferent",
        ALL_VALUES_FROM = "allValuesFrom",
        ANNOTATION_PROPERTY = "AnnotationProperty",
        ASYMMETRIC_PROPERTY = "AsymmetricProperty",
        CLASS = "Class",
        COMPLEMENT_OF = "complementOf",
        DATATYPE_PROPERTY = "DatatypeProperty",
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
        NAMED_INDIVIDUAL = "NamedIndividual",
        NOTHING = "Nothing",
        OBJECT_PROPERTY = "ObjectProperty",
        ONTOLOGY = "Ontology",
        ON_PROPERTY = "onProperty",
        PROPERTY_CHAIN_AXIOM = "propertyChainAxiom",
        PROPERTY_DISJOINT_WITH = "propertyDisjointWith",
        SAME_AS = "sameAs",
        SOME_VALUES_FROM = "someValuesFrom",
        SYMMETRIC_PROPERTY = "SymmetricProperty",
        THING = "Thing",
        TRANSITIVE_PROPERTY = "TransitiveProperty",
        UNION_OF = "unionOf",
    }
);

vocabulary!(
    /// [SKOS](https://www.w3.org/TR/skos-reference/).
    skos, "http://www.w3.org/2004/02/skos/core#", {
        ALT_LABEL = "altLabel",
        HIDDEN_LABEL = "hiddenLabel",
        PREF_LABEL = "prefLabel",
    }
);

vocabulary!(
    /// [DCMI Metadata Terms](https://www.dublincore.org/specifications/dublin-core/dcmi-terms/).
    dcterms, "http://purl.org/dc/terms/", {
        DESCRIPTION = "description",
        TITLE = "title",
    }
);

vocabulary!(
    /// [VoID](https://www.w3.org/TR/void/), for the dataset's IRI space.
    void, "http://rdfs.org/ns/void#", {
        DATASET = "Dataset",
        URI_SPACE = "uriSpace",
    }
);

vocabulary!(
    /// [schema.org](https://schema.org/), the classes and properties ontologies align to.
    schema, "https://schema.org/", {
        ORGANIZATION = "Organization",
        PERSON = "Person",
        PLACE = "Place",
        QUOTATION = "Quotation",
        SPOKEN_BY_CHARACTER = "spokenByCharacter",
        TEXT = "text",
    }
);

vocabulary!(
    /// [FOAF](http://xmlns.com/foaf/spec/).
    foaf, "http://xmlns.com/foaf/0.1/", {
        AGENT = "Agent",
        PERSON = "Person",
    }
);

vocabulary!(
    /// [PROV-O](https://www.w3.org/TR/prov-o/).
    prov, "http://www.w3.org/ns/prov#", {
        AGENT = "Agent",
        LOCATION = "Location",
        PERSON = "Person",
    }
);

vocabulary!(
    /// kg's own vocabulary (`ontology/kg.ttl`): provenance, inference, and the annotation
    /// properties that cue the reading of texts.
    kg, "https://kg.example/vocab#", {
        CUE = "cue",
        DATE = "date",
        DERIVED_BY = "derivedBy",
        DESCRIBES_TIME = "describesTime",
        DOCUMENT = "Document",
        EVIDENCE = "evidence",
        IN_DOCUMENT = "inDocument",
        INFERRED = "inferred",
        METONYM = "metonym",
        NAME_CUE = "nameCue",
        NAMED_IN_TEXT = "namedInText",
        PREMISES = "premises",
        ROW = "row",
        SENTENCE = "Sentence",
        SENTENCE_COUNT = "sentenceCount",
        SENTENCE_NUMBER = "sentenceNumber",
        SHA256 = "sha256",
        SOURCE = "source",
        SPAN = "span",
        TEXT = "text",
    }
);

/// Prefixes every input and query may use without declaring them.
pub const WELL_KNOWN_PREFIXES: &[(&str, &str)] = &[
    ("dcterms", dcterms::NAMESPACE),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("kg", kg::NAMESPACE),
    ("org", "http://www.w3.org/ns/org#"),
    ("owl", owl::NAMESPACE),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("schema", "https://schema.org/"),
    ("skos", skos::NAMESPACE),
    ("time", "http://www.w3.org/2006/time#"),
    ("void", void::NAMESPACE),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// The base IRI of entities when neither `--base` nor a `void:uriSpace` says otherwise.
pub const DEFAULT_BASE: &str = "https://kg.example/id/";

/// Where statement (reification) nodes live, below the base IRI. Entity ids never hold a raw `/`
/// (it is percent-encoded), so no entity IRI can fall under this path.
pub const STATEMENT_PATH: &str = "statement/";
