//! Linking names in the text to the graph's entities, and proposing the names it does not know.
//!
//! 1. **Names.** At each word the longest label, alias or metonym of the graph that the next words
//!    spell wins (case and diacritics folded; a name with no lower-case letter, such as `US`,
//!    matches only upper-case text; a possessive `’s` on the last word is left out of the span).
//!    Titles and determiners are not part of any name, so they stay out of the span.
//! 2. **Several entities, one name.** When the name is a declared metonym of one entity
//!    (`kg:metonym`: `Moscow` for Russia) and the plain name of another (the city), the words
//!    around it choose: a place reading after `in`, `at`, `from`, `to` after a word of motion, in
//!    a dateline or as a modifier (`the Moscow meeting`); an actor reading as a possessive, after
//!    `by`, `with`, `for`, `about`, `than`, before an auxiliary or a verb ending in `-s` or `-ed`,
//!    or joined by `and` to an actor. Otherwise, and for any other shared name, the mention is
//!    listed as ambiguous, not guessed.
//! 3. **Variants.** Capitalised words right before a person's name that spell the start of its
//!    label (`Marco A. Rubio`, `Volodymyr Zelenskiy`) join the mention; a capitalised word that is
//!    the last word of exactly one person's name (`Dmitriyev`) names that person. Both are
//!    proposed as aliases.
//! 4. **New names.** A run of capitalised words that names nothing known, next to a class cue
//!    (`kg:nameCue`: `aide Yuri Ushakov`, `Dr. Nadia Korsak`, `Dmitry Peskov, the Kremlin
//!    spokesman`, `the town of Pokrovsk`), is proposed as a new entity of the cue's class, marked
//!    as a guess. Later uses of the name or, for people, of its last word, refer to it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use super::TextLine;
use super::layout::LineKind;
use super::lexicon::{Lexicon, NameSource};
use super::token::{Token, TokenKind};
use crate::ingest::text::sentences::{LeadKind, TITLES};
use crate::names::fold;

/// What a mention refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A known entity.
    Entity {
        /// Index into [`Lexicon::entities`].
        entity: usize,
        /// The name stands for the entity by metonymy (`Kremlin`, `Washington`).
        metonym: bool,
        /// For a metonym whose name is also another entity's (the city `Moscow`): that entity.
        via: Option<usize>,
    },
    /// Several known entities; the text does not say which.
    Ambiguous(Vec<usize>),
    /// A name the graph does not know (index into [`Linked::new`]).
    New(usize),
}

/// One mention.
#[derive(Debug, Clone)]
pub struct Mention {
    /// Index of its line.
    pub line: usize,
    /// Its tokens in the line.
    pub tokens: Range<usize>,
    /// Byte range in the text.
    pub span: Range<usize>,
    /// What it refers to.
    pub target: Target,
    /// The rule that linked it.
    pub rule: &'static str,
}

/// A proposed new entity.
#[derive(Debug, Clone)]
pub struct NewActor {
    /// A fresh id (`Yuri_Ushakov`).
    pub id: String,
    /// The name as written at its first mention.
    pub label: String,
    /// The guessed class (IRI).
    pub class: String,
    /// The guessed class, prefixed.
    pub class_compact: String,
    /// The cue that suggested the class.
    pub cue: String,
    folded: Vec<String>,
}

/// A spelling of a known entity's name that the graph lacks.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Variant {
    /// The entity.
    pub entity: usize,
    /// The name as written.
    pub surface: String,
    /// The first mention using it.
    pub mention: usize,
}

/// Everything linking found.
#[derive(Debug, Clone, Default)]
pub struct Linked {
    /// Every mention, in text order.
    pub mentions: Vec<Mention>,
    /// New entities.
    pub new: Vec<NewActor>,
    /// Name variants.
    pub variants: Vec<Variant>,
}

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

const DETERMINERS: &[&str] = &["the", "a", "an", "this", "that", "these", "those"];
const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "into",
    "inside",
    "outside",
    "near",
    "from",
    "across",
    "around",
    "throughout",
    "within",
];
const ACTOR_PREPOSITIONS: &[&str] = &[
    "by", "with", "against", "about", "than", "versus", "on", "between", "among",
];
const TOWARDS: &[&str] = &["to", "for", "toward", "towards"];
const MOTION: &[&str] = &[
    "trip",
    "trips",
    "travel",
    "travels",
    "travelled",
    "traveled",
    "traveling",
    "travelling",
    "journey",
    "go",
    "goes",
    "going",
    "went",
    "gone",
    "come",
    "comes",
    "came",
    "coming",
    "fly",
    "flew",
    "flying",
    "flown",
    "arrive",
    "arrived",
    "arriving",
    "return",
    "returned",
    "returning",
    "back",
    "take",
    "took",
    "taking",
    "taken",
    "bring",
    "brought",
    "visit",
    "visited",
    "visiting",
    "head",
    "headed",
    "heading",
    "bound",
    "left",
    "leave",
    "leaving",
    "moved",
    "move",
    "send",
    "sent",
    "drove",
    "drive",
    "flight",
    "flights",
    "road",
];
const AUXILIARIES: &[&str] = &[
    "has", "had", "have", "is", "was", "are", "were", "will", "would", "can", "could", "must",
    "should", "may", "might", "shall", "does", "did", "do",
];
const COORDINATORS: &[&str] = &["and", "or", "nor", "than"];

