//! The local implementation of the read seam: a committed generation of a store folder — its
//! `RocksDB` store (opened read-only, many readers at once) and its saved projection (loaded on
//! first use).

use std::sync::OnceLock;

use oxigraph::model::{
    GraphName, GraphNameRef, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, TermRef,
    Triple,
};
use oxigraph::store::Store;

use super::{Generation, Meta, StoreError};
use crate::graph::{Projection, file as projection_file};
use crate::iri::Prefixes;
use crate::read::{GraphReader, GraphScope, ReadError, SparqlDataset, Stream};

/// A committed generation, read through [`GraphReader`].
pub struct LocalGraph {
    generation: Generation,
    meta: Meta,
    store: Store,
    projection: OnceLock<Projection>,
}

impl std::fmt::Debug for LocalGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalGraph")
            .field("generation", &self.generation.dir())
            .finish_non_exhaustive()
    }
}

impl LocalGraph {
    /// Opens a generation: reads its `meta.json` and opens its store read-only.
    ///
    /// # Errors
    /// When the description is missing or of another format, or `RocksDB` cannot open the store.
    pub fn open(generation: Generation) -> Result<Self, StoreError> {
        let meta = generation.meta()?;
        let store = generation.open_store()?;
        Ok(Self {
            generation,
            meta,
            store,
            projection: OnceLock::new(),
        })
    }

    /// The generation read.
    pub fn generation(&self) -> &Generation {
        &self.generation
    }

    /// What the generation holds.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }
}

impl GraphReader for LocalGraph {
    fn location(&self) -> String {
        self.generation.dir().display().to_string()
    }

    fn prefixes(&self) -> &Prefixes {
        &self.meta.prefixes
    }

    fn projection(&self) -> Result<&Projection, ReadError> {
        if let Some(projection) = self.projection.get() {
            return Ok(projection);
        }
        let loaded = projection_file::load(&self.generation.projection_path())?;
        Ok(self.projection.get_or_init(|| loaded))
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
        crate::read::store_quads(&self.store, scope)
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
