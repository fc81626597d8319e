//! The validation report as data ([`ValidationReport`]), and its three renderings: a
//! [SHACL validation report](https://www.w3.org/TR/shacl/#validation-report) in Turtle, JSON
//! (documented in the README, stable), and text for people (`file:line: violation: ...`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{BlankNode, Literal, NamedNode, Term, Triple};
use serde::Serialize;

use super::ValidateError;
use super::graph::{DataGraph, Origin};
use super::path::Path;
use super::shapes::Severity;
use super::vocab::{self as sh, rdf, xsd};
use crate::iri::{Prefixes, compact};

/// One result: a focus node that does not conform to a constraint of a shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationResult {
    /// `sh:focusNode`.
    pub focus_node: Term,
    /// `sh:resultPath`: the property shape's path (for `sh:closed`, the offending predicate).
    pub path: Option<Path>,
    /// `sh:value`, when one value is to blame.
    pub value: Option<Term>,
    /// `sh:sourceShape`.
    pub source_shape: Term,
    /// `sh:sourceConstraintComponent`.
    pub component: NamedNode,
    /// `sh:resultSeverity`.
    pub severity: Severity,
    /// The shape's `sh:message` values.
    pub messages: Vec<Literal>,
    /// What is wrong, in words, when the shape has no message.
    pub detail: String,
    /// Where the offending triple came from (a CSV file and line), when the data says.
    pub origin: Option<Origin>,
}

impl ValidationResult {
    /// The shape's message, else the validator's own words.
    pub fn message(&self) -> String {
        self.messages
            .first()
            .map_or_else(|| self.detail.clone(), |m| m.value().to_owned())
    }

    /// The triple to blame, to look its origin up: (subject, predicate, object).
    fn blamed(&self) -> Option<(Term, NamedNode, Term)> {
        let value = self.value.as_ref()?;
        match self.path.as_ref()? {
            Path::Predicate(p) => Some((self.focus_node.clone(), p.clone(), value.clone())),
            Path::Inverse(inner) => {
                let p = inner.predicate()?;
                Some((value.clone(), p.clone(), self.focus_node.clone()))
            }
            _ => None,
        }
    }
}

/// The outcome of a validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationReport {
    /// `sh:conforms`: no result at all.
    pub conforms: bool,
    /// The results, each once, in the order found.
    pub results: Vec<ValidationResult>,
}

impl ValidationReport {
    /// A report of `results`, in the order found. Two results may say the same thing: SHACL
    /// reports one per pair for `sh:lessThan`, one per path that reaches a shape, and so on.
    pub fn new(results: Vec<ValidationResult>) -> Self {
        Self {
            conforms: results.is_empty(),
            results,
        }
    }

