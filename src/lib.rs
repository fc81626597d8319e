//! kg builds a knowledge graph from curated CSV facts and an OWL ontology, and keeps it in two
//! views: a persistent RDF store ([oxigraph]) for SPARQL, and a graph projection ([petgraph]) for
//! path queries. Every fact keeps its provenance: the document and the sentence that state it.
//!
//! Data flows through the modules in this order:
//!
//! - [`ingest`] reads the inputs (CSV tables, RDF files, source texts) and checks them against
//!   the [`ontology`], collecting every problem with its file, line and column;
//! - [`build`] writes the checked facts into a new generation of the [`store`] (with one
//!   `rdf:Statement` per fact for provenance) and the [`graph`] projection, then swaps it in;
//! - [`query`] answers SPARQL over the store.
//!
//! The library never prints and never exits: the `kg` binary is a thin layer over it.
//!
//! ```no_run
//! use kg::build::{build, BuildOptions};
//! use kg::ingest::Inputs;
//! use kg::store::StoreDir;
//!
//! let store = StoreDir::new("kg-store");
//! let report = build(&Inputs::embedded(), &store, &BuildOptions::default(), &|_| {})?;
//! println!("{} quads, {} nodes, {} edges", report.quads, report.nodes, report.edges);
//!
//! let generation = store.current()?;
//! let mut out = Vec::new();
//! kg::query::run(
//!     &generation.open_store()?,
//!     "SELECT ?label WHERE { ?plan pto:draftedBy/rdfs:label ?label }",
//!     &generation.meta()?.prefixes,
//!     None,
//!     kg::query::ResultFormat::Csv,
//!     &mut out,
//! )?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod build;
pub mod export;
pub mod generate;
pub mod graph;
pub mod ingest;
pub mod lookup;
pub mod ontology;
pub mod paths;
pub mod query;
pub mod rank;
pub mod report;
pub mod store;
pub mod suggest;
pub mod vocab;
