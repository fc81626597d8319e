//! Byte-level checks shared by every text input: UTF-8 with a precise position, byte-order marks.

pub mod sentences;

/// Drops a leading UTF-8 byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Decodes UTF-8, or says where it breaks: 1-based line, 1-based character column and what is
/// wrong.
///
/// # Errors
/// `(line, column, detail)` of the first invalid byte.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, (u64, u64, String)> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The prefix is valid UTF-8 by construction.
        let valid = std::str::from_utf8(valid).unwrap_or_default();
        let line = valid.matches('\n').count() as u64 + 1;
        let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
        let column = valid[line_start..].chars().count() as u64 + 1;
        let bad = bytes[e.valid_up_to()];
        (
            line,
            column,
            format!("byte 0x{bad:02X} at offset {}", e.valid_up_to()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_line_and_column_of_bad_bytes() {
        let bytes = b"ok\nab\xFFc";
        let (line, column, _) = decode_utf8(bytes).unwrap_err();
        assert_eq!((line, column), (2, 3));
        assert_eq!(decode_utf8("é\nx".as_bytes()), Ok("é\nx"));
    }

    #[test]
    fn strips_only_a_leading_bom() {
        assert_eq!(strip_bom(b"\xEF\xBB\xBFid"), b"id");
        assert_eq!(strip_bom(b"id"), b"id");
    }
}
