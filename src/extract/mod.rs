//! Reading a new article: from its text to mentions of the graph's entities, new names,
//! quotations, dates, quantities and candidate facts, each tied to its sentence, for a curator
//! to review (`kg ingest`).
//!
//! The steps follow the text:
//!
//! 1. [`layout`]: which lines are the title, the header, page residue and the body; the body
//!    lines are the text kept as the document (what the build numbers).
//! 2. [`token`]: the words and marks of each line.
//! 3. [`mentions`]: names linked to entities through the graph's labels, aliases and metonyms
//!    ([`Lexicon`], read through the [`crate::read`] seam), ambiguous ones listed, unknown names
//!    proposed with a class guessed from cue words.
//! 4. [`quotes`], [`dates`], [`numbers`]: quotations and their speakers, dates resolved against
//!    the document date, quantities with units.
//! 5. [`relations`]: candidate facts from the cue patterns the ontology declares.
//!
//! [`analyse`] runs them all; [`candidates`] turns the result into reviewable CSV rows. All
//! offsets in the [`Analysis`] are character (Unicode scalar) offsets, end exclusive: into the
//! article for `start`/`end`, into the kept text for `kept_start`/`kept_end`.
//!
//! ```no_run
//! use kg::extract::{Lexicon, Options, analyse};
//! use kg::store::{LocalGraph, StoreDir};
//!
//! let graph = LocalGraph::open(StoreDir::new("kg-store").current()?)?;
//! let lexicon = Lexicon::read(&graph)?;
//! let text = std::fs::read_to_string("article.txt")?;
//! let analysis = analyse(&text, &lexicon, &Options::new("my-article"));
//! for mention in &analysis.mentions {
//!     println!("{} → {:?}", mention.text, mention.entity);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod candidates;
pub mod dates;
pub mod facts;
pub mod layout;
pub mod lexicon;
pub mod mentions;
pub mod numbers;
pub mod quotes;
pub mod relations;
pub mod report;
pub mod table;
pub mod terms;
pub mod timeline;
pub mod token;

use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;
use sha2::{Digest, Sha256};

use self::dates::{Day, find_dates};
use self::layout::{CharIndex, Layout, LineKind};
pub use self::lexicon::Lexicon;
use self::mentions::Target;
use self::relations::Ref;
use self::token::{Token, tokenize};
use crate::ingest::text::sentences::{LeadKind, line_lead, split};

/// What `analyse` is told about the document.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The document's id.
    pub document_id: String,
    /// Its date, when known (else a date line of the header, if any).
    pub date: Option<Day>,
    /// Its title, when given (else the headline, if any).
    pub title: Option<String>,
    /// Extra residue: lines starting with one of these (case-insensitive) are dropped.
    pub drop_lines: Vec<String>,
}

impl Options {
    /// Options with only a document id.
    pub fn new(document_id: &str) -> Self {
        Self {
            document_id: document_id.to_owned(),
            ..Self::default()
        }
    }
}

/// One analysed line: its tokens, and where its sentences may start.
#[derive(Debug, Clone)]
pub struct TextLine {
    /// 1-based line number in the article.
    pub number: usize,
    /// Title, header or body.
    pub kind: LineKind,
    /// Byte range in the article.
    pub span: Range<usize>,
    /// Its tokens.
    pub tokens: Vec<Token>,
    /// Tokens before this index are a speaker label or a dateline.
    pub body_from: usize,
    /// Which of the two, if any.
    pub lead_kind: Option<LeadKind>,
    /// Byte range of the label's name or the dateline.
    pub lead_name: Option<Range<usize>>,
}

/// The document as `kg ingest` records it.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentInfo {
    /// Its id.
    pub id: String,
    /// Its title (headline), if any.
    pub title: Option<String>,
    /// Its date, if known.
    pub date: Option<String>,
    /// SHA-256 of the kept text.
    pub sha256: String,
    /// Sentences of the kept text.
    pub sentence_count: u64,
}

/// A line that is not part of the kept text.
#[derive(Debug, Clone, Serialize)]
pub struct DroppedLine {
    /// 1-based line number in the article.
    pub line: usize,
    /// Its text.
    pub text: String,
    /// Why it was dropped.
    pub rule: &'static str,
}

/// A sentence of the kept text.
#[derive(Debug, Clone, Serialize)]
pub struct SentenceOut {
    /// Its number (what facts cite).
    pub number: u64,
    /// Character range in the article.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
    /// Character range in the kept text.
    pub kept_start: usize,
    /// End, exclusive.
    pub kept_end: usize,
    /// Its words.
    pub text: String,
}

