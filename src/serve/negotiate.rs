//! Content negotiation: which format answers a request, from its `format` parameter or its
//! `Accept` header (media ranges with `q` weights, `*/*` and `type/*` included).

use crate::export::ExportFormat;
use crate::query::ResultFormat;

/// What a query returned, which decides the formats that can carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// SELECT solutions or an ASK boolean: SPARQL results formats.
    Results,
    /// CONSTRUCT or DESCRIBE triples, or a graph of the store: RDF formats.
    Graph,
}

/// The format chosen for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// A SPARQL results format (JSON, XML, CSV, TSV).
    Results(ResultFormat),
    /// An RDF format.
    Rdf(ExportFormat),
}

impl Chosen {
    /// The media type to send.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Results(f) => f.media_type(),
            Self::Rdf(f) => f.media_type(),
        }
    }
}

/// The results formats, the first the default.
const RESULTS: [ResultFormat; 4] = [
    ResultFormat::Json,
    ResultFormat::Xml,
    ResultFormat::Csv,
    ResultFormat::Tsv,
];

/// The RDF formats for triples (query answers), the first the default.
pub const TRIPLE_FORMATS: [ExportFormat; 4] = [
    ExportFormat::Turtle,
    ExportFormat::NTriples,
    ExportFormat::JsonLd,
    ExportFormat::RdfXml,
];

/// The RDF formats for a store graph (which may be the union of named graphs), the first
/// the default.
pub const GRAPH_FORMATS: [ExportFormat; 6] = [
    ExportFormat::Turtle,
    ExportFormat::NTriples,
    ExportFormat::NQuads,
    ExportFormat::TriG,
    ExportFormat::JsonLd,
    ExportFormat::RdfXml,
];

/// No format fits the request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{asked} cannot carry {what}: ask for one of {offered}")]
pub struct NotAcceptable {
    /// What was asked (the `format` parameter or the `Accept` header).
    pub asked: String,
    /// What the answer is.
    pub what: &'static str,
    /// The media types on offer, comma-separated.
    pub offered: String,
}

/// Chooses the format of a query answer.
///
/// # Errors
/// [`NotAcceptable`] when neither the `format` name nor any accepted media type fits.
pub fn choose(
    answer: Answer,
    format: Option<&str>,
    accept: &str,
    rdf: &[ExportFormat],
) -> Result<Chosen, NotAcceptable> {
    let offered: Vec<Chosen> = match answer {
        Answer::Results => RESULTS.iter().copied().map(Chosen::Results).collect(),
        Answer::Graph => rdf.iter().copied().map(Chosen::Rdf).collect(),
    };
    let what = match answer {
        Answer::Results => "query solutions",
        Answer::Graph => "RDF triples",
    };
    let refuse = |asked: String| NotAcceptable {
        asked,
        what,
        offered: offered
            .iter()
            .map(|c| c.media_type())
            .collect::<Vec<_>>()
            .join(", "),
    };
    if let Some(name) = format.filter(|n| !n.is_empty()) {
        let named = |c: &Chosen| match c {
            Chosen::Results(f) => f.name() == name || f.media_type() == name,
            Chosen::Rdf(f) => f.name() == name || f.media_type() == name,
        };
        return offered
            .iter()
            .copied()
            .find(named)
            .ok_or_else(|| refuse(format!("format={name}")));
    }
    if accept.trim().is_empty() {
        return Ok(offered[0]);
    }
    for range in &media_ranges(accept) {
        if let Some(found) = offered.iter().copied().find(|c| fits(range, *c)) {
            return Ok(found);
        }
    }
    Err(refuse(format!("Accept: {accept}")))
}

/// Whether a media range (lower case, no parameters) takes a format.
fn fits(range: &str, chosen: Chosen) -> bool {
    let media = chosen.media_type();
    if range == "*/*" || range == media {
        return true;
    }
    if let Some(kind) = range.strip_suffix("/*") {
        return media.split('/').next() == Some(kind);
    }
    // Common aliases: plain JSON and XML.
    matches!(
        (range, chosen),
        (
            "application/json",
            Chosen::Results(ResultFormat::Json) | Chosen::Rdf(ExportFormat::JsonLd)
        ) | (
            "application/xml" | "text/xml",
            Chosen::Results(ResultFormat::Xml) | Chosen::Rdf(ExportFormat::RdfXml)
        ) | ("text/plain", Chosen::Rdf(ExportFormat::NTriples))
    )
}

/// The media ranges of an `Accept` header, best first (by `q`, then by order given); ranges
/// with `q=0` are dropped.
pub fn media_ranges(accept: &str) -> Vec<String> {
    let mut ranges: Vec<(u16, usize, String)> = Vec::new();
    for (order, part) in accept.split(',').enumerate() {
        let mut pieces = part.split(';');
        let range = pieces
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if range.is_empty() {
            continue;
        }
        let mut quality = 1000u16;
        for parameter in pieces {
            if let Some((key, value)) = parameter.split_once('=')
                && key.trim().eq_ignore_ascii_case("q")
            {
                let q: f64 = value.trim().parse().unwrap_or(0.0);
                // q has three decimals at most (RFC 9110 §12.4.2).
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let q = (q.clamp(0.0, 1.0) * 1000.0).round() as u16;
                quality = q;
            }
        }
        if quality > 0 {
            ranges.push((quality, order, range));
        }
    }
    ranges.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().map(|(_, _, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_by_accept_and_weight() {
        let results = |accept| choose(Answer::Results, None, accept, &TRIPLE_FORMATS);
        assert_eq!(results(""), Ok(Chosen::Results(ResultFormat::Json)));
        assert_eq!(
            results("text/csv;q=0.5, application/sparql-results+xml"),
            Ok(Chosen::Results(ResultFormat::Xml))
        );
        assert_eq!(
            results("text/html,application/xhtml+xml,*/*;q=0.8"),
            Ok(Chosen::Results(ResultFormat::Json))
        );
        assert_eq!(results("text/*"), Ok(Chosen::Results(ResultFormat::Csv)));
        assert!(results("image/png").is_err());
        let graph = |accept| choose(Answer::Graph, None, accept, &TRIPLE_FORMATS);
        assert_eq!(
            graph("application/ld+json"),
            Ok(Chosen::Rdf(ExportFormat::JsonLd))
        );
        assert_eq!(
            graph("application/n-triples;q=0.9,text/turtle"),
            Ok(Chosen::Rdf(ExportFormat::Turtle))
        );
        assert!(graph("application/sparql-results+json").is_err());
    }

    #[test]
    fn the_format_parameter_wins() {
        assert_eq!(
            choose(
                Answer::Results,
                Some("csv"),
                "application/json",
                &TRIPLE_FORMATS
            ),
            Ok(Chosen::Results(ResultFormat::Csv))
        );
        let refused = choose(Answer::Graph, Some("csv"), "", &TRIPLE_FORMATS).unwrap_err();
        assert!(refused.to_string().contains("text/turtle"), "{refused}");
    }

    #[test]
    fn zero_weight_means_not_acceptable() {
        assert!(
            choose(
                Answer::Results,
                None,
                "application/sparql-results+json;q=0",
                &TRIPLE_FORMATS
            )
            .is_err()
        );
    }
}
