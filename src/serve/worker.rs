//! The SPARQL worker: a child process (`kg serve --worker`) that opens the store read-only and
//! answers one [`WorkRequest`] at a time from stdin, streaming frames to stdout
//! ([`super::protocol`]). The server kills it when a query outlives its timeout or its memory
//! grows past the cap — the only way to stop oxigraph's in-memory work (sorts, groups, joins),
//! which checks cancellation only on store reads.
//!
//! Each request reads the store's `CURRENT` pointer: after `kg build` swaps in a generation,
//! the next query opens it; the one in flight finishes on the generation it opened.

use std::io::{self, BufRead, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use oxigraph::io::RdfSerializer;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryResults, QuerySolution, SparqlEvaluator,
};

use super::negotiate::{self, Answer, Chosen};
use super::protocol::{Frame, FrameWriter, WorkHead, WorkRequest};
use crate::export::rdf::rdf_format;
use crate::query::{QueryError, ResultFormat};
use crate::read::{GraphReader, SparqlDataset};
use crate::store::{LocalGraph, StoreDir, StoreError};

/// Why the worker stopped.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The pipe to the server failed.
    #[error("worker pipe: {0}")]
    Io(#[from] io::Error),
}

/// Serves requests from `input` until it closes.
///
/// # Errors
/// When the pipe fails; query errors are answered, not returned.
pub fn run(
    store: &StoreDir,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
) -> Result<(), WorkerError> {
    let mut open: Option<LocalGraph> = None;
    let watchdog = Watchdog::start();
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let request: WorkRequest = match serde_json::from_str(&line) {
            Ok(request) => request,
            Err(e) => {
                error(
                    output,
                    400,
                    "bad_request",
                    &format!("worker request: {e}"),
                    None,
                )?;
                continue;
            }
        };
        match current(store, &mut open) {
            Ok(graph) => answer(graph, &watchdog, &request, output)?,
            Err(e) => error(output, 503, "store", &e.to_string(), None)?,
        }
    }
}

/// The current generation, reopened when `CURRENT` moved.
fn current<'a>(
    store: &StoreDir,
    open: &'a mut Option<LocalGraph>,
) -> Result<&'a LocalGraph, StoreError> {
    let generation = store.current()?;
    let stale = open
        .as_ref()
        .is_none_or(|g| g.generation().dir() != generation.dir());
    if stale {
        *open = None;
        *open = Some(LocalGraph::open(generation)?);
    }
    open.as_ref()
        .ok_or_else(|| StoreError::NotBuilt(store.root().to_path_buf()))
}

/// Writes an error answer: a head with the status, then a JSON body.
fn error(
    out: &mut dyn Write,
    status: u16,
    kind: &str,
    message: &str,
    position: Option<(u64, u64)>,
) -> io::Result<()> {
    let mut body = serde_json::json!({ "error": message, "kind": kind });
    if let Some((line, column)) = position {
        body["line"] = line.into();
        body["column"] = column.into();
    }
    let bytes = serde_json::to_vec(&body).map_err(io::Error::other)?;
    Frame::Head(WorkHead {
        status,
        media_type: "application/json".into(),
        error: true,
        ..WorkHead::default()
    })
    .write(out)?;
    Frame::Data(bytes).write(out)?;
    Frame::End.write(out)?;
    out.flush()
}

/// The line and column of an oxigraph syntax error ("error at 3:14: expected ...").
pub fn syntax_position(message: &str) -> Option<(u64, u64)> {
    let rest = &message[message.find("error at ")? + "error at ".len()..];
    let (line, rest) = rest.split_once(':')?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// Cancels each query at its timeout: one thread for the worker's life, which looks at the
/// query in flight at least every [`WATCH_PERIOD`]. Arming and disarming only take a lock: a
/// thread a query, or a wake-up a query, cost more than the smallest queries. The thread is
/// woken only when it went to sleep with nothing to watch.
struct Watchdog(Arc<(Mutex<Watched>, Condvar)>);

#[derive(Default)]
struct Watched {
    query: Option<(Instant, CancellationToken)>,
    idle: bool,
    stopped: bool,
}

/// How late a cancellation may come (the server's own deadline has more grace than this).
const WATCH_PERIOD: Duration = Duration::from_millis(50);

impl Watchdog {
    fn start() -> Self {
        let shared = Arc::new((Mutex::new(Watched::default()), Condvar::new()));
        let state = Arc::clone(&shared);
        std::thread::spawn(move || {
            let (lock, wake) = &*state;
            let mut watched = lock.lock().unwrap_or_else(PoisonError::into_inner);
            while !watched.stopped {
                let Some((deadline, token)) = &watched.query else {
                    watched.idle = true;
                    watched = wake.wait(watched).unwrap_or_else(PoisonError::into_inner);
                    watched.idle = false;
                    continue;
                };
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    token.cancel();
                    watched.query = None;
                    continue;
                }
                watched = wake
                    .wait_timeout(watched, left.min(WATCH_PERIOD))
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
        });
        Self(shared)
    }

    fn state(&self) -> MutexGuard<'_, Watched> {
        self.0.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Watches one query until `timeout`; the watch ends when the returned guard is dropped.
    fn watch(&self, timeout: Duration, token: CancellationToken) -> Watch<'_> {
        let mut watched = self.state();
        watched.query = Some((Instant::now() + timeout, token));
        if watched.idle {
            self.0.1.notify_one();
        }
        Watch(self)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.state().stopped = true;
        self.0.1.notify_one();
    }
}

