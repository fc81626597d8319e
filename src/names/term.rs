//! Resolving the relation and class names people type on the command line or in a request
//! (`"drafted by"`, `pto:draftedBy`, `draftedBy`, an IRI) to the graph's terms.

use std::collections::HashSet;

use oxigraph::model::NamedNode;

use super::{closest, fold};
use crate::export::escape::terminal;
use crate::iri::{self, Prefixes, local_name};

/// A relation or class name that names nothing. Its message escapes control characters of
/// the name (as `{:?}` does) and of the suggested labels (as [`terminal`] does).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    #[error("no {kind} is called {name:?}{}", did_you_mean(suggestions))]
    Unknown {
        /// `relation` or `class`.
        kind: &'static str,
        /// The name as given.
        name: String,
        /// The closest names, best first.
        suggestions: Vec<String>,
    },
}

fn did_you_mean(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        let shown: Vec<_> = suggestions.iter().map(|s| terminal(s)).collect();
        format!(" (did you mean {}?)", shown.join(" or "))
    }
}

/// Whether `name` names the term `iri` labelled `label`: its IRI (with or without `<>`), its
/// prefixed name, its local name or its label, case and punctuation ignored.
fn names_term(name: &str, folded: &str, prefixes: &Prefixes, iri: &str, label: &str) -> bool {
    let bare = name.trim_start_matches('<').trim_end_matches('>');
    bare == iri
        || iri::compact(iri, prefixes) == name
        || fold(local_name(iri)) == folded
        || fold(label) == folded
}

/// The relations (given as (IRI, label), in index order) a relation name means, by index:
/// several when a label is shared.
///
/// # Errors
/// [`NameError::Unknown`] with the closest labels.
pub fn resolve_relation(
    relations: &[(&str, &str)],
    prefixes: &Prefixes,
    name: &str,
) -> Result<HashSet<u32>, NameError> {
    let folded = fold(name);
    let matches: HashSet<u32> = (0_u32..)
        .zip(relations)
        .filter(|(_, (iri, label))| names_term(name, &folded, prefixes, iri, label))
        .map(|(i, _)| i)
        .collect();
    if matches.is_empty() {
        return Err(NameError::Unknown {
            kind: "relation",
            name: name.to_owned(),
            suggestions: closest(name, relations.iter().map(|&(_, l)| (l, l)), 3),
        });
    }
    Ok(matches)
}

/// The class a name means, among `classes` given as (IRI, label): the classes of the entities
/// and those the ontology declares.
///
/// # Errors
/// [`NameError::Unknown`] with the closest labels.
pub fn resolve_class(
    classes: &[(String, String)],
    prefixes: &Prefixes,
    name: &str,
) -> Result<NamedNode, NameError> {
    let folded = fold(name);
    let found = classes
        .iter()
        .find(|(iri, label)| names_term(name, &folded, prefixes, iri, label))
        .and_then(|(iri, _)| NamedNode::new(iri.as_str()).ok());
    found.ok_or_else(|| NameError::Unknown {
        kind: "class",
        name: name.to_owned(),
        suggestions: closest(
            name,
            classes.iter().map(|(_, l)| (l.as_str(), l.as_str())),
            3,
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_resolve_by_iri_prefixed_local_and_label() {
        let classes = vec![
            ("https://e/o#Person".to_owned(), "person".to_owned()),
            ("https://e/o#Envoy".to_owned(), "special envoy".to_owned()),
        ];
        let prefixes: Prefixes = [("o".to_owned(), "https://e/o#".to_owned())].into();
        for name in [
            "<https://e/o#Envoy>",
            "https://e/o#Envoy",
            "o:Envoy",
            "envoy",
            "Special-Envoy",
        ] {
            let class = resolve_class(&classes, &prefixes, name).unwrap();
            assert_eq!(class.as_str(), "https://e/o#Envoy", "{name}");
        }
        let error = resolve_class(&classes, &prefixes, "persn").unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"no class is called "persn" (did you mean person?)"#
        );
    }

    #[test]
    fn unknown_names_show_hostile_suggestions_escaped() {
        let relations = [("https://e/o#r", "works\u{1b}[31m for\nkg: fake")];
        let error = resolve_relation(&relations, &Prefixes::new(), "works for kg fake\u{7}")
            .unwrap_err()
            .to_string();
        assert!(!error.chars().any(char::is_control), "{error:?}");
        assert!(error.contains(r"works\u{1b}[31m for\nkg: fake"), "{error}");
    }
}
