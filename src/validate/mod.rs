//! [SHACL Core](https://www.w3.org/TR/shacl/) validation: a shapes graph ([`Shapes`]) checked
//! against a data graph (anything that implements [`DataGraph`]: the store through the read
//! seam, an oxigraph store, triples in memory), giving a [`ValidationReport`] — as data, as a
//! standard SHACL report in Turtle, as JSON, or as text naming the CSV file and line each
//! offending value came from. [`ValidationStage`] runs it in `kg build`, before anything is
//! written.
//!
//! Every SHACL Core constraint component is supported; SHACL-SPARQL (`sh:sparql`, SPARQL-based
//! components) is not. `sh:pattern` is SPARQL's `REGEX` (oxigraph's).
//!
//! ```
//! use kg::validate::{IndexedGraph, Shapes, validate};
//! use oxigraph::io::{RdfFormat, RdfParser};
//!
//! let shapes = Shapes::from_turtle(&[("shapes.ttl", br#"
//!     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
//!     ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
//!         sh:property [ sh:path ex:name ; sh:minCount 1 ] .
//! "#)])?;
//! let data: IndexedGraph = RdfParser::from_format(RdfFormat::Turtle)
//!     .for_slice(b"<https://example.org/alice> a <https://example.org/Person> .".as_slice())
//!     .map(|q| q.map(Into::into))
//!     .collect::<Result<_, _>>()?;
//! let report = validate(&data, &shapes)?;
//! assert!(!report.conforms);
//! assert_eq!(report.results[0].component.as_str(), "http://www.w3.org/ns/shacl#MinCountConstraintComponent");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod constraint;
mod engine;
mod graph;
mod path;
mod pattern;
mod report;
mod shapes;
mod stage;
pub mod vocab;

pub use self::constraint::{Constraint, NodeKind};
pub use self::engine::validate;
pub use self::graph::{DataGraph, IndexedGraph, Origin, read_list};
pub use self::path::Path;
pub use self::pattern::Pattern;
pub use self::report::{
    JsonReport, JsonResult, JsonTerm, ReportFormat, ValidationReport, ValidationResult,
};
pub use self::shapes::{PEACE_TALKS_SHAPES, Severity, Shape, ShapeId, Shapes, Target};
pub use self::stage::ValidationStage;
use crate::read::ReadError;

/// What is wrong with a shapes graph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShapesError {
    /// The file does not parse.
    #[error("{file}:{line}:{column}: RDF syntax: {reason}")]
    Syntax {
        /// The shapes file.
        file: String,
        /// 1-based line (0 when unknown).
        line: u64,
        /// 1-based column (0 when unknown).
        column: u64,
        /// The parser's words.
        reason: String,
    },
    /// A shape's parameters are not what SHACL allows.
    #[error("shape {shape}: {reason}")]
    Invalid {
        /// The shape's node.
        shape: String,
        /// What is wrong.
        reason: String,
    },
    /// A property path is ill-formed.
    #[error("shape {shape}: ill-formed sh:path {path}: {reason}")]
    Path {
        /// The shape's node.
        shape: String,
        /// The path's node.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// Why a validation could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValidateError {
    /// The shapes graph is ill-formed.
    #[error(transparent)]
    Shapes(#[from] ShapesError),
    /// The data graph could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// An oxigraph store could not be read.
    #[error("reading the RDF store: {0}")]
    Storage(#[from] oxigraph::store::StorageError),
}
