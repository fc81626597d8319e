//! Numbering the sentences of a source text, so facts can cite "document d, sentence n".
//!
//! The rule is simple enough to apply by hand: lines are paragraphs; inside a line a sentence ends
//! at `.`, `?` or `!` (and any closing quotes or brackets right after it) when white space and then
//! an upper-case letter, an opening quote or bracket follow, or the line ends. Whatever is left of a
//! line is one more sentence. Blank pieces are skipped; numbers run from 1 through the document.
//!
//! A full stop after an abbreviation does not end a sentence:
//!
//! - a title or a Latin abbreviation (`Mr.`, `Dr.`, `Gen.`, `Sen.`, `St.`, `vs.`, `e.g.`: the list
//!   is [`TITLES`]), whatever follows;
//! - an initial (`Marco A. Rubio`) or an upper-case dotted abbreviation (`U.S.`, `U.N.`) before a
//!   capitalised word. ("U.S. officials" never ended a sentence: a lower-case word follows.)
//!
//! A line may open with a speaker label (`MR. RUBIO: `, `QUESTION: `: upper-case words and a
//! colon) or a wire dateline (`MOSCOW, Dec. 3 (Agency) — `: an upper-case place, optionally a
//! date and a credit in brackets, then a dash). Neither belongs to a sentence: [`line_lead`] finds
//! them, and the first sentence of the line starts after them.

use std::ops::Range;

/// One sentence: its 1-based number and its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// 1-based position in the document.
    pub number: u64,
    /// Byte range in the text, without surrounding white space.
    pub span: Range<usize>,
}

/// Abbreviations whose full stop never ends a sentence (compared without the stop, ignoring
/// case).
pub const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt",
    "cpl", "pvt", "sen", "rep", "gov", "pres", "amb", "hon", "rev", "fr", "st", "mt", "vs", "cf",
    "e.g", "i.e", "approx", "jr", "sr",
];

/// What opens a line before its first sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadKind {
    /// `NAME: ` in a transcript.
    Speaker,
    /// `PLACE, date (credit) — ` in wire copy.
    Dateline,
}

/// A speaker label or dateline at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    /// Which of the two.
    pub kind: LeadKind,
    /// Byte range of the label's name (`MR. RUBIO`) or of the whole dateline without its dash.
    pub name: Range<usize>,
    /// Bytes up to where the first sentence may start.
    pub len: usize,
}

/// Splits a text into numbered sentences.
///
/// ```
/// let text = "The U.S. envoy met Mr. Putin. “It went well,” he said.\nNext paragraph";
/// let sentences = kg::ingest::text::sentences::split(text);
/// let words: Vec<&str> = sentences.iter().map(|s| &text[s.span.clone()]).collect();
/// assert_eq!(words, ["The U.S. envoy met Mr. Putin.", "“It went well,” he said.", "Next paragraph"]);
/// ```
pub fn split(text: &str) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let lead = line_lead(line).map_or(0, |lead| lead.len);
        let mut start = line_start + lead;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut i = chars.partition_point(|&(at, _)| at < lead);
        while i < chars.len() {
            let (_, c) = chars[i];
            if matches!(c, '.' | '?' | '!') {
                let mut end = i + 1;
                while end < chars.len() && is_closing(chars[end].1) {
                    end += 1;
                }
                if ends_sentence(&chars[end..]) && !(c == '.' && abbreviation(line, &chars, i, end))
                {
                    let stop = line_start + chars.get(end).map_or(line.len(), |&(at, _)| at);
                    push(text, start..stop, &mut sentences);
                    start = stop;
                    i = end;
                    continue;
                }
            }
            i += 1;
        }
        push(text, start..line_start + line.len(), &mut sentences);
        line_start += line.len();
    }
    sentences
}

/// The speaker label or dateline a line opens with, if any.
///
/// ```
/// use kg::ingest::text::sentences::{line_lead, LeadKind};
/// let lead = line_lead("MR. RUBIO: Thank you.").unwrap();
/// assert_eq!((lead.kind, lead.name, lead.len), (LeadKind::Speaker, 0..9, 11));
/// let lead = line_lead("MOSCOW, Dec. 3 (Wire) — Talks ended.").unwrap();
/// assert_eq!(lead.kind, LeadKind::Dateline);
/// assert!(line_lead("Mr. Rubio: thanks").is_none());
/// ```
pub fn line_lead(line: &str) -> Option<Lead> {
    speaker_label(line).or_else(|| dateline(line))
}

