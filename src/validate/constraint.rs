//! The [SHACL Core constraint components](https://www.w3.org/TR/shacl/#core-components): one
//! [`Constraint`] per parameter value, the IRI of its component, and the comparisons of values
//! they need (SPARQL's `<` on numbers, dates and strings; a well-formed lexical form).

use std::cmp::Ordering;
use std::collections::HashSet;
use std::str::FromStr;

use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term};
use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Integer, Time, YearMonthDuration,
};

use super::pattern::Pattern;
use super::shapes::ShapeId;
use super::vocab::{self as sh, rdf, xsd};
use crate::vocab::XSD_INTEGER_TYPES;

/// `sh:nodeKind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// `sh:BlankNode`.
    BlankNode,
    /// `sh:IRI`.
    Iri,
    /// `sh:Literal`.
    Literal,
    /// `sh:BlankNodeOrIRI`.
    BlankNodeOrIri,
    /// `sh:BlankNodeOrLiteral`.
    BlankNodeOrLiteral,
    /// `sh:IRIOrLiteral`.
    IriOrLiteral,
}

impl NodeKind {
    /// The kind an IRI names.
    pub fn from_iri(iri: NamedNodeRef<'_>) -> Option<Self> {
        Some(match iri {
            i if i == sh::BLANK_NODE => Self::BlankNode,
            i if i == sh::IRI => Self::Iri,
            i if i == sh::LITERAL => Self::Literal,
            i if i == sh::BLANK_NODE_OR_IRI => Self::BlankNodeOrIri,
            i if i == sh::BLANK_NODE_OR_LITERAL => Self::BlankNodeOrLiteral,
            i if i == sh::IRI_OR_LITERAL => Self::IriOrLiteral,
            _ => return None,
        })
    }

    /// Its IRI's local name.
    pub fn name(self) -> &'static str {
        match self {
            Self::BlankNode => "BlankNode",
            Self::Iri => "IRI",
            Self::Literal => "Literal",
            Self::BlankNodeOrIri => "BlankNodeOrIRI",
            Self::BlankNodeOrLiteral => "BlankNodeOrLiteral",
            Self::IriOrLiteral => "IRIOrLiteral",
        }
    }

    /// Whether a node is of this kind.
    pub fn matches(self, term: &Term) -> bool {
        let (blank, iri, literal) = (
            matches!(term, Term::BlankNode(_)),
            matches!(term, Term::NamedNode(_)),
            matches!(term, Term::Literal(_)),
        );
        match self {
            Self::BlankNode => blank,
            Self::Iri => iri,
            Self::Literal => literal,
            Self::BlankNodeOrIri => blank || iri,
            Self::BlankNodeOrLiteral => blank || literal,
            Self::IriOrLiteral => iri || literal,
        }
    }
}

/// One constraint: a component with one value of its parameter(s).
#[derive(Debug, Clone)]
pub enum Constraint {
    /// `sh:class`: each value node is a SHACL instance of the class.
    Class(Term),
    /// `sh:datatype`: each value node is a well-formed literal of the datatype.
    Datatype(NamedNode),
    /// `sh:nodeKind`.
    NodeKind(NodeKind),
    /// `sh:minCount` (property shapes).
    MinCount(u64),
    /// `sh:maxCount` (property shapes).
    MaxCount(u64),
    /// `sh:minExclusive`.
    MinExclusive(Term),
    /// `sh:minInclusive`.
    MinInclusive(Term),
    /// `sh:maxExclusive`.
    MaxExclusive(Term),
    /// `sh:maxInclusive`.
    MaxInclusive(Term),
    /// `sh:minLength`: the string length of each value node (blank nodes fail).
    MinLength(u64),
    /// `sh:maxLength`.
    MaxLength(u64),
    /// `sh:pattern` with the shape's `sh:flags`.
    Pattern(Pattern),
    /// `sh:languageIn`: language ranges.
    LanguageIn(Vec<String>),
    /// `sh:uniqueLang true` (property shapes).
    UniqueLang,
    /// `sh:equals`.
    Equals(NamedNode),
    /// `sh:disjoint`.
    Disjoint(NamedNode),
    /// `sh:lessThan` (property shapes).
    LessThan(NamedNode),
    /// `sh:lessThanOrEquals` (property shapes).
    LessThanOrEquals(NamedNode),
    /// `sh:not`.
    Not(ShapeId),
    /// `sh:and`.
    And(Vec<ShapeId>),
    /// `sh:or`.
    Or(Vec<ShapeId>),
    /// `sh:xone`.
    Xone(Vec<ShapeId>),
    /// `sh:node`.
    Node(ShapeId),
    /// `sh:property`.
    Property(ShapeId),
    /// `sh:qualifiedValueShape` with `sh:qualifiedMinCount`; `siblings` when
    /// `sh:qualifiedValueShapesDisjoint`.
    QualifiedMinCount {
        /// The qualified value shape.
        shape: ShapeId,
        /// The minimum.
        count: u64,
        /// Sibling qualified value shapes a counted node must not conform to.
        siblings: Vec<ShapeId>,
    },
    /// `sh:qualifiedValueShape` with `sh:qualifiedMaxCount`.
    QualifiedMaxCount {
        /// The qualified value shape.
        shape: ShapeId,
        /// The maximum.
        count: u64,
        /// Sibling qualified value shapes a counted node must not conform to.
        siblings: Vec<ShapeId>,
    },
    /// `sh:closed true`: the properties allowed (those of `sh:property` shapes with a
    /// predicate path, and `sh:ignoredProperties`).
    Closed(HashSet<NamedNode>),
    /// `sh:hasValue`.
    HasValue(Term),
    /// `sh:in`.
    In(Vec<Term>),
}

