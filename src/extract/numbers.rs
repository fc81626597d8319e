//! Quantities with a unit: `600,000 troops`, `five hours`, `$2 billion`, `40%`.
//!
//! A quantity is a number (digits, or a number word up to twenty and the tens) with an optional
//! multiplier (`thousand`, `million`, `billion`, `trillion`) and then a unit: a currency sign
//! before it (`$` is `USD`, `€` `EUR`, `£` `GBP`), `%` after it, or a unit word from [`UNITS`]
//! (the word as written is the unit). A number written with thousands separators (`800,000`) is
//! a count by its shape, so any noun after it is its unit (`an 800,000 cap`): a lower-case word
//! that is not a function word ([`NOT_UNITS`]), an adverb in `-ly` or a participle in `-ed`. Not
//! quantities: numbers inside names (`28-point`, joined by a hyphen), years and days (they are
//! dates), and bare counts (`two largest producers`).

use std::ops::Range;

use serde::Serialize;

use super::token::{Token, TokenKind};

/// Words that count as units after a number (singular and plural, folded).
pub const UNITS: &[&str] = &[
    "second",
    "seconds",
    "minute",
    "minutes",
    "hour",
    "hours",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "decade",
    "decades",
    "troop",
    "troops",
    "soldier",
    "soldiers",
    "personnel",
    "people",
    "person",
    "civilian",
    "civilians",
    "refugee",
    "refugees",
    "prisoner",
    "prisoners",
    "casualty",
    "casualties",
    "death",
    "deaths",
    "percent",
    "km",
    "kilometre",
    "kilometres",
    "kilometer",
    "kilometers",
    "mile",
    "miles",
    "metre",
    "metres",
    "meter",
    "meters",
    "tonne",
    "tonnes",
    "ton",
    "tons",
    "barrel",
    "barrels",
    "dollar",
    "dollars",
    "euro",
    "euros",
    "rouble",
    "roubles",
    "ruble",
    "rubles",
    "hryvnia",
    "hryvnias",
    "vote",
    "votes",
    "seat",
    "seats",
    "delegate",
    "delegates",
    "tank",
    "tanks",
    "drone",
    "drones",
    "missile",
    "missiles",
    "aircraft",
    "jet",
    "jets",
    "vehicle",
    "vehicles",
];

/// Words that never are the unit of a grouped number (`800,000 and`, `600,000 were`): articles,
/// prepositions, conjunctions, pronouns, auxiliaries and comparatives.
pub const NOT_UNITS: &[&str] = &[
    "a", "about", "above", "after", "against", "all", "also", "an", "and", "any", "are", "as",
    "at", "be", "been", "before", "being", "below", "between", "but", "by", "can", "could", "did",
    "do", "does", "down", "each", "either", "fewer", "for", "from", "had", "has", "have", "he",
    "her", "his", "if", "in", "into", "is", "it", "its", "less", "may", "might", "more", "most",
    "must", "near", "neither", "nor", "not", "of", "off", "on", "or", "other", "others", "our",
    "out", "over", "per", "plus", "shall", "she", "should", "since", "so", "some", "than", "that",
    "the", "their", "them", "then", "these", "they", "this", "those", "through", "to", "too",
    "toward", "towards", "under", "until", "up", "upon", "versus", "via", "was", "we", "were",
    "what", "when", "where", "whereas", "which", "while", "who", "whom", "whose", "will", "with",
    "within", "without", "would", "yet", "you",
];

/// Whether a number token is written with thousands separators: `800,000`, `1,250,000.5`.
fn is_grouped(number: &str) -> bool {
    let whole = number.split_once('.').map_or(number, |(whole, _)| whole);
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let mut rest = groups.peekable();
    (1..=3).contains(&first.len())
        && digits(first)
        && rest.peek().is_some()
        && rest.all(|g| g.len() == 3 && digits(g))
}

/// The unit of a grouped number when it is no unit word: a noun, as far as the word's shape tells
/// without a grammar (see the module documentation).
fn noun_unit<'t>(text: &str, number: &Token, next: Option<&'t Token>) -> Option<&'t Token> {
    let next = next?;
    let written = &text[next.span.clone()];
    let lower = written.chars().next().is_some_and(char::is_lowercase);
    let shaped = written.chars().all(char::is_alphabetic)
        && !next.folded.ends_with("ly")
        && !next.folded.ends_with("ed");
    (number.kind == TokenKind::Number
        && is_grouped(&number.folded)
        && next.kind == TokenKind::Word
        && lower
        && shaped
        && !NOT_UNITS.contains(&next.folded.as_str()))
    .then_some(next)
}

const NUMBER_WORDS: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
];

const MULTIPLIERS: &[(&str, f64)] = &[
    ("hundred", 1e2),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
    ("trillion", 1e12),
];

/// A quantity found in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    /// Byte range in the text.
    #[serde(skip)]
    pub span: Range<usize>,
    /// The number, multiplier applied.
    pub value: f64,
    /// The unit: the word as written, or an ISO 4217 code for a currency sign.
    pub unit: String,
}

fn value_of(token: &Token) -> Option<f64> {
    match token.kind {
        TokenKind::Number => token.folded.replace(',', "").parse().ok(),
        TokenKind::Word => NUMBER_WORDS
            .iter()
            .find(|(w, _)| *w == token.folded)
            .map(|&(_, v)| v),
        TokenKind::Mark(_) => None,
    }
}

