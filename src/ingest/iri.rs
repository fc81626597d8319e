//! How an entity `id` becomes an IRI, and back.
//!
//! The IRI is the base IRI followed by the id, percent-encoded: ASCII letters, digits and `-._~`
//! stay, non-ASCII letters and digits stay (IRIs allow them, RFC 3987), everything else becomes
//! `%XX` per UTF-8 byte. The mapping is deterministic and reversible, so two builds of the same data
//! name every entity the same way.

use std::fmt::Write as _;

/// Why an id cannot become an IRI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("an id must not be empty")]
    Empty,
    #[error("an id must not contain control characters")]
    Control,
    #[error("an id must not start or end with spaces")]
    Padded,
}

/// Percent-encodes an entity id for use after a base IRI.
///
/// # Errors
/// Rejects empty ids, ids with control characters and ids with leading or trailing white space
/// (almost always a slip in the spreadsheet).
///
/// ```
/// assert_eq!(kg::ingest::iri::encode_id("Donetsk Oblast").unwrap(), "Donetsk%20Oblast");
/// assert_eq!(kg::ingest::iri::encode_id("Запоріжжя").unwrap(), "Запоріжжя");
/// assert!(kg::ingest::iri::encode_id("").is_err());
/// ```
pub fn encode_id(id: &str) -> Result<String, IdError> {
    if id.is_empty() {
        return Err(IdError::Empty);
    }
    if id.chars().any(char::is_control) {
        return Err(IdError::Control);
    }
    if id.trim() != id {
        return Err(IdError::Padded);
    }
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') || is_iri_letter(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    Ok(out)
}

/// Reverses [`encode_id`]; `None` when the text is not an encoded id.
pub fn decode_id(encoded: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut rest = encoded.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let hex = tail.get(..2)?;
            bytes.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// Non-ASCII characters kept as they are: letters, marks and digits in the ranges RFC 3987 allows
/// (`ucschar`), which excludes private use areas and specials.
fn is_iri_letter(c: char) -> bool {
    !c.is_ascii()
        && (c.is_alphanumeric())
        && matches!(u32::from(c),
            0xA0..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF | 0x10000..=0xEFFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_reserved_and_keeps_letters() {
        assert_eq!(encode_id("a b<c>\"d\"").unwrap(), "a%20b%3Cc%3E%22d%22");
        assert_eq!(encode_id("x/y#z?%").unwrap(), "x%2Fy%23z%3F%25");
        assert_eq!(
            encode_id("Zelenskyy_Володимир").unwrap(),
            "Zelenskyy_Володимир"
        );
        assert_eq!(encode_id("a\u{2028}b").unwrap(), "a%E2%80%A8b");
    }

    #[test]
    fn rejects_bad_ids() {
        assert_eq!(encode_id(""), Err(IdError::Empty));
        assert_eq!(encode_id("a\tb"), Err(IdError::Control));
        assert_eq!(encode_id(" a"), Err(IdError::Padded));
    }

    #[test]
    fn round_trips() {
        for id in ["a b", "Ω%x", "<>\"{}|\\^`", "Київ", "100%", "🙂 ok"] {
            assert_eq!(decode_id(&encode_id(id).unwrap()).as_deref(), Some(id));
        }
    }
}