/// How the words around a shared name read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    Place,
    Actor,
    Unknown,
}

/// A match waiting for its reading.
struct Pending {
    mention: usize,
    place: usize,
    actor: usize,
}

/// Links every analysed line.
pub fn link(lexicon: &Lexicon, text: &str, lines: &[TextLine]) -> Linked {
    let mut linked = Linked::default();
    let mut pending = Vec::new();
    for (l, line) in lines.iter().enumerate() {
        link_names(lexicon, l, line, &mut linked, &mut pending);
    }
    resolve_pending(lexicon, lines, &mut linked, &pending);
    extend_variants(lexicon, text, lines, &mut linked);
    link_surnames(lexicon, text, lines, &mut linked);
    find_new(lexicon, text, lines, &mut linked);
    linked.mentions.sort_by_key(|m| (m.span.start, m.span.end));
    // Variants point at mentions by index: renumber after the sort.
    let order: HashMap<usize, usize> = linked
        .mentions
        .iter()
        .enumerate()
        .map(|(i, m)| (m.span.start, i))
        .collect();
    for variant in &mut linked.variants {
        if let Some(&i) = order.get(&variant.mention) {
            variant.mention = i;
        }
    }
    linked
}

fn words_at(tokens: &[Token], at: usize) -> Option<&Token> {
    tokens.get(at).filter(|t| t.is_word())
}

/// Step 1: the longest name at each word.
fn link_names(
    lexicon: &Lexicon,
    l: usize,
    line: &TextLine,
    linked: &mut Linked,
    pending: &mut Vec<Pending>,
) {
    let tokens = &line.tokens;
    let mut i = 0;
    while i < tokens.len() {
        let Some(first) = words_at(tokens, i) else {
            i += 1;
            continue;
        };
        let mut best: Option<(usize, BTreeMap<usize, BTreeSet<NameSource>>, bool)> = None;
        let keys = [
            Some(first.folded.as_str()),
            first.stem.as_ref().map(|s| s.0.as_str()),
        ];
        for key in keys.into_iter().flatten() {
            for entry in lexicon.names_starting(key) {
                let k = entry.tokens.len();
                if i + k > tokens.len() {
                    continue;
                }
                let fits = (0..k).all(|j| {
                    let t = &tokens[i + j];
                    t.is_word()
                        && (t.folded == entry.tokens[j]
                            || (j == k - 1 && t.form(true) == entry.tokens[j]))
                        && (!entry.exact_case || t.upper)
                });
                if !fits {
                    continue;
                }
                let stem = tokens[i + k - 1].folded != entry.tokens[k - 1];
                match &mut best {
                    Some((len, _, _)) if *len > k => {}
                    Some((len, found, used)) if *len == k => {
                        found.entry(entry.entity).or_default().insert(entry.source);
                        *used |= stem;
                    }
                    _ => {
                        let mut found = BTreeMap::new();
                        found.insert(entry.entity, BTreeSet::from([entry.source]));
                        best = Some((k, found, stem));
                    }
                }
            }
        }
        let Some((k, found, stem_used)) = best else {
            i += 1;
            continue;
        };
        let last = &tokens[i + k - 1];
        let end = if stem_used {
            last.stem_end()
        } else {
            last.span.end
        };
        let span = tokens[i].span.start..end;
        let mention = linked.mentions.len();
        let metonymic: Vec<usize> = found
            .iter()
            .filter(|(_, s)| s.contains(&NameSource::Metonym))
            .map(|(&e, _)| e)
            .collect();
        let literal: Vec<usize> = found
            .keys()
            .copied()
            .filter(|e| !metonymic.contains(e))
            .collect();
        let (target, rule) = if found.len() == 1 {
            let entity = *found.keys().next().unwrap_or(&0);
            let metonym = !metonymic.is_empty();
            (
                Target::Entity {
                    entity,
                    metonym,
                    via: None,
                },
                if metonym { "metonym" } else { "name" },
            )
        } else if literal.len() == 1 && metonymic.len() == 1 {
            pending.push(Pending {
                mention,
                place: literal[0],
                actor: metonymic[0],
            });
            (
                Target::Ambiguous(vec![literal[0], metonymic[0]]),
                "shared name",
            )
        } else {
            (
                Target::Ambiguous(found.keys().copied().collect()),
                "shared name",
            )
        };
        linked.mentions.push(Mention {
            line: l,
            tokens: i..i + k,
            span,
            target,
            rule,
        });
        i += k;
    }
}

