//! Every asserted fact of a build, interned: what the derived-data stages (inference,
//! validation; see `pipeline::derive`) read before anything is written. Terms are numbered once; a triple is three
//! numbers, so ten million facts take about 120 MB plus their distinct terms.

use std::collections::HashMap;

use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};

/// A term's number in a [`FactSet`].
pub type TermId = u32;

/// Interned triples of the default graph: the facts the tables state and the triples of the RDF
/// inputs (ontology files included), each kept once.
#[derive(Debug, Default, Clone)]
pub struct FactSet {
    terms: Vec<Term>,
    ids: HashMap<Term, TermId>,
    triples: Vec<[TermId; 3]>,
    seen: std::collections::HashSet<[TermId; 3]>,
}

impl FactSet {
    /// The number of a term, added when new (beyond 2³² − 1 distinct terms, which the
    /// projection refuses first, numbers saturate).
    pub fn intern(&mut self, term: &Term) -> TermId {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = TermId::try_from(self.terms.len()).unwrap_or(TermId::MAX);
        self.terms.push(term.clone());
        self.ids.insert(term.clone(), id);
        id
    }

    /// The number of a term, when it is known.
    pub fn id(&self, term: &Term) -> Option<TermId> {
        self.ids.get(term).copied()
    }

    /// The term with a number.
    pub fn term(&self, id: TermId) -> &Term {
        &self.terms[id as usize]
    }

    /// Adds a triple (a repeated one is kept once). Returns whether it was new.
    pub fn insert(
        &mut self,
        subject: &NamedOrBlankNode,
        predicate: &NamedNode,
        object: &Term,
    ) -> bool {
        let triple = [
            self.intern(&subject.clone().into()),
            self.intern(&predicate.clone().into()),
            self.intern(object),
        ];
        if self.seen.insert(triple) {
            self.triples.push(triple);
            true
        } else {
            false
        }
    }

    /// The triples, as numbers, in the order first added.
    pub fn triples(&self) -> &[[TermId; 3]] {
        &self.triples
    }

    /// The number of distinct triples.
    pub fn len(&self) -> usize {
        self.triples.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.triples.is_empty()
    }

    /// A triple as RDF terms; `None` when its numbers do not make one (a literal subject).
    pub fn triple(&self, [s, p, o]: [TermId; 3]) -> Option<Triple> {
        let subject = match self.term(s) {
            Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
            Term::Literal(_) => return None,
        };
        let Term::NamedNode(predicate) = self.term(p) else {
            return None;
        };
        Some(Triple::new(
            subject,
            predicate.clone(),
            self.term(o).clone(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    #[test]
    fn interns_terms_and_keeps_each_triple_once() {
        let mut facts = FactSet::default();
        let s = NamedOrBlankNode::from(NamedNode::new_unchecked("https://e/s"));
        let p = NamedNode::new_unchecked("https://e/p");
        let o = Term::from(Literal::new_simple_literal("o"));
        assert!(facts.insert(&s, &p, &o));
        assert!(!facts.insert(&s, &p, &o));
        assert_eq!(facts.len(), 1);
        let triple = facts.triple(facts.triples()[0]).unwrap();
        assert_eq!(triple.to_string(), "<https://e/s> <https://e/p> \"o\"");
        assert_eq!(facts.id(&o), Some(2));
    }
}
