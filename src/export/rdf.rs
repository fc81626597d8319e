//! RDF exports: the graph's quads streamed through oxigraph's serializers, with the graph's
//! prefixes declared where the syntax has them (Turtle, `TriG`, RDF/XML, JSON-LD).
//!
//! The local store iterates its quads in index order (the default graph first, then the named
//! graphs), which depends only on its contents: two exports of the same store are
//! byte-identical, and nothing is sorted or buffered in memory.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer, WriterQuadSerializer};
use oxigraph::model::{
    GraphNameRef, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, QuadRef, Term, TermRef,
    Triple, TripleRef,
};

use super::escape::is_xml_char;
use super::select::Subgraph;
use super::{ExportError, ExportFormat, Source};
use crate::iri::Prefixes;
use crate::read::{GraphReader, GraphScope, ReadError};
use crate::vocab::{kg, rdf};

/// The oxigraph format of an RDF export format.
pub fn rdf_format(format: ExportFormat) -> Option<RdfFormat> {
    Some(match format {
        ExportFormat::Turtle => RdfFormat::Turtle,
        ExportFormat::NTriples => RdfFormat::NTriples,
        ExportFormat::NQuads => RdfFormat::NQuads,
        ExportFormat::TriG => RdfFormat::TriG,
        ExportFormat::RdfXml => RdfFormat::RdfXml,
        ExportFormat::JsonLd => RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
        _ => return None,
    })
}

/// Whether the format holds triples only (no named graphs).
fn is_triple_format(format: ExportFormat) -> bool {
    matches!(
        format,
        ExportFormat::Turtle | ExportFormat::NTriples | ExportFormat::RdfXml
    )
}

/// Streams quads into a serializer, checking what the syntax cannot carry.
struct QuadWriter<'w> {
    inner: WriterQuadSerializer<&'w mut dyn Write>,
    format: ExportFormat,
    triples: bool,
    count: usize,
}

impl<'w> QuadWriter<'w> {
    fn new(
        format: ExportFormat,
        prefixes: &Prefixes,
        out: &'w mut dyn Write,
    ) -> Result<Self, ExportError> {
        let rdf = rdf_format(format).ok_or(ExportError::Unsupported {
            format,
            reason: "is not an RDF format",
        })?;
        let mut serializer = RdfSerializer::from_format(rdf);
        if matches!(
            format,
            ExportFormat::Turtle | ExportFormat::TriG | ExportFormat::RdfXml | ExportFormat::JsonLd
        ) {
            for (prefix, namespace) in prefixes {
                serializer = serializer
                    .with_prefix(prefix.as_str(), namespace.as_str())
                    .map_err(|_| ExportError::InvalidIri {
                        iri: namespace.clone(),
                    })?;
            }
        }
        Ok(Self {
            inner: serializer.for_writer(out),
            format,
            triples: is_triple_format(format),
            count: 0,
        })
    }

    fn write(&mut self, quad: QuadRef<'_>) -> Result<(), ExportError> {
        // XML 1.0 has no way to write most control characters, and a parser turns a raw
        // carriage return into a line feed: refuse rather than change the data.
        if self.format == ExportFormat::RdfXml
            && let TermRef::Literal(literal) = quad.object
            && let Some(character) = literal
                .value()
                .chars()
                .find(|&c| !is_xml_char(c) || c == '\r')
        {
            return Err(ExportError::Unrepresentable {
                format: self.format,
                subject: quad.subject.to_string().trim_matches(['<', '>']).to_owned(),
                predicate: quad.predicate.as_str().to_owned(),
                character,
            });
        }
        if self.triples {
            self.inner.serialize_triple(TripleRef::from(quad))?;
        } else {
            self.inner.serialize_quad(quad)?;
        }
        self.count += 1;
        Ok(())
    }

    fn finish(self) -> Result<usize, ExportError> {
        self.inner.finish()?.flush()?;
        Ok(self.count)
    }
}

/// Writes the quads of `scope` in an RDF `format`; returns how many.
///
/// # Errors
/// [`ExportError::NamedGraphs`] when a triple format is asked for a store with named graphs,
/// [`ExportError::UnknownGraph`], [`ExportError::Unrepresentable`] (RDF/XML and control
/// characters), storage and I/O errors.
pub fn write(
    graph: &dyn GraphReader,
    scope: &GraphScope,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let mut writer = QuadWriter::new(format, graph.prefixes(), out)?;
    if *scope == GraphScope::All && is_triple_format(format) {
        // A triple format holds the graph as the reading commands see it: the stated triples
        // and the inferred ones (unless the reader leaves them out). Other named graphs have
        // no place in it.
        let inferred = NamedOrBlankNode::from(kg::INFERRED.into_owned());
        let count = graph
            .named_graphs()?
            .iter()
            .filter(|g| **g != inferred)
            .count();
        if count > 0 {
            return Err(ExportError::NamedGraphs { format, count });
        }
        for triple in graph.triples(None, None, None) {
            writer.write(triple?.as_ref().in_graph(GraphNameRef::DefaultGraph))?;
        }
        return writer.finish();
    }
    let quads = graph.quads(scope).map_err(|e| match e {
        ReadError::UnknownGraph(graph) => ExportError::UnknownGraph { graph },
        e => ExportError::Read(e),
    })?;
    for quad in quads {
        writer.write(quad?.as_ref())?;
    }
    writer.finish()
}

