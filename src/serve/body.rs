//! Response bodies and errors shared by the routes: JSON errors with a status, a `Write` on a
//! blocking thread that streams into a response body, and request bodies read within the size
//! and time limits.

use std::io::{self, Write};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body_util::BodyExt as _;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// A JSON error answer: `{"error": message, "kind": kind, ...extra}`.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The status.
    pub status: StatusCode,
    /// A short machine-readable kind (`not_found`, `syntax`, `overloaded`, ...).
    pub kind: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// More members of the JSON body.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl ApiError {
    /// An error of `status`.
    #[allow(clippy::needless_pass_by_value)]
    pub fn new(status: StatusCode, kind: &'static str, message: impl ToString) -> Self {
        Self {
            status,
            kind,
            message: message.to_string(),
            extra: serde_json::Map::new(),
        }
    }

    /// 400.
    pub fn bad_request(message: impl ToString) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 503, the server is busy.
    pub fn overloaded(message: impl ToString) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", message)
    }

    /// 500.
    pub fn internal(message: impl ToString) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// Adds a member to the body.
    #[must_use]
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.extra.insert(key.to_owned(), value.into());
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::Map::new();
        body.insert("error".into(), self.message.into());
        body.insert("kind".into(), self.kind.into());
        body.extend(self.extra);
        let mut bytes = serde_json::to_vec_pretty(&body).unwrap_or_default();
        bytes.push(b'\n');
        let mut response = (self.status, bytes).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// A pretty JSON answer ending in a newline: the bytes `kg ... --format json` prints.
pub fn json_answer(value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec_pretty(value) {
        Ok(mut bytes) => {
            bytes.push(b'\n');
            let mut response = bytes.into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// A response body fed by a blocking writer ([`ChannelWriter`]).
pub fn channel_body() -> (ChannelWriter, Body) {
    let (send, receive) = mpsc::channel::<Result<Bytes, io::Error>>(8);
    (
        ChannelWriter {
            send,
            buffer: Vec::with_capacity(CHUNK),
        },
        Body::from_stream(ReceiverStream::new(receive)),
    )
}

/// A body from the chunks a worker's answer streams.
pub fn receiver_body(receive: mpsc::Receiver<Result<Bytes, io::Error>>) -> Body {
    Body::from_stream(ReceiverStream::new(receive))
}

const CHUNK: usize = 64 << 10;

/// A `Write` for a blocking thread that sends its bytes to a response body in chunks; it
/// fails once the client has gone, which stops the export writing into it.
pub struct ChannelWriter {
    send: mpsc::Sender<Result<Bytes, io::Error>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.send
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }

    /// Breaks the body off: the client sees an incomplete response, never a silent cut.
    pub fn fail(self, error: &dyn std::fmt::Display) {
        let _ = self
            .send
            .blocking_send(Err(io::Error::other(error.to_string())));
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl Drop for ChannelWriter {
    fn drop(&mut self) {
        let _ = self.send();
    }
}

/// Reads a request body of at most `limit` bytes within `timeout`.
///
/// # Errors
/// 413 when it is larger (by `Content-Length` or as it arrives), 408 when it is too slow,
/// 400 when it breaks off.
pub async fn read_body(
    body: Body,
    declared: Option<u64>,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the request body is larger than the {limit}-byte limit (--max-body)"),
        )
    };
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    let limited = http_body_util::Limited::new(body, limit);
    match tokio::time::timeout(timeout, limited.collect()).await {
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!("the request body did not arrive within {timeout:?}"),
        )),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Ok(Err(e)) => Err(ApiError::bad_request(format!(
            "reading the request body: {e}"
        ))),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
    }
}
