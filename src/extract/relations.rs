//! Candidate facts from cue patterns the ontology declares per property (`kg:cue`), so a new
//! domain brings its own cues with no code change.
//!
//! A cue is words with two slots, `{s}` (the subject) and `{o}` (the object): `{o} … aide {s}`,
//! `{s} , {o}'s chief of staff`, `{s} … rejected by {o}`. In a sentence:
//!
//! - a word matches the same word (case and diacritics folded), `,` `;` `:` match themselves;
//! - `…` (or `...`) skips up to [`MAX_GAP`] tokens, never across a quotation mark or `;`;
//! - a slot matches a mention of a known or new entity, after up to three determiners, titles or
//!   class cues (`the`, `Mr.`, `President`); `{o}'s` wants the possessive; `X and Y` fills a
//!   slot with both.
//!
//! A match becomes a candidate only when the slots' classes fit the property's `rdfs:domain`
//! and `rdfs:range`. Its confidence starts at 0.9 and drops by 0.03 per skipped token, 0.1 for
//! a coordinated or new entity, 0.1 when the property declares no domain or range.

use std::collections::HashMap;
use std::ops::Range;

use super::TextLine;
use super::layout::LineKind;
use super::lexicon::Lexicon;
use super::mentions::{Linked, Target};
use super::token::{Token, TokenKind, tokenize};
use crate::ingest::text::sentences::TITLES;

/// Most tokens one `…` skips.
pub const MAX_GAP: usize = 12;
/// Most matching steps per cue and sentence (bounds the work on long sentences).
const MAX_STEPS: usize = 20_000;

/// One element of a cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    /// `{s}` or `{o}`, maybe possessive.
    Slot {
        /// The object slot.
        object: bool,
        /// Written `{o}'s`.
        possessive: bool,
    },
    /// A word, folded.
    Word(String),
    /// A punctuation mark.
    Mark(char),
    /// `…`.
    Gap,
}

/// A parsed cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Its elements.
    pub elements: Vec<Element>,
}

/// Parses a cue.
///
/// # Errors
/// A message when the cue lacks one of the slots, repeats one, or has nothing else.
///
/// ```
/// use kg::extract::relations::{parse_cue, Element};
/// let pattern = parse_cue("{s}, {o}'s chief of staff").unwrap();
/// assert_eq!(pattern.elements.len(), 6);
/// assert_eq!(pattern.elements[2], Element::Slot { object: true, possessive: true });
/// assert!(parse_cue("{s} met").is_err());
/// ```
pub fn parse_cue(template: &str) -> Result<Pattern, String> {
    let mut elements = Vec::new();
    for part in template.split_whitespace() {
        let (body, comma) = match part.strip_suffix(',') {
            Some(body) if !body.is_empty() => (body, true),
            _ => (part, false),
        };
        match body {
            "{s}" | "{o}" => elements.push(Element::Slot {
                object: body == "{o}",
                possessive: false,
            }),
            "{s}'s" | "{s}’s" | "{o}'s" | "{o}’s" => elements.push(Element::Slot {
                object: body.starts_with("{o"),
                possessive: true,
            }),
            "…" | "..." => elements.push(Element::Gap),
            other if other.contains('{') || other.contains('}') => {
                return Err(format!(
                    "unknown slot {other:?} (slots are {{s}} and {{o}})"
                ));
            }
            other => {
                for token in tokenize(other, 0..other.len()) {
                    elements.push(match token.kind {
                        TokenKind::Mark(c) => Element::Mark(c),
                        _ => Element::Word(token.folded),
                    });
                }
            }
        }
        if comma {
            elements.push(Element::Mark(','));
        }
    }
    let count = |object| {
        elements
            .iter()
            .filter(|e| matches!(e, Element::Slot { object: o, .. } if *o == object))
            .count()
    };
    if count(false) != 1 || count(true) != 1 {
        return Err("a cue needs exactly one {s} and one {o}".to_owned());
    }
    if !elements
        .iter()
        .any(|e| matches!(e, Element::Word(_) | Element::Mark(_)))
    {
        return Err("a cue needs a word besides its slots".to_owned());
    }
    Ok(Pattern { elements })
}

/// A slot's filler: a known or a new entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ref {
    /// Index into [`Lexicon::entities`].
    Entity(usize),
    /// Index into [`Linked::new`].
    New(usize),
}