/// One query under watch.
struct Watch<'a>(&'a Watchdog);

impl Drop for Watch<'_> {
    fn drop(&mut self) {
        self.0.state().query = None;
    }
}

fn answer(
    graph: &LocalGraph,
    watchdog: &Watchdog,
    request: &WorkRequest,
    out: &mut dyn Write,
) -> io::Result<()> {
    match evaluate(graph, watchdog, request, out) {
        Ok(()) => Ok(()),
        Err(Failure::Io(e)) => Err(e),
        Err(Failure::Answer {
            status,
            kind,
            message,
        }) => {
            let position = (kind == "syntax")
                .then(|| syntax_position(&message))
                .flatten();
            error(out, status, kind, &message, position)
        }
    }
}

enum Failure {
    Io(io::Error),
    Answer {
        status: u16,
        kind: &'static str,
        message: String,
    },
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Self::Io(e)
    }
}

impl Failure {
    #[allow(clippy::needless_pass_by_value)]
    fn answer(status: u16, kind: &'static str, message: impl ToString) -> Self {
        Self::Answer {
            status,
            kind,
            message: message.to_string(),
        }
    }
}

fn named(iris: &[String], what: &str) -> Result<Vec<NamedNode>, Failure> {
    iris.iter()
        .map(|iri| {
            NamedNode::new(iri.as_str())
                .map_err(|e| Failure::answer(400, "bad_request", format!("{what} <{iri}>: {e}")))
        })
        .collect()
}

