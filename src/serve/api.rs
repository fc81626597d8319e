//! `/api/*`: the analyst's questions as JSON, in exactly the shapes `kg lookup`, `kg path`,
//! `kg neighbors` and `kg rank` print with `--format json` (the same [`crate::answer`] types,
//! pretty-printed the same way), plus `/api/suggest` for the page's search box and
//! `/api/info`. Each answer is computed in process on the bounded blocking pool, within the
//! path and neighbourhood bounds.
//!
//! `/api/explain` and `/api/validate` answer as `kg explain` and `kg validate` do.

use std::collections::HashSet;
use std::str::FromStr as _;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use oxigraph::model::{NamedNode, Term};
use serde::Serialize;

use super::app::AppState;
use super::body::{ApiError, json_answer, json_bytes};
use super::params::Params;
use crate::algo::{
    PathQuery, all_shortest_paths, k_shortest_paths, limits, neighbourhood, shortest_path,
};
use crate::answer::{
    CardFilter, Direction, NeighbourhoodAnswer, PathsAnswer, RankAnswer, RankBy, card,
};
use crate::graph::{Projection, Resolution, resolve_entity};
use crate::names::{fold, resolve_relation};
use crate::read::GraphReader as _;
use crate::validate::Shapes;
use crate::vocab::kg;

/// An entity in an error's list of candidates or suggestions.
#[derive(Debug, Serialize)]
struct Candidate<'a> {
    id: &'a str,
    label: &'a str,
    iri: &'a str,
}

fn candidates(projection: &Projection, nodes: &[u32]) -> serde_json::Value {
    let list: Vec<Candidate<'_>> = nodes
        .iter()
        .map(|&n| {
            let node = projection.node(n);
            Candidate {
                id: node.id(),
                label: node.label(),
                iri: node.iri(),
            }
        })
        .collect();
    serde_json::to_value(list).unwrap_or_default()
}

/// Resolves an entity name as the CLI does: unknown is 404 with the closest names, ambiguous
/// is 409 with the candidates.
///
/// # Errors
/// 404 and 409 as above.
pub fn entity(projection: &Projection, name: &str) -> Result<u32, ApiError> {
    match resolve_entity(projection, name) {
        Resolution::One(node) => Ok(node),
        Resolution::Ambiguous(nodes) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "ambiguous",
            format!("{name:?} is ambiguous: give the id or a fuller name"),
        )
        .with("candidates", candidates(projection, &nodes))),
        Resolution::Unknown(nodes) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_entity",
            format!("no entity is called {name:?}"),
        )
        .with("suggestions", candidates(projection, &nodes))),
    }
}

/// The predicates a list of relation names means, for the parameter `what`.
fn relations(
    projection: &Projection,
    prefixes: &crate::iri::Prefixes,
    names: &[String],
    what: &str,
) -> Result<HashSet<u32>, ApiError> {
    let all: Vec<(&str, &str)> = projection.predicates().map(|t| (t.iri, t.label)).collect();
    let mut found = HashSet::new();
    for name in names {
        found.extend(
            resolve_relation(&all, prefixes, name)
                .map_err(|e| ApiError::bad_request(format!("{what}={name:?}: {e}")))?,
        );
    }
    Ok(found)
}

fn path_query(
    projection: &Projection,
    prefixes: &crate::iri::Prefixes,
    params: &Params,
) -> Result<PathQuery, ApiError> {
    let via = params.all("via");
    Ok(PathQuery {
        directed: params.flag("directed"),
        via: if via.is_empty() {
            None
        } else {
            Some(relations(projection, prefixes, &via, "via")?)
        },
        exclude: relations(projection, prefixes, &params.all("exclude"), "exclude")?,
        ..PathQuery::default()
    })
}

fn params(request: &Request) -> Params {
    Params::of_query(request.uri().query())
}