/// Step 2: reading shared names from the words around them, then from decided neighbours.
fn resolve_pending(
    lexicon: &Lexicon,
    lines: &[TextLine],
    linked: &mut Linked,
    pending: &[Pending],
) {
    let mut undecided = Vec::new();
    for p in pending {
        let m = &linked.mentions[p.mention];
        let line = &lines[m.line];
        match reading(lexicon, line, m, p) {
            Reading::Unknown => undecided.push(p),
            r => decide(linked, p, r),
        }
    }
    // Coordination with an actor: `Moscow and Washington`, `between Washington and Moscow`.
    for p in undecided {
        let m = &linked.mentions[p.mention];
        let line = &lines[m.line];
        if coordinated_with_actor(lexicon, line, &linked.mentions, m) {
            decide(linked, p, Reading::Actor);
        } else {
            linked.mentions[p.mention].rule = "shared name: the text does not say which";
        }
    }
}

fn decide(linked: &mut Linked, p: &Pending, reading: Reading) {
    let m = &mut linked.mentions[p.mention];
    match reading {
        Reading::Place => {
            m.target = Target::Entity {
                entity: p.place,
                metonym: false,
                via: None,
            };
            m.rule = "shared name read as a place";
        }
        Reading::Actor => {
            m.target = Target::Entity {
                entity: p.actor,
                metonym: true,
                via: Some(p.place),
            };
            m.rule = "shared name read as a metonym";
        }
        Reading::Unknown => {}
    }
}

fn folded_at(tokens: &[Token], at: usize) -> Option<&str> {
    words_at(tokens, at).map(|t| t.folded.as_str())
}

fn reading(lexicon: &Lexicon, line: &TextLine, mention: &Mention, pending: &Pending) -> Reading {
    let tokens = &line.tokens;
    let (a, b) = (mention.tokens.start, mention.tokens.end);
    if line.lead_kind == Some(LeadKind::Dateline) && a < line.body_from {
        return Reading::Place;
    }
    let prev = a.checked_sub(1).and_then(|i| folded_at(tokens, i));
    let prev_possessive = a
        .checked_sub(1)
        .and_then(|i| tokens.get(i))
        .is_some_and(|t| t.stem.is_some());
    let next = tokens.get(b);
    let next_lower_word = next.filter(|t| t.kind == TokenKind::Word && !t.capitalized);
    if (prev.is_some_and(|w| matches!(w, "the" | "a" | "an")) || prev_possessive)
        && next_lower_word.is_some()
    {
        return Reading::Place;
    }
    if tokens[b - 1].stem.is_some() {
        return Reading::Actor;
    }
    if let Some(w) = prev {
        if LOCATIVE.contains(&w) {
            return Reading::Place;
        }
        if TOWARDS.contains(&w) {
            let from = a.saturating_sub(8);
            let moving = tokens[from..a - 1]
                .iter()
                .rev()
                .take_while(|t| !t.is_mark(',') && !t.is_mark(';'))
                .any(|t| MOTION.contains(&t.folded.as_str()));
            return if moving {
                Reading::Place
            } else {
                Reading::Actor
            };
        }
        if ACTOR_PREPOSITIONS.contains(&w) {
            return Reading::Actor;
        }
    }
    if let Some(word) = next_lower_word {
        let next_word = word.folded.as_str();
        let verb_like = AUXILIARIES.contains(&next_word)
            || (next_word.len() > 3 && next_word.ends_with('s') && !next_word.ends_with("ss"))
            || (next_word.len() > 3 && next_word.ends_with("ed"));
        if verb_like {
            return Reading::Actor;
        }
    }
    // `Kyiv and several European governments`: joined to a noun naming the actor's class.
    if next.is_some_and(|t| COORDINATORS.contains(&t.folded.as_str())) {
        let nouns = &lexicon.entities[pending.actor].classes;
        let class_words: BTreeSet<String> = nouns
            .iter()
            .filter_map(|c| lexicon.class_labels.get(c))
            .map(|l| fold(l))
            .collect();
        let joined = tokens[b + 1..tokens.len().min(b + 5)]
            .iter()
            .take_while(|t| t.is_word())
            .any(|t| {
                let noun = t.folded.as_str();
                class_words.contains(noun)
                    || noun
                        .strip_suffix('s')
                        .is_some_and(|s| class_words.contains(s))
            });
        if joined {
            return Reading::Actor;
        }
    }
    Reading::Unknown
}

