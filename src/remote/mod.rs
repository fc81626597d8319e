//! Remote triple stores over HTTP: pushing a built graph to a SPARQL server ([`push()`]) and
//! reading one through the read seam ([`RemoteGraph`]).
//!
//! - [`http`]: the blocking client (ureq with rustls), credentials (Basic, Digest per RFC 7616
//!   with MD5 and `qop=auth`, Bearer), retries with backoff on 5xx answers and broken
//!   connections, errors without secrets;
//! - [`sparql`]: the SPARQL 1.1 Protocol (queries by GET or form POST, updates) and the Graph
//!   Store HTTP Protocol, result parsing, paging past a server's row cap;
//! - [`push()`]: streams the quads of a graph in batches (Graph Store POST, else `INSERT DATA`)
//!   into staging graphs, swaps them in with `MOVE` in one update, records the push, and checks
//!   the counts;
//! - [`RemoteGraph`]: a [`crate::read::GraphReader`] over an endpoint: pattern reads as small
//!   SELECTs, SPARQL sent as it is, and the projection fetched once and cached on disk.
//!
//! Servers tested: Virtuoso Open Source 7.2 and `oxigraph serve` 0.5 (see `docs/remote-stores.md`).

mod batch;
pub mod digest;
mod graph;
pub mod http;
mod projection;
mod push;
mod record;
pub mod sparql;

use std::fmt;

pub use self::graph::{Fetched, RemoteGraph, RemoteOptions};
pub use self::http::{Client, ClientOptions, Credentials, RetryPolicy, Secret};
pub use self::push::{
    Protocol, PushError, PushOptions, PushPhases, PushProgress, PushReport, PushedGraph, push,
};
pub use self::record::{PushRecord, inferred_target, staging_graph};
pub use self::sparql::evaluate;

/// Why a remote call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteError {
    /// The URL is not one kg can use.
    #[error("{url}: {reason}")]
    BadUrl { url: String, reason: String },
    /// The connection failed, or broke, or timed out (after the retries, when `transient`).
    #[error("{url}: {detail}")]
    Transport {
        url: String,
        detail: String,
        transient: bool,
    },
    /// The server refused or asked for credentials.
    #[error("{url}: {detail}")]
    Unauthorized { url: String, detail: String },
    /// The server answered with an error status.
    #[error("{url}: HTTP {status} {reason}{}{}", if body.is_empty() { String::new() } else { format!(": {body}") }, status_hint(body))]
    Status {
        url: String,
        status: u16,
        reason: &'static str,
        body: String,
    },
    /// The answer could not be read.
    #[error("{url}: unreadable answer: {detail}")]
    Answer { url: String, detail: String },
    /// The server cut an answer at its row limit, and the caller cannot page.
    #[error(
        "{url}: the server cut the answer at {rows} rows (X-SPARQL-MaxRows): add LIMIT and OFFSET to the query, or raise the server's row limit (Virtuoso: ResultSetMaxRows)"
    )]
    Truncated { url: String, rows: u64 },
    /// A local file (cache) could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Something the remote graph holds cannot be read as kg expects.
    #[error("{0}")]
    Unexpected(String),
}

/// Advice for server errors whose cure is known: what to change, and where.
fn status_hint(body: &str) -> &'static str {
    if body.contains("SR325") {
        // A staged push moves the whole graph in one transaction; Virtuoso caps its log.
        "\n  hint: Virtuoso's transaction log is smaller than the graph moved in one step: raise \
         TransactionAfterImageLimit in the [Parameters] of virtuoso.ini (bytes; the default, \
         50000000, is passed near a million triples), or push with --no-staging"
    } else if body.contains("SR171") {
        // Seen with a staged push of 10M triples: the one-transaction MOVE ran out of time.
        "\n  hint: Virtuoso stopped a transaction that ran past its time limit; a staged push \
         moves the whole graph in one transaction (at 10 million triples it timed out): push \
         with --no-staging, or in smaller graphs"
    } else {
        ""
    }
}

impl RemoteError {
    /// Whether the server refused the credentials.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Unauthorized { .. })
    }
}

/// The URLs of one SPARQL service: query, update and Graph Store.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// SPARQL 1.1 Protocol query URL.
    pub query: String,
    /// SPARQL 1.1 Update URL.
    pub update: String,
    /// SPARQL 1.1 Graph Store HTTP Protocol URL (`?graph=IRI` is added), when the server has one.
    pub graph_store: Option<String>,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("query", &http::display_url(&self.query))
            .field("update", &http::display_url(&self.update))
            .field(
                "graph_store",
                &self.graph_store.as_deref().map(http::display_url),
            )
            .finish()
    }
}

