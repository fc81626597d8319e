//! The SPARQL 1.1 Protocol and Graph Store HTTP Protocol, client side: queries (GET, or a form
//! POST when long — Virtuoso never answers a `application/sparql-query` POST), updates, Graph
//! Store POST and DELETE, counts, and answers parsed with oxigraph's parsers into the
//! `QueryResults` the local writer serialises.

use std::fmt::Write as _;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{BlankNode, NamedNode, Term, Triple};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{
    QueryEvaluationError, QueryResults, QuerySolution, QueryTripleIter, Variable,
};

use spargebra::{Query, SparqlParser};

use super::http::{Body, Client, Request, Response, display_url, reason};
use super::{Endpoint, RemoteError};
use crate::iri::Prefixes;

/// Queries longer than this go as a form POST rather than in the URL.
const LONGEST_GET: usize = 4_000;

/// What SELECT and ASK answers are asked for: XML, which every server writes (Virtuoso's
/// blank node labels and raw whitespace are mended on the way, see [`ResultsXmlMender`]).
const RESULTS_ACCEPT: &str =
    "application/sparql-results+xml, application/sparql-results+json;q=0.9";
/// What CONSTRUCT and DESCRIBE answers are asked for.
const GRAPH_ACCEPT: &str = "application/n-triples, text/turtle;q=0.9";

/// A SPARQL service: its URLs and the client that calls them.
#[derive(Debug, Clone)]
pub struct Service {
    /// The client.
    pub client: Arc<Client>,
    /// The URLs.
    pub endpoint: Endpoint,
}

/// Where remote SPARQL runs, for [`crate::read::SparqlDataset::Remote`]: the service and the
/// dataset of queries that name none of their own.
#[derive(Debug, Clone)]
pub struct RemoteDataset {
    /// The service.
    pub service: Service,
    /// The graphs whose merge is the default graph of queries (none: the server's own
    /// default): the target, and its inferred graph when read.
    pub default_graphs: Vec<NamedNode>,
    /// The named graphs queries see (their server IRIs), when `default_graphs` are set.
    pub named_graphs: Vec<NamedNode>,
}

/// The solutions of a SELECT, streamed, and whether the server cut them at its row cap.
pub struct Solutions {
    /// The variables.
    pub variables: Arc<[Variable]>,
    /// The solutions.
    pub rows: Box<dyn Iterator<Item = Result<QuerySolution, RemoteError>> + Send>,
    /// The cap (`X-SPARQL-MaxRows`) when the server applied one.
    pub capped_at: Option<u64>,
}

impl Service {
    fn url_error(&self, url: &str, response: Response) -> RemoteError {
        let status = response.status;
        RemoteError::Status {
            url: display_url(url),
            status,
            reason: reason(status),
            body: self.client.redact(&response.snippet()),
        }
    }

    /// Sends a query and returns the raw answer (status 2xx), with `dataset` as
    /// `default-graph-uri` and `named-graph-uri` parameters.
    ///
    /// # Errors
    /// Transport, credentials and status errors.
    pub fn query_raw(
        &self,
        text: &str,
        dataset: Option<(&[NamedNode], &[NamedNode])>,
        accept: &str,
        timeout: Option<Duration>,
    ) -> Result<Response, RemoteError> {
        let mut params: Vec<(&str, &str)> = vec![("query", text)];
        if let Some((defaults, named)) = dataset {
            for graph in defaults {
                params.push(("default-graph-uri", graph.as_str()));
            }
            for graph in named {
                params.push(("named-graph-uri", graph.as_str()));
            }
        }
        let url = &self.endpoint.query;
        let request = if text.len() <= LONGEST_GET {
            Request {
                query: &params,
                accept: Some(accept),
                timeout,
                ..Request::new("GET", url)
            }
        } else {
            Request {
                accept: Some(accept),
                body: Body::Form(&params),
                timeout,
                ..Request::new("POST", url)
            }
        };
        let response = self.client.send(&request)?;
        if !(200..300).contains(&response.status) {
            return Err(self.url_error(url, response));
        }
        Ok(response)
    }

