//! The escaping rules of each syntax kg writes by hand: XML text and attribute values, DOT
//! strings, HTML, and JSON embedded in an HTML `<script>` element.
//!
//! XML 1.0 cannot carry most control characters, not even as character references: they are
//! replaced with U+FFFD (the replacement character). Tab, line feed and carriage return are
//! kept, as character references where a parser would otherwise normalise them away.

use std::borrow::Cow;
use std::io::{self, Write};

/// What replaces a character a syntax cannot carry.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Whether XML 1.0 allows the character in a document (its `Char` production).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for XML element content: `&`, `<` and `>` (so `]]>` cannot appear) as entities,
/// carriage returns as `&#13;` (a parser would turn a raw one into a line feed), characters XML
/// 1.0 cannot carry as U+FFFD.
///
/// ```
/// use kg::export::escape::xml_text;
/// assert_eq!(xml_text("a < b && ]]> \u{1}"), "a &lt; b &amp;&amp; ]]&gt; \u{FFFD}");
/// ```
pub fn xml_text(text: &str) -> Cow<'_, str> {
    escape_with(text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '\r' => Some("&#13;"),
        c if !is_xml_char(c) => Some("\u{FFFD}"),
        _ => None,
    })
}

/// Escapes text for a double-quoted XML attribute value: as [`xml_text`], plus `"` as `&quot;`
/// and tab and line feed as character references (a parser would turn raw ones into spaces).
///
/// ```
/// use kg::export::escape::xml_attribute;
/// assert_eq!(xml_attribute("say \"hi\"\n"), "say &quot;hi&quot;&#10;");
/// ```
pub fn xml_attribute(text: &str) -> Cow<'_, str> {
    escape_with(text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\t' => Some("&#9;"),
        '\n' => Some("&#10;"),
        '\r' => Some("&#13;"),
        c if !is_xml_char(c) => Some("\u{FFFD}"),
        _ => None,
    })
}

/// Escapes text for HTML element content or a quoted attribute value.
pub fn html(text: &str) -> Cow<'_, str> {
    escape_with(text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => Some("\u{FFFD}"),
        _ => None,
    })
}

/// Text for a terminal: every control character (line breaks, tabs, ESC, NUL, …) written as an
/// escape (`\n`, `\t`, `\u{1b}`), so no label can move the cursor, fake an output line or
/// change the terminal's state. Everything else is kept.
///
/// ```
/// use kg::export::escape::terminal;
/// assert_eq!(terminal("a\nb\u{1b}[2J"), "a\\nb\\u{1b}[2J");
/// assert_eq!(terminal("Zelenskyy’s \"plan\""), "Zelenskyy’s \"plan\"");
/// ```
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_escaped_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_escaped_on_terminal(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Control characters, and the Unicode line and paragraph separators and bidirectional
/// overrides that can reorder or break what a terminal shows.
fn is_escaped_on_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A DOT double-quoted string, quotes included: `"` and `\` escaped with a backslash, line
/// breaks as `\n` (Graphviz's centred line break), other control characters as U+FFFD.
///
/// ```
/// use kg::export::escape::dot_string;
/// assert_eq!(dot_string("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
/// ```
pub fn dot_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\t' => out.push('\t'),
            c if c.is_control() => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn escape_with(text: &str, replacement: impl Fn(char) -> Option<&'static str>) -> Cow<'_, str> {
    let Some(first) = text.char_indices().find(|(_, c)| replacement(*c).is_some()) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first.0]);
    for c in text[first.0..].chars() {
        match replacement(c) {
            Some(escaped) => out.push_str(escaped),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A writer for JSON embedded in an HTML `<script>` element: it rewrites `<`, `>` and `&` as
/// JSON `\u` escapes, so no text inside can close the element (`</script>`) or open a comment
/// (`<!--`). Valid only for JSON, where those bytes occur inside strings alone.
#[derive(Debug)]
pub struct ScriptSafe<W: Write>(pub W);

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        for (i, byte) in buf.iter().enumerate() {
            let escaped: &[u8] = match byte {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                b'&' => b"\\u0026",
                _ => continue,
            };
            self.0.write_all(&buf[start..i])?;
            self.0.write_all(escaped)?;
            start = i + 1;
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "\"q\" \\ <a> & b\nc\r\n]]> \u{1}\u{1b} --> </script> \u{FFFE}";

    #[test]
    fn xml_text_leaves_no_markup_and_no_forbidden_character() {
        let escaped = xml_text(HOSTILE);
        assert!(!escaped.contains('<') && !escaped.contains("]]>") && !escaped.contains("-->"));
        assert!(escaped.chars().all(is_xml_char));
        assert!(!escaped.contains('\r'));
        assert_eq!(xml_text("plain"), Cow::Borrowed("plain"));
    }

    #[test]
    fn xml_attributes_keep_line_breaks_as_references() {
        let escaped = xml_attribute(HOSTILE);
        assert!(!escaped.contains('"') && !escaped.contains('\n') && !escaped.contains('<'));
        assert!(escaped.contains("&#10;") && escaped.contains("&#13;"));
    }

    #[test]
    fn dot_strings_cannot_end_early() {
        let quoted = dot_string(HOSTILE);
        let inner = &quoted[1..quoted.len() - 1];
        // Every quote inside is escaped: the characters before it are an odd run of backslashes.
        let bytes = inner.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'"' {
                let run = bytes[..i].iter().rev().take_while(|b| **b == b'\\').count();
                assert_eq!(run % 2, 1, "unescaped quote at {i} in {inner}");
            }
        }
        assert!(!inner.contains('\n') && !inner.chars().any(|c| c.is_control() && c != '\t'));
    }

    #[test]
    fn script_safe_json_cannot_close_the_script() {
        let mut out = ScriptSafe(Vec::new());
        serde_json::to_writer(&mut out, &HOSTILE).unwrap();
        let text = String::from_utf8(out.0).unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, HOSTILE);
    }
}
