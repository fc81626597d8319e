//! [`RemoteGraph`]: the read seam over a SPARQL endpoint. Pattern reads are small SELECTs on the
//! pushed graph (an entity card fetches that entity's triples only); SPARQL goes to the server
//! as it is; the projection is assembled once from a few SELECTs ([`super::projection`]) and
//! kept on disk beside the graph's state — the push id of the push record, or the graph's
//! triple count for a graph kg did not push — and fetched again when that state changes.

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
use crate::read::{GraphReader, GraphScope, ReadError, SparqlDataset, Stream};
use crate::vocab;

/// How a remote graph is read.
#[derive(Debug, Clone, Default)]
pub struct RemoteOptions {
    /// The graph to read (a push's target); `None`: the one graph the server's push records
    /// name, else the server's default graph.
    pub graph: Option<NamedNode>,
    /// Where projections are cached; `None`: not cached.
    pub cache: Option<PathBuf>,
    /// Rows per page for every read (`None`: one request, paged only when the server caps it).
    pub page: Option<u64>,
}

/// A graph on a SPARQL server, read through [`GraphReader`].
pub struct RemoteGraph {
    service: Service,
    graph: Option<NamedNode>,
    record: Option<PushRecord>,
    prefixes: Prefixes,
    base: String,
    options: RemoteOptions,
    /// The named graphs queries see (`named-graph-uri`, which servers such as oxigraph need
    /// beside `default-graph-uri`): the pushed ones, or every one for a graph kg did not push.
    named: Vec<NamedNode>,
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
        let mut remote = Self {
            service,
            graph,
            record,
            prefixes,
            base,
            options,
            named: Vec::new(),
            projection: OnceLock::new(),
        };
        remote.named = match &remote.record {
            Some(record) => record.named_graphs.clone(),
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

    fn within(&self, graph: Option<&NamedNode>, pattern: &str) -> String {
        match graph.or(self.graph.as_ref()) {
            Some(g) => format!("GRAPH {g} {{ {pattern} }}"),
            None => pattern.to_owned(),
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

    fn load_projection(&self) -> Result<Projection, RemoteError> {
        let state = self.state()?;
        let cached = self.options.cache.as_deref().map(|c| self.cache_dir(c));
        if let Some(dir) = &cached {
            let kept = std::fs::read_to_string(dir.join("state")).unwrap_or_default();
            if kept.trim() == state
                && let Ok(projection) = projection_file::load(&dir.join("graph.kgp"))
            {
                return Ok(projection);
            }
        }
        let projection = assemble(&ServiceRows(self), self.graph.as_ref(), &self.base)?;
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
        let loaded = self.load_projection().map_err(read_error)?;
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
        let in_graph = |graph: Option<NamedNode>| -> Result<Stream<'_, Quad>, ReadError> {
            let name = graph
                .clone()
                .map_or(GraphName::DefaultGraph, GraphName::from);
            let triples = self
                .pattern_triples(None, None, None, graph.as_ref())
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

    fn sparql(&self) -> SparqlDataset {
        SparqlDataset::Remote(RemoteDataset {
            service: self.service.clone(),
            default_graph: self.graph.clone(),
            named_graphs: self.named.clone(),
        })
    }
}
