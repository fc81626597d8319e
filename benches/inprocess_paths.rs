//! kg's side of the in-process path comparison of `benches/compare.sh`: loads a store's saved
//! projection, then times one single-pair shortest path for each pair of a `from,to` file, and
//! prints JSON (`load_seconds`, `mean_seconds`, `seconds`, `lengths`, `edge_visits`,
//! `peak_rss_bytes`).
//!
//! ```sh
//! cargo bench --bench inprocess_paths -- --store STORE --pairs DATASET/pairs.csv
//! ```
//!
//! Searches are undirected and bounded at 20 hops, as the peers' (networkx, igraph) are
//! unbounded: on the generated graphs every pair is far closer. Run as a test (no `--store`), it
//! answers the pairs of a cached 1,000-node graph.

mod common;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use kg::algo::{PathQuery, limits, shortest_path};
use kg::graph::file as projection_file;

use common::{BenchResult, cache_dir, cached_graph, node, read_pairs};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("inprocess_paths: {error}");
            ExitCode::from(2)
        }
    }
}

fn run() -> BenchResult<()> {
    let (projection_path, pairs_path) = if let Some(paths) = arguments()? {
        paths
    } else {
        let (graph, _) = cached_graph(&cache_dir(), 1_000, 5_000)?;
        (graph.projection_path()?, graph.dataset.join("pairs.csv"))
    };
    let started = Instant::now();
    let projection = projection_file::load(&projection_path)?;
    let load_seconds = started.elapsed().as_secs_f64();
    let pairs = read_pairs(&pairs_path)?;
    let query = PathQuery {
        max_hops: limits::MAX_HOPS,
        ..PathQuery::default()
    };
    let mut seconds = Vec::with_capacity(pairs.len());
    let mut lengths = Vec::with_capacity(pairs.len());
    let mut work = Vec::with_capacity(pairs.len());
    for (from, to) in &pairs {
        let (from, to) = (node(&projection, from)?, node(&projection, to)?);
        let started = Instant::now();
        let found = shortest_path(&projection, from, to, &query);
        seconds.push(started.elapsed().as_secs_f64());
        lengths.push(found.paths.first().map(kg::algo::Path::len));
        work.push(found.work);
    }
    let json = serde_json::json!({
        "nodes": projection.node_count(),
        "load_seconds": load_seconds,
        "mean_seconds": seconds.iter().sum::<f64>() / seconds.len().max(1) as f64,
        "seconds": seconds,
        "lengths": lengths,
        "edge_visits": work,
        "peak_rss_bytes": peak_rss_bytes(),
    });
    println!("{json}");
    Ok(())
}

/// `--store DIR --pairs FILE`, or `None` when run as a test (no arguments but Cargo's).
fn arguments() -> BenchResult<Option<(PathBuf, PathBuf)>> {
    let mut store = None;
    let mut pairs = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--store" => store = args.next().map(PathBuf::from),
            "--pairs" => pairs = args.next().map(PathBuf::from),
            // Cargo adds `--bench` (or test-harness flags) of its own.
            _ => {}
        }
    }
    match (store, pairs) {
        (Some(store), Some(pairs)) => {
            let generation = kg::store::StoreDir::new(store).current()?;
            Ok(Some((generation.projection_path(), pairs)))
        }
        (None, None) => Ok(None),
        _ => Err("give both --store DIR and --pairs FILE".into()),
    }
}

/// The process's peak resident set (`VmHWM` of /proc/self/status), when the system tells.
fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}
