//! Where a row's facts come from: its review state, source document, sentences, date and span,
//! each checked against the document's declaration.

use oxigraph::model::{Literal, NamedNode};

use super::row::{RowProblems, RowReader};
use super::{Column, Row, split_multi};
use crate::diagnostic::{Problem, ProvenanceProblem};
use crate::ingest::literal;

/// Where a row's facts come from.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The source document's IRI.
    pub document: Option<NamedNode>,
    /// Sentence numbers in it.
    pub sentences: Vec<u64>,
    /// When the facts held or happened.
    pub date: Option<Literal>,
    /// `file:line` of the row.
    pub row: String,
    /// `span` of a candidate row: the characters `start..end` of the source's text.
    pub span: Option<(u64, u64)>,
}

/// The review state of a row: what its `status` cell says (candidate tables), or that the table
/// has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    /// The table has no `status` column: every row is data.
    Data,
    /// `accepted`: read as data.
    Accepted,
    /// `proposed`, or empty: not reviewed yet, skipped.
    Proposed,
    /// `rejected`: skipped.
    Rejected,
}

impl RowStatus {
    /// A `status` cell: `proposed` (or empty), `accepted`, `rejected`; `None` for anything else.
    pub fn parse(cell: &str) -> Option<Self> {
        match cell.trim() {
            "" | "proposed" => Some(Self::Proposed),
            "accepted" => Some(Self::Accepted),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }

    /// Its cell text.
    pub fn name(self) -> &'static str {
        match self {
            Self::Data => "",
            Self::Accepted => "accepted",
            Self::Proposed => "proposed",
            Self::Rejected => "rejected",
        }
    }
}

