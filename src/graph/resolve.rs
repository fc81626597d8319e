//! Resolving an entity name people type (`putin`, `Zelenskiy`, an id, an IRI) to one node of
//! the projection, through its name index: an exact id first, then exact names, then names
//! holding every word, then the closest names as suggestions.
//!
//! The work is bounded whatever is typed: folding and the name-index search are linear in the
//! name; the word match costs, per indexed name, at most its words times the typed words it
//! could hold; suggestions are looked for only for names of at most
//! [`MAX_SUGGESTED_CHARS`] characters once folded, and each comparison is pruned by length
//! first ([`similar`]).

use std::collections::{BTreeMap, HashMap};

use unicode_normalization::UnicodeNormalization as _;

use super::{NameKind, Projection};
use crate::names::{MAX_SUGGESTED_CHARS, SUGGESTION_THRESHOLD, fold, similar};

/// How a name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// Exactly one entity.
    One(u32),
    /// Several entities fit equally well.
    Ambiguous(Vec<u32>),
    /// None fits; these are the closest.
    Unknown(Vec<u32>),
}

/// Resolves a name: an IRI (`<…>` or `http…`), an id, a label or an alias; case, diacritics and
/// punctuation are ignored. An entity whose id is the name exactly (byte for byte, else once
/// both are in Unicode NFC) always wins, so ids that differ only in case or normalisation stay
/// reachable. When nothing matches whole, the entity whose name contains all the words
/// (`putin` → "Vladimir Putin") with the fewest others wins.
pub fn resolve_entity(projection: &Projection, name: &str) -> Resolution {
    let trimmed = name.trim();
    let iri = trimmed
        .strip_prefix('<')
        .and_then(|n| n.strip_suffix('>'))
        .unwrap_or(trimmed);
    if iri.contains("://")
        && let Some(node) = projection.node_by_iri(iri)
    {
        return Resolution::One(node);
    }
    let folded = fold(trimmed);
    if folded.is_empty() {
        return Resolution::Unknown(Vec::new());
    }
    let exact = projection.nodes_named(&folded);
    if let Some(node) = exact_id(projection, trimmed, &exact) {
        return Resolution::One(node);
    }
    if let Some(best) = exact.iter().map(|(_, kind)| *kind).min() {
        // Ids and labels outrank aliases: "Kyiv" is the city, even if Ukraine's government is
        // also called "Kyiv".
        let rank = |kind: NameKind| u8::from(kind == NameKind::Alias);
        let best = rank(best);
        let mut nodes: Vec<u32> = exact
            .iter()
            .filter(|(_, kind)| rank(*kind) == best)
            .map(|(node, _)| *node)
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        return if nodes.len() == 1 {
            Resolution::One(nodes[0])
        } else {
            Resolution::Ambiguous(nodes)
        };
    }
    // Distinct words: "putin putin" asks for one word, and a name holds them all only if it has
    // at least as many words.
    let mut words: Vec<&str> = folded.split(' ').collect();
    words.sort_unstable();
    words.dedup();
    let mut by_extra: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    for name in projection.names() {
        let name_words: Vec<&str> = name.folded.split(' ').collect();
        if words.len() <= name_words.len() && words.iter().all(|w| name_words.contains(w)) {
            by_extra
                .entry(name_words.len() - words.len())
                .or_default()
                .push(name.node);
        }
    }
    if let Some((_, mut nodes)) = by_extra.into_iter().next() {
        nodes.sort_unstable();
        nodes.dedup();
        return if nodes.len() == 1 {
            Resolution::One(nodes[0])
        } else {
            Resolution::Ambiguous(nodes)
        };
    }
    Resolution::Unknown(closest(projection, &folded, 5))
}

/// The node whose id is `name` exactly, among the nodes a folded name found: byte-equal first,
/// then equal in NFC; `None` unless exactly one fits.
fn exact_id(projection: &Projection, name: &str, found: &[(u32, NameKind)]) -> Option<u32> {
    let ids = || {
        found
            .iter()
            .filter(|(_, kind)| *kind == NameKind::Id)
            .map(|&(node, _)| (node, projection.node(node).id()))
    };
    let only = |mut nodes: Vec<u32>| {
        nodes.sort_unstable();
        nodes.dedup();
        (nodes.len() == 1).then(|| nodes[0])
    };
    only(
        ids()
            .filter(|(_, id)| *id == name)
            .map(|(n, _)| n)
            .collect(),
    )
    .or_else(|| {
        let wanted: String = name.nfc().collect();
        only(
            ids()
                .filter(|(_, id)| id.nfc().eq(wanted.chars()))
                .map(|(n, _)| n)
                .collect(),
        )
    })
}

/// The nodes whose names are closest to a folded name, best first; none for a name longer than
/// [`MAX_SUGGESTED_CHARS`]. O(total length of the names) plus [`similar`] on the names and
/// words of comparable length.
fn closest(projection: &Projection, folded: &str, limit: usize) -> Vec<u32> {
    if folded.chars().count() > MAX_SUGGESTED_CHARS {
        return Vec::new();
    }
    let mut best: HashMap<u32, f64> = HashMap::new();
    for name in projection.names() {
        let mut score = similar(folded, name.folded, SUGGESTION_THRESHOLD);
        // "putn" should find "Vladimir Putin": compare with each word too, a little less for
        // every other word the name has, so "Putin" beats "Success depends on Putin's ...".
        let words = name.folded.split(' ');
        let penalty = 0.04 * (words.clone().count().saturating_sub(1)) as f64;
        if penalty > 0.0 {
            for word in words {
                let at_least = score.map_or(SUGGESTION_THRESHOLD, |s| s.max(SUGGESTION_THRESHOLD));
                if let Some(s) = similar(folded, word, at_least + penalty) {
                    score = Some(s - penalty);
                }
            }
        }
        if let Some(score) = score {
            let entry = best.entry(name.node).or_insert(0.0);
            *entry = entry.max(score);
        }
    }
    let mut scored: Vec<(u32, f64)> = best.into_iter().collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
        .into_iter()
        .take(limit)
        .map(|(node, _)| node)
        .collect()
}
