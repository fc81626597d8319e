//! The endpoint's [SPARQL 1.1 Service Description](https://www.w3.org/TR/sparql11-service-description/):
//! what `GET /sparql` without a query answers — the endpoint, the language (queries only), the
//! result formats, and the dataset (the default graph and the named graphs).

use axum::http::{HeaderMap, Uri, header};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfSerializer;
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};

use super::app::AppState;
use super::body::ApiError;
use super::negotiate::{self, Answer, Chosen};
use crate::export::rdf::rdf_format;
use crate::read::GraphReader as _;
use crate::vocab::rdf;

/// The Service Description vocabulary and the W3C format IRIs (to move into `crate::vocab`).
pub mod sd {
    use oxigraph::model::NamedNodeRef;

    /// The Service Description namespace.
    pub const NAMESPACE: &str = "http://www.w3.org/ns/sparql-service-description#";
    /// The W3C formats namespace.
    pub const FORMATS_NAMESPACE: &str = "http://www.w3.org/ns/formats/";
    /// `sd:Service`.
    pub const SERVICE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/sparql-service-description#Service");
    /// `sd:endpoint`.
    pub const ENDPOINT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/sparql-service-description#endpoint");
    /// `sd:supportedLanguage`.
    pub const SUPPORTED_LANGUAGE: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(
        "http://www.w3.org/ns/sparql-service-description#supportedLanguage",
    );
    /// `sd:SPARQL11Query`.
    pub const SPARQL11_QUERY: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(
        "http://www.w3.org/ns/sparql-service-description#SPARQL11Query",
    );
    /// `sd:resultFormat`.
    pub const RESULT_FORMAT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/sparql-service-description#resultFormat");
    /// `sd:defaultDataset`.
    pub const DEFAULT_DATASET: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(
        "http://www.w3.org/ns/sparql-service-description#defaultDataset",
    );
    /// `sd:Dataset`.
    pub const DATASET: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/sparql-service-description#Dataset");
    /// `sd:defaultGraph`.
    pub const DEFAULT_GRAPH: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/sparql-service-description#defaultGraph");
    /// `sd:Graph`.
    pub const GRAPH: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/sparql-service-description#Graph");
    /// `sd:namedGraph`.
    pub const NAMED_GRAPH_PROPERTY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/sparql-service-description#namedGraph");
    /// `sd:NamedGraph`.
    pub const NAMED_GRAPH: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/sparql-service-description#NamedGraph");
    /// `sd:name`.
    pub const NAME: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://www.w3.org/ns/sparql-service-description#name");
    /// `dcterms:title` of the service.
    pub const TITLE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/title");
    /// The W3C format IRIs, by media type.
    pub const FORMATS: [(&str, &str); 8] = [
        (
            "application/sparql-results+json",
            "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        ),
        (
            "application/sparql-results+xml",
            "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        ),
        (
            "text/csv",
            "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        ),
        (
            "text/tab-separated-values",
            "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        ),
        ("text/turtle", "http://www.w3.org/ns/formats/Turtle"),
        (
            "application/n-triples",
            "http://www.w3.org/ns/formats/N-Triples",
        ),
        (
            "application/ld+json",
            "http://www.w3.org/ns/formats/JSON-LD",
        ),
        (
            "application/rdf+xml",
            "http://www.w3.org/ns/formats/RDF_XML",
        ),
    ];
}

fn iri(text: &str) -> Result<NamedNode, ApiError> {
    NamedNode::new(text).map_err(|e| ApiError::internal(format!("<{text}>: {e}")))
}

fn node(term: oxigraph::model::NamedNodeRef<'_>) -> NamedNode {
    term.into_owned()
}

/// The description's triples, for an endpoint at `endpoint`.
///
/// # Errors
/// When the named graphs cannot be read.
pub fn triples(state: &AppState, endpoint: &NamedNode) -> Result<Vec<Triple>, ApiError> {
    let opened = state.current.get();
    let service = NamedOrBlankNode::from(BlankNode::default());
    let dataset = NamedOrBlankNode::from(BlankNode::default());
    let default_graph = NamedOrBlankNode::from(BlankNode::default());
    let mut triples = vec![
        Triple::new(service.clone(), node(rdf::TYPE), node(sd::SERVICE)),
        Triple::new(service.clone(), node(sd::ENDPOINT), endpoint.clone()),
        Triple::new(
            service.clone(),
            node(sd::SUPPORTED_LANGUAGE),
            node(sd::SPARQL11_QUERY),
        ),
        Triple::new(
            service.clone(),
            node(sd::TITLE),
            Literal::new_simple_literal("kg knowledge graph"),
        ),
        Triple::new(service.clone(), node(sd::DEFAULT_DATASET), dataset.clone()),
        Triple::new(dataset.clone(), node(rdf::TYPE), node(sd::DATASET)),
        Triple::new(
            dataset.clone(),
            node(sd::DEFAULT_GRAPH),
            default_graph.clone(),
        ),
        Triple::new(default_graph, node(rdf::TYPE), node(sd::GRAPH)),
    ];
    for (_, format) in sd::FORMATS {
        triples.push(Triple::new(
            service.clone(),
            node(sd::RESULT_FORMAT),
            iri(format)?,
        ));
    }
    let named = opened.graph.named_graphs().map_err(ApiError::internal)?;
    for graph in named {
        let entry = NamedOrBlankNode::from(BlankNode::default());
        triples.push(Triple::new(
            dataset.clone(),
            node(sd::NAMED_GRAPH_PROPERTY),
            entry.clone(),
        ));
        triples.push(Triple::new(
            entry.clone(),
            node(rdf::TYPE),
            node(sd::NAMED_GRAPH),
        ));
        triples.push(Triple::new(entry, node(sd::NAME), Term::from(graph)));
    }
    Ok(triples)
}

/// The description, in the format the client accepts (Turtle by default).
pub fn answer(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Response {
    match describe(state, headers, uri) {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

fn describe(state: &AppState, headers: &HeaderMap, uri: &Uri) -> Result<Response, ApiError> {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Browsers ask for text/html first: they get Turtle, which they show as text.
    let Chosen::Rdf(format) =
        negotiate::choose(Answer::Graph, None, accept, &negotiate::TRIPLE_FORMATS).map_err(
            |e| ApiError::new(axum::http::StatusCode::NOT_ACCEPTABLE, "not_acceptable", e),
        )?
    else {
        return Err(ApiError::internal("description format"));
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let endpoint =
        iri(&format!("http://{host}{}", uri.path())).or_else(|_| iri("http://localhost/sparql"))?;
    let rdf = rdf_format(format).ok_or_else(|| ApiError::internal("rdf format"))?;
    let mut serializer = RdfSerializer::from_format(rdf);
    for (prefix, namespace) in [("sd", sd::NAMESPACE), ("formats", sd::FORMATS_NAMESPACE)] {
        serializer = serializer
            .with_prefix(prefix, namespace)
            .map_err(ApiError::internal)?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in triples(state, &endpoint)? {
        writer
            .serialize_triple(&triple)
            .map_err(ApiError::internal)?;
    }
    let bytes = writer.finish().map_err(ApiError::internal)?;
    Ok(super::sparql::bytes_response(format.media_type(), bytes))
}
