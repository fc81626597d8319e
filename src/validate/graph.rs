//! The data the validator reads: a small triple-access trait, [`DataGraph`], with two
//! implementations — every [`GraphReader`] (the local store generation, a remote graph, a
//! [`MemoryGraph`] around an oxigraph store), and [`IndexedGraph`], triples indexed in memory
//! (a shapes graph, a test case, the asserted facts of a build before anything is written).
//!
//! [`MemoryGraph`]: crate::read::MemoryGraph

use std::collections::HashMap;

use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, Triple};

use super::ValidateError;
use super::vocab::rdf;
use crate::ingest::FactSet;
use crate::read::GraphReader;
use crate::vocab::kg;

/// Where a triple of the data came from: a file and, for a CSV row, its line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Origin {
    /// The input file, as the build named it (`data/posts.csv`).
    pub file: String,
    /// The 1-based line, when known.
    pub line: Option<u64>,
}

impl Origin {
    /// Reads a `kg:row` value, `file:line`.
    pub fn from_row(row: &str) -> Self {
        match row.rsplit_once(':') {
            Some((file, line)) if line.parse::<u64>().is_ok() => Self {
                file: file.to_owned(),
                line: line.parse().ok(),
            },
            _ => Self {
                file: row.to_owned(),
                line: None,
            },
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        Ok(())
    }
}

/// Triples to validate. Nodes are [`Term`]s: a literal asked for as a subject has no triples.
pub trait DataGraph {
    /// The objects of `(subject, predicate, ?)`.
    ///
    /// # Errors
    /// When the graph cannot be read.
    fn objects(
        &self,
        subject: &Term,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, ValidateError>;

    /// The subjects of `(?, predicate, object)`.
    ///
    /// # Errors
    /// When the graph cannot be read.
    fn subjects(
        &self,
        predicate: NamedNodeRef<'_>,
        object: &Term,
    ) -> Result<Vec<Term>, ValidateError>;

    /// The predicates and objects of every triple whose subject is `subject`.
    ///
    /// # Errors
    /// When the graph cannot be read.
    fn outgoing(&self, subject: &Term) -> Result<Vec<(NamedNode, Term)>, ValidateError>;

    /// The subjects and objects of every triple whose predicate is `predicate`.
    ///
    /// # Errors
    /// When the graph cannot be read.
    fn with_predicate(
        &self,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<(Term, Term)>, ValidateError>;

    /// Where the triple `(subject, predicate, object)` came from: the `kg:row` of its
    /// `rdf:Statement`, when the graph has one.
    ///
    /// # Errors
    /// When the graph cannot be read.
    fn origin(
        &self,
        subject: &Term,
        predicate: NamedNodeRef<'_>,
        object: &Term,
    ) -> Result<Option<Origin>, ValidateError> {
        statement_origin(self, subject, predicate, object)
    }
}

/// The `kg:row` of a statement `?st rdf:subject s; rdf:predicate p; rdf:object o`, as kg's
/// builds write one for every fact of a table row (`ingest::emit`).
fn statement_origin<G: DataGraph + ?Sized>(
    graph: &G,
    subject: &Term,
    predicate: NamedNodeRef<'_>,
    object: &Term,
) -> Result<Option<Origin>, ValidateError> {
    let predicate = Term::from(predicate.into_owned());
    for statement in graph.subjects(rdf::SUBJECT, subject)? {
        if !graph
            .objects(&statement, rdf::PREDICATE)?
            .contains(&predicate)
            || !graph.objects(&statement, rdf::OBJECT)?.contains(object)
        {
            continue;
        }
        if let Some(Term::Literal(row)) = graph.objects(&statement, kg::ROW)?.into_iter().next() {
            return Ok(Some(Origin::from_row(row.value())));
        }
    }
    Ok(None)
}

/// A node as a subject, when it can be one.
fn as_subject(term: &Term) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        Term::NamedNode(n) => Some(n.as_ref().into()),
        Term::BlankNode(b) => Some(b.as_ref().into()),
        Term::Literal(_) => None,
    }
}

impl<T: GraphReader + ?Sized> DataGraph for T {
    fn objects(
        &self,
        subject: &Term,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, ValidateError> {
        let Some(subject) = as_subject(subject) else {
            return Ok(Vec::new());
        };
        self.triples(Some(subject), Some(predicate), None)
            .map(|t| Ok(t?.object))
            .collect()
    }

    fn subjects(
        &self,
        predicate: NamedNodeRef<'_>,
        object: &Term,
    ) -> Result<Vec<Term>, ValidateError> {
        self.triples(None, Some(predicate), Some(object.as_ref()))
            .map(|t| Ok(t?.subject.into()))
            .collect()
    }

    fn outgoing(&self, subject: &Term) -> Result<Vec<(NamedNode, Term)>, ValidateError> {
        let Some(subject) = as_subject(subject) else {
            return Ok(Vec::new());
        };
        self.triples(Some(subject), None, None)
            .map(|t| {
                let t = t?;
                Ok((t.predicate, t.object))
            })
            .collect()
    }

    fn with_predicate(
        &self,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<(Term, Term)>, ValidateError> {
        self.triples(None, Some(predicate), None)
            .map(|t| {
                let t = t?;
                Ok((t.subject.into(), t.object))
            })
            .collect()
    }
}

/// Triples held and indexed in memory, each kept once, literals exactly as given.
#[derive(Debug, Default, Clone)]
pub struct IndexedGraph {
    triples: Vec<(Term, NamedNode, Term)>,
    seen: std::collections::HashSet<(Term, NamedNode, Term)>,
    by_subject: HashMap<Term, Vec<usize>>,
    by_object: HashMap<Term, Vec<usize>>,
    by_predicate: HashMap<NamedNode, Vec<usize>>,
}

impl IndexedGraph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a triple; a repeated one is kept once.
    pub fn insert(&mut self, triple: Triple) {
        let key = (Term::from(triple.subject), triple.predicate, triple.object);
        if self.seen.contains(&key) {
            return;
        }
        let index = self.triples.len();
        self.by_subject
            .entry(key.0.clone())
            .or_default()
            .push(index);
        self.by_object.entry(key.2.clone()).or_default().push(index);
        self.by_predicate
            .entry(key.1.clone())
            .or_default()
            .push(index);
        self.seen.insert(key.clone());
        self.triples.push(key);
    }

    /// The asserted facts of a build (tables and RDF inputs, ontology included), as the
    /// derived-data stage sees them before anything is written.
    pub fn from_fact_set(facts: &FactSet) -> Self {
        let mut graph = Self::new();
        for &triple in facts.triples() {
            if let Some(triple) = facts.triple(triple) {
                graph.insert(triple);
            }
        }
        graph
    }

    /// The number of triples.
    pub fn len(&self) -> usize {
        self.triples.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.triples.is_empty()
    }

    /// Every triple, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (&Term, &NamedNode, &Term)> {
        self.triples.iter().map(|(s, p, o)| (s, p, o))
    }
}

impl FromIterator<Triple> for IndexedGraph {
    fn from_iter<I: IntoIterator<Item = Triple>>(iter: I) -> Self {
        let mut graph = Self::new();
        for triple in iter {
            graph.insert(triple);
        }
        graph
    }
}

impl DataGraph for IndexedGraph {
    fn objects(
        &self,
        subject: &Term,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, ValidateError> {
        Ok(at(&self.by_subject, subject)
            .iter()
            .map(|&i| &self.triples[i])
            .filter(|(_, p, _)| p.as_ref() == predicate)
            .map(|(_, _, o)| o.clone())
            .collect())
    }

    fn subjects(
        &self,
        predicate: NamedNodeRef<'_>,
        object: &Term,
    ) -> Result<Vec<Term>, ValidateError> {
        Ok(at(&self.by_object, object)
            .iter()
            .map(|&i| &self.triples[i])
            .filter(|(_, p, _)| p.as_ref() == predicate)
            .map(|(s, _, _)| s.clone())
            .collect())
    }

    fn outgoing(&self, subject: &Term) -> Result<Vec<(NamedNode, Term)>, ValidateError> {
        Ok(at(&self.by_subject, subject)
            .iter()
            .map(|&i| &self.triples[i])
            .map(|(_, p, o)| (p.clone(), o.clone()))
            .collect())
    }

    fn with_predicate(
        &self,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<(Term, Term)>, ValidateError> {
        Ok(self
            .by_predicate
            .get(&predicate.into_owned())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|&i| &self.triples[i])
            .map(|(s, _, o)| (s.clone(), o.clone()))
            .collect())
    }
}

/// Reads an RDF list (`rdf:first`/`rdf:rest`) starting at `head`; `None` when it is not a
/// well-formed list (a member missing, two firsts, a cycle).
///
/// # Errors
/// When the graph cannot be read.
pub fn read_list<G: DataGraph + ?Sized>(
    graph: &G,
    head: &Term,
) -> Result<Option<Vec<Term>>, ValidateError> {
    let nil = Term::from(rdf::NIL.into_owned());
    let mut items = Vec::new();
    let mut node = head.clone();
    let mut visited = std::collections::HashSet::new();
    while node != nil {
        if !visited.insert(node.clone()) {
            return Ok(None);
        }
        let first = graph.objects(&node, rdf::FIRST)?;
        let rest = graph.objects(&node, rdf::REST)?;
        let ([first], [rest]) = (first.as_slice(), rest.as_slice()) else {
            return Ok(None);
        };
        items.push(first.clone());
        node = rest.clone();
    }
    Ok(Some(items))
}

/// The triples indexed under `key`.
fn at<'a>(index: &'a HashMap<Term, Vec<usize>>, key: &Term) -> &'a [usize] {
    index.get(key).map_or(&[], Vec::as_slice)
}
