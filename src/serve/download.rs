//! `/api/export`: downloads of the graph in every export format (`kg::export`), the whole
//! graph or a part (`around=NAME&hops=N`, `from=A&to=B` for the paths between two), with the
//! format's media type and a `Content-Disposition` naming the file. CSV is two tables: ask for
//! `table=nodes` or `table=edges`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::api::entity;
use super::app::AppState;
use super::body::ApiError;
use super::params::Params;
use crate::export::{self, ExportFormat, ExportOptions, Focus, Selection, Source, export_tables};
use crate::read::GraphReader as _;

/// The part of the graph the parameters ask for.
fn focus(
    projection: &crate::graph::Projection,
    params: &Params,
    limits: &super::Limits,
) -> Result<Focus, ApiError> {
    Ok(if let Some(centre) = params.get("around") {
        Focus::Around {
            centre: entity(projection, centre)?,
            hops: params.number("hops", 1)?.min(limits.max_hops),
            max_nodes: params
                .number("max_nodes", limits.max_nodes)?
                .min(limits.max_nodes),
        }
    } else if let (Some(from), Some(to)) = (params.get("from"), params.get("to")) {
        Focus::Path {
            from: entity(projection, from)?,
            to: entity(projection, to)?,
            max_hops: params
                .number("max_hops", limits.max_hops)?
                .min(limits.max_hops),
        }
    } else {
        Focus::All
    })
}

/// The head of a download: the media type and the file name.
fn download_head(format: ExportFormat, table: Option<&str>, inline: bool) -> Response {
    let stem = match (format, table) {
        (ExportFormat::Csv, Some(table)) => format!("kg-{table}"),
        _ => "kg".to_owned(),
    };
    let disposition = format!(
        "{}; filename=\"{stem}.{}\"",
        if inline { "inline" } else { "attachment" },
        format.extension()
    );
    let mut response = Response::new(axum::body::Body::empty());
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.media_type()),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// GET `/api/export?format=NAME`.
pub async fn get(State(state): State<Arc<AppState>>, request: Request) -> Response {
    match answer(&state, Params::of_query(request.uri().query())).await {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

async fn answer(state: &Arc<AppState>, params: Params) -> Result<Response, ApiError> {
    let name = params.required("format")?;
    let format = ExportFormat::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = ExportFormat::ALL.iter().map(|f| f.name()).collect();
        ApiError::bad_request(format!(
            "format={name:?} is not an export format: use one of {}",
            names.join(", ")
        ))
    })?;
    let table = params.get("table").map(str::to_owned);
    if format == ExportFormat::Csv && !matches!(table.as_deref(), Some("nodes" | "edges")) {
        return Err(ApiError::bad_request(
            "the CSV export is two tables: add table=nodes or table=edges",
        ));
    }
    let limits = state.config.limits.clone();
    let inline = params.flag("inline");
    let params_for_check = params.clone();
    let focus_slot = Arc::new(std::sync::Mutex::new(None::<Focus>));
    let focus_set = focus_slot.clone();
    state
        .stream(
            move |opened| {
                let projection = opened.graph.projection().map_err(ApiError::internal)?;
                let focus = focus(projection, &params_for_check, &limits)?;
                *focus_set
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(focus);
                let response = download_head(format, table.as_deref(), inline);
                Ok(response)
            },
            move |opened, out| {
                let focus = focus_slot
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .take()
                    .unwrap_or_default();
                let projection = opened.graph.projection().map_err(|e| e.to_string())?;
                let schema = opened.schema()?;
                let source = Source {
                    graph: &opened.graph,
                    projection,
                    schema,
                };
                let subgraph = (focus != Focus::All).then(|| {
                    export::select::select(
                        schema,
                        projection,
                        &Selection {
                            focus,
                            ..Selection::default()
                        },
                    )
                });
                let written = if format == ExportFormat::Csv {
                    let mut sink = std::io::sink();
                    let (nodes, edges): (&mut dyn std::io::Write, &mut dyn std::io::Write) =
                        if params.get("table") == Some("nodes") {
                            (out, &mut sink)
                        } else {
                            (&mut sink, out)
                        };
                    export_tables(&source, subgraph.as_ref(), nodes, edges)
                } else {
                    let options = ExportOptions {
                        subgraph,
                        ..ExportOptions::default()
                    };
                    export::export(&source, format, &options, out)
                };
                written.map(|_| ()).map_err(|e| e.to_string())
            },
        )
        .await
}
