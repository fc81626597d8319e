//! The formats `kg query` writes: a table, SPARQL results (CSV, TSV, JSON, XML) or RDF for
//! graph results, each with its name, extension and media type.

use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;

/// How answers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    /// Aligned columns for people (default on a terminal).
    Table,
    /// [SPARQL 1.1 CSV](https://www.w3.org/TR/sparql11-results-csv-tsv/).
    Csv,
    /// [SPARQL 1.1 TSV](https://www.w3.org/TR/sparql11-results-csv-tsv/).
    Tsv,
    /// [SPARQL 1.1 JSON](https://www.w3.org/TR/sparql11-results-json/).
    Json,
    /// [SPARQL XML](https://www.w3.org/TR/rdf-sparql-XMLres/).
    Xml,
    /// [Turtle](https://www.w3.org/TR/turtle/), for CONSTRUCT and DESCRIBE.
    Turtle,
    /// [N-Triples](https://www.w3.org/TR/n-triples/), for CONSTRUCT and DESCRIBE.
    NTriples,
}

impl ResultFormat {
    /// Every format, for help texts.
    pub const ALL: [Self; 7] = [
        Self::Table,
        Self::Csv,
        Self::Tsv,
        Self::Json,
        Self::Xml,
        Self::Turtle,
        Self::NTriples,
    ];

    /// The format's name, as `--format` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Csv => "csv",
            Self::Tsv => "tsv",
            Self::Json => "json",
            Self::Xml => "xml",
            Self::Turtle => "turtle",
            Self::NTriples => "ntriples",
        }
    }

    /// The format with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format of a media type (`text/csv`, `application/sparql-results+json`, ...), for
    /// content negotiation; parameters after `;` are ignored.
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        let bare = media_type.split(';').next().unwrap_or_default().trim();
        Self::ALL
            .into_iter()
            .find(|f| f.media_type().eq_ignore_ascii_case(bare))
    }

    /// The format's usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Table => "txt",
            Self::Csv => "csv",
            Self::Tsv => "tsv",
            Self::Json => "srj",
            Self::Xml => "srx",
            Self::Turtle => "ttl",
            Self::NTriples => "nt",
        }
    }

    /// The format's media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Table => "text/plain",
            Self::Csv => "text/csv",
            Self::Tsv => "text/tab-separated-values",
            Self::Json => "application/sparql-results+json",
            Self::Xml => "application/sparql-results+xml",
            Self::Turtle => "text/turtle",
            Self::NTriples => "application/n-triples",
        }
    }

    /// The format for a file extension (`csv`, `srj`, `json`, `ttl`, ...).
    pub fn from_extension(extension: &str) -> Option<Self> {
        Some(match extension.to_ascii_lowercase().as_str() {
            "txt" | "table" => Self::Table,
            "csv" => Self::Csv,
            "tsv" => Self::Tsv,
            "srj" | "json" => Self::Json,
            "srx" | "xml" => Self::Xml,
            "ttl" | "turtle" => Self::Turtle,
            "nt" | "ntriples" | "n-triples" => Self::NTriples,
            _ => return None,
        })
    }

    pub(crate) fn results_format(self) -> Option<QueryResultsFormat> {
        match self {
            Self::Csv => Some(QueryResultsFormat::Csv),
            Self::Tsv => Some(QueryResultsFormat::Tsv),
            Self::Json => Some(QueryResultsFormat::Json),
            Self::Xml => Some(QueryResultsFormat::Xml),
            _ => None,
        }
    }

    pub(crate) fn rdf_format(self) -> Option<RdfFormat> {
        match self {
            Self::Turtle => Some(RdfFormat::Turtle),
            Self::NTriples => Some(RdfFormat::NTriples),
            _ => None,
        }
    }
}