    /// Runs a SELECT (or ASK, as one boolean solution-less answer) and streams its solutions.
    ///
    /// # Errors
    /// Transport, status and parse errors; [`RemoteError::Unexpected`] for an ASK.
    pub fn select(&self, text: &str, timeout: Option<Duration>) -> Result<Solutions, RemoteError> {
        let response = self.query_raw(text, None, RESULTS_ACCEPT, timeout)?;
        let capped_at = response
            .header("x-sparql-maxrows")
            .and_then(|v| v.trim().parse().ok());
        match parse_results(&self.endpoint.query, response)? {
            ReaderQueryResultsParserOutput::Solutions(solutions) => {
                let variables: Arc<[Variable]> = solutions.variables().into();
                let url = display_url(&self.endpoint.query);
                let rows = solutions.map(move |s| {
                    s.map_err(|e| RemoteError::Answer {
                        url: url.clone(),
                        detail: e.to_string(),
                    })
                });
                Ok(Solutions {
                    variables,
                    rows: Box::new(rows),
                    capped_at,
                })
            }
            ReaderQueryResultsParserOutput::Boolean(_) => Err(RemoteError::Unexpected(format!(
                "{}: a boolean answer to a SELECT",
                self.endpoint.display()
            ))),
        }
    }

    /// Every solution of `SELECT vars WHERE { pattern }`, paging with `ORDER BY` and `OFFSET`
    /// when the server caps answers (Virtuoso's `ResultSetMaxRows`) or `page` is given.
    /// `vars` are the projected variables (with `?`), all of which are ordered on when paging.
    ///
    /// # Errors
    /// As [`Self::select`].
    pub fn select_all(
        &self,
        vars: &str,
        pattern: &str,
        page: Option<u64>,
    ) -> Result<Paged, RemoteError> {
        Paged::new(self.clone(), vars, pattern, page)
    }

    /// Runs an update.
    ///
    /// # Errors
    /// Transport, credentials and status errors.
    pub fn update(&self, text: &str) -> Result<(), RemoteError> {
        let url = &self.endpoint.update;
        let response = self.client.send(&Request {
            body: Body::Bytes(text.as_bytes(), "application/sparql-update"),
            accept: Some("*/*"),
            ..Request::new("POST", url)
        })?;
        if !(200..300).contains(&response.status) {
            return Err(self.url_error(url, response));
        }
        drain(response);
        Ok(())
    }

    /// The number of triples in a named graph.
    ///
    /// # Errors
    /// As [`Self::select`]; [`RemoteError::Answer`] when no number comes back.
    pub fn count(&self, graph: &NamedNode) -> Result<u64, RemoteError> {
        let text = format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}");
        self.single_number(&text)
    }

    /// The first binding of the first solution, as a number.
    ///
    /// # Errors
    /// As [`Self::select`].
    pub fn single_number(&self, text: &str) -> Result<u64, RemoteError> {
        let mut solutions = self.select(text, None)?;
        let first = solutions.rows.next().transpose()?;
        let value = first
            .as_ref()
            .and_then(|s| s.values().iter().flatten().next().cloned());
        match value {
            Some(Term::Literal(literal)) => {
                literal
                    .value()
                    .trim()
                    .parse()
                    .map_err(|_| RemoteError::Answer {
                        url: self.endpoint.display(),
                        detail: format!("a count that is not a number: {literal}"),
                    })
            }
            other => Err(RemoteError::Answer {
                url: self.endpoint.display(),
                detail: format!("no count in the answer ({other:?})"),
            }),
        }
    }

    /// Graph Store POST (adds) of an N-Triples body to a named graph. `Ok(None)` when the
    /// server has no Graph Store there (404, 405, 501), else the server's `Server` header.
    /// With `no_transaction`, oxigraph's parameter of that name is added: the server loads the
    /// body with its bulk loader instead of in one transaction (not atomic, many times
    /// faster); only for a server that said it is oxigraph.
    ///
    /// # Errors
    /// Transport, credentials and other status errors.
    pub fn graph_store_post(
        &self,
        graph: &NamedNode,
        body: &[u8],
        no_transaction: bool,
    ) -> Result<Option<String>, RemoteError> {
        let Some(url) = &self.endpoint.graph_store else {
            return Ok(None);
        };
        let mut query = vec![("graph", graph.as_str())];
        if no_transaction {
            query.push(("no_transaction", ""));
        }
        let response = self.client.send(&Request {
            query: &query,
            body: Body::Bytes(body, "application/n-triples"),
            accept: Some("*/*"),
            ..Request::new("POST", url)
        })?;
        match response.status {
            200..=299 => {
                let server = response.header("server").unwrap_or_default().to_owned();
                drain(response);
                Ok(Some(server))
            }
            404 | 405 | 501 => Ok(None),
            _ => Err(self.url_error(url, response)),
        }
    }
}

