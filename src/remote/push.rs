//! `kg push`: sends every graph of a store to a SPARQL server so that readers never see half of
//! one.
//!
//! 1. Lists the graphs: the default graph goes to the target graph (`--graph`), each named
//!    graph to its own IRI (skipped ones aside). Local triples are counted as they are sent.
//! 2. Checks the targets: one that already holds triples is refused unless `replace`.
//! 3. For each graph: clears its staging graph ([`staging_graph`]), then streams batches into it,
//!    by Graph Store POST (N-Triples) or, where the server has no Graph Store, `INSERT DATA`.
//!    Transient failures are retried with backoff (see [`super::http`]).
//! 4. Swaps: one update `MOVE`s every staging graph onto its target, drops named graphs that an
//!    earlier push of the same target had and this one has not, and rewrites the push record.
//! 5. Counts each target on the server and compares.
//!
//! A push that stops anywhere before step 4 (killed, server gone, credentials refused) leaves the
//! targets as they were and at most the staging graphs: the next `kg push` clears those and
//! starts over. Batches are not resumed.
//!
//! Without staging ([`PushOptions::staging`] off, for empty targets only) step 3 loads straight
//! into the targets and step 4 only writes the record: no `MOVE`, which on oxigraph copies every
//! triple in one transaction, but a stopped push leaves part of a target.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple};

use super::batch::{Batcher, insert_data, ntriples};
use super::record::{PushRecord, inferred_target, staging_graph};
use super::sparql::Service;
use super::{RemoteError, digest};
use crate::read::{GraphReader, GraphScope, ReadError};
use crate::vocab::kg;

/// Batch size over the Graph Store Protocol.
pub const GRAPH_STORE_BATCH: usize = 50_000;
/// Batch size of `INSERT DATA`: Virtuoso refuses updates past about 1,400 triples.
pub const UPDATE_BATCH: usize = 1_000;

/// How triples are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Graph Store POST where the server has it, else `INSERT DATA`.
    Auto,
    /// Graph Store HTTP Protocol only.
    GraphStore,
    /// SPARQL Update `INSERT DATA` only.
    Update,
}

impl Protocol {
    /// Every protocol, for `--protocol`.
    pub const ALL: [Self; 3] = [Self::Auto, Self::GraphStore, Self::Update];

    /// The name of `--protocol`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::GraphStore => "graph-store",
            Self::Update => "update",
        }
    }
}

/// What to push, and how.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// Where the store's default graph goes.
    pub graph: NamedNode,
    /// Named graphs not to push (the inferred graph under `--no-inference`).
    pub skip: Vec<NamedNode>,
    /// Replace target graphs that hold triples (else they are refused).
    pub replace: bool,
    /// Load into staging graphs and move them in at the end (readers never see half a graph);
    /// `false`: straight into the targets, which must be empty (not with `replace`).
    pub staging: bool,
    /// Triples per request; `None`: [`GRAPH_STORE_BATCH`] or [`UPDATE_BATCH`].
    pub batch_size: Option<usize>,
    /// How triples are sent.
    pub protocol: Protocol,
    /// Compare the remote counts with the local ones at the end.
    pub verify: bool,
    /// The base IRI of entities, for the push record.
    pub base: String,
    /// Triples to send in all, as far as the caller knows (for progress only).
    pub expected: Option<u64>,
}

/// What a push reports as it goes.
#[derive(Debug, Clone, Copy)]
pub enum PushProgress<'a> {
    /// Counting the local triples (no longer a pass of its own: not sent).
    Counting,
    /// Counted: this many triples to send in all.
    Total(u64),
    /// Loading into a graph's staging graph.
    Graph(&'a NamedNode),
    /// A batch was accepted: triples sent so far, in all.
    Sent(u64),
    /// Swapping the staging graphs in.
    Swapping,
    /// Counting on the server.
    Checking,
}

/// One pushed graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushedGraph {
    /// Where it went.
    pub target: NamedNode,
    /// Which local graph it is (`None`: the default graph).
    pub source: Option<NamedNode>,
    /// Local triples.
    pub local: u64,
    /// Triples on the server after the push, when checked.
    pub remote: Option<u64>,
}

