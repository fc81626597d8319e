//! Exports of the graph for other tools: the RDF store in every common RDF syntax, the graph
//! projection as property-graph files (`GraphML`, GEXF, DOT, Cytoscape.js JSON, node-link JSON,
//! CSV tables), and pictures (an SVG drawing and a self-contained HTML viewer).
//!
//! Every export streams: it reads the store and the projection as it writes, through the
//! `Write` it is given, and holds no more than the projection's node and edge arrays and, for
//! pictures, one position per node. Outputs are deterministic: exporting the same store twice
//! gives byte-identical files.
//!
//! - [`rdf`] streams the store's quads through oxigraph's serializers;
//! - [`model`] is the property-graph view shared by the other formats: which nodes and edges,
//!   and the attributes each carries;
//! - [`graphml`], [`gexf`], [`dot`], [`json`] and [`tables`] write the property-graph formats;
//! - [`layout`] places nodes for the pictures, [`svg`] and [`html`] draw them;
//! - [`select`] cuts subgraphs (`--around`, `--path`, `--class`, `--relation`);
//! - [`escape`] holds the escaping rules of each syntax.
//!
//! ```no_run
//! use kg::export::{export, ExportFormat, ExportOptions, Source};
//! use kg::store::StoreDir;
//!
//! let generation = StoreDir::new("kg-store").current()?;
//! let store = generation.open_store()?;
//! let projection = kg::graph::file::load(&generation.projection_path())?;
//! let meta = generation.meta()?;
//! let source = Source { store: &store, projection: &projection, prefixes: &meta.prefixes };
//! let mut out = std::io::BufWriter::new(std::fs::File::create("graph.graphml")?);
//! export(&source, ExportFormat::GraphMl, &ExportOptions::default(), &mut out)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod dot;
pub mod escape;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod json;
pub mod layout;
pub mod model;
mod overlap;
pub mod rdf;
pub mod select;
mod stress;
pub mod svg;
pub mod tables;
mod xml;

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, Write};

use oxigraph::model::{GraphNameRef, Term};
use oxigraph::store::{StorageError, Store};

use crate::graph::Projection;
use crate::vocab::{dcterms, rdf as rdf_vocab, void};

pub use self::model::PropertyGraph;
pub use self::rdf::RdfScope;
pub use self::select::{Focus, Selection, Subgraph, declared_classes};

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

/// Errors of exports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Writing failed (a closed pipe included).
    #[error("writing the export: {0}")]
    Io(#[from] io::Error),
    /// Reading the store failed.
    #[error("reading the store: {0}")]
    Storage(#[from] StorageError),
    /// `--graph` named a graph the store does not have.
    #[error("the store has no named graph <{graph}>")]
    UnknownGraph {
        /// The graph asked for.
        graph: String,
    },
    /// A triple format was asked for a store with named graphs.
    #[error(
        "the store has {count} named graph{}, which {format} cannot carry: export to trig or nquads, or choose one graph with --graph",
        if *count == 1 { "" } else { "s" }
    )]
    NamedGraphs {
        /// The format asked for.
        format: ExportFormat,
        /// Named graphs in the store.
        count: usize,
    },
    /// A literal holds a character the format cannot carry faithfully.
    #[error(
        "{format} (XML 1.0) cannot carry the character U+{:04X} of a literal of <{subject}> <{predicate}>: export to turtle, ntriples, nquads, trig or jsonld instead",
        u32::from(*character)
    )]
    Unrepresentable {
        /// The format asked for.
        format: ExportFormat,
        /// The subject of the literal's triple.
        subject: String,
        /// Its predicate.
        predicate: String,
        /// The character.
        character: char,
    },
    /// A format was asked of the wrong writer (CSV needs two outputs, RDF a store scope).
    #[error("{format} {reason}")]
    Unsupported {
        /// The format asked for.
        format: ExportFormat,
        /// Why it cannot be written that way.
        reason: &'static str,
    },
    /// The projection names an IRI the RDF model refuses (a corrupt projection).
    #[error("the graph projection holds an invalid IRI <{iri}>: run `kg build` again")]
    InvalidIri {
        /// The IRI.
        iri: String,
    },
}

/// What an export reads: the store, its projection, and the prefixes to declare.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    /// The RDF store.
    pub store: &'a Store,
    /// The graph projection of the same generation.
    pub projection: &'a Projection,
    /// Prefixes for the RDF syntaxes that declare them (from the generation's `meta.json`).
    pub prefixes: &'a BTreeMap<String, String>,
}

impl fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source")
            .field("nodes", &self.projection.node_count())
            .field("edges", &self.projection.edge_count())
            .field("prefixes", &self.prefixes.len())
            .finish_non_exhaustive()
    }
}

