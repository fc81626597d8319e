//! Quotations and who said them.
//!
//! A quotation is the words between quotation marks (`“…”`, `"…"`, `«…»`) on one line, without
//! one trailing comma or full stop that belongs to the attribution; in a transcript, a whole turn
//! after a speaker label. The speaker is found from the words around it, in this order:
//!
//! - `“…,” said [title] X` (`said X`), `“…,” X said` (`X added`), `“…,” he warned` (`pronoun`:
//!   the speaker of the previous sentence's quotation, else the first person it names);
//! - `X said: “…”`, `X insisted, “…”`, `…, who remarked that “…”`, `…, noting, “…”` (the first
//!   person the sentence names) (`X said:`);
//! - a bare quoted sentence after a quotation (`continuation`: the same speaker);
//! - a quoted fragment inside reported speech, `Trump said … had been “…”` (`partial`: the
//!   subject of the last verb of saying before it).
//!
//! A speaker is a person the text names (known or new), else another agent. The occasion is the
//! phrase after the attribution when it opens with `in`, `at`, `during`, `on`, `while`, `after`:
//! `Zelenskyy said in his nightly video address on Wednesday`.

use std::ops::Range;

use super::TextLine;
use super::lexicon::Lexicon;
use super::mentions::{Linked, Mention, Target};
use super::token::{Token, TokenKind};
use crate::ingest::text::sentences::LeadKind;

/// Verbs that report speech (folded).
pub const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "tell",
    "added",
    "adds",
    "adding",
    "warned",
    "warns",
    "warning",
    "insisted",
    "insists",
    "insisting",
    "noted",
    "notes",
    "noting",
    "remarked",
    "remarks",
    "remarking",
    "argued",
    "argues",
    "arguing",
    "asked",
    "asks",
    "stated",
    "states",
    "declared",
    "declares",
    "explained",
    "explains",
    "wrote",
    "writes",
    "replied",
    "replies",
    "answered",
    "answers",
    "continued",
    "continues",
    "acknowledged",
    "acknowledges",
    "stressed",
    "stresses",
    "claimed",
    "claims",
    "announced",
    "announces",
    "recalled",
    "urged",
    "urges",
    "vowed",
    "vows",
    "admitted",
    "admits",
    "conceded",
    "concedes",
    "cautioned",
    "predicted",
    "suggested",
    "suggests",
    "maintained",
    "maintains",
    "pledged",
    "promised",
    "posted",
    "wrote",
    "observed",
    "commented",
    "quipped",
    "echoed",
];
const PRONOUNS: &[&str] = &["he", "she", "they"];
const OCCASION: &[&str] = &[
    "in", "at", "during", "on", "while", "after", "before", "from",
];

/// A quotation.
#[derive(Debug, Clone)]
pub struct Quotation {
    /// Byte range of the quoted words.
    pub span: Range<usize>,
    /// The line.
    pub line: usize,
    /// Sentence numbers it and its attribution lie in.
    pub sentences: Vec<u64>,
    /// Who said it, when the text names them.
    pub speaker: Option<Target>,
    /// The speaker as the text calls them when no entity is named (a label: `QUESTION`).
    pub speaker_text: Option<String>,
    /// How the speaker was found.
    pub form: &'static str,
    /// Byte range of the occasion phrase.
    pub occasion: Option<Range<usize>>,
}

/// Sentence numbers and byte ranges in the article.
pub type Sentences = [(u64, Range<usize>)];

struct Context<'a> {
    lexicon: &'a Lexicon,
    lines: &'a [TextLine],
    linked: &'a Linked,
    sentences: &'a Sentences,
    /// Mentions of each line (indexes into `linked.mentions`).
    by_line: Vec<Vec<usize>>,
}

