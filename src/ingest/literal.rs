//! Checking a literal's lexical form against its datatype, reading the `date` column, and the
//! form in which the store keeps a literal.

use std::borrow::Cow;
use std::str::FromStr;

use oxigraph::model::{Literal, NamedNodeRef};
use oxsdatatypes::{
    Boolean, Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth,
    GMonthDay, GYear, GYearMonth, Integer, Time, YearMonthDuration,
};

use crate::vocab::{XSD_INTEGER_TYPES, rdf, xsd};

/// Checks that `value` is in the lexical space of `datatype`.
///
/// Datatypes kg does not know are accepted as they are: their meaning belongs to whoever defined
/// them.
///
/// # Errors
/// The reason the value is not valid, in words.
///
/// ```
/// use kg::vocab::xsd;
/// use kg::ingest::literal::check;
/// assert!(check("42", xsd::INTEGER).is_ok());
/// assert!(check("abc", xsd::INTEGER).is_err());
/// assert!(check("2025-02-30", xsd::DATE).is_err());
/// ```
pub fn check(value: &str, datatype: NamedNodeRef<'_>) -> Result<(), String> {
    fn parse<T: FromStr>(value: &str) -> Result<(), String>
    where
        T::Err: std::fmt::Display,
    {
        T::from_str(value).map(|_| ()).map_err(|e| e.to_string())
    }
    match datatype {
        d if d == xsd::STRING || d == xsd::NORMALIZED_STRING || d == xsd::TOKEN => Ok(()),
        d if d == xsd::BOOLEAN => parse::<Boolean>(value),
        d if d == xsd::DECIMAL => parse::<Decimal>(value),
        d if d == xsd::DOUBLE => parse::<Double>(value),
        d if d == xsd::FLOAT => parse::<Float>(value),
        d if d == xsd::DATE_TIME || d == xsd::DATE_TIME_STAMP => parse::<DateTime>(value),
        d if d == xsd::DATE => parse::<Date>(value),
        d if d == xsd::TIME => parse::<Time>(value),
        d if d == xsd::G_YEAR => parse::<GYear>(value),
        d if d == xsd::G_YEAR_MONTH => parse::<GYearMonth>(value),
        d if d == xsd::G_MONTH => parse::<GMonth>(value),
        d if d == xsd::G_MONTH_DAY => parse::<GMonthDay>(value),
        d if d == xsd::G_DAY => parse::<GDay>(value),
        d if d == xsd::DURATION => parse::<Duration>(value),
        d if d == xsd::ANY_URI => oxigraph::model::NamedNode::new(value)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        d if d == rdf::LANG_STRING => Err("an rdf:langString needs a language tag".into()),
        d => check_integer(value, d).unwrap_or(Ok(())),
    }
}

/// The integer datatypes with their bounds; `None` when `datatype` is not one of them.
fn check_integer(value: &str, datatype: NamedNodeRef<'_>) -> Option<Result<(), String>> {
    let bounds: (Option<i128>, Option<i128>) = match datatype {
        d if d == xsd::INTEGER => (None, None),
        d if d == xsd::LONG => (Some(i64::MIN.into()), Some(i64::MAX.into())),
        d if d == xsd::INT => (Some(i32::MIN.into()), Some(i32::MAX.into())),
        d if d == xsd::SHORT => (Some(i16::MIN.into()), Some(i16::MAX.into())),
        d if d == xsd::BYTE => (Some(i8::MIN.into()), Some(i8::MAX.into())),
        d if d == xsd::NON_NEGATIVE_INTEGER => (Some(0), None),
        d if d == xsd::POSITIVE_INTEGER => (Some(1), None),
        d if d == xsd::NON_POSITIVE_INTEGER => (None, Some(0)),
        d if d == xsd::NEGATIVE_INTEGER => (None, Some(-1)),
        d if d == xsd::UNSIGNED_LONG => (Some(0), Some(u64::MAX.into())),
        d if d == xsd::UNSIGNED_INT => (Some(0), Some(u32::MAX.into())),
        d if d == xsd::UNSIGNED_SHORT => (Some(0), Some(u16::MAX.into())),
        d if d == xsd::UNSIGNED_BYTE => (Some(0), Some(u8::MAX.into())),
        _ => return None,
    };
    let parsed = match Integer::from_str(value) {
        Ok(parsed) => parsed,
        Err(e) => return Some(Err(e.to_string())),
    };
    let number = i128::from(i64::from(parsed));
    let too_low = bounds.0.is_some_and(|min| number < min);
    let too_high = bounds.1.is_some_and(|max| number > max);
    Some(if too_low || too_high {
        Err("out of the datatype's range".into())
    } else {
        Ok(())
    })
}