fn evaluate(
    graph: &LocalGraph,
    watchdog: &Watchdog,
    request: &WorkRequest,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    // The limits of `kg query`'s defaults, before the parser sees the text.
    crate::query::screen(&request.query, &crate::query::SyntaxLimits::DEFAULT)
        .map_err(|e| Failure::answer(400, "too_large", e))?;
    let cancellation = CancellationToken::new();
    let query =
        crate::query::parse(&request.query, graph.prefixes(), None).map_err(|e| match e {
            QueryError::Syntax(message) => Failure::answer(400, "syntax", message),
            e => Failure::answer(400, "bad_request", e),
        })?;
    // The server's screen refuses SERVICE before a worker is used; the parsed query is
    // checked too, as `kg query` does, so that no spelling of it reaches the evaluator.
    if let Some(endpoint) = crate::query::refuse::first_service(&query) {
        return Err(Failure::answer(
            400,
            "service",
            QueryError::Service { endpoint },
        ));
    }
    let default_graphs = named(&request.default_graphs, "default-graph-uri")?;
    let named_graphs = named(&request.named_graphs, "named-graph-uri")?;
    let SparqlDataset::Local {
        store,
        default_graphs: reader_defaults,
    } = graph.sparql()
    else {
        return Err(Failure::answer(
            500,
            "internal",
            "the worker reads a local store",
        ));
    };
    let mut prepared = SparqlEvaluator::new()
        .with_cancellation_token(cancellation.clone())
        .for_query(query);
    if !default_graphs.is_empty() {
        prepared
            .dataset_mut()
            .set_default_graph(default_graphs.into_iter().map(GraphName::from).collect());
    } else if reader_defaults != [GraphName::DefaultGraph] {
        prepared.dataset_mut().set_default_graph(reader_defaults);
    }
    if !named_graphs.is_empty() {
        prepared.dataset_mut().set_available_named_graphs(
            named_graphs
                .into_iter()
                .map(NamedOrBlankNode::from)
                .collect(),
        );
    }
    // The watchdog cancels the query at the timeout; dropping `_watched` ends the watch.
    let timeout = Duration::from_millis(request.timeout_ms.max(1));
    let _watched = watchdog.watch(timeout, cancellation.clone());
    let failed = |e: QueryEvaluationError| match e {
        QueryEvaluationError::Cancelled => Failure::answer(
            503,
            "timeout",
            format!("the query ran longer than the {timeout:?} timeout and was stopped"),
        ),
        e => Failure::answer(400, "evaluation", e),
    };
    let results = prepared.on_store(&store).execute().map_err(failed)?;
    match results {
        QueryResults::Boolean(value) => {
            let format = results_choice(request)?;
            head(out, format.media_type(), u64::from(value), false)?;
            let mut body = FrameWriter::new(out);
            QueryResultsSerializer::from_format(results_format(format))
                .serialize_boolean_to_writer(&mut body, value)?;
            body.finish()?;
        }
        QueryResults::Solutions(solutions) => {
            let format = results_choice(request)?;
            let variables = solutions.variables().to_vec();
            let (rows, truncated) = bounded(solutions, request.max_rows, &failed)?;
            head(out, format.media_type(), rows.len() as u64, truncated)?;
            write_solutions(out, format, variables, &rows, truncated)?;
        }
        QueryResults::Graph(triples) => {
            let chosen = negotiate::choose(
                Answer::Graph,
                request.format.as_deref(),
                &request.accept,
                &negotiate::TRIPLE_FORMATS,
            )
            .map_err(|e| Failure::answer(406, "not_acceptable", e))?;
            let Chosen::Rdf(format) = chosen else {
                return Err(Failure::answer(500, "internal", "rdf format"));
            };
            let (kept, truncated) = bounded(triples, request.max_rows, &failed)?;
            head(out, format.media_type(), kept.len() as u64, truncated)?;
            write_triples(out, graph, format, &kept)?;
        }
    }
    Ok(())
}

/// The results format the request accepts.
fn results_choice(request: &WorkRequest) -> Result<ResultFormat, Failure> {
    match negotiate::choose(
        Answer::Results,
        request.format.as_deref(),
        &request.accept,
        &negotiate::TRIPLE_FORMATS,
    ) {
        Ok(Chosen::Results(format)) => Ok(format),
        Ok(Chosen::Rdf(_)) => Err(Failure::answer(500, "internal", "results format")),
        Err(e) => Err(Failure::answer(406, "not_acceptable", e)),
    }
}

/// The first `max` items, and whether there were more (one more is pulled to know).
fn bounded<T>(
    items: impl Iterator<Item = Result<T, QueryEvaluationError>>,
    max: u64,
    failed: &dyn Fn(QueryEvaluationError) -> Failure,
) -> Result<(Vec<T>, bool), Failure> {
    let mut kept = Vec::new();
    for item in items {
        let item = item.map_err(failed)?;
        if kept.len() as u64 >= max {
            return Ok((kept, true));
        }
        kept.push(item);
    }
    Ok((kept, false))
}

fn write_solutions(
    out: &mut dyn Write,
    format: ResultFormat,
    variables: Vec<oxigraph::model::Variable>,
    rows: &[QuerySolution],
    truncated: bool,
) -> Result<(), Failure> {
    let mut body = FrameWriter::new(out);
    {
        let mut target = HoldBack::new(&mut body, truncated && format == ResultFormat::Json);
        let mut serializer = QueryResultsSerializer::from_format(results_format(format))
            .serialize_solutions_to_writer(&mut target, variables)?;
        for row in rows {
            serializer.serialize(row)?;
        }
        serializer.finish()?;
        target.finish()?;
    }
    body.finish()?;
    Ok(())
}

fn write_triples(
    out: &mut dyn Write,
    graph: &LocalGraph,
    format: crate::export::ExportFormat,
    triples: &[Triple],
) -> Result<(), Failure> {
    let mut body = FrameWriter::new(out);
    let rdf = rdf_format(format).ok_or_else(|| Failure::answer(500, "internal", "rdf"))?;
    let mut serializer = RdfSerializer::from_format(rdf);
    if format != crate::export::ExportFormat::NTriples {
        for (prefix, namespace) in graph.prefixes() {
            serializer = serializer
                .with_prefix(prefix.as_str(), namespace.as_str())
                .map_err(|e| Failure::answer(500, "internal", e))?;
        }
    }
    let mut writer = serializer.for_writer(&mut body);
    for triple in triples {
        writer.serialize_triple(triple)?;
    }
    writer.finish()?;
    body.finish()?;
    Ok(())
}

