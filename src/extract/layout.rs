//! The lines of a scraped article: which are its title, its header (byline, date line), page
//! residue (share buttons, advertisements, newsletter forms, captions, credits) and body; and the
//! text kg keeps as the document — the body lines only, so the build's sentence numbering is the
//! numbering of the body.
//!
//! Residue is recognised line by line, from [`RESIDUE`] and any extra prefixes given; the title
//! is the first line when it is short and has no closing punctuation; header lines follow it
//! (short unpunctuated lines, `By …` bylines, lines that are only a date) up to the first body
//! line. After the first body line every line that is not residue is body.

use std::ops::Range;

use super::dates::{Day, Precision, find_dates};
use super::token::tokenize;
use crate::ingest::text::sentences::line_lead;

/// What a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Empty or white space.
    Blank,
    /// The headline.
    Title,
    /// Byline, date line, transcript header.
    Header,
    /// Page furniture, dropped.
    Residue(&'static str),
    /// Text of the document.
    Body,
}

/// One line of the article.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the article.
    pub number: usize,
    /// Byte range, without the line break.
    pub span: Range<usize>,
    /// What it is.
    pub kind: LineKind,
}

/// The article's lines and the text kept.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Every line.
    pub lines: Vec<Line>,
    /// The text kept: the body lines, each ended by `\n`.
    pub kept: String,
    /// For each body line: (byte offset in `kept`, byte offset in the article, length).
    pieces: Vec<(usize, usize, usize)>,
}

/// A rule that recognises page residue.
struct Rule {
    name: &'static str,
    test: fn(&str) -> bool,
}

/// Lines (compared trimmed and in lower case) that are page residue, with the rule's name.
const RESIDUE: &[Rule] = &[
    Rule {
        name: "share button",
        test: |l| {
            matches!(
                l,
                "share" | "share this" | "share this article" | "share this story" | "copy link"
            ) || l.starts_with("share on ")
        },
    },
    Rule {
        name: "advertisement",
        test: |l| {
            matches!(
                l,
                "advertisement" | "advertising" | "sponsored" | "sponsored content" | "ad"
            ) || l.starts_with("skip advertisement")
        },
    },
    Rule {
        name: "form label",
        test: |l| {
            l.contains("indicates required field") || l.contains("required fields are marked")
        },
    },
    Rule {
        name: "newsletter",
        test: |l| {
            l.starts_with("sign up for")
                || l.starts_with("subscribe to")
                || l == "subscribe"
                || l.starts_with("get our newsletter")
        },
    },
    Rule {
        name: "link to another article",
        test: |l| {
            [
                "read more",
                "related:",
                "see also:",
                "more on this story",
                "most read",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        },
    },
    Rule {
        name: "caption",
        test: |l| {
            [
                "photo:", "image:", "video:", "watch:", "listen:", "caption:",
            ]
            .iter()
            .any(|p| l.starts_with(p))
                || l == "listen to this article"
        },
    },
    Rule {
        name: "reporting credit",
        test: |l| {
            l.starts_with("(reporting by")
                || l.starts_with("reporting by")
                || l.starts_with("(additional reporting")
                || l.starts_with("editing by")
                || l.starts_with("(editing by")
        },
    },
    Rule {
        name: "copyright",
        test: |l| {
            l.starts_with("copyright") || l.starts_with('©') || l.contains("all rights reserved")
        },
    },
    Rule {
        name: "end mark",
        test: |l| matches!(l, "# # #" | "###" | "-30-" | "- 30 -" | "ends" | "end"),
    },
    Rule {
        name: "page navigation",
        test: |l| {
            matches!(
                l,
                "skip to content"
                    | "skip to main content"
                    | "comments"
                    | "print"
                    | "email"
                    | "menu"
            ) || l.starts_with("follow us")
                || l.starts_with("click here")
        },
    },
];

fn residue(line: &str, extra: &[String]) -> Option<&'static str> {
    let lower = line.trim().to_lowercase();
    if extra
        .iter()
        .any(|p| !p.is_empty() && lower.starts_with(&p.to_lowercase()))
    {
        return Some("--drop-lines");
    }
    RESIDUE.iter().find(|r| (r.test)(&lower)).map(|r| r.name)
}

/// Whether a line ends like a sentence (`.`, `?`, `!`, maybe inside closing marks).
fn punctuated(line: &str) -> bool {
    let trimmed = line
        .trim_end()
        .trim_end_matches(['”', '"', '’', '\'', ')', ']', '»']);
    trimmed.ends_with(['.', '?', '!', ':', ';'])
}

fn words(line: &str) -> usize {
    line.split_whitespace().count()
}

/// Whether the whole line is one date (`December 5, 2025`).
fn date_line(line: &str) -> bool {
    let tokens = tokenize(line, 0..line.len());
    let dates = find_dates(&tokens, None);
    dates.len() == 1 && dates[0].span.start == line.len() - line.trim_start().len() && {
        let rest = &line[dates[0].span.end..];
        rest.trim().is_empty()
    }
}

