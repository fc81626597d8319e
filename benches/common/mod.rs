//! What the benchmarks share: a generated graph built once into a cache folder, its random
//! pairs, and resolving entity ids to projection nodes. Only the public API is used (`generate`,
//! `pipeline::build`, `graph::file::load`, `graph::resolve_entity`), so that a change of the projection's
//! in-memory layout touches nothing here.

#![allow(dead_code)]

use std::error::Error;
use std::path::{Path, PathBuf};

use kg::generate::{GenerateOptions, Size, generate};
use kg::graph::{Projection, file};
use kg::graph::{Resolution, resolve_entity};
use kg::ingest::Inputs;
use kg::pipeline::{BuildOptions, build};
use kg::store::StoreDir;

pub type BenchResult<T> = Result<T, Box<dyn Error>>;

/// A generated, built graph.
pub struct BenchGraph {
    /// The generated dataset (`data/`, `ontology/`, `pairs.csv`, ...).
    pub dataset: PathBuf,
    /// The built store.
    pub store: StoreDir,
}

impl BenchGraph {
    /// The saved projection of the store's current generation.
    ///
    /// # Errors
    /// When the store has no built generation.
    pub fn projection_path(&self) -> BenchResult<PathBuf> {
        Ok(self.store.current()?.projection_path())
    }

    /// The random pairs the generator wrote.
    ///
    /// # Errors
    /// When `pairs.csv` cannot be read.
    pub fn pairs(&self) -> BenchResult<Vec<(String, String)>> {
        read_pairs(&self.dataset.join("pairs.csv"))
    }
}

/// The graph of `nodes` entities and `edges` relation rows (no provenance, seed 1), generated and
/// built into `cache/graph-<nodes>-<edges>/` unless a previous run left it there, with its
/// loaded projection. A cached store this kg cannot read (an older format) is built again.
///
/// # Errors
/// When generating or building fails.
pub fn cached_graph(cache: &Path, nodes: u64, edges: u64) -> BenchResult<(BenchGraph, Projection)> {
    // The layout of `benches/compare.sh`'s datasets, so `KG_BENCH_CACHE=benches/datasets` reuses them.
    let folder = cache.join(format!("graph-{nodes}-{edges}"));
    let graph = BenchGraph {
        dataset: folder.clone(),
        store: StoreDir::new(folder.join("kg-store")),
    };
    let generated = graph.dataset.join("generated.json").is_file();
    if generated && graph.store.is_built() {
        match graph
            .projection_path()
            .and_then(|path| Ok(file::load(&path)?))
        {
            Ok(projection) => return Ok((graph, projection)),
            Err(error) => eprintln!("cannot reuse {}: {error}", graph.store.root().display()),
        }
        std::fs::remove_dir_all(graph.store.root())?;
    }
    if !generated {
        eprintln!(
            "generating a graph of {nodes} nodes and {edges} edges in {} (once)",
            folder.display()
        );
        let options = GenerateOptions {
            size: Size::Graph { nodes, edges },
            seed: 1,
            provenance: false,
        };
        generate(&graph.dataset, &options, &|_| {})?;
    }
    eprintln!("building {} (once)", graph.store.root().display());
    let mut inputs = Inputs::empty();
    inputs.add_ontology(&graph.dataset.join("ontology"))?;
    inputs.add_data(&graph.dataset.join("data"))?;
    build(&inputs, &graph.store, &BuildOptions::default(), &|_| {})?;
    let projection = file::load(&graph.projection_path()?)?;
    Ok((graph, projection))
}

/// Where generated graphs are cached: `KG_BENCH_CACHE`, else `kg-bench/` in the Cargo target
/// folder the benchmark runs from, else the temporary folder.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KG_BENCH_CACHE") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir).join("kg-bench");
    }
    // The benchmark runs as <target>/<profile>/deps/<name>-<hash>.
    let exe = std::env::current_exe().ok();
    let target = exe.as_deref().and_then(|exe| {
        let deps = exe.parent()?;
        (deps.file_name()? == "deps").then(|| deps.parent()?.parent())?
    });
    target.map_or_else(
        || std::env::temp_dir().join("kg-bench"),
        |target| target.join("kg-bench"),
    )
}

/// A count from the environment, or `default`.
///
/// # Errors
/// When the variable is set but is not a number.
pub fn env_count(name: &str, default: u64) -> BenchResult<u64> {
    match std::env::var(name) {
        Ok(value) => Ok(value
            .replace('_', "")
            .parse()
            .map_err(|_| format!("{name}={value:?} is not a count"))?),
        Err(_) => Ok(default),
    }
}

/// Reads `from,to` pairs of entity ids.
///
/// # Errors
/// When the file cannot be read or a line has no comma.
pub fn read_pairs(path: &Path) -> BenchResult<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .skip(1)
        .filter(|line| !line.is_empty())
        .map(|line| {
            line.split_once(',')
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .ok_or_else(|| format!("{}: not a from,to pair: {line:?}", path.display()).into())
        })
        .collect()
}

/// The node of an entity id.
///
/// # Errors
/// When no single entity has that name.
pub fn node(projection: &Projection, id: &str) -> BenchResult<u32> {
    match resolve_entity(projection, id) {
        Resolution::One(node) => Ok(node),
        _ => Err(format!("no single entity is called {id:?}").into()),
    }
}

/// Whether the binary runs as `cargo bench` runs it (with `--bench`), not as a test.
pub fn benchmarking() -> bool {
    std::env::args().any(|a| a == "--bench")
}
