//! Exports of the graph for other tools: the RDF store in every common RDF syntax, the graph
//! projection as property-graph files (`GraphML`, GEXF, DOT, Cytoscape.js JSON, node-link JSON,
//! CSV tables), and pictures (an SVG drawing and a self-contained HTML viewer).
//!
//! Every export streams: it reads the store and the projection as it writes, through the
//! `Write` it is given, and holds no more than the projection's node and edge arrays and, for
//! pictures, one position per node. Outputs are deterministic: exporting the same store twice
//! gives byte-identical files.
//!
//! - [`rdf`] streams the graph's quads through oxigraph's serializers;
//! - [`property_graph`] is the property-graph view shared by the other formats (which nodes and
//!   edges, and the attributes each carries) and its writers: `GraphML`, GEXF, DOT, Cytoscape.js
//!   and node-link JSON, CSV tables;
//! - [`layout`] places nodes for the [`picture`]s, SVG and HTML;
//! - [`select`] cuts subgraphs (`--around`, `--path`, `--class`, `--relation`);
//! - [`escape`] holds the escaping rules of each syntax.
//!
//! ```no_run
//! use kg::export::{export, ExportFormat, ExportOptions, Source};
//! use kg::read::{GraphReader, SchemaView};
//! use kg::store::{LocalGraph, StoreDir};
//!
//! let graph = LocalGraph::open(StoreDir::new("kg-store").current()?)?;
//! let schema = SchemaView::read(&graph)?;
//! let source = Source { graph: &graph, projection: graph.projection()?, schema: &schema };
//! let mut out = std::io::BufWriter::new(std::fs::File::create("graph.graphml")?);
//! export(&source, ExportFormat::GraphMl, &ExportOptions::default(), &mut out)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod escape;
mod format;
pub mod layout;
pub mod picture;
pub mod property_graph;
pub mod rdf;
pub mod select;

use std::fmt;
use std::io::{self, Write};

pub use self::format::{ExportFormat, Family};
use self::picture::{html, svg};
pub use self::property_graph::PropertyGraph;
use self::property_graph::{dot, gexf, graphml, json, tables};
pub use self::select::{Focus, Selection, Subgraph};
use crate::graph::Projection;
pub use crate::read::GraphScope;
use crate::read::{GraphReader, ReadError, SchemaView};

/// Errors of exports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// Writing failed (a closed pipe included).
    #[error("writing the export: {0}")]
    Io(#[from] io::Error),
    /// Reading the graph failed.
    #[error(transparent)]
    Read(#[from] ReadError),
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

/// What an export reads: the graph (through the read seam), its projection and its schema.
#[derive(Clone, Copy)]
pub struct Source<'a> {
    /// The graph.
    pub graph: &'a dyn GraphReader,
    /// Its projection.
    pub projection: &'a Projection,
    /// Its classes, class hierarchy and title.
    pub schema: &'a SchemaView,
}

impl fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source")
            .field("graph", &self.graph.location())
            .field("nodes", &self.projection.node_count())
            .field("edges", &self.projection.edge_count())
            .finish_non_exhaustive()
    }
}

/// How to export.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// For RDF formats: the whole store, the default graph or one named graph.
    pub scope: GraphScope,
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
                if options.scope != GraphScope::All {
                    return Err(ExportError::Unsupported {
                        format,
                        reason: "exports a subgraph from the default graph only: give no graph",
                    });
                }
                rdf::write_subgraph(source, subgraph, format, out)?
            }
            None => rdf::write(source.graph, &options.scope, format, out)?,
        };
        return Ok(ExportSummary {
            quads,
            ..ExportSummary::default()
        });
    }
    if options.scope != GraphScope::All {
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
    let graph = PropertyGraph::new(source.projection, source.schema, subgraph)?
        .with_qualifiers(source.graph)?;
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
    let graph = PropertyGraph::new(source.projection, source.schema, subgraph)?
        .with_qualifiers(source.graph)?;
    tables::write(&graph, nodes, edges)?;
    Ok(ExportSummary {
        nodes: graph.nodes().len(),
        edges: graph.edges().len(),
        quads: 0,
    })
}
