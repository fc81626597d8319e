//! Dates in text — absolute (`December 5, 2025`, `Dec. 3`, `October`, `2022`) and relative
//! (`on Tuesday`, `over the weekend`, `last week`, `late November`, `days prior`) — resolved
//! against the document's date where the words allow, and kept vague where they are vague.
//!
//! The span of a date takes in `on` and `over` and the modifiers `late`, `early`, `mid`, `this`,
//! `last`, `next`; it leaves out `in`, `since` and `until`. A weekday alone is the latest such day
//! on or before the document date; a month alone is the latest such month; a month and day
//! without a year fall in the year that puts them nearest the document date. `over the weekend`
//! is the weekend just past, `this weekend` the coming (or current) one; weeks are ISO weeks.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

use super::token::{Token, TokenKind};

/// A calendar day, as days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(i64);

impl Day {
    /// The day of a year, month and day of month, if it exists.
    ///
    /// ```
    /// use kg::extract::dates::Day;
    /// assert_eq!(Day::from_ymd(2025, 12, 3).unwrap().to_string(), "2025-12-03");
    /// assert!(Day::from_ymd(2025, 2, 29).is_none());
    /// ```
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Option<Self> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Self(era * 146_097 + doe - 719_468))
    }

    /// Parses `YYYY-MM-DD`.
    ///
    /// ```
    /// use kg::extract::dates::Day;
    /// assert!(Day::parse("2025-12-03").is_some());
    /// assert!(Day::parse("2025-13-03").is_none());
    /// assert!(Day::parse("3 Dec").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        Self::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Year, month, day.
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        // Both are in range by construction.
        (
            year,
            u32::try_from(month).unwrap_or(1),
            u32::try_from(day).unwrap_or(1),
        )
    }

    /// 0 for Monday … 6 for Sunday.
    pub fn weekday(self) -> i64 {
        (self.0 + 3).rem_euclid(7)
    }

    /// The day `n` days later (earlier when negative).
    #[must_use]
    pub fn plus(self, n: i64) -> Self {
        Self(self.0 + n)
    }

    /// ISO 8601 week: (week-numbering year, week).
    pub fn iso_week(self) -> (i64, i64) {
        let thursday = self.plus(3 - self.weekday());
        let (year, _, _) = thursday.ymd();
        let first = Self::from_ymd(year, 1, 1).map_or(thursday.0, |d| d.0);
        (year, (thursday.0 - first) / 7 + 1)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// How precise a date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    /// `YYYY-MM-DD`.
    Day,
    /// ISO week, `YYYY-Www`.
    Week,
    /// `YYYY-MM`.
    Month,
    /// `YYYY-MM`, for `late November`, `mid-November`.
    VagueMonth,
    /// `YYYY`.
    Year,
    /// `YYYY-MM-DD/YYYY-MM-DD`.
    Interval,
    /// No value: `days prior`, `recently`.
    Vague,
}

impl Precision {
    /// The name used in JSON and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::VagueMonth => "vague-month",
            Self::Year => "year",
            Self::Interval => "interval",
            Self::Vague => "vague",
        }
    }
}

/// A date found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateMention {
    /// Byte range in the text.
    #[serde(skip)]
    pub span: Range<usize>,
    /// The value (`2025-12-02`, `2025-W49`, `2025-11-29/2025-11-30`), `None` when vague or when
    /// it needs a document date that is unknown.
    pub value: Option<String>,
    /// How precise.
    pub precision: Precision,
    /// Why it resolved so.
    pub rule: &'static str,
}

