//! A graph held in memory (an in-memory oxigraph store and, when given, a projection): what
//! tests read, and what a build checks before anything is written.

use oxigraph::model::{
    GraphName, GraphNameRef, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, TermRef,
    Triple,
};
use oxigraph::store::Store;

use super::{GraphReader, GraphScope, ReadError, SparqlDataset, Stream};
use crate::graph::Projection;
use crate::graph::file::ProjectionFileError;
use crate::iri::Prefixes;

/// An in-memory graph.
pub struct MemoryGraph {
    store: Store,
    prefixes: Prefixes,
    projection: Option<Projection>,
}

impl std::fmt::Debug for MemoryGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryGraph")
            .field("prefixes", &self.prefixes.len())
            .finish_non_exhaustive()
    }
}

impl MemoryGraph {
    /// A graph of the quads in `store` (an in-memory store, usually), declaring `prefixes`.
    pub fn new(store: Store, prefixes: Prefixes, projection: Option<Projection>) -> Self {
        Self {
            store,
            prefixes,
            projection,
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

impl GraphReader for MemoryGraph {
    fn location(&self) -> String {
        "memory".to_owned()
    }

    fn prefixes(&self) -> &Prefixes {
        &self.prefixes
    }

    fn projection(&self) -> Result<&Projection, ReadError> {
        self.projection.as_ref().ok_or_else(|| {
            ReadError::Projection(ProjectionFileError::Corrupt {
                path: "memory".into(),
                reason: "this graph has no projection".into(),
            })
        })
    }

    fn triples<'a>(
        &'a self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
    ) -> Stream<'a, Triple> {
        let quads = self.store.quads_for_pattern(
            subject,
            predicate,
            object,
            Some(GraphNameRef::DefaultGraph),
        );
        Box::new(quads.map(|quad| Ok(Triple::from(quad?))))
    }

    fn quads(&self, scope: &GraphScope) -> Result<Stream<'_, Quad>, ReadError> {
        super::store_quads(&self.store, scope)
    }

    fn named_graphs(&self) -> Result<Vec<NamedOrBlankNode>, ReadError> {
        Ok(self.store.named_graphs().collect::<Result<_, _>>()?)
    }

    fn sparql(&self) -> SparqlDataset {
        SparqlDataset::Local {
            store: self.store.clone(),
            default_graphs: vec![GraphName::DefaultGraph],
        }
    }
}