impl Layout {
    /// Reads the lines of `text`; `drop_lines` are extra residue prefixes (case-insensitive).
    pub fn read(text: &str, drop_lines: &[String]) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        let mut top = true;
        let mut title_seen = false;
        for (index, raw) in text.split_inclusive('\n').enumerate() {
            let content = raw.trim_end_matches(['\n', '\r']);
            let span = start..start + content.len();
            start += raw.len();
            let kind = if content.trim().is_empty() {
                LineKind::Blank
            } else if let Some(rule) = residue(content, drop_lines) {
                LineKind::Residue(rule)
            } else if !top {
                LineKind::Body
            } else {
                let trimmed = content.trim();
                let byline = trimmed.starts_with("By ")
                    && trimmed[3..].chars().next().is_some_and(char::is_uppercase)
                    && !punctuated(trimmed);
                let short_plain = !punctuated(trimmed) && line_lead(content).is_none();
                if byline || date_line(content) {
                    LineKind::Header
                } else if !title_seen
                    && lines
                        .iter()
                        .all(|l: &Line| matches!(l.kind, LineKind::Blank | LineKind::Residue(_)))
                    && short_plain
                    && words(trimmed) <= 20
                {
                    title_seen = true;
                    LineKind::Title
                } else if title_seen && short_plain && words(trimmed) <= 12 {
                    LineKind::Header
                } else {
                    top = false;
                    LineKind::Body
                }
            };
            lines.push(Line {
                number: index + 1,
                span,
                kind,
            });
        }
        // A "title" with nothing after it is the text itself.
        if !lines.iter().any(|l| l.kind == LineKind::Body) {
            for line in &mut lines {
                if matches!(line.kind, LineKind::Title | LineKind::Header) {
                    line.kind = LineKind::Body;
                }
            }
        }
        let mut kept = String::new();
        let mut pieces = Vec::new();
        for line in &lines {
            if line.kind == LineKind::Body {
                pieces.push((kept.len(), line.span.start, line.span.len()));
                kept.push_str(&text[line.span.clone()]);
                kept.push('\n');
            }
        }
        Self {
            lines,
            kept,
            pieces,
        }
    }

    /// The title line's text, if any.
    pub fn title<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.lines
            .iter()
            .find(|l| l.kind == LineKind::Title)
            .map(|l| text[l.span.clone()].trim())
    }

    /// The document date a header line or dateline states with a year, if any.
    pub fn stated_date(&self, text: &str) -> Option<Day> {
        self.lines
            .iter()
            .filter(|l| matches!(l.kind, LineKind::Header | LineKind::Body))
            .take(6)
            .find_map(|l| {
                let tokens = tokenize(text, l.span.clone());
                find_dates(&tokens, None)
                    .into_iter()
                    .find(|d| d.precision == Precision::Day && d.value.is_some())
                    .and_then(|d| d.value.as_deref().and_then(Day::parse))
            })
    }

    /// Where a byte of the kept text is in the article.
    pub fn to_article(&self, kept: usize) -> usize {
        let i = self.pieces.partition_point(|&(k, _, _)| k <= kept);
        match i.checked_sub(1).map(|i| self.pieces[i]) {
            Some((k, a, len)) => a + (kept - k).min(len),
            None => kept,
        }
    }

    /// Where a byte of the article is in the kept text, if it is kept.
    pub fn to_kept(&self, article: usize) -> Option<usize> {
        let i = self
            .pieces
            .partition_point(|&(_, a, _)| a <= article)
            .checked_sub(1)?;
        let (k, a, len) = self.pieces[i];
        (article <= a + len).then_some(k + article - a)
    }
}

/// Character offsets of byte offsets, for one text.
#[derive(Debug, Clone)]
pub struct CharIndex {
    starts: Vec<usize>,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        Self {
            starts: text.char_indices().map(|(at, _)| at).collect(),
        }
    }

    /// The character offset of a byte offset (a character boundary, or the end).
    pub fn chars(&self, byte: usize) -> usize {
        self.starts.partition_point(|&at| at < byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_title_header_residue_and_body() {
        let text = "A headline about talks\nBy Jane Roe, Correspondent\nDecember 5, 2025\n\
                    Share this article\nThe talks began. They ended.\nAdvertisement\n\
                    More text here.\n\"*\" indicates required fields\n";
        let layout = Layout::read(text, &[]);
        let kinds: Vec<LineKind> = layout.lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                LineKind::Title,
                LineKind::Header,
                LineKind::Header,
                LineKind::Residue("share button"),
                LineKind::Body,
                LineKind::Residue("advertisement"),
                LineKind::Body,
                LineKind::Residue("form label"),
            ]
        );
        assert_eq!(
            layout.kept,
            "The talks began. They ended.\nMore text here.\n"
        );
        assert_eq!(layout.title(text), Some("A headline about talks"));
        assert_eq!(layout.stated_date(text), Day::parse("2025-12-05"));
        let more = text.find("More").unwrap();
        let kept = layout.to_kept(more).unwrap();
        assert_eq!(&layout.kept[kept..kept + 4], "More");
        assert_eq!(layout.to_article(kept), more);
    }

    #[test]
    fn a_text_without_a_headline_is_all_body() {
        let text = "MOSCOW, Dec. 3 (Wire) — Talks ended.\n(Reporting by A. B.)\n";
        let layout = Layout::read(text, &["nothing".into()]);
        assert_eq!(layout.lines[0].kind, LineKind::Body);
        assert_eq!(layout.lines[1].kind, LineKind::Residue("reporting credit"));
        let layout = Layout::read("Just one line\n", &[]);
        assert_eq!(layout.lines[0].kind, LineKind::Body);
        let layout = Layout::read("Keep this. And this.\nPROMO: buy now\n", &["promo:".into()]);
        assert_eq!(layout.lines[1].kind, LineKind::Residue("--drop-lines"));
    }

    #[test]
    fn character_offsets() {
        let index = CharIndex::new("a—b");
        assert_eq!(index.chars(0), 0);
        assert_eq!(index.chars(1), 1);
        assert_eq!(index.chars(4), 2);
        assert_eq!(index.chars(5), 3);
    }
}