/// Whether a mention is joined by `and`/`or`/`than` to a decided mention of an agent.
fn coordinated_with_actor(
    lexicon: &Lexicon,
    line: &TextLine,
    mentions: &[Mention],
    m: &Mention,
) -> bool {
    let tokens = &line.tokens;
    let actor_at = |range: Range<usize>| {
        mentions.iter().any(|other| {
            other.line == m.line
                && range.contains(&other.tokens.start)
                && matches!(other.target, Target::Entity { entity, .. }
                    if lexicon.is_agent(&lexicon.entities[entity].classes))
        })
    };
    let (a, b) = (m.tokens.start, m.tokens.end);
    let after = folded_at(tokens, b).is_some_and(|w| COORDINATORS.contains(&w));
    if after && actor_at(b + 1..b + 3) {
        return true;
    }
    let before = a
        .checked_sub(1)
        .and_then(|i| folded_at(tokens, i))
        .is_some_and(|w| COORDINATORS.contains(&w));
    before
        && mentions.iter().any(|other| {
            other.line == m.line
                && (other.tokens.end + 1 == a || other.tokens.end + 2 == a)
                && matches!(other.target, Target::Entity { entity, .. }
                    if lexicon.is_agent(&lexicon.entities[entity].classes))
        })
}

fn covered(linked: &Linked, l: usize, i: usize) -> bool {
    linked
        .mentions
        .iter()
        .any(|m| m.line == l && m.tokens.contains(&i))
}

fn is_initial(t: &Token) -> bool {
    t.kind == TokenKind::Word && t.folded.len() == 1 && t.upper
}

fn is_title(t: &Token) -> bool {
    TITLES.contains(&t.folded.as_str())
}

fn label_tokens(lexicon: &Lexicon, entity: usize) -> Vec<String> {
    super::lexicon::folded_tokens(&lexicon.entities[entity].label)
}

/// Step 3a: first names and initials before a person's name.
fn extend_variants(lexicon: &Lexicon, text: &str, lines: &[TextLine], linked: &mut Linked) {
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
                || covered(linked, m.line, start - 1)
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
            linked.variants.push(Variant {
                entity,
                surface: text[m.span.clone()].to_owned(),
                mention: m.span.start,
            });
        }
    }
}

/// Step 3b: a capitalised word that is the last word of exactly one person's name.
fn link_surnames(lexicon: &Lexicon, text: &str, lines: &[TextLine], linked: &mut Linked) {
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
    let mut found = Vec::new();
    for (l, line) in lines.iter().enumerate() {
        for (i, t) in line.tokens.iter().enumerate() {
            if t.kind != TokenKind::Word || !t.capitalized || covered(linked, l, i) {
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
            if !linked
                .variants
                .iter()
                .any(|v| v.entity == entity && v.surface == text[span.clone()])
                && !lexicon.entries.iter().any(|e| {
                    e.entity == entity && e.tokens.len() == 1 && e.tokens[0] == t.form(true)
                })
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

/// The class cue that ends right before token `at` (exclusive), longest first.
fn cue_before<'l>(
    lexicon: &'l Lexicon,
    tokens: &[Token],
    at: usize,
) -> Option<(usize, &'l str, usize)> {
    lexicon.class_cues.iter().enumerate().find_map(|(c, cue)| {
        let k = cue.tokens.len();
        (at >= k
            && (0..k).all(|j| {
                let t = &tokens[at - k + j];
                t.is_word() && t.folded == cue.tokens[j]
            }))
        .then(|| (c, cue.phrase.as_str(), at - k))
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
    let mut runs = Vec::new();
    for (l, line) in lines.iter().enumerate() {
        if line.kind != LineKind::Body {
            continue;
        }
        let tokens = &line.tokens;
        let mut i = line.body_from;
        while i < tokens.len() {
            if !may_name(lexicon, &tokens[i]) || covered(linked, l, i) {
                i += 1;
                continue;
            }
            let mut end = i + 1;
            while end < tokens.len()
                && !covered(linked, l, end)
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
fn find_new(lexicon: &Lexicon, text: &str, lines: &[TextLine], linked: &mut Linked) {
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
    let mut uses: Vec<Mention> = Vec::new();
    for (l, line) in lines.iter().enumerate() {
        if line.kind != LineKind::Body {
            continue;
        }
        let tokens = &line.tokens;
        for i in line.body_from..tokens.len() {
            if covered(linked, l, i) || uses.iter().any(|m| m.line == l && m.tokens.contains(&i)) {
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
                uses.push(Mention {
                    line: l,
                    tokens: i..i + len,
                    span: tokens[i].span.start..tokens[i + len - 1].stem_end(),
                    target: Target::New(n),
                    rule: "another use of a new name",
                });
                break;
            }
        }
    }
    uses
}
