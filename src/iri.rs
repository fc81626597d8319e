//! IRIs as people write and read them: how an entity `id` becomes an IRI and back, and how an
//! IRI is written short with a prefix (`pto:Person`) — one rule for every output.
//!
//! An entity's IRI is the base IRI followed by the id, percent-encoded: ASCII letters, digits and
//! `-._~` stay, non-ASCII letters and digits stay (IRIs allow them, RFC 3987), everything else
//! becomes `%XX` per UTF-8 byte. The mapping is deterministic and reversible, so two builds of the
//! same data name every entity the same way.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Prefixes by name (`pto` → `https://…/ontology#`), as queries and exports declare them.
pub type Prefixes = BTreeMap<String, String>;

/// Writes an IRI the short way, `prefix:local`, when the longest namespace that covers it leaves a
/// local name that Turtle and SPARQL read without escaping; else `<iri>`.
///
/// ```
/// let prefixes = [("pto".to_owned(), "https://e/o#".to_owned())].into();
/// assert_eq!(kg::iri::compact("https://e/o#Person", &prefixes), "pto:Person");
/// assert_eq!(kg::iri::compact("https://e/o#-x", &prefixes), "<https://e/o#-x>");
/// assert_eq!(kg::iri::compact("https://other/x", &prefixes), "<https://other/x>");
/// ```
pub fn compact(iri: &str, prefixes: &Prefixes) -> String {
    prefixes
        .iter()
        .filter(|(_, namespace)| iri.starts_with(namespace.as_str()))
        .max_by_key(|(_, namespace)| namespace.len())
        .map(|(prefix, namespace)| (prefix, &iri[namespace.len()..]))
        .filter(|(_, local)| is_plain_local_name(local))
        .map_or_else(|| format!("<{iri}>"), |(p, local)| format!("{p}:{local}"))
}

/// The IRI a name spells, when it spells one: `<iri>`, an absolute `scheme://…` IRI, or
/// `prefix:local` with a known prefix; `None` for anything else (an entity's name, say).
///
/// ```
/// let prefixes = [("pto".to_owned(), "https://e/o#".to_owned())].into();
/// assert_eq!(kg::iri::expand("pto:Person", &prefixes).as_deref(), Some("https://e/o#Person"));
/// assert_eq!(kg::iri::expand("<urn:x>", &prefixes).as_deref(), Some("urn:x"));
/// assert_eq!(kg::iri::expand("Steve Witkoff", &prefixes), None);
/// ```
pub fn expand(name: &str, prefixes: &Prefixes) -> Option<String> {
    let name = name.trim();
    if let Some(inner) = name.strip_prefix('<').and_then(|n| n.strip_suffix('>')) {
        return Some(inner.to_owned());
    }
    if name.contains("://") && !name.contains(char::is_whitespace) {
        return Some(name.to_owned());
    }
    let (prefix, local) = name.split_once(':')?;
    let namespace = prefixes.get(prefix)?;
    (!local.contains(char::is_whitespace)).then(|| format!("{namespace}{local}"))
}

/// The part of an IRI after its last `#`, `/` or `:`.
///
/// ```
/// assert_eq!(kg::iri::local_name("https://e/o#Person"), "Person");
/// assert_eq!(kg::iri::local_name("urn:x:y"), "y");
/// ```
pub fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/', ':']).next().unwrap_or(iri)
}

/// Whether a local name can follow a prefix in Turtle and SPARQL without escaping (a safe subset
/// of `PN_LOCAL`: a letter, digit or `_`, then letters, digits, `_` and `-`).
fn is_plain_local_name(local: &str) -> bool {
    local
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
}

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
/// assert_eq!(kg::iri::encode_id("Donetsk Oblast").unwrap(), "Donetsk%20Oblast");
/// assert_eq!(kg::iri::encode_id("Запоріжжя").unwrap(), "Запоріжжя");
/// assert!(kg::iri::encode_id("").is_err());
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
    fn compacts_only_plain_local_names() {
        let prefixes: Prefixes = [
            ("e".to_owned(), "https://e/".to_owned()),
            ("o".to_owned(), "https://e/o#".to_owned()),
        ]
        .into();
        assert_eq!(compact("https://e/o#Person", &prefixes), "o:Person");
        assert_eq!(compact("https://e/x-1", &prefixes), "e:x-1");
        assert_eq!(compact("https://e/_x", &prefixes), "e:_x");
        for refused in [
            "https://e/-x",
            "https://e/",
            "https://e/a.b",
            "https://e/a%20b",
        ] {
            assert_eq!(compact(refused, &prefixes), format!("<{refused}>"));
        }
    }

    #[test]
    fn round_trips() {
        for id in ["a b", "Ω%x", "<>\"{}|\\^`", "Київ", "100%", "🙂 ok"] {
            assert_eq!(decode_id(&encode_id(id).unwrap()).as_deref(), Some(id));
        }
    }
}