/// Drops an answer whose body does not matter. It is not read: a 204 without a length would
/// make the reader wait for the server to close the connection.
fn drain(response: Response) {
    drop(response);
}

fn parse_results(
    url: &str,
    response: Response,
) -> Result<ReaderQueryResultsParserOutput<Box<dyn Read + Send>>, RemoteError> {
    let media_type = response
        .header("content-type")
        .unwrap_or_default()
        .to_owned();
    let format =
        QueryResultsFormat::from_media_type(&media_type).unwrap_or(QueryResultsFormat::Xml);
    let body: Box<dyn Read + Send> = if format == QueryResultsFormat::Xml {
        Box::new(ResultsXmlMender::new(response.body))
    } else {
        response.body
    };
    QueryResultsParser::from_format(format)
        .for_reader(body)
        .map_err(|e| RemoteError::Answer {
            url: display_url(url),
            detail: e.to_string(),
        })
}

/// Pages through `SELECT vars WHERE { pattern }`.
pub struct Paged {
    service: Service,
    vars: String,
    pattern: String,
    page: Option<u64>,
    offset: u64,
    current: Box<dyn Iterator<Item = Result<QuerySolution, RemoteError>> + Send>,
    in_page: u64,
    done: bool,
}

impl Paged {
    fn new(
        service: Service,
        vars: &str,
        pattern: &str,
        page: Option<u64>,
    ) -> Result<Self, RemoteError> {
        let mut paged = Self {
            service,
            vars: vars.to_owned(),
            pattern: pattern.to_owned(),
            page,
            offset: 0,
            current: Box::new(std::iter::empty()),
            in_page: 0,
            done: false,
        };
        if page.is_none() {
            let solutions = paged
                .service
                .select(&format!("SELECT {vars} WHERE {{ {pattern} }}"), None)?;
            match solutions.capped_at {
                None => {
                    paged.current = solutions.rows;
                    paged.done = true;
                    return Ok(paged);
                }
                // Capped: read it again in ordered pages of the cap's size.
                Some(cap) => paged.page = Some(cap.max(1)),
            }
        }
        paged.next_page()?;
        Ok(paged)
    }

    fn next_page(&mut self) -> Result<(), RemoteError> {
        let size = self.page.unwrap_or(u64::MAX);
        // The order sits in a subquery: Virtuoso refuses a sorted OFFSET past its row cap
        // ("SR353: Sorted TOP clause ..."), but pages a sorted subquery.
        let text = format!(
            "SELECT {vars} WHERE {{ {{ SELECT {vars} WHERE {{ {} }} ORDER BY {vars} }} }} OFFSET {} LIMIT {size}",
            self.pattern,
            self.offset,
            vars = self.vars,
        );
        let solutions = self.service.select(&text, None)?;
        if solutions.capped_at.is_some_and(|cap| cap < size) {
            return Err(RemoteError::Truncated {
                url: self.service.endpoint.display(),
                rows: solutions.capped_at.unwrap_or_default(),
            });
        }
        self.current = solutions.rows;
        self.in_page = 0;
        self.offset += size;
        Ok(())
    }
}

impl Iterator for Paged {
    type Item = Result<QuerySolution, RemoteError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.current.next() {
                Some(row) => {
                    self.in_page += 1;
                    return Some(row);
                }
                None if self.done => return None,
                None => {
                    if self.in_page < self.page.unwrap_or(u64::MAX) {
                        self.done = true;
                        return None;
                    }
                    if let Err(e) = self.next_page() {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
            }
        }
    }
}