fn results_format(format: ResultFormat) -> QueryResultsFormat {
    match format {
        ResultFormat::Xml => QueryResultsFormat::Xml,
        ResultFormat::Csv => QueryResultsFormat::Csv,
        ResultFormat::Tsv => QueryResultsFormat::Tsv,
        _ => QueryResultsFormat::Json,
    }
}

/// The answer's head. Not flushed: the body is computed already, and the head leaves with its
/// first chunk (one write to the pipe, one wake-up of the server, for a small answer).
fn head(out: &mut dyn Write, media_type: &str, rows: u64, truncated: bool) -> io::Result<()> {
    Frame::Head(WorkHead {
        status: 200,
        media_type: media_type.to_owned(),
        rows,
        truncated,
        error: false,
    })
    .write(out)
}

/// Passes bytes through, holding back the JSON document's closing brace so that
/// `"truncated":true` can be added as a top-level member before it.
struct HoldBack<'a> {
    out: &'a mut dyn Write,
    active: bool,
    held: Vec<u8>,
}

impl<'a> HoldBack<'a> {
    fn new(out: &'a mut dyn Write, active: bool) -> Self {
        Self {
            out,
            active,
            held: Vec::new(),
        }
    }

    fn finish(self) -> io::Result<()> {
        if !self.active {
            return Ok(());
        }
        // What is held is the tail after the last byte passed: the final `}` and spaces.
        let text = String::from_utf8_lossy(&self.held);
        let Some(brace) = text.rfind('}') else {
            return self.out.write_all(&self.held);
        };
        self.out.write_all(&self.held[..brace])?;
        self.out.write_all(b",\"truncated\":true}")?;
        self.out.write_all(&self.held[brace + 1..])
    }
}

impl Write for HoldBack<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if !self.active {
            return self.out.write(bytes);
        }
        self.held.extend_from_slice(bytes);
        // Keep only what follows the last non-space byte before the final brace: at most a
        // few bytes stay held.
        let keep_from = self
            .held
            .iter()
            .rposition(|&b| b == b'}')
            .unwrap_or(self.held.len());
        let passed: Vec<u8> = self.held.drain(..keep_from).collect();
        self.out.write_all(&passed)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Waits (bounded) for the token to be cancelled.
    fn cancelled_within(token: &CancellationToken, bound: Duration) -> bool {
        let until = Instant::now() + bound;
        while Instant::now() < until {
            if token.is_cancelled() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        token.is_cancelled()
    }

    #[test]
    fn the_watchdog_cancels_only_queries_past_their_timeout() {
        let watchdog = Watchdog::start();
        // A query that ends in time is not cancelled, even after its deadline has passed.
        let quick = CancellationToken::new();
        drop(watchdog.watch(Duration::from_millis(100), quick.clone()));
        assert!(!cancelled_within(&quick, Duration::from_millis(300)));
        // The watchdog went idle meanwhile: the next watch wakes it, and it cancels.
        let slow = CancellationToken::new();
        let watched = watchdog.watch(Duration::from_millis(100), slow.clone());
        assert!(cancelled_within(&slow, Duration::from_secs(10)));
        drop(watched);
        // A long timeout is not cut short by the periodic looks.
        let long = CancellationToken::new();
        let _watched = watchdog.watch(Duration::from_secs(60), long.clone());
        assert!(!cancelled_within(&long, WATCH_PERIOD * 4));
    }

    #[test]
    fn finds_the_position_of_syntax_errors() {
        assert_eq!(
            syntax_position("SPARQL syntax error: error at 3:14: expected one of ..."),
            Some((3, 14))
        );
        assert_eq!(syntax_position("nothing here"), None);
    }

    #[test]
    fn adds_truncated_to_a_json_document() {
        let mut out = Vec::new();
        let mut hold = HoldBack::new(&mut out, true);
        hold.write_all(b"{\"head\":{\"vars\":[]},").unwrap();
        hold.write_all(b"\"results\":{\"bindings\":[{}]}}").unwrap();
        hold.finish().unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["truncated"], true);
        assert_eq!(value["results"]["bindings"].as_array().unwrap().len(), 1);
    }
}