impl Constraint {
    /// The IRI of the constraint component.
    pub fn component(&self) -> NamedNodeRef<'static> {
        match self {
            Self::Class(_) => sh::CLASS_CONSTRAINT_COMPONENT,
            Self::Datatype(_) => sh::DATATYPE_CONSTRAINT_COMPONENT,
            Self::NodeKind(_) => sh::NODE_KIND_CONSTRAINT_COMPONENT,
            Self::MinCount(_) => sh::MIN_COUNT_CONSTRAINT_COMPONENT,
            Self::MaxCount(_) => sh::MAX_COUNT_CONSTRAINT_COMPONENT,
            Self::MinExclusive(_) => sh::MIN_EXCLUSIVE_CONSTRAINT_COMPONENT,
            Self::MinInclusive(_) => sh::MIN_INCLUSIVE_CONSTRAINT_COMPONENT,
            Self::MaxExclusive(_) => sh::MAX_EXCLUSIVE_CONSTRAINT_COMPONENT,
            Self::MaxInclusive(_) => sh::MAX_INCLUSIVE_CONSTRAINT_COMPONENT,
            Self::MinLength(_) => sh::MIN_LENGTH_CONSTRAINT_COMPONENT,
            Self::MaxLength(_) => sh::MAX_LENGTH_CONSTRAINT_COMPONENT,
            Self::Pattern(_) => sh::PATTERN_CONSTRAINT_COMPONENT,
            Self::LanguageIn(_) => sh::LANGUAGE_IN_CONSTRAINT_COMPONENT,
            Self::UniqueLang => sh::UNIQUE_LANG_CONSTRAINT_COMPONENT,
            Self::Equals(_) => sh::EQUALS_CONSTRAINT_COMPONENT,
            Self::Disjoint(_) => sh::DISJOINT_CONSTRAINT_COMPONENT,
            Self::LessThan(_) => sh::LESS_THAN_CONSTRAINT_COMPONENT,
            Self::LessThanOrEquals(_) => sh::LESS_THAN_OR_EQUALS_CONSTRAINT_COMPONENT,
            Self::Not(_) => sh::NOT_CONSTRAINT_COMPONENT,
            Self::And(_) => sh::AND_CONSTRAINT_COMPONENT,
            Self::Or(_) => sh::OR_CONSTRAINT_COMPONENT,
            Self::Xone(_) => sh::XONE_CONSTRAINT_COMPONENT,
            Self::Node(_) => sh::NODE_CONSTRAINT_COMPONENT,
            // Results of nested property shapes name their own components.
            Self::Property(_) => sh::PROPERTY,
            Self::QualifiedMinCount { .. } => sh::QUALIFIED_MIN_COUNT_CONSTRAINT_COMPONENT,
            Self::QualifiedMaxCount { .. } => sh::QUALIFIED_MAX_COUNT_CONSTRAINT_COMPONENT,
            Self::Closed(_) => sh::CLOSED_CONSTRAINT_COMPONENT,
            Self::HasValue(_) => sh::HAS_VALUE_CONSTRAINT_COMPONENT,
            Self::In(_) => sh::IN_CONSTRAINT_COMPONENT,
        }
    }
}

/// Whether `value` is a literal of `datatype` with a well-formed lexical form (for the XSD
/// datatypes kg knows; any form of other datatypes).
pub fn has_datatype(value: &Term, datatype: NamedNodeRef<'_>) -> bool {
    let Term::Literal(literal) = value else {
        return false;
    };
    if literal.datatype() != datatype {
        return false;
    }
    if datatype == rdf::LANG_STRING {
        return literal.language().is_some();
    }
    crate::ingest::literal::check(literal.value(), datatype).is_ok()
}

/// A literal's value, for comparisons.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
enum Value {
    /// `xsd:integer` and below, `xsd:decimal`: exact.
    Decimal(Decimal),
    /// `xsd:float`, `xsd:double`.
    Double(Double),
    Boolean(Boolean),
    String(String),
    DateTime(DateTime),
    Date(Date),
    Time(Time),
    GYear(GYear),
    GYearMonth(GYearMonth),
    GMonth(GMonth),
    GMonthDay(GMonthDay),
    GDay(GDay),
    Duration(Duration),
}

