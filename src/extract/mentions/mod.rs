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
//!    before `to` and a verb, or joined by `and` to an actor. Otherwise, and for any other shared name, the mention is
//!    listed as ambiguous, not guessed.
//! 3. **Variants.** Capitalised words right before a person's name that spell the start of its
//!    label (`Marco A. Rubio`, `Volodymyr Zelenskiy`) join the mention; a capitalised word that is
//!    the last word of exactly one person's name (`Dmitriyev`) names that person. Both are
//!    proposed as aliases.
//! 4. **New names.** A run of capitalised words that names nothing known, next to a class cue
//!    (`kg:nameCue`: `aide Yuri Ushakov`, `Dr. Nadia Korsak`, `Dmitry Peskov, the Kremlin
//!    spokesman`, `the town of Pokrovsk`), is proposed as a new entity of the cue's class, marked
//!    as a guess. Later uses of the name or, for people, of its last word, refer to it.

mod new;
mod reading;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use self::reading::Pending;
use super::TextLine;
use super::lexicon::{Lexicon, NameSource};
use super::token::{Token, TokenKind};
use crate::ingest::text::sentences::TITLES;

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
    pub(super) folded: Vec<String>,
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

/// Links every analysed line.
pub fn link(lexicon: &Lexicon, text: &str, lines: &[TextLine]) -> Linked {
    let mut linked = Linked::default();
    let mut pending = Vec::new();
    for (l, line) in lines.iter().enumerate() {
        link_names(lexicon, l, line, &mut linked, &mut pending);
    }
    reading::resolve_pending(lexicon, lines, &mut linked, &pending);
    new::extend_variants(lexicon, text, lines, &mut linked);
    new::link_surnames(lexicon, text, lines, &mut linked);
    new::find_new(lexicon, text, lines, &mut linked);
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

pub(super) fn words_at(tokens: &[Token], at: usize) -> Option<&Token> {
    tokens.get(at).filter(|t| t.is_word())
}

/// The longest names that the words at `i` spell: their length, the entities with how each
/// names them, and whether the last word's possessive was dropped.
fn longest_at(
    lexicon: &Lexicon,
    tokens: &[Token],
    i: usize,
    first: &Token,
) -> Option<(usize, BTreeMap<usize, BTreeSet<NameSource>>, bool)> {
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
    best
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
        let best = longest_at(lexicon, tokens, i, first);
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

/// Which tokens of each line a mention covers.
pub(super) struct Coverage(Vec<Vec<bool>>);

impl Coverage {
    pub(super) fn new(lines: &[TextLine], mentions: &[Mention]) -> Self {
        let mut coverage = Self(lines.iter().map(|l| vec![false; l.tokens.len()]).collect());
        for m in mentions {
            coverage.mark(m);
        }
        coverage
    }

    pub(super) fn get(&self, l: usize, i: usize) -> bool {
        self.0
            .get(l)
            .and_then(|line| line.get(i))
            .copied()
            .unwrap_or(false)
    }

    pub(super) fn mark(&mut self, m: &Mention) {
        if let Some(line) = self.0.get_mut(m.line) {
            for i in m.tokens.clone() {
                if let Some(t) = line.get_mut(i) {
                    *t = true;
                }
            }
        }
    }
}

pub(super) fn is_initial(t: &Token) -> bool {
    t.kind == TokenKind::Word && t.folded.len() == 1 && t.upper
}

pub(super) fn is_title(t: &Token) -> bool {
    TITLES.contains(&t.folded.as_str())
}

pub(super) fn label_tokens(lexicon: &Lexicon, entity: usize) -> Vec<String> {
    super::lexicon::folded_tokens(&lexicon.entities[entity].label)
}

pub(super) fn folded_at(tokens: &[Token], at: usize) -> Option<&str> {
    words_at(tokens, at).map(|t| t.folded.as_str())
}
