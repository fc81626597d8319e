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
use super::pool::PoolError;
use super::protocol::WorkRequest;
use super::{description, params::Params};
use crate::query::refuse::is_update_keyword;
use crate::query::{Exceeded, QueryError, Screened, SyntaxLimits};

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

/// Screens the text as `kg query` does ([`crate::query::screen`]), before any parser or
/// worker sees it: too long, too deep or too many operators, and `SERVICE` anywhere, are 400
/// with the line and column. Returns whether the text is an update, to say so rather than
/// "syntax error" when the parser refuses it.
fn screen(query: &str) -> Result<bool, ApiError> {
    let refused = |kind, message: String, line: usize, column: usize| {
        ApiError::new(StatusCode::BAD_REQUEST, kind, message)
            .with("line", line)
            .with("column", column)
    };
    match crate::query::screen(query, &SyntaxLimits::DEFAULT) {
        Ok(Screened {
            service: Some((line, column)),
            ..
        }) => Err(refused(
            "service",
            format!(
                "SERVICE (a federated query to another endpoint) is refused by this server (at line {line} column {column})"
            ),
            line,
            column,
        )),
        Ok(screened) => Ok(screened.form.as_deref().is_some_and(is_update_keyword)),
        Err(QueryError::TooLarge(crossing)) => {
            let kind = match crossing.limit {
                Exceeded::Depth(_) => "too_deep",
                Exceeded::Length(_) | Exceeded::Operators(_) => "too_large",
            };
            let message = QueryError::TooLarge(crossing).to_string();
            Err(refused(kind, message, crossing.line, crossing.column))
        }
        Err(e) => Err(ApiError::bad_request(e)),
    }
}

async fn run(state: &AppState, headers: &HeaderMap, query: String, params: &Params) -> Response {
    let is_update = match screen(&query) {
        Ok(is_update) => is_update,
        Err(e) => return e.into_response(),
    };
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
    use super::screen;

    #[test]
    fn recognises_updates() {
        let update = |text: &str| screen(text).expect("screened");
        assert!(update("INSERT DATA { <a> <b> <c> }"));
        assert!(update("PREFIX ex: <http://e/> LOAD <http://x/>"));
        assert!(update("delete where { ?s ?p ?o }"));
        assert!(!update("SELECT * WHERE { ?s ?p ?o }"));
        assert!(!update("PREFIX ex: <http://e/> ASK { ?s ex:insert ?o }"));
    }

    #[test]
    fn refusals_name_the_limit_and_where() {
        let refused = |text: &str| screen(text).expect_err("refused");
        let deep = format!("SELECT * WHERE {}{}", "{".repeat(6000), "}".repeat(6000));
        let error = refused(&deep);
        assert_eq!((error.status.as_u16(), error.kind), (400, "too_deep"));
        assert_eq!(error.extra["line"], 1);
        let many = format!("ASK {{ FILTER(1{}) }}", "+1".repeat(6000));
        assert_eq!(refused(&many).kind, "too_large");
        let error = refused("SELECT * {\n OPTIONAL { SERVICE <http://127.0.0.1:9/> {} } }");
        assert_eq!(error.kind, "service");
        assert_eq!(error.extra["line"], 2);
        assert_eq!(error.extra["column"], 13);
    }
}
