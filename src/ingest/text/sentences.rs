//! Numbering the sentences of a source text, so facts can cite "document d, sentence n".
//!
//! The rule is simple enough to apply by hand: lines are paragraphs; inside a line a sentence ends
//! at `.`, `?` or `!` (and any closing quotes or brackets right after it) when white space and then
//! an upper-case letter, an opening quote or bracket follow, or the line ends. Whatever is left of a
//! line is one more sentence. Blank pieces are skipped; numbers run from 1 through the document.
//! "U.S. officials" stays one sentence because a lower-case word follows the abbreviation.

use std::ops::Range;

/// One sentence: its 1-based number and its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// 1-based position in the document.
    pub number: u64,
    /// Byte range in the text, without surrounding white space.
    pub span: Range<usize>,
}

/// Splits a text into numbered sentences.
///
/// ```
/// let text = "The U.S. envoy met him. “It went well,” he said.\nNext paragraph";
/// let sentences = kg::ingest::text::sentences::split(text);
/// let words: Vec<&str> = sentences.iter().map(|s| &text[s.span.clone()]).collect();
/// assert_eq!(words, ["The U.S. envoy met him.", "“It went well,” he said.", "Next paragraph"]);
/// ```
pub fn split(text: &str) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut start = line_start;
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (_, c) = chars[i];
            if matches!(c, '.' | '?' | '!') {
                let mut end = i + 1;
                while end < chars.len() && is_closing(chars[end].1) {
                    end += 1;
                }
                if ends_sentence(&chars[end..]) {
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
    fn numbers_across_paragraphs_and_skips_blank_lines() {
        let sentences = split("A.\r\n\r\nB. C.\n");
        assert_eq!(sentences.len(), 3);
        assert_eq!(sentences[2].number, 3);
    }

    #[test]
    fn empty_text_has_no_sentences() {
        assert!(split("").is_empty());
        assert!(split(" \n \n").is_empty());
    }
}