/// What a push did.
#[derive(Debug, Clone)]
pub struct PushReport {
    /// The graphs.
    pub graphs: Vec<PushedGraph>,
    /// How the triples went.
    pub protocol: Protocol,
    /// Requests that carried triples.
    pub batches: u64,
    /// The new push id (in the push record).
    pub push_id: String,
    /// Named graphs of an earlier push that this one dropped.
    pub dropped: Vec<NamedNode>,
    /// Where the time went.
    pub phases: PushPhases,
}

/// Where the time of a push went (wall clock, one phase after the other).
#[derive(Debug, Clone, Copy, Default)]
pub struct PushPhases {
    /// Listing the graphs, checking the targets, reading the earlier push record.
    pub planning: Duration,
    /// Reading the local store and cutting it into batches (loading, requests aside).
    pub reading: Duration,
    /// Writing batches as N-Triples or `INSERT DATA`.
    pub serializing: Duration,
    /// In the batches' requests: sending them and waiting for the server to load them.
    pub requests: Duration,
    /// The update that moves the staging graphs in and writes the push record.
    pub swapping: Duration,
    /// Counting the targets on the server.
    pub checking: Duration,
}

/// Why a push failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PushError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Remote(#[from] RemoteError),
    #[error(
        "{graph} already holds {triples} triples on the server: give --replace to swap it for this store's graph"
    )]
    TargetExists { graph: NamedNode, triples: u64 },
    #[error("the store has a named graph that is a blank node ({0}): a server cannot name it")]
    BlankGraphName(String),
    #[error(
        "the named graph {0} of the store is also the target of its default graph: choose another --graph"
    )]
    TargetClash(NamedNode),
    #[error(
        "the push stopped while loading {graph}: {source}\nthe target graphs are as they were; the staging graph {staging} may be left behind, and the next kg push clears it and starts over"
    )]
    Stopped {
        graph: NamedNode,
        staging: NamedNode,
        #[source]
        source: RemoteError,
    },
    #[error(
        "the push stopped while loading {graph} directly (without staging): {source}\nthe target holds part of the push: run kg push again with --replace"
    )]
    StoppedDirect {
        graph: NamedNode,
        #[source]
        source: RemoteError,
    },
    #[error("replacing a graph needs staging: --replace and --no-staging do not go together")]
    ReplaceWithoutStaging,
    #[error("the server has no Graph Store at {0} (choose --protocol update or auto)")]
    NoGraphStore(String),
    #[error("the server holds other counts than the store:\n{}", mismatch_lines(.0))]
    Mismatch(Vec<PushedGraph>),
}