impl DateMention {
    /// The value as a `date` cell of the CSV layout accepts it (`YYYY-MM-DD`, `YYYY-MM`,
    /// `YYYY`), when it is one.
    pub fn xsd_value(&self) -> Option<&str> {
        match self.precision {
            Precision::Day | Precision::Month | Precision::VagueMonth | Precision::Year => {
                self.value.as_deref()
            }
            _ => None,
        }
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

fn month_of(token: &Token) -> Option<u32> {
    if token.kind != TokenKind::Word || !token.capitalized {
        return None;
    }
    let word = token.form(true);
    let word = word.strip_suffix('.').unwrap_or(word);
    (1..=12u32).zip(MONTHS).find_map(|(n, name)| {
        let abbreviation = word.len() >= 3 && name.starts_with(word) && word.len() <= 4;
        (word == name || abbreviation).then_some(n)
    })
}

fn weekday_of(token: &Token) -> Option<i64> {
    if token.kind != TokenKind::Word || !token.capitalized {
        return None;
    }
    (0..7)
        .zip(WEEKDAYS)
        .find_map(|(n, name)| (token.form(true) == name).then_some(n))
}

fn number_of(token: &Token) -> Option<i64> {
    (token.kind == TokenKind::Number && !token.folded.contains(','))
        .then(|| token.folded.parse().ok())
        .flatten()
}

fn year_of(token: &Token) -> Option<i64> {
    let n = number_of(token)?;
    (token.folded.len() == 4 && (1800..=2100).contains(&n)).then_some(n)
}

/// One match: the tokens it covers (end exclusive), its value and precision.
struct Found {
    tokens: Range<usize>,
    value: Option<String>,
    precision: Precision,
    rule: &'static str,
}

/// Finds the dates among `tokens` (one line), resolving them against `document` when given.
///
/// ```
/// use kg::extract::dates::{find_dates, Day};
/// use kg::extract::token::tokenize;
/// let text = "He resigned on Friday, hours after talks in late November.";
/// let tokens = tokenize(text, 0..text.len());
/// let dates = find_dates(&tokens, Day::parse("2025-12-03"));
/// let found: Vec<(&str, Option<&str>)> = dates
///     .iter()
///     .map(|d| (&text[d.span.clone()], d.value.as_deref()))
///     .collect();
/// assert_eq!(found, [("on Friday", Some("2025-11-28")), ("late November", Some("2025-11"))]);
/// ```
pub fn find_dates(tokens: &[Token], document: Option<Day>) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(found) = at(tokens, i, document) {
            let span = tokens[found.tokens.start].span.start
                ..tokens[found.tokens.end - 1]
                    .stem_end()
                    .max(tokens[found.tokens.end - 1].span.start);
            out.push(DateMention {
                span,
                value: found.value,
                precision: found.precision,
                rule: found.rule,
            });
            i = found.tokens.end;
        } else {
            i += 1;
        }
    }
    out
}

fn word(tokens: &[Token], i: usize) -> Option<&str> {
    tokens
        .get(i)
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.folded.as_str())
}

fn at(tokens: &[Token], i: usize, doc: Option<Day>) -> Option<Found> {
    let w = |k: usize| word(tokens, i + k);
    // Phrases relative to the document date.
    if let Some(found) = relative(tokens, i, doc) {
        return Some(found);
    }
    // `last Tuesday`, `next Friday`, `this Monday`.
    if let (Some(which @ ("last" | "next" | "this")), Some(weekday)) =
        (w(0), tokens.get(i + 1).and_then(weekday_of))
    {
        let value = doc.map(|d| {
            let back = (d.weekday() - weekday).rem_euclid(7);
            match which {
                "last" => d.plus(-(if back == 0 { 7 } else { back })),
                "next" => d.plus((weekday - d.weekday()).rem_euclid(7).max(1)),
                _ => d.plus(weekday - d.weekday()),
            }
            .to_string()
        });
        return Some(Found {
            tokens: i..i + 2,
            value,
            precision: Precision::Day,
            rule: "weekday before, after or in the document's week",
        });
    }
    // `on` + a day.
    // `on Tuesday`, but not `sat in on Tuesday's session`.
    if w(0) == Some("on")
        && tokens.get(i + 1).is_some_and(|t| t.stem.is_none())
        && let Some(mut found) = day_at(tokens, i + 1, doc)
    {
        found.tokens.start = i;
        return Some(found);
    }
    if let Some(found) = day_at(tokens, i, doc) {
        return Some(found);
    }
    // late / early / mid + month.
    if matches!(w(0), Some("late" | "early" | "mid"))
        && let Some(month) = tokens.get(i + 1).and_then(month_of)
    {
        let (year, end) = match tokens.get(i + 2).and_then(year_of) {
            Some(year) => (Some(year), i + 3),
            None => (doc.map(|d| latest_year_of_month(d, month)), i + 2),
        };
        return Some(Found {
            tokens: i..end,
            value: year.map(|y| format!("{y:04}-{month:02}")),
            precision: Precision::VagueMonth,
            rule: "part of a month",
        });
    }
    let token = tokens.get(i)?;
    if let Some(month) = month_of(token) {
        if let Some(year) = tokens.get(i + 1).and_then(year_of) {
            return Some(Found {
                tokens: i..i + 2,
                value: Some(format!("{year:04}-{month:02}")),
                precision: Precision::Month,
                rule: "month and year",
            });
        }
        // `May` and `March` opening a sentence are too often a verb.
        let opens = i == 0
            || matches!(
                tokens[i - 1].kind,
                TokenKind::Mark('.' | '?' | '!' | '“' | '"' | ':')
            );
        if matches!(month, 3 | 5) && opens {
            return None;
        }
        return Some(Found {
            tokens: i..i + 1,
            value: doc.map(|d| format!("{:04}-{month:02}", latest_year_of_month(d, month))),
            precision: Precision::Month,
            rule: "month alone: the latest such month",
        });
    }
    let year = year_of(token)?;
    let after_currency = i > 0 && matches!(tokens[i - 1].kind, TokenKind::Mark('$' | '€' | '£'));
    (!after_currency && !token.hyphen_after).then(|| Found {
        tokens: i..i + 1,
        value: Some(format!("{year:04}")),
        precision: Precision::Year,
        rule: "year",
    })
}