/// A candidate fact.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The cue (index into [`Lexicon::relation_cues`]).
    pub cue: usize,
    /// Subject.
    pub subject: Ref,
    /// Object.
    pub object: Ref,
    /// The sentence number.
    pub sentence: u64,
    /// Byte range of the words the cue matched.
    pub span: Range<usize>,
    /// 0–1.
    pub confidence: f64,
}

struct Match {
    subjects: Vec<usize>,
    objects: Vec<usize>,
    start: usize,
    end: usize,
    gap: usize,
}

struct Matcher<'a> {
    lexicon: &'a Lexicon,
    tokens: &'a [Token],
    starts: &'a HashMap<usize, usize>,
    linked: &'a Linked,
    end: usize,
    steps: usize,
}

impl Matcher<'_> {
    fn skip_modifiers(&self, mut at: usize) -> usize {
        for _ in 0..3 {
            let Some(t) = self.tokens.get(at).filter(|t| t.is_word()) else {
                break;
            };
            if matches!(t.folded.as_str(), "the" | "a" | "an")
                || TITLES.contains(&t.folded.as_str())
            {
                at += 1;
                continue;
            }
            let cue = self.lexicon.class_cues.iter().find(|c| {
                t.capitalized
                    && (0..c.tokens.len()).all(|j| {
                        self.tokens
                            .get(at + j)
                            .is_some_and(|u| u.is_word() && u.folded == c.tokens[j])
                    })
            });
            match cue {
                Some(c) => at += c.tokens.len(),
                None => break,
            }
        }
        at
    }

    /// A slot at `at`: the mentions bound and the token after them.
    fn slot(&self, at: usize, possessive: bool) -> Option<(Vec<usize>, usize)> {
        let at = self.skip_modifiers(at);
        let &first = self.starts.get(&at)?;
        let m = &self.linked.mentions[first];
        if possessive && self.tokens[m.tokens.end - 1].stem.is_none() {
            return None;
        }
        let mut bound = vec![first];
        let mut next = m.tokens.end;
        // `X and Y`
        if !possessive
            && self.tokens.get(next).is_some_and(|t| t.folded == "and")
            && next + 1 < self.end
        {
            for k in next + 1..(next + 5).min(self.end) {
                if let Some(&other) = self.starts.get(&k) {
                    bound.push(other);
                    next = self.linked.mentions[other].tokens.end;
                    break;
                }
                if !self.tokens[k].is_word() {
                    break;
                }
            }
        }
        Some((bound, next))
    }

    fn run(&mut self, elements: &[Element], at: usize, state: &mut Match, out: &mut Vec<Match>) {
        self.steps += 1;
        if self.steps > MAX_STEPS || at > self.end {
            return;
        }
        let Some((element, rest)) = elements.split_first() else {
            out.push(Match {
                subjects: state.subjects.clone(),
                objects: state.objects.clone(),
                start: state.start,
                end: at,
                gap: state.gap,
            });
            return;
        };
        match element {
            Element::Word(w) => {
                if at < self.end && self.tokens[at].is_word() && self.tokens[at].folded == *w {
                    self.run(rest, at + 1, state, out);
                }
            }
            Element::Mark(c) => {
                if at < self.end && self.tokens[at].is_mark(*c) {
                    self.run(rest, at + 1, state, out);
                }
            }
            Element::Gap => {
                for skip in 0..=MAX_GAP {
                    if at + skip > self.end {
                        break;
                    }
                    if skip > 0 {
                        let t = &self.tokens[at + skip - 1];
                        if matches!(t.kind, TokenKind::Mark('“' | '”' | '"' | ';')) {
                            break;
                        }
                    }
                    state.gap += skip;
                    self.run(rest, at + skip, state, out);
                    state.gap -= skip;
                }
            }
            Element::Slot { object, possessive } => {
                let Some((bound, next)) = self.slot(at, *possessive) else {
                    return;
                };
                if next > self.end {
                    return;
                }
                let list = if *object {
                    &mut state.objects
                } else {
                    &mut state.subjects
                };
                let saved = std::mem::replace(list, bound);
                self.run(rest, next, state, out);
                let list = if *object {
                    &mut state.objects
                } else {
                    &mut state.subjects
                };
                *list = saved;
            }
        }
    }
}

fn reference(target: &Target) -> Option<Ref> {
    match target {
        Target::Entity { entity, .. } => Some(Ref::Entity(*entity)),
        Target::New(n) => Some(Ref::New(*n)),
        Target::Ambiguous(_) => None,
    }
}

