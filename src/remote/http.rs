//! The HTTP client every remote call goes through ([ureq], blocking, rustls for `https`):
//! credentials (Basic, Digest, Bearer), retries with backoff on transient failures, and errors
//! that never carry a secret.

use std::fmt::Write as _;
use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use ureq::http::{HeaderMap, StatusCode};

use super::RemoteError;
use super::digest::{self, Challenge};

/// A secret (password or token): shown as `<redacted>` by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret; surrounding white space (a file's final newline) is removed.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into().trim().to_owned())
    }

    /// The secret, for the one place that sends it.
    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How requests authenticate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Credentials {
    /// Anonymous.
    #[default]
    None,
    /// A user and password, sent the way the server's `401` challenge asks (Digest or Basic);
    /// nothing is sent before a challenge.
    Password {
        /// User name.
        user: String,
        /// Password.
        password: Secret,
        /// Send Basic credentials with every request, without waiting for a challenge.
        preemptive_basic: bool,
    },
    /// `Authorization: Bearer <token>` on every request.
    Bearer(Secret),
}

impl Credentials {
    fn secret(&self) -> Option<&str> {
        match self {
            Self::None => None,
            Self::Password { password, .. } => Some(password.expose()),
            Self::Bearer(token) => Some(token.expose()),
        }
    }
}

/// When to try a request again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Further attempts after the first (0: none).
    pub retries: u32,
    /// The wait before the first retry; each next one waits twice as long.
    pub first_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            retries: 4,
            first_backoff: Duration::from_millis(500),
        }
    }
}

/// Client settings.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Credentials.
    pub credentials: Credentials,
    /// Retries on 5xx answers (but 501), 408, 429 and broken connections; never on other 4xx.
    pub retry: RetryPolicy,
    /// Longest wait for one request (connect, send, answer); `None`: no limit.
    pub timeout: Option<Duration>,
    /// Longest wait to connect.
    pub connect_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            credentials: Credentials::None,
            retry: RetryPolicy::default(),
            timeout: Some(Duration::from_secs(600)),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// A request body.
#[derive(Debug, Clone, Copy)]
pub enum Body<'a> {
    /// No body.
    Empty,
    /// Bytes with their media type.
    Bytes(&'a [u8], &'a str),
    /// An `application/x-www-form-urlencoded` form.
    Form(&'a [(&'a str, &'a str)]),
}

/// A request to send.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// `GET`, `POST`, `PUT`, `DELETE`.
    pub method: &'static str,
    /// The URL, without a query string of its own parameters beyond `query`.
    pub url: &'a str,
    /// Query-string parameters (percent-encoded when sent).
    pub query: &'a [(&'a str, &'a str)],
    /// `Accept`, when given.
    pub accept: Option<&'a str>,
    /// The body.
    pub body: Body<'a>,
    /// Longest wait for this request, overriding the client's.
    pub timeout: Option<Duration>,
}

impl<'a> Request<'a> {
    /// A request without parameters, `Accept` or body.
    pub fn new(method: &'static str, url: &'a str) -> Self {
        Self {
            method,
            url,
            query: &[],
            accept: None,
            body: Body::Empty,
            timeout: None,
        }
    }
}

/// An answer: status, headers and the body as a stream.
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Box<dyn Read + Send>,
}

impl Response {
    /// A header's value, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The first 1,000 characters of the body, for error messages.
    pub fn snippet(self) -> String {
        let mut bytes = Vec::new();
        let _ = self.body.take(4_000).read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes);
        let text = text.trim();
        let mut snippet: String = text.chars().take(1_000).collect();
        if snippet.len() < text.len() {
            snippet.push_str(" ...");
        }
        snippet
    }
}

/// The digest state kept between requests: the last challenge and its nonce count.
#[derive(Debug, Default)]
struct DigestState {
    challenge: Option<Challenge>,
    count: u32,
    /// The server asked for Basic once: later requests send it at once rather than each
    /// meeting a 401 first (and sending its body twice), as browsers do for a realm.
    basic: bool,
}

