//! Reading the RDF inputs (ontologies and RDF files among the data) into quads.
//!
//! Blank nodes are renamed in order of appearance (`_:f<file>b<n>`), so two builds of the same
//! files give the same store, which parsers with random blank node ids would not.

use std::collections::HashMap;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{BlankNode, GraphName, NamedOrBlankNode, Quad, Term};
use sha2::{Digest, Sha256};

use super::diagnostic::{Location, Problem};
use super::input::InputFile;
use super::text::decode_utf8;

/// The quads of one RDF file and the prefixes it declared.
#[derive(Debug, Default)]
pub struct RdfContent {
    /// All quads, blank nodes renamed deterministically.
    pub quads: Vec<Quad>,
    /// `(prefix, namespace)` pairs the file declared (Turtle, `TriG`).
    pub prefixes: Vec<(String, String)>,
}

/// Parses one RDF file.
///
/// # Errors
/// The first syntax error, with its line and column, or an I/O or UTF-8 problem.
pub fn parse(file: &InputFile, format: RdfFormat) -> Result<RdfContent, Box<(Location, Problem)>> {
    let name = file.name();
    let bytes = file
        .bytes()
        .map_err(|e| Box::new((Location::file(name), Problem::Io(e.to_string()))))?;
    // Checked first so that a bad byte gets a precise line and column.
    decode_utf8(&bytes).map_err(|(line, column, detail)| {
        Box::new((
            Location::at(name, line, column),
            Problem::InvalidUtf8(detail),
        ))
    })?;
    let mut parser = RdfParser::from_format(format).for_slice(bytes.as_ref());
    let mut content = RdfContent::default();
    let salt = {
        let digest = Sha256::digest(name.to_string_lossy().as_bytes());
        format!(
            "{:02x}{:02x}{:02x}{:02x}",
            digest[0], digest[1], digest[2], digest[3]
        )
    };
    let mut renamer = BlankNodeRenamer {
        salt,
        names: HashMap::new(),
    };
    for quad in parser.by_ref() {
        let quad = quad.map_err(|e| {
            let (line, column) = e.location().map_or((None, None), |l| {
                (Some(l.start.line + 1), Some(l.start.column + 1))
            });
            let location = Location {
                file: name.to_path_buf(),
                line,
                column,
                field: None,
            };
            Box::new((location, Problem::RdfSyntax(e.to_string())))
        })?;
        content.quads.push(renamer.rename(quad));
    }
    content.prefixes = parser
        .prefixes()
        .map(|(prefix, namespace)| (prefix.to_owned(), namespace.to_owned()))
        .collect();
    Ok(content)
}

struct BlankNodeRenamer {
    salt: String,
    names: HashMap<BlankNode, BlankNode>,
}

impl BlankNodeRenamer {
    fn node(&mut self, node: BlankNode) -> BlankNode {
        let next = self.names.len();
        let salt = &self.salt;
        self.names
            .entry(node)
            .or_insert_with(|| BlankNode::new_unchecked(format!("f{salt}b{next}")))
            .clone()
    }

    fn rename(&mut self, quad: Quad) -> Quad {
        let subject = match quad.subject {
            NamedOrBlankNode::BlankNode(b) => NamedOrBlankNode::BlankNode(self.node(b)),
            other @ NamedOrBlankNode::NamedNode(_) => other,
        };
        let object = match quad.object {
            Term::BlankNode(b) => Term::BlankNode(self.node(b)),
            other => other,
        };
        let graph_name = match quad.graph_name {
            GraphName::BlankNode(b) => GraphName::BlankNode(self.node(b)),
            other => other,
        };
        Quad::new(subject, quad.predicate, object, graph_name)
    }
}
