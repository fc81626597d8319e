//! Names typed on the command line: entities (unknown ones get "did you mean" on stderr and exit
//! 1) and relations, resolved by the library's [`kg::names`].

use std::collections::HashSet;
use std::io::Write as _;

use anyhow::Context as _;
use kg::graph::{Projection, Resolution, resolve_entity};
use kg::iri::Prefixes;
use kg::names::resolve_relation;

use super::render::{quoted, shown};

/// Most candidates an "ambiguous" message lists.
const LISTED: usize = 20;

/// Resolves an entity name. Unknown: prints the closest names on stderr and gives `None` (the
/// command then exits 1). Ambiguous: an error listing the candidates (exit 2), at most 20.
pub fn entity(projection: &Projection, name: &str) -> anyhow::Result<Option<u32>> {
    let describe = |node: u32| {
        let node = projection.node(node);
        format!("{} ({})", shown(node.label()), shown(node.id()))
    };
    match resolve_entity(projection, name) {
        Resolution::One(node) => Ok(Some(node)),
        Resolution::Ambiguous(nodes) => {
            let mut list: Vec<String> = nodes
                .iter()
                .take(LISTED)
                .map(|&n| format!("  {}", describe(n)))
                .collect();
            if nodes.len() > LISTED {
                list.push(format!("  … and {} more", nodes.len() - LISTED));
            }
            anyhow::bail!(
                "{} is ambiguous; it may be:\n{}\n(give the id or a fuller name)",
                quoted(name),
                list.join("\n")
            )
        }
        Resolution::Unknown(suggestions) => {
            let mut stderr = std::io::stderr();
            if suggestions.is_empty() {
                let _ = writeln!(stderr, "kg: no entity is called {}", quoted(name));
            } else {
                let list: Vec<String> = suggestions.iter().map(|&n| describe(n)).collect();
                let _ = writeln!(
                    stderr,
                    "kg: no entity is called {}; did you mean {}?",
                    quoted(name),
                    list.join(" or ")
                );
            }
            Ok(None)
        }
    }
}

/// The predicates a list of relation names means (the union), for the flag `flag`.
pub fn relations(
    projection: &Projection,
    prefixes: &Prefixes,
    names: &[String],
    flag: &str,
) -> anyhow::Result<HashSet<u32>> {
    let relations: Vec<(&str, &str)> = projection.predicates().map(|t| (t.iri, t.label)).collect();
    let mut all = HashSet::new();
    for name in names {
        all.extend(
            resolve_relation(&relations, prefixes, name)
                .with_context(|| format!("{flag} {}", quoted(name)))?,
        );
    }
    Ok(all)
}
