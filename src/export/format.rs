//! The formats `kg export` writes, each with its name, extension, media type and family.

use std::fmt;

/// The formats `kg export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ExportFormat {
    /// [Turtle](https://www.w3.org/TR/turtle/).
    Turtle,
    /// [N-Triples](https://www.w3.org/TR/n-triples/).
    NTriples,
    /// [N-Quads](https://www.w3.org/TR/n-quads/).
    NQuads,
    /// [TriG](https://www.w3.org/TR/trig/).
    TriG,
    /// [RDF/XML](https://www.w3.org/TR/rdf-syntax-grammar/).
    RdfXml,
    /// [JSON-LD](https://www.w3.org/TR/json-ld11/).
    JsonLd,
    /// [GraphML](http://graphml.graphdrawing.org/specification.html).
    GraphMl,
    /// [GEXF 1.2](https://gexf.net/).
    Gexf,
    /// [Graphviz DOT](https://graphviz.org/doc/info/lang.html).
    Dot,
    /// [Cytoscape.js JSON](https://js.cytoscape.org/#notation/elements-json) (`.cyjs`).
    Cytoscape,
    /// [Node-link JSON](https://networkx.org/documentation/stable/reference/readwrite/generated/networkx.readwrite.json_graph.node_link_data.html)
    /// as networkx and D3 read it.
    NodeLink,
    /// Two [CSV](https://www.rfc-editor.org/rfc/rfc4180) tables: nodes and edges.
    Csv,
    /// An [SVG](https://www.w3.org/TR/SVG11/) drawing.
    Svg,
    /// A self-contained HTML page to explore the graph.
    Html,
}

