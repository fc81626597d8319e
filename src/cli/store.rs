//! The graph every command reads or writes: a store folder (`--store DIR`, `KG_STORE`) or a SPARQL
//! endpoint (`--endpoint URL`), opened through the library's read seam; and the connection
//! settings shared with `kg push` (credentials from a file or the environment, never from argv).

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum, ValueHint};
use kg::read::GraphReader;
use kg::remote::sparql::Service;
use kg::remote::{
    Client, ClientOptions, Credentials, Endpoint, Fetched, RemoteGraph, RemoteOptions, RetryPolicy,
    Secret,
};
use kg::store::{LocalGraph, StoreDir};
use oxigraph::model::NamedNode;

use super::commands::build;
use super::number;

/// A store folder, for the commands that write one or serve one (`kg build`, `kg serve`).
#[derive(Debug, Args)]
pub struct LocalStoreArgs {
    /// The store folder [default: ./kg-store]
    #[arg(long, env = "KG_STORE", value_name = "DIR", value_hint = ValueHint::DirPath)]
    store: Option<PathBuf>,
}

/// The graph a reading command reads: a store folder or a SPARQL endpoint.
#[derive(Debug, Args)]
pub struct StoreArgs {
    #[command(flatten)]
    local: LocalStoreArgs,

    /// Read from a SPARQL endpoint (its query URL) instead of a store folder
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url)]
    endpoint: Option<String>,

    /// With --endpoint: the graph to read (a kg push target) [default: the one graph kg pushed
    /// there, else the server's default graph]
    #[arg(long, value_name = "IRI", requires = "endpoint")]
    remote_graph: Option<String>,

    /// Leave out what the ontology implies (the kg:inferred graph): the stated facts only
    #[arg(long)]
    no_inference: bool,

    #[command(flatten)]
    connection: ConnectionArgs,
}

/// How kg talks to a SPARQL server. Secrets come from a file or the environment: a password
/// from --password-file or KG_ENDPOINT_PASSWORD, a token from --token-file or KG_ENDPOINT_TOKEN.
#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// The user to authenticate as (Digest or Basic, as the server asks)
    #[arg(long, env = "KG_ENDPOINT_USER", value_name = "USER")]
    user: Option<String>,

    /// A file holding the password (else KG_ENDPOINT_PASSWORD)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath)]
    password_file: Option<PathBuf>,

    /// A file holding a bearer token (else KG_ENDPOINT_TOKEN)
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, conflicts_with = "user")]
    token_file: Option<PathBuf>,

    /// How the password is sent: as the server's 401 challenge asks (Digest or Basic), or Basic
    /// with every request
    #[arg(long, value_enum, default_value_t = AuthMode::Challenge)]
    auth: AuthMode,

    /// Seconds one request may take (connect, send, answer)
    #[arg(long = "http-timeout", value_name = "SECONDS", default_value_t = 600, value_parser = number(1, 86_400))]
    http_timeout: u64,

    /// Retries of a request that failed for a transient reason (5xx, 408, 429, a broken
    /// connection), with a backoff from 0.5 s doubling each time; none for other 4xx answers
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(0..=100))]
    retries: u32,

    /// Where projections of remote graphs are cached [default: $XDG_CACHE_HOME/kg/remote, else
    /// ~/.cache/kg/remote]
    #[arg(long, env = "KG_CACHE", value_name = "DIR", value_hint = ValueHint::DirPath)]
    cache: Option<PathBuf>,

    /// Do not cache projections of remote graphs
    #[arg(long, conflicts_with = "cache")]
    no_cache: bool,

    /// Read remote answers in pages of N rows (ORDER BY, OFFSET) [default: one request, paged only
    /// when the server cuts the answer at its row limit]
    #[arg(long, value_name = "N", value_parser = number(1, u64::from(u32::MAX)))]
    page_size: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuthMode {
    Challenge,
    Basic,
}

/// The default store folder, in the current directory.
const DEFAULT_STORE: &str = "kg-store";

impl LocalStoreArgs {
    /// The store folder.
    pub fn dir(&self) -> StoreDir {
        StoreDir::new(
            self.store
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_STORE)),
        )
    }

    /// The store folder's current generation. When no graph was built in the default folder
    /// yet, the embedded default is built first, so that reading works out of the box; an
    /// explicit `--store` that was never built is an error.
    pub fn open(&self) -> anyhow::Result<LocalGraph> {
        let store = self.dir();
        if self.store.is_none() && !store.is_built() {
            let _ = writeln!(
                io::stderr(),
                "kg: no graph in {} yet: building the embedded peace-talks graph first",
                store.root().display()
            );
            build::build_embedded(&store)?;
        }
        Ok(LocalGraph::open(store.current()?)?)
    }
}

