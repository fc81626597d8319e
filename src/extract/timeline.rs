//! Dated facts and events in order (`kg timeline [NAME]`), each with its evidence and how precise
//! its date is: `kg:date` of stated facts (`xsd:date` is a day, `xsd:gYearMonth` a month,
//! `xsd:gYear` a year, `xsd:gMonth` a month of an unstated year), documents' dates, and the
//! words of properties the ontology marks with `kg:describesTime` (`pto:timeDescription`:
//! "over the weekend"), which are vague and come last.

use std::collections::BTreeMap;

use oxigraph::model::{NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term};
use serde::Serialize;

use super::facts::{Labels, Value, sentence};
use super::terms::kg as kgx;
use crate::answer::{Evidence, Labelled};
use crate::iri::local_name;
use crate::read::{GraphReader, ReadError, object, objects};
use crate::vocab::{kg, rdf, rdfs, skos, xsd};

/// Predicates not listed on an entry: they name or describe, they do not happen.
fn skipped(predicate: &str) -> bool {
    [
        rdfs::LABEL,
        rdfs::COMMENT,
        skos::ALT_LABEL,
        skos::PREF_LABEL,
        skos::HIDDEN_LABEL,
    ]
    .iter()
    .any(|p| p.as_str() == predicate)
}

/// One fact on the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimedFact {
    /// Predicate.
    pub predicate: Labelled,
    /// Object.
    pub object: Value,
}

/// One entry: a subject at a date, with the facts stated for that date.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    /// The date's value (`2025-11`), or `None` for a date in words.
    pub date: Option<String>,
    /// `day`, `month`, `year`, `month, year not stated`, `time`, or `words`.
    pub precision: String,
    /// The words, for a date in words.
    pub words: Option<String>,
    /// What the date is about.
    pub subject: Labelled,
    /// The facts.
    pub facts: Vec<TimedFact>,
    /// Where the date is stated.
    pub evidence: Vec<Evidence>,
}

/// The timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// Entries, earliest first; dates in words last.
    pub entries: Vec<TimelineEntry>,
}

fn precision(datatype: &NamedNode) -> String {
    let d = datatype.as_ref();
    if d == xsd::DATE {
        "day".into()
    } else if d == xsd::G_YEAR_MONTH {
        "month".into()
    } else if d == xsd::G_YEAR {
        "year".into()
    } else if d == xsd::G_MONTH {
        "month, year not stated".into()
    } else if d == xsd::DATE_TIME {
        "time".into()
    } else {
        local_name(d.as_str()).to_owned()
    }
}

/// A sort key: (group, year, month, day, coarse first).
fn key(entry: &TimelineEntry) -> (u8, i64, u32, u32, u8, String) {
    let rank = match entry.precision.as_str() {
        "year" => 0,
        "month" => 1,
        _ => 2,
    };
    let Some(value) = &entry.date else {
        return (3, 0, 0, 0, 0, entry.subject.label.clone());
    };
    if let Some(month) = value.strip_prefix("--") {
        return (
            2,
            0,
            month.get(..2).and_then(|m| m.parse().ok()).unwrap_or(0),
            0,
            0,
            entry.subject.label.clone(),
        );
    }
    let mut parts = value.split(['-', 'T']);
    let year = parts.next().and_then(|y| y.parse().ok()).unwrap_or(0);
    let month = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    let day = parts.next().and_then(|d| d.parse().ok()).unwrap_or(0);
    (1, year, month, day, rank, entry.subject.label.clone())
}