fn mismatch_lines(graphs: &[PushedGraph]) -> String {
    graphs
        .iter()
        .filter(|g| g.remote != Some(g.local))
        .map(|g| {
            let remote = g.remote.map_or_else(|| "?".to_owned(), |n| n.to_string());
            format!(
                "  {}: {} local triples, {remote} on the server (a server that normalises literals, as Virtuoso does with 1 and true, can merge triples)",
                g.target, g.local
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Pushes every graph of `source` (see the module documentation).
///
/// # Errors
/// [`PushError`]: refused targets, read errors, remote errors (with what is left behind), a
/// count mismatch.
pub fn push(
    source: &dyn GraphReader,
    service: &Service,
    options: &PushOptions,
    progress: &dyn Fn(PushProgress<'_>),
) -> Result<PushReport, PushError> {
    if options.replace && !options.staging {
        return Err(PushError::ReplaceWithoutStaging);
    }
    let started = Instant::now();
    let graphs = plan(source, options, progress)?;

    // Nothing is written before every target has been checked (and the credentials with it).
    for graph in &graphs {
        let triples = service.count(&graph.target)?;
        if triples > 0 && !options.replace {
            return Err(PushError::TargetExists {
                graph: graph.target.clone(),
                triples,
            });
        }
    }
    let earlier = PushRecord::read_all(service)?
        .into_iter()
        .find(|r| r.graph == options.graph);

    let mut phases = PushPhases {
        planning: started.elapsed(),
        ..PushPhases::default()
    };
    let loading = Instant::now();
    let mut loader = Loader {
        service,
        protocol: options.protocol,
        batch_size: options.batch_size,
        batches: 0,
        sent: 0,
        no_transaction: false,
        serializing: Duration::ZERO,
        requests: Duration::ZERO,
        progress,
    };
    let mut graphs = graphs;
    for graph in &mut graphs {
        let staging = if options.staging {
            staging_graph(&graph.target)
        } else {
            graph.target.clone()
        };
        progress(PushProgress::Graph(&graph.target));
        let stopped = |source: RemoteError| {
            if options.staging {
                PushError::Stopped {
                    graph: graph.target.clone(),
                    staging: staging.clone(),
                    source,
                }
            } else {
                PushError::StoppedDirect {
                    graph: graph.target.clone(),
                    source,
                }
            }
        };
        if options.staging {
            service
                .update(&format!("DROP SILENT GRAPH {staging}"))
                .map_err(stopped)?;
        }
        let triples = loader.load(source, graph, &staging).map_err(|e| match e {
            PushError::Remote(e) => stopped(e),
            e => e,
        })?;
        graph.local = triples;
    }

    phases.serializing = loader.serializing;
    phases.requests = loader.requests;
    phases.reading = loading
        .elapsed()
        .saturating_sub(loader.serializing + loader.requests);
    progress(PushProgress::Swapping);
    let swapping = Instant::now();
    let (push_id, dropped) = swap(source, service, options, &graphs, earlier)?;
    phases.swapping = swapping.elapsed();
    let mut report = PushReport {
        protocol: loader.protocol,
        batches: loader.batches,
        graphs,
        push_id,
        dropped,
        phases,
    };
    if !options.verify {
        return Ok(report);
    }
    progress(PushProgress::Checking);
    let checking = Instant::now();
    for graph in &mut report.graphs {
        graph.remote = Some(service.count(&graph.target)?);
    }
    report.phases.checking = checking.elapsed();
    if report.graphs.iter().any(|g| g.remote != Some(g.local)) {
        return Err(PushError::Mismatch(report.graphs));
    }
    Ok(report)
}

/// The graphs to push, with their local counts.
fn plan(
    source: &dyn GraphReader,
    options: &PushOptions,
    progress: &dyn Fn(PushProgress<'_>),
) -> Result<Vec<PushedGraph>, PushError> {
    let mut graphs = vec![PushedGraph {
        target: options.graph.clone(),
        source: None,
        local: 0,
        remote: None,
    }];
    for name in source.named_graphs()? {
        let NamedOrBlankNode::NamedNode(name) = name else {
            return Err(PushError::BlankGraphName(name.to_string()));
        };
        if options.skip.contains(&name) {
            continue;
        }
        if name == options.graph {
            return Err(PushError::TargetClash(name));
        }
        // kg's inferred graph has one IRI in every store: on a server shared by several graphs
        // it goes under its own target's IRI, so that two pushes never meet.
        let target = if name.as_ref() == kg::INFERRED {
            inferred_target(&options.graph)
        } else {
            name.clone()
        };
        graphs.push(PushedGraph {
            target,
            source: Some(name),
            local: 0,
            remote: None,
        });
    }
    // The local triples are counted while they are sent (one read of the store, not two);
    // the progress bar gets the caller's estimate.
    if let Some(expected) = options.expected {
        progress(PushProgress::Total(expected));
    }
    Ok(graphs)
}

/// One update: every staging graph moved onto its target, named graphs of the earlier push
/// that are gone dropped, the push record rewritten. Gives back the push id and the dropped.
fn swap(
    source: &dyn GraphReader,
    service: &Service,
    options: &PushOptions,
    graphs: &[PushedGraph],
    earlier: Option<PushRecord>,
) -> Result<(String, Vec<NamedNode>), PushError> {
    let push_id = format!("{}-{}", unix_seconds(), digest::cnonce());
    let named: Vec<NamedNode> = graphs.iter().filter_map(|g| g.source.clone()).collect();
    let dropped: Vec<NamedNode> = earlier
        .map(|r| r.named_graphs)
        .unwrap_or_default()
        .into_iter()
        .filter(|g| !named.contains(g) && *g != options.graph)
        .collect();
    let record = PushRecord {
        graph: options.graph.clone(),
        push_id: push_id.clone(),
        triples: graphs.first().map_or(0, |g| g.local),
        pushed_at: date_time(unix_seconds()),
        base: options.base.clone(),
        prefixes: source.prefixes().clone(),
        named_graphs: named,
    };
    let mut update: Vec<String> = graphs
        .iter()
        .filter_map(|g| {
            if g.local == 0 {
                Some(format!("DROP SILENT GRAPH {}", g.target))
            } else {
                // Without staging the triples are in the target already.
                options
                    .staging
                    .then(|| format!("MOVE {} TO {}", staging_graph(&g.target), g.target))
            }
        })
        .collect();
    update.extend(dropped.iter().map(|g| format!("DROP SILENT GRAPH {g}")));
    update.push(record.update());
    service.update(&update.join(" ;\n"))?;
    Ok((push_id, dropped))
}

fn scope(graph: &PushedGraph) -> GraphScope {
    graph
        .source
        .clone()
        .map_or(GraphScope::DefaultGraph, GraphScope::Named)
}

/// Sends batches, settling the protocol on the first one when asked to choose.
struct Loader<'a> {
    service: &'a Service,
    protocol: Protocol,
    batch_size: Option<usize>,
    batches: u64,
    sent: u64,
    /// The server is oxigraph: Graph Store POSTs skip its per-request transaction.
    no_transaction: bool,
    serializing: Duration,
    requests: Duration,
    progress: &'a dyn Fn(PushProgress<'_>),
}

impl Loader<'_> {
    fn size(&self) -> usize {
        self.batch_size.unwrap_or(match self.protocol {
            Protocol::Update => UPDATE_BATCH,
            Protocol::Auto | Protocol::GraphStore => GRAPH_STORE_BATCH,
        })
    }

    /// Loads one graph; gives back its number of triples (counted as they go: the store is
    /// read once).
    fn load(
        &mut self,
        source: &dyn GraphReader,
        graph: &PushedGraph,
        staging: &NamedNode,
    ) -> Result<u64, PushError> {
        let mut batcher = Batcher::new(self.size());
        let mut count = 0;
        for quad in source.quads(&scope(graph))? {
            let quad = quad?;
            count += 1;
            debug_assert!(
                quad.graph_name == GraphName::DefaultGraph || graph.source.is_some(),
                "a quad of another graph"
            );
            if let Some(batch) = batcher.push(Triple::from(quad)) {
                self.send(staging, &batch)?;
            }
        }
        for batch in batcher.finish() {
            self.send(staging, &batch)?;
        }
        Ok(count)
    }

    fn send(&mut self, staging: &NamedNode, batch: &[Triple]) -> Result<(), PushError> {
        if self.protocol != Protocol::Update {
            let at = Instant::now();
            let body = ntriples(batch);
            self.serializing += at.elapsed();
            let at = Instant::now();
            let posted = self
                .service
                .graph_store_post(staging, &body, self.no_transaction);
            self.requests += at.elapsed();
            let posted = posted?;
            if let Some(server) = posted {
                self.protocol = Protocol::GraphStore;
                // The staging graph need not be loaded atomically (the swap is): oxigraph's
                // bulk loader takes the next batches.
                self.no_transaction = server.starts_with("Oxigraph/");
                self.accepted(batch.len());
                return Ok(());
            }
            if self.protocol == Protocol::GraphStore {
                return Err(PushError::NoGraphStore(
                    self.service
                        .endpoint
                        .graph_store
                        .clone()
                        .unwrap_or_else(|| "(none given)".to_owned()),
                ));
            }
            self.protocol = Protocol::Update;
        }
        let size = self.batch_size.unwrap_or(UPDATE_BATCH);
        for chunk in batch.chunks(size.max(1)) {
            let at = Instant::now();
            let update = insert_data(staging, chunk);
            self.serializing += at.elapsed();
            let at = Instant::now();
            let done = self.service.update(&update);
            self.requests += at.elapsed();
            done?;
            self.accepted(chunk.len());
        }
        Ok(())
    }

    fn accepted(&mut self, triples: usize) {
        self.batches += 1;
        self.sent += triples as u64;
        (self.progress)(PushProgress::Sent(self.sent));
    }
}

fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// An `xsd:dateTime` in UTC for seconds since the Unix epoch.
fn date_time(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or_default();
    let rest = seconds % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_date_times() {
        assert_eq!(date_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(date_time(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(date_time(1_767_225_599), "2025-12-31T23:59:59Z");
    }
}