/// A weekday, or a month and day (and year), starting at `i`.
fn day_at(tokens: &[Token], i: usize, doc: Option<Day>) -> Option<Found> {
    let token = tokens.get(i)?;
    if let Some(weekday) = weekday_of(token) {
        return Some(Found {
            tokens: i..i + 1,
            value: doc.map(|d| d.plus(-(d.weekday() - weekday).rem_euclid(7)).to_string()),
            precision: Precision::Day,
            rule: "weekday: the latest such day on or before the document date",
        });
    }
    if let Some(month) = month_of(token) {
        let day = tokens.get(i + 1).and_then(number_of)?;
        let day = u32::try_from(day).ok().filter(|d| (1..=31).contains(d))?;
        // `December 5, 2025`
        let comma = tokens.get(i + 2).is_some_and(|t| t.is_mark(','));
        let year_at = if comma { i + 3 } else { i + 2 };
        if let Some(year) = tokens.get(year_at).and_then(year_of) {
            return Day::from_ymd(year, month, day).map(|d| Found {
                tokens: i..year_at + 1,
                value: Some(d.to_string()),
                precision: Precision::Day,
                rule: "month, day and year",
            });
        }
        return Some(Found {
            tokens: i..i + 2,
            value: doc
                .and_then(|d| nearest(d, month, day))
                .map(|d| d.to_string()),
            precision: Precision::Day,
            rule: "month and day: the year nearest the document date",
        });
    }
    // `3 December [2025]`
    let day = number_of(token)?;
    let day = u32::try_from(day).ok().filter(|d| (1..=31).contains(d))?;
    let month = tokens.get(i + 1).and_then(month_of)?;
    if let Some(year) = tokens.get(i + 2).and_then(year_of) {
        return Day::from_ymd(year, month, day).map(|d| Found {
            tokens: i..i + 3,
            value: Some(d.to_string()),
            precision: Precision::Day,
            rule: "day, month and year",
        });
    }
    Some(Found {
        tokens: i..i + 2,
        value: doc
            .and_then(|d| nearest(d, month, day))
            .map(|d| d.to_string()),
        precision: Precision::Day,
        rule: "day and month: the year nearest the document date",
    })
}