/// Runs a `kg query` remotely: the graph's prefixes are declared before the text (but for those
/// it declares itself), the dataset is the pushed graph unless the query names its own with
/// `FROM`, and the answer comes back as oxigraph's `QueryResults`, streamed.
///
/// # Errors
/// Every failure as [`QueryEvaluationError::Service`] (the message names the endpoint), a
/// timeout as [`QueryEvaluationError::Cancelled`].
pub fn evaluate(
    dataset: &RemoteDataset,
    text: &str,
    prefixes: &Prefixes,
    timeout: Option<Duration>,
) -> Result<QueryResults<'static>, QueryEvaluationError> {
    let service_error = |e: RemoteError| match e {
        RemoteError::Transport { ref detail, .. }
            if timeout.is_some() && detail.to_ascii_lowercase().contains("timeout") =>
        {
            QueryEvaluationError::Cancelled
        }
        e => QueryEvaluationError::Service(Box::new(e)),
    };
    let sent = with_prefixes(text, prefixes);
    let query = SparqlParser::new()
        .parse_query(&sent)
        .map_err(|e| QueryEvaluationError::Service(Box::new(e)))?;
    let names_dataset = query.dataset().is_some();
    let graph_query = matches!(query, Query::Construct { .. } | Query::Describe { .. });
    let params = (!names_dataset && !dataset.default_graphs.is_empty()).then_some((
        dataset.default_graphs.as_slice(),
        dataset.named_graphs.as_slice(),
    ));
    let service = &dataset.service;
    let accept = if graph_query {
        GRAPH_ACCEPT
    } else {
        RESULTS_ACCEPT
    };
    let response = service
        .query_raw(&sent, params, accept, timeout)
        .map_err(service_error)?;
    let url = service.endpoint.query.clone();
    if graph_query {
        let media_type = response.header("content-type").unwrap_or_default();
        let format = RdfFormat::from_media_type(media_type).unwrap_or(RdfFormat::NTriples);
        let parser = RdfParser::from_format(format).for_reader(response.body);
        let triples = parser.map(move |quad| {
            quad.map(Triple::from).map_err(|e| {
                QueryEvaluationError::Service(Box::new(RemoteError::Answer {
                    url: display_url(&url),
                    detail: e.to_string(),
                }))
            })
        });
        return Ok(QueryResults::Graph(QueryTripleIter::new(triples)));
    }
    if let Some(rows) = response
        .header("x-sparql-maxrows")
        .and_then(|v| v.trim().parse().ok())
    {
        return Err(service_error(RemoteError::Truncated {
            url: display_url(&url),
            rows,
        }));
    }
    let parsed = parse_results(&url, response).map_err(service_error)?;
    Ok(QueryResults::from(parsed))
}

/// The query text with `PREFIX` declarations for the graph's prefixes it does not declare.
pub fn with_prefixes(text: &str, prefixes: &Prefixes) -> String {
    let declared = declared_prefixes(text);
    let mut out = String::new();
    for (prefix, namespace) in prefixes {
        if !declared.iter().any(|d| d == prefix) {
            let _ = writeln!(out, "PREFIX {prefix}: <{namespace}>");
        }
    }
    out.push_str(text);
    out
}

/// The prefixes a query text declares (`PREFIX name:`, any case), comments and strings aside
/// only roughly: a false positive costs one redundant declaration less, never a wrong one.
fn declared_prefixes(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = text.to_ascii_lowercase();
    let mut at = 0;
    while let Some(position) = lower[at..].find("prefix") {
        let start = at + position + "prefix".len();
        at = start;
        let preceded = lower[..start - "prefix".len()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != ':' && c != '?');
        let rest = text[start..].trim_start();
        if !preceded || rest.len() == text[start..].len() {
            continue;
        }
        if let Some((name, _)) = rest.split_once(':')
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            found.push(name.to_owned());
        }
    }
    found
}

/// Mends SPARQL XML results from servers such as Virtuoso before oxigraph's parser reads them:
///
/// - blank node labels: Virtuoso writes `<bnode>nodeID://b10000</bnode>`, which no RDF syntax
///   accepts as a label; such a label becomes `x` and the hex of its bytes (one label, one
///   mended label). Valid labels pass unchanged.
/// - whitespace in literals: the parser trims the text of an element, so a literal that ends
///   (or starts) with a newline or a space, written raw as Virtuoso does, lost it; inside
///   `<literal>` whitespace becomes character references (`&#10;`), which it keeps.
///
/// In XML, `<bnode>` and `<literal` can only be markup (a `<` in text is escaped), so the scan
/// cannot touch a literal's text other than its whitespace.
pub struct ResultsXmlMender<R> {
    inner: R,
    /// What one read of `inner` gave (not zeroed again for each read).
    chunk: Vec<u8>,
    input: Vec<u8>,
    output: Vec<u8>,
    served: usize,
    eof: bool,
}

