//! `kg serve`: the graph over HTTP (the library's `kg::serve`); this file only reads the flags.

use std::ffi::OsString;
use std::io::{self, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use clap::{Args, ValueHint};
use kg::serve::{Event, Limits, ServeConfig};
use oxigraph::model::NamedNode;

use crate::cli::Found;
use crate::cli::store::StoreArgs;

/// Serve the graph over HTTP: a SPARQL 1.1 endpoint (/sparql), the graph store (/store), a JSON
/// API (/api/lookup, /api/path, /api/neighbors, /api/rank, /api/export) and a web page (/).
///
/// Read-only and local by default: it listens on 127.0.0.1:7878, refuses SPARQL Update, LOAD and
/// SERVICE, and bounds every query (time, memory, rows). When `kg build` swaps in a new graph, the
/// server answers from it without a restart. The first line on stdout is the address it listens
/// on; the access log goes to stderr. Stops cleanly on Ctrl-C or SIGTERM.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Where to listen (port 0: any free port)
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1:7878")]
    bind: SocketAddr,

    /// Ask for this bearer token (read from FILE, first line) on every data route
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    token_file: Option<PathBuf>,

    /// Allow cross-origin requests from this origin (e.g. https://example.org); none by default
    #[arg(long, value_name = "ORIGIN")]
    cors: Option<String>,

    /// Stop a SPARQL query after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,

    /// SPARQL worker processes: queries that run at once
    #[arg(long, value_name = "N", default_value_t = 2)]
    workers: usize,

    /// Requests that may wait for a worker (more get 503)
    #[arg(long, value_name = "N", default_value_t = 8)]
    queue: usize,

    /// Memory a SPARQL worker may use, in MiB (it is killed past it)
    #[arg(long, value_name = "MIB", default_value_t = 1024)]
    memory: u64,

    /// Largest request body, in bytes (larger: 413)
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    max_body: usize,

    /// Most rows (or triples) in a SPARQL answer; more are cut and the answer says "truncated"
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    max_rows: u64,

    /// Lookups, paths, neighbourhoods, ranks and exports computed at once
    #[arg(long, value_name = "N", default_value_t = 4)]
    api_threads: usize,

    /// Most nodes in a neighbourhood answer
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_nodes: usize,

    /// Seconds a client may take to send a request's headers, and its body
    #[arg(long, value_name = "SECONDS", default_value_t = 10.0)]
    read_timeout: f64,

    /// The IRI of the named graph of inferred facts (served as /store?inferred)
    #[arg(long, value_name = "IRI")]
    inferred_graph: Option<String>,

    /// Run as a SPARQL worker of a server (internal: requests on stdin, answers on stdout)
    #[arg(long, hide = true)]
    worker: bool,

    #[command(flatten)]
    store: StoreArgs,
}

fn seconds(value: f64, flag: &str) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .with_context(|| format!("{flag} {value}: give a positive number of seconds"))
}

pub fn run(args: &ServeArgs) -> anyhow::Result<Found> {
    if args.worker {
        let store = args.store.dir();
        let mut input = io::stdin().lock();
        let mut output = io::BufWriter::new(io::stdout().lock());
        kg::serve::worker::run(&store, &mut input, &mut output)?;
        return Ok(Found::Something);
    }
    // Builds the embedded graph first when the default store is empty, as `kg query` does.
    drop(args.store.open()?);
    let store = args.store.dir();
    let root = std::path::absolute(store.root())
        .with_context(|| format!("--store {}", store.root().display()))?;
    let token = match &args.token_file {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("--token-file {}", path.display()))?;
            let token = text.lines().next().unwrap_or_default().trim().to_owned();
            anyhow::ensure!(
                !token.is_empty(),
                "--token-file {}: the file holds no token",
                path.display()
            );
            Some(token)
        }
    };
    let inferred_graph = match &args.inferred_graph {
        None => None,
        Some(iri) => Some(NamedNode::new(iri).with_context(|| format!("--inferred-graph {iri}"))?),
    };
    anyhow::ensure!(args.workers > 0, "--workers 0: give at least one worker");
    anyhow::ensure!(args.api_threads > 0, "--api-threads 0: give at least one");
    anyhow::ensure!(args.max_rows > 0, "--max-rows 0: allow at least one row");
    let read_timeout = seconds(args.read_timeout, "--read-timeout")?;
    let program = std::env::current_exe().context("finding the kg binary for the query workers")?;
    let worker_command: Vec<OsString> = vec![
        program.into(),
        "serve".into(),
        "--worker".into(),
        "--store".into(),
        root.clone().into(),
    ];
    let mut config = ServeConfig::new(kg::store::StoreDir::new(root), args.bind, worker_command);
    config.token = token;
    config.cors.clone_from(&args.cors);
    config.inferred_graph = inferred_graph;
    config.limits = Limits {
        timeout: seconds(args.timeout, "--timeout")?,
        memory: args.memory.saturating_mul(1 << 20),
        body: args.max_body,
        rows: args.max_rows,
        workers: args.workers,
        queue: args.queue,
        api: args.api_threads,
        max_nodes: args.max_nodes.max(1),
        header_timeout: read_timeout,
        body_timeout: read_timeout,
        ..Limits::default()
    };
    config.events = Arc::new(|event: &Event| match event {
        Event::Listening { .. } => {
            let mut stdout = io::stdout().lock();
            let _ = writeln!(stdout, "kg serve: {event}");
            let _ = stdout.flush();
        }
        _ => {
            let _ = writeln!(io::stderr().lock(), "kg serve: {event}");
        }
    });
    kg::serve::run(config)?;
    Ok(Found::Something)
}