/// Reads a `date` cell: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, `--MM` or an `xsd:dateTime`, typed by
/// its shape. `None` when it is none of these.
///
/// ```
/// let d = kg::ingest::literal::parse_date("2025-11").unwrap();
/// assert_eq!(d.datatype(), kg::vocab::xsd::G_YEAR_MONTH);
/// assert!(kg::ingest::literal::parse_date("late November").is_none());
/// ```
pub fn parse_date(value: &str) -> Option<Literal> {
    let candidates = [
        xsd::G_YEAR,
        xsd::G_YEAR_MONTH,
        xsd::DATE,
        xsd::G_MONTH,
        xsd::DATE_TIME,
    ];
    candidates
        .into_iter()
        .find(|datatype| check(value, *datatype).is_ok())
        .map(|datatype| Literal::new_typed_literal(value, datatype))
}

/// The literal as the store gives it back: oxigraph keeps the values of the XSD datatypes it
/// knows natively (booleans, numbers, dates and times, durations) and returns them in canonical
/// form, the integer types as `xsd:integer` (`"+042"^^xsd:int` reads back as `"42"^^xsd:integer`).
/// Every other literal, and a value outside its datatype's lexical space, comes back as written.
///
/// This mirrors oxigraph's term encoding, so that what the projection keeps of a literal is what
/// a read of the store would give; a test checks it against the store.
///
/// ```
/// use kg::ingest::literal::stored_form;
/// use kg::vocab::xsd;
/// use oxigraph::model::Literal;
/// let written = Literal::new_typed_literal("+042", xsd::INT);
/// assert_eq!(*stored_form(&written), Literal::new_typed_literal("42", xsd::INTEGER));
/// ```
pub fn stored_form(literal: &Literal) -> Cow<'_, Literal> {
    fn native<T: FromStr + Into<Literal>>(value: &str) -> Option<Literal> {
        T::from_str(value).ok().map(Into::into)
    }
    let value = literal.value();
    let datatype = literal.datatype();
    let stored = match datatype {
        d if d == xsd::BOOLEAN => native::<Boolean>(value),
        d if d == xsd::FLOAT => native::<Float>(value),
        d if d == xsd::DOUBLE => native::<Double>(value),
        d if XSD_INTEGER_TYPES.contains(&d) => native::<Integer>(value),
        d if d == xsd::DECIMAL => native::<Decimal>(value),
        d if d == xsd::DATE_TIME || d == xsd::DATE_TIME_STAMP => native::<DateTime>(value),
        d if d == xsd::TIME => native::<Time>(value),
        d if d == xsd::DATE => native::<Date>(value),
        d if d == xsd::G_YEAR_MONTH => native::<GYearMonth>(value),
        d if d == xsd::G_YEAR => native::<GYear>(value),
        d if d == xsd::G_MONTH_DAY => native::<GMonthDay>(value),
        d if d == xsd::G_DAY => native::<GDay>(value),
        d if d == xsd::G_MONTH => native::<GMonth>(value),
        d if d == xsd::DURATION => native::<Duration>(value),
        d if d == xsd::YEAR_MONTH_DURATION => native::<YearMonthDuration>(value),
        d if d == xsd::DAY_TIME_DURATION => native::<DayTimeDuration>(value),
        _ => None,
    };
    match stored {
        Some(stored) if stored != *literal => Cow::Owned(stored),
        _ => Cow::Borrowed(literal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, NamedNode, Quad, Term};
    use oxigraph::store::Store;

    #[test]
    fn stored_form_is_what_the_store_gives_back() {
        let written = [
            Literal::new_typed_literal("+0042", xsd::INT),
            Literal::new_typed_literal("99999999999999999999", xsd::INTEGER),
            Literal::new_typed_literal("-0", xsd::INTEGER),
            Literal::new_typed_literal("4.50", xsd::DECIMAL),
            Literal::new_typed_literal("1.5E3", xsd::DOUBLE),
            Literal::new_typed_literal("INF", xsd::FLOAT),
            Literal::new_typed_literal("1", xsd::BOOLEAN),
            Literal::new_typed_literal("yes", xsd::BOOLEAN),
            Literal::new_typed_literal("2025-11-28T10:00:00+00:00", xsd::DATE_TIME_STAMP),
            Literal::new_typed_literal("2025-11-28Z", xsd::DATE),
            Literal::new_typed_literal("10:00:00.50", xsd::TIME),
            Literal::new_typed_literal("0950", xsd::G_YEAR),
            Literal::new_typed_literal("2025-01", xsd::G_YEAR_MONTH),
            Literal::new_typed_literal("--11", xsd::G_MONTH),
            Literal::new_typed_literal("--11-02", xsd::G_MONTH_DAY),
            Literal::new_typed_literal("---02", xsd::G_DAY),
            Literal::new_typed_literal("P1Y13M", xsd::DURATION),
            Literal::new_typed_literal("P0Y", xsd::YEAR_MONTH_DURATION),
            Literal::new_typed_literal("PT36H", xsd::DAY_TIME_DURATION),
            Literal::new_typed_literal("x", xsd::TOKEN),
            Literal::new_simple_literal(" a b "),
            Literal::new_language_tagged_literal_unchecked("Ally", "en-gb"),
        ];
        let store = Store::new().unwrap();
        for (i, literal) in written.iter().enumerate() {
            let subject = NamedNode::new(format!("https://e/{i}")).unwrap();
            store
                .insert(&Quad::new(
                    subject.clone(),
                    NamedNode::new("https://e/p").unwrap(),
                    literal.clone(),
                    GraphName::DefaultGraph,
                ))
                .unwrap();
            let read: Vec<Term> = store
                .quads_for_pattern(Some(subject.as_ref().into()), None, None, None)
                .map(|q| q.unwrap().object)
                .collect();
            assert_eq!(
                read,
                [Term::from(stored_form(literal).into_owned())],
                "{literal}"
            );
        }
    }

    #[test]
    fn integers_have_bounds() {
        assert!(check("255", xsd::UNSIGNED_BYTE).is_ok());
        assert!(check("256", xsd::UNSIGNED_BYTE).is_err());
        assert!(check("-1", xsd::NON_NEGATIVE_INTEGER).is_err());
        assert!(check("600000", xsd::INTEGER).is_ok());
        assert!(check("600,000", xsd::INTEGER).is_err());
    }

    #[test]
    fn dates_are_checked() {
        assert!(check("2024-02-29", xsd::DATE).is_ok());
        assert!(check("2025-02-29", xsd::DATE).is_err());
        assert!(check("--11", xsd::G_MONTH).is_ok());
        assert!(check("true", xsd::BOOLEAN).is_ok());
        assert!(check("yes", xsd::BOOLEAN).is_err());
    }

    #[test]
    fn date_column_shapes() {
        assert_eq!(parse_date("2022").unwrap().datatype(), xsd::G_YEAR);
        assert_eq!(parse_date("2025-11-28").unwrap().datatype(), xsd::DATE);
        assert_eq!(parse_date("--11").unwrap().datatype(), xsd::G_MONTH);
        assert!(parse_date("2025-13").is_none());
    }
}