impl Context<'_> {
    fn sentence_of(&self, byte: usize) -> Option<usize> {
        let i = self
            .sentences
            .partition_point(|(_, r)| r.start <= byte)
            .checked_sub(1)?;
        (byte < self.sentences[i].1.end).then_some(i)
    }

    fn mentions_of(&self, l: usize) -> impl Iterator<Item = &Mention> {
        self.by_line
            .get(l)
            .into_iter()
            .flatten()
            .map(|&i| &self.linked.mentions[i])
    }

    /// Token range of sentence `s` within line `l`.
    fn tokens_of(&self, l: usize, s: usize) -> Range<usize> {
        let range = &self.sentences[s].1;
        let tokens = &self.lines[l].tokens;
        let lo = tokens.partition_point(|t| t.span.start < range.start);
        let hi = tokens.partition_point(|t| t.span.start < range.end);
        lo..hi
    }

    fn speaker_like(&self, m: &Mention) -> u8 {
        match &m.target {
            Target::Entity { entity, .. } => {
                let classes = &self.lexicon.entities[*entity].classes;
                if self.lexicon.is_person(classes) {
                    2
                } else {
                    u8::from(self.lexicon.is_agent(classes))
                }
            }
            Target::New(n) => {
                let class = &self.linked.new[*n].class;
                if self.lexicon.is_person(&self.lexicon.class_closure(class)) {
                    2
                } else {
                    1
                }
            }
            Target::Ambiguous(_) => 0,
        }
    }

    fn mention_starting(&self, l: usize, at: usize) -> Option<&Mention> {
        self.mentions_of(l)
            .find(|m| m.tokens.start == at && self.speaker_like(m) > 0)
    }

    fn mention_ending(&self, l: usize, end: usize) -> Option<&Mention> {
        self.mentions_of(l)
            .find(|m| m.tokens.end == end && self.speaker_like(m) > 0)
    }

    /// For a mention that is an agent but no person, the person named right after it and a few
    /// words of post (`Harbour City manager Ines Marlow`, `Kremlin spokesman Dmitry Peskov`):
    /// at most three words, none of them a verb of saying, in `range`.
    fn person_after_modifier(
        &self,
        l: usize,
        m: &Mention,
        range: &Range<usize>,
    ) -> Option<&Mention> {
        if self.speaker_like(m) != 1 {
            return None;
        }
        let tokens = &self.lines[l].tokens;
        for k in m.tokens.end + 1..=(m.tokens.end + 3).min(range.end) {
            let between = m.tokens.end..k;
            if between
                .clone()
                .any(|i| !tokens[i].is_word() || is_verb(tokens, i))
            {
                return None;
            }
            if let Some(person) = self
                .mentions_of(l)
                .find(|p| p.tokens.start == k && self.speaker_like(p) == 2)
            {
                return Some(person);
            }
        }
        None
    }

    /// The first person (else agent) named in tokens `range` of line `l`.
    fn first_speaker(&self, l: usize, range: Range<usize>) -> Option<&Mention> {
        let in_range = |m: &&Mention| range.contains(&m.tokens.start) && self.speaker_like(m) > 0;
        let best = self
            .mentions_of(l)
            .filter(in_range)
            .map(|m| self.speaker_like(m))
            .max()?;
        self.mentions_of(l)
            .filter(in_range)
            .find(|m| self.speaker_like(m) == best)
    }

    /// The first person named in sentence `s`, on any line.
    fn first_speaker_in_sentence(&self, s: usize) -> Option<Target> {
        let start = self.sentences[s].1.start;
        let l = self
            .lines
            .partition_point(|line| line.span.start <= start)
            .checked_sub(1)?;
        let range = self.tokens_of(l, s);
        self.first_speaker(l, range).map(|m| m.target.clone())
    }
}

fn word(tokens: &[Token], at: usize) -> Option<&str> {
    tokens
        .get(at)
        .filter(|t| t.kind == TokenKind::Word)
        .map(|t| t.folded.as_str())
}

fn is_verb(tokens: &[Token], at: usize) -> bool {
    word(tokens, at).is_some_and(|w| SPEECH_VERBS.contains(&w))
}

fn is_opening(t: &Token, inside: bool) -> bool {
    matches!(t.kind, TokenKind::Mark('“' | '«')) || (!inside && t.is_mark('"'))
}

