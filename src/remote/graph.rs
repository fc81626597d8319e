//! [`RemoteGraph`]: the read seam over a SPARQL endpoint. Pattern reads are small SELECTs on the
//! pushed graph (an entity card fetches that entity's triples only); SPARQL goes to the server
//! as it is; the projection is assembled once from a few SELECTs ([`super::projection`]) and
//! kept on disk beside the graph's state — the push id of the push record, or the graph's
//! triple count for a graph kg did not push — and fetched again when that state changes.
//!
//! The graph read is the pushed target and, unless [`RemoteOptions::inference`] is off, the
//! inferred graph the push sent beside it (`<target>/inferred`), as a local store reads its
//! default graph and `kg:inferred`. Named graphs keep the store's names (`kg:inferred` too) in
//! quads and exports; SPARQL sees them at their server IRIs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use oxigraph::model::{
    GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term, TermRef,
    Triple,
};
use oxigraph::sparql::QuerySolution;
use sha2::{Digest as _, Sha256};

use super::RemoteError;
use super::projection::{Rows, assemble};
use super::record::PushRecord;
use super::sparql::{RemoteDataset, Service};
use crate::graph::{Projection, file as projection_file};
use crate::iri::Prefixes;
use crate::read::{GraphReader, GraphScope, ReadError, SparqlDataset, StatedValue, Stream};
use crate::vocab;

/// How a remote graph is read.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// The graph to read (a push's target); `None`: the one graph the server's push records
    /// name, else the server's default graph.
    pub graph: Option<NamedNode>,
    /// Where projections are cached; `None`: not cached.
    pub cache: Option<PathBuf>,
    /// Rows per page for every read (`None`: one request, paged only when the server caps it).
    pub page: Option<u64>,
    /// Whether the inferred graph a push sent is part of the graph read (triples, SPARQL's
    /// default graph, every-graph quads, the projection's edges), as the local store's
    /// `kg:inferred` is ([`crate::store::LocalGraph::with_inference`]). On by default.
    pub inference: bool,
    /// Called when the projection is fetched from the server rather than taken from the cache.
    pub on_fetch: Option<fn(&Fetched<'_>)>,
}

impl Default for RemoteOptions {
    fn default() -> Self {
        Self {
            graph: None,
            cache: None,
            page: None,
            inference: true,
            on_fetch: None,
        }
    }
}

/// A projection fetched from the server (for [`RemoteOptions::on_fetch`]).
#[derive(Debug, Clone, Copy)]
pub struct Fetched<'a> {
    /// The graph, as messages name it.
    pub location: &'a str,
    /// The graph's state the projection is for (`push ID`, or `count N`).
    pub state: &'a str,
    /// The state of the projection that was cached before, when one was.
    pub replaced: Option<&'a str>,
    /// Its nodes.
    pub nodes: usize,
    /// Its edges, inferred ones included.
    pub edges: usize,
    /// How long fetching and assembling took.
    pub elapsed: std::time::Duration,
}

/// A graph on a SPARQL server, read through [`GraphReader`].
pub struct RemoteGraph {
    service: Service,
    graph: Option<NamedNode>,
    record: Option<PushRecord>,
    prefixes: Prefixes,
    base: String,
    options: RemoteOptions,
    /// The named graphs, as the store named them: the pushed ones (less `kg:inferred` without
    /// inference), or every one on the server for a graph kg did not push.
    named: Vec<NamedNode>,
    /// The server IRI of the inferred graph the push sent, if it sent one.
    pushed_inferred: Option<NamedNode>,
    projection: OnceLock<Projection>,
}

impl std::fmt::Debug for RemoteGraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteGraph")
            .field("endpoint", &self.service.endpoint)
            .field("graph", &self.graph)
            .finish_non_exhaustive()
    }
}

fn read_error(e: RemoteError) -> ReadError {
    ReadError::Remote(Box::new(e))
}