const BNODE: &[u8] = b"<bnode>";
const LITERAL: &[u8] = b"<literal";
const LITERAL_END: &[u8] = b"</literal>";
/// Bytes read from the inner reader at a time.
const CHUNK: usize = 64 * 1024;

impl<R: Read> ResultsXmlMender<R> {
    /// Wraps a reader of SPARQL XML results.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            chunk: vec![0; CHUNK],
            input: Vec::new(),
            output: Vec::new(),
            served: 0,
            eof: false,
        }
    }

    /// Moves what can be decided from `input` to `output`.
    fn process(&mut self) {
        let mut start = 0;
        loop {
            let rest = &self.input[start..];
            let Some((open, is_bnode)) = next_marker(rest) else {
                // Keep a possible start of a marker for the next read.
                let keep = if self.eof {
                    0
                } else {
                    (LITERAL.len() - 1).min(rest.len())
                };
                let upto = rest.len() - keep;
                self.output.extend_from_slice(&rest[..upto]);
                start += upto;
                break;
            };
            let done = if is_bnode {
                Self::bnode(rest, open, &mut self.output)
            } else {
                Self::literal(rest, open, &mut self.output)
            };
            match done {
                Some(used) => start += used,
                // The element is not whole yet: wait for more, or pass it as it is at the end.
                None if self.eof => {
                    self.output.extend_from_slice(rest);
                    start += rest.len();
                    break;
                }
                None => {
                    self.output.extend_from_slice(&rest[..open]);
                    start += open;
                    break;
                }
            }
        }
        self.input.drain(..start);
    }

    /// Writes `rest` up to the end of the `<bnode>` label at `open`, mended; `None` when the
    /// label is not whole yet. Gives back the bytes used.
    fn bnode(rest: &[u8], open: usize, output: &mut Vec<u8>) -> Option<usize> {
        let label_start = open + BNODE.len();
        let close = rest[label_start..].iter().position(|&b| b == b'<')?;
        let label = &rest[label_start..label_start + close];
        output.extend_from_slice(&rest[..label_start]);
        match std::str::from_utf8(label) {
            Ok(text) if BlankNode::new(text).is_ok() => output.extend_from_slice(label),
            _ => {
                output.push(b'x');
                for byte in label {
                    output.extend_from_slice(format!("{byte:02x}").as_bytes());
                }
            }
        }
        Some(label_start + close)
    }

    /// Writes `rest` up to the end of the text of the `<literal` element at `open`, its
    /// whitespace as character references; `None` when the element is not whole yet.
    fn literal(rest: &[u8], open: usize, output: &mut Vec<u8>) -> Option<usize> {
        let tag_end = open + rest[open..].iter().position(|&b| b == b'>')? + 1;
        if rest[tag_end - 2] == b'/' {
            output.extend_from_slice(&rest[..tag_end]);
            return Some(tag_end);
        }
        let close = tag_end + find(&rest[tag_end..], LITERAL_END)?;
        output.extend_from_slice(&rest[..tag_end]);
        for &byte in &rest[tag_end..close] {
            match byte {
                b' ' => output.extend_from_slice(b"&#32;"),
                b'\t' => output.extend_from_slice(b"&#9;"),
                b'\n' => output.extend_from_slice(b"&#10;"),
                b'\r' => output.extend_from_slice(b"&#13;"),
                _ => output.push(byte),
            }
        }
        Some(close)
    }
}

