//! [SHACL property paths](https://www.w3.org/TR/shacl/#property-paths): read from the shapes
//! graph, evaluated on the data graph (closures walk each node once, so cycles end), and
//! written back as RDF (for `sh:resultPath`) or SPARQL property-path text (for people).

use std::collections::HashSet;

use oxigraph::model::{BlankNode, NamedNode, NamedOrBlankNode, Term, Triple};

use super::graph::{DataGraph, read_list};
use super::vocab::{self as sh, rdf};
use super::{ShapesError, ValidateError};

/// A property path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Path {
    /// `ex:p`: the objects of a predicate.
    Predicate(NamedNode),
    /// `sh:inversePath`: `^p`.
    Inverse(Box<Path>),
    /// An RDF list of two or more paths: `p1/p2`.
    Sequence(Vec<Path>),
    /// `sh:alternativePath`: `p1|p2`.
    Alternative(Vec<Path>),
    /// `sh:zeroOrMorePath`: `p*`.
    ZeroOrMore(Box<Path>),
    /// `sh:oneOrMorePath`: `p+`.
    OneOrMore(Box<Path>),
    /// `sh:zeroOrOnePath`: `p?`.
    ZeroOrOne(Box<Path>),
}

/// How deep paths may nest (a shapes graph is written by people: this only stops a
/// pathological one from exhausting the stack).
const MAX_DEPTH: usize = 64;

impl Path {
    /// Reads the path at `node` of the shapes graph, for the shape `shape` (messages).
    ///
    /// # Errors
    /// [`ShapesError::Path`] when the node is not a well-formed SHACL path.
    pub fn parse<G: DataGraph + ?Sized>(
        graph: &G,
        node: &Term,
        shape: &Term,
    ) -> Result<Self, ValidateError> {
        Self::parse_at(graph, node, shape, &mut HashSet::new())
    }

    fn parse_at<G: DataGraph + ?Sized>(
        graph: &G,
        node: &Term,
        shape: &Term,
        open: &mut HashSet<Term>,
    ) -> Result<Self, ValidateError> {
        let bad = |reason: &str| {
            ValidateError::Shapes(ShapesError::Path {
                shape: shape.to_string(),
                path: node.to_string(),
                reason: reason.to_owned(),
            })
        };
        let blank = match node {
            Term::NamedNode(n) => return Ok(Self::Predicate(n.clone())),
            Term::Literal(_) => return Err(bad("a path is an IRI or a blank node, not a literal")),
            Term::BlankNode(_) => node,
        };
        if open.len() >= MAX_DEPTH || !open.insert(blank.clone()) {
            return Err(bad("the path contains itself"));
        }
        let parse_one = |open: &mut HashSet<Term>, inner: &Term| {
            Self::parse_at(graph, inner, shape, open).map(Box::new)
        };
        let single = |predicate| -> Result<Option<Term>, ValidateError> {
            let values = graph.objects(blank, predicate)?;
            match values.as_slice() {
                [] => Ok(None),
                [one] => Ok(Some(one.clone())),
                _ => Err(bad("a path node has one value for its path property")),
            }
        };
        let path = if !graph.objects(blank, rdf::FIRST)?.is_empty() {
            let members = read_list(graph, blank)?.ok_or_else(|| bad("not a well-formed list"))?;
            if members.len() < 2 {
                return Err(bad("a sequence path has at least two members"));
            }
            let mut steps = Vec::with_capacity(members.len());
            for member in &members {
                steps.push(Self::parse_at(graph, member, shape, open)?);
            }
            Self::Sequence(steps)
        } else if let Some(inner) = single(sh::INVERSE_PATH)? {
            Self::Inverse(parse_one(open, &inner)?)
        } else if let Some(list) = single(sh::ALTERNATIVE_PATH)? {
            let members = read_list(graph, &list)?.ok_or_else(|| bad("not a well-formed list"))?;
            if members.len() < 2 {
                return Err(bad("an alternative path has at least two members"));
            }
            let mut options = Vec::with_capacity(members.len());
            for member in &members {
                options.push(Self::parse_at(graph, member, shape, open)?);
            }
            Self::Alternative(options)
        } else if let Some(inner) = single(sh::ZERO_OR_MORE_PATH)? {
            Self::ZeroOrMore(parse_one(open, &inner)?)
        } else if let Some(inner) = single(sh::ONE_OR_MORE_PATH)? {
            Self::OneOrMore(parse_one(open, &inner)?)
        } else if let Some(inner) = single(sh::ZERO_OR_ONE_PATH)? {
            Self::ZeroOrOne(parse_one(open, &inner)?)
        } else {
            return Err(bad(
                "a blank node path needs sh:inversePath, sh:alternativePath, sh:zeroOrMorePath, sh:oneOrMorePath, sh:zeroOrOnePath or a list",
            ));
        };
        open.remove(blank);
        Ok(path)
    }