/// The evidence of a statement.
fn evidence_of(
    reader: &dyn GraphReader,
    statement: NamedOrBlankNodeRef<'_>,
) -> Result<Vec<Evidence>, ReadError> {
    let mut out = Vec::new();
    for term in objects(reader, statement, kg::EVIDENCE)? {
        let Term::NamedNode(s) = term else { continue };
        let document = match object(reader, s.as_ref().into(), kg::IN_DOCUMENT)? {
            Some(Term::NamedNode(d)) => local_name(d.as_str()).to_owned(),
            _ => continue,
        };
        let (number, text) = sentence(reader, &s)?;
        out.push(Evidence {
            document,
            sentence: number,
            date: None,
            text,
        });
    }
    if out.is_empty() {
        for term in objects(reader, statement, kg::SOURCE)? {
            if let Term::NamedNode(d) = term {
                out.push(Evidence {
                    document: local_name(d.as_str()).to_owned(),
                    sentence: None,
                    date: None,
                    text: None,
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.document, a.sentence).cmp(&(&b.document, b.sentence)));
    Ok(out)
}

/// Reads the timeline; with `about`, only entries whose subject or an object is that IRI.
///
/// # Errors
/// Read errors.
pub fn timeline(reader: &dyn GraphReader, about: Option<&str>) -> Result<Timeline, ReadError> {
    let mut labels = Labels::new(reader);
    let mut entries = dated(reader, &mut labels)?;
    entries.extend(in_words(reader, &mut labels)?);
    if let Some(about) = about {
        entries.retain(|e| {
            e.subject.iri == about
                || e.facts
                    .iter()
                    .any(|f| f.object.iri.as_deref() == Some(about))
        });
    }
    for entry in &mut entries {
        entry.facts.sort_by(|a, b| {
            (&a.predicate.label, &a.object.label).cmp(&(&b.predicate.label, &b.object.label))
        });
        entry
            .facts
            .dedup_by(|a, b| a.predicate == b.predicate && a.object.label == b.object.label);
    }
    entries.retain(|e| !e.facts.is_empty());
    entries.sort_by_key(key);
    Ok(Timeline { entries })
}

/// Entries of `kg:date`s: one per subject and date, with the facts stated for that date.
fn dated(
    reader: &dyn GraphReader,
    labels: &mut Labels<'_>,
) -> Result<Vec<TimelineEntry>, ReadError> {
    let mut grouped: BTreeMap<(String, String, String), TimelineEntry> = BTreeMap::new();
    for triple in reader.triples(None, Some(kg::DATE), None) {
        let triple = triple?;
        let Term::Literal(date) = &triple.object else {
            continue;
        };
        let statement = triple.subject.as_ref();
        let (subject, fact) = match object(reader, statement, rdf::SUBJECT)? {
            Some(Term::NamedNode(subject)) => {
                let (Some(Term::NamedNode(predicate)), Some(obj)) = (
                    object(reader, statement, rdf::PREDICATE)?,
                    object(reader, statement, rdf::OBJECT)?,
                ) else {
                    continue;
                };
                let fact = TimedFact {
                    predicate: labels.of(&predicate)?,
                    object: labels.value(&obj)?,
                };
                (subject, fact)
            }
            // A document's own date.
            _ => match &triple.subject {
                NamedOrBlankNode::NamedNode(document) => (
                    document.clone(),
                    TimedFact {
                        predicate: Labelled {
                            iri: kg::DATE.as_str().to_owned(),
                            label: "document date".into(),
                        },
                        object: Value {
                            iri: None,
                            label: date.value().to_owned(),
                            datatype: None,
                        },
                    },
                ),
                NamedOrBlankNode::BlankNode(_) => continue,
            },
        };
        let datatype = date.datatype().into_owned();
        let key = (
            subject.as_str().to_owned(),
            date.value().to_owned(),
            datatype.as_str().to_owned(),
        );
        let entry = match grouped.entry(key) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => e.insert(TimelineEntry {
                date: Some(date.value().to_owned()),
                precision: precision(&datatype),
                words: None,
                subject: labels.of(&subject)?,
                facts: Vec::new(),
                evidence: Vec::new(),
            }),
        };
        // Names and descriptions are not events.
        if skipped(&fact.predicate.iri) {
            continue;
        }
        entry.facts.push(fact);
        for e in evidence_of(reader, statement)? {
            if !entry.evidence.contains(&e) {
                entry.evidence.push(e);
            }
        }
    }
    Ok(grouped.into_values().collect())
}

/// Entries of the values of properties marked `kg:describesTime`.
fn in_words(
    reader: &dyn GraphReader,
    labels: &mut Labels<'_>,
) -> Result<Vec<TimelineEntry>, ReadError> {
    let mut entries = Vec::new();
    for marked in reader.triples(None, Some(kgx::DESCRIBES_TIME), None) {
        let NamedOrBlankNode::NamedNode(property) = marked?.subject else {
            continue;
        };
        for triple in reader.triples(None, Some(property.as_ref()), None) {
            let triple = triple?;
            let (NamedOrBlankNode::NamedNode(subject), Term::Literal(words)) =
                (&triple.subject, &triple.object)
            else {
                continue;
            };
            let mut evidence = Vec::new();
            for st in reader.triples(None, Some(rdf::SUBJECT), Some(subject.as_ref().into())) {
                let st = st?.subject;
                let s = st.as_ref();
                if object(reader, s, rdf::PREDICATE)? == Some(Term::NamedNode(property.clone()))
                    && object(reader, s, rdf::OBJECT)? == Some(triple.object.clone())
                {
                    evidence = evidence_of(reader, s)?;
                    break;
                }
            }
            entries.push(TimelineEntry {
                date: None,
                precision: "words".into(),
                words: Some(words.value().to_owned()),
                subject: labels.of(subject)?,
                facts: vec![TimedFact {
                    predicate: labels.of(&property)?,
                    object: labels.value(&triple.object)?,
                }],
                evidence,
            });
        }
    }
    Ok(entries)
}