fn is_closing(t: &Token, inside: bool) -> bool {
    matches!(t.kind, TokenKind::Mark('”' | '»')) || (inside && t.is_mark('"'))
}

/// The words between `from` and `to` (bytes), trimmed, without one final `,` or `.`.
fn inner(text: &str, from: usize, to: usize) -> Option<Range<usize>> {
    let piece = &text[from..to];
    let start = from + (piece.len() - piece.trim_start().len());
    let mut end = from + piece.trim_end().len();
    if text[start..end].ends_with([',', '.']) {
        end -= 1;
        end = start + text[start..end].trim_end().len();
    }
    (end > start).then_some(start..end)
}

/// What attribution found: the speaker (or `None` for a carried one), the form, and the token
/// after the attribution.
struct Found {
    speaker: Option<Target>,
    carried: bool,
    form: &'static str,
    end: usize,
    /// The verb of saying, when it comes before the quotation.
    verb: Option<usize>,
}

/// Finds every quotation.
pub fn find_quotations(
    lexicon: &Lexicon,
    text: &str,
    lines: &[TextLine],
    linked: &Linked,
    sentences: &Sentences,
) -> Vec<Quotation> {
    let mut by_line = vec![Vec::new(); lines.len()];
    for (i, m) in linked.mentions.iter().enumerate() {
        if let Some(list) = by_line.get_mut(m.line) {
            list.push(i);
        }
    }
    let cx = Context {
        lexicon,
        lines,
        linked,
        sentences,
        by_line,
    };
    let mut out: Vec<Quotation> = Vec::new();
    for (l, line) in lines.iter().enumerate() {
        if line.kind != super::layout::LineKind::Body {
            continue;
        }
        if line.lead_kind == Some(LeadKind::Speaker) {
            out.extend(turn(&cx, text, l));
            continue;
        }
        for (o, c) in quote_pairs(&line.tokens) {
            if let Some(q) = quoted(&cx, text, l, o, c, &out) {
                out.push(q);
            }
        }
    }
    out
}

/// A transcript turn: the line after its speaker label.
fn turn(cx: &Context<'_>, text: &str, l: usize) -> Option<Quotation> {
    let line = &cx.lines[l];
    let first = line.tokens.get(line.body_from)?;
    let span = inner(text, first.span.start, line.span.end)?;
    let speaker = cx
        .mentions_of(l)
        .find(|m| m.tokens.end <= line.body_from && cx.speaker_like(m) > 0)
        .map(|m| m.target.clone());
    let speaker_text = match (&speaker, &line.lead_name) {
        (None, Some(name)) => Some(text[name.clone()].to_owned()),
        _ => None,
    };
    Some(Quotation {
        sentences: numbers_in(cx.sentences, &span),
        span,
        line: l,
        speaker,
        speaker_text,
        form: "label",
        occasion: None,
    })
}

/// Opening and closing marks (token indexes); an unclosed quotation runs to the line's end.
fn quote_pairs(tokens: &[Token]) -> Vec<(usize, usize)> {
    let mut inside: Option<usize> = None;
    let mut pairs = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        match inside {
            None if is_opening(t, false) => inside = Some(i),
            Some(o) if is_closing(t, true) => {
                pairs.push((o, i));
                inside = None;
            }
            _ => {}
        }
    }
    if let Some(o) = inside {
        pairs.push((o, tokens.len()));
    }
    pairs
}

