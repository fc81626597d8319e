//! kg builds a knowledge graph from curated CSV facts and an OWL ontology, and keeps it in two
//! views: a persistent RDF store ([oxigraph]) for SPARQL, and a graph projection ([petgraph]) for
//! path queries. Every fact keeps its provenance: the document and the sentence that state it.
//!
//! The modules follow the data:
//!
//! - [`ingest`] reads the inputs (CSV tables, RDF files, source texts) and checks them against
//!   the [`schema`] (the ontology model), collecting every problem as a [`diagnostic`];
//! - [`pipeline`] runs a build: the checked facts, then the derived-data stages
//!   ([`pipeline::derive`]), then a new generation of the [`store`] (RDF with one
//!   `rdf:Statement` per fact for provenance) and of the [`graph`] projection, swapped in whole;
//! - [`read`] is the one seam every reader goes through — the local store generation
//!   ([`store::LocalGraph`]) or, in tests and builds, a graph in memory;
//! - [`query`] answers SPARQL; [`algo`] walks the projection (paths, neighbourhoods, ranks);
//!   [`answer`] holds the answers' serialisable shapes; [`export`] writes the graph in RDF,
//!   property-graph and picture formats.
//!
//! [`names`] (typed names, labels, "did you mean"), [`iri`] (prefixes and ids) and [`vocab`]
//! (IRI constants) are shared by all of them. The library never prints and never exits: the `kg`
//! binary is a thin layer over it.
//!
//! ```no_run
//! use kg::pipeline::{build, BuildOptions};
//! use kg::ingest::Inputs;
//! use kg::read::GraphReader;
//! use kg::store::{LocalGraph, StoreDir};
//!
//! let store = StoreDir::new("kg-store");
//! let report = build(&Inputs::embedded(), &store, &BuildOptions::default(), &|_| {})?;
//! println!("{} quads, {} nodes, {} edges", report.quads, report.nodes, report.edges);
//!
//! let graph = LocalGraph::open(store.current()?)?;
//! let mut out = Vec::new();
//! kg::query::run(
//!     &graph,
//!     "SELECT ?label WHERE { ?plan pto:draftedBy/rdfs:label ?label }",
//!     &kg::query::Limits::default(),
//!     kg::query::ResultFormat::Csv,
//!     &mut out,
//! )?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod algo;
pub mod answer;
pub mod diagnostic;
pub mod export;
pub mod extract;
#[cfg(feature = "generate")]
pub mod generate;
pub mod graph;
pub mod infer;
pub mod ingest;
pub mod iri;
pub mod names;
pub mod pipeline;
pub mod query;
pub mod read;
#[cfg(feature = "remote")]
pub mod remote;
pub mod schema;
#[cfg(feature = "serve")]
pub mod serve;
pub mod store;
pub mod validate;
pub mod vocab;