/// What a format carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// RDF: the store's quads.
    Rdf,
    /// Nodes, edges and their attributes.
    PropertyGraph,
    /// A drawing.
    Picture,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: [Self; 14] = [
        Self::Turtle,
        Self::NTriples,
        Self::NQuads,
        Self::TriG,
        Self::RdfXml,
        Self::JsonLd,
        Self::GraphMl,
        Self::Gexf,
        Self::Dot,
        Self::Cytoscape,
        Self::NodeLink,
        Self::Csv,
        Self::Svg,
        Self::Html,
    ];

    /// The format's name on the command line (`turtle`, `graphml`, `node-link`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Self::Turtle => "turtle",
            Self::NTriples => "ntriples",
            Self::NQuads => "nquads",
            Self::TriG => "trig",
            Self::RdfXml => "rdfxml",
            Self::JsonLd => "jsonld",
            Self::GraphMl => "graphml",
            Self::Gexf => "gexf",
            Self::Dot => "dot",
            Self::Cytoscape => "cytoscape",
            Self::NodeLink => "node-link",
            Self::Csv => "csv",
            Self::Svg => "svg",
            Self::Html => "html",
        }
    }

    /// The format's usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Turtle => "ttl",
            Self::NTriples => "nt",
            Self::NQuads => "nq",
            Self::TriG => "trig",
            Self::RdfXml => "rdf",
            Self::JsonLd => "jsonld",
            Self::GraphMl => "graphml",
            Self::Gexf => "gexf",
            Self::Dot => "dot",
            Self::Cytoscape => "cyjs",
            Self::NodeLink => "json",
            Self::Csv => "csv",
            Self::Svg => "svg",
            Self::Html => "html",
        }
    }

    /// The format's media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Turtle => "text/turtle",
            Self::NTriples => "application/n-triples",
            Self::NQuads => "application/n-quads",
            Self::TriG => "application/trig",
            Self::RdfXml => "application/rdf+xml",
            Self::JsonLd => "application/ld+json",
            Self::GraphMl => "application/graphml+xml",
            Self::Gexf => "application/gexf+xml",
            Self::Dot => "text/vnd.graphviz",
            Self::Cytoscape | Self::NodeLink => "application/json",
            Self::Csv => "text/csv",
            Self::Svg => "image/svg+xml",
            Self::Html => "text/html",
        }
    }

    /// The format of a file extension (without the dot, any case): `ttl`, `nt`, `nq`, `trig`,
    /// `rdf`/`owl`, `jsonld`, `graphml`, `gexf`, `dot`/`gv`, `cyjs`, `json` (node-link), `csv`,
    /// `svg`, `html`/`htm`.
    ///
    /// ```
    /// use kg::export::ExportFormat;
    /// assert_eq!(ExportFormat::from_extension("GraphML"), Some(ExportFormat::GraphMl));
    /// assert_eq!(ExportFormat::from_extension("json"), Some(ExportFormat::NodeLink));
    /// assert_eq!(ExportFormat::from_extension("docx"), None);
    /// ```
    pub fn from_extension(extension: &str) -> Option<Self> {
        Some(match extension.to_ascii_lowercase().as_str() {
            "ttl" => Self::Turtle,
            "nt" => Self::NTriples,
            "nq" => Self::NQuads,
            "trig" => Self::TriG,
            "rdf" | "owl" => Self::RdfXml,
            "jsonld" => Self::JsonLd,
            "graphml" => Self::GraphMl,
            "gexf" => Self::Gexf,
            "dot" | "gv" => Self::Dot,
            "cyjs" => Self::Cytoscape,
            "json" => Self::NodeLink,
            "csv" => Self::Csv,
            "svg" => Self::Svg,
            "html" | "htm" => Self::Html,
            _ => return None,
        })
    }

    /// What the format is, in a few words (for help texts).
    pub fn description(self) -> &'static str {
        match self {
            Self::Turtle => "Turtle (.ttl)",
            Self::NTriples => "N-Triples (.nt)",
            Self::NQuads => "N-Quads (.nq)",
            Self::TriG => "TriG (.trig)",
            Self::RdfXml => "RDF/XML (.rdf)",
            Self::JsonLd => "JSON-LD (.jsonld)",
            Self::GraphMl => "GraphML (.graphml)",
            Self::Gexf => "GEXF 1.2 (.gexf)",
            Self::Dot => "Graphviz DOT (.dot)",
            Self::Cytoscape => "Cytoscape.js JSON (.cyjs)",
            Self::NodeLink => "Node-link JSON for networkx and D3 (.json)",
            Self::Csv => "CSV nodes and edges tables (.csv)",
            Self::Svg => "SVG picture (.svg)",
            Self::Html => "HTML page to explore the graph (.html)",
        }
    }

    /// The format of a command-line name ([`name`](Self::name)).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What the format carries.
    pub fn family(self) -> Family {
        match self {
            Self::Turtle
            | Self::NTriples
            | Self::NQuads
            | Self::TriG
            | Self::RdfXml
            | Self::JsonLd => Family::Rdf,
            Self::Svg | Self::Html => Family::Picture,
            _ => Family::PropertyGraph,
        }
    }

    /// Whether the format writes two files (nodes and edges) rather than one stream.
    pub fn is_two_files(self) -> bool {
        self == Self::Csv
    }
}

impl fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_extensions_round_trip() {
        for format in ExportFormat::ALL {
            assert_eq!(ExportFormat::from_name(format.name()), Some(format));
            assert_eq!(
                ExportFormat::from_extension(format.extension()),
                Some(format),
                "{format}"
            );
            assert!(!format.media_type().is_empty());
        }
        assert_eq!(ExportFormat::from_extension("GV"), Some(ExportFormat::Dot));
        assert_eq!(ExportFormat::from_extension("xyz"), None);
        assert_eq!(ExportFormat::from_name("ttl"), None);
    }

    #[test]
    fn families() {
        assert_eq!(ExportFormat::JsonLd.family(), Family::Rdf);
        assert_eq!(ExportFormat::Csv.family(), Family::PropertyGraph);
        assert_eq!(ExportFormat::Html.family(), Family::Picture);
        assert!(ExportFormat::Csv.is_two_files());
    }
}