/// Phrases relative to the document date.
fn relative(tokens: &[Token], i: usize, doc: Option<Day>) -> Option<Found> {
    let w = |k: usize| word(tokens, i + k);
    let found = |len: usize, value: Option<String>, precision, rule| {
        Some(Found {
            tokens: i..i + len,
            value,
            precision,
            rule,
        })
    };
    let day = |offset: i64| doc.map(|d| d.plus(offset).to_string());
    match (w(0)?, w(1), w(2)) {
        ("over", Some("the"), Some("weekend")) | ("last", Some("weekend"), _) => {
            let len = if w(0) == Some("over") { 3 } else { 2 };
            let value = doc.map(|d| {
                let yesterday = d.plus(-1);
                let saturday = yesterday.plus(-(yesterday.weekday() - 5).rem_euclid(7));
                weekend(saturday)
            });
            found(len, value, Precision::Interval, "the weekend just past")
        }
        (which @ ("this" | "next"), Some("weekend"), _) => {
            let value = doc.map(|d| {
                let saturday = if d.weekday() == 6 {
                    d.plus(-1)
                } else {
                    d.plus((5 - d.weekday()).rem_euclid(7))
                };
                weekend(saturday.plus(if which == "next" { 7 } else { 0 }))
            });
            found(2, value, Precision::Interval, "the coming weekend")
        }
        (which @ ("this" | "last" | "next"), Some("week"), _) => {
            let shift = shift_of(which);
            let value = doc.map(|d| {
                let (year, week) = d.plus(7 * shift).iso_week();
                format!("{year:04}-W{week:02}")
            });
            found(2, value, Precision::Week, "week of the document date")
        }
        (which @ ("this" | "last" | "next"), Some("month"), _) => {
            let value = doc.map(|d| {
                let (y, m, _) = d.ymd();
                let months = y * 12 + i64::from(m) - 1 + shift_of(which);
                format!(
                    "{:04}-{:02}",
                    months.div_euclid(12),
                    months.rem_euclid(12) + 1
                )
            });
            found(2, value, Precision::Month, "month of the document date")
        }
        (which @ ("this" | "last" | "next"), Some("year"), _) => {
            let value = doc.map(|d| format!("{:04}", d.ymd().0 + shift_of(which)));
            found(2, value, Precision::Year, "year of the document date")
        }
        ("this", Some("morning" | "afternoon" | "evening"), _) => {
            found(2, day(0), Precision::Day, "the document date")
        }
        ("today" | "tonight", _, _) => found(1, day(0), Precision::Day, "the document date"),
        ("yesterday", _, _) => found(1, day(-1), Precision::Day, "the day before the document"),
        ("last", Some("night"), _) => {
            found(2, day(-1), Precision::Day, "the day before the document")
        }
        ("tomorrow", _, _) => found(1, day(1), Precision::Day, "the day after the document"),
        ("days" | "weeks", Some("prior" | "earlier" | "ago" | "later"), _) => {
            found(2, None, Precision::Vague, "an unstated number of days")
        }
        ("recently", _, _) => found(1, None, Precision::Vague, "recently"),
        _ => None,
    }
}

fn shift_of(which: &str) -> i64 {
    match which {
        "last" => -1,
        "next" => 1,
        _ => 0,
    }
}

fn weekend(saturday: Day) -> String {
    format!("{saturday}/{}", saturday.plus(1))
}

/// The year of the latest `month` on or before the document's month.
fn latest_year_of_month(doc: Day, month: u32) -> i64 {
    let (y, m, _) = doc.ymd();
    if month <= m { y } else { y - 1 }
}