/// A new entity a mention proposes.
#[derive(Debug, Clone, Serialize)]
pub struct NewOut {
    /// Proposed id.
    pub id: String,
    /// Its name.
    pub label: String,
    /// Guessed class, prefixed.
    pub class_guess: String,
    /// Guessed class, IRI.
    #[serde(skip)]
    pub class: String,
    /// The cue that suggested the class.
    pub cue: String,
}

/// A mention in the output.
#[derive(Debug, Clone, Serialize)]
pub struct MentionOut {
    /// Character range in the article.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
    /// The words.
    pub text: String,
    /// The sentence it is in (none in the title or header).
    pub sentence: Option<u64>,
    /// The entity's id, when one is linked.
    pub entity: Option<String>,
    /// The name stands for the entity by metonymy.
    pub metonym: bool,
    /// For a metonym: the entity the name literally names (the city).
    pub via: Option<String>,
    /// Candidates of an ambiguous mention.
    pub ambiguous: Vec<String>,
    /// A proposed new entity.
    pub new: Option<NewOut>,
    /// The rule that linked it.
    pub rule: &'static str,
}

/// A quotation in the output.
#[derive(Debug, Clone, Serialize)]
pub struct QuotationOut {
    /// Character range of the quoted words in the article.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
    /// The words.
    pub text: String,
    /// Sentences it lies in.
    pub sentences: Vec<u64>,
    /// The speaker's id (known or new), when named.
    pub speaker: Option<String>,
    /// Whether the speaker is a proposed new entity.
    pub speaker_new: bool,
    /// The speaker as the text calls them (a label, or a new name).
    pub speaker_text: Option<String>,
    /// How the speaker was found.
    pub form: &'static str,
    /// Where or when it was said, as the text puts it.
    pub occasion: Option<String>,
    /// The date of the occasion, when resolved to a CSV date.
    pub date: Option<String>,
}

/// A date in the output.
#[derive(Debug, Clone, Serialize)]
pub struct DateOut {
    /// Character range in the article.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
    /// The words.
    pub text: String,
    /// The sentence it is in.
    pub sentence: Option<u64>,
    /// The value and precision.
    #[serde(flatten)]
    pub date: dates::DateMention,
}

/// A quantity in the output.
#[derive(Debug, Clone, Serialize)]
pub struct NumberOut {
    /// Character range in the article.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
    /// The words.
    pub text: String,
    /// The sentence it is in.
    pub sentence: Option<u64>,
    /// The value and unit.
    #[serde(flatten)]
    pub quantity: numbers::Quantity,
}

/// A candidate fact in the output.
#[derive(Debug, Clone, Serialize)]
pub struct RelationOut {
    /// Subject id (known or new).
    pub subject: String,
    /// Property, prefixed.
    pub predicate: String,
    /// Object id.
    pub object: String,
    /// Sentence number.
    pub sentence: u64,
    /// Character range of the matched words in the article.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
    /// 0–1.
    pub confidence: f64,
    /// The cue that fired.
    pub rule: String,
}

/// Everything found in one article.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// The document.
    pub document: DocumentInfo,
    /// Header lines (byline, date line): not kept.
    pub header: Vec<DroppedLine>,
    /// Page residue: not kept.
    pub residue: Vec<DroppedLine>,
    /// Sentences of the kept text.
    pub sentences: Vec<SentenceOut>,
    /// Mentions, in text order.
    pub mentions: Vec<MentionOut>,
    /// Proposed new entities.
    pub new_entities: Vec<NewOut>,
    /// Name variants of known entities: (entity id, spelling).
    pub variants: Vec<(String, String)>,
    /// Quotations.
    pub quotations: Vec<QuotationOut>,
    /// Dates.
    pub dates: Vec<DateOut>,
    /// Quantities.
    pub numbers: Vec<NumberOut>,
    /// Candidate facts.
    pub relations: Vec<RelationOut>,
    /// The kept text: what `sources/<id>.txt` holds.
    #[serde(skip)]
    pub kept_text: String,
}

