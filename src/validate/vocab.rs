//! The [SHACL](https://www.w3.org/TR/shacl/) vocabulary the validator reads and writes, as
//! constants (kept beside the validator; `crate::vocab` holds the others).

use oxigraph::model::NamedNodeRef;

/// The SHACL namespace.
pub const NAMESPACE: &str = "http://www.w3.org/ns/shacl#";

/// Declares `NamedNodeRef` constants in the SHACL namespace.
macro_rules! shacl {
    ($($name:ident = $local:literal),* $(,)?) => {
        $(
            #[doc = concat!("`sh:", $local, "`")]
            pub const $name: NamedNodeRef<'static> =
                NamedNodeRef::new_unchecked(concat!("http://www.w3.org/ns/shacl#", $local));
        )*
    };
}

shacl!(
    // Shapes, targets, paths.
    NODE_SHAPE = "NodeShape",
    PROPERTY_SHAPE = "PropertyShape",
    TARGET_CLASS = "targetClass",
    TARGET_NODE = "targetNode",
    TARGET_SUBJECTS_OF = "targetSubjectsOf",
    TARGET_OBJECTS_OF = "targetObjectsOf",
    PATH = "path",
    INVERSE_PATH = "inversePath",
    ALTERNATIVE_PATH = "alternativePath",
    ZERO_OR_MORE_PATH = "zeroOrMorePath",
    ONE_OR_MORE_PATH = "oneOrMorePath",
    ZERO_OR_ONE_PATH = "zeroOrOnePath",
    DEACTIVATED = "deactivated",
    SEVERITY = "severity",
    MESSAGE = "message",
    // Constraint parameters.
    CLASS = "class",
    DATATYPE = "datatype",
    NODE_KIND = "nodeKind",
    MIN_COUNT = "minCount",
    MAX_COUNT = "maxCount",
    MIN_EXCLUSIVE = "minExclusive",
    MIN_INCLUSIVE = "minInclusive",
    MAX_EXCLUSIVE = "maxExclusive",
    MAX_INCLUSIVE = "maxInclusive",
    MIN_LENGTH = "minLength",
    MAX_LENGTH = "maxLength",
    PATTERN = "pattern",
    FLAGS = "flags",
    LANGUAGE_IN = "languageIn",
    UNIQUE_LANG = "uniqueLang",
    EQUALS = "equals",
    DISJOINT = "disjoint",
    LESS_THAN = "lessThan",
    LESS_THAN_OR_EQUALS = "lessThanOrEquals",
    NOT = "not",
    AND = "and",
    OR = "or",
    XONE = "xone",
    NODE = "node",
    PROPERTY = "property",
    QUALIFIED_VALUE_SHAPE = "qualifiedValueShape",
    QUALIFIED_MIN_COUNT = "qualifiedMinCount",
    QUALIFIED_MAX_COUNT = "qualifiedMaxCount",
    QUALIFIED_VALUE_SHAPES_DISJOINT = "qualifiedValueShapesDisjoint",
    CLOSED = "closed",
    IGNORED_PROPERTIES = "ignoredProperties",
    HAS_VALUE = "hasValue",
    IN = "in",
    // Node kinds.
    BLANK_NODE = "BlankNode",
    IRI = "IRI",
    LITERAL = "Literal",
    BLANK_NODE_OR_IRI = "BlankNodeOrIRI",
    BLANK_NODE_OR_LITERAL = "BlankNodeOrLiteral",
    IRI_OR_LITERAL = "IRIOrLiteral",
    // Severities.
    VIOLATION = "Violation",
    WARNING = "Warning",
    INFO = "Info",
    // The validation report.
    VALIDATION_REPORT = "ValidationReport",
    VALIDATION_RESULT = "ValidationResult",
    CONFORMS = "conforms",
    RESULT = "result",
    FOCUS_NODE = "focusNode",
    RESULT_PATH = "resultPath",
    VALUE = "value",
    SOURCE_SHAPE = "sourceShape",
    SOURCE_CONSTRAINT_COMPONENT = "sourceConstraintComponent",
    RESULT_SEVERITY = "resultSeverity",
    RESULT_MESSAGE = "resultMessage",
    // Constraint components.
    CLASS_CONSTRAINT_COMPONENT = "ClassConstraintComponent",
    DATATYPE_CONSTRAINT_COMPONENT = "DatatypeConstraintComponent",
    NODE_KIND_CONSTRAINT_COMPONENT = "NodeKindConstraintComponent",
    MIN_COUNT_CONSTRAINT_COMPONENT = "MinCountConstraintComponent",
    MAX_COUNT_CONSTRAINT_COMPONENT = "MaxCountConstraintComponent",
    MIN_EXCLUSIVE_CONSTRAINT_COMPONENT = "MinExclusiveConstraintComponent",
    MIN_INCLUSIVE_CONSTRAINT_COMPONENT = "MinInclusiveConstraintComponent",
    MAX_EXCLUSIVE_CONSTRAINT_COMPONENT = "MaxExclusiveConstraintComponent",
    MAX_INCLUSIVE_CONSTRAINT_COMPONENT = "MaxInclusiveConstraintComponent",
    MIN_LENGTH_CONSTRAINT_COMPONENT = "MinLengthConstraintComponent",
    MAX_LENGTH_CONSTRAINT_COMPONENT = "MaxLengthConstraintComponent",
    PATTERN_CONSTRAINT_COMPONENT = "PatternConstraintComponent",
    LANGUAGE_IN_CONSTRAINT_COMPONENT = "LanguageInConstraintComponent",
    UNIQUE_LANG_CONSTRAINT_COMPONENT = "UniqueLangConstraintComponent",
    EQUALS_CONSTRAINT_COMPONENT = "EqualsConstraintComponent",
    DISJOINT_CONSTRAINT_COMPONENT = "DisjointConstraintComponent",
    LESS_THAN_CONSTRAINT_COMPONENT = "LessThanConstraintComponent",
    LESS_THAN_OR_EQUALS_CONSTRAINT_COMPONENT = "LessThanOrEqualsConstraintComponent",
    NOT_CONSTRAINT_COMPONENT = "NotConstraintComponent",
    AND_CONSTRAINT_COMPONENT = "AndConstraintComponent",
    OR_CONSTRAINT_COMPONENT = "OrConstraintComponent",
    XONE_CONSTRAINT_COMPONENT = "XoneConstraintComponent",
    NODE_CONSTRAINT_COMPONENT = "NodeConstraintComponent",
    QUALIFIED_MIN_COUNT_CONSTRAINT_COMPONENT = "QualifiedMinCountConstraintComponent",
    QUALIFIED_MAX_COUNT_CONSTRAINT_COMPONENT = "QualifiedMaxCountConstraintComponent",
    CLOSED_CONSTRAINT_COMPONENT = "ClosedConstraintComponent",
    HAS_VALUE_CONSTRAINT_COMPONENT = "HasValueConstraintComponent",
    IN_CONSTRAINT_COMPONENT = "InConstraintComponent",
);

/// `rdf:first`, `rdf:rest`, `rdf:nil` and the other RDF terms, re-exported for lists.
pub use oxigraph::model::vocab::{rdf, rdfs, xsd};