    /// The predicate, when the path is one.
    pub fn predicate(&self) -> Option<&NamedNode> {
        match self {
            Self::Predicate(p) => Some(p),
            _ => None,
        }
    }

    /// The nodes reached from `focus`, each once, in the order first reached.
    ///
    /// # Errors
    /// When the graph cannot be read.
    pub fn values<G: DataGraph + ?Sized>(
        &self,
        graph: &G,
        focus: &Term,
    ) -> Result<Vec<Term>, ValidateError> {
        self.step(graph, std::slice::from_ref(focus), true)
    }

    /// The nodes reached from any of `from`, walking forward or (for inverse paths) backward.
    fn step<G: DataGraph + ?Sized>(
        &self,
        graph: &G,
        from: &[Term],
        forward: bool,
    ) -> Result<Vec<Term>, ValidateError> {
        let mut out = Reached::default();
        match self {
            Self::Predicate(p) => {
                for node in from {
                    let next = if forward {
                        graph.objects(node, p.as_ref())?
                    } else {
                        graph.subjects(p.as_ref(), node)?
                    };
                    out.extend(next);
                }
            }
            Self::Inverse(inner) => return inner.step(graph, from, !forward),
            Self::Sequence(steps) => {
                let mut nodes = from.to_vec();
                let ordered: Box<dyn Iterator<Item = &Self>> = if forward {
                    Box::new(steps.iter())
                } else {
                    Box::new(steps.iter().rev())
                };
                for step in ordered {
                    nodes = step.step(graph, &nodes, forward)?;
                }
                return Ok(nodes);
            }
            Self::Alternative(options) => {
                for option in options {
                    out.extend(option.step(graph, from, forward)?);
                }
            }
            Self::ZeroOrMore(inner) | Self::OneOrMore(inner) => {
                if matches!(self, Self::ZeroOrMore(_)) {
                    out.extend(from.iter().cloned());
                }
                // Breadth first; each node is expanded once, so a cycle ends the walk.
                let mut expanded = HashSet::new();
                let mut frontier: Vec<Term> = from.to_vec();
                while !frontier.is_empty() {
                    let todo: Vec<Term> = frontier
                        .into_iter()
                        .filter(|n| expanded.insert(n.clone()))
                        .collect();
                    let next = inner.step(graph, &todo, forward)?;
                    frontier = next
                        .iter()
                        .filter(|n| !expanded.contains(*n))
                        .cloned()
                        .collect();
                    out.extend(next);
                }
            }
            Self::ZeroOrOne(inner) => {
                out.extend(from.iter().cloned());
                out.extend(inner.step(graph, from, forward)?);
            }
        }
        Ok(out.items)
    }

    /// The path as SPARQL property-path text, naming IRIs with `name`; parentheses only
    /// where SPARQL's precedence needs them (`^p/(q|r)*`).
    pub fn to_sparql(&self, name: &dyn Fn(&NamedNode) -> String) -> String {
        let wrap = |path: &Path, needed: bool| {
            if needed {
                format!("({})", path.to_sparql(name))
            } else {
                path.to_sparql(name)
            }
        };
        let member = |path: &Path| {
            wrap(
                path,
                matches!(path, Path::Sequence(_) | Path::Alternative(_)),
            )
        };
        let joined = |paths: &[Path], separator: &str| {
            paths.iter().map(member).collect::<Vec<_>>().join(separator)
        };
        let postfix = |inner: &Path, modifier: char| {
            format!(
                "{}{modifier}",
                wrap(inner, !matches!(inner, Path::Predicate(_)))
            )
        };
        match self {
            Self::Predicate(p) => name(p),
            Self::Inverse(inner) => format!(
                "^{}",
                wrap(
                    inner,
                    matches!(
                        **inner,
                        Path::Sequence(_) | Path::Alternative(_) | Path::Inverse(_)
                    )
                )
            ),
            Self::Sequence(steps) => joined(steps, "/"),
            Self::Alternative(options) => joined(options, "|"),
            Self::ZeroOrMore(inner) => postfix(inner, '*'),
            Self::OneOrMore(inner) => postfix(inner, '+'),
            Self::ZeroOrOne(inner) => postfix(inner, '?'),
        }
    }

