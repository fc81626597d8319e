//! Accepting connections: HTTP/1.1 with a deadline on each request's headers (a client that
//! sends them byte by byte is cut off), a cap on open connections, the generation watch, and
//! a clean shutdown on SIGINT or SIGTERM that finishes the requests in flight.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

use super::app::{AppState, router};
use super::generation::{Current, GenerationError};
use super::pool::{Pool, PoolConfig, PoolError};
use super::{Event, ServeConfig};

/// How long shutdown waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(30);

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ServeError {
    /// The address could not be bound.
    #[error("listening on {address}: {source}")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] GenerationError),
    /// The SPARQL workers could not be started.
    #[error(transparent)]
    Workers(#[from] PoolError),
    /// The async runtime or the signal handlers could not be set up.
    #[error("starting the server: {0}")]
    Runtime(#[from] std::io::Error),
}

/// Runs the server until SIGINT or SIGTERM: binds `config.bind`, sends
/// [`Event::Listening`] with the bound address (port 0 picks a free one), serves, then
/// finishes the requests in flight (for up to 30 s) and stops the workers.
///
/// # Errors
/// [`ServeError`] when it cannot start.
pub fn run(config: ServeConfig) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("kg-serve")
        .build()?;
    runtime.block_on(serve(config))
}

async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let store = config.store.clone();
    let current = Arc::new(
        tokio::task::spawn_blocking(move || Current::open(store))
            .await
            .map_err(|e| ServeError::Runtime(std::io::Error::other(e.to_string())))??,
    );
    let limits = &config.limits;
    let pool = Pool::new(
        PoolConfig {
            command: config.worker_command.clone(),
            workers: limits.workers,
            queue: limits.queue,
            queue_wait: limits.queue_wait,
            timeout: limits.timeout,
            memory: limits.memory,
        },
        config.events.clone(),
    );
    pool.warm()?;
    let listener = TcpListener::bind(config.bind)
        .await
        .map_err(|source| ServeError::Bind {
            address: config.bind,
            source,
        })?;
    let address = listener.local_addr()?;
    let events = config.events.clone();
    let header_timeout = limits.header_timeout;
    let connections = Arc::new(Semaphore::new(limits.connections.max(1)));
    let watch = tokio::spawn(watch_generations(
        current.clone(),
        config.watch_interval,
        events.clone(),
    ));
    let state = AppState::new(config, current, pool);
    let app = router(state);
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut interrupt = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
    events(&Event::Listening { address });
    let graceful = GracefulShutdown::new();
    loop {
        let (stream, client) = tokio::select! {
            accepted = listener.accept() => if let Ok(accepted) = accepted {
                accepted
            } else {
                // Out of file descriptors and the like: wait a little rather than spin.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            },
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
        };
        // Answers go out as a head and body chunks: without this, Nagle's algorithm and the
        // client's delayed ACK hold each small answer for ~40 ms.
        let _ = stream.set_nodelay(true);
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            // Over the connection cap: close at once rather than queue.
            drop(stream);
            continue;
        };
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(axum::body::Body::new);
            request.extensions_mut().insert(ConnectInfo(client));
            let app = app.clone();
            async move { Ok::<_, Infallible>(app.oneshot(request).await.unwrap_or_else(|e| match e {})) }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    events(&Event::ShuttingDown);
    drop(listener);
    let _ = tokio::time::timeout(DRAIN, graceful.shutdown()).await;
    watch.abort();
    Ok(())
}

/// Checks the store's `CURRENT` pointer every `interval` and swaps the generation in use.
async fn watch_generations(current: Arc<Current>, interval: Duration, events: super::EventSink) {
    let mut tick = tokio::time::interval(interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_failure = String::new();
    loop {
        tick.tick().await;
        let current = current.clone();
        let Ok(refreshed) = tokio::task::spawn_blocking(move || current.refresh()).await else {
            continue;
        };
        match refreshed {
            Ok(Some(dir)) => {
                last_failure.clear();
                events(&Event::Generation { dir });
            }
            Ok(None) => {}
            Err(e) => {
                let reason = e.to_string();
                if reason != last_failure {
                    events(&Event::GenerationFailed {
                        reason: reason.clone(),
                    });
                    last_failure = reason;
                }
            }
        }
    }
}
