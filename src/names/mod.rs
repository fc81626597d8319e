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

/// Longest typed name, in characters once folded, that is compared for "did you mean": a typo
/// of a name is about as long as the name, and comparing costs the product of the two lengths.
/// A longer name gets no suggestion.
pub const MAX_SUGGESTED_CHARS: usize = 100;

/// Lowest [`similarity`] a suggestion needs.
pub const SUGGESTION_THRESHOLD: f64 = 0.75;

/// Similarity of two folded names in `[0, 1]`: the larger of Jaro–Winkler and the normalised
/// Damerau–Levenshtein similarity.
///
/// ```
/// assert!(kg::names::similarity("putn", "putin") > 0.9);
/// assert_eq!(kg::names::similarity("putin", "putin"), 1.0);
/// ```
pub fn similarity(a: &str, b: &str) -> f64 {
    similar(a, b, 0.0).unwrap_or(0.0)
}

/// [`similarity`] of `a` and `b` when it reaches `at_least`, else `None` — found cheaply, from
/// the lengths alone, for most pairs that cannot reach it.
///
/// With `r` the ratio of the shorter length to the longer (in characters), Jaro is at most
/// `(2 + r) / 3` and Winkler's prefix bonus applies only above 0.7, so Jaro–Winkler reaches
/// 0.75 only when `r > 0.1`; Damerau–Levenshtein similarity is at most `r`. A pair whose bounds
/// fall short is not compared (O(1) after counting); otherwise Jaro–Winkler costs O(|a|·|b|),
/// and Damerau–Levenshtein (the costlier one, a full matrix) runs only when it could beat it.
pub fn similar(a: &str, b: &str, at_least: f64) -> Option<f64> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let (short, long) = (la.min(lb), la.max(lb));
    if long == 0 {
        return (1.0 >= at_least).then_some(1.0);
    }
    let ratio = short as f64 / long as f64;
    let jaro_bound = (2.0 + ratio) / 3.0;
    let winkler_bound = if jaro_bound > 0.7 {
        jaro_bound + 0.4 * (1.0 - jaro_bound)
    } else {
        jaro_bound
    };
    if winkler_bound.max(ratio) < at_least {
        return None;
    }
    let mut score = jaro_winkler(a, b);
    if ratio > score && ratio >= at_least {
        score = score.max(normalized_damerau_levenshtein(a, b));
    }
    (score >= at_least).then_some(score)
}

/// Up to `limit` displays whose key is close to `wanted`, best first, without repeats.
///
/// Each candidate is `(key, display)`: the key is compared (folded), the display is returned.
/// Nothing is suggested for a name longer than [`MAX_SUGGESTED_CHARS`] once folded; otherwise
/// the time is linear in the candidates' total length plus [`similar`]'s cost for those of
/// comparable length.
pub fn closest<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str)>,
    limit: usize,
) -> Vec<String> {
    let wanted = fold(wanted);
    if wanted.is_empty() || wanted.chars().count() > MAX_SUGGESTED_CHARS {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter_map(|(key, display)| {
            similar(&wanted, &fold(key), SUGGESTION_THRESHOLD).map(|score| (score, display))
        })
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

    #[test]
    fn similar_agrees_with_both_measures_and_prunes_only_what_cannot_reach() {
        let words = [
            "",
            "a",
            "putin",
            "putn",
            "vladimir putin",
            "vladimir",
            "zelenskyy",
            "zelensky",
            "kushner",
            "kirill dmitriev",
            "dmitriev",
            "ab",
            "ba",
            "abcdefghij",
            "a b c d e f",
        ];
        for a in words {
            for b in words {
                let full = if a.is_empty() && b.is_empty() {
                    1.0
                } else {
                    jaro_winkler(a, b).max(normalized_damerau_levenshtein(a, b))
                };
                assert!((similarity(a, b) - full).abs() < 1e-12, "{a:?} {b:?}");
                for at_least in [0.0, 0.5, 0.75, 0.9, 1.0] {
                    let expected = (full >= at_least).then_some(full);
                    assert_eq!(similar(a, b, at_least), expected, "{a:?} {b:?} {at_least}");
                }
            }
        }
    }

    #[test]
    fn long_names_get_no_suggestion_and_cost_little() {
        let names = [("putin", "Putin")];
        assert_eq!(closest("putn", names, 3), ["Putin"]);
        let long = "putin ".repeat(MAX_SUGGESTED_CHARS);
        assert!(closest(&long, names, 3).is_empty());
        // Far longer than any name: pruned by length before any comparison.
        let huge = "q".repeat(120_000);
        assert_eq!(similar(&huge, "putin", SUGGESTION_THRESHOLD), None);
    }
}