impl RemoteGraph {
    /// Opens a remote graph: reads the server's push records to find the graph, its prefixes,
    /// base and named graphs.
    ///
    /// # Errors
    /// Remote errors; [`RemoteError::Unexpected`] when several pushed graphs could be meant.
    pub fn open(service: Service, options: RemoteOptions) -> Result<Self, RemoteError> {
        let records = PushRecord::read_all(&service)?;
        let record = match &options.graph {
            Some(graph) => records.into_iter().find(|r| &r.graph == graph),
            None if records.len() > 1 => {
                let names: Vec<String> = records.iter().map(|r| r.graph.to_string()).collect();
                return Err(RemoteError::Unexpected(format!(
                    "{} holds {} graphs pushed by kg ({}): choose one with --remote-graph",
                    service.endpoint.display(),
                    records.len(),
                    names.join(", ")
                )));
            }
            None => records.into_iter().next(),
        };
        let graph = options
            .graph
            .clone()
            .or_else(|| record.as_ref().map(|r| r.graph.clone()));
        let prefixes = record.as_ref().map_or_else(
            || {
                vocab::WELL_KNOWN_PREFIXES
                    .iter()
                    .map(|(p, n)| ((*p).to_owned(), (*n).to_owned()))
                    .collect()
            },
            |r| r.prefixes.clone(),
        );
        let base = record
            .as_ref()
            .map_or_else(|| vocab::DEFAULT_BASE.to_owned(), |r| r.base.clone());
        let pushed_inferred = record.as_ref().and_then(PushRecord::inferred_graph);
        let mut remote = Self {
            service,
            graph,
            record,
            prefixes,
            base,
            options,
            named: Vec::new(),
            pushed_inferred,
            projection: OnceLock::new(),
        };
        remote.named = match &remote.record {
            Some(record) => record
                .named_graphs
                .iter()
                .filter(|g| remote.options.inference || g.as_ref() != vocab::kg::INFERRED)
                .cloned()
                .collect(),
            None if remote.graph.is_some() => remote.all_named_graphs()?,
            None => Vec::new(),
        };
        Ok(remote)
    }

    /// Every named graph on the server (the one read among them, so that `GRAPH <it>` works
    /// in queries as on a server without a dataset).
    fn all_named_graphs(&self) -> Result<Vec<NamedNode>, RemoteError> {
        let mut graphs = Vec::new();
        let rows = self.select(
            "?g",
            "{ SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } }",
        )?;
        for row in rows {
            if let Some(Term::NamedNode(g)) = row?.get("g") {
                graphs.push(g.clone());
            }
        }
        Ok(graphs)
    }

    /// The graph read (`None`: the server's default graph).
    pub fn graph(&self) -> Option<&NamedNode> {
        self.graph.as_ref()
    }

    /// The push record of the graph, when kg pushed it.
    pub fn record(&self) -> Option<&PushRecord> {
        self.record.as_ref()
    }

    /// The server IRI of the inferred graph when it is part of the graph read.
    fn inferred(&self) -> Option<&NamedNode> {
        self.pushed_inferred
            .as_ref()
            .filter(|_| self.options.inference)
    }

    /// Where a named graph of the store is on the server.
    fn server_graph(&self, name: &NamedNode) -> NamedNode {
        self.record
            .as_ref()
            .map_or_else(|| name.clone(), |r| r.server_graph(name))
    }

    /// A pattern in one server graph, or (`None`) in the graph read: the target, with the
    /// inferred graph as a second branch of a UNION when it is read.
    fn within(&self, graph: Option<&NamedNode>, pattern: &str) -> String {
        if let Some(g) = graph {
            return format!("GRAPH {g} {{ {pattern} }}");
        }
        match (&self.graph, self.inferred()) {
            (Some(g), Some(i)) => {
                format!("{{ GRAPH {g} {{ {pattern} }} }} UNION {{ GRAPH {i} {{ {pattern} }} }}")
            }
            (Some(g), None) => format!("GRAPH {g} {{ {pattern} }}"),
            (None, _) => pattern.to_owned(),
        }
    }

    fn select(
        &self,
        vars: &str,
        pattern: &str,
    ) -> Result<Box<dyn Iterator<Item = Result<QuerySolution, RemoteError>> + Send>, RemoteError>
    {
        Ok(Box::new(self.service.select_all(
            vars,
            pattern,
            self.options.page,
        )?))
    }

