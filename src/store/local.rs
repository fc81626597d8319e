//! The local implementation of the read seam: a committed generation of a store folder — its
//! `RocksDB` store (opened read-only, many readers at once) and its saved projection (loaded on
//! first use).

use std::sync::OnceLock;

use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad,
    TermRef, Triple,
};
use oxigraph::store::Store;

use super::{Generation, Meta, StoreError};
use crate::graph::{Projection, file as projection_file};
use crate::iri::Prefixes;
use crate::read::{GraphReader, GraphScope, ReadError, SparqlDataset, Stream};
use crate::vocab::kg;

/// A committed generation, read through [`GraphReader`].
pub struct LocalGraph {
    generation: Generation,
    meta: Meta,
    store: Store,
    projection: OnceLock<Projection>,
    /// Whether the `kg:inferred` graph is part of the graph read.
    inference: bool,
    /// The reader's lease, which keeps builds from removing the generation while it is open.
    _lease: Option<std::fs::File>,
}

impl std::fmt::Debug for LocalGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalGraph")
            .field("generation", &self.generation.dir())
            .finish_non_exhaustive()
    }
}

impl LocalGraph {
    /// Opens a generation: takes a reader's lease on it ([`Generation::lease`]), reads its
    /// `meta.json` and opens its store read-only. The lease lasts as long as the value.
    ///
    /// # Errors
    /// When the description is missing or of another format, or `RocksDB` cannot open the store.
    pub fn open(generation: Generation) -> Result<Self, StoreError> {
        let lease = generation.lease()?;
        let meta = generation.meta()?;
        let store = generation.open_store()?;
        Ok(Self {
            generation,
            meta,
            store,
            projection: OnceLock::new(),
            inference: true,
            _lease: lease,
        })
    }

    /// With `false`, the graph read is the asserted facts only: triples, SPARQL's default graph,
    /// every-graph exports and the projection's edges leave out what the reasoner inferred (the
    /// `kg:inferred` graph). It is part of the graph by default.
    #[must_use]
    pub fn with_inference(mut self, inference: bool) -> Self {
        self.inference = inference;
        self
    }

    /// Whether inferred triples are part of the graph read.
    pub fn inference(&self) -> bool {
        self.inference
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
        // Read page by page: a command touches only what its answer walks.
        let mut loaded = projection_file::open(&self.generation.projection_path())?;
        if !self.inference {
            loaded.leave_out_inferred();
        }
        Ok(self.projection.get_or_init(|| loaded))
    }

    fn triples<'a>(
        &'a self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
    ) -> Stream<'a, Triple> {
        let asserted = self.store.quads_for_pattern(
            subject,
            predicate,
            object,
            Some(GraphNameRef::DefaultGraph),
        );
        let inferred = self
            .inference
            .then(|| {
                self.store
                    .quads_for_pattern(subject, predicate, object, Some(kg::INFERRED.into()))
            })
            .into_iter()
            .flatten();
        Box::new(asserted.chain(inferred).map(|quad| Ok(Triple::from(quad?))))
    }

    fn quads(&self, scope: &GraphScope) -> Result<Stream<'_, Quad>, ReadError> {
        let quads = crate::read::store_quads(&self.store, scope)?;
        if self.inference || *scope != GraphScope::All {
            return Ok(quads);
        }
        Ok(Box::new(quads.filter(|quad| {
            quad.as_ref().map_or(true, |q| {
                q.graph_name.as_ref() != GraphNameRef::from(kg::INFERRED)
            })
        })))
    }

    fn named_graphs(&self) -> Result<Vec<NamedOrBlankNode>, ReadError> {
        let mut graphs: Vec<NamedOrBlankNode> =
            self.store.named_graphs().collect::<Result<_, _>>()?;
        if !self.inference {
            graphs.retain(|g| *g != NamedOrBlankNode::from(kg::INFERRED.into_owned()));
        }
        Ok(graphs)
    }

    fn sparql(&self) -> SparqlDataset {
        SparqlDataset::Local {
            store: self.store.clone(),
            default_graphs: if self.inference {
                vec![GraphName::DefaultGraph, kg::INFERRED.into()]
            } else {
                vec![GraphName::DefaultGraph]
            },
        }
    }

    fn base(&self) -> Option<&str> {
        Some(&self.meta.base)
    }

    fn qualifier_properties(&self) -> Option<Vec<NamedNode>> {
        // Recorded by the build (`summary.qualifiers`); a store built before that has none.
        let recorded = self.meta.summary.get("qualifiers")?.as_array()?;
        recorded
            .iter()
            .map(|iri| NamedNode::new(iri.as_str()?).ok())
            .collect()
    }
}