impl Endpoint {
    /// The service of a query URL, with the update and Graph Store URLs derived from it unless
    /// given: `…/query` (oxigraph, Fuseki) has `…/update` and `…/store`; `…/sparql` (Virtuoso)
    /// takes updates itself and has its Graph Store at `…/sparql-graph-crud` (`…/sparql-auth`:
    /// `…/sparql-graph-crud-auth`); any other URL takes updates itself and has no Graph Store.
    ///
    /// # Errors
    /// [`RemoteError::BadUrl`] for a URL that is not `http` or `https`, or that holds
    /// credentials (they would be on the command line: use a password file).
    pub fn new(
        query: &str,
        update: Option<&str>,
        graph_store: Option<&str>,
    ) -> Result<Self, RemoteError> {
        for url in [Some(query), update, graph_store].into_iter().flatten() {
            check_url(url)?;
        }
        let path = http::display_url(query);
        let trimmed = path.trim_end_matches('/');
        let (derived_update, derived_store) = if let Some(base) = trimmed.strip_suffix("/query") {
            (format!("{base}/update"), Some(format!("{base}/store")))
        } else if let Some(base) = trimmed.strip_suffix("/sparql-auth") {
            (
                query.to_owned(),
                Some(format!("{base}/sparql-graph-crud-auth")),
            )
        } else if let Some(base) = trimmed.strip_suffix("/sparql") {
            (query.to_owned(), Some(format!("{base}/sparql-graph-crud")))
        } else {
            (query.to_owned(), None)
        };
        Ok(Self {
            query: query.to_owned(),
            update: update.map_or(derived_update, str::to_owned),
            graph_store: graph_store.map(str::to_owned).or(derived_store),
        })
    }

    /// The query URL as messages show it.
    pub fn display(&self) -> String {
        http::display_url(&self.query)
    }
}

fn check_url(url: &str) -> Result<(), RemoteError> {
    let bad = |reason: &str| RemoteError::BadUrl {
        url: http::display_url(url),
        reason: reason.to_owned(),
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(bad("not a URL (expected http://HOST[:PORT]/PATH)"));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(bad("only http and https URLs are supported"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        // Never echo the URL: it holds the secret.
        return Err(RemoteError::BadUrl {
            url: format!("{scheme}://…"),
            reason: "credentials in a URL end up in shell histories and process lists: give --user and --password-file (or KG_ENDPOINT_PASSWORD) instead".to_owned(),
        });
    }
    if authority.is_empty() {
        return Err(bad("the URL has no host"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_virtuoso_log_limit_error_says_what_to_raise() {
        let status = |body: &str| RemoteError::Status {
            url: "http://127.0.0.1:8890/sparql".into(),
            status: 500,
            reason: "Internal Server Error",
            body: body.into(),
        };
        let limit = status("Virtuoso 40005 Error SR325: Transaction aborted").to_string();
        assert!(limit.contains("TransactionAfterImageLimit"), "{limit}");
        assert!(limit.contains("--no-staging"), "{limit}");
        let timeout = status("Virtuoso S1T00 Error SR171: Transaction timed out").to_string();
        assert!(timeout.contains("--no-staging"), "{timeout}");
        let other = status("Virtuoso 37000 Error SP030: syntax").to_string();
        assert!(!other.contains("hint"), "{other}");
    }

    #[test]
    fn derives_update_and_graph_store_urls() {
        let oxigraph = Endpoint::new("http://127.0.0.1:7878/query", None, None).unwrap();
        assert_eq!(oxigraph.update, "http://127.0.0.1:7878/update");
        assert_eq!(
            oxigraph.graph_store.as_deref(),
            Some("http://127.0.0.1:7878/store")
        );
        let virtuoso = Endpoint::new("http://127.0.0.1:8890/sparql", None, None).unwrap();
        assert_eq!(virtuoso.update, "http://127.0.0.1:8890/sparql");
        assert_eq!(
            virtuoso.graph_store.as_deref(),
            Some("http://127.0.0.1:8890/sparql-graph-crud")
        );
        let auth = Endpoint::new("http://h/sparql-auth", None, None).unwrap();
        assert_eq!(
            auth.graph_store.as_deref(),
            Some("http://h/sparql-graph-crud-auth")
        );
        let other =
            Endpoint::new("https://h/repositories/kg", None, Some("https://h/gsp")).unwrap();
        assert_eq!(other.update, "https://h/repositories/kg");
        assert_eq!(other.graph_store.as_deref(), Some("https://h/gsp"));
    }

    #[test]
    fn refuses_urls_with_credentials_without_echoing_them() {
        let error = Endpoint::new("http://kg:s3cret@127.0.0.1/sparql", None, None).unwrap_err();
        let message = error.to_string();
        assert!(!message.contains("s3cret"), "{message}");
        assert!(message.contains("--password-file"), "{message}");
        assert!(Endpoint::new("ftp://h/x", None, None).is_err());
        assert!(Endpoint::new("127.0.0.1:8890/sparql", None, None).is_err());
    }
}
