//! `kg build`, the whole flow: inputs → checked facts ([`crate::ingest`]) → derived data
//! ([`derive`]: inference, validation) → a new store generation (RDF store + graph projection)
//! → atomic swap. Nothing is written unless every input is valid and every stage agrees, and
//! nothing becomes visible unless everything was written.

pub mod derive;
mod stream;

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use oxigraph::store::StorageError;

use self::derive::{DerivedData, Stage, StageInput, run_stages};
use self::stream::{Streamed, stream};
use crate::graph::ProjectionBuilder;
use crate::graph::file::{self as projection_file, ProjectionFileError};
use crate::ingest::{self, Diagnostic, Inputs, Progress, Summary};
use crate::store::{FORMAT_VERSION, Meta, StoreDir, StoreError, storage_message};

/// How to build.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// Treat warnings as errors.
    pub strict: bool,
    /// The derived-data stages to run, in order.
    pub stages: Vec<Arc<dyn Stage>>,
}

impl fmt::Debug for BuildOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stages: Vec<&str> = self.stages.iter().map(|s| s.name()).collect();
        f.debug_struct("BuildOptions")
            .field("strict", &self.strict)
            .field("stages", &stages)
            .finish()
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Counts of the inputs.
    pub summary: Summary,
    /// Warnings (no errors: those fail the build), the first
    /// [`Diagnostics::KEPT`](crate::diagnostic::Diagnostics::KEPT) of them.
    pub warnings: Vec<Diagnostic>,
    /// How many warnings there were, kept or not.
    pub warning_count: usize,
    /// Quads in the new store.
    pub quads: u64,
    /// Nodes and edges of the projection.
    pub nodes: usize,
    /// Edges of the projection.
    pub edges: usize,
    /// Quads the stages derived, and each stage's counts.
    pub derived: u64,
    /// Each stage's counts, by stage name.
    pub stages: BTreeMap<String, BTreeMap<String, u64>>,
    /// Seconds the build took.
    pub seconds: f64,
}

