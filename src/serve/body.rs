//! Response bodies and errors shared by the routes: JSON errors with a status, a `Write` on a
//! blocking thread that streams into a response body, and request bodies read within the size
//! and time limits.

use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body_util::BodyExt as _;
use tokio::sync::mpsc;

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

/// A piece of a streamed body: bytes, or the mark that the body is whole.
#[derive(Debug)]
pub enum Piece {
    /// Bytes of the body.
    Data(Bytes),
    /// The body is complete.
    Done,
}

/// A response body fed through a channel. It ends cleanly only after [`Piece::Done`]: when
/// the sender goes away without it (a worker killed, an export failed, a stalled client), the
/// body ends in an error, so the client sees a broken transfer, never a silent cut.
pub struct ChannelBody {
    receive: mpsc::Receiver<Piece>,
    ended: bool,
}

impl ChannelBody {
    /// The body of a channel's receiving end.
    pub fn body(receive: mpsc::Receiver<Piece>) -> Body {
        Body::new(Self {
            receive,
            ended: false,
        })
    }
}

impl hyper::body::Body for ChannelBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Bytes>, io::Error>>> {
        if self.ended {
            return Poll::Ready(None);
        }
        match self.receive.poll_recv(cx) {
            Poll::Ready(Some(Piece::Data(bytes))) => {
                Poll::Ready(Some(Ok(hyper::body::Frame::data(bytes))))
            }
            Poll::Ready(Some(Piece::Done)) => {
                self.ended = true;
                Poll::Ready(None)
            }
            Poll::Ready(None) => {
                self.ended = true;
                Poll::Ready(Some(Err(io::Error::other("the answer broke off"))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// A response body fed by a blocking writer ([`ChannelWriter`]); a client that reads nothing
/// for `stall` loses the rest. Call it on the runtime.
pub fn channel_body(stall: Duration) -> (ChannelWriter, Body) {
    let (send, receive) = mpsc::channel::<Piece>(8);
    (
        ChannelWriter {
            send,
            buffer: Vec::with_capacity(CHUNK),
            runtime: tokio::runtime::Handle::current(),
            stall,
        },
        ChannelBody::body(receive),
    )
}

const CHUNK: usize = 64 << 10;

/// A `Write` for a blocking thread that sends its bytes to a response body in chunks; it
/// fails once the client has gone or stalls, which stops the export writing into it. The body
/// is whole only after [`ChannelWriter::finish`]; dropped without it, the body breaks off.
pub struct ChannelWriter {
    send: mpsc::Sender<Piece>,
    buffer: Vec<u8>,
    runtime: tokio::runtime::Handle,
    stall: Duration,
}

impl ChannelWriter {
    fn deliver(&self, piece: Piece) -> io::Result<()> {
        // A client that stops reading holds the writer (and its API slot) at most `stall`.
        let sent = self
            .runtime
            .block_on(async { tokio::time::timeout(self.stall, self.send.send(piece)).await });
        match sent {
            Ok(Ok(())) => Ok(()),
            Ok(Err(_)) => Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "the client went away",
            )),
            Err(_) => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            )),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.deliver(Piece::Data(chunk))
    }

    /// Sends what is buffered and marks the body whole.
    ///
    /// # Errors
    /// When the client went away or stalled.
    pub fn finish(mut self) -> io::Result<()> {
        self.send()?;
        self.deliver(Piece::Done)
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

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt as _;

    use super::*;

    #[tokio::test]
    async fn a_body_without_its_end_mark_breaks_off() {
        let (send, receive) = mpsc::channel(4);
        send.send(Piece::Data(Bytes::from_static(b"partial")))
            .await
            .unwrap();
        drop(send);
        assert!(ChannelBody::body(receive).collect().await.is_err());

        let (send, receive) = mpsc::channel(4);
        send.send(Piece::Data(Bytes::from_static(b"whole")))
            .await
            .unwrap();
        send.send(Piece::Done).await.unwrap();
        let body = ChannelBody::body(receive).collect().await.unwrap();
        assert_eq!(body.to_bytes(), Bytes::from_static(b"whole"));
    }

    #[test]
    fn a_failed_export_breaks_the_body_off() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let (mut writer, body) = runtime.block_on(async { channel_body(Duration::from_secs(5)) });
        let collected = runtime.spawn(async move {
            body.collect()
                .await
                .map(http_body_util::Collected::to_bytes)
        });
        std::thread::spawn(move || {
            writer.write_all(b"half an export").unwrap();
            writer.flush().unwrap();
            // Dropped without finish: the export failed.
        })
        .join()
        .unwrap();
        assert!(runtime.block_on(collected).unwrap().is_err());
    }
}