    /// The state a cached projection is valid for.
    fn state(&self) -> Result<String, RemoteError> {
        if let Some(record) = &self.record {
            return Ok(format!("push {}", record.push_id));
        }
        let text = format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ {} }}",
            self.within(None, "?s ?p ?o")
        );
        Ok(format!("count {}", self.service.single_number(&text)?))
    }

    fn cache_dir(&self, cache: &Path) -> PathBuf {
        let key = format!(
            "{}\n{}",
            self.service.endpoint.query,
            self.graph.as_ref().map_or("", NamedNode::as_str)
        );
        let digest = Sha256::digest(key.as_bytes());
        let name = digest[..12].iter().fold(String::new(), |mut name, b| {
            let _ = write!(name, "{b:02x}");
            name
        });
        cache.join(name)
    }

    /// The projection with the inferred edges (left out afterwards without inference, as
    /// locally): from the cache when it is for the graph's current state, else fetched.
    fn load_projection(&self) -> Result<Projection, RemoteError> {
        let state = self.state()?;
        let cached = self.options.cache.as_deref().map(|c| self.cache_dir(c));
        let mut kept = None;
        if let Some(dir) = &cached {
            let text = std::fs::read_to_string(dir.join("state")).unwrap_or_default();
            if text.trim() == state
                && let Ok(projection) = projection_file::load(&dir.join("graph.kgp"))
            {
                return Ok(projection);
            }
            kept = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        }
        let started = std::time::Instant::now();
        let projection = assemble(
            &ServiceRows(self),
            self.graph.as_ref(),
            self.pushed_inferred.as_ref(),
            &self.base,
        )?;
        if let Some(notify) = self.options.on_fetch {
            notify(&Fetched {
                location: &self.location(),
                state: &state,
                replaced: kept.as_deref(),
                nodes: projection.node_count(),
                edges: projection.edge_count(),
                elapsed: started.elapsed(),
            });
        }
        if let Some(dir) = &cached {
            let io = |source| RemoteError::Io {
                path: dir.clone(),
                source,
            };
            std::fs::create_dir_all(dir).map_err(io)?;
            // The state is written last: a cache cut short is never taken as current.
            let _ = std::fs::remove_file(dir.join("state"));
            projection_file::save(&projection, &dir.join("graph.kgp"))
                .map_err(|e| RemoteError::Unexpected(format!("caching the projection: {e}")))?;
            std::fs::write(dir.join("state"), &state).map_err(io)?;
        }
        Ok(projection)
    }

    fn pattern_triples(
        &self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
        graph: Option<&NamedNode>,
    ) -> Result<Box<dyn Iterator<Item = Result<Triple, RemoteError>> + Send>, RemoteError> {
        let blank = matches!(subject, Some(NamedOrBlankNodeRef::BlankNode(_)))
            || matches!(object, Some(TermRef::BlankNode(_)));
        if blank {
            return Err(RemoteError::Unexpected(
                "a blank node's triples cannot be read from a SPARQL endpoint (a blank node in a query is a variable)".into(),
            ));
        }
        let s = subject.map_or_else(|| "?s".to_owned(), |s| s.to_string());
        let p = predicate.map_or_else(|| "?p".to_owned(), |p| p.to_string());
        let o = object.map_or_else(|| "?o".to_owned(), |o| o.to_string());
        let vars: Vec<&str> = [(&s, "?s"), (&p, "?p"), (&o, "?o")]
            .iter()
            .filter(|(term, var)| term.as_str() == *var)
            .map(|(_, var)| *var)
            .collect();
        let pattern = self.within(graph, &format!("{s} {p} {o}"));
        let (subject, predicate, object) = (
            subject.map(NamedOrBlankNodeRef::into_owned),
            predicate.map(NamedNodeRef::into_owned),
            object.map(TermRef::into_owned),
        );
        if let (true, Some(s), Some(p), Some(o)) = (vars.is_empty(), &subject, &predicate, &object)
        {
            let text = format!("SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}");
            let found = self.service.single_number(&text)? > 0;
            let triple = found.then(|| Triple::new(s.clone(), p.clone(), o.clone()));
            return Ok(Box::new(triple.into_iter().map(Ok)));
        }
        let rows = self.select(&vars.join(" "), &pattern)?;
        Ok(Box::new(rows.map(move |row| {
            let row = row?;
            let subject = match (&subject, row.get("s")) {
                (Some(s), _) => s.clone(),
                (None, Some(Term::NamedNode(n))) => n.clone().into(),
                (None, Some(Term::BlankNode(b))) => b.clone().into(),
                (None, other) => return Err(unexpected_term("subject", other)),
            };
            let predicate = match (&predicate, row.get("p")) {
                (Some(p), _) => p.clone(),
                (None, Some(Term::NamedNode(n))) => n.clone(),
                (None, other) => return Err(unexpected_term("predicate", other)),
            };
            let object = match (&object, row.get("o")) {
                (Some(o), _) => o.clone(),
                (None, Some(term)) => term.clone(),
                (None, None) => return Err(unexpected_term("object", None)),
            };
            Ok(Triple::new(subject, predicate, object))
        })))
    }
}

