//! Reading the RDF inputs (ontologies and RDF files among the data) into quads.
//!
//! Blank nodes are renamed in order of appearance (`_:f<file>b<n>`), so two builds of the same
//! files give the same store, which parsers with random blank node ids would not.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::PathBuf;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{BlankNode, GraphName, NamedOrBlankNode, Quad, Term};
use sha2::{Digest, Sha256};

use super::emit::EmitError;
use super::facts::FactSet;
use super::input::{FileKind, InputFile, Inputs};
use super::{Progress, Summary};
use crate::diagnostic::{Diagnostics, Location, Problem};
use crate::schema::Ontology;
use crate::vocab::{rdf, void};

/// Where an input is wrong, and how.
type Failure = Box<(Location, Problem)>;

/// Parses one RDF file, handing each quad (blank nodes renamed deterministically, so two reads
/// of the same file give the same quads) to `on_quad`; gives back the `(prefix, namespace)`
/// pairs the file declared (Turtle, `TriG`). The file is streamed, but for RDF/XML, whose
/// entity declarations are checked in the raw bytes first. Its UTF-8 is [`scan`]ned before.
///
/// # Errors
/// The first syntax error, with its line and column, or an I/O or UTF-8 problem.
pub fn parse_each(
    file: &InputFile,
    format: RdfFormat,
    on_quad: &mut dyn FnMut(Quad),
) -> Result<Vec<(String, String)>, Failure> {
    let name = file.name();
    let io_error = |e: std::io::Error| Box::new((Location::file(name), Problem::Io(e.to_string())));
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
    let syntax_error = |e: oxigraph::io::RdfSyntaxError| {
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
    };
    let parse_error = |e: oxigraph::io::RdfParseError| match e {
        oxigraph::io::RdfParseError::Syntax(e) => syntax_error(e),
        oxigraph::io::RdfParseError::Io(e) => io_error(e),
    };
    if format == RdfFormat::RdfXml {
        let bytes = file.bytes().map_err(io_error)?;
        if let Some((line, column, refusal)) = check_entities(&bytes) {
            return Err(Box::new((
                Location::at(name, line, column),
                refusal.problem(),
            )));
        }
        let mut parser = RdfParser::from_format(format).for_slice(bytes.as_ref());
        for quad in parser.by_ref() {
            on_quad(renamer.rename(quad.map_err(syntax_error)?));
        }
        return Ok(declared(parser.prefixes()));
    }
    // UTF-8 was checked by `scan` in pass one; a file changed since fails in the parser.
    let mut parser = RdfParser::from_format(format).for_reader(file.reader().map_err(io_error)?);
    for quad in parser.by_ref() {
        on_quad(renamer.rename(quad.map_err(parse_error)?));
    }
    Ok(declared(parser.prefixes()))
}

fn declared<'a>(prefixes: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<(String, String)> {
    prefixes
        .map(|(prefix, namespace)| (prefix.to_owned(), namespace.to_owned()))
        .collect()
}

/// One read of a file in chunks: the SHA-256 of its bytes (to read a content given twice
/// once), and where it first is not UTF-8 (checked before parsing, so that a bad byte gets a
/// precise line and column).
fn scan(file: &InputFile) -> std::io::Result<(impl Eq + std::hash::Hash, Utf8Check)> {
    let mut hasher = Sha256::new();
    let check = check_utf8(Hashing {
        inner: file.reader()?,
        hasher: &mut hasher,
    })?;
    Ok((hasher.finalize(), check))
}

/// Where a text first is not UTF-8: 1-based line and character column, and what is there.
type Utf8Check = Option<(u64, u64, String)>;

/// A reader that hashes what it reads.
struct Hashing<'a, R> {
    inner: R,
    hasher: &'a mut Sha256,
}

