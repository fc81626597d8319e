//! Criterion benchmarks of the path queries on a generated graph: single-pair shortest path, the
//! 5 shortest simple paths (Yen) and the 2-hop neighbourhood, over the generator's 20 random
//! pairs.
//!
//! ```sh
//! cargo bench --bench paths                               # 1M nodes, 5M edges
//! KG_BENCH_NODES=10000 cargo bench --bench paths          # a quick run (edges: 5 per node)
//! ```
//!
//! The graph is generated (`kg generate --nodes N --edges M --no-provenance`) and built once into
//! `kg-bench/` under the Cargo target folder, or into `KG_BENCH_CACHE`; later runs reuse it
//! (`KG_BENCH_CACHE=benches/datasets` reuses the graphs of `benches/compare.sh`). Run as a test
//! (`cargo test --benches`), every benchmark runs once on a graph of 1,000 nodes.

mod common;

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use kg::algo::{PathQuery, k_shortest_paths, limits, neighbourhood, shortest_path};

use common::{BenchResult, cache_dir, cached_graph, env_count, node};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("paths benchmark: {error}");
            ExitCode::from(2)
        }
    }
}

fn run() -> BenchResult<()> {
    let default_nodes = if common::benchmarking() {
        1_000_000
    } else {
        1_000
    };
    let nodes = env_count("KG_BENCH_NODES", default_nodes)?;
    let edges = env_count("KG_BENCH_EDGES", nodes * 5)?;
    let (graph, projection) = cached_graph(&cache_dir(), nodes, edges)?;
    let pairs = graph
        .pairs()?
        .iter()
        .map(|(from, to)| Ok((node(&projection, from)?, node(&projection, to)?)))
        .collect::<BenchResult<Vec<(u32, u32)>>>()?;
    let query = PathQuery {
        max_hops: limits::MAX_HOPS,
        ..PathQuery::default()
    };

    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10))
        .configure_from_args();
    let mut group = criterion.benchmark_group(format!("paths-{nodes}-nodes-{edges}-edges"));
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("shortest_path", |b| {
        b.iter(|| {
            for &(from, to) in &pairs {
                black_box(shortest_path(&projection, from, to, &query));
            }
        });
    });
    group.bench_function("k_shortest_paths_5", |b| {
        b.iter(|| {
            for &(from, to) in &pairs {
                black_box(k_shortest_paths(&projection, from, to, 5, &query));
            }
        });
    });
    group.bench_function("neighbourhood_2_hops", |b| {
        b.iter(|| {
            for &(from, _) in &pairs {
                black_box(neighbourhood(&projection, from, 2, usize::MAX, &query));
            }
        });
    });
    group.finish();
    criterion.final_summary();
    Ok(())
}
