//! `/sparql`: the [SPARQL 1.1 Protocol](https://www.w3.org/TR/sparql11-protocol/) — a query by
//! GET (`?query=`), by POST of a form (`application/x-www-form-urlencoded`) or directly
//! (`application/sparql-query`), with `default-graph-uri` and `named-graph-uri`; answers
//! negotiated by `Accept` (or `?format=`). With no query, the endpoint describes itself
//! ([`super::description`]). Updates are refused: the server is read-only.
//!
//! Answers carry `kg-truncated: true|false` and `kg-rows: N`; a SPARQL JSON answer cut at the
//! row limit also has a top-level `"truncated": true`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::app::AppState;
use super::body::{ApiError, ChannelBody, read_body};
use super::guard::{GuardError, check_query};
use super::pool::PoolError;
use super::protocol::WorkRequest;
use super::{description, params::Params};

/// The response header that says whether the row limit cut the answer.
pub const TRUNCATED: &str = "kg-truncated";
/// The response header with the rows (or triples) sent.
pub const ROWS: &str = "kg-rows";

/// GET `/sparql`.
pub async fn get(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let params = Params::of_query(request.uri().query());
    if params.get("update").is_some() {
        return refused_update();
    }
    match params.get("query") {
        Some(query) => run(&state, &headers, query.to_owned(), &params).await,
        None => description::answer(&state, &headers, request.uri()),
    }
}

/// POST `/sparql`: a form or a direct query.
pub async fn post(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let limits = &state.config.limits;
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let bytes = match read_body(body, declared, limits.body, limits.body_timeout).await {
        Ok(bytes) => bytes,
        Err(e) => return e.into_response(),
    };
    let media = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let url_params = Params::of_query(parts.uri.query());
    match media.as_str() {
        "application/x-www-form-urlencoded" => {
            let form = Params::of_form(&bytes);
            if form.get("update").is_some() {
                return refused_update();
            }
            let Some(query) = form.get("query") else {
                return ApiError::bad_request("the form has no query parameter").into_response();
            };
            let query = query.to_owned();
            run(&state, &parts.headers, query, &form.and(url_params)).await
        }
        "application/sparql-query" => match String::from_utf8(bytes.to_vec()) {
            Ok(query) => run(&state, &parts.headers, query, &url_params).await,
            Err(_) => ApiError::bad_request("the query is not UTF-8").into_response(),
        },
        "application/sparql-update" => refused_update(),
        other => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "a query is POSTed as application/x-www-form-urlencoded or application/sparql-query, not {other:?}"
            ),
        )
        .into_response(),
    }
}

fn refused_update() -> Response {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "read_only",
        "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) is refused; rebuild with `kg build` instead",
    )
    .into_response()
}

/// Whether a text that is no query is an update, to say so rather than "syntax error".
fn looks_like_update(query: &str) -> bool {
    let words: Vec<String> = query
        .split(|c: char| c.is_whitespace() || c == '{')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_uppercase)
        .collect();
    let mut words = words.iter().skip_while(|w| {
        matches!(w.as_str(), "PREFIX" | "BASE") || w.ends_with(':') || w.starts_with('<')
    });
    words.next().is_some_and(|w| {
        matches!(
            w.as_str(),
            "INSERT"
                | "DELETE"
                | "LOAD"
                | "CLEAR"
                | "CREATE"
                | "DROP"
                | "COPY"
                | "MOVE"
                | "ADD"
                | "WITH"
        )
    })
}

async fn run(state: &AppState, headers: &HeaderMap, query: String, params: &Params) -> Response {
    if let Err(e) = check_query(&query) {
        let (line, column) = match e {
            GuardError::TooDeep { line, column, .. } | GuardError::Service { line, column } => {
                (line, column)
            }
        };
        let kind = match e {
            GuardError::TooDeep { .. } => "too_deep",
            GuardError::Service { .. } => "service",
        };
        return ApiError::new(StatusCode::BAD_REQUEST, kind, e)
            .with("line", line)
            .with("column", column)
            .into_response();
    }
    let limits = &state.config.limits;
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let request = WorkRequest {
        query,
        accept,
        format: params.get("format").map(str::to_owned),
        default_graphs: params.all("default-graph-uri"),
        named_graphs: params.all("named-graph-uri"),
        max_rows: limits.rows,
        timeout_ms: u64::try_from(limits.timeout.as_millis()).unwrap_or(u64::MAX),
    };
    let is_update = looks_like_update(&request.query);
    let lease = match state.pool.lease().await {
        Ok(lease) => lease,
        Err(e) => return pool_error(&e),
    };
    let answer = match lease.run(&request).await {
        Ok(answer) => answer,
        Err(e) => return pool_error(&e),
    };
    let head = answer.head;
    let status = StatusCode::from_u16(head.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if head.error && status == StatusCode::BAD_REQUEST && is_update {
        return refused_update();
    }
    let mut response = Response::new(ChannelBody::body(answer.body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(media) = HeaderValue::from_str(&head.media_type) {
        headers.insert(header::CONTENT_TYPE, media);
    }
    if !head.error {
        headers.insert(
            TRUNCATED,
            HeaderValue::from_static(if head.truncated { "true" } else { "false" }),
        );
        headers.insert(ROWS, HeaderValue::from(head.rows));
        headers.insert(header::VARY, HeaderValue::from_static("accept"));
    }
    response
}

fn pool_error(error: &PoolError) -> Response {
    let (status, kind) = match error {
        PoolError::Overloaded { .. } => (StatusCode::SERVICE_UNAVAILABLE, "overloaded"),
        PoolError::Timeout(_) => (StatusCode::SERVICE_UNAVAILABLE, "timeout"),
        PoolError::Memory(_) => (StatusCode::SERVICE_UNAVAILABLE, "memory"),
        PoolError::Worker(_) => (StatusCode::INTERNAL_SERVER_ERROR, "worker"),
    };
    ApiError::new(status, kind, error).into_response()
}

/// A body from bytes, for the description and small answers.
pub(crate) fn bytes_response(media_type: &'static str, bytes: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(bytes));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response
}

#[cfg(test)]
mod tests {
    use super::looks_like_update;

    #[test]
    fn recognises_updates() {
        assert!(looks_like_update("INSERT DATA { <a> <b> <c> }"));
        assert!(looks_like_update("PREFIX ex: <http://e/> LOAD <http://x/>"));
        assert!(looks_like_update("delete where { ?s ?p ?o }"));
        assert!(!looks_like_update("SELECT * WHERE { ?s ?p ?o }"));
        assert!(!looks_like_update(
            "PREFIX ex: <http://e/> ASK { ?s ex:insert ?o }"
        ));
    }
}