/// Writes a subgraph in an RDF `format`; returns how many quads.
///
/// A subgraph in RDF is, for each selected entity in node order: the default-graph triples whose
/// subject it is (except facts linking it to another entity by an edge outside the subgraph),
/// then the `rdf:Statement`s that describe those triples (their provenance), and at the end the
/// sentences those statements cite. The ontology is not included.
///
/// # Errors
/// [`ExportError::Unrepresentable`] (RDF/XML and control characters), storage and I/O errors.
pub fn write_subgraph(
    source: &Source<'_>,
    subgraph: &Subgraph,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<usize, ExportError> {
    let projection = source.projection;
    let graph = source.graph;
    let entity: HashMap<&str, u32> = projection.nodes().map(|n| (n.iri(), n.index())).collect();
    let predicate: HashMap<&str, u32> = projection
        .predicates()
        .zip(0_u32..)
        .map(|(p, i)| (p.iri, i))
        .collect();
    let edges: HashSet<(u32, u32, u32)> = subgraph
        .edges
        .iter()
        .map(|&e| {
            let edge = projection.edge(e);
            (edge.source(), edge.target(), edge.predicate())
        })
        .collect();
    // A fact to another entity is kept when its edge is selected; any other triple is kept.
    let kept = |subject: u32, p: NamedNodeRef<'_>, object: TermRef<'_>| match object {
        TermRef::NamedNode(object) => {
            match (entity.get(object.as_str()), predicate.get(p.as_str())) {
                (Some(&target), Some(&p)) => edges.contains(&(subject, target, p)),
                _ => true,
            }
        }
        _ => true,
    };
    let mut writer = QuadWriter::new(format, graph.prefixes(), out)?;
    let mut write =
        |triple: &Triple| writer.write(triple.as_ref().in_graph(GraphNameRef::DefaultGraph));
    let mut sentences: Vec<Term> = Vec::new();
    let mut seen_sentences: HashSet<Term> = HashSet::new();
    for &n in &subgraph.nodes {
        let iri = projection.node(n).iri();
        let subject = NamedNodeRef::new(iri).map_err(|_| ExportError::InvalidIri {
            iri: iri.to_owned(),
        })?;
        for triple in graph.triples(Some(subject.into()), None, None) {
            let triple = triple?;
            if kept(n, triple.predicate.as_ref(), triple.object.as_ref()) {
                write(&triple)?;
            }
        }
        for statement in graph.triples(None, Some(rdf::SUBJECT), Some(subject.into())) {
            let statement = statement?.subject;
            let one = |p: NamedNodeRef<'_>| crate::read::object(graph, statement.as_ref(), p);
            let (Some(Term::NamedNode(p)), Some(object)) =
                (one(rdf::PREDICATE)?, one(rdf::OBJECT)?)
            else {
                continue;
            };
            if !kept(n, p.as_ref(), object.as_ref()) {
                continue;
            }
            for triple in graph.triples(Some(statement.as_ref()), None, None) {
                let triple = triple?;
                if triple.predicate == kg::EVIDENCE && seen_sentences.insert(triple.object.clone())
                {
                    sentences.push(triple.object.clone());
                }
                write(&triple)?;
            }
        }
    }
    for sentence in &sentences {
        let subject = match sentence {
            Term::NamedNode(n) => NamedOrBlankNodeRef::NamedNode(n.as_ref()),
            Term::BlankNode(b) => NamedOrBlankNodeRef::BlankNode(b.as_ref()),
            Term::Literal(_) => continue,
        };
        for triple in graph.triples(Some(subject), None, None) {
            write(&triple?)?;
        }
    }
    writer.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::MemoryGraph;
    use oxigraph::model::{Literal, NamedNode, QuadRef};
    use oxigraph::store::Store;

    fn store() -> Store {
        let store = Store::new().unwrap();
        let s = NamedNode::new("https://e/s").unwrap();
        let p = NamedNode::new("https://e/p").unwrap();
        store
            .insert(QuadRef::new(
                &s,
                &p,
                &Literal::new_simple_literal("a\u{1}b"),
                GraphNameRef::DefaultGraph,
            ))
            .unwrap();
        store
            .insert(QuadRef::new(
                &s,
                &p,
                &s,
                NamedNodeRef::new("https://e/g").unwrap(),
            ))
            .unwrap();
        store
    }

    fn export(
        store: &Store,
        scope: &GraphScope,
        format: ExportFormat,
    ) -> Result<String, ExportError> {
        let graph = MemoryGraph::new(store.clone(), Prefixes::new(), None);
        let mut out = Vec::new();
        write(&graph, scope, format, &mut out)?;
        Ok(String::from_utf8(out).unwrap())
    }

    #[test]
    fn triple_formats_refuse_named_graphs_unless_one_is_chosen() {
        let store = store();
        let error = export(&store, &GraphScope::All, ExportFormat::Turtle).unwrap_err();
        assert!(
            matches!(error, ExportError::NamedGraphs { count: 1, .. }),
            "{error}"
        );
        let graph = GraphScope::Named(NamedNode::new("https://e/g").unwrap());
        let text = export(&store, &graph, ExportFormat::NTriples).unwrap();
        assert_eq!(text, "<https://e/s> <https://e/p> <https://e/s> .\n");
        let text = export(&store, &graph, ExportFormat::NQuads).unwrap();
        assert!(text.ends_with("<https://e/g> .\n"));
        let missing = GraphScope::Named(NamedNode::new("https://e/nothing").unwrap());
        assert!(matches!(
            export(&store, &missing, ExportFormat::NQuads),
            Err(ExportError::UnknownGraph { .. })
        ));
    }

    #[test]
    fn rdf_xml_refuses_control_characters_and_others_escape_them() {
        let store = store();
        let error = export(&store, &GraphScope::DefaultGraph, ExportFormat::RdfXml).unwrap_err();
        assert!(error.to_string().contains("U+0001"), "{error}");
        let text = export(&store, &GraphScope::DefaultGraph, ExportFormat::NTriples).unwrap();
        assert!(text.contains("a\\u0001b"), "{text}");
    }
}
