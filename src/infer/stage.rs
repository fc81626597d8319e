//! [`InferenceStage`]: the reasoner as a build stage. Inferred triples and their derivation
//! nodes go to the `kg:inferred` graph; inconsistencies are errors that stop the build, each
//! naming the triples that clash and the asserted facts they rest on.

use std::fmt::Write as _;

use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use sha2::{Digest, Sha256};

use super::vocab::kg;
use super::{Inconsistency, InferenceError, InferenceOptions, infer};
use crate::diagnostic::{Diagnostic, Excerpt, Location, Problem, Severity};
use crate::pipeline::derive::{Derived, Stage, StageInput};
use crate::schema::Ontology;
use crate::vocab::STATEMENT_PATH;
use crate::vocab::rdf;

/// The reasoner as a build stage (see the [module](super) documentation).
#[derive(Debug, Clone, Default)]
pub struct InferenceStage {
    /// Which rules, and the limit of derived triples.
    pub options: InferenceOptions,
}

impl InferenceStage {
    /// A stage with these options.
    pub fn new(options: InferenceOptions) -> Self {
        Self { options }
    }
}

impl Stage for InferenceStage {
    fn name(&self) -> &'static str {
        "inference"
    }

    fn graph(&self) -> Option<NamedNode> {
        Some(kg::INFERRED.into_owned())
    }

    fn run(&self, input: StageInput<'_>) -> Derived {
        let mut derived = Derived::default();
        let inference = match infer(input.facts, &self.options) {
            Ok(inference) => inference,
            Err(error) => {
                derived.diagnostics.push(stage_error(&error));
                return derived;
            }
        };
        let graph = GraphName::from(kg::INFERRED.into_owned());
        for inferred in inference.triples() {
            let node = statement_iri(input.base, &inferred.triple);
            let rule =
                NamedNode::new_unchecked(format!("{}{}", kg::NAMESPACE, inferred.rule.name()));
            let mut premises = String::new();
            for premise in &inferred.premises {
                let _ = writeln!(premises, "{premise} .");
            }
            let Triple {
                subject,
                predicate,
                object,
            } = inferred.triple;
            if matches!(object, Term::NamedNode(_)) && predicate.as_ref() != rdf::TYPE {
                derived.relations.push((
                    Triple::new(subject.clone(), predicate.clone(), object.clone()),
                    inferred.rule.name(),
                ));
            }
            derived
                .quads
                .push(Quad::new(subject, predicate, object, graph.clone()));
            let node = || NamedOrBlankNode::from(node.clone());
            derived
                .quads
                .push(Quad::new(node(), kg::DERIVED_BY, rule, graph.clone()));
            derived.quads.push(Quad::new(
                node(),
                kg::PREMISES,
                Literal::new_simple_literal(premises),
                graph.clone(),
            ));
        }
        derived.counts = inference.counts();
        for inconsistency in inference.inconsistencies() {
            derived
                .diagnostics
                .push(inconsistency_diagnostic(&inconsistency, input.ontology));
        }
        let kept = derived.diagnostics.len() as u64;
        if inference.inconsistency_count() > kept {
            derived.diagnostics.push(stage_message(format!(
                "and {} more inconsistencies",
                inference.inconsistency_count() - kept
            )));
        }
        derived
    }
}

/// The IRI kg names a triple's statement with: the base IRI, `statement/` and the first 16
/// bytes of the SHA-256 of the triple in N-Triples, in hexadecimal. A fact of a table has its
/// `rdf:Statement` (with its provenance) there; an inferred triple has its derivation there.
pub fn statement_iri(base: &str, triple: &Triple) -> NamedNode {
    let digest = Sha256::digest(triple.to_string());
    let mut iri = format!("{base}{STATEMENT_PATH}");
    for byte in &digest[..16] {
        let _ = write!(iri, "{byte:02x}");
    }
    NamedNode::new_unchecked(iri)
}

/// Where inference problems are reported: no input file is to blame alone.
fn stage_location() -> Location {
    Location::file("inference")
}

// `Problem` has no variant for inference yet (see the module documentation of `infer` and the
// report): until `Problem::Inconsistent` exists, the message travels in `RdfSyntax`, whose text
// is the closest. Only these two functions build inference diagnostics.
fn stage_message(message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        location: stage_location(),
        problem: Problem::RdfSyntax(Excerpt::whole(message)),
    }
}

fn stage_error(error: &InferenceError) -> Diagnostic {
    stage_message(error.to_string())
}

fn inconsistency_diagnostic(inconsistency: &Inconsistency, ontology: &Ontology) -> Diagnostic {
    stage_message(describe(inconsistency, ontology))
}

/// An inconsistency in words: what clashes, and the asserted facts behind each triple.
pub(super) fn describe(inconsistency: &Inconsistency, ontology: &Ontology) -> String {
    let mut text = format!(
        "inconsistent ({}): {}",
        inconsistency.rule,
        what(inconsistency.rule)
    );
    for clashing in &inconsistency.triples {
        let _ = write!(text, "; {}", show(&clashing.triple, ontology));
        match clashing.rule {
            None => text.push_str(" (asserted)"),
            Some(rule) => {
                let facts: Vec<String> = clashing
                    .rests_on
                    .iter()
                    .map(|t| show(t, ontology))
                    .collect();
                let _ = write!(
                    text,
                    " (inferred by {rule} from asserted {})",
                    facts.join(", ")
                );
            }
        }
    }
    text
}

fn what(rule: super::Rule) -> &'static str {
    use super::Rule;
    match rule {
        Rule::CaxDw => "an individual is in two disjoint classes",
        Rule::ClsCom => "an individual is in a class and in its complement",
        Rule::ClsNothing2 => "an individual is in owl:Nothing",
        Rule::PrpIrp => "an irreflexive property relates something to itself",
        Rule::PrpAsyp => "an asymmetric property holds both ways",
        Rule::PrpPdw => "two disjoint properties relate the same pair",
        Rule::EqDiff1 => "two terms are both owl:sameAs and owl:differentFrom",
        _ => "a rule found a contradiction",
    }
}

/// A triple with prefixed names.
pub(super) fn show(triple: &Triple, ontology: &Ontology) -> String {
    let term = |term: &Term| match term {
        Term::NamedNode(n) => ontology.compact(n.as_ref()),
        other => other.to_string(),
    };
    format!(
        "{} {} {}",
        term(&triple.subject.clone().into()),
        ontology.compact(triple.predicate.as_ref()),
        term(&triple.object)
    )
}