/// The first `<bnode>` or `<literal` in `rest`: where it opens, and whether it is a blank node.
/// One pass over the bytes, from one `<` to the next.
fn next_marker(rest: &[u8]) -> Option<(usize, bool)> {
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &rest[at..]) {
        let open = at + found;
        let tail = &rest[open..];
        if tail.starts_with(BNODE) {
            return Some((open, true));
        }
        if tail.starts_with(LITERAL) {
            return Some((open, false));
        }
        at = open + 1;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

impl<R: Read> Read for ResultsXmlMender<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.served == self.output.len() {
            self.output.clear();
            self.served = 0;
            if self.eof && self.input.is_empty() {
                return Ok(0);
            }
            let n = self.inner.read(&mut self.chunk)?;
            self.input.extend_from_slice(&self.chunk[..n]);
            if n == 0 {
                self.eof = true;
            }
            self.process();
            if self.eof && self.output.is_empty() && self.input.is_empty() {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.output.len() - self.served);
        buf[..n].copy_from_slice(&self.output[self.served..self.served + n]);
        self.served += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mend(input: &str, chunk: usize) -> String {
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(self.0.len()).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut out = String::new();
        ResultsXmlMender::new(Chunks(input.as_bytes(), chunk))
            .read_to_string(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn mends_virtuoso_blank_node_labels_in_any_chunking() {
        let input = "<binding name=\"s\"><bnode>nodeID://b10000</bnode></binding><literal>&lt;bnode>nodeID://x</literal><bnode>ok1</bnode>";
        let expected = "<binding name=\"s\"><bnode>x6e6f646549443a2f2f623130303030</bnode></binding><literal>&lt;bnode>nodeID://x</literal><bnode>ok1</bnode>";
        for chunk in [1, 2, 3, 7, 8, 64, 100_000] {
            assert_eq!(mend(input, chunk), expected, "chunk {chunk}");
        }
    }

    #[test]
    fn keeps_whitespace_at_the_ends_of_literals() {
        let input = "<literal xml:lang=\"en\"> a b\n</literal><literal/><literal datatype=\"urn:d\">c\t</literal>";
        let expected = "<literal xml:lang=\"en\">&#32;a&#32;b&#10;</literal><literal/><literal datatype=\"urn:d\">c&#9;</literal>";
        for chunk in [1, 2, 5, 9, 64, 100_000] {
            assert_eq!(mend(input, chunk), expected, "chunk {chunk}");
        }
        // What Virtuoso writes: the newline at the end was lost before the mending.
        let xml = "<?xml version=\"1.0\"?><sparql xmlns=\"http://www.w3.org/2005/sparql-results#\"><head><variable name=\"o\"/></head><results><result><binding name=\"o\"><literal>x\n</literal></binding></result></results></sparql>";
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Xml)
            .for_reader(ResultsXmlMender::new(xml.as_bytes()))
            .unwrap();
        let ReaderQueryResultsParserOutput::Solutions(mut solutions) = parsed else {
            panic!("solutions expected");
        };
        let first = solutions.next().unwrap().unwrap();
        let Some(Term::Literal(literal)) = first.get("o") else {
            panic!("a literal expected");
        };
        assert_eq!(literal.value(), "x\n");
    }

    #[test]
    fn mends_a_long_answer_as_it_mends_each_part() {
        // Many literals and few blank nodes, as a projection read gets them: every part is
        // mended as it is alone, whatever the chunks.
        let part = "<result><binding name=\"o\"><literal>a b</literal></binding><binding name=\"x\"><uri>urn:x</uri></binding></result>";
        let mended = "<result><binding name=\"o\"><literal>a&#32;b</literal></binding><binding name=\"x\"><uri>urn:x</uri></binding></result>";
        let mut input = part.repeat(5_000);
        input.push_str("<bnode>nodeID://b1</bnode>");
        let mut expected = mended.repeat(5_000);
        expected.push_str("<bnode>x6e6f646549443a2f2f6231</bnode>");
        for chunk in [13, 4_096, 100_000] {
            assert_eq!(mend(&input, chunk), expected, "chunk {chunk}");
        }
    }

    #[test]
    fn parses_mended_results() {
        let xml = r#"<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="s"/></head><results><result><binding name="s"><bnode>nodeID://b1</bnode></binding></result></results></sparql>"#;
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Xml)
            .for_reader(ResultsXmlMender::new(xml.as_bytes()))
            .unwrap();
        let ReaderQueryResultsParserOutput::Solutions(mut solutions) = parsed else {
            panic!("solutions expected");
        };
        let first = solutions.next().unwrap().unwrap();
        assert!(matches!(first.get("s"), Some(Term::BlankNode(_))));
    }

    #[test]
    fn declares_only_missing_prefixes() {
        let prefixes: Prefixes = [("ex", "http://ex/"), ("kg", "https://kg/")]
            .into_iter()
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .collect();
        let sent = with_prefixes(
            "prefix ex: <http://other/>\nSELECT * { ?s ex:p kg:o }",
            &prefixes,
        );
        assert_eq!(
            sent,
            "PREFIX kg: <https://kg/>\nprefix ex: <http://other/>\nSELECT * { ?s ex:p kg:o }"
        );
        assert!(SparqlParser::new().parse_query(&sent).is_ok());
    }
}