/// The quotation between marks `o` and `c` of line `l`, and its speaker.
fn quoted(
    cx: &Context<'_>,
    text: &str,
    l: usize,
    o: usize,
    c: usize,
    earlier: &[Quotation],
) -> Option<Quotation> {
    let line = &cx.lines[l];
    let tokens = &line.tokens;
    let to = tokens.get(c).map_or(line.span.end, |t| t.span.start);
    let span = inner(text, tokens[o].span.end, to)?;
    let s = cx.sentence_of(tokens[o].span.start)?;
    let range = cx.tokens_of(l, s);
    let at_start = tokens[range.start..o].iter().all(|t| !t.is_word());
    let runs_to_end = tokens
        .get(c + 1..range.end)
        .is_none_or(|rest| rest.iter().all(|t| !t.is_word()));
    let found = if at_start {
        after(cx, l, c, &range).or_else(|| {
            runs_to_end.then_some(Found {
                speaker: None,
                carried: true,
                form: "continuation",
                end: c + 1,
                verb: None,
            })
        })
    } else {
        before(cx, l, o, &range)
            .or_else(|| after(cx, l, c, &range))
            .or_else(|| partial(cx, l, o, &range))
    };
    let mut numbers = numbers_in(cx.sentences, &span);
    let Some(found) = found else {
        return Some(Quotation {
            sentences: numbers,
            span,
            line: l,
            speaker: None,
            speaker_text: None,
            form: "unattributed",
            occasion: None,
        });
    };
    let speaker = if found.carried {
        carried(cx, earlier, s)
    } else {
        found.speaker
    };
    let occasion = occasion(tokens, found.end, &range)
        .or_else(|| found.verb.and_then(|v| occasion_after_verb(tokens, v, o)));
    if !numbers.contains(&cx.sentences[s].0) {
        numbers.insert(0, cx.sentences[s].0);
    }
    Some(Quotation {
        sentences: numbers,
        span,
        line: l,
        speaker,
        speaker_text: None,
        form: found.form,
        occasion,
    })
}

fn numbers_in(sentences: &Sentences, span: &Range<usize>) -> Vec<u64> {
    let from = sentences.partition_point(|(_, r)| r.end <= span.start);
    sentences[from..]
        .iter()
        .take_while(|(_, r)| r.start < span.end)
        .map(|(n, _)| *n)
        .collect()
}

/// The speaker carried from the previous sentence.
fn carried(cx: &Context<'_>, earlier: &[Quotation], s: usize) -> Option<Target> {
    let previous = s.checked_sub(1)?;
    let number = cx.sentences[previous].0;
    earlier
        .iter()
        .rev()
        .find(|q| q.sentences.contains(&number) && q.speaker.is_some())
        .and_then(|q| q.speaker.clone())
        .or_else(|| cx.first_speaker_in_sentence(previous))
}

/// `“…,” said X`, `“…,” X said`, `“…,” he said`, `“…,” according to X`.
fn after(cx: &Context<'_>, l: usize, c: usize, range: &Range<usize>) -> Option<Found> {
    let tokens = &cx.lines[l].tokens;
    let mut j = c + 1;
    if tokens.get(j).is_some_and(|t| t.is_mark(',')) {
        j += 1;
    }
    if j >= range.end {
        return None;
    }
    let according = word(tokens, j) == Some("according") && word(tokens, j + 1) == Some("to");
    if is_verb(tokens, j) || according {
        let from = if according { j + 2 } else { j + 1 };
        let stop = (from + 7).min(range.end);
        for (k, token) in tokens.iter().enumerate().take(stop).skip(from) {
            if let Some(m) = cx.mention_starting(l, k) {
                // `said Harbour City manager Ines Marlow`: an organisation that modifies the
                // person's post is not the speaker; the person after the post is.
                let m = cx.person_after_modifier(l, m, range).unwrap_or(m);
                return Some(Found {
                    speaker: Some(m.target.clone()),
                    carried: false,
                    form: "said X",
                    end: m.tokens.end,
                    verb: None,
                });
            }
            if !token.is_word() {
                break;
            }
        }
        return None;
    }
    if word(tokens, j).is_some_and(|w| PRONOUNS.contains(&w)) && is_verb(tokens, j + 1) {
        return Some(Found {
            speaker: None,
            carried: true,
            form: "pronoun",
            end: j + 2,
            verb: None,
        });
    }
    for k in j..(j + 4).min(range.end) {
        if let Some(m) = cx.mention_starting(l, k)
            && is_verb(tokens, m.tokens.end)
        {
            return Some(Found {
                speaker: Some(m.target.clone()),
                carried: false,
                form: "X added",
                end: m.tokens.end + 1,
                verb: None,
            });
        }
        if !tokens[k].is_word() {
            break;
        }
    }
    None
}

