//! The HTTP application: the routes and the rules every response follows — a bearer token on
//! data routes when configured, CORS for one named origin only, a strict Content Security
//! Policy, and an access-log event per request.

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Instant;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::Semaphore;

use super::body::{ApiError, ChannelWriter, channel_body};
use super::generation::{Current, Opened};
use super::pool::{Load, Pool, Queued};
use super::{Event, ServeConfig, api, assets, download, graph_store, sparql};

/// The Content Security Policy of every response: nothing but this server's own files, no
/// inline script or style, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// What every route shares.
pub struct AppState {
    /// The configuration.
    pub config: ServeConfig,
    /// The generation answered from.
    pub current: Arc<Current>,
    /// The SPARQL workers.
    pub pool: Arc<Pool>,
    api_permits: Arc<Semaphore>,
    api_waiting: AtomicUsize,
}

impl AppState {
    /// The shared state.
    pub fn new(config: ServeConfig, current: Arc<Current>, pool: Arc<Pool>) -> Arc<Self> {
        Arc::new(Self {
            api_permits: Arc::new(Semaphore::new(config.limits.api.max(1))),
            config,
            current,
            pool,
            api_waiting: AtomicUsize::new(0),
        })
    }

    /// Runs a bounded in-process computation on the blocking pool, with the generation of the
    /// moment: at most `limits.api` at once, `limits.queue` waiting, then 503.
    ///
    /// # Errors
    /// 503 when overloaded; what `work` returns.
    pub async fn blocking<F>(&self, work: F) -> Result<Response, ApiError>
    where
        F: FnOnce(&Opened) -> Result<Response, ApiError> + Send + 'static,
    {
        let limits = &self.config.limits;
        let overloaded = || {
            ApiError::overloaded(format!(
                "the server is busy: {} answers being computed and {} waiting; try again shortly",
                limits.api, limits.queue
            ))
        };
        let permit = if let Ok(permit) = self.api_permits.clone().try_acquire_owned() {
            permit
        } else {
            let Some(_queued) = Queued::join(&self.api_waiting, limits.queue) else {
                return Err(overloaded());
            };
            let waited =
                tokio::time::timeout(limits.queue_wait, self.api_permits.clone().acquire_owned())
                    .await;
            match waited {
                Ok(Ok(permit)) => permit,
                _ => return Err(overloaded()),
            }
        };
        let opened = self.current.get();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let answer = work(&opened)?;
            // The projection is checked where it is read: an answer that met damage is not sent.
            if let Ok(projection) = crate::read::GraphReader::projection(&opened.graph) {
                projection.intact().map_err(ApiError::internal)?;
            }
            Ok(answer)
        })
        .await
        .map_err(|e| ApiError::internal(format!("the answer failed: {e}")))?
    }

    /// How busy the SPARQL workers and the API slots are now.
    pub fn load(&self) -> serde_json::Value {
        serde_json::json!({
            "sparql": self.pool.load(),
            "api": Load::of(&self.api_permits, self.config.limits.api.max(1), &self.api_waiting),
        })
    }

    /// Streams a body written on the blocking pool (an export, a graph): `check` runs first
    /// and may refuse with an error status; then `write` streams, holding its API slot until
    /// it ends. An error once bytes are on the way breaks the body off.
    ///
    /// # Errors
    /// 503 when overloaded; what `check` returns.
    pub async fn stream<C, W>(self: &Arc<Self>, check: C, write: W) -> Result<Response, ApiError>
    where
        C: FnOnce(&Opened) -> Result<Response, ApiError> + Send + 'static,
        W: FnOnce(&Opened, &mut ChannelWriter) -> Result<(), String> + Send + 'static,
    {
        let (slot, head) = tokio::sync::oneshot::channel();
        let (mut writer, body) = channel_body(self.config.limits.timeout);
        let state = self.clone();
        let task = tokio::spawn(async move {
            state
                .blocking(move |opened| {
                    let mut response = check(opened)?;
                    let _ = slot.send(std::mem::take(response.headers_mut()));
                    // Whole only when written whole; a failure drops the writer, which breaks
                    // the body off.
                    if write(opened, &mut writer).is_ok() {
                        let _ = writer.finish();
                    }
                    Ok(response)
                })
                .await
        });
        // The check's head comes first; the body follows as it is written.
        match head.await {
            Ok(headers) => {
                let mut response = Response::new(body);
                *response.headers_mut() = headers;
                Ok(response)
            }
            Err(_) => task
                .await
                .map_err(|e| ApiError::internal(format!("the answer failed: {e}")))?,
        }
    }
}

/// The router with every route and rule.
pub fn router(state: Arc<AppState>) -> Router {
    let data = Router::new()
        .route("/sparql", get(sparql::get).post(sparql::post))
        .route("/store", get(graph_store::get))
        .route("/api/info", get(api::info))
        .route("/api/load", get(api::load))
        .route("/api/suggest", get(api::suggest))
        .route("/api/lookup", get(api::lookup))
        .route("/api/path", get(api::path))
        .route("/api/neighbors", get(api::neighbors))
        .route("/api/rank", get(api::rank))
        .route("/api/sentence", get(api::sentence))
        .route("/api/explain", get(api::explain))
        .route("/api/validate", get(api::validate))
        .route("/api/export", get(download::get))
        .route_layer(middleware::from_fn_with_state(state.clone(), authorize));
    let mut app = Router::new()
        .route("/", get(assets::index))
        .route("/assets/{name}", get(assets::file))
        .route("/healthz", get(|| async { "ok\n" }))
        .merge(data)
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such page or route")
        })
        .layer(middleware::from_fn(secure));
    if let Some(origin) = &state.config.cors
        && let Ok(origin) = HeaderValue::from_str(origin)
    {
        app = app.layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::AllowOrigin::list([origin]))
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
                .expose_headers([
                    HeaderName::from_static(sparql::TRUNCATED),
                    HeaderName::from_static(sparql::ROWS),
                ]),
        );
    }
    app.layer(middleware::from_fn_with_state(state.clone(), log))
        .with_state(state)
}

/// Asks data routes for the bearer token, when one is configured. Compares in constant time.
async fn authorize(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let Some(token) = &state.config.token else {
        return next.run(request).await;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if constant_time_eq(given.trim().as_bytes(), token.as_bytes()) {
        return next.run(request).await;
    }
    let mut response = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "this server asks for a bearer token: send Authorization: Bearer <token>",
    )
    .into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"kg\""),
    );
    response
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut differ = u8::from(a.len() != b.len());
    for (i, &byte) in b.iter().enumerate() {
        differ |= byte ^ a.get(i).copied().unwrap_or(!byte);
    }
    differ == 0
}

/// The headers every response carries.
async fn secure(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Sends one access-log event per request (path only: query strings may hold data).
async fn log(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let path = request.uri().path().to_owned();
    let client = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| ([0, 0, 0, 0], 0).into(), |c| c.0);
    let response = next.run(request).await;
    (state.config.events)(&Event::Access {
        client,
        method,
        path,
        status: response.status().as_u16(),
        micros: started.elapsed().as_micros(),
    });
    response
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn compares_tokens() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secreT", b"secret"));
        assert!(!constant_time_eq(b"secret2", b"secret"));
        assert!(!constant_time_eq(b"", b"secret"));
    }
}