impl RemoteGraph {
    /// The values stated on `fact` (or on every fact), read with one SELECT over the
    /// statements of the pushed graph; `None` for a fact with a blank node, which a query
    /// cannot name.
    fn statement_values(
        &self,
        fact: Option<&Triple>,
    ) -> Option<Result<Vec<StatedValue>, RemoteError>> {
        if let Some(f) = fact
            && (matches!(f.subject, NamedOrBlankNode::BlankNode(_))
                || matches!(f.object, Term::BlankNode(_)))
        {
            return None;
        }
        let (s, p, o) = fact.map_or_else(
            || ("?s".to_owned(), "?p".to_owned(), "?o".to_owned()),
            |f| {
                (
                    f.subject.to_string(),
                    f.predicate.to_string(),
                    f.object.to_string(),
                )
            },
        );
        let provenance = vocab::STATEMENT_PROVENANCE
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let (rdf_subject, rdf_predicate, rdf_object) = (
            vocab::rdf::SUBJECT,
            vocab::rdf::PREDICATE,
            vocab::rdf::OBJECT,
        );
        let pattern = self.within(
            self.graph.as_ref(),
            &format!(
                "?statement {rdf_subject} {s} ; {rdf_predicate} {p} ; {rdf_object} {o} ; ?q ?v . \
                 FILTER(?q NOT IN ({provenance}))"
            ),
        );
        let vars = if fact.is_some() {
            "?q ?v"
        } else {
            "?s ?p ?o ?q ?v"
        };
        let read = || -> Result<Vec<StatedValue>, RemoteError> {
            let mut values = Vec::new();
            for row in self.select(vars, &pattern)? {
                let row = row?;
                let fact = match fact {
                    Some(f) => f.clone(),
                    None => fact_of(&row)?,
                };
                let (Some(Term::NamedNode(property)), Some(value)) = (row.get("q"), row.get("v"))
                else {
                    return Err(unexpected_term("predicate", row.get("q")));
                };
                values.push((fact, property.clone(), value.clone()));
            }
            Ok(values)
        };
        Some(read())
    }
}

/// The fact `?s ?p ?o` of a solution.
fn fact_of(row: &QuerySolution) -> Result<Triple, RemoteError> {
    let subject = match row.get("s") {
        Some(Term::NamedNode(n)) => NamedOrBlankNode::from(n.clone()),
        Some(Term::BlankNode(b)) => b.clone().into(),
        other => return Err(unexpected_term("subject", other)),
    };
    let Some(Term::NamedNode(predicate)) = row.get("p") else {
        return Err(unexpected_term("predicate", row.get("p")));
    };
    let Some(object) = row.get("o") else {
        return Err(unexpected_term("object", None));
    };
    Ok(Triple::new(subject, predicate.clone(), object.clone()))
}

fn unexpected_term(position: &str, term: Option<&Term>) -> RemoteError {
    RemoteError::Unexpected(format!(
        "the server gave {} as a triple's {position}",
        term.map_or_else(|| "nothing".to_owned(), ToString::to_string)
    ))
}

