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
    if format == RdfFormat::RdfXml
        && let Some((line, column)) = entity_declaration(&bytes)
    {
        return Err(Box::new((
            Location::at(name, line, column),
            Problem::EntityDeclaration,
        )));
    }
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
            Box::new((location, Problem::RdfSyntax(e.to_string().into())))
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

/// The `void:uriSpace` of a `void:Dataset` in the inputs, if exactly one is given, with the
/// file that gives it.
pub(super) fn uri_space(rdf: &RdfInputs) -> Option<(String, PathBuf)> {
    let quads = || {
        rdf.iter()
            .flat_map(|(file, _, quads)| quads.iter().map(move |q| (file, q)))
    };
    let datasets: HashSet<&NamedOrBlankNode> = quads()
        .filter(|(_, q)| q.predicate.as_ref() == rdf::TYPE && q.object == void::DATASET.into())
        .map(|(_, q)| &q.subject)
        .collect();
    let spaces: Vec<(&str, &PathBuf)> = quads()
        .filter(|(_, q)| q.predicate.as_ref() == void::URI_SPACE && datasets.contains(&q.subject))
        .filter_map(|(file, q)| match &q.object {
            Term::Literal(l) => Some((l.value(), file)),
            Term::NamedNode(n) => Some((n.as_str(), file)),
            Term::BlankNode(_) => None,
        })
        .collect();
    match spaces.as_slice() {
        [(only, file)] => Some(((*only).to_owned(), (*file).clone())),
        _ => None,
    }
}

/// Where the first entity declaration of an RDF/XML document is (1-based line and character
/// column), if it has one after a `<!DOCTYPE`.
///
/// The RDF/XML parser expands the internal entities a DOCTYPE declares, nested ones included,
/// while it reads the DOCTYPE: a few hundred bytes (the "billion laughs") grow to gigabytes
/// before any limit could apply. So kg looks for `<!ENTITY` in the raw bytes first; the parser
/// only knows entities declared with exactly that text, inside a DOCTYPE. External entities
/// (`SYSTEM`, `PUBLIC`) are refused the same way.
fn entity_declaration(bytes: &[u8]) -> Option<(u64, u64)> {
    let doctype = find_ignoring_case(bytes, b"<!DOCTYPE")?;
    let offset = doctype + find(&bytes[doctype..], b"<!ENTITY")?;
    let before = &bytes[..offset];
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.split(|b| *b == b'\n').count() as u64;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    Some((line, column))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::entity_declaration;

    #[test]
    fn finds_entity_declarations_in_a_doctype() {
        let laughs =
            "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n  <!ENTITY lol \"lol\">\n]>\n<rdf:RDF/>";
        assert_eq!(entity_declaration(laughs.as_bytes()), Some((3, 3)));
        let external = "<!doctype r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r/>";
        assert_eq!(entity_declaration(external.as_bytes()), Some((1, 14)));
        assert_eq!(
            entity_declaration(b"<rdf:RDF><!-- no doctype --></rdf:RDF>"),
            None
        );
        assert_eq!(entity_declaration(b"<!DOCTYPE rdf:RDF><rdf:RDF/>"), None);
    }
}
