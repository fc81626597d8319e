//! Words and marks of one line, with their byte ranges: what every rule of the extraction walks.
//!
//! A word is a run of letters and digits; an apostrophe between letters stays inside it
//! (`don’t`, `Putin’s`), and so do dots between single letters (`U.S.`) and the full stop of an
//! abbreviation ([`crate::ingest::text::sentences::TITLES`], month abbreviations, initials).
//! Numbers keep their thousands separators and decimals (`600,000`, `1.5`). Hyphens, slashes and
//! dashes written without spaces separate words without being tokens (`28-point` is `28`,
//! `point`; `Witkoff–Putin` is two names); a spaced dash, and every other mark, is a token of its
//! own. Each word carries its folded form ([`crate::names::fold`]) and, when it ends in a
//! possessive `’s` / `'s` (or a plural `s’`), the folded form without it.

use std::ops::Range;

use crate::ingest::text::sentences::TITLES;
use crate::names::fold;

/// Month abbreviations whose full stop belongs to the word.
const MONTH_ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and possibly digits).
    Word,
    /// Digits, with `,` and `.` inside.
    Number,
    /// One mark: `,` `“` `(` `—` …
    Mark(char),
}

/// One token of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte range in the text.
    pub span: Range<usize>,
    /// What it is.
    pub kind: TokenKind,
    /// Folded form (marks fold to themselves).
    pub folded: String,
    /// For a possessive word: its folded form without `’s` and where the word ends without it.
    pub stem: Option<(String, usize)>,
    /// The first character is upper case.
    pub capitalized: bool,
    /// The word has no lower-case letter.
    pub upper: bool,
    /// A hyphen joins it to the next token (`28-point`).
    pub hyphen_after: bool,
}

impl Token {
    /// Whether this is a word or a number.
    pub fn is_word(&self) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::Number)
    }

    /// Whether this is the mark `c`.
    pub fn is_mark(&self, c: char) -> bool {
        self.kind == TokenKind::Mark(c)
    }

    /// The folded form, or the stem when `stem` is asked and there is one.
    pub fn form(&self, stem: bool) -> &str {
        match (&self.stem, stem) {
            (Some((s, _)), true) => s,
            _ => &self.folded,
        }
    }

    /// Where the word ends without its possessive.
    pub fn stem_end(&self) -> usize {
        self.stem.as_ref().map_or(self.span.end, |&(_, end)| end)
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Tokenizes `text[range]`; spans are offsets in `text`.
///
/// ```
/// use kg::extract::token::{tokenize, TokenKind};
/// let text = "Mr. Putin’s 28-point plan, U.S.-backed.";
/// let tokens = tokenize(text, 0..text.len());
/// let folded: Vec<&str> = tokens.iter().map(|t| t.folded.as_str()).collect();
/// assert_eq!(folded, ["mr", "putins", "28", "point", "plan", ",", "us", "backed", "."]);
/// assert_eq!(tokens[1].form(true), "putin");
/// assert_eq!(tokens[2].kind, TokenKind::Number);
/// assert!(tokens[2].hyphen_after);
/// ```
pub fn tokenize(text: &str, range: Range<usize>) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text[range.clone()]
        .char_indices()
        .map(|(at, c)| (at + range.start, c))
        .collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        if c.is_whitespace() {
            i += 1;
        } else if matches!(c, '-' | '/' | '‐' | '‑') || (is_dash(c) && !spaced(&chars, i)) {
            if c == '-'
                && let Some(last) = tokens.last_mut()
                && last.span.end == chars[i].0
            {
                last.hyphen_after = true;
            }
            i += 1;
        } else if c.is_alphanumeric() {
            let (token, end) = word(text, &chars, i, range.end);
            tokens.push(token);
            i = end;
        } else {
            tokens.push(mark(chars[i].0, c));
            i += 1;
        }
    }
    tokens
}

