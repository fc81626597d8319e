//! The read seam: every command reads "a graph" through [`GraphReader`] — the current local
//! store generation ([`crate::store::LocalGraph`]) or a SPARQL endpoint
//! (`kg::remote::RemoteGraph`, feature `remote`) — instead of calling oxigraph's `Store` directly. What the commands need from a graph
//! is small: its prefixes, its graph projection, triples matching a pattern, the quads of a
//! scope, and a SPARQL dataset; everything else (labels, the class hierarchy, entity cards,
//! exports) is written once on top of it.

mod memory;
mod schema;
mod statements;

use std::fmt;

use oxigraph::model::{
    GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term, TermRef,
    Triple,
};
use oxigraph::store::{StorageError, Store};

pub use self::memory::MemoryGraph;
pub use self::schema::{SchemaView, label};
pub use self::statements::{NodeTriples, StatementReader, sort_evidence};
use crate::graph::Projection;
use crate::graph::file::ProjectionFileError;
use crate::iri::Prefixes;

/// Why a graph could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The RDF store failed (a damaged block, a vanished file).
    #[error("reading the RDF store: {0} (if the store is damaged, run `kg build` again)")]
    Storage(#[from] StorageError),
    /// The graph projection could not be loaded.
    #[error(transparent)]
    Projection(#[from] ProjectionFileError),
    /// A graph named in a request does not exist.
    #[error("the graph has no named graph <{0}>")]
    UnknownGraph(String),
    /// A remote graph could not be read (the error names the endpoint).
    #[error(transparent)]
    Remote(Box<dyn std::error::Error + Send + Sync>),
}

/// Which quads [`GraphReader::quads`] streams.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum GraphScope {
    /// Every quad, every graph.
    #[default]
    All,
    /// The default graph only.
    DefaultGraph,
    /// One named graph.
    Named(NamedNode),
}

/// A stream of triples or quads; the first error ends it.
pub type Stream<'a, T> = Box<dyn Iterator<Item = Result<T, ReadError>> + 'a>;

/// Where SPARQL runs, given to [`crate::query`]: owned handles, so a query can run on a thread
/// of its own.
#[derive(Clone)]
#[non_exhaustive]
pub enum SparqlDataset {
    /// A local oxigraph store; the query's default graph is the union of `default_graphs`.
    Local {
        /// The store (a cheap handle).
        store: Store,
        /// The graphs that make up the default graph of queries.
        default_graphs: Vec<GraphName>,
    },
    /// A SPARQL endpoint: queries are sent to the server.
    #[cfg(feature = "remote")]
    Remote(crate::remote::sparql::RemoteDataset),
}

impl fmt::Debug for SparqlDataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Local { default_graphs, .. } => f
                .debug_struct("Local")
                .field("default_graphs", default_graphs)
                .finish_non_exhaustive(),
            #[cfg(feature = "remote")]
            Self::Remote(dataset) => f.debug_tuple("Remote").field(dataset).finish(),
        }
    }
}

/// A graph to read: its prefixes, its projection, its triples and quads, and SPARQL.
pub trait GraphReader: Send + Sync {
    /// Where the graph is, for messages (a store folder, an endpoint).
    fn location(&self) -> String;

    /// Prefixes to declare in queries and exports.
    fn prefixes(&self) -> &Prefixes;

    /// The graph projection for paths, neighbourhoods, ranks and property-graph exports, loaded
    /// on first use and kept.
    ///
    /// # Errors
    /// When it cannot be loaded.
    fn projection(&self) -> Result<&Projection, ReadError>;