impl RowReader<'_> {
    /// The review state of a row (its `status` cell), or `None` when the cell is not `proposed`,
    /// `accepted`, `rejected` or empty (which is `proposed`): then [`Problem::BadStatus`] at the
    /// cell is pushed to `problems`.
    pub fn status(&self, row: &Row, problems: &mut RowProblems) -> Option<RowStatus> {
        let Some(i) = self.header.position(|c| matches!(c, Column::Status)) else {
            return Some(RowStatus::Data);
        };
        let cell = row.fields.get(i).map_or("", String::as_str);
        let status = RowStatus::parse(cell);
        if status.is_none() {
            problems.errors.push((
                self.at(row.line, i),
                Problem::BadStatus { value: cell.into() },
            ));
        }
        status
    }

    pub(super) fn provenance(&self, row: &Row, problems: &mut RowProblems) -> Provenance {
        let mut provenance = Provenance {
            row: format!("{}:{}", self.file.display(), row.line),
            ..Provenance::default()
        };
        let mut document = None;
        let mut document_given = false;
        let mut sentences_at = None;
        let mut span_at = None;
        for (i, column) in self.header.columns.iter().enumerate() {
            let cell = row.fields[i].as_str();
            if cell.is_empty() {
                continue;
            }
            match column {
                Column::Source => {
                    // Given, even if wrong: `sentences` is not "without a source".
                    document_given = true;
                    match self.entities.document(cell) {
                        Ok((iri, info)) => {
                            provenance.document = Some(iri);
                            document = Some((cell, info.sentence_count));
                        }
                        // Said once per table and document by the caller, not once per row.
                        Err(Problem::UnknownEntity { id, suggestion }) => problems.errors.push((
                            self.at(row.line, i),
                            Problem::UnknownDocument {
                                id,
                                suggestion,
                                rows: 1,
                                table: None,
                            },
                        )),
                        Err(problem) => problems.errors.push((self.at(row.line, i), problem)),
                    }
                }
                Column::Sentences => {
                    sentences_at = Some(i);
                    for value in split_multi(cell) {
                        match value.parse::<u64>() {
                            Ok(n) if n > 0 => provenance.sentences.push(n),
                            _ => problems.errors.push((
                                self.at(row.line, i),
                                Problem::Provenance(ProvenanceProblem::BadSentenceNumber {
                                    value: value.into(),
                                }),
                            )),
                        }
                    }
                }
                Column::Span => {
                    span_at = Some(i);
                    match parse_span(cell) {
                        Some(span) => provenance.span = Some(span),
                        None => problems.errors.push((
                            self.at(row.line, i),
                            Problem::Provenance(ProvenanceProblem::BadSpan { value: cell.into() }),
                        )),
                    }
                }
                Column::Date => match literal::parse_date(cell) {
                    Some(date) => provenance.date = Some(date),
                    None => problems.errors.push((
                        self.at(row.line, i),
                        Problem::Provenance(ProvenanceProblem::BadDate { value: cell.into() }),
                    )),
                },
                _ => {}
            }
        }
        if let Some(i) = sentences_at {
            match document {
                None if !document_given => problems.errors.push((
                    self.at(row.line, i),
                    Problem::Provenance(ProvenanceProblem::SentencesWithoutSource),
                )),
                Some((id, Some(count))) => {
                    for &number in provenance.sentences.iter().filter(|n| **n > count) {
                        problems.errors.push((
                            self.at(row.line, i),
                            Problem::Provenance(ProvenanceProblem::SentenceOutOfRange {
                                document: id.into(),
                                number,
                                count,
                            }),
                        ));
                    }
                }
                _ => {}
            }
        }
        provenance.sentences.sort_unstable();
        provenance.sentences.dedup();
        if let (Some(i), Some(span)) = (span_at, provenance.span) {
            self.check_span(row.line, i, span, &provenance, problems);
        }
        provenance
    }

    /// Checks that a span lies within the sentences the row cites, when the source's text was
    /// given (without it there is nothing to check against).
    fn check_span(
        &self,
        line: u64,
        field: usize,
        (start, end): (u64, u64),
        provenance: &Provenance,
        problems: &mut RowProblems,
    ) {
        let Some(document) = &provenance.document else {
            problems.errors.push((
                self.at(line, field),
                Problem::Provenance(ProvenanceProblem::SpanWithoutSource),
            ));
            return;
        };
        let Some(spans) = self
            .entities
            .by_iri(document)
            .and_then(|e| e.document.as_ref())
            .and_then(|d| d.sentence_spans.as_ref())
        else {
            return;
        };
        let cited: Vec<(u64, u64)> = provenance
            .sentences
            .iter()
            .filter_map(|&n| spans.get(usize::try_from(n.checked_sub(1)?).ok()?).copied())
            .collect();
        let (Some(first), Some(last)) = (
            cited.iter().map(|s| s.0).min(),
            cited.iter().map(|s| s.1).max(),
        ) else {
            if provenance.sentences.is_empty() {
                // A span with no sentence: anywhere in the text.
                let length = spans.last().map_or(0, |s| s.1);
                if end > length {
                    problems.errors.push((
                        self.at(line, field),
                        Problem::Provenance(ProvenanceProblem::SpanOutsideSentences {
                            value: format!("{start}-{end}").into(),
                            first: 0,
                            last: length,
                        }),
                    ));
                }
            }
            return;
        };
        if start < first || end > last {
            problems.errors.push((
                self.at(line, field),
                Problem::Provenance(ProvenanceProblem::SpanOutsideSentences {
                    value: format!("{start}-{end}").into(),
                    first,
                    last,
                }),
            ));
        }
    }
}

/// `start-end` with `start < end`, as whole numbers.
fn parse_span(cell: &str) -> Option<(u64, u64)> {
    let (start, end) = cell.trim().split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(start) || !digits(end) {
        return None;
    }
    let (start, end) = (start.parse().ok()?, end.parse().ok()?);
    (start < end).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::parse_span;

    #[test]
    fn a_span_is_start_before_end() {
        assert_eq!(parse_span("287-327"), Some((287, 327)));
        assert_eq!(parse_span(" 0-1 "), Some((0, 1)));
        for bad in [
            "327-287", "5-5", "-3", "3-", "a-b", "1-2-3", "+1-2", "1.5-2",
        ] {
            assert_eq!(parse_span(bad), None, "{bad}");
        }
    }
}
