//! Reading the RDF inputs (ontologies and RDF files among the data) into quads.
//!
//! Blank nodes are renamed in order of appearance (`_:f<file>b<n>`), so two builds of the same
//! files give the same store, which parsers with random blank node ids would not.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{BlankNode, GraphName, NamedOrBlankNode, Quad, Term};
use sha2::{Digest, Sha256};

use super::input::{FileKind, InputFile, Inputs};
use super::text::decode_utf8;
use super::{Progress, Summary};
use crate::diagnostic::{Diagnostics, Location, Problem};
use crate::vocab::{rdf, void};

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

/// The RDF inputs: ontology files first, then RDF files among the data, with the prefixes they
/// declare. Each entry says whether it is an ontology file.
pub(super) type RdfInputs = Vec<(PathBuf, bool, Vec<Quad>)>;

/// Parses every RDF input; syntax errors go to `diagnostics`.
pub(super) fn read_rdf(
    inputs: &Inputs,
    diagnostics: &mut Diagnostics,
    summary: &mut Summary,
    progress: &dyn Fn(Progress<'_>),
) -> (RdfInputs, Vec<(String, String)>) {
    let mut rdf = Vec::new();
    let mut prefixes = Vec::new();
    // The same content given twice (kg.ttl, always loaded, and again in `--ontology DIR`) is
    // read once: loading a file twice changes nothing.
    let mut seen_contents = HashSet::new();
    let files = inputs
        .ontology
        .iter()
        .map(|f| (f, true))
        .chain(inputs.data.iter().map(|f| (f, false)));
    for (file, is_ontology) in files {
        let format = match file.kind() {
            FileKind::Rdf(format) => format,
            // `--ontology some.file` with an extension kg does not know: say so.
            _ if is_ontology => {
                diagnostics.error(
                    Location::file(file.name()),
                    Problem::RdfSyntax("unknown RDF file extension".into()),
                );
                continue;
            }
            _ => continue,
        };
        progress(Progress::File(file.name()));
        summary.files += 1;
        if let Ok(bytes) = file.bytes()
            && !seen_contents.insert(Sha256::digest(&bytes))
        {
            continue;
        }
        match parse(file, format) {
            Ok(content) => {
                summary.rdf_triples += content.quads.len();
                prefixes.extend(content.prefixes);
                rdf.push((file.name().to_path_buf(), is_ontology, content.quads));
            }
            Err(failure) => {
                let (location, problem) = *failure;
                diagnostics.error(location, problem);
            }
        }
    }
    (rdf, prefixes)
}

/// The `void:uriSpace` of a `void:Dataset` in the inputs, if exactly one is given.
pub(super) fn uri_space<'a>(quads: impl Iterator<Item = &'a Quad>) -> Option<String> {
    let quads: Vec<&Quad> = quads.collect();
    let datasets: HashSet<&NamedOrBlankNode> = quads
        .iter()
        .filter(|q| q.predicate.as_ref() == rdf::TYPE && q.object == void::DATASET.into())
        .map(|q| &q.subject)
        .collect();
    let spaces: Vec<&str> = quads
        .iter()
        .filter(|q| q.predicate.as_ref() == void::URI_SPACE && datasets.contains(&q.subject))
        .filter_map(|q| match &q.object {
            Term::Literal(l) => Some(l.value()),
            Term::NamedNode(n) => Some(n.as_str()),
            Term::BlankNode(_) => None,
        })
        .collect();
    match spaces.as_slice() {
        [only] => Some((*only).to_owned()),
        _ => None,
    }
}