/// Reads an article.
pub fn analyse(text: &str, lexicon: &Lexicon, options: &Options) -> Analysis {
    let layout = Layout::read(text, &options.drop_lines);
    let date = options.date.or_else(|| layout.stated_date(text));
    let sentences: Vec<(u64, Range<usize>)> = split(&layout.kept)
        .into_iter()
        .map(|s| {
            (
                s.number,
                layout.to_article(s.span.start)..layout.to_article(s.span.end),
            )
        })
        .collect();
    let lines = text_lines(text, &layout);
    let linked = mentions::link(lexicon, text, &lines);
    let quotations = quotes::find_quotations(lexicon, text, &lines, &linked, &sentences);
    let proposals = relations::find_relations(lexicon, &lines, &linked, &sentences);
    let (found_dates, found_numbers) = dates_and_numbers(text, &lines, date);

    let out = Output {
        text,
        lexicon,
        linked: &linked,
        chars: CharIndex::new(text),
        sentences: &sentences,
    };
    let quotations = quotations
        .iter()
        .map(|q| out.quotation(q, &found_dates))
        .collect();
    Analysis {
        document: DocumentInfo {
            id: options.document_id.clone(),
            title: options
                .title
                .clone()
                .or_else(|| layout.title(text).map(str::to_owned)),
            date: date.map(|d| d.to_string()),
            sha256: Sha256::digest(layout.kept.as_bytes()).iter().fold(
                String::new(),
                |mut hex, b| {
                    let _ = write!(hex, "{b:02x}");
                    hex
                },
            ),
            sentence_count: sentences.len() as u64,
        },
        header: dropped(text, &layout, |k| {
            (k == LineKind::Header).then_some("header")
        }),
        residue: dropped(text, &layout, |k| match k {
            LineKind::Residue(rule) => Some(rule),
            _ => None,
        }),
        sentences: out.sentences(&layout),
        mentions: linked.mentions.iter().map(|m| out.mention(m)).collect(),
        new_entities: (0..linked.new.len()).map(|n| out.new_entity(n)).collect(),
        variants: linked
            .variants
            .iter()
            .map(|v| (lexicon.entities[v.entity].id.clone(), v.surface.clone()))
            .collect(),
        quotations,
        dates: found_dates
            .into_iter()
            .map(|d| DateOut {
                start: out.chars.chars(d.span.start),
                end: out.chars.chars(d.span.end),
                text: text[d.span.clone()].to_owned(),
                sentence: out.sentence_of(d.span.start),
                date: d,
            })
            .collect(),
        numbers: found_numbers
            .into_iter()
            .map(|q| NumberOut {
                start: out.chars.chars(q.span.start),
                end: out.chars.chars(q.span.end),
                text: text[q.span.clone()].to_owned(),
                sentence: out.sentence_of(q.span.start),
                quantity: q,
            })
            .collect(),
        relations: proposals.iter().map(|p| out.relation(p)).collect(),
        kept_text: layout.kept.clone(),
    }
}

/// The title, header and body lines, tokenized, with their speaker label or dateline.
fn text_lines(text: &str, layout: &Layout) -> Vec<TextLine> {
    layout
        .lines
        .iter()
        .filter(|l| matches!(l.kind, LineKind::Title | LineKind::Header | LineKind::Body))
        .map(|l| {
            let tokens = tokenize(text, l.span.clone());
            let lead = (l.kind == LineKind::Body)
                .then(|| line_lead(&text[l.span.clone()]))
                .flatten();
            let body_from = lead.as_ref().map_or(0, |lead| {
                tokens.partition_point(|t| t.span.start < l.span.start + lead.len)
            });
            TextLine {
                number: l.number,
                kind: l.kind,
                span: l.span.clone(),
                tokens,
                body_from,
                lead_kind: lead.as_ref().map(|lead| lead.kind),
                lead_name: lead
                    .map(|lead| l.span.start + lead.name.start..l.span.start + lead.name.end),
            }
        })
        .collect()
}

/// Dates, then quantities outside them, line by line (speaker labels left out).
fn dates_and_numbers(
    text: &str,
    lines: &[TextLine],
    date: Option<Day>,
) -> (Vec<dates::DateMention>, Vec<numbers::Quantity>) {
    let mut found_dates = Vec::new();
    let mut found_numbers = Vec::new();
    for line in lines {
        let tokens = if line.lead_kind == Some(LeadKind::Speaker) {
            &line.tokens[line.body_from..]
        } else {
            &line.tokens[..]
        };
        let line_dates = find_dates(tokens, date);
        let taken: Vec<Range<usize>> = line_dates.iter().map(|d| d.span.clone()).collect();
        found_numbers.extend(numbers::find_quantities(text, tokens, &taken));
        found_dates.extend(line_dates);
    }
    (found_dates, found_numbers)
}

fn dropped(
    text: &str,
    layout: &Layout,
    pick: impl Fn(LineKind) -> Option<&'static str>,
) -> Vec<DroppedLine> {
    layout
        .lines
        .iter()
        .filter_map(|l| {
            pick(l.kind).map(|rule| DroppedLine {
                line: l.number,
                text: text[l.span.clone()].to_owned(),
                rule,
            })
        })
        .collect()
}

/// Turns byte ranges and indexes into the output's character offsets and ids.
struct Output<'a> {
    text: &'a str,
    lexicon: &'a Lexicon,
    linked: &'a mentions::Linked,
    chars: CharIndex,
    sentences: &'a [(u64, Range<usize>)],
}