    /// The path as SHACL RDF: its node, and the triples that describe it (added to `out`).
    pub fn to_rdf(&self, out: &mut Vec<Triple>) -> Term {
        let node =
            |out: &mut Vec<Triple>, predicate: oxigraph::model::NamedNodeRef<'_>, inner: Term| {
                let blank = BlankNode::default();
                out.push(Triple::new(blank.clone(), predicate, inner));
                Term::from(blank)
            };
        match self {
            Self::Predicate(p) => p.clone().into(),
            Self::Inverse(inner) => {
                let inner = inner.to_rdf(out);
                node(out, sh::INVERSE_PATH, inner)
            }
            Self::Sequence(steps) => {
                let items: Vec<Term> = steps.iter().map(|s| s.to_rdf(out)).collect();
                write_list(&items, out)
            }
            Self::Alternative(options) => {
                let items: Vec<Term> = options.iter().map(|s| s.to_rdf(out)).collect();
                let list = write_list(&items, out);
                node(out, sh::ALTERNATIVE_PATH, list)
            }
            Self::ZeroOrMore(inner) => {
                let inner = inner.to_rdf(out);
                node(out, sh::ZERO_OR_MORE_PATH, inner)
            }
            Self::OneOrMore(inner) => {
                let inner = inner.to_rdf(out);
                node(out, sh::ONE_OR_MORE_PATH, inner)
            }
            Self::ZeroOrOne(inner) => {
                let inner = inner.to_rdf(out);
                node(out, sh::ZERO_OR_ONE_PATH, inner)
            }
        }
    }
}

/// Writes an RDF list of `items`; its head.
fn write_list(items: &[Term], out: &mut Vec<Triple>) -> Term {
    let mut rest = Term::from(rdf::NIL.into_owned());
    for item in items.iter().rev() {
        let cell = BlankNode::default();
        out.push(Triple::new(cell.clone(), rdf::FIRST, item.clone()));
        out.push(Triple::new(cell.clone(), rdf::REST, rest));
        rest = NamedOrBlankNode::from(cell).into();
    }
    rest
}

/// Nodes reached, each once, in the order first reached.
#[derive(Default)]
struct Reached {
    items: Vec<Term>,
    seen: HashSet<Term>,
}

impl Reached {
    fn extend(&mut self, nodes: impl IntoIterator<Item = Term>) {
        for node in nodes {
            if self.seen.insert(node.clone()) {
                self.items.push(node);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::graph::IndexedGraph;

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("https://e/{s}"))
    }

    fn chain() -> IndexedGraph {
        // a -p-> b -p-> c -p-> a (a cycle), c -q-> d
        [
            ("a", "p", "b"),
            ("b", "p", "c"),
            ("c", "p", "a"),
            ("c", "q", "d"),
        ]
        .into_iter()
        .map(|(s, p, o)| Triple::new(iri(s), iri(p), iri(o)))
        .collect()
    }

    fn names(terms: &[Term]) -> Vec<String> {
        let mut names: Vec<String> = terms
            .iter()
            .map(|t| {
                t.to_string()
                    .trim_start_matches("<https://e/")
                    .trim_end_matches('>')
                    .to_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn closures_end_on_cycles() {
        let g = chain();
        let a = Term::from(iri("a"));
        let p = || Box::new(Path::Predicate(iri("p")));
        assert_eq!(
            names(&Path::ZeroOrMore(p()).values(&g, &a).unwrap()),
            ["a", "b", "c"]
        );
        assert_eq!(
            names(&Path::OneOrMore(p()).values(&g, &a).unwrap()),
            ["a", "b", "c"]
        );
        assert_eq!(
            names(&Path::ZeroOrOne(p()).values(&g, &a).unwrap()),
            ["a", "b"]
        );
        let seq = Path::Sequence(vec![Path::OneOrMore(p()), Path::Predicate(iri("q"))]);
        assert_eq!(names(&seq.values(&g, &a).unwrap()), ["d"]);
        let back = Path::Inverse(Box::new(seq));
        assert_eq!(
            names(&back.values(&g, &Term::from(iri("d"))).unwrap()),
            ["a", "b", "c"]
        );
    }

    #[test]
    fn writes_sparql_text() {
        let p = Path::Sequence(vec![
            Path::Inverse(Box::new(Path::Predicate(iri("p")))),
            Path::ZeroOrMore(Box::new(Path::Alternative(vec![
                Path::Predicate(iri("q")),
                Path::Predicate(iri("r")),
            ]))),
        ]);
        let text = p.to_sparql(&|n| crate::iri::local_name(n.as_str()).to_owned());
        assert_eq!(text, "^p/(q|r)*");
    }
}
