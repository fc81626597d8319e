//! The label an IRI is shown with, when it has several: English first (`en`, `en-GB`, …), then
//! an untagged one, then any other language; among equals, the first offered. Every reader of
//! labels — the projection, entity cards, exports, the ontology — keeps labels this one way.

/// How much a label in `language` is preferred: lower is better.
///
/// ```
/// use kg::names::label_rank;
/// assert!(label_rank(Some("en-GB")) < label_rank(None));
/// assert!(label_rank(None) < label_rank(Some("uk")));
/// ```
pub fn label_rank(language: Option<&str>) -> u8 {
    match language {
        Some(tag) if is_english(tag) => 0,
        None | Some("") => 1,
        Some(_) => 2,
    }
}

fn is_english(tag: &str) -> bool {
    tag.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("en"))
        && tag
            .len()
            .checked_sub(2)
            .is_some_and(|rest| rest == 0 || tag.as_bytes()[2] == b'-')
}

/// The preferred of the labels offered so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreferredLabel {
    best: Option<(u8, String)>,
}

impl PreferredLabel {
    /// Offers a label; it is kept when it ranks better than the one kept so far. Returns whether
    /// it was kept.
    pub fn offer(&mut self, value: &str, language: Option<&str>) -> bool {
        let rank = label_rank(language);
        if self.best.as_ref().is_some_and(|(best, _)| *best <= rank) {
            return false;
        }
        self.best = Some((rank, value.to_owned()));
        true
    }

    /// The label kept, if any was offered.
    pub fn get(&self) -> Option<&str> {
        self.best.as_ref().map(|(_, label)| label.as_str())
    }

    /// The label kept, if any was offered.
    pub fn into_label(self) -> Option<String> {
        self.best.map(|(_, label)| label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_then_untagged_then_others_first_offered_among_equals() {
        let mut label = PreferredLabel::default();
        assert!(label.offer("Kyjiw", Some("de")));
        assert!(label.offer("Kyiv city", None));
        assert!(!label.offer("Kiev", Some("fr")));
        assert!(label.offer("Kyiv", Some("en-GB")));
        assert!(!label.offer("Kyiv (city)", Some("en")));
        assert_eq!(label.get(), Some("Kyiv"));
        assert_eq!(label_rank(Some("eng")), 2);
        assert_eq!(label_rank(Some("EN")), 0);
    }
}