fn done(result: Result<Response, ApiError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `/api/load`: the SPARQL queries running and waiting, and the API answers being computed
/// and waiting, at this moment (not itself queued, so it answers under overload).
pub async fn load(State(state): State<Arc<AppState>>) -> Response {
    json_answer(&state.load())
}

/// What the server holds: its generation, title, prefixes, counts and limits.
pub async fn info(State(state): State<Arc<AppState>>) -> Response {
    let limits = state.config.limits.clone();
    done(
        state
            .blocking(move |opened| {
                let projection = opened.graph.projection().map_err(ApiError::internal)?;
                let meta = opened.graph.meta();
                let title = opened.schema().ok().and_then(|s| s.title.clone());
                Ok(json_answer(&serde_json::json!({
                    "title": title,
                    "generation": opened.graph.generation().dir().file_name().map(|n| n.to_string_lossy().into_owned()),
                    "built_at": meta.built_at,
                    "quads": meta.quads,
                    "nodes": projection.node_count(),
                    "edges": projection.edge_count(),
                    "prefixes": opened.graph.prefixes(),
                    "limits": {
                        "timeout_ms": u64::try_from(limits.timeout.as_millis()).unwrap_or(u64::MAX),
                        "rows": limits.rows,
                        "body": limits.body,
                        "max_hops": limits.max_hops,
                        "max_paths": limits.max_paths,
                        "max_nodes": limits.max_nodes,
                    },
                })))
            })
            .await,
    )
}

/// Entities whose names start with (or contain) the words typed, best first.
pub async fn suggest(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let params = params(&request);
    done(
        state
            .blocking(move |opened| {
                let projection = opened.graph.projection().map_err(ApiError::internal)?;
                let typed = fold(params.get("q").unwrap_or_default());
                let limit = params.number("limit", 10usize)?.clamp(1, 50);
                if typed.is_empty() {
                    return Ok(json_answer(&Vec::<()>::new()));
                }
                // Rank 0: a name that starts with what was typed; 1: a word of it does;
                // 2: it contains it anywhere.
                let mut best: std::collections::BTreeMap<u32, u8> =
                    std::collections::BTreeMap::new();
                for name in projection.names() {
                    let rank = if name.folded.starts_with(&typed) {
                        0
                    } else if name.folded.split(' ').any(|w| w.starts_with(&typed)) {
                        1
                    } else if name.folded.contains(&typed) {
                        2
                    } else {
                        continue;
                    };
                    let entry = best.entry(name.node).or_insert(rank);
                    *entry = (*entry).min(rank);
                }
                let mut ranked: Vec<(u8, &str, u32)> = best
                    .into_iter()
                    .map(|(node, rank)| (rank, projection.node(node).label(), node))
                    .collect();
                ranked.sort_unstable();
                let nodes: Vec<u32> = ranked.into_iter().take(limit).map(|(_, _, n)| n).collect();
                Ok(json_answer(&candidates(projection, &nodes)))
            })
            .await,
    )
}

/// `kg lookup NAME --format json`.
pub async fn lookup(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let params = params(&request);
    done(
        state
            .blocking(move |opened| {
                let graph = &opened.graph;
                let projection = graph.projection().map_err(ApiError::internal)?;
                let node = entity(projection, params.required("name")?)?;
                let relation = params.all("relation");
                let direction = match params.get("direction") {
                    None | Some("") => None,
                    Some(name) => Some(Direction::from_name(name).ok_or_else(|| {
                        ApiError::bad_request(format!("direction={name:?}: use out or in"))
                    })?),
                };
                let filter = CardFilter {
                    relations: if relation.is_empty() {
                        None
                    } else {
                        let found = relations(projection, graph.prefixes(), &relation, "relation")?;
                        let mut iris = Vec::new();
                        for p in found {
                            iris.push(
                                NamedNode::new(projection.predicate(p).iri)
                                    .map_err(ApiError::internal)?,
                            );
                        }
                        Some(iris)
                    },
                    direction,
                };
                let node = projection.node(node);
                let iri = NamedNode::new(node.iri()).map_err(ApiError::internal)?;
                let card = card(graph, &iri, node.id(), &filter).map_err(ApiError::internal)?;
                Ok(json_answer(&card))
            })
            .await,
    )
}

/// `kg path FROM TO --format json` (with `k`, `all_shortest`, `max_hops`, `max_paths`, `via`,
/// `exclude`, `directed`).
pub async fn path(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let params = params(&request);
    let limits = state.config.limits.clone();
    done(
        state
            .blocking(move |opened| {
                let graph = &opened.graph;
                let projection = graph.projection().map_err(ApiError::internal)?;
                let hops = limits.max_hops.min(limits::MAX_HOPS);
                let max_hops =
                    params.count("max_hops", limits::DEFAULT_MAX_HOPS.min(hops), 0, hops)?;
                let most = limits.max_paths.min(limits::MAX_PATHS);
                let max_paths =
                    params.count("max_paths", limits::DEFAULT_MAX_PATHS.min(most), 1, most)?;
                let from = entity(projection, params.required("from")?)?;
                let to = entity(projection, params.required("to")?)?;
                let mut query = path_query(projection, graph.prefixes(), &params)?;
                query.max_hops = max_hops;
                query.max_paths = max_paths;
                let k = match params.get("k") {
                    None | Some("") => None,
                    Some(_) => Some(params.count("k", 1, 1, most)?),
                };
                let found = match k {
                    Some(k) => k_shortest_paths(projection, from, to, k, &query),
                    None if params.flag("all_shortest") => {
                        all_shortest_paths(projection, from, to, &query)
                    }
                    None => shortest_path(projection, from, to, &query),
                };
                let mut answer = PathsAnswer::new(projection, from, to, &found);
                answer.explain_inferred(graph);
                answer.qualify(graph);
                Ok(json_answer(&answer))
            })
            .await,
    )
}

/// `kg neighbors NAME --format json` (with `hops`, `max_nodes`, `via`, `exclude`,
/// `directed`).
pub async fn neighbors(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let params = params(&request);
    let limits = state.config.limits.clone();
    done(
        state
            .blocking(move |opened| {
                let graph = &opened.graph;
                let projection = graph.projection().map_err(ApiError::internal)?;
                let hops = params.count("hops", 1, 0, limits.max_hops.min(limits::MAX_HOPS))?;
                let max_nodes = params.count("max_nodes", limits.max_nodes, 1, limits.max_nodes)?;
                let centre = entity(projection, params.required("name")?)?;
                let query = path_query(projection, graph.prefixes(), &params)?;
                let found = neighbourhood(projection, centre, hops, max_nodes, &query);
                Ok(json_answer(&NeighbourhoodAnswer::new(
                    projection, hops, &found,
                )))
            })
            .await,
    )
}

/// `kg rank --format json` (with `by` and `top`).
pub async fn rank(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let params = params(&request);
    done(
        state
            .blocking(move |opened| {
                let projection = opened.graph.projection().map_err(ApiError::internal)?;
                let by = match params.get("by") {
                    None | Some("") => RankBy::Betweenness,
                    Some(name) => RankBy::from_name(name).ok_or_else(|| {
                        let names: Vec<&str> = RankBy::ALL.iter().map(|b| b.name()).collect();
                        ApiError::bad_request(format!(
                            "by={name:?}: use one of {}",
                            names.join(", ")
                        ))
                    })?,
                };
                // As `kg rank --top`: 1 or more (an answer holds at most every entity).
                let top = params.count("top", 20, 1, usize::MAX)?;
                let ranking = opened.ranking().map_err(ApiError::internal)?;
                Ok(json_answer(&RankAnswer::new(projection, ranking, by, top)))
            })
            .await,
    )
}

/// The text of an evidence sentence: `document` (the id in an answer's evidence) and
/// `sentence` (its number). `text` is null when the store keeps no text for it.
pub async fn sentence(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let params = params(&request);
    done(
        state
            .blocking(move |opened| {
                let document = params.required("document")?.to_owned();
                let number: u64 = params.number("sentence", 0)?;
                let graph = &opened.graph;
                let literal =
                    oxigraph::model::Literal::from(i64::try_from(number).unwrap_or(i64::MAX));
                let mut text = None;
                for triple in graph.triples(
                    None,
                    Some(kg::SENTENCE_NUMBER),
                    Some(literal.as_ref().into()),
                ) {
                    let triple = triple.map_err(ApiError::internal)?;
                    let subject = triple.subject.as_ref();
                    let in_document = crate::read::object(graph, subject, kg::IN_DOCUMENT)
                        .map_err(ApiError::internal)?;
                    let Some(oxigraph::model::Term::NamedNode(doc)) = in_document else {
                        continue;
                    };
                    if crate::iri::local_name(doc.as_str()) != document {
                        continue;
                    }
                    if let Some(oxigraph::model::Term::Literal(value)) =
                        crate::read::object(graph, subject, kg::TEXT).map_err(ApiError::internal)?
                    {
                        text = Some(value.value().to_owned());
                    }
                    break;
                }
                Ok(json_answer(&serde_json::json!({
                    "document": document,
                    "sentence": number,
                    "text": text,
                })))
            })
            .await,
    )
}

/// `kg explain S P O --format json`: `s`, `p` and `o` as IRIs, prefixed names or names (an
/// entity's for `s` and `o`, a relation's for `p`; `o` may be an N-Triples literal). 404 when
/// the graph neither states nor infers the triple.
pub async fn explain(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let params = params(&request);
    done(
        state
            .blocking(move |opened| {
                let graph = &opened.graph;
                let projection = graph.projection().map_err(ApiError::internal)?;
                let prefixes = graph.prefixes();
                let named = |name: &str, what: &str| -> Result<NamedNode, ApiError> {
                    let iri = match crate::iri::expand(name, prefixes) {
                        Some(iri) => iri,
                        None => projection.node(entity(projection, name)?).iri().to_owned(),
                    };
                    NamedNode::new(iri)
                        .map_err(|e| ApiError::bad_request(format!("{what}={name:?}: {e}")))
                };
                let subject = named(params.required("s")?, "s")?;
                let p = params.required("p")?;
                let predicate = if p == "a" {
                    crate::vocab::rdf::TYPE.into_owned()
                } else if let Some(iri) = crate::iri::expand(p, prefixes) {
                    NamedNode::new(iri)
                        .map_err(|e| ApiError::bad_request(format!("p={p:?}: {e}")))?
                } else {
                    let found = relations(projection, prefixes, &[p.to_owned()], "p")?;
                    let mut found = found.into_iter();
                    match (found.next(), found.next()) {
                        (Some(one), None) => NamedNode::new(projection.predicate(one).iri)
                            .map_err(ApiError::internal)?,
                        _ => {
                            return Err(ApiError::bad_request(format!(
                                "p={p:?} names several relations: give its IRI"
                            )));
                        }
                    }
                };
                let o = params.required("o")?;
                let object: Term = if o.starts_with('"') {
                    Term::from_str(o).map_err(|e| ApiError::bad_request(format!("o={o:?}: {e}")))?
                } else {
                    named(o, "o")?.into()
                };
                let explanation = crate::infer::explain(
                    graph,
                    subject.as_ref().into(),
                    predicate.as_ref(),
                    object.as_ref(),
                )
                .map_err(ApiError::internal)?;
                match explanation {
                    Some(explanation) => Ok(json_answer(&explanation)),
                    None => Err(ApiError::new(
                        StatusCode::NOT_FOUND,
                        "not_found",
                        format!(
                            "the graph neither states nor infers {subject} {predicate} {object}"
                        ),
                    )),
                }
            })
            .await,
    )
}

/// `kg validate --format json`: the graph against the peace-talks shapes.
pub async fn validate(State(state): State<Arc<AppState>>) -> Response {
    done(
        state
            .blocking(move |opened| {
                let graph = &opened.graph;
                let shapes = Shapes::peace_talks().map_err(ApiError::internal)?;
                let mut report =
                    crate::validate::validate(graph, &shapes).map_err(ApiError::internal)?;
                report.locate(graph).map_err(ApiError::internal)?;
                let mut prefixes = shapes.prefixes().clone();
                prefixes.extend(graph.prefixes().clone());
                let mut bytes = Vec::new();
                report
                    .write_json(&prefixes, &mut bytes)
                    .map_err(ApiError::internal)?;
                Ok(json_bytes(bytes))
            })
            .await,
    )
}