/// `NAME: ` where NAME is upper-case letters, dots, spaces, apostrophes and hyphens, starting with
/// a letter, and holding no more than four words.
fn speaker_label(line: &str) -> Option<Lead> {
    let colon = line.find(':')?;
    let name = &line[..colon];
    let first = name.chars().next()?;
    if !first.is_uppercase()
        || name.ends_with(' ')
        || name.split(' ').count() > 4
        || !name
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, '.' | ' ' | '\'' | '’' | '-'))
    {
        return None;
    }
    let after = &line[colon + 1..];
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    if spaces == 0 && !after.trim_end().is_empty() {
        return None;
    }
    Some(Lead {
        kind: LeadKind::Speaker,
        name: 0..colon,
        len: colon + 1 + spaces,
    })
}

/// `PLACE[, date][ (credit)] — ` with PLACE in upper case (two letters at least) and the dash an
/// em dash, en dash or `--`, followed by a space.
fn dateline(line: &str) -> Option<Lead> {
    let place_end = line
        .char_indices()
        .find(|&(_, c)| !(c.is_uppercase() || matches!(c, ' ' | '.' | '\'' | '’' | '-')))
        .map_or(line.len(), |(at, _)| at);
    let place = line[..place_end].trim_end();
    if place.chars().filter(|c| c.is_uppercase()).count() < 2 {
        return None;
    }
    let mut rest = &line[place.len()..];
    if let Some(after) = rest.strip_prefix(", ") {
        // A short date: letters, digits, dots, spaces and commas.
        let len = after
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | ' ' | ',')))
            .unwrap_or(after.len());
        if len == 0 || len > 24 {
            return None;
        }
        rest = &after[len..];
        if !rest.starts_with('(') && !is_dash_start(rest) {
            return None;
        }
        rest = rest.trim_start_matches(' ');
    } else {
        rest = rest.trim_start_matches(' ');
    }
    if let Some(after) = rest.strip_prefix('(') {
        let close = after.find(')')?;
        if close > 60 {
            return None;
        }
        rest = after[close + 1..].trim_start_matches(' ');
    }
    let dash = ["— ", "– ", "-- "]
        .into_iter()
        .find(|d| rest.starts_with(d))?;
    let dash_at = line.len() - rest.len();
    let len = dash_at + dash.len();
    Some(Lead {
        kind: LeadKind::Dateline,
        name: 0..line[..dash_at].trim_end().len(),
        len: len + (line[len..].len() - line[len..].trim_start_matches(' ').len()),
    })
}

fn is_dash_start(rest: &str) -> bool {
    let rest = rest.trim_start_matches(' ');
    rest.starts_with('—') || rest.starts_with('–') || rest.starts_with("--")
}

/// Whether the stop at `chars[stop]` closes an abbreviation rather than the sentence; `next` is
/// the index after any closing marks.
fn abbreviation(line: &str, chars: &[(usize, char)], stop: usize, next: usize) -> bool {
    if next != stop + 1 {
        // `Mr.”` — a closing mark after the stop: the sentence ends.
        return false;
    }
    // The word before the stop: back to white space or an opening mark.
    let mut begin = stop;
    while begin > 0 {
        let c = chars[begin - 1].1;
        if c.is_whitespace() || is_opening(c) || matches!(c, '—' | '–' | '(' | '/') {
            break;
        }
        begin -= 1;
    }
    if begin == stop {
        return false;
    }
    let word = &line[chars[begin].0..chars[stop].0];
    let lower = word.to_lowercase();
    if TITLES.contains(&lower.as_str()) {
        return true;
    }
    let capital_follows = chars[next..]
        .iter()
        .find(|(_, c)| !c.is_whitespace())
        .is_some_and(|(_, c)| c.is_uppercase());
    if !capital_follows {
        return false;
    }
    let mut letters = word.chars();
    let initial = letters.next().is_some_and(char::is_uppercase) && letters.next().is_none();
    let dotted = word.contains('.')
        && word
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_uppercase));
    initial || dotted
}

