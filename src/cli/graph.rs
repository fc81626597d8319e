//! What the graph commands share: loading the saved projection, resolving entity and relation
//! names typed on the command line.

use std::collections::{BTreeMap, HashSet};
use std::io::Write as _;

use anyhow::Context as _;
use kg::graph::{Projection, file as projection_file};
use kg::lookup::{Resolution, resolve};
use kg::query::compact_iri;
use kg::store::{Generation, Meta};
use kg::suggest::{closest, fold};

use super::StoreArgs;

/// The current generation, its description and its projection (one read of `graph.kgp`).
pub fn open(store: &StoreArgs) -> anyhow::Result<(Generation, Meta, Projection)> {
    let (generation, meta) = store.open()?;
    let projection = projection_file::load(&generation.projection_path())
        .context("cannot load the graph projection")?;
    Ok((generation, meta, projection))
}

/// Resolves an entity name. Unknown: prints the closest names on stderr and gives `None` (the
/// command then exits 1). Ambiguous: an error listing the candidates (exit 2).
pub fn entity(projection: &Projection, name: &str) -> anyhow::Result<Option<u32>> {
    let describe = |node: u32| {
        let node = projection.node(node);
        format!("{} ({})", node.label(), node.id())
    };
    match resolve(projection, name) {
        Resolution::One(node) => Ok(Some(node)),
        Resolution::Ambiguous(nodes) => {
            let list: Vec<String> = nodes
                .iter()
                .map(|&n| format!("  {}", describe(n)))
                .collect();
            anyhow::bail!(
                "{name:?} is ambiguous; it may be:\n{}\n(give the id or a fuller name)",
                list.join("\n")
            )
        }
        Resolution::Unknown(suggestions) => {
            let mut stderr = std::io::stderr();
            if suggestions.is_empty() {
                let _ = writeln!(stderr, "kg: no entity is called {name:?}");
            } else {
                let list: Vec<String> = suggestions.iter().map(|&n| describe(n)).collect();
                let _ = writeln!(
                    stderr,
                    "kg: no entity is called {name:?}; did you mean {}?",
                    list.join(" or ")
                );
            }
            Ok(None)
        }
    }
}

/// The predicates a relation name means: an IRI, a prefixed name, a local name or a label
/// (case and punctuation ignored).
pub fn predicates(
    projection: &Projection,
    prefixes: &BTreeMap<String, String>,
    name: &str,
) -> anyhow::Result<HashSet<u32>> {
    let wanted = fold(name);
    let iri = name.trim_start_matches('<').trim_end_matches('>');
    let matches: HashSet<u32> = (0_u32..)
        .zip(projection.predicates())
        .filter(|(_, term)| {
            term.iri == iri
                || compact_iri(term.iri, prefixes) == name
                || fold(kg::ontology::local_name(term.iri)) == wanted
                || fold(term.label) == wanted
        })
        .map(|(i, _)| i)
        .collect();
    if matches.is_empty() {
        let suggestions = closest(name, projection.predicates().map(|t| (t.label, t.label)), 3);
        let hint = if suggestions.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", suggestions.join(" or "))
        };
        anyhow::bail!("no relation is called {name:?}{hint}");
    }
    Ok(matches)
}
