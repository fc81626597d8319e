//! `/store`: the [Graph Store Protocol](https://www.w3.org/TR/sparql11-http-rdf-update/) for
//! reading — `?default` (the default graph), `?graph=IRI` (a named graph), `?inferred` (the
//! graph of inferred facts, when the server knows its IRI), or, with no parameter, the whole
//! dataset (quad formats). Negotiated by `Accept`; streamed. Writes are not routed (405).

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use oxigraph::model::NamedNode;

use super::app::AppState;
use super::body::ApiError;
use super::negotiate::{self, Answer, Chosen};
use super::params::Params;
use crate::export::{ExportFormat, GraphScope, rdf};
use crate::read::GraphReader as _;

/// GET `/store`.
pub async fn get(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let params = Params::of_query(request.uri().query());
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    match answer(&state, params, &accept).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn answer(state: &Arc<AppState>, params: Params, accept: &str) -> Result<Response, ApiError> {
    let scope = if params.get("default").is_some() {
        GraphScope::DefaultGraph
    } else if params.get("inferred").is_some() {
        let Some(inferred) = &state.config.inferred_graph else {
            return Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                "this server has no graph of inferred facts configured",
            ));
        };
        GraphScope::Named(inferred.clone())
    } else if let Some(graph) = params.get("graph") {
        GraphScope::Named(NamedNode::new(graph).map_err(|e| {
            ApiError::bad_request(format!("graph={graph:?} is not an absolute IRI: {e}"))
        })?)
    } else {
        GraphScope::All
    };
    let offered: &[ExportFormat] = if scope == GraphScope::All {
        &[ExportFormat::NQuads, ExportFormat::TriG]
    } else {
        &negotiate::GRAPH_FORMATS
    };
    let Chosen::Rdf(format) =
        negotiate::choose(Answer::Graph, params.get("format"), accept, offered)
            .map_err(|e| ApiError::new(StatusCode::NOT_ACCEPTABLE, "not_acceptable", e))?
    else {
        return Err(ApiError::internal("graph format"));
    };
    let checked = scope.clone();
    state
        .stream(
            move |opened| {
                if let GraphScope::Named(name) = &checked {
                    let known = opened
                        .graph
                        .named_graphs()
                        .map_err(ApiError::internal)?
                        .iter()
                        .any(|g| g.to_string() == name.to_string());
                    if !known {
                        return Err(ApiError::new(
                            StatusCode::NOT_FOUND,
                            "not_found",
                            format!("the store has no named graph <{}>", name.as_str()),
                        ));
                    }
                }
                let mut response = Response::new(axum::body::Body::empty());
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(format.media_type()),
                );
                Ok(response)
            },
            move |opened, out| {
                rdf::write(&opened.graph, &scope, format, out)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            },
        )
        .await
}