fn is_closing(c: char) -> bool {
    matches!(c, '”' | '"' | '’' | '\'' | ')' | ']' | '»')
}

fn is_opening(c: char) -> bool {
    matches!(c, '“' | '"' | '‘' | '(' | '[' | '«')
}

/// Whether what follows a full stop ends the sentence: end of line, or white space then a capital
/// letter, digit-free opening quote or bracket.
fn ends_sentence(rest: &[(usize, char)]) -> bool {
    let mut spaces = 0;
    for &(_, c) in rest {
        if c == '\n' || c == '\r' {
            return true;
        }
        if c.is_whitespace() {
            spaces += 1;
            continue;
        }
        return spaces > 0 && (c.is_uppercase() || is_opening(c));
    }
    true
}

fn push(text: &str, range: Range<usize>, sentences: &mut Vec<Sentence>) {
    let piece = &text[range.clone()];
    let trimmed_start = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        return;
    }
    let start = range.start + trimmed_start;
    sentences.push(Sentence {
        number: sentences.len() as u64 + 1,
        span: start..start + trimmed.len(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        split(text).iter().map(|s| &text[s.span.clone()]).collect()
    }

    #[test]
    fn splits_on_stops_followed_by_capitals() {
        assert_eq!(
            words("One. Two? Three! four."),
            ["One.", "Two?", "Three! four."]
        );
    }

    #[test]
    fn keeps_abbreviations_and_quotes() {
        assert_eq!(
            words("U.S.-Russian talks. “So it goes,” he said. “Yes.”\n\nLast"),
            [
                "U.S.-Russian talks.",
                "“So it goes,” he said.",
                "“Yes.”",
                "Last"
            ]
        );
    }

    #[test]
    fn titles_initials_and_dotted_abbreviations_do_not_end_sentences() {
        assert_eq!(
            words("Mr. Putin met Dr. Nadia Korsak. Gen. Andriy Hnatov came. The U.S. Senate sat."),
            [
                "Mr. Putin met Dr. Nadia Korsak.",
                "Gen. Andriy Hnatov came.",
                "The U.S. Senate sat."
            ]
        );
        assert_eq!(
            words("It was said by Marco A. Rubio on Dec. 3. Talks went on at 9 a.m. Then lunch."),
            [
                "It was said by Marco A. Rubio on Dec. 3.",
                "Talks went on at 9 a.m.",
                "Then lunch."
            ]
        );
        // A word that merely ends like a title still ends its sentence.
        assert_eq!(
            words("He saw the mist. Then rain."),
            ["He saw the mist.", "Then rain."]
        );
        // A closing quote after the stop ends the sentence even after a title-like word.
        assert_eq!(
            words("He said “No.” Then left."),
            ["He said “No.”", "Then left."]
        );
    }

    #[test]
    fn speaker_labels_and_datelines_are_not_part_of_sentences() {
        assert_eq!(
            words("MR. RUBIO: Thank you. Next question.\nQUESTION: Is it done?\nSPOKESMAN:\n"),
            ["Thank you.", "Next question.", "Is it done?"]
        );
        assert_eq!(
            words("MOSCOW, Dec. 3 (Meridian Wire) — Putin met them. They left.\nKYIV — Quiet."),
            ["Putin met them.", "They left.", "Quiet."]
        );
        // Not leads: mixed case, no space after the colon, no dash.
        assert!(line_lead("Note: see below").is_none());
        assert!(line_lead("NATO:x").is_none());
        assert!(line_lead("NATO said so").is_none());
        assert!(line_lead("A — b").is_none());
    }

    #[test]
    fn numbers_across_paragraphs_and_skips_blank_lines() {
        let sentences = split("One.\r\n\r\nTwo. Three.\n");
        assert_eq!(sentences.len(), 3);
        assert_eq!(sentences[2].number, 3);
    }

    #[test]
    fn empty_text_has_no_sentences() {
        assert!(split("").is_empty());
        assert!(split(" \n \n").is_empty());
    }
}