fn currency(token: &Token) -> Option<&'static str> {
    match token.kind {
        TokenKind::Mark('$') => Some("USD"),
        TokenKind::Mark('€') => Some("EUR"),
        TokenKind::Mark('£') => Some("GBP"),
        _ => None,
    }
}

/// Finds quantities among `tokens` (one line), skipping tokens inside `taken` byte ranges (dates).
///
/// ```
/// use kg::extract::numbers::find_quantities;
/// use kg::extract::token::tokenize;
/// let text = "nearly five hours, 600,000 troops, a 28-point plan and about $2 billion";
/// let tokens = tokenize(text, 0..text.len());
/// let found: Vec<(&str, f64, String)> = find_quantities(text, &tokens, &[])
///     .into_iter()
///     .map(|q| (&text[q.span], q.value, q.unit))
///     .collect();
/// assert_eq!(found, [
///     ("five hours", 5.0, "hours".to_owned()),
///     ("600,000 troops", 600_000.0, "troops".to_owned()),
///     ("$2 billion", 2e9, "USD".to_owned()),
/// ]);
/// ```
pub fn find_quantities(text: &str, tokens: &[Token], taken: &[Range<usize>]) -> Vec<Quantity> {
    let free = |t: &Token| {
        !taken
            .iter()
            .any(|r| r.start < t.span.end && t.span.start < r.end)
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let sign = currency(&tokens[i]);
        let at = i + usize::from(sign.is_some());
        let Some(number) = tokens.get(at).filter(|t| free(t)).and_then(value_of) else {
            i += 1;
            continue;
        };
        if tokens[at].hyphen_after {
            // `12-hour session` is a quantity; `28-point plan` names a plan.
            match tokens
                .get(at + 1)
                .filter(|t| t.kind == TokenKind::Word && UNITS.contains(&t.folded.as_str()))
            {
                Some(unit) if sign.is_none() => {
                    out.push(Quantity {
                        span: tokens[at].span.start..unit.span.end,
                        value: number,
                        unit: text[unit.span.clone()].to_owned(),
                    });
                    i = at + 2;
                }
                _ => i = at + 1,
            }
            continue;
        }
        let mut value = number;
        let mut end = at + 1;
        if let Some(&(_, factor)) = tokens
            .get(end)
            .and_then(|t| MULTIPLIERS.iter().find(|(w, _)| *w == t.folded))
        {
            value *= factor;
            end += 1;
        }
        let next = tokens.get(end);
        let unit = if let Some(code) = sign {
            Some((code.to_owned(), end))
        } else if next.is_some_and(|t| t.is_mark('%')) {
            Some(("percent".to_owned(), end + 1))
        } else {
            next.filter(|t| t.kind == TokenKind::Word && UNITS.contains(&t.folded.as_str()))
                .or_else(|| noun_unit(text, &tokens[at], next).filter(|_| end == at + 1))
                .map(|t| (text[t.span.clone()].to_owned(), end + 1))
        };
        match unit {
            Some((unit, stop)) => {
                out.push(Quantity {
                    span: tokens[i].span.start..tokens[stop - 1].span.end,
                    value,
                    unit,
                });
                i = stop;
            }
            None => i = end,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::token::tokenize;

    fn found(text: &str) -> Vec<(String, f64, String)> {
        let tokens = tokenize(text, 0..text.len());
        find_quantities(text, &tokens, &[])
            .into_iter()
            .map(|q| (text[q.span].to_owned(), q.value, q.unit))
            .collect()
    }

    #[test]
    fn finds_units_currencies_and_percentages() {
        assert_eq!(
            found("a ceiling of 800,000 personnel and 40% of 1.5 million people"),
            [
                (
                    "800,000 personnel".to_owned(),
                    800_000.0,
                    "personnel".to_owned()
                ),
                ("40%".to_owned(), 40.0, "percent".to_owned()),
                (
                    "1.5 million people".to_owned(),
                    1_500_000.0,
                    "people".to_owned()
                ),
            ]
        );
        assert_eq!(found("€3 billion")[0].2, "EUR");
    }

    #[test]
    fn a_grouped_number_takes_the_noun_after_it_as_its_unit() {
        // The seed article's cap on Ukraine's army: no unit word, but `800,000` is a count.
        assert_eq!(
            found("proposed an 800,000 cap, reflecting the expansion"),
            [("800,000 cap".to_owned(), 800_000.0, "cap".to_owned())]
        );
        assert_eq!(
            found("1,250,000 ballots"),
            [(
                "1,250,000 ballots".to_owned(),
                1_250_000.0,
                "ballots".to_owned()
            )]
        );
        // Not nouns: function words, participles, adverbs, capitals; not grouped: no guess.
        for text in [
            "800,000 and more",
            "600,000 were sent",
            "40,000 displaced",
            "10,000 roughly",
            "2,000 Russians",
            "800 cap",
            "80,00 cap",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn skips_names_counts_and_dates() {
        assert!(found("the 19-point proposal and the two largest oil producers").is_empty());
        let hours = ("12-hour".to_owned(), 12.0, "hour".to_owned());
        assert_eq!(found("a 12-hour session")[0], hours);
        assert!(found("one of the issues, one more, one apiece").is_empty());
        let text = "since 2022 years";
        let tokens = tokenize(text, 0..text.len());
        let taken: Vec<Range<usize>> = std::iter::once(6..10).collect();
        assert!(find_quantities(text, &tokens, &taken).is_empty());
    }
}
