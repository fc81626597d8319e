//! Validation as a build stage ([`Stage`]): the asserted facts (with the ontology) are checked
//! against the shapes before anything is written; a result of severity `sh:Violation` becomes
//! an error that stops the build, `sh:Warning` and `sh:Info` become warnings.

use std::collections::BTreeMap;

use oxigraph::model::{NamedNode, Term};

use super::graph::{IndexedGraph, Origin};
use super::report::{ValidationReport, ValidationResult};
use super::shapes::{PEACE_TALKS_SHAPES, Severity, Shapes};
use super::{ShapesError, validate};
use crate::diagnostic::{Diagnostic, Location, Problem, Severity as DiagnosticSeverity};
use crate::iri::{Prefixes, compact};
use crate::pipeline::derive::{Derived, Stage, StageInput};

/// The validation stage of a build.
#[derive(Debug, Clone)]
pub struct ValidationStage {
    shapes: Shapes,
}

impl ValidationStage {
    /// A stage checking `shapes`.
    pub fn new(shapes: Shapes) -> Self {
        Self { shapes }
    }

    /// The shipped peace-talks shapes and a team's own (`--shapes FILE`: name and bytes).
    ///
    /// # Errors
    /// When a shapes file does not parse or holds an ill-formed shape.
    pub fn with_shapes(extra: &[(&str, &[u8])]) -> Result<Self, ShapesError> {
        let mut files = vec![(PEACE_TALKS_SHAPES.0, PEACE_TALKS_SHAPES.1.as_bytes())];
        files.extend_from_slice(extra);
        Ok(Self::new(Shapes::from_turtle(&files)?))
    }

    /// The shapes checked.
    pub fn shapes(&self) -> &Shapes {
        &self.shapes
    }

    /// The report's results as build diagnostics: each at the CSV file and line it came from
    /// when known, else at the shapes file.
    pub fn diagnostics(&self, report: &ValidationReport, prefixes: &Prefixes) -> Vec<Diagnostic> {
        let fallback = self
            .shapes
            .sources()
            .first()
            .cloned()
            .unwrap_or_else(|| "shapes".to_owned());
        report
            .results
            .iter()
            .map(|result| Diagnostic {
                severity: match result.severity {
                    Severity::Violation => DiagnosticSeverity::Error,
                    _ => DiagnosticSeverity::Warning,
                },
                location: location(result.origin.as_ref(), &fallback),
                problem: problem(result, prefixes),
            })
            .collect()
    }
}

/// Where a result points in the inputs.
fn location(origin: Option<&Origin>, fallback: &str) -> Location {
    match origin {
        Some(Origin {
            file,
            line: Some(line),
        }) => Location {
            file: file.into(),
            line: Some(*line),
            column: None,
            field: None,
        },
        Some(Origin { file, line: None }) => Location::file(file),
        None => Location::file(fallback),
    }
}

/// A result as a build problem: "<focus> <path> = <value> breaks the shape <shape>: <message>".
fn problem(result: &ValidationResult, prefixes: &Prefixes) -> Problem {
    let name = |term: &Term| match term {
        Term::NamedNode(n) => compact(n.as_str(), prefixes),
        other => other.to_string(),
    };
    let mut focus = name(&result.focus_node);
    if let Some(path) = &result.path {
        focus.push(' ');
        focus.push_str(&path.to_sparql(&|n: &NamedNode| compact(n.as_str(), prefixes)));
    }
    if let Some(value) = &result.value {
        focus.push_str(" = ");
        focus.push_str(&name(value));
    }
    Problem::Shape {
        focus,
        shape: name(&result.source_shape),
        message: result.message(),
        component: compact(result.component.as_str(), &shacl_prefix()),
    }
}

fn shacl_prefix() -> Prefixes {
    [("sh".to_owned(), super::vocab::NAMESPACE.to_owned())].into()
}

impl Stage for ValidationStage {
    fn name(&self) -> &'static str {
        "validation"
    }

    fn graph(&self) -> Option<NamedNode> {
        None
    }

    fn run(&self, input: StageInput<'_>) -> Derived {
        let data = IndexedGraph::from_fact_set(input.facts);
        let mut derived = Derived::default();
        let mut prefixes = input.ontology.prefixes().clone();
        prefixes.extend(self.shapes.prefixes().clone());
        match validate(&data, &self.shapes) {
            Ok(mut report) => {
                // The facts of a build carry no statements yet: origins stay unknown here
                // unless the data holds them.
                if let Err(e) = report.locate(&data) {
                    derived.diagnostics.push(read_failure(&e.to_string()));
                }
                derived.diagnostics = self.diagnostics(&report, &prefixes);
                derived.counts = report
                    .counts()
                    .into_iter()
                    .collect::<BTreeMap<String, u64>>();
                derived
                    .counts
                    .insert("shapes".to_owned(), self.shapes.len() as u64);
            }
            Err(e) => derived.diagnostics.push(read_failure(&e.to_string())),
        }
        derived
    }
}

fn read_failure(reason: &str) -> Diagnostic {
    Diagnostic {
        severity: DiagnosticSeverity::Error,
        location: Location::file("shapes"),
        problem: Problem::Io(reason.to_owned()),
    }
}