/// The subject of the verb of saying at `v`: a name, `who` after a name, or a pronoun.
fn subject_of(cx: &Context<'_>, l: usize, v: usize, range: &Range<usize>) -> Option<Found> {
    let tokens = &cx.lines[l].tokens;
    let mut k = v;
    while k > range.start
        && word(tokens, k - 1)
            .is_some_and(|w| w.ends_with("ly") || matches!(w, "also" | "again" | "then" | "later"))
    {
        k -= 1;
    }
    if let Some(m) = cx.mention_ending(l, k) {
        return Some(Found {
            speaker: Some(m.target.clone()),
            carried: false,
            form: "X said:",
            end: v + 1,
            verb: Some(v),
        });
    }
    let before = k.checked_sub(1).and_then(|i| word(tokens, i));
    if before == Some("who") {
        let mut at = k - 1;
        if at > 0 && tokens[at - 1].is_mark(',') {
            at -= 1;
        }
        if let Some(m) = cx.mention_ending(l, at) {
            return Some(Found {
                speaker: Some(m.target.clone()),
                carried: false,
                form: "X said:",
                end: v + 1,
                verb: Some(v),
            });
        }
    }
    if before.is_some_and(|w| PRONOUNS.contains(&w)) {
        return Some(Found {
            speaker: None,
            carried: true,
            form: "pronoun",
            end: v + 1,
            verb: Some(v),
        });
    }
    None
}

/// `X said: “…”`, `X insisted, “…”`, `…, noting, “…”`.
fn before(cx: &Context<'_>, l: usize, o: usize, range: &Range<usize>) -> Option<Found> {
    let tokens = &cx.lines[l].tokens;
    let mut j = o.checked_sub(1)?;
    if tokens[j].is_mark(':') || tokens[j].is_mark(',') {
        j = j.checked_sub(1)?;
    }
    if j < range.start || !is_verb(tokens, j) {
        return None;
    }
    subject_of(cx, l, j, range).or_else(|| {
        cx.first_speaker(l, range.start..o).map(|m| Found {
            speaker: Some(m.target.clone()),
            carried: false,
            form: "X said:",
            end: o,
            verb: Some(j),
        })
    })
}

/// A fragment inside reported speech: the subject of the last verb of saying before it.
fn partial(cx: &Context<'_>, l: usize, o: usize, range: &Range<usize>) -> Option<Found> {
    let tokens = &cx.lines[l].tokens;
    let v = (range.start..o).rev().find(|&k| is_verb(tokens, k))?;
    let mut found = subject_of(cx, l, v, range).or_else(|| {
        cx.first_speaker(l, range.start..v).map(|m| Found {
            speaker: Some(m.target.clone()),
            carried: false,
            form: "partial",
            end: o,
            verb: Some(v),
        })
    })?;
    found.form = "partial";
    found.end = o;
    Some(found)
}

fn occasion(tokens: &[Token], at: usize, range: &Range<usize>) -> Option<Range<usize>> {
    let first = tokens.get(at).filter(|_| at < range.end)?;
    if !(first.kind == TokenKind::Word && OCCASION.contains(&first.folded.as_str())) {
        return None;
    }
    let last = (at..range.end).rev().find(|&k| tokens[k].is_word())?;
    Some(first.span.start..tokens[last].span.end)
}

/// `said on Wednesday that …“…”`: the phrase after the verb, up to `that`, a mark or the quote.
fn occasion_after_verb(tokens: &[Token], v: usize, o: usize) -> Option<Range<usize>> {
    let first = tokens.get(v + 1).filter(|_| v + 1 < o)?;
    if !(first.kind == TokenKind::Word && OCCASION.contains(&first.folded.as_str())) {
        return None;
    }
    let last = (v + 1..o)
        .take_while(|&k| tokens[k].is_word() && tokens[k].folded != "that")
        .last()?;
    Some(first.span.start..tokens[last].span.end)
}
