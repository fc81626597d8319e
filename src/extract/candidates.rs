//! The reviewable rows of an [`Analysis`]: the document's row, new entities, facts (cue facts and
//! name variants as aliases), quotations — each `proposed`, with a confidence, the rule that
//! proposed it and its evidence (document, sentence, character span in the kept text, the
//! sentence's words).

use std::collections::BTreeMap;

use super::lexicon::QuotationSchema;
use super::table::Table;
use super::{Analysis, Lexicon, MentionOut};

/// Columns of `entities.csv`.
pub const ENTITY_COLUMNS: &[&str] = &[
    "status",
    "confidence",
    "rule",
    "id",
    "type",
    "rdfs:label@en",
    "source",
    "sentences",
    "span",
    "text",
];
/// Columns of `relations.csv`.
pub const RELATION_COLUMNS: &[&str] = &[
    "status",
    "confidence",
    "rule",
    "subject",
    "predicate",
    "object",
    "lang",
    "source",
    "sentences",
    "date",
    "span",
    "text",
];

/// The tables of an ingest folder.
#[derive(Debug, Clone)]
pub struct Candidates {
    /// `document.csv`.
    pub document: Table,
    /// `entities.csv`.
    pub entities: Table,
    /// `relations.csv`.
    pub relations: Table,
    /// `quotations.csv`, when the ontology has a quotation class.
    pub quotations: Option<Table>,
}

fn sentences_cell(numbers: impl IntoIterator<Item = u64>) -> String {
    let mut numbers: Vec<u64> = numbers.into_iter().collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join("|")
}

/// `start-end`: characters of the kept text.
fn span_cell(analysis: &Analysis, start: usize, end: usize) -> String {
    analysis
        .kept_range(start, end)
        .map(|(_, a, b)| format!("{a}-{b}"))
        .unwrap_or_default()
}

