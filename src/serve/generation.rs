//! The generation the server answers from, for the in-process answers (lookup, paths,
//! neighbours, ranks, exports, the graph store): an `Arc` swapped when the store folder's
//! `CURRENT` pointer moves. A request holds the `Arc` it started with, so it finishes on the
//! generation it began on while new requests see the new one.

use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use crate::algo::{Ranking, rank};
use crate::answer::rank_options;
use crate::read::{GraphReader, ReadError, SchemaView};
use crate::store::{LocalGraph, StoreDir, StoreError};

/// One opened generation and what is computed once per generation.
pub struct Opened {
    /// The graph.
    pub graph: LocalGraph,
    schema: OnceLock<Result<SchemaView, String>>,
    ranking: OnceLock<Ranking>,
}

impl Opened {
    /// Opens the current generation of `store` and loads its projection.
    ///
    /// # Errors
    /// When it cannot be opened or its projection loaded.
    pub fn open(store: &StoreDir) -> Result<Self, GenerationError> {
        let graph = LocalGraph::open(store.current()?)?;
        graph.projection()?;
        Ok(Self {
            graph,
            schema: OnceLock::new(),
            ranking: OnceLock::new(),
        })
    }

    /// The schema view (classes, hierarchy, title), read once.
    ///
    /// # Errors
    /// A read error, as text (kept for later requests).
    pub fn schema(&self) -> Result<&SchemaView, String> {
        self.schema
            .get_or_init(|| SchemaView::read(&self.graph).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Degree, `PageRank` and betweenness of every entity, computed once (betweenness is
    /// O(V·E)).
    ///
    /// # Errors
    /// When the projection cannot be read.
    pub fn ranking(&self) -> Result<&Ranking, ReadError> {
        if let Some(ranking) = self.ranking.get() {
            return Ok(ranking);
        }
        // Undirected, as `kg rank` without `--directed`.
        let projection = self.graph.projection()?;
        let options = rank_options(&self.graph, projection, false)?;
        let computed = rank(projection, &options);
        Ok(self.ranking.get_or_init(|| computed))
    }
}

/// Why a generation could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum GenerationError {
    /// The store folder.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The projection.
    #[error(transparent)]
    Read(#[from] ReadError),
}

/// The generation in use, swapped by [`Current::refresh`].
pub struct Current {
    store: StoreDir,
    opened: RwLock<Arc<Opened>>,
}

impl Current {
    /// Opens the current generation.
    ///
    /// # Errors
    /// When nothing was built, or it cannot be opened.
    pub fn open(store: StoreDir) -> Result<Self, GenerationError> {
        let opened = Opened::open(&store)?;
        Ok(Self {
            store,
            opened: RwLock::new(Arc::new(opened)),
        })
    }

    /// The generation to answer a request from.
    pub fn get(&self) -> Arc<Opened> {
        self.opened
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The store folder.
    pub fn store(&self) -> &StoreDir {
        &self.store
    }

    /// Opens the generation `CURRENT` names if it is not the one in use; returns its folder
    /// when it swapped.
    ///
    /// # Errors
    /// When the new generation cannot be opened (the old one stays in use).
    pub fn refresh(&self) -> Result<Option<std::path::PathBuf>, GenerationError> {
        let generation = self.store.current()?;
        if self.get().graph.generation().dir() == generation.dir() {
            return Ok(None);
        }
        let opened = Arc::new(Opened::open(&self.store)?);
        let dir = opened.graph.generation().dir().to_path_buf();
        *self.opened.write().unwrap_or_else(PoisonError::into_inner) = opened;
        Ok(Some(dir))
    }
}
