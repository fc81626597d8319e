//! Steps 3 and 4 of linking: spellings of known names the graph lacks (first names and initials,
//! a person's last word), and names it does not know at all, proposed next to class cues.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;

use super::reading::DETERMINERS;
use super::{
    Coverage, Linked, Mention, NewActor, Target, Variant, folded_at, is_initial, is_title,
    label_tokens,
};
use crate::extract::TextLine;
use crate::extract::layout::LineKind;
use crate::extract::lexicon::Lexicon;
use crate::extract::token::{Token, TokenKind};

/// Words that never start or continue a new name.
const STOP: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "if",
    "when",
    "while",
    "as",
    "at",
    "in",
    "on",
    "of",
    "to",
    "for",
    "by",
    "with",
    "from",
    "into",
    "than",
    "then",
    "yet",
    "so",
    "nor",
    "not",
    "no",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "its",
    "their",
    "our",
    "my",
    "your",
    "we",
    "i",
    "you",
    "he",
    "she",
    "they",
    "it",
    "who",
    "whom",
    "whose",
    "which",
    "what",
    "where",
    "why",
    "how",
    "whether",
    "both",
    "neither",
    "either",
    "each",
    "every",
    "all",
    "some",
    "many",
    "most",
    "more",
    "few",
    "several",
    "such",
    "there",
    "here",
    "after",
    "before",
    "since",
    "until",
    "during",
    "despite",
    "although",
    "though",
    "because",
    "however",
    "meanwhile",
    "also",
    "still",
    "even",
    "just",
    "only",
    "thank",
    "thanks",
    "please",
    "yes",
    "okay",
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
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "question",
    "answer",
];

/// Step 3a: first names and initials before a person's name.
pub(super) fn extend_variants(
    lexicon: &Lexicon,
    text: &str,
    lines: &[TextLine],
    linked: &mut Linked,
) {
    let mut coverage = Coverage::new(lines, &linked.mentions);
    for index in 0..linked.mentions.len() {
        let m = &linked.mentions[index];
        let Target::Entity { entity, .. } = m.target else {
            continue;
        };
        if !lexicon.is_person(&lexicon.entities[entity].classes) {
            continue;
        }
        let tokens = &lines[m.line].tokens;
        let label = label_tokens(lexicon, entity);
        let mut start = m.tokens.start;
        let mut best = None;
        while start > 0 && m.tokens.start - start < 3 {
            let t = &tokens[start - 1];
            if !(t.kind == TokenKind::Word && t.capitalized)
                || is_title(t)
                || coverage.get(m.line, start - 1)
            {
                break;
            }
            start -= 1;
            let words: Vec<&str> = tokens[start..m.tokens.start]
                .iter()
                .filter(|t| !is_initial(t))
                .map(|t| t.folded.as_str())
                .collect();
            if !words.is_empty()
                && words.len() < label.len()
                && words.iter().zip(&label).all(|(w, l)| *w == l.as_str())
            {
                best = Some(start);
            }
        }
        if let Some(start) = best {
            let span_start = tokens[start].span.start;
            let m = &mut linked.mentions[index];
            m.tokens.start = start;
            m.span.start = span_start;
            m.rule = "name variant: first name or initial before a known name";
            coverage.mark(m);
            linked.variants.push(Variant {
                entity,
                surface: text[m.span.clone()].to_owned(),
                mention: m.span.start,
            });
        }
    }
}

