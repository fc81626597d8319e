//! Names people type and read: folding for forgiving comparison, "did you mean …?", the label
//! an IRI is shown with, and resolving a typed relation or class name to a term. (Entity names
//! resolve through the projection's name index: [`crate::graph::resolve_entity`].)

mod label;
mod term;

pub use self::label::{PreferredLabel, label_rank};
pub use self::term::{NameError, resolve_class, resolve_relation};

use strsim::{jaro_winkler, normalized_damerau_levenshtein};
use unicode_normalization::UnicodeNormalization;

/// Folds a name for forgiving comparison: Unicode compatibility decomposition, combining marks
/// dropped, lower case, and only letters and digits kept (`Zelenskyy’s` ~ `zelenskyys`).
///
/// ```
/// assert_eq!(kg::names::fold("Zelénskyy"), "zelenskyy");
/// assert_eq!(kg::names::fold("ZELENSKYY"), "zelenskyy");
/// assert_eq!(kg::names::fold("Kirill  Dmitriev"), "kirill dmitriev");
/// ```
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.nfkd().filter(|c| !is_combining(*c)) {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '_' || c == '-' {
            space = true;
        }
    }
    out
}

fn is_combining(c: char) -> bool {
    matches!(u32::from(c), 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Similarity of two folded names in `[0, 1]`.
pub fn similarity(a: &str, b: &str) -> f64 {
    jaro_winkler(a, b).max(normalized_damerau_levenshtein(a, b))
}

/// Up to `limit` displays whose key is close to `wanted`, best first, without repeats.
///
/// Each candidate is `(key, display)`: the key is compared (folded), the display is returned.
pub fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str)>,
    limit: usize,
) -> Vec<String> {
    let wanted = fold(wanted);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|(key, display)| (similarity(&wanted, &fold(key)), display))
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, display) in scored {
        if out.len() == limit {
            break;
        }
        if !out.iter().any(|o| o == display) {
            out.push(display.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_first() {
        let names = [
            ("Vladimir_Putin", "Vladimir_Putin"),
            ("Marco_Rubio", "Marco_Rubio"),
        ];
        assert_eq!(closest("Vladimr_Putin", names, 3), ["Vladimir_Putin"]);
        assert!(closest("zzzz", names, 3).is_empty());
    }

    #[test]
    fn folds_diacritics_case_and_punctuation() {
        assert_eq!(fold("  Zelenskyy’s "), "zelenskyys");
        assert_eq!(fold("Kyiv-Pechersk"), "kyiv pechersk");
        assert_eq!(fold("Ångström"), "angstrom");
    }
}
