//! Step 2 of linking: which of two entities a shared name means — the place it names or the
//! actor it stands for by metonymy — read from the words around it.

use std::collections::BTreeSet;
use std::ops::Range;

use super::{Linked, Mention, Target, folded_at};
use crate::extract::TextLine;
use crate::extract::lexicon::Lexicon;
use crate::extract::token::TokenKind;
use crate::ingest::text::sentences::LeadKind;
use crate::names::fold;

pub(super) const DETERMINERS: &[&str] = &["the", "a", "an", "this", "that", "these", "those"];
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
pub(super) struct Pending {
    pub(super) mention: usize,
    pub(super) place: usize,
    pub(super) actor: usize,
}

/// Step 2: reading shared names from the words around them, then from decided neighbours.
pub(super) fn resolve_pending(
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
    let mut by_line: Vec<Vec<usize>> = vec![Vec::new(); lines.len()];
    for (i, m) in linked.mentions.iter().enumerate() {
        if let Some(list) = by_line.get_mut(m.line) {
            list.push(i);
        }
    }
    for p in undecided {
        let m = &linked.mentions[p.mention];
        let line = &lines[m.line];
        let same_line: Vec<&Mention> = by_line[m.line]
            .iter()
            .map(|&i| &linked.mentions[i])
            .collect();
        if coordinated_with_actor(lexicon, line, &same_line, m) {
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
    // `push Kyiv to rewrite`, `urge Moscow to accept`: only an actor is moved to act.
    if next.is_some_and(|t| t.folded == "to")
        && tokens.get(b + 1).is_some_and(|t| {
            t.kind == TokenKind::Word
                && !t.capitalized
                && !DETERMINERS.contains(&t.folded.as_str())
                && !matches!(t.folded.as_str(), "his" | "her" | "its" | "their" | "our")
        })
    {
        return Reading::Actor;
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
    mentions: &[&Mention],
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