/// The `month`/`day` nearest the document date (the year before, of or after it).
fn nearest(doc: Day, month: u32, day: u32) -> Option<Day> {
    let (y, _, _) = doc.ymd();
    [y - 1, y, y + 1]
        .into_iter()
        .filter_map(|year| Day::from_ymd(year, month, day))
        .min_by_key(|d| (d.0 - doc.0).abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::token::tokenize;

    fn dates(text: &str, doc: &str) -> Vec<(String, Option<String>, &'static str)> {
        let tokens = tokenize(text, 0..text.len());
        find_dates(&tokens, Day::parse(doc))
            .into_iter()
            .map(|d| (text[d.span].to_owned(), d.value, d.precision.name()))
            .collect()
    }

    fn one(text: &str, doc: &str) -> (Option<String>, &'static str) {
        let found = dates(text, doc);
        assert_eq!(found.len(), 1, "{text}: {found:?}");
        (found[0].1.clone(), found[0].2)
    }

    #[test]
    fn calendar_arithmetic() {
        let d = Day::parse("2025-12-03").unwrap();
        assert_eq!(d.weekday(), 2);
        assert_eq!(d.iso_week(), (2025, 49));
        assert_eq!(Day::parse("2024-12-30").unwrap().iso_week(), (2025, 1));
        assert_eq!(Day::parse("2021-01-03").unwrap().iso_week(), (2020, 53));
        assert_eq!(
            Day::parse("2024-02-29").unwrap().plus(1).to_string(),
            "2024-03-01"
        );
        assert_eq!(
            Day::from_ymd(1969, 12, 31).unwrap().to_string(),
            "1969-12-31"
        );
    }

    #[test]
    fn weekdays_and_weekends_resolve_against_the_document_date() {
        let doc = "2025-12-03"; // a Wednesday
        assert_eq!(
            one("met on Tuesday", doc),
            (Some("2025-12-02".into()), "day")
        );
        assert_eq!(
            one("said on Wednesday", doc),
            (Some("2025-12-03".into()), "day")
        );
        assert_eq!(
            one("resigned on Friday", doc),
            (Some("2025-11-28".into()), "day")
        );
        assert_eq!(
            one("talks over the weekend", doc),
            (Some("2025-11-29/2025-11-30".into()), "interval")
        );
        assert_eq!(
            one("again this weekend", "2025-12-05"),
            (Some("2025-12-06/2025-12-07".into()), "interval")
        );
        assert_eq!(one("this week", doc), (Some("2025-W49".into()), "week"));
        assert_eq!(
            one("last week", "2025-12-05"),
            (Some("2025-W48".into()), "week")
        );
        assert_eq!(
            one("next week", "2025-12-04"),
            (Some("2025-W50".into()), "week")
        );
        assert_eq!(one("last month", doc), (Some("2025-11".into()), "month"));
        assert_eq!(
            one("last night", "2025-12-04"),
            (Some("2025-12-03".into()), "day")
        );
        assert_eq!(
            one("this morning", "2025-12-04"),
            (Some("2025-12-04".into()), "day")
        );
        let last = one("last Tuesday", "2025-12-08");
        assert_eq!(last, (Some("2025-12-02".into()), "day"));
        let last = one("last Wednesday", doc);
        assert_eq!(last, (Some("2025-11-26".into()), "day"));
        assert_eq!(one("next Friday", doc), (Some("2025-12-05".into()), "day"));
        assert_eq!(one("this Monday", doc), (Some("2025-12-01".into()), "day"));
    }

    #[test]
    fn absolute_dates_and_months() {
        let doc = "2025-12-03";
        assert_eq!(
            one("December 5, 2025", doc),
            (Some("2025-12-05".into()), "day")
        );
        assert_eq!(
            one("MOSCOW, Dec. 3 (Wire)", doc),
            (Some("2025-12-03".into()), "day")
        );
        assert_eq!(
            one("resigned on Nov. 28 after", doc),
            (Some("2025-11-28".into()), "day")
        );
        assert_eq!(one("since October", doc), (Some("2025-10".into()), "month"));
        assert_eq!(
            one("in mid-November", doc),
            (Some("2025-11".into()), "vague-month")
        );
        assert_eq!(one("since 2022", doc), (Some("2022".into()), "year"));
        assert_eq!(one("on 3 January", doc), (Some("2026-01-03".into()), "day"));
        assert_eq!(dates("on Nov. 28", doc)[0].0, "on Nov. 28");
        assert_eq!(dates("late on Tuesday", doc)[0].0, "on Tuesday");
        assert_eq!(dates("Tuesday's session", doc)[0].0, "Tuesday");
        assert_eq!(dates("sat in on Tuesday's session", doc)[0].0, "Tuesday");
    }

    #[test]
    fn vague_and_unanchored_dates_have_no_value() {
        assert_eq!(one("days prior", "2025-12-03"), (None, "vague"));
        let found = dates("on Tuesday in late November", "");
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|(_, value, _)| value.is_none()));
        assert_eq!(one("in 2022", ""), (Some("2022".into()), "year"));
    }

    #[test]
    fn numbers_and_generic_words_are_not_dates() {
        let doc = "2025-12-03";
        for text in [
            "a 28-point plan",
            "600,000 troops",
            "$2000 each",
            "Every week the list",
            "hours before",
            "you may go",
            "for more than a year",
        ] {
            assert!(
                dates(text, doc).is_empty(),
                "{text}: {:?}",
                dates(text, doc)
            );
        }
    }
}