fn fits(lexicon: &Lexicon, linked: &Linked, r: Ref, classes: &[String]) -> bool {
    if classes.is_empty() {
        return true;
    }
    let have = match r {
        Ref::Entity(e) => lexicon.entities[e].classes.clone(),
        Ref::New(n) => lexicon.class_closure(&linked.new[n].class),
    };
    classes.iter().any(|c| have.contains(c))
}

/// Finds the candidate facts of every body sentence.
pub fn find_relations(
    lexicon: &Lexicon,
    lines: &[TextLine],
    linked: &Linked,
    sentences: &[(u64, Range<usize>)],
) -> Vec<Proposal> {
    let mut best: HashMap<(usize, Ref, Ref, u64), Proposal> = HashMap::new();
    let mut starts_of: Vec<HashMap<usize, usize>> = vec![HashMap::new(); lines.len()];
    for (i, m) in linked.mentions.iter().enumerate() {
        if reference(&m.target).is_some()
            && let Some(starts) = starts_of.get_mut(m.line)
        {
            starts.insert(m.tokens.start, i);
        }
    }
    for (l, line) in lines.iter().enumerate() {
        if line.kind != LineKind::Body {
            continue;
        }
        let starts = &starts_of[l];
        let from = sentences.partition_point(|(_, r)| r.start < line.span.start);
        for (number, range) in sentences[from..]
            .iter()
            .take_while(|(_, r)| r.end <= line.span.end)
        {
            let lo = line.tokens.partition_point(|t| t.span.start < range.start);
            let hi = line.tokens.partition_point(|t| t.span.start < range.end);
            for (c, cue) in lexicon.relation_cues.iter().enumerate() {
                let mut matcher = Matcher {
                    lexicon,
                    tokens: &line.tokens,
                    starts,
                    linked,
                    end: hi,
                    steps: 0,
                };
                let mut found = Vec::new();
                for start in lo..hi {
                    let mut state = Match {
                        subjects: Vec::new(),
                        objects: Vec::new(),
                        start,
                        end: start,
                        gap: 0,
                    };
                    matcher.run(&cue.pattern.elements, start, &mut state, &mut found);
                }
                for m in found {
                    propose(lexicon, linked, line, c, *number, &m, &mut best);
                }
            }
        }
    }
    let mut out: Vec<Proposal> = best.into_values().collect();
    out.sort_by(|a, b| {
        (a.sentence, a.span.start, a.cue, a.subject, a.object).cmp(&(
            b.sentence,
            b.span.start,
            b.cue,
            b.subject,
            b.object,
        ))
    });
    out
}

/// Candidates from one match: every subject–object pair whose classes fit.
fn propose(
    lexicon: &Lexicon,
    linked: &Linked,
    line: &TextLine,
    c: usize,
    number: u64,
    m: &Match,
    best: &mut HashMap<(usize, Ref, Ref, u64), Proposal>,
) {
    let cue = &lexicon.relation_cues[c];
    let coordinated = m.subjects.len() > 1 || m.objects.len() > 1;
    for &s in &m.subjects {
        for &o in &m.objects {
            let (Some(sr), Some(or)) = (
                reference(&linked.mentions[s].target),
                reference(&linked.mentions[o].target),
            ) else {
                continue;
            };
            if sr == or
                || !fits(lexicon, linked, sr, &cue.domain)
                || !fits(lexicon, linked, or, &cue.range)
            {
                continue;
            }
            let mut confidence = 0.9 - 0.03 * m.gap as f64;
            if coordinated {
                confidence -= 0.1;
            }
            if matches!(sr, Ref::New(_)) || matches!(or, Ref::New(_)) {
                confidence -= 0.1;
            }
            if cue.domain.is_empty() || cue.range.is_empty() {
                confidence -= 0.1;
            }
            let confidence = (confidence.clamp(0.3, 0.95) * 100.0).round() / 100.0;
            let span =
                line.tokens[m.start].span.start..line.tokens[m.end.max(m.start + 1) - 1].span.end;
            let proposal = Proposal {
                cue: c,
                subject: sr,
                object: or,
                sentence: number,
                span,
                confidence,
            };
            let key = (c, sr, or, number);
            match best.get(&key) {
                Some(p) if p.confidence >= confidence => {}
                _ => {
                    best.insert(key, proposal);
                }
            }
        }
    }
}