/// The word starting at `chars[start]`, and the index after it.
fn word(text: &str, chars: &[(usize, char)], start: usize, end_of_text: usize) -> (Token, usize) {
    let at = |i: usize| chars.get(i).map_or(end_of_text, |&(at, _)| at);
    let ch = |i: usize| chars.get(i).map(|&(_, c)| c);
    let numeric = chars[start].1.is_ascii_digit();
    let mut i = start + 1;
    while let Some(c) = ch(i) {
        let next = ch(i + 1);
        let continues = if c.is_alphanumeric() {
            true
        } else if numeric {
            matches!(c, ',' | '.') && next.is_some_and(|n| n.is_ascii_digit())
        } else if is_apostrophe(c) {
            next.is_some_and(char::is_alphanumeric)
        } else {
            // `U.S`: a dot between single letters.
            c == '.'
                && next.is_some_and(char::is_alphabetic)
                && ch(i + 2).is_none_or(|n| !n.is_alphanumeric())
                && single_letter_parts(&chars[start..i])
        };
        if !continues {
            break;
        }
        i += 1;
    }
    let written: String = chars[start..i].iter().map(|&(_, c)| c).collect();
    // A final full stop that belongs to the word.
    if !numeric && ch(i) == Some('.') {
        let lower = written.to_lowercase();
        let single = written.chars().count() == 1 && written.chars().all(char::is_uppercase);
        if TITLES.contains(&lower.as_str())
            || MONTH_ABBREVIATIONS.contains(&lower.as_str())
            || single
            || written.contains('.')
        {
            i += 1;
        }
    }
    // A plural possessive: `analysts’ view`.
    let mut stem = None;
    if !numeric
        && ch(i).is_some_and(is_apostrophe)
        && written.ends_with(['s', 'S'])
        && ch(i + 1).is_none_or(|n| !n.is_alphanumeric())
    {
        stem = Some((fold(&written), at(i)));
        i += 1;
    }
    let text_of = &text[at(start)..at(i)];
    if stem.is_none() {
        stem = possessive(text_of).map(|s| (fold(s), at(start) + s.len()));
    }
    // `NATO’s` is upper case: its possessive does not count.
    let upper = !text[at(start)..stem.as_ref().map_or(at(i), |s| s.1)]
        .chars()
        .any(char::is_lowercase);
    let number = text_of
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ',' | '.'));
    let token = Token {
        span: at(start)..at(i),
        kind: if number {
            TokenKind::Number
        } else {
            TokenKind::Word
        },
        // Numbers keep their separators: `1.5` is not `15`.
        folded: if number {
            text_of.to_owned()
        } else {
            fold(text_of)
        },
        stem,
        capitalized: text_of.chars().next().is_some_and(char::is_uppercase),
        upper,
        hyphen_after: false,
    };
    (token, i)
}

/// Whether the word so far is single letters between dots (`U`, `U.S`).
fn single_letter_parts(chars: &[(usize, char)]) -> bool {
    chars
        .split(|&(_, c)| c == '.')
        .all(|part| part.len() == 1 && part[0].1.is_alphabetic())
}

fn possessive(word: &str) -> Option<&str> {
    ["’s", "'s", "’S", "'S"]
        .into_iter()
        .find_map(|suffix| word.strip_suffix(suffix))
        .filter(|stem| !stem.is_empty())
}

fn is_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '―')
}

/// A dash with white space (or a line end) on both sides.
fn spaced(chars: &[(usize, char)], i: usize) -> bool {
    let before = i == 0 || chars[i - 1].1.is_whitespace();
    let after = chars.get(i + 1).is_none_or(|&(_, c)| c.is_whitespace());
    before && after
}

fn mark(at: usize, c: char) -> Token {
    Token {
        span: at..at + c.len_utf8(),
        kind: TokenKind::Mark(c),
        folded: c.to_string(),
        stem: None,
        capitalized: false,
        upper: true,
        hyphen_after: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        tokenize(text, 0..text.len())
            .into_iter()
            .map(|t| t.folded)
            .collect()
    }

    #[test]
    fn keeps_abbreviations_initials_and_numbers_whole() {
        assert_eq!(
            folded("Dr. Marco A. Rubio met on Dec. 3 at 9 a.m. with 600,000 troops."),
            [
                "dr", "marco", "a", "rubio", "met", "on", "dec", "3", "at", "9", "am", "with",
                "600,000", "troops", "."
            ]
        );
    }

    #[test]
    fn splits_on_dashes_and_keeps_spaced_dashes_as_marks() {
        assert_eq!(
            folded("Witkoff–Putin channel"),
            ["witkoff", "putin", "channel"]
        );
        assert_eq!(folded("ceasefire—that is"), ["ceasefire", "that", "is"]);
        assert_eq!(
            folded("chasing — a hearing"),
            ["chasing", "—", "a", "hearing"]
        );
        assert_eq!(folded("US–Russian trade"), ["us", "russian", "trade"]);
    }

    #[test]
    fn possessives_have_stems() {
        let text = "Zelenskyy's office and analysts’ views, don’t";
        let tokens = tokenize(text, 0..text.len());
        assert_eq!(tokens[0].form(true), "zelenskyy");
        assert_eq!(
            &text[tokens[0].span.start..tokens[0].stem_end()],
            "Zelenskyy"
        );
        assert_eq!(tokens[3].form(true), "analysts");
        assert_eq!(tokens[3].folded, "analysts");
        assert_eq!(tokens[6].stem, None);
        assert_eq!(tokens[6].folded, "dont");
    }

    #[test]
    fn spans_are_offsets_in_the_whole_text() {
        let text = "ab\nMOSCOW, Dec. 3";
        let tokens = tokenize(text, 3..text.len());
        assert_eq!(&text[tokens[0].span.clone()], "MOSCOW");
        assert!(tokens[0].upper && tokens[0].capitalized);
        assert_eq!(&text[tokens[2].span.clone()], "Dec.");
    }
}