    /// The triples of the graph's default view (the facts, their provenance and the ontology)
    /// that match a pattern; `None` matches anything.
    fn triples<'a>(
        &'a self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
    ) -> Stream<'a, Triple>;

    /// Every quad of a scope, in a stable order (two reads of the same graph give the same
    /// sequence).
    ///
    /// # Errors
    /// [`ReadError::UnknownGraph`] for a named graph that does not exist.
    fn quads(&self, scope: &GraphScope) -> Result<Stream<'_, Quad>, ReadError>;

    /// The named graphs.
    ///
    /// # Errors
    /// Storage errors.
    fn named_graphs(&self) -> Result<Vec<NamedOrBlankNode>, ReadError>;

    /// Where SPARQL queries run.
    fn sparql(&self) -> SparqlDataset;

    /// The properties stated on facts (on their `rdf:Statement`s beyond provenance), when the
    /// reader knows them without a scan (a local store records them at build time); `None`
    /// when it does not.
    fn qualifier_properties(&self) -> Option<Vec<NamedNode>> {
        None
    }

    /// The base IRI kg names entities and statements under, when the reader knows it (a local
    /// store does): a fact's statement is then found by its name (see
    /// [`crate::infer::statement_iri`]) rather than searched for.
    fn base(&self) -> Option<&str> {
        None
    }

    /// The values stated on facts (the triples of their `rdf:Statement`s beyond provenance) as
    /// `(fact, property, value)`: those of `fact`, or of every fact when it is `None`. A reader
    /// that asks for them at once (a remote one: one SELECT instead of a request per triple
    /// pattern) gives them; `None` when reading them statement by statement costs no more.
    fn stated_values(&self, fact: Option<&Triple>) -> Option<Result<Vec<StatedValue>, ReadError>> {
        let _ = fact;
        None
    }
}

/// A value stated on a fact: the fact, the property and the value.
pub type StatedValue = (Triple, NamedNode, Term);

/// A boxed reader is a reader (what the CLI opens: local or remote).
impl<T: GraphReader + ?Sized> GraphReader for Box<T> {
    fn location(&self) -> String {
        (**self).location()
    }

    fn prefixes(&self) -> &Prefixes {
        (**self).prefixes()
    }

    fn projection(&self) -> Result<&Projection, ReadError> {
        (**self).projection()
    }

    fn triples<'a>(
        &'a self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
    ) -> Stream<'a, Triple> {
        (**self).triples(subject, predicate, object)
    }

    fn quads(&self, scope: &GraphScope) -> Result<Stream<'_, Quad>, ReadError> {
        (**self).quads(scope)
    }

    fn named_graphs(&self) -> Result<Vec<NamedOrBlankNode>, ReadError> {
        (**self).named_graphs()
    }

    fn sparql(&self) -> SparqlDataset {
        (**self).sparql()
    }

    fn qualifier_properties(&self) -> Option<Vec<NamedNode>> {
        (**self).qualifier_properties()
    }

    fn base(&self) -> Option<&str> {
        (**self).base()
    }

    fn stated_values(&self, fact: Option<&Triple>) -> Option<Result<Vec<StatedValue>, ReadError>> {
        (**self).stated_values(fact)
    }
}

/// The objects of the triples `(subject, predicate, ?)`.
///
/// # Errors
/// Read errors.
pub fn objects(
    reader: &dyn GraphReader,
    subject: NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Result<Vec<oxigraph::model::Term>, ReadError> {
    reader
        .triples(Some(subject), Some(predicate), None)
        .map(|t| t.map(|t| t.object))
        .collect()
}

/// The first object of the triples `(subject, predicate, ?)`.
///
/// # Errors
/// Read errors.
pub fn object(
    reader: &dyn GraphReader,
    subject: NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Result<Option<oxigraph::model::Term>, ReadError> {
    reader
        .triples(Some(subject), Some(predicate), None)
        .next()
        .transpose()
        .map(|t| t.map(|t| t.object))
}

/// The quads of a scope of an oxigraph store (what the local readers share).
///
/// # Errors
/// [`ReadError::UnknownGraph`] for a named graph the store does not have; storage errors.
pub(crate) fn store_quads<'a>(
    store: &'a Store,
    scope: &GraphScope,
) -> Result<Stream<'a, Quad>, ReadError> {
    let graph = match scope {
        GraphScope::All => None,
        GraphScope::DefaultGraph => Some(oxigraph::model::GraphNameRef::DefaultGraph),
        GraphScope::Named(name) => {
            if !store.contains_named_graph(name)? {
                return Err(ReadError::UnknownGraph(name.as_str().to_owned()));
            }
            Some(oxigraph::model::GraphNameRef::NamedNode(name.as_ref()))
        }
    };
    let quads = store.quads_for_pattern(None, None, None, graph);
    Ok(Box::new(quads.map(|quad| Ok(quad?))))
}
