//! The class hierarchy: `rdfs:subClassOf` edges (and `owl:equivalentClass`, both ways), walked
//! up for a class's ancestors or down for its descendants. Every reader of the hierarchy — the
//! ontology checks, the export's main class and `--class` selection — walks this one type.

use std::collections::{BTreeSet, HashMap};

use oxigraph::model::{NamedNode, NamedNodeRef};

/// Direct super- and subclasses of each class.
#[derive(Debug, Clone, Default)]
pub struct ClassHierarchy {
    supers: HashMap<NamedNode, Vec<NamedNode>>,
    subs: HashMap<NamedNode, Vec<NamedNode>>,
}

impl ClassHierarchy {
    /// Records that `sub` is a subclass of `sup` (a repeated edge changes nothing).
    pub fn add(&mut self, sub: NamedNode, sup: NamedNode) {
        let supers = self.supers.entry(sub.clone()).or_default();
        if supers.contains(&sup) {
            return;
        }
        supers.push(sup.clone());
        self.subs.entry(sup).or_default().push(sub);
    }

    /// Records that two classes are equivalent: each is a subclass of the other.
    pub fn add_equivalent(&mut self, a: NamedNode, b: NamedNode) {
        self.add(a.clone(), b.clone());
        self.add(b, a);
    }

    /// The class and every class above it. Time: O(classes and edges reached).
    pub fn ancestors(&self, class: NamedNodeRef<'_>) -> BTreeSet<NamedNode> {
        walk(&self.supers, class)
    }

    /// The class and every class below it. Time: O(classes and edges reached).
    pub fn descendants(&self, class: NamedNodeRef<'_>) -> BTreeSet<NamedNode> {
        walk(&self.subs, class)
    }
}

fn walk(
    edges: &HashMap<NamedNode, Vec<NamedNode>>,
    start: NamedNodeRef<'_>,
) -> BTreeSet<NamedNode> {
    let mut seen = BTreeSet::from([start.into_owned()]);
    let mut todo = vec![start.into_owned()];
    while let Some(next) = todo.pop() {
        for other in edges.get(&next).into_iter().flatten() {
            if seen.insert(other.clone()) {
                todo.push(other.clone());
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iri(local: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("https://e/{local}"))
    }

    #[test]
    fn walks_up_and_down_through_cycles() {
        let mut hierarchy = ClassHierarchy::default();
        hierarchy.add(iri("Envoy"), iri("Person"));
        hierarchy.add(iri("Envoy"), iri("Person"));
        hierarchy.add(iri("Person"), iri("Agent"));
        hierarchy.add_equivalent(iri("Agent"), iri("Actor"));
        let up: Vec<_> = hierarchy
            .ancestors(iri("Envoy").as_ref())
            .into_iter()
            .collect();
        assert_eq!(
            up,
            [iri("Actor"), iri("Agent"), iri("Envoy"), iri("Person")]
        );
        let down = hierarchy.descendants(iri("Actor").as_ref());
        assert!(down.contains(&iri("Envoy")) && down.contains(&iri("Agent")));
        assert_eq!(hierarchy.descendants(iri("Envoy").as_ref()).len(), 1);
    }
}