impl StoreArgs {
    /// The graph to read: the endpoint when one is given, else the store folder's current
    /// generation. When no graph was built in the default folder yet, the embedded default is
    /// built first, so `kg query` works out of the box; an explicit `--store` that was never
    /// built is an error.
    pub fn open(&self) -> anyhow::Result<Box<dyn GraphReader>> {
        if let Some(url) = &self.endpoint {
            let service = self.connection.service(url, None, None)?;
            let graph = self
                .remote_graph
                .as_deref()
                .map(|iri| NamedNode::new(iri).with_context(|| format!("--remote-graph {iri}")))
                .transpose()?;
            let options = RemoteOptions {
                graph,
                cache: self.connection.cache_dir(),
                page: self.connection.page_size,
                inference: !self.no_inference,
                on_fetch: Some(fetched),
            };
            let remote = RemoteGraph::open(service, options)
                .with_context(|| format!("cannot read the graph at --endpoint {url}"))?;
            return Ok(Box::new(remote));
        }
        Ok(Box::new(self.open_local()?))
    }

    /// The store folder's current generation (what `kg push` sends), with or without the
    /// inferred graph as `--no-inference` says.
    pub fn open_local(&self) -> anyhow::Result<LocalGraph> {
        Ok(self.local.open()?.with_inference(!self.no_inference))
    }
}

impl ConnectionArgs {
    /// The service at a query URL (update and Graph Store URLs derived unless given), with the
    /// client these settings describe.
    pub fn service(
        &self,
        query_url: &str,
        update_url: Option<&str>,
        graph_store_url: Option<&str>,
    ) -> anyhow::Result<Service> {
        let endpoint = Endpoint::new(query_url, update_url, graph_store_url)?;
        let options = ClientOptions {
            credentials: self.credentials()?,
            retry: RetryPolicy {
                retries: self.retries,
                ..RetryPolicy::default()
            },
            timeout: Some(Duration::from_secs(self.http_timeout.max(1))),
            ..ClientOptions::default()
        };
        Ok(Service {
            client: Arc::new(Client::new(options)),
            endpoint,
        })
    }

    fn credentials(&self) -> anyhow::Result<Credentials> {
        if let Some(file) = &self.token_file {
            return Ok(Credentials::Bearer(read_secret(file, "--token-file")?));
        }
        if let Some(user) = &self.user {
            let password = match &self.password_file {
                Some(file) => read_secret(file, "--password-file")?,
                None => match std::env::var("KG_ENDPOINT_PASSWORD") {
                    Ok(value) => Secret::new(value),
                    Err(_) => bail!(
                        "--user {user} needs a password: give --password-file FILE or set KG_ENDPOINT_PASSWORD"
                    ),
                },
            };
            return Ok(Credentials::Password {
                user: user.clone(),
                password,
                preemptive_basic: self.auth == AuthMode::Basic,
            });
        }
        if self.password_file.is_some() {
            bail!("--password-file needs --user");
        }
        if let Ok(token) = std::env::var("KG_ENDPOINT_TOKEN") {
            return Ok(Credentials::Bearer(Secret::new(token)));
        }
        Ok(Credentials::None)
    }

    /// The projection cache folder, unless `--no-cache`.
    fn cache_dir(&self) -> Option<PathBuf> {
        if self.no_cache {
            return None;
        }
        self.cache.clone().or_else(|| {
            let base = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
            Some(base.join("kg").join("remote"))
        })
    }
}

/// Says on stderr that a remote projection was fetched (seconds to minutes on a large graph),
/// and why: nothing was cached, or the cache was for an earlier state of the graph.
fn fetched(fetched: &Fetched<'_>) {
    let why = match fetched.replaced {
        Some(earlier) => format!("; the cache held {earlier}"),
        None => String::new(),
    };
    let _ = writeln!(
        io::stderr(),
        "kg: fetched the projection of {} ({}{why}): {} nodes, {} edges in {:.1} s",
        fetched.location,
        fetched.state,
        fetched.nodes,
        fetched.edges,
        fetched.elapsed.as_secs_f64()
    );
}

/// A secret from a file: its content without the final newline. The content is never shown.
fn read_secret(path: &Path, flag: &str) -> anyhow::Result<Secret> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{flag} {}: cannot read it", path.display()))?;
    if text.trim().is_empty() {
        bail!("{flag} {}: the file is empty", path.display());
    }
    Ok(Secret::new(text))
}
