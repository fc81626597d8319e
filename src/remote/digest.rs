//! HTTP Digest access authentication ([RFC 7616]) with MD5 and `qop=auth`, the scheme Virtuoso's
//! `-auth` endpoints ask for: parsing a `WWW-Authenticate: Digest ...` challenge and computing the
//! `Authorization` header of a request.
//!
//! [RFC 7616]: https://www.rfc-editor.org/rfc/rfc7616

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use md5::{Digest as _, Md5};
use sha2::{Digest as _, Sha256};

/// A `Digest` challenge from a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// `realm`.
    pub realm: String,
    /// `nonce`.
    pub nonce: String,
    /// `opaque`, echoed back when present.
    pub opaque: Option<String>,
    /// Whether the server offered `qop=auth` (else the RFC 2069 form is used).
    pub qop_auth: bool,
    /// `algorithm`, `MD5` when absent.
    pub algorithm: String,
}

/// Why a challenge cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    #[error("the Digest challenge has no {0}")]
    Missing(&'static str),
    #[error("the Digest challenge asks for algorithm {0}, kg supports MD5")]
    Algorithm(String),
    #[error("the Digest challenge offers qop {0:?}, kg supports auth")]
    Qop(String),
}

impl Challenge {
    /// Parses the parameters after `Digest ` (the scheme name included or not).
    ///
    /// # Errors
    /// When `realm` or `nonce` is missing, or the algorithm or qop is not supported.
    pub fn parse(header: &str) -> Result<Self, DigestError> {
        let text = header.trim();
        let text = text
            .get(..6)
            .filter(|scheme| scheme.eq_ignore_ascii_case("digest"))
            .map_or(text, |_| &text[6..]);
        let mut realm = None;
        let mut nonce = None;
        let mut opaque = None;
        let mut qop = None;
        let mut algorithm = None;
        for (name, value) in parameters(text) {
            match name.to_ascii_lowercase().as_str() {
                "realm" => realm = Some(value),
                "nonce" => nonce = Some(value),
                "opaque" => opaque = Some(value),
                "qop" => qop = Some(value),
                "algorithm" => algorithm = Some(value),
                _ => {}
            }
        }
        let algorithm = algorithm.unwrap_or_else(|| "MD5".to_owned());
        if !algorithm.eq_ignore_ascii_case("MD5") {
            return Err(DigestError::Algorithm(algorithm));
        }
        let qop_auth = match &qop {
            None => false,
            Some(list)
                if list
                    .split(',')
                    .any(|q| q.trim().eq_ignore_ascii_case("auth")) =>
            {
                true
            }
            Some(other) => return Err(DigestError::Qop(other.clone())),
        };
        Ok(Self {
            realm: realm.ok_or(DigestError::Missing("realm"))?,
            nonce: nonce.ok_or(DigestError::Missing("nonce"))?,
            opaque,
            qop_auth,
            algorithm,
        })
    }

    /// The `Authorization` header value for a request, with client nonce `cnonce` and nonce
    /// count `nc` (1 for the first request with this nonce).
    pub fn authorization(
        &self,
        user: &str,
        password: &str,
        method: &str,
        uri: &str,
        cnonce: &str,
        nc: u32,
    ) -> String {
        let ha1 = md5_hex(&format!("{user}:{}:{password}", self.realm));
        let ha2 = md5_hex(&format!("{method}:{uri}"));
        let nc = format!("{nc:08x}");
        let response = if self.qop_auth {
            md5_hex(&format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", self.nonce))
        } else {
            md5_hex(&format!("{ha1}:{}:{ha2}", self.nonce))
        };
        let mut header = format!(
            "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", algorithm={}, response=\"{response}\"",
            quoted(user),
            quoted(&self.realm),
            quoted(&self.nonce),
            quoted(uri),
            self.algorithm
        );
        if self.qop_auth {
            let _ = write!(header, ", qop=auth, nc={nc}, cnonce=\"{}\"", quoted(cnonce));
        }
        if let Some(opaque) = &self.opaque {
            let _ = write!(header, ", opaque=\"{}\"", quoted(opaque));
        }
        header
    }
}

/// A fresh client nonce: 16 hex digits that differ between calls and processes.
pub fn cnonce() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!(
        "{nanos}:{}:{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let digest = Sha256::digest(seed.as_bytes());
    hex(&digest[..8])
}

fn md5_hex(text: &str) -> String {
    hex(&Md5::digest(text.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

/// Escapes `"` and `\` for a quoted-string.
fn quoted(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The `name=value` and `name="quoted value"` pairs of an auth header, comma separated.
fn parameters(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c == ',' || c.is_whitespace() {
                break;
            }
            name.push(c);
            chars.next();
        }
        if name.is_empty() {
            break;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek() != Some(&'=') {
            continue;
        }
        chars.next();
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                value.push(c);
                chars.next();
            }
            let trimmed = value.trim().to_owned();
            value = trimmed;
        }
        pairs.push((name, value));
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_virtuoso_challenge() {
        let challenge = Challenge::parse(
            r#"Digest realm="SPARQL", domain="/sparql-auth", nonce="abc,def", opaque="5ebe", stale="false", qop="auth", algorithm="MD5""#,
        )
        .unwrap();
        assert_eq!(challenge.realm, "SPARQL");
        assert_eq!(challenge.nonce, "abc,def");
        assert_eq!(challenge.opaque.as_deref(), Some("5ebe"));
        assert!(challenge.qop_auth);
    }

    /// The example of RFC 2617 section 3.5 (MD5, qop=auth), which RFC 7616 keeps for MD5.
    #[test]
    fn computes_the_rfc_2617_example() {
        let challenge = Challenge::parse(
            r#"Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        )
        .unwrap();
        let header = challenge.authorization(
            "Mufasa",
            "Circle Of Life",
            "GET",
            "/dir/index.html",
            "0a4f113b",
            1,
        );
        assert!(
            header.contains(r#"response="6629fae49393a05397450978507c4ef1""#),
            "{header}"
        );
        assert!(header.contains("nc=00000001"), "{header}");
        assert!(header.contains(r#"opaque="5ccc069c403ebaf9f0171e9517f40e41""#));
    }

    #[test]
    fn refuses_what_it_cannot_answer() {
        assert_eq!(
            Challenge::parse(r#"Digest realm="r", nonce="n", algorithm=SHA-256"#),
            Err(DigestError::Algorithm("SHA-256".into()))
        );
        assert_eq!(
            Challenge::parse(r#"Digest realm="r""#),
            Err(DigestError::Missing("nonce"))
        );
        assert_eq!(
            Challenge::parse(r#"Digest realm="r", nonce="n", qop="auth-int""#),
            Err(DigestError::Qop("auth-int".into()))
        );
    }

    #[test]
    fn client_nonces_differ() {
        assert_ne!(cnonce(), cnonce());
    }
}