/// A blocking HTTP client with credentials and retries.
pub struct Client {
    agent: ureq::Agent,
    options: ClientOptions,
    digest: Mutex<DigestState>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.options.credentials)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client.
    pub fn new(options: ClientOptions) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(options.connect_timeout))
            .max_redirects(0)
            .user_agent(concat!("kg/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self {
            agent,
            options,
            digest: Mutex::new(DigestState::default()),
        }
    }

    /// The client's settings.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Sends a request: answers to a `401` challenge with the credentials once, retries
    /// transient failures with backoff. Every status comes back as a [`Response`]; only
    /// transport failures (after the retries) and refused credentials are errors.
    ///
    /// # Errors
    /// [`RemoteError::Transport`], [`RemoteError::Unauthorized`].
    pub fn send(&self, request: &Request<'_>) -> Result<Response, RemoteError> {
        let policy = self.options.retry;
        let mut wait = policy.first_backoff;
        let mut attempt = 0;
        loop {
            let outcome = self.send_authenticated(request);
            let transient = match &outcome {
                Ok(response) => is_transient_status(response.status),
                Err(RemoteError::Transport { transient, .. }) => *transient,
                Err(_) => false,
            };
            if !transient || attempt >= policy.retries {
                return outcome;
            }
            attempt += 1;
            std::thread::sleep(wait);
            wait = wait.saturating_mul(2);
        }
    }

    fn send_authenticated(&self, request: &Request<'_>) -> Result<Response, RemoteError> {
        let authorization = self.authorization(request);
        let response = self.send_once(request, authorization.as_deref())?;
        if response.status != 401 {
            return Ok(response);
        }
        let challenge = response
            .header("www-authenticate")
            .map(str::to_owned)
            .unwrap_or_default();
        let credentials = &self.options.credentials;
        let answered = match credentials {
            Credentials::Password { user, password, .. } => {
                if challenge
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("digest")
                {
                    let parsed =
                        Challenge::parse(&challenge).map_err(|e| RemoteError::Unauthorized {
                            url: display_url(request.url),
                            detail: e.to_string(),
                        })?;
                    let mut state = self.lock_digest();
                    state.challenge = Some(parsed);
                    state.count = 0;
                    drop(state);
                    self.authorization(request)
                } else if challenge
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("basic")
                {
                    self.lock_digest().basic = true;
                    Some(basic(user, password.expose()))
                } else {
                    None
                }
            }
            Credentials::None | Credentials::Bearer(_) => None,
        };
        let scheme = challenge
            .split_whitespace()
            .next()
            .unwrap_or("none")
            .to_owned();
        let Some(answer) = answered else {
            let detail = match credentials {
                Credentials::None => format!(
                    "the endpoint asks for credentials ({scheme}): give --user and --password-file (or KG_ENDPOINT_PASSWORD), or a token"
                ),
                _ => format!("the endpoint refused the credentials (it asks for {scheme})"),
            };
            return Err(RemoteError::Unauthorized {
                url: display_url(request.url),
                detail,
            });
        };
        let response = self.send_once(request, Some(&answer))?;
        if response.status == 401 {
            return Err(RemoteError::Unauthorized {
                url: display_url(request.url),
                detail: format!("the endpoint refused the credentials ({scheme})"),
            });
        }
        Ok(response)
    }

    fn lock_digest(&self) -> std::sync::MutexGuard<'_, DigestState> {
        self.digest
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The `Authorization` header to send: Bearer, preemptive Basic, or Digest with the last
    /// challenge (the nonce count goes up with each use).
    fn authorization(&self, request: &Request<'_>) -> Option<String> {
        match &self.options.credentials {
            Credentials::None => None,
            Credentials::Bearer(token) => Some(format!("Bearer {}", token.expose())),
            Credentials::Password {
                user,
                password,
                preemptive_basic,
            } => {
                let mut state = self.lock_digest();
                let Some(challenge) = state.challenge.clone() else {
                    let asked = state.basic;
                    drop(state);
                    return (*preemptive_basic || asked).then(|| basic(user, password.expose()));
                };
                state.count = state.count.saturating_add(1);
                let count = state.count;
                drop(state);
                let uri = request_uri(request);
                Some(challenge.authorization(
                    user,
                    password.expose(),
                    request.method,
                    &uri,
                    &digest::cnonce(),
                    count,
                ))
            }
        }
    }

    fn send_once(
        &self,
        request: &Request<'_>,
        authorization: Option<&str>,
    ) -> Result<Response, RemoteError> {
        let url = full_url(request);
        let mut builder = ureq::http::Request::builder()
            .method(request.method)
            .uri(url.as_str());
        if let Some(accept) = request.accept {
            builder = builder.header("Accept", accept);
        }
        if let Some(authorization) = authorization {
            builder = builder.header("Authorization", authorization);
        }
        let form;
        let body: &[u8] = match request.body {
            Body::Empty => &[],
            Body::Bytes(bytes, media_type) => {
                builder = builder.header("Content-Type", media_type);
                bytes
            }
            Body::Form(fields) => {
                builder = builder.header("Content-Type", "application/x-www-form-urlencoded");
                form = encode_form(fields);
                form.as_bytes()
            }
        };
        let http_request = builder.body(body).map_err(|e| RemoteError::Transport {
            url: display_url(request.url),
            detail: e.to_string(),
            transient: false,
        })?;
        let timeout = request.timeout.or(self.options.timeout);
        let configured = self
            .agent
            .configure_request(http_request)
            .timeout_global(timeout)
            .build();
        let outcome = if request.method == "GET" || request.method == "DELETE" {
            let (parts, _) = configured.into_parts();
            self.agent.run(ureq::http::Request::from_parts(parts, ()))
        } else {
            self.agent.run(configured)
        };
        match outcome {
            Ok(response) => {
                let status = response.status();
                let (parts, body) = response.into_parts();
                Ok(Response {
                    status: status.as_u16(),
                    headers: parts.headers,
                    body: Box::new(body.into_reader()),
                })
            }
            Err(error) => Err(self.transport_error(request.url, &error)),
        }
    }

    fn transport_error(&self, url: &str, error: &ureq::Error) -> RemoteError {
        let transient = match error {
            ureq::Error::Io(io) => matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionRefused
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::BrokenPipe
                    | std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::Interrupted
            ),
            ureq::Error::ConnectionFailed | ureq::Error::Protocol(_) => true,
            _ => false,
        };
        let timed_out = matches!(error, ureq::Error::Timeout(_));
        RemoteError::Transport {
            url: display_url(url),
            detail: self.redact(&if timed_out {
                format!("{error} (raise --http-timeout)")
            } else {
                error.to_string()
            }),
            transient,
        }
    }

    /// Removes the secret from a text, should a server or a library echo it.
    pub fn redact(&self, text: &str) -> String {
        match self.options.credentials.secret() {
            Some(secret) if !secret.is_empty() => text.replace(secret, "<redacted>"),
            _ => text.to_owned(),
        }
    }
}