    /// How many results have each severity (`violation`, `warning`, `info`, other IRIs).
    pub fn counts(&self) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        for result in &self.results {
            *counts.entry(result.severity.name()).or_default() += 1;
        }
        counts
    }

    /// Fills each result's origin from the data's provenance: the `kg:row` of the offending
    /// triple's `rdf:Statement` or, when no one triple is to blame (a missing value), of the
    /// focus node's `rdf:type`.
    ///
    /// # Errors
    /// When the data cannot be read.
    pub fn locate<G: DataGraph + ?Sized>(&mut self, data: &G) -> Result<(), ValidateError> {
        for result in &mut self.results {
            if let Some((s, p, o)) = result.blamed() {
                result.origin = data.origin(&s, p.as_ref(), &o)?;
            }
            if result.origin.is_none() {
                for class in data.objects(&result.focus_node, rdf::TYPE)? {
                    result.origin = data.origin(&result.focus_node, rdf::TYPE, &class)?;
                    if result.origin.is_some() {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// The report as SHACL RDF triples.
    pub fn to_triples(&self) -> Vec<Triple> {
        let mut out = Vec::new();
        let report = BlankNode::new_unchecked("report");
        out.push(Triple::new(
            report.clone(),
            rdf::TYPE,
            sh::VALIDATION_REPORT,
        ));
        out.push(Triple::new(
            report.clone(),
            sh::CONFORMS,
            Literal::new_typed_literal(self.conforms.to_string(), xsd::BOOLEAN),
        ));
        for (number, result) in self.results.iter().enumerate() {
            let node = BlankNode::new_unchecked(format!("r{}", number + 1));
            out.push(Triple::new(report.clone(), sh::RESULT, node.clone()));
            out.push(Triple::new(node.clone(), rdf::TYPE, sh::VALIDATION_RESULT));
            out.push(Triple::new(
                node.clone(),
                sh::FOCUS_NODE,
                result.focus_node.clone(),
            ));
            if let Some(path) = &result.path {
                let path = path.to_rdf(&mut out);
                out.push(Triple::new(node.clone(), sh::RESULT_PATH, path));
            }
            if let Some(value) = &result.value {
                out.push(Triple::new(node.clone(), sh::VALUE, value.clone()));
            }
            out.push(Triple::new(
                node.clone(),
                sh::SOURCE_SHAPE,
                result.source_shape.clone(),
            ));
            out.push(Triple::new(
                node.clone(),
                sh::SOURCE_CONSTRAINT_COMPONENT,
                result.component.clone(),
            ));
            out.push(Triple::new(
                node.clone(),
                sh::RESULT_SEVERITY,
                result.severity.iri(),
            ));
            if result.messages.is_empty() {
                out.push(Triple::new(
                    node.clone(),
                    sh::RESULT_MESSAGE,
                    Literal::new_simple_literal(&result.detail),
                ));
            }
            for message in &result.messages {
                out.push(Triple::new(
                    node.clone(),
                    sh::RESULT_MESSAGE,
                    message.clone(),
                ));
            }
        }
        out
    }

    /// Writes the report in Turtle with `prefixes` (and `sh:`, `xsd:`).
    ///
    /// # Errors
    /// When writing fails.
    pub fn write_turtle(&self, prefixes: &Prefixes, out: &mut dyn Write) -> io::Result<()> {
        let mut serializer = RdfSerializer::from_format(RdfFormat::Turtle);
        let mut declared = prefixes.clone();
        declared.insert("sh".to_owned(), sh::NAMESPACE.to_owned());
        declared.insert(
            "xsd".to_owned(),
            xsd::INTEGER.as_str().trim_end_matches("integer").to_owned(),
        );
        declared.insert(
            "rdf".to_owned(),
            rdf::TYPE.as_str().trim_end_matches("type").to_owned(),
        );
        for (prefix, namespace) in &declared {
            serializer = serializer
                .with_prefix(prefix, namespace)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
        }
        let mut writer = serializer.for_writer(out);
        for triple in self.to_triples() {
            writer.serialize_triple(&triple)?;
        }
        writer.finish()?;
        Ok(())
    }

    /// Writes the report as JSON (see [`JsonReport`]).
    ///
    /// # Errors
    /// When writing fails.
    pub fn write_json(&self, prefixes: &Prefixes, out: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &JsonReport::new(self, prefixes))?;
        writeln!(out)
    }

    /// Writes one line per result: `file:line: violation: focus path: message [component,
    /// shape]`, the location being the CSV row when known, else the focus node; then a summary
    /// line.
    ///
    /// # Errors
    /// When writing fails.
    pub fn write_text(&self, prefixes: &Prefixes, out: &mut dyn Write) -> io::Result<()> {
        let name = |term: &Term| term_text(term, prefixes);
        for result in &self.results {
            let focus = name(&result.focus_node);
            let place = result
                .origin
                .as_ref()
                .map_or_else(|| focus.clone(), ToString::to_string);
            let mut subject = focus;
            if let Some(path) = &result.path {
                subject.push(' ');
                subject.push_str(&path.to_sparql(&|n| compact(n.as_str(), prefixes)));
            }
            let value = result
                .value
                .as_ref()
                .map_or_else(String::new, |v| format!(" (value {})", name(v)));
            writeln!(
                out,
                "{place}: {}: {subject}: {}{value} [{}, shape {}]",
                result.severity.name(),
                shown(&compact_terms(&result.message(), prefixes)),
                compact(result.component.as_str(), prefixes),
                shape_text(result, prefixes),
            )?;
        }
        let counts = self.counts();
        if self.conforms {
            writeln!(out, "conforms: no results")
        } else {
            let parts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}(s)")).collect();
            writeln!(out, "does not conform: {}", parts.join(", "))
        }
    }
}

/// The source shape for people: its name, or for a blank-node property shape its path
/// (`[sh:path pto:heldBy]`).
fn shape_text(result: &ValidationResult, prefixes: &Prefixes) -> String {
    match (&result.source_shape, &result.path) {
        (Term::BlankNode(_), Some(path)) if result.component != sh::CLOSED_CONSTRAINT_COMPONENT => {
            format!(
                "[sh:path {}]",
                path.to_sparql(&|n| compact(n.as_str(), prefixes))
            )
        }
        (shape, _) => term_text(shape, prefixes),
    }
}

/// A term for people: a prefixed name or `<iri>`, `_:b`, a literal in Turtle form.
fn term_text(term: &Term, prefixes: &Prefixes) -> String {
    let text = match term {
        Term::NamedNode(n) => compact(n.as_str(), prefixes),
        Term::Literal(l) if l.datatype() == xsd::STRING || l.language().is_some() => l.to_string(),
        // Numbers and booleans as Turtle writes them bare, when they are well formed.
        Term::Literal(l)
            if [xsd::INTEGER, xsd::DECIMAL, xsd::BOOLEAN].contains(&l.datatype())
                && crate::ingest::literal::check(l.value(), l.datatype()).is_ok()
                && !l.value().starts_with('+')
                && (l.datatype() != xsd::DECIMAL || l.value().contains('.')) =>
        {
            l.value().to_owned()
        }
        Term::Literal(l) => format!(
            "{}^^{}",
            Literal::new_simple_literal(l.value()),
            compact(l.datatype().as_str(), prefixes)
        ),
        Term::BlankNode(_) => term.to_string(),
    };
    shown(&text)
}

/// Control characters escaped, so a value cannot rewrite the terminal.
fn shown(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

/// `<iri>`s inside a message written short.
fn compact_terms(text: &str, prefixes: &Prefixes) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let iri = &rest[start + 1..start + end];
        out.push_str(&rest[..start]);
        if iri.contains(char::is_whitespace) || !iri.contains(':') {
            out.push_str(&rest[start..=start + end]);
        } else {
            out.push_str(&compact(iri, prefixes));
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// The JSON form of a report:
///
/// ```json
/// {"conforms": false,
///  "counts": {"violation": 1},
///  "results": [{"focus_node": {"type": "uri", "value": "https://…/Plan_28_Point"},
///               "path": "pto:draftedBy",
///               "value": null,
///               "source_shape": {"type": "uri", "value": "…#PlanShape"},
///               "component": "http://www.w3.org/ns/shacl#MinCountConstraintComponent",
///               "severity": "violation",
///               "message": "a plan names its authors",
///               "origin": {"file": "data/proposals.csv", "line": 5}}]}
/// ```
///
/// Terms are written as in SPARQL 1.1 JSON results (`type` `uri`, `bnode` or `literal`, with
/// `datatype` or `xml:lang`); `path` is SPARQL property-path text with the graph's prefixes.
#[derive(Debug, Serialize)]
pub struct JsonReport {
    /// `sh:conforms`.
    pub conforms: bool,
    /// Results by severity.
    pub counts: BTreeMap<String, u64>,
    /// The results.
    pub results: Vec<JsonResult>,
}

/// One result in [`JsonReport`].
#[derive(Debug, Serialize)]
pub struct JsonResult {
    /// `sh:focusNode`.
    pub focus_node: JsonTerm,
    /// `sh:resultPath` as SPARQL property-path text.
    pub path: Option<String>,
    /// `sh:value`.
    pub value: Option<JsonTerm>,
    /// `sh:sourceShape`.
    pub source_shape: JsonTerm,
    /// `sh:sourceConstraintComponent`, the full IRI.
    pub component: String,
    /// `violation`, `warning`, `info` (or the IRI of another severity).
    pub severity: String,
    /// The shape's message, else the validator's words.
    pub message: String,
    /// The CSV file and line the offending triple came from.
    pub origin: Option<Origin>,
}

/// A term as in SPARQL 1.1 JSON results.
#[derive(Debug, Serialize)]
pub struct JsonTerm {
    /// `uri`, `bnode` or `literal`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The IRI, blank node label or lexical form.
    pub value: String,
    /// A literal's datatype, unless it is a plain string or has a language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datatype: Option<String>,
    /// A literal's language tag.
    #[serde(rename = "xml:lang", skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

impl JsonTerm {
    fn new(term: &Term) -> Self {
        match term {
            Term::NamedNode(n) => Self {
                kind: "uri",
                value: n.as_str().to_owned(),
                datatype: None,
                language: None,
            },
            Term::BlankNode(b) => Self {
                kind: "bnode",
                value: b.as_str().to_owned(),
                datatype: None,
                language: None,
            },
            Term::Literal(l) => Self {
                kind: "literal",
                value: l.value().to_owned(),
                datatype: (l.language().is_none() && l.datatype() != xsd::STRING)
                    .then(|| l.datatype().as_str().to_owned()),
                language: l.language().map(str::to_owned),
            },
        }
    }
}

impl JsonReport {
    /// The JSON form of `report`, paths written with `prefixes`.
    pub fn new(report: &ValidationReport, prefixes: &Prefixes) -> Self {
        Self {
            conforms: report.conforms,
            counts: report.counts(),
            results: report
                .results
                .iter()
                .map(|r| JsonResult {
                    focus_node: JsonTerm::new(&r.focus_node),
                    path: r
                        .path
                        .as_ref()
                        .map(|p| p.to_sparql(&|n| compact(n.as_str(), prefixes))),
                    value: r.value.as_ref().map(JsonTerm::new),
                    source_shape: JsonTerm::new(&r.source_shape),
                    component: r.component.as_str().to_owned(),
                    severity: r.severity.name(),
                    message: r.message(),
                    origin: r.origin.clone(),
                })
                .collect(),
        }
    }
}

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// One line per result, for people.
    Text,
    /// A SHACL validation report in Turtle.
    Turtle,
    /// [`JsonReport`].
    Json,
}

impl ReportFormat {
    /// Every format.
    pub const ALL: [Self; 3] = [Self::Text, Self::Turtle, Self::Json];

    /// Its name (`--format`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Turtle => "turtle",
            Self::Json => "json",
        }
    }

    /// The format of a file extension: `txt`, `ttl`, `json`.
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Self::Text),
            "ttl" => Some(Self::Turtle),
            "json" => Some(Self::Json),
            _ => None,
        }
    }

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Text => "text/plain",
            Self::Turtle => "text/turtle",
            Self::Json => "application/json",
        }
    }

    /// Writes `report` in this format.
    ///
    /// # Errors
    /// When writing fails.
    pub fn write(
        self,
        report: &ValidationReport,
        prefixes: &Prefixes,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        match self {
            Self::Text => report.write_text(prefixes, out),
            Self::Turtle => report.write_turtle(prefixes, out),
            Self::Json => report.write_json(prefixes, out),
        }
    }
}
