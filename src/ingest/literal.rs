//! Checking a literal's lexical form against its datatype, and reading the `date` column.

use std::str::FromStr;

use oxigraph::model::{Literal, NamedNodeRef};
use oxsdatatypes::{
    Boolean, Date, DateTime, Decimal, Double, Duration, Float, GDay, GMonth, GMonthDay, GYear,
    GYearMonth, Integer, Time,
};

use crate::vocab::{rdf, xsd};

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

#[cfg(test)]
mod tests {
    use super::*;

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
