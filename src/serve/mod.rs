//! `kg serve`: the graph over HTTP — a SPARQL 1.1 Protocol endpoint with a service
//! description, the Graph Store Protocol for reading, a JSON API with the shapes of the CLI's
//! `--format json` answers, export downloads, and a web page, all read-only.
//!
//! - [`sparql`] answers `/sparql` (GET, form POST, direct POST) through the [`pool`] of worker
//!   processes ([`worker`], the same binary re-executed), so a query that outlives its timeout
//!   or its memory cap is stopped by killing its worker; the text is screened first as `kg
//!   query` screens it ([`crate::query::screen`]: too long, too deep, `SERVICE`), before any
//!   parser runs; [`negotiate`] picks the format;
//! - [`graph_store`] streams the default graph, a named graph or the inferred graph;
//! - [`api`] answers lookups, paths, neighbourhoods and ranks in process, on a bounded
//!   blocking pool; [`download`] streams exports;
//! - [`app`] puts the routes together with the server's rules (bearer token, CORS, a strict
//!   CSP, the access log); [`server`] accepts connections with header and body timeouts and
//!   shuts down cleanly; [`generation`] follows `kg build`'s swaps of the store.

pub mod api;
pub mod app;
mod assets;
mod body;
pub mod description;
pub mod download;
pub mod generation;
pub mod graph_store;
pub mod negotiate;
mod params;
pub mod pool;
pub mod protocol;
pub mod server;
pub mod sparql;
pub mod worker;

use std::ffi::OsString;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use oxigraph::model::NamedNode;

pub use self::server::{ServeError, run};
use crate::store::StoreDir;

/// What the server may spend, per request and in all.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long a SPARQL query may run (its worker is killed after it).
    pub timeout: Duration,
    /// Resident memory a SPARQL worker may reach, in bytes.
    pub memory: u64,
    /// Largest request body, in bytes (larger: 413).
    pub body: usize,
    /// Most rows (or triples) of a SPARQL answer; more are cut and the answer says so.
    pub rows: u64,
    /// SPARQL workers: queries running at once.
    pub workers: usize,
    /// Requests that may wait for a worker or an API slot; more get 503.
    pub queue: usize,
    /// How long a queued request waits before it gets 503.
    pub queue_wait: Duration,
    /// API answers (lookup, path, neighbours, rank, exports) computed at once.
    pub api: usize,
    /// Longest path search asked, in hops.
    pub max_hops: usize,
    /// Most paths listed.
    pub max_paths: usize,
    /// Most nodes of a neighbourhood.
    pub max_nodes: usize,
    /// How long a client may take to send a request's headers.
    pub header_timeout: Duration,
    /// How long a client may take to send a request's body.
    pub body_timeout: Duration,
    /// Connections open at once.
    pub connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            memory: 1 << 30,
            body: 1 << 20,
            rows: 10_000,
            workers: 2,
            queue: 8,
            queue_wait: Duration::from_secs(2),
            api: 4,
            max_hops: crate::algo::limits::DEFAULT_MAX_HOPS,
            max_paths: crate::algo::limits::DEFAULT_MAX_PATHS,
            max_nodes: 1000,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            connections: 256,
        }
    }
}

/// What the server does and where.
#[derive(Clone)]
pub struct ServeConfig {
    /// The store folder.
    pub store: StoreDir,
    /// Where to listen (port 0: any free port, reported to `on_bound`).
    pub bind: SocketAddr,
    /// The program and arguments that start a SPARQL worker (the `kg` binary with its hidden
    /// worker flag, which calls [`worker::run`]).
    pub worker_command: Vec<OsString>,
    /// When set, every data route asks for `Authorization: Bearer <token>`.
    pub token: Option<String>,
    /// The one origin allowed cross-origin requests (no CORS headers otherwise).
    pub cors: Option<String>,
    /// The IRI of the graph of inferred facts, served by the graph store as `?inferred`.
    pub inferred_graph: Option<NamedNode>,
    /// The limits.
    pub limits: Limits,
    /// Where events go (the access log, workers killed, generations swapped).
    pub events: EventSink,
    /// How often the store's `CURRENT` pointer is checked.
    pub watch_interval: Duration,
}

impl std::fmt::Debug for ServeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServeConfig")
            .field("store", &self.store)
            .field("bind", &self.bind)
            .field("cors", &self.cors)
            .field("token", &self.token.as_ref().map(|_| "…"))
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl ServeConfig {
    /// A configuration with the default limits, no token, no CORS and events dropped.
    pub fn new(store: StoreDir, bind: SocketAddr, worker_command: Vec<OsString>) -> Self {
        Self {
            store,
            bind,
            worker_command,
            token: None,
            cors: None,
            inferred_graph: None,
            limits: Limits::default(),
            events: Arc::new(|_| {}),
            watch_interval: Duration::from_millis(250),
        }
    }
}

/// Receives the server's [`Event`]s (the CLI writes them on stderr).
pub type EventSink = Arc<dyn Fn(&Event) + Send + Sync>;

/// Something the server did that its operator may want to see.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// The server listens.
    Listening {
        /// The bound address.
        address: SocketAddr,
    },
    /// A request was answered.
    Access {
        /// The client.
        client: SocketAddr,
        /// The method.
        method: String,
        /// The path (no query string).
        path: String,
        /// The status sent.
        status: u16,
        /// Time to the response head, in microseconds.
        micros: u128,
    },
    /// A SPARQL worker was killed (timeout, memory, broken pipe).
    WorkerKilled {
        /// Why.
        reason: String,
    },
    /// `kg build` swapped in a new generation and the server now answers from it.
    Generation {
        /// The generation's folder.
        dir: std::path::PathBuf,
    },
    /// The new generation could not be opened; the old one stays in use.
    GenerationFailed {
        /// Why.
        reason: String,
    },
    /// Shutting down: in-flight requests are being finished.
    ShuttingDown,
}

impl std::fmt::Display for Event {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Listening { address } => write!(f, "listening on http://{address}/"),
            Self::Access {
                client,
                method,
                path,
                status,
                micros,
            } => write!(
                f,
                "{client} {method} {} {status} {:.1}ms",
                path.escape_debug(),
                *micros as f64 / 1000.0
            ),
            Self::WorkerKilled { reason } => write!(f, "query worker killed: {reason}"),
            Self::Generation { dir } => {
                write!(f, "now answering from {}", dir.display())
            }
            Self::GenerationFailed { reason } => {
                write!(
                    f,
                    "new generation not opened (still answering from the old one): {reason}"
                )
            }
            Self::ShuttingDown => write!(f, "shutting down: finishing requests in flight"),
        }
    }
}