impl Output<'_> {
    fn sentence_of(&self, byte: usize) -> Option<u64> {
        let i = self
            .sentences
            .partition_point(|(_, r)| r.start <= byte)
            .checked_sub(1)?;
        let (n, r) = &self.sentences[i];
        (byte < r.end).then_some(*n)
    }

    fn id_of(&self, r: Ref) -> String {
        match r {
            Ref::Entity(e) => self.lexicon.entities[e].id.clone(),
            Ref::New(n) => self.linked.new[n].id.clone(),
        }
    }

    fn new_entity(&self, n: usize) -> NewOut {
        let actor = &self.linked.new[n];
        NewOut {
            id: actor.id.clone(),
            label: actor.label.clone(),
            class_guess: actor.class_compact.clone(),
            class: actor.class.clone(),
            cue: actor.cue.clone(),
        }
    }

    fn sentences(&self, layout: &Layout) -> Vec<SentenceOut> {
        let kept_chars = CharIndex::new(&layout.kept);
        self.sentences
            .iter()
            .map(|(number, r)| {
                let kept_start = layout.to_kept(r.start).unwrap_or(0);
                let kept_end = layout.to_kept(r.end).unwrap_or(kept_start);
                SentenceOut {
                    number: *number,
                    start: self.chars.chars(r.start),
                    end: self.chars.chars(r.end),
                    kept_start: kept_chars.chars(kept_start),
                    kept_end: kept_chars.chars(kept_end),
                    text: self.text[r.clone()].to_owned(),
                }
            })
            .collect()
    }

    fn mention(&self, m: &mentions::Mention) -> MentionOut {
        let id = |e: usize| self.lexicon.entities[e].id.clone();
        let mut out = MentionOut {
            start: self.chars.chars(m.span.start),
            end: self.chars.chars(m.span.end),
            text: self.text[m.span.clone()].to_owned(),
            sentence: self.sentence_of(m.span.start),
            entity: None,
            metonym: false,
            via: None,
            ambiguous: Vec::new(),
            new: None,
            rule: m.rule,
        };
        match &m.target {
            Target::Entity {
                entity,
                metonym,
                via,
            } => {
                out.entity = Some(id(*entity));
                out.metonym = *metonym;
                out.via = via.map(id);
            }
            Target::Ambiguous(candidates) => {
                out.ambiguous = candidates.iter().map(|&e| id(e)).collect();
                out.ambiguous.sort();
            }
            Target::New(n) => out.new = Some(self.new_entity(*n)),
        }
        out
    }

    fn quotation(&self, q: &quotes::Quotation, found_dates: &[dates::DateMention]) -> QuotationOut {
        let (speaker, speaker_new, speaker_text) = match &q.speaker {
            Some(Target::Entity { entity, .. }) => {
                (Some(self.lexicon.entities[*entity].id.clone()), false, None)
            }
            Some(Target::New(n)) => (
                Some(self.linked.new[*n].id.clone()),
                true,
                Some(self.linked.new[*n].label.clone()),
            ),
            _ => (None, false, q.speaker_text.clone()),
        };
        let date = q.occasion.as_ref().and_then(|o| {
            found_dates
                .iter()
                .find(|d| o.start <= d.span.start && d.span.end <= o.end)
                .and_then(|d| d.xsd_value().map(str::to_owned))
        });
        QuotationOut {
            start: self.chars.chars(q.span.start),
            end: self.chars.chars(q.span.end),
            text: self.text[q.span.clone()].to_owned(),
            sentences: q.sentences.clone(),
            speaker,
            speaker_new,
            speaker_text,
            form: q.form,
            occasion: q.occasion.clone().map(|o| self.text[o].to_owned()),
            date,
        }
    }

    fn relation(&self, p: &relations::Proposal) -> RelationOut {
        let cue = &self.lexicon.relation_cues[p.cue];
        RelationOut {
            subject: self.id_of(p.subject),
            predicate: cue.compact.clone(),
            object: self.id_of(p.object),
            sentence: p.sentence,
            start: self.chars.chars(p.span.start),
            end: self.chars.chars(p.span.end),
            confidence: p.confidence,
            rule: format!("cue {:?} of {}", cue.template, cue.compact),
        }
    }
}

impl Analysis {
    /// The sentence holding an article character offset.
    pub fn sentence_at(&self, start: usize) -> Option<&SentenceOut> {
        let i = self
            .sentences
            .partition_point(|s| s.start <= start)
            .checked_sub(1)?;
        let s = &self.sentences[i];
        (start < s.end).then_some(s)
    }

    /// An article character range as a range of the kept text, when it lies in a sentence.
    pub fn kept_range(&self, start: usize, end: usize) -> Option<(u64, usize, usize)> {
        let s = self.sentence_at(start)?;
        let offset = s.kept_start;
        Some((
            s.number,
            offset + start - s.start,
            offset + end.min(s.end) - s.start,
        ))
    }
}