/// Step 3b: a capitalised word that is the last word of exactly one person's name.
pub(super) fn link_surnames(
    lexicon: &Lexicon,
    text: &str,
    lines: &[TextLine],
    linked: &mut Linked,
) {
    let mut last_words: HashMap<&str, BTreeSet<usize>> = HashMap::new();
    for entry in &lexicon.entries {
        if entry.tokens.len() >= 2
            && lexicon.is_person(&lexicon.entities[entry.entity].classes)
            && let Some(last) = entry.tokens.last()
        {
            last_words
                .entry(last.as_str())
                .or_default()
                .insert(entry.entity);
        }
    }
    let one_word: HashSet<(usize, &str)> = lexicon
        .entries
        .iter()
        .filter(|e| e.tokens.len() == 1)
        .map(|e| (e.entity, e.tokens[0].as_str()))
        .collect();
    let mut known: HashSet<(usize, String)> = linked
        .variants
        .iter()
        .map(|v| (v.entity, v.surface.clone()))
        .collect();
    let coverage = Coverage::new(lines, &linked.mentions);
    let mut found = Vec::new();
    for (l, line) in lines.iter().enumerate() {
        for (i, t) in line.tokens.iter().enumerate() {
            if t.kind != TokenKind::Word || !t.capitalized || coverage.get(l, i) {
                continue;
            }
            let Some(entities) = last_words.get(t.form(true)) else {
                continue;
            };
            if entities.len() != 1 || STOP.contains(&t.form(true)) {
                continue;
            }
            let entity = *entities.iter().next().unwrap_or(&0);
            let span = t.span.start..t.stem_end();
            found.push(Mention {
                line: l,
                tokens: i..i + 1,
                span: span.clone(),
                target: Target::Entity {
                    entity,
                    metonym: false,
                    via: None,
                },
                rule: "last word of a person's name",
            });
            if !one_word.contains(&(entity, t.form(true)))
                && known.insert((entity, text[span.clone()].to_owned()))
            {
                linked.variants.push(Variant {
                    entity,
                    surface: text[span.clone()].to_owned(),
                    mention: span.start,
                });
            }
        }
    }
    linked.mentions.extend(found);
}

/// The class cue that ends right before token `at` (exclusive), or before a comma there
/// (`his foreign minister, Andrii Sybiha`); longest first.
fn cue_before<'l>(
    lexicon: &'l Lexicon,
    tokens: &[Token],
    at: usize,
) -> Option<(usize, &'l str, usize)> {
    let ends = [
        Some(at),
        at.checked_sub(1).filter(|&c| tokens[c].is_mark(',')),
    ];
    ends.into_iter().flatten().find_map(|end| {
        lexicon.class_cues.iter().enumerate().find_map(|(c, cue)| {
            let k = cue.tokens.len();
            (end >= k
                && (0..k).all(|j| {
                    let t = &tokens[end - k + j];
                    t.is_word() && t.folded == cue.tokens[j]
                }))
            .then(|| (c, cue.phrase.as_str(), end - k))
        })
    })
}

/// A cue in apposition after a name: `, the Kremlin spokesman`, `, an aide in …`.
fn cue_after<'l>(lexicon: &'l Lexicon, tokens: &[Token], end: usize) -> Option<(usize, &'l str)> {
    if !tokens.get(end).is_some_and(|t| t.is_mark(',')) {
        return None;
    }
    let mut at = end + 1;
    if folded_at(tokens, at).is_some_and(|w| DETERMINERS.contains(&w)) {
        at += 1;
    }
    for stop in at..(at + 5).min(tokens.len()) {
        if !tokens[stop].is_word() {
            break;
        }
        for (c, cue) in lexicon.class_cues.iter().enumerate() {
            let k = cue.tokens.len();
            if stop + k <= tokens.len()
                && (0..k)
                    .all(|j| tokens[stop + j].is_word() && tokens[stop + j].folded == cue.tokens[j])
            {
                return Some((c, cue.phrase.as_str()));
            }
        }
    }
    None
}

fn is_cue_word(lexicon: &Lexicon, t: &Token) -> bool {
    lexicon
        .class_cues
        .iter()
        .any(|c| c.tokens.len() == 1 && c.tokens[0] == t.folded)
}

fn fresh_id(label: &str, lexicon: &Lexicon, new: &[NewActor]) -> String {
    let base: String = label
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('_'),
            '.' | ',' | '’' | '\'' => None,
            c => Some(c),
        })
        .collect();
    let used = |id: &str| lexicon.has_id(id) || new.iter().any(|n| n.id == id);
    if !used(&base) {
        return base;
    }
    // At most one id per entity and mention is taken: this ends.
    let bound = lexicon.entities.len() + new.len() + 2;
    (2..=bound)
        .map(|n| format!("{base}_{n}"))
        .find(|id| !used(id))
        .unwrap_or(base)
}

/// A capitalised word that may be part of a new name.
fn may_name(lexicon: &Lexicon, t: &Token) -> bool {
    t.kind == TokenKind::Word
        && t.capitalized
        && !STOP.contains(&t.form(true))
        && !is_title(t)
        && !is_cue_word(lexicon, t)
}