fn basic(user: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {token}")
}

/// 5xx but 501 (not implemented), 408 and 429: worth another try.
fn is_transient_status(status: u16) -> bool {
    (status >= 500 && status != 501 && status != 505) || status == 408 || status == 429
}

/// The status line's words, for messages.
pub fn reason(status: u16) -> &'static str {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// The URL with its query parameters, percent-encoded.
fn full_url(request: &Request<'_>) -> String {
    let mut url = request.url.to_owned();
    let mut separator = if url.contains('?') { '&' } else { '?' };
    for (name, value) in request.query {
        url.push(separator);
        url.push_str(&percent_encode(name));
        url.push('=');
        url.push_str(&percent_encode(value));
        separator = '&';
    }
    url
}

/// The request-target that Digest signs: the path and query of the URL.
fn request_uri(request: &Request<'_>) -> String {
    let url = full_url(request);
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or_else(|| "/".to_owned(), |at| after_scheme[at..].to_owned())
}

/// A URL as messages show it: without its query string (which may be long, or hold a key).
pub fn display_url(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or(url).to_owned()
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn encode_form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_show_in_debug() {
        let credentials = Credentials::Password {
            user: "kg".into(),
            password: Secret::new("hunter2\n"),
            preemptive_basic: false,
        };
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let client = Client::new(ClientOptions {
            credentials,
            ..ClientOptions::default()
        });
        assert_eq!(client.redact("x hunter2 y"), "x <redacted> y");
    }

    #[test]
    fn encodes_urls_and_signs_the_path() {
        let request = Request {
            query: &[("graph", "urn:a b"), ("q", "é&")],
            ..Request::new("GET", "http://127.0.0.1:1/store")
        };
        assert_eq!(
            full_url(&request),
            "http://127.0.0.1:1/store?graph=urn%3Aa%20b&q=%C3%A9%26"
        );
        assert_eq!(
            request_uri(&request),
            "/store?graph=urn%3Aa%20b&q=%C3%A9%26"
        );
        assert_eq!(display_url("http://h/x?token=1"), "http://h/x");
        assert_eq!(
            basic("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        for status in [500, 502, 503, 504, 408, 429] {
            assert!(is_transient_status(status), "{status}");
        }
        for status in [200, 400, 401, 403, 404, 405, 413, 415, 501] {
            assert!(!is_transient_status(status), "{status}");
        }
    }

    /// A loopback server that answers each request with the next status of `statuses` (and 200
    /// after them); gives back its URL and how many requests it saw.
    fn scripted(statuses: Vec<u16>) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
        use std::io::{BufRead as _, BufReader, Write as _};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/sparql", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(statuses.len() + 1) {
                let Ok(mut stream) = stream else { return };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let status = statuses.get(n).copied().unwrap_or(200);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                );
            }
        });
        (url, seen)
    }

    fn quick(retries: u32) -> Client {
        Client::new(ClientOptions {
            retry: RetryPolicy {
                retries,
                first_backoff: Duration::from_millis(5),
            },
            ..ClientOptions::default()
        })
    }

    #[test]
    fn retries_5xx_until_success_but_not_4xx() {
        let (url, seen) = scripted(vec![503, 502]);
        let response = quick(3).send(&Request::new("GET", &url)).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 3);

        let (url, seen) = scripted(vec![400]);
        let response = quick(3).send(&Request::new("GET", &url)).unwrap();
        assert_eq!(response.status, 400);
        assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 1);

        let (url, seen) = scripted(vec![500, 500, 500]);
        let response = quick(1).send(&Request::new("GET", &url)).unwrap();
        assert_eq!(
            response.status, 500,
            "the last answer once the retries are spent"
        );
        assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 2);
    }

    #[test]
    fn a_challenge_without_credentials_is_a_clear_error() {
        let (url, _) = scripted(vec![401]);
        let error = quick(0).send(&Request::new("GET", &url)).err().unwrap();
        assert!(error.is_unauthorized());
        assert!(error.to_string().contains("--password-file"), "{error}");
    }

    /// A connection refused is retried, then reported with the URL and no secret.
    #[test]
    fn refused_connections_are_retried_then_reported() {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let client = Client::new(ClientOptions {
            credentials: Credentials::Bearer(Secret::new("tok3n")),
            retry: RetryPolicy {
                retries: 2,
                first_backoff: Duration::from_millis(10),
            },
            ..ClientOptions::default()
        });
        let url = format!("http://127.0.0.1:{port}/sparql");
        let started = std::time::Instant::now();
        let error = client.send(&Request::new("GET", &url)).err().unwrap();
        assert!(started.elapsed() >= Duration::from_millis(30));
        let message = error.to_string();
        assert!(message.contains(&url), "{message}");
        assert!(!message.contains("tok3n"), "{message}");
        assert!(matches!(
            error,
            RemoteError::Transport {
                transient: true,
                ..
            }
        ));
    }
}