impl<R: Read> Read for Hashing<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// The first byte of `reader` that is not UTF-8, read in chunks, with what `decode_utf8`
/// would say of the whole.
fn check_utf8(mut reader: impl Read) -> std::io::Result<Utf8Check> {
    let mut buffer = vec![0; 1 << 20];
    // Bytes of a character cut by the end of the last chunk, moved to the front.
    let mut carried = 0;
    let (mut offset, mut line, mut column) = (0_u64, 1_u64, 1_u64);
    loop {
        let n = match reader.read(&mut buffer[carried..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let filled = carried + n;
        let (valid, bad) = match std::str::from_utf8(&buffer[..filled]) {
            Ok(text) => (text, None),
            Err(e) => {
                let valid = std::str::from_utf8(&buffer[..e.valid_up_to()]).unwrap_or_default();
                // A cut character at the end of a chunk is not an error yet; at the end it is.
                let cut = e.error_len().is_none() && n > 0;
                (valid, (!cut).then_some(e.valid_up_to()))
            }
        };
        match valid.rfind('\n') {
            Some(last) => {
                line += valid.bytes().filter(|&b| b == b'\n').count() as u64;
                column = valid[last + 1..].chars().count() as u64 + 1;
            }
            None => column += valid.chars().count() as u64,
        }
        if let Some(at) = bad {
            let byte = buffer[at];
            let offset = offset + at as u64;
            return Ok(Some((
                line,
                column,
                format!("byte 0x{byte:02X} at offset {offset}"),
            )));
        }
        if n == 0 {
            return Ok(None);
        }
        let used = valid.len();
        offset += used as u64;
        buffer.copy_within(used..filled, 0);
        carried = filled - used;
    }
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

/// The RDF inputs after pass one: ontology files whole, and of the RDF data files only what
/// the checks before writing read (see [`Ontology::reads`]); the data files are read again,
/// streamed, when the store is written ([`RdfInputs::each_data_quad`]).
#[derive(Default)]
pub(super) struct RdfInputs {
    /// By file, in reading order (ontology files first): its name, whether it is an ontology
    /// file, and its quads (all of an ontology file; those kept of a data file).
    pub(super) kept: Vec<(PathBuf, bool, Vec<Quad>)>,
    /// The RDF data files, to read again.
    data: Vec<(InputFile, RdfFormat)>,
    /// Subjects with an `rdf:subject` (statements), in every RDF input.
    pub(super) statements: HashSet<NamedOrBlankNode>,
}

impl RdfInputs {
    /// Every kept quad, with its file.
    pub(super) fn kept_quads(&self) -> impl Iterator<Item = (&PathBuf, &Quad)> {
        self.kept
            .iter()
            .flat_map(|(file, _, quads)| quads.iter().map(move |q| (file, q)))
    }

    /// Reads the RDF data files again, handing each quad to `on_quad` until it fails.
    ///
    /// # Errors
    /// A file that no longer reads as it did in pass one (changed or removed since).
    pub(super) fn each_data_quad<E>(
        &self,
        on_quad: &mut dyn FnMut(Quad) -> Result<(), E>,
    ) -> Result<(), EmitError<E>> {
        for (file, format) in &self.data {
            let mut failure = None;
            let parsed = parse_each(file, *format, &mut |quad| {
                if failure.is_none()
                    && let Err(e) = on_quad(quad)
                {
                    failure = Some(e);
                }
            });
            if let Some(e) = failure {
                return Err(EmitError::Sink(e));
            }
            parsed.map_err(EmitError::Input)?;
        }
        Ok(())
    }
}

/// Parses every RDF input; syntax errors go to `diagnostics`. The default-graph quads of every
/// input go to `facts` when given.
pub(super) fn read_rdf(
    inputs: &Inputs,
    diagnostics: &mut Diagnostics,
    summary: &mut Summary,
    mut facts: Option<&mut FactSet>,
    progress: &dyn Fn(Progress<'_>),
) -> (RdfInputs, Vec<(String, String)>) {
    let mut rdf = RdfInputs::default();
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
        let (digest, utf8) = match scan(file) {
            Ok(scanned) => scanned,
            Err(e) => {
                diagnostics.error(Location::file(file.name()), Problem::Io(e.to_string()));
                continue;
            }
        };
        if !seen_contents.insert(digest) {
            continue;
        }
        if let Some((line, column, detail)) = utf8 {
            diagnostics.error(
                Location::at(file.name(), line, column),
                Problem::InvalidUtf8(detail),
            );
            continue;
        }
        let mut kept = Vec::new();
        let mut count = 0;
        let parsed = parse_each(file, format, &mut |quad| {
            count += 1;
            if quad.predicate.as_ref() == rdf::SUBJECT {
                rdf.statements.insert(quad.subject.clone());
            }
            if let Some(facts) = facts.as_deref_mut()
                && quad.graph_name.is_default_graph()
            {
                facts.insert(&quad.subject, &quad.predicate, &quad.object);
            }
            if is_ontology || Ontology::reads(&quad) || quad.predicate.as_ref() == void::URI_SPACE {
                kept.push(quad);
            }
        });
        match parsed {
            Ok(declared) => {
                summary.rdf_triples += count;
                prefixes.extend(declared);
                rdf.kept
                    .push((file.name().to_path_buf(), is_ontology, kept));
                if !is_ontology {
                    rdf.data.push((file.clone(), format));
                }
            }
            Err(failure) => {
                let (location, problem) = *failure;
                diagnostics.error(location, problem);
            }
        }
    }
    (rdf, prefixes)
}

/// Whether a quad states a property on a fact: its subject is a statement (it has an
/// `rdf:subject`) and the property is not the statement's provenance. Readers that know these
/// properties read only them from a fact's statements.
pub(super) fn states_on_fact(rdf: &RdfInputs, quad: &Quad) -> bool {
    !crate::vocab::STATEMENT_PROVENANCE.contains(&quad.predicate.as_ref())
        && rdf.statements.contains(&quad.subject)
}

/// The `void:uriSpace` of a `void:Dataset` in the inputs, if exactly one is given, with the
/// file that gives it.
pub(super) fn uri_space(rdf: &RdfInputs) -> Option<(String, PathBuf)> {
    let quads = || rdf.kept_quads();
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
    use super::{EntityRefusal, check_entities, check_utf8, read_rdf};
    use crate::diagnostic::{Diagnostics, Problem};
    use crate::ingest::input::Inputs;
    use crate::ingest::text::decode_utf8;
    use crate::ingest::{EmitError, Summary};

    /// Gives at most `n` bytes a read, as pipes and sockets may.
    struct Trickle<'a>(&'a [u8], usize);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(self.0.len()).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn the_streamed_utf8_check_says_what_the_whole_file_check_says() {
        let cases: [&[u8]; 6] = [
            b"ok\nab\xFFc",
            "é\nx ü\n".as_bytes(),
            b"line\n\xC3",
            b"\xE2\x82",
            "ab\néé\n\u{1F600}x".as_bytes(),
            b"a\nb\nc\xE2\x82\x28d",
        ];
        for bytes in cases {
            let whole = decode_utf8(bytes).err();
            for n in [1, 2, 3, 5, 1 << 20] {
                let streamed = check_utf8(Trickle(bytes, n)).unwrap();
                assert_eq!(streamed, whole, "{bytes:?} read {n} bytes at a time");
            }
        }
    }

    #[test]
    fn a_data_file_changed_after_its_check_is_an_error_when_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let file = data.join("facts.nt");
        std::fs::write(&file, "<urn:a> <urn:p> _:b .\n_:b <urn:p> <urn:c> .\n").unwrap();
        let mut inputs = Inputs::empty();
        inputs.add_data(&data).unwrap();
        let mut diagnostics = Diagnostics::default();
        let (rdf, _) = read_rdf(
            &inputs,
            &mut diagnostics,
            &mut Summary::default(),
            None,
            &|_| {},
        );
        assert!(!diagnostics.has_errors());
        // Read again: the same quads, blank nodes named as in pass one.
        let mut first = Vec::new();
        let mut second = Vec::new();
        let collect = |into: &mut Vec<_>| {
            rdf.each_data_quad::<()>(&mut |q| {
                into.push(q);
                Ok(())
            })
            .is_ok()
        };
        assert!(collect(&mut first));
        assert!(collect(&mut second));
        assert_eq!(first.len(), 2);
        assert_eq!(first, second);
        // Changed after its check: an error at its line, not a silent cut.
        std::fs::write(&file, "<urn:a> <urn:p> <urn:c> .\n<urn:a> <urn:p> .\n").unwrap();
        let mut seen = 0;
        let read_again = rdf.each_data_quad::<()>(&mut |_| {
            seen += 1;
            Ok(())
        });
        match read_again {
            Err(EmitError::Input(failure)) => {
                let (location, problem) = *failure;
                assert_eq!(location.line, Some(2), "{location}");
                assert!(matches!(problem, Problem::RdfSyntax(_)), "{problem}");
            }
            _ => panic!("the changed file was read without an error"),
        }
        assert_eq!(seen, 1);
    }

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
