//! Resolving an entity name people type (`putin`, `Zelenskiy`, an id, an IRI) to one node of
//! the projection, through its name index: exact names first, then names holding every word,
//! then the closest names as suggestions.

use std::collections::{BTreeMap, HashMap};

use super::{NameKind, Projection};
use crate::names::{fold, similarity};

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
/// punctuation are ignored. When nothing matches whole, the entity whose name contains all the
/// words (`putin` → "Vladimir Putin") with the fewest others wins.
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
    let words: Vec<&str> = folded.split(' ').collect();
    let mut by_extra: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    for name in projection.names() {
        let name_words: Vec<&str> = name.folded.split(' ').collect();
        if words.iter().all(|w| name_words.contains(w)) {
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

/// The nodes whose names are closest to a folded name, best first.
fn closest(projection: &Projection, folded: &str, limit: usize) -> Vec<u32> {
    let mut best: HashMap<u32, f64> = HashMap::new();
    for name in projection.names() {
        let mut score = similarity(folded, name.folded);
        // "putn" should find "Vladimir Putin": compare with each word too, a little less for
        // every other word the name has, so "Putin" beats "Success depends on Putin's ...".
        let words: Vec<&str> = name.folded.split(' ').collect();
        let penalty = 0.04 * (words.len().saturating_sub(1)) as f64;
        for word in &words {
            score = score.max(similarity(folded, word) - penalty);
        }
        let entry = best.entry(name.node).or_insert(0.0);
        *entry = entry.max(score);
    }
    let mut scored: Vec<(u32, f64)> = best.into_iter().filter(|(_, s)| *s >= 0.75).collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
        .into_iter()
        .take(limit)
        .map(|(node, _)| node)
        .collect()
}