/// How to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// For RDF formats: the whole store, the default graph or one named graph.
    pub scope: RdfScope,
    /// Only this part of the graph (`None`: all of it). For RDF formats, a subgraph is the
    /// triples whose subject is a selected entity, its statements and their sentences (see
    /// [`rdf::write_subgraph`]).
    pub subgraph: Option<Subgraph>,
    /// A title for pictures and graph names (default: "kg").
    pub title: Option<String>,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Nodes written (property-graph formats and pictures).
    pub nodes: usize,
    /// Edges written (property-graph formats and pictures).
    pub edges: usize,
    /// Quads written (RDF formats).
    pub quads: usize,
}

/// Writes an export of `format` to `out`. CSV writes two tables: use [`export_tables`].
///
/// # Errors
/// [`ExportError::Unsupported`] for CSV or for a named-graph scope with a property-graph format,
/// and the errors of each writer (I/O, storage, [`ExportError::NamedGraphs`],
/// [`ExportError::Unrepresentable`], [`ExportError::UnknownGraph`]).
pub fn export(
    source: &Source<'_>,
    format: ExportFormat,
    options: &ExportOptions,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    if format.family() == Family::Rdf {
        let quads = match &options.subgraph {
            Some(subgraph) => {
                if options.scope != RdfScope::Store {
                    return Err(ExportError::Unsupported {
                        format,
                        reason: "exports a subgraph from the default graph only: give no graph",
                    });
                }
                rdf::write_subgraph(source, subgraph, format, out)?
            }
            None => rdf::write(source.store, source.prefixes, &options.scope, format, out)?,
        };
        return Ok(ExportSummary {
            quads,
            ..ExportSummary::default()
        });
    }
    if options.scope != RdfScope::Store {
        return Err(ExportError::Unsupported {
            format,
            reason: "draws the graph projection: a graph choice applies to RDF formats only",
        });
    }
    let all;
    let subgraph = if let Some(subgraph) = &options.subgraph {
        subgraph
    } else {
        all = Subgraph::all(source.projection);
        &all
    };
    let title = options.title.as_deref().unwrap_or("kg");
    let graph = PropertyGraph::new(source.store, source.projection, subgraph)?;
    match format {
        ExportFormat::GraphMl => graphml::write(&graph, title, out)?,
        ExportFormat::Gexf => gexf::write(&graph, title, out)?,
        ExportFormat::Dot => dot::write(&graph, title, out)?,
        ExportFormat::Cytoscape => json::write_cytoscape(&graph, title, out)?,
        ExportFormat::NodeLink => json::write_node_link(&graph, title, out)?,
        ExportFormat::Svg => svg::write(&graph, &layout::Layout::of(&graph), title, out)?,
        ExportFormat::Html => html::write(&graph, &layout::Layout::of(&graph), title, out)?,
        _ => {
            return Err(ExportError::Unsupported {
                format,
                reason: "writes two tables: give two outputs (kg::export::export_tables)",
            });
        }
    }
    Ok(ExportSummary {
        nodes: graph.nodes().len(),
        edges: graph.edges().len(),
        quads: 0,
    })
}

/// Writes the CSV export: the nodes table to `nodes` and the edges table to `edges`.
///
/// # Errors
/// I/O and storage errors.
pub fn export_tables(
    source: &Source<'_>,
    subgraph: Option<&Subgraph>,
    nodes: &mut dyn Write,
    edges: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let all;
    let subgraph = if let Some(subgraph) = subgraph {
        subgraph
    } else {
        all = Subgraph::all(source.projection);
        &all
    };
    let graph = PropertyGraph::new(source.store, source.projection, subgraph)?;
    tables::write(&graph, nodes, edges)?;
    Ok(ExportSummary {
        nodes: graph.nodes().len(),
        edges: graph.edges().len(),
        quads: 0,
    })
}

/// The title of the dataset the store describes: the `dcterms:title` (English preferred) of a
/// `void:Dataset` in the default graph.
///
/// # Errors
/// Storage errors.
pub fn dataset_title(store: &Store) -> Result<Option<String>, StorageError> {
    let title = dcterms::TITLE;
    let mut best: Option<(bool, String)> = None;
    for dataset in store.quads_for_pattern(
        None,
        Some(rdf_vocab::TYPE),
        Some(void::DATASET.into()),
        Some(GraphNameRef::DefaultGraph),
    ) {
        let dataset = dataset?.subject;
        for quad in store.quads_for_pattern(
            Some(dataset.as_ref()),
            Some(title),
            None,
            Some(GraphNameRef::DefaultGraph),
        ) {
            if let Term::Literal(literal) = quad?.object {
                let english = literal.language().is_none_or(|l| l.starts_with("en"));
                if best.as_ref().is_none_or(|(was, _)| english && !was) {
                    best = Some((english, literal.value().to_owned()));
                }
            }
        }
    }
    Ok(best.map(|(_, title)| title))
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