/// Why a build failed. In every case the previous graph stays current, and the new generation
/// is removed. Each variant says its cause once: as its [`source`](std::error::Error::source),
/// or (for `RocksDB`, whose messages repeat themselves) cleaned in its message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    #[error("the inputs have {errors} error(s){}; nothing was written", if *strict && *warnings > 0 { format!(" and {warnings} warning(s), which --strict refuses") } else { String::new() })]
    Invalid {
        /// Every problem, errors and warnings, in the order found.
        diagnostics: Vec<Diagnostic>,
        errors: usize,
        warnings: usize,
        strict: bool,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing the RDF store failed (`error` is `RocksDB`'s, shown in the message).
    #[error("writing the RDF store: {}", storage_message(error))]
    Storage { error: StorageError },
    /// Writing a file of the new generation failed.
    #[error("{path}")]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Projection(ProjectionFileError),
    #[error("the store writer stopped unexpectedly")]
    WriterStopped,
}

impl From<StorageError> for BuildError {
    fn from(error: StorageError) -> Self {
        Self::Storage { error }
    }
}

impl From<ProjectionFileError> for BuildError {
    fn from(error: ProjectionFileError) -> Self {
        match error {
            // Its message repeats its source: name the file, let the source say why.
            ProjectionFileError::Io { path, source } => Self::Write { path, source },
            other => Self::Projection(other),
        }
    }
}

/// Memory the bulk loader may use for its batches (oxigraph's default is 2 GB per thread); the
/// build's peak memory stays below a peer loading the same quads, at little cost in time.
const LOADER_MEMORY_MB: usize = 512;

/// Builds the graph of `inputs` into `store`.
///
/// # Errors
/// [`BuildError::Invalid`] with every problem of the inputs; store, storage or projection errors.
pub fn build(
    inputs: &Inputs,
    store: &StoreDir,
    options: &BuildOptions,
    progress: &(dyn Fn(Progress<'_>) + Sync),
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    // The lock first: a second build fails at once instead of after checking everything.
    let building = store.begin()?;
    let mut prepared = ingest::prepare(inputs, !options.stages.is_empty(), progress);
    let derived = match prepared.facts.take() {
        Some(facts) if prepared.is_valid(options.strict) => {
            progress(Progress::Pass("deriving"));
            let stages: Vec<&dyn Stage> = options.stages.iter().map(AsRef::as_ref).collect();
            let input = StageInput {
                ontology: &prepared.ontology,
                facts: &facts,
                base: prepared.entities.base(),
            };
            run_stages(&stages, input)
        }
        _ => DerivedData::default(),
    };
    prepared
        .diagnostics
        .extend(derived.diagnostics.iter().cloned());
    if !prepared.is_valid(options.strict) {
        let errors = prepared.diagnostics.error_count();
        let warnings = prepared.diagnostics.warning_count();
        return Err(BuildError::Invalid {
            diagnostics: prepared.diagnostics.into_vec(),
            errors,
            warnings,
            strict: options.strict,
        });
    }

    let rdf = building.create_store()?;
    let mut builder = ProjectionBuilder::new(&prepared.ontology, &prepared.entities)?;
    let mut loader = rdf
        .bulk_loader()
        .with_max_memory_size_in_megabytes(LOADER_MEMORY_MB);
    let Streamed { produced, written } = stream(
        |send| {
            let emitted = prepared.emit(send, &mut |fact| builder.add(fact), progress);
            builder.add_derived(&derived.relations);
            // The projection is assembled while the store finishes writing.
            emitted.map(|emitted| (builder.finish(), emitted))
        },
        |quads| {
            loader
                .load_quads(quads)
                .and_then(|()| loader.load_quads(derived.quads.iter().cloned()))
                .and_then(|()| loader.commit())
        },
    );
    // The writer's error first: a closed channel on the reading side is only its echo.
    written?;
    let (projection, emitted) = match produced.ok_or(BuildError::WriterStopped)? {
        Ok(done) => done,
        Err(ingest::EmitError::Sink(_)) => return Err(BuildError::WriterStopped),
        // A data file changed after it was checked: the new generation is not committed.
        Err(ingest::EmitError::Input(failure)) => {
            let (location, problem) = *failure;
            let mut diagnostics = ingest::Diagnostics::default();
            diagnostics.error(location, problem);
            return Err(BuildError::Invalid {
                diagnostics: diagnostics.into_vec(),
                errors: 1,
                warnings: 0,
                strict: options.strict,
            });
        }
    };
    let projection = projection?;
    prepared
        .summary
        .qualifiers
        .extend(emitted.stated_properties);

    progress(Progress::Pass("saving the graph projection"));
    projection_file::save(&projection, &building.projection_path())?;
    let quads = rdf.len()? as u64;
    rdf.flush()?;
    drop(rdf);

    let meta = Meta {
        format: FORMAT_VERSION,
        kg_version: env!("CARGO_PKG_VERSION").to_owned(),
        built_at: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        base: prepared.entities.base().to_owned(),
        prefixes: prepared.prefixes(),
        quads,
        summary: serde_json::to_value(&prepared.summary).unwrap_or_default(),
    };
    building.commit(&meta)?;
    Ok(BuildReport {
        summary: prepared.summary,
        warning_count: prepared.diagnostics.warning_count(),
        warnings: prepared.diagnostics.into_vec(),
        quads,
        nodes: projection.node_count(),
        edges: projection.edge_count(),
        derived: derived.quads.len() as u64,
        stages: derived.counts,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The embedded graph built with `options` into a temporary store, opened: for unit tests that
/// need a real store.
#[cfg(test)]
pub(crate) fn built_embedded(
    options: &BuildOptions,
) -> (tempfile::TempDir, crate::store::LocalGraph) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = StoreDir::new(dir.path().join("store"));
    build(&Inputs::embedded(), &store, options, &|_| {}).expect("the embedded graph builds");
    let local = crate::store::LocalGraph::open(store.current().expect("a current generation"))
        .expect("the built generation opens");
    (dir, local)
}