/// The projection's SELECTs, run on the service with the reader's paging.
struct ServiceRows<'a>(&'a RemoteGraph);

impl Rows for ServiceRows<'_> {
    fn rows(
        &self,
        vars: &str,
        pattern: &str,
    ) -> Result<Box<dyn Iterator<Item = Result<QuerySolution, RemoteError>> + '_>, RemoteError>
    {
        Ok(self.0.select(vars, pattern)?)
    }
}

impl GraphReader for RemoteGraph {
    fn location(&self) -> String {
        match &self.graph {
            Some(graph) => format!("{} {graph}", self.service.endpoint.display()),
            None => self.service.endpoint.display(),
        }
    }

    fn prefixes(&self) -> &Prefixes {
        &self.prefixes
    }

    fn projection(&self) -> Result<&Projection, ReadError> {
        if let Some(projection) = self.projection.get() {
            return Ok(projection);
        }
        let mut loaded = self.load_projection().map_err(read_error)?;
        if !self.options.inference {
            loaded.leave_out_inferred();
        }
        Ok(self.projection.get_or_init(|| loaded))
    }

    fn triples<'a>(
        &'a self,
        subject: Option<NamedOrBlankNodeRef<'_>>,
        predicate: Option<NamedNodeRef<'_>>,
        object: Option<TermRef<'_>>,
    ) -> Stream<'a, Triple> {
        match self.pattern_triples(subject, predicate, object, None) {
            Ok(triples) => Box::new(triples.map(|t| t.map_err(read_error))),
            Err(e) => Box::new(std::iter::once(Err(read_error(e)))),
        }
    }

    fn quads(&self, scope: &GraphScope) -> Result<Stream<'_, Quad>, ReadError> {
        // A named graph is read at its server IRI and keeps the store's name.
        let in_graph = |graph: Option<NamedNode>| -> Result<Stream<'_, Quad>, ReadError> {
            let server = match &graph {
                Some(name) => Some(self.server_graph(name)),
                // The target alone, not the UNION with the inferred graph.
                None => self.graph.clone(),
            };
            let name = graph.map_or(GraphName::DefaultGraph, GraphName::from);
            let triples = self
                .pattern_triples(None, None, None, server.as_ref())
                .map_err(read_error)?;
            Ok(Box::new(triples.map(move |t| {
                t.map(|t| t.in_graph(name.clone())).map_err(read_error)
            })))
        };
        match scope {
            GraphScope::DefaultGraph => in_graph(None),
            GraphScope::Named(name) => {
                if !self
                    .named_graphs()?
                    .iter()
                    .any(|g| g.as_ref() == name.as_ref().into())
                {
                    return Err(ReadError::UnknownGraph(name.as_str().to_owned()));
                }
                in_graph(Some(name.clone()))
            }
            GraphScope::All => {
                let mut streams = vec![in_graph(None)?];
                for name in self.named_graphs()? {
                    if let NamedOrBlankNode::NamedNode(name) = name {
                        streams.push(in_graph(Some(name))?);
                    }
                }
                Ok(Box::new(streams.into_iter().flatten()))
            }
        }
    }

    fn named_graphs(&self) -> Result<Vec<NamedOrBlankNode>, ReadError> {
        let graphs = if self.record.is_some() || self.graph.is_some() {
            self.named.clone()
        } else {
            self.all_named_graphs().map_err(read_error)?
        };
        Ok(graphs
            .into_iter()
            .filter(|g| Some(g) != self.graph.as_ref())
            .map(Into::into)
            .collect())
    }

    fn stated_values(&self, fact: Option<&Triple>) -> Option<Result<Vec<StatedValue>, ReadError>> {
        self.statement_values(fact)
            .map(|values| values.map_err(read_error))
    }

    fn sparql(&self) -> SparqlDataset {
        SparqlDataset::Remote(RemoteDataset {
            service: self.service.clone(),
            default_graphs: self.graph.iter().chain(self.inferred()).cloned().collect(),
            named_graphs: self.named.iter().map(|g| self.server_graph(g)).collect(),
        })
    }
}