fn value_of(literal: &Literal) -> Option<Value> {
    fn parse<T: FromStr>(value: &str) -> Option<T> {
        T::from_str(value).ok()
    }
    let v = literal.value();
    let d = literal.datatype();
    if literal.language().is_some() {
        return None;
    }
    Some(match d {
        d if XSD_INTEGER_TYPES.contains(&d) => {
            crate::ingest::literal::check(v, d).ok()?;
            Value::Decimal(Decimal::from(parse::<Integer>(v)?))
        }
        d if d == xsd::DECIMAL => Value::Decimal(parse(v)?),
        d if d == xsd::DOUBLE => Value::Double(parse(v)?),
        d if d == xsd::FLOAT => Value::Double(parse::<Float>(v)?.into()),
        d if d == xsd::BOOLEAN => Value::Boolean(parse(v)?),
        d if d == xsd::STRING => Value::String(v.to_owned()),
        d if d == xsd::DATE_TIME || d == xsd::DATE_TIME_STAMP => Value::DateTime(parse(v)?),
        d if d == xsd::DATE => Value::Date(parse(v)?),
        d if d == xsd::TIME => Value::Time(parse(v)?),
        d if d == xsd::G_YEAR => Value::GYear(parse(v)?),
        d if d == xsd::G_YEAR_MONTH => Value::GYearMonth(parse(v)?),
        d if d == xsd::G_MONTH => Value::GMonth(parse(v)?),
        d if d == xsd::G_MONTH_DAY => Value::GMonthDay(parse(v)?),
        d if d == xsd::G_DAY => Value::GDay(parse(v)?),
        d if d == xsd::DURATION => Value::Duration(parse(v)?),
        d if d == xsd::DAY_TIME_DURATION => Value::Duration(parse::<DayTimeDuration>(v)?.into()),
        d if d == xsd::YEAR_MONTH_DURATION => {
            Value::Duration(parse::<YearMonthDuration>(v)?.into())
        }
        _ => return None,
    })
}

/// SPARQL's order of two terms: `None` when they cannot be compared (different kinds of
/// values, a blank node or IRI, an ill-formed literal, dates with and without time zones
/// that the order leaves open).
pub fn compare(a: &Term, b: &Term) -> Option<Ordering> {
    let (Term::Literal(a), Term::Literal(b)) = (a, b) else {
        return None;
    };
    let (a, b) = (value_of(a)?, value_of(b)?);
    match (a, b) {
        (Value::Decimal(a), Value::Double(b)) => Double::from(a).partial_cmp(&b),
        (Value::Double(a), Value::Decimal(b)) => a.partial_cmp(&Double::from(b)),
        (a, b) if std::mem::discriminant(&a) == std::mem::discriminant(&b) => a.partial_cmp(&b),
        _ => None,
    }
}

/// Whether a language tag matches a basic language range (RFC 4647, SPARQL `langMatches`).
pub fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    let (tag, range) = (tag.to_ascii_lowercase(), range.to_ascii_lowercase());
    tag == range
        || tag
            .strip_prefix(&range)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// The string a node's `str()` gives: an IRI's text or a literal's lexical form; `None` for a
/// blank node.
pub fn string_of(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::Literal(l) => Some(l.value()),
        Term::BlankNode(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(v: &str, d: NamedNodeRef<'_>) -> Term {
        Literal::new_typed_literal(v, d).into()
    }

    #[test]
    fn compares_numbers_across_types() {
        assert_eq!(
            compare(&typed("1", xsd::INTEGER), &typed("1.5", xsd::DECIMAL)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&typed("2", xsd::INT), &typed("1.5e0", xsd::DOUBLE)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare(&typed("a", xsd::INTEGER), &typed("1", xsd::INTEGER)),
            None
        );
        assert_eq!(
            compare(&typed("1", xsd::INTEGER), &typed("1", xsd::STRING)),
            None
        );
        assert_eq!(
            compare(
                &typed("2025-01-02", xsd::DATE),
                &typed("2025-01-03", xsd::DATE)
            ),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&typed("300", xsd::BYTE), &typed("1", xsd::INTEGER)),
            None
        );
    }

    #[test]
    fn datatypes_need_well_formed_values() {
        assert!(has_datatype(&typed("42", xsd::INTEGER), xsd::INTEGER));
        assert!(!has_datatype(&typed("4x", xsd::INTEGER), xsd::INTEGER));
        assert!(!has_datatype(&typed("300", xsd::BYTE), xsd::BYTE));
        assert!(has_datatype(
            &Literal::new_language_tagged_literal_unchecked("a", "en").into(),
            rdf::LANG_STRING
        ));
        assert!(!has_datatype(&typed("42", xsd::INTEGER), xsd::DECIMAL));
    }

    #[test]
    fn language_ranges() {
        assert!(lang_matches("en-US", "en"));
        assert!(lang_matches("EN", "en"));
        assert!(!lang_matches("eng", "en"));
        assert!(lang_matches("fr", "*"));
    }
}