/// Runs of capitalised words that name nothing known, next to a class cue:
/// (line, tokens, cue, cue phrase).
fn cued_runs(
    lexicon: &Lexicon,
    lines: &[TextLine],
    linked: &Linked,
) -> Vec<(usize, Range<usize>, usize, String)> {
    let coverage = Coverage::new(lines, &linked.mentions);
    let mut runs = Vec::new();
    for (l, line) in lines.iter().enumerate() {
        if line.kind != LineKind::Body {
            continue;
        }
        let tokens = &line.tokens;
        let mut i = line.body_from;
        while i < tokens.len() {
            if !may_name(lexicon, &tokens[i]) || coverage.get(l, i) {
                i += 1;
                continue;
            }
            let mut end = i + 1;
            while end < tokens.len()
                && !coverage.get(l, end)
                && tokens[end - 1].stem.is_none()
                && (may_name(lexicon, &tokens[end])
                    || (is_initial(&tokens[end]) && end + 1 < tokens.len()))
            {
                end += 1;
            }
            while end > i + 1 && is_initial(&tokens[end - 1]) {
                end -= 1;
            }
            let cue = cue_before(lexicon, tokens, i)
                .map(|(c, phrase, _)| (c, phrase))
                .or_else(|| cue_after(lexicon, tokens, end));
            if let Some((c, phrase)) = cue {
                runs.push((l, i..end, c, phrase.to_owned()));
            }
            i = end;
        }
    }
    runs
}

/// Step 4: new names next to class cues, then their other uses.
pub(super) fn find_new(lexicon: &Lexicon, text: &str, lines: &[TextLine], linked: &mut Linked) {
    for (l, range, c, phrase) in cued_runs(lexicon, lines, linked) {
        let tokens = &lines[l].tokens;
        let span = tokens[range.start].span.start..tokens[range.end - 1].stem_end();
        let label = text[span.clone()].to_owned();
        let folded: Vec<String> = tokens[range.clone()]
            .iter()
            .map(|t| t.form(true).to_owned())
            .collect();
        let index = if let Some(index) = linked.new.iter().position(|n| n.folded == folded) {
            index
        } else {
            let cue = &lexicon.class_cues[c];
            linked.new.push(NewActor {
                id: fresh_id(&label, lexicon, &linked.new),
                label,
                class: cue.class.clone(),
                class_compact: cue.compact.clone(),
                cue: phrase,
                folded,
            });
            linked.new.len() - 1
        };
        linked.mentions.push(Mention {
            line: l,
            tokens: range,
            span,
            target: Target::New(index),
            rule: "new name next to a class cue",
        });
    }
    let uses = new_uses(lexicon, lines, linked);
    linked.mentions.extend(uses);
}

/// Other uses of new names: the whole name, or a person's last word.
fn new_uses(lexicon: &Lexicon, lines: &[TextLine], linked: &Linked) -> Vec<Mention> {
    let mut coverage = Coverage::new(lines, &linked.mentions);
    let mut uses: Vec<Mention> = Vec::new();
    for (l, line) in lines.iter().enumerate() {
        if line.kind != LineKind::Body {
            continue;
        }
        let tokens = &line.tokens;
        for i in line.body_from..tokens.len() {
            if coverage.get(l, i) {
                continue;
            }
            for (n, actor) in linked.new.iter().enumerate() {
                let k = actor.folded.len();
                let whole = i + k <= tokens.len()
                    && (0..k).all(|j| {
                        tokens[i + j].is_word() && tokens[i + j].form(true) == actor.folded[j]
                    });
                let person = lexicon.is_person(&lexicon.class_closure(&actor.class));
                let surname = k >= 2
                    && person
                    && tokens[i].capitalized
                    && actor
                        .folded
                        .last()
                        .is_some_and(|w| tokens[i].form(true) == w);
                let len = if whole {
                    k
                } else if surname {
                    1
                } else {
                    continue;
                };
                let found = Mention {
                    line: l,
                    tokens: i..i + len,
                    span: tokens[i].span.start..tokens[i + len - 1].stem_end(),
                    target: Target::New(n),
                    rule: "another use of a new name",
                };
                coverage.mark(&found);
                uses.push(found);
                break;
            }
        }
    }
    uses
}
