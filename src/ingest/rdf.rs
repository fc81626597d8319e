//! Reading the RDF inputs (ontologies and RDF files among the data) into quads.
//!
//! Blank nodes are renamed in order of appearance (`_:f<file>b<n>`), so two builds of the same
//! files give the same store, which parsers with random blank node ids would not.

use std::collections::{BTreeSet, HashMap, HashSet};
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
        && let Some((line, column, refusal)) = check_entities(&bytes)
    {
        return Err(Box::new((
            Location::at(name, line, column),
            refusal.problem(),
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
    summary.qualifiers.extend(stated_properties(&rdf));
    (rdf, prefixes)
}

/// The properties the RDF inputs state on facts: those of subjects that are statements (they
/// have an `rdf:subject`) beyond the statement's provenance. Readers that know them read only
/// these from a fact's statements.
fn stated_properties(rdf: &RdfInputs) -> BTreeSet<String> {
    let quads = || rdf.iter().flat_map(|(_, _, quads)| quads);
    let statements: HashSet<&NamedOrBlankNode> = quads()
        .filter(|q| q.predicate.as_ref() == rdf::SUBJECT)
        .map(|q| &q.subject)
        .collect();
    if statements.is_empty() {
        return BTreeSet::new();
    }
    quads()
        .filter(|q| {
            !crate::vocab::STATEMENT_PROVENANCE.contains(&q.predicate.as_ref())
                && statements.contains(&q.subject)
        })
        .map(|q| q.predicate.as_str().to_owned())
        .collect()
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

/// Checks the entity declarations of an RDF/XML document: the position (1-based line and
/// character column) of the first one kg refuses, with why.
///
/// The RDF/XML parser expands the internal entities a DOCTYPE declares, nested ones included,
/// while it reads the DOCTYPE: a few hundred bytes of nested entities (the "billion laughs")
/// grow to gigabytes before any limit could apply. So kg reads the declarations in the raw
/// bytes first (the parser only knows those written `<!ENTITY name "value">` after a
/// `<!DOCTYPE`). Plain abbreviations, as ontology editors write them
/// (`<!ENTITY owl "http://www.w3.org/2002/07/owl#">`), are kept; refused are a value that
/// refers to another entity, an external entity (`SYSTEM`, `PUBLIC`), and abbreviations whose
/// uses would expand to more than [`MAX_ENTITY_EXPANSION`] bytes in all.
fn check_entities(bytes: &[u8]) -> Option<(u64, u64, EntityRefusal)> {
    let doctype = find_ignoring_case(bytes, b"<!DOCTYPE")?;
    let mut declared: Vec<(usize, &[u8], usize)> = Vec::new();
    let mut from = doctype;
    while let Some(found) = find(&bytes[from..], b"<!ENTITY") {
        let at = from + found;
        from = at + b"<!ENTITY".len();
        let refusal = match entity_value(&bytes[from..]) {
            Some((name, value)) if !refers_to_an_entity(value) => {
                declared.push((at, name, value.len()));
                continue;
            }
            Some(_) => EntityRefusal::Nested,
            None => EntityRefusal::External,
        };
        let (line, column) = position(bytes, at);
        return Some((line, column, refusal));
    }
    // One pass over the references `&name;` of the file, each looked up among the declared.
    let declared: HashMap<&[u8], (usize, u64)> = declared
        .into_iter()
        .map(|(at, name, length)| (name, (at, length as u64)))
        .collect();
    let mut expanded = 0_u64;
    for after in bytes.split(|b| *b == b'&').skip(1) {
        let Some(end) = after.iter().take(MAX_NAME).position(|b| *b == b';') else {
            continue;
        };
        if let Some(&(at, length)) = declared.get(&after[..end]) {
            expanded = expanded.saturating_add(length);
            if expanded > MAX_ENTITY_EXPANSION {
                let (line, column) = position(bytes, at);
                return Some((line, column, EntityRefusal::TooLarge));
            }
        }
    }
    None
}

/// The longest entity name looked up in a reference.
const MAX_NAME: usize = 256;

/// The most bytes the entity references of one RDF/XML document may expand to, in all.
/// (The refusal's message says 16 MiB.)
const MAX_ENTITY_EXPANSION: u64 = 16 << 20;

/// Why an entity declaration is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntityRefusal {
    Nested,
    External,
    TooLarge,
}

impl EntityRefusal {
    fn problem(self) -> Problem {
        Problem::EntityDeclaration(match self {
            Self::Nested => {
                "its value refers to another entity, and nested entities can grow without bound (\"billion laughs\"): write the text out instead"
            }
            Self::External => {
                "it is not an abbreviation `<!ENTITY name \"text\">`; kg never reads external entities (SYSTEM, PUBLIC)"
            }
            Self::TooLarge => {
                "the references to the entities of this file would expand to more than 16 MiB: write the text out instead"
            }
        })
    }
}

/// After `<!ENTITY`: the name and the double-quoted value of an internal entity, as the RDF/XML
/// parser reads them; `None` for anything else (an external entity).
fn entity_value(rest: &[u8]) -> Option<(&[u8], &[u8])> {
    let rest = rest.trim_ascii_start();
    let rest = rest.strip_prefix(b"%").unwrap_or(rest).trim_ascii_start();
    let name_end = rest.iter().position(u8::is_ascii_whitespace)?;
    let (name, rest) = rest.split_at(name_end);
    let rest = rest.trim_ascii_start().strip_prefix(b"\"")?;
    let value_end = rest.iter().position(|b| *b == b'"')?;
    let (value, rest) = rest.split_at(value_end);
    rest[1..]
        .trim_ascii_start()
        .starts_with(b">")
        .then_some((name, value))
}

/// Whether an entity value refers to an entity other than XML's predefined ones and character
/// references.
fn refers_to_an_entity(value: &[u8]) -> bool {
    value.split(|b| *b == b'&').skip(1).any(|after| {
        !(after.starts_with(b"#")
            || [&b"lt;"[..], b"gt;", b"amp;", b"apos;", b"quot;"]
                .iter()
                .any(|known| after.starts_with(known)))
    })
}

/// The 1-based line and character column of byte `offset`.
fn position(bytes: &[u8], offset: usize) -> (u64, u64) {
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
    (line, column)
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
    use super::{EntityRefusal, check_entities};

    #[test]
    fn refuses_nested_and_external_entities() {
        let laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE rdf:RDF [\n  <!ENTITY lol \"lol\">\n  \
                      <!ENTITY lol1 \"&lol;&lol;\">\n]>\n<rdf:RDF/>";
        assert_eq!(
            check_entities(laughs.as_bytes()),
            Some((4, 3, EntityRefusal::Nested))
        );
        let external = "<!doctype r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r/>";
        assert_eq!(
            check_entities(external.as_bytes()),
            Some((1, 14, EntityRefusal::External))
        );
        assert_eq!(
            check_entities(b"<rdf:RDF><!-- no doctype --></rdf:RDF>"),
            None
        );
        assert_eq!(check_entities(b"<!DOCTYPE rdf:RDF><rdf:RDF/>"), None);
    }

    #[test]
    fn keeps_abbreviations_while_their_expansion_is_small() {
        let owl = "<!DOCTYPE rdf:RDF [\n<!ENTITY owl \"http://www.w3.org/2002/07/owl#\">\n\
                   <!ENTITY amp2 \"a &amp; b &#38; c\">\n]>\n<r a=\"&owl;Class\">&owl;</r>";
        assert_eq!(check_entities(owl.as_bytes()), None);
        // A long value used many times, without nesting: 64 kB times 300 uses.
        let big = format!(
            "<!DOCTYPE r [<!ENTITY x \"{}\">]><r>{}</r>",
            "x".repeat(64 * 1024),
            "&x;".repeat(300)
        );
        assert_eq!(
            check_entities(big.as_bytes()),
            Some((1, 14, EntityRefusal::TooLarge))
        );
    }
}