fn sentence_text(analysis: &Analysis, number: u64) -> String {
    analysis
        .sentences
        .iter()
        .find(|s| s.number == number)
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// A quotation's label: who, and its first words.
fn quotation_label(speaker: &str, words: &str) -> String {
    let mut short: String = words
        .split_whitespace()
        .take(8)
        .collect::<Vec<_>>()
        .join(" ");
    if short.len() < words.len() {
        short.push('…');
    }
    format!("{speaker}: “{short}”")
}

fn id_part(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect()
}

/// Builds the candidate tables. `known(subject, predicate, object)` says whether the graph
/// already states a fact (its row then says it adds evidence).
pub fn build(
    analysis: &Analysis,
    lexicon: &Lexicon,
    known: &dyn Fn(&str, &str, &str) -> bool,
) -> Candidates {
    Candidates {
        document: document_table(analysis),
        entities: entity_table(analysis),
        relations: relation_table(analysis, known),
        quotations: lexicon
            .quotation
            .as_ref()
            .map(|schema| quotation_table(analysis, lexicon, schema)),
    }
}

fn document_table(analysis: &Analysis) -> Table {
    let doc = &analysis.document;
    let mut document = Table::new(&[
        "id",
        "type",
        "rdfs:label@en",
        "kg:sha256",
        "kg:sentenceCount",
        "kg:date^^xsd:date",
    ]);
    document.push(&[
        ("id", doc.id.clone()),
        ("type", "kg:Document".into()),
        (
            "rdfs:label@en",
            doc.title.clone().unwrap_or_else(|| doc.id.clone()),
        ),
        ("kg:sha256", doc.sha256.clone()),
        ("kg:sentenceCount", doc.sentence_count.to_string()),
        ("kg:date^^xsd:date", doc.date.clone().unwrap_or_default()),
    ]);
    document
}

/// New entities, with every sentence that mentions them.
fn entity_table(analysis: &Analysis) -> Table {
    let mut entities = Table::new(ENTITY_COLUMNS);
    let mut first: BTreeMap<&str, (usize, usize, Vec<u64>)> = BTreeMap::new();
    for m in &analysis.mentions {
        if let (Some(new), Some(sentence)) = (&m.new, m.sentence) {
            first
                .entry(new.id.as_str())
                .or_insert((m.start, m.end, Vec::new()))
                .2
                .push(sentence);
        }
    }
    for new in &analysis.new_entities {
        let Some((start, end, sentences)) = first.get(new.id.as_str()) else {
            continue;
        };
        entities.push(&[
            ("status", "proposed".into()),
            ("confidence", "0.6".into()),
            (
                "rule",
                format!("new name; class guessed from the cue {:?}", new.cue),
            ),
            ("id", new.id.clone()),
            ("type", new.class_guess.clone()),
            ("rdfs:label@en", new.label.clone()),
            ("source", analysis.document.id.clone()),
            ("sentences", sentences_cell(sentences.iter().copied())),
            ("span", span_cell(analysis, *start, *end)),
            ("text", sentence_text(analysis, sentences[0])),
        ]);
    }
    entities
}

/// Cue facts, then name variants as aliases.
fn relation_table(analysis: &Analysis, known: &dyn Fn(&str, &str, &str) -> bool) -> Table {
    let source = &analysis.document.id;
    let mut relations = Table::new(RELATION_COLUMNS);
    for r in &analysis.relations {
        let mut rule = r.rule.clone();
        if known(&r.subject, &r.predicate, &r.object) {
            rule.push_str("; already in the graph: adds evidence");
        }
        relations.push(&[
            ("status", "proposed".into()),
            ("confidence", format!("{:.2}", r.confidence)),
            ("rule", rule),
            ("subject", r.subject.clone()),
            ("predicate", r.predicate.clone()),
            ("object", r.object.clone()),
            ("source", source.clone()),
            ("sentences", r.sentence.to_string()),
            ("span", span_cell(analysis, r.start, r.end)),
            ("text", sentence_text(analysis, r.sentence)),
        ]);
    }
    let mut seen = Vec::new();
    for (entity, surface) in &analysis.variants {
        if seen.contains(&(entity, surface)) {
            continue;
        }
        seen.push((entity, surface));
        let of_entity = |m: &&MentionOut| m.entity.as_deref() == Some(entity);
        let mut of = analysis.mentions.iter().filter(of_entity);
        let Some(m) = of
            .clone()
            .find(|m| m.text == *surface)
            .or_else(|| of.find(|m| m.text.contains(surface.as_str())))
        else {
            continue;
        };
        let Some(sentence) = m.sentence else {
            continue;
        };
        relations.push(&[
            ("status", "proposed".into()),
            ("confidence", "0.7".into()),
            (
                "rule",
                format!("spelling {surface:?} of a known name ({})", m.rule),
            ),
            ("subject", entity.clone()),
            ("predicate", "skos:altLabel".into()),
            ("object", surface.clone()),
            ("lang", "en".into()),
            ("source", source.clone()),
            ("sentences", sentence.to_string()),
            ("span", span_cell(analysis, m.start, m.end)),
            ("text", sentence_text(analysis, sentence)),
        ]);
    }
    relations
}

/// Whether a speaker fits the speaker property's range (persons, in the peace-talks ontology).
fn speaker_fits(
    analysis: &Analysis,
    lexicon: &Lexicon,
    schema: &QuotationSchema,
    id: &str,
) -> bool {
    if schema.speaker_range.is_empty() {
        return true;
    }
    let classes = match lexicon.entity_by_id(id) {
        Some(e) => lexicon.entities[e].classes.clone(),
        None => match analysis.new_entities.iter().find(|n| n.id == id) {
            Some(new) => lexicon.class_closure(&new.class),
            None => return false,
        },
    };
    schema.speaker_range.iter().any(|r| classes.contains(r))
}

fn quotation_table(analysis: &Analysis, lexicon: &Lexicon, schema: &QuotationSchema) -> Table {
    let source = &analysis.document.id;
    let speaker_column = schema.speaker.clone().unwrap_or_default();
    let mut columns = vec![
        "status",
        "confidence",
        "rule",
        "id",
        "type",
        "rdfs:label@en",
        schema.text.as_str(),
    ];
    if schema.speaker.is_some() {
        columns.push(speaker_column.as_str());
    }
    columns.extend([
        "rdfs:comment@en",
        "source",
        "sentences",
        "date",
        "span",
        "text",
    ]);
    let mut table = Table::new(&columns);
    for (n, q) in analysis.quotations.iter().enumerate() {
        let Some(&sentence) = q.sentences.first() else {
            continue;
        };
        let who = q
            .speaker_text
            .clone()
            .or_else(|| {
                q.speaker.as_ref().map(|id| {
                    lexicon
                        .entity_by_id(id)
                        .map_or_else(|| id.clone(), |e| lexicon.entities[e].label.clone())
                })
            })
            .unwrap_or_else(|| "unknown speaker".into());
        let mut comment = format!("Said by {who}");
        if let Some(occasion) = &q.occasion {
            comment.push(' ');
            comment.push_str(occasion);
        }
        comment.push('.');
        let confidence = match q.form {
            "label" | "said X" | "X added" => "0.9",
            "X said:" => "0.85",
            "pronoun" => "0.75",
            "continuation" | "partial" => "0.7",
            _ => "0.3",
        };
        let mut cells = vec![
            ("status", "proposed".to_owned()),
            ("confidence", confidence.to_owned()),
            ("rule", format!("quotation, speaker by form {:?}", q.form)),
            ("id", format!("Quote_{}_{}", id_part(source), n + 1)),
            ("type", schema.class.clone()),
            ("rdfs:label@en", quotation_label(&who, &q.text)),
            (schema.text.as_str(), q.text.clone()),
            ("rdfs:comment@en", comment),
            ("source", source.clone()),
            ("sentences", sentences_cell(q.sentences.iter().copied())),
            ("date", q.date.clone().unwrap_or_default()),
            ("span", span_cell(analysis, q.start, q.end)),
            ("text", sentence_text(analysis, sentence)),
        ];
        if let Some(id) = &q.speaker
            && speaker_fits(analysis, lexicon, schema, id)
        {
            cells.push((speaker_column.as_str(), id.clone()));
        }
        table.push(&cells);
    }
    table
}
