//! Inference at build time: an OWL 2 RL / RDFS reasoner over the asserted facts
//! ([`FactSet`]), run as a [`Stage`](crate::pipeline::derive::Stage) of the build
//! ([`InferenceStage`]), and explanations of what it inferred ([`explain()`]).
//!
//! The reasoner works on term numbers, with no RDF store in the loop: each triple is fired once
//! against indexes by subject, object and predicate (semi-naive evaluation to a fixpoint, see
//! `engine`); `owl:sameAs` is a union-find with rewriting, and the copies it entails are written
//! at the end, counted first (see `output`). Which rules: [`Rule`] (the W3C names), grouped in
//! families for [`RuleSet`]. Inconsistencies (`cax-dw`, `prp-irp`, `prp-asyp`, `cls-nothing2`,
//! `cls-com`, `prp-pdw`, `eq-diff1`) are reported with the triples that clash and the asserted
//! facts those rest on.
//!
//! What a build writes, in the named graph [`vocab::kg::INFERRED`]: every inferred triple, and
//! for each one a derivation node, named like the `rdf:Statement` of an asserted fact
//! (`kgs:<hash of the triple>`), with `kg:derivedBy` (the rule, `kg:prp-trp`) and `kg:premises`
//! (the premise triples, as an N-Triples literal). A premise is asserted (its statement carries
//! its documents and sentences) or inferred (it has its own derivation node): [`explain()`]
//! follows them down to the asserted facts.
//!
//! ```
//! use kg::infer::{infer, InferenceOptions};
//! use kg::ingest::FactSet;
//! use oxigraph::model::{NamedNode, Term};
//!
//! let iri = |s: &str| NamedNode::new(format!("https://e.example/{s}")).unwrap();
//! let mut facts = FactSet::default();
//! let sub_class = NamedNode::new("http://www.w3.org/2000/01/rdf-schema#subClassOf").unwrap();
//! let a = NamedNode::new("http://www.w3.org/1999/02/22-rdf-syntax-ns#type").unwrap();
//! facts.insert(&iri("Cat").into(), &sub_class, &Term::from(iri("Animal")));
//! facts.insert(&iri("tom").into(), &a, &Term::from(iri("Cat")));
//! let inference = infer(&facts, &InferenceOptions::default())?;
//! let triples: Vec<String> = inference.triples().map(|t| t.triple.to_string()).collect();
//! assert_eq!(triples, ["<https://e.example/tom> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://e.example/Animal>"]);
//! # Ok::<(), kg::infer::InferenceError>(())
//! ```

mod engine;
pub mod explain;
mod output;
pub mod rules;
mod stage;
mod store;
pub mod vocab;

use std::collections::BTreeMap;

use oxigraph::model::{NamedOrBlankNode, Term, Triple};

use self::engine::{Clash, Engine, Stop};
pub use self::explain::{
    ExplainedTerm, Explanation, Status, explain, supporting_evidence, supporting_evidence_in,
};
use self::output::{Classes, Inferred, derivation_of, materialise};
pub use self::rules::{Rule, RuleKind, RuleSet, UnknownRule};
pub use self::stage::{InferenceStage, statement_iri};
use self::store::Triple3;
use crate::ingest::FactSet;

/// How to infer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InferenceOptions {
    /// The rules to apply.
    pub rules: RuleSet,
    /// The most triples the reasoner may derive (rewritten ones and the copies under
    /// `owl:sameAs` included); beyond it inference fails instead of filling memory. Each
    /// derived triple costs about 100 bytes while reasoning, and its quads about 1.5 KB until
    /// the build writes them.
    pub max_derived: u64,
}

/// The default [`InferenceOptions::max_derived`]: five million triples.
pub const DEFAULT_MAX_DERIVED: u64 = 5_000_000;

impl Default for InferenceOptions {
    fn default() -> Self {
        Self {
            rules: RuleSet::all(),
            max_derived: DEFAULT_MAX_DERIVED,
        }
    }
}

/// Why inference failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InferenceError {
    #[error(
        "inference derived more than {limit} triples, the limit (--max-inferred); an ontology whose axioms multiply facts (transitive or chained properties over dense data) needs a higher one"
    )]
    TooManyTriples {
        /// The limit.
        limit: u64,
    },
    #[error(
        "owl:sameAs would copy the triples of its {classes} equality classes into {copies} triples, more than the limit of {limit} (--max-inferred)"
    )]
    SameAsExplosion {
        /// The copies OWL 2 RL entails.
        copies: u64,
        /// Classes of more than one term.
        classes: usize,
        /// The limit.
        limit: u64,
    },
}

/// An inferred triple and its derivation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferredTriple {
    /// The triple.
    pub triple: Triple,
    /// The rule that derived it.
    pub rule: Rule,
    /// The premises, asserted or inferred.
    pub premises: Vec<Triple>,
}

/// A triple that takes part in an inconsistency, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClashingTriple {
    /// The triple.
    pub triple: Triple,
    /// The rule that derived it; `None` when it was asserted.
    pub rule: Option<Rule>,
    /// The asserted facts it rests on (itself when asserted; at most [`MAX_SUPPORT`]).
    pub rests_on: Vec<Triple>,
}

/// The most asserted facts listed for one clashing triple.
pub const MAX_SUPPORT: usize = 20;

/// An inconsistency: a rule whose head is `false` matched these triples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistency {
    /// The rule (`cax-dw`, ...).
    pub rule: Rule,
    /// The triples that clash.
    pub triples: Vec<ClashingTriple>,
}

/// What [`infer`] found: the inferred triples and the inconsistencies.
pub struct Inference<'a> {
    engine: Engine<'a>,
    classes: Classes,
    inferred: Vec<Inferred>,
}

/// Runs the reasoner on the asserted facts.
///
/// # Errors
/// [`InferenceError::TooManyTriples`] or [`InferenceError::SameAsExplosion`] beyond
/// [`InferenceOptions::max_derived`].
pub fn infer<'a>(
    facts: &'a FactSet,
    options: &InferenceOptions,
) -> Result<Inference<'a>, InferenceError> {
    let mut engine = Engine::new(facts, options.rules, options.max_derived);
    match engine.run() {
        Ok(()) => {}
        Err(Stop::Cap { limit }) => return Err(InferenceError::TooManyTriples { limit }),
    }
    let classes = Classes::new(&engine);
    let inferred =
        materialise(&engine, options.max_derived).map_err(|e| InferenceError::SameAsExplosion {
            copies: e.copies,
            classes: classes.len(),
            limit: options.max_derived,
        })?;
    Ok(Inference {
        engine,
        classes,
        inferred,
    })
}

impl Inference<'_> {
    /// How many triples were inferred (not counting those already asserted).
    pub fn len(&self) -> usize {
        self.inferred.len()
    }

    /// Whether nothing was inferred.
    pub fn is_empty(&self) -> bool {
        self.inferred.is_empty()
    }

    /// The inferred triples with their derivations, in a stable order.
    pub fn triples(&self) -> impl Iterator<Item = InferredTriple> + '_ {
        self.inferred.iter().filter_map(|inferred| {
            Some(InferredTriple {
                triple: self.triple(inferred.triple)?,
                rule: inferred.derivation.rule,
                premises: inferred
                    .derivation
                    .premises
                    .iter()
                    .filter_map(|&p| self.triple(p))
                    .collect(),
            })
        })
    }

    /// Inferred triples by rule name, and their total under `inferred`.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        for inferred in &self.inferred {
            *counts
                .entry(inferred.derivation.rule.name().to_owned())
                .or_insert(0) += 1;
        }
        counts.insert("inferred".to_owned(), self.inferred.len() as u64);
        if self.engine.clash_count > 0 {
            counts.insert("inconsistencies".to_owned(), self.engine.clash_count);
        }
        counts
    }

    /// How many inconsistencies were found (the first 1,000 are kept with their triples).
    pub fn inconsistency_count(&self) -> u64 {
        self.engine.clash_count
    }

    /// The inconsistencies, with the triples that clash and the asserted facts behind them.
    pub fn inconsistencies(&self) -> Vec<Inconsistency> {
        self.engine
            .clashes
            .iter()
            .map(|Clash { rule, premises }| Inconsistency {
                rule: *rule,
                triples: premises
                    .iter()
                    .filter_map(|&premise| self.clashing(premise))
                    .collect(),
            })
            .collect()
    }

    /// The asserted facts an inferred triple rests on (the leaves of its derivation, at most
    /// [`MAX_SUPPORT`]): what the projection shows as the evidence of an inferred edge. Empty
    /// for a triple the closure does not hold; the triple itself when it was asserted.
    pub fn rests_on(&self, triple: &Triple) -> Vec<Triple> {
        let terms = &self.engine.terms;
        let id = |term: Term| terms.id(&term);
        let (Some(s), Some(p), Some(o)) = (
            id(triple.subject.clone().into()),
            id(triple.predicate.clone().into()),
            id(triple.object.clone()),
        ) else {
            return Vec::new();
        };
        let canonical @ [cs, _, co] = self.engine.store.canonical([s, p, o]);
        let held = if p == self.engine.v.same_as {
            cs == co && s != o
        } else {
            self.engine.store.find(&canonical).is_some()
        };
        if !held {
            return Vec::new();
        }
        self.support([s, p, o])
    }

    fn clashing(&self, premise: Triple3) -> Option<ClashingTriple> {
        let triple = self.triple(premise)?;
        let rule = derivation_of(&self.engine, &self.classes, premise).map(|d| d.rule);
        Some(ClashingTriple {
            triple,
            rule,
            rests_on: self.support(premise),
        })
    }

    /// The asserted leaves of a triple's derivation, depth first, at most [`MAX_SUPPORT`].
    fn support(&self, premise: Triple3) -> Vec<Triple> {
        let mut rests_on = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![premise];
        let mut steps = 0;
        while let Some(at) = stack.pop() {
            steps += 1;
            if rests_on.len() == MAX_SUPPORT || steps > 10_000 {
                break;
            }
            if !seen.insert(at) {
                continue;
            }
            match derivation_of(&self.engine, &self.classes, at) {
                Some(derivation) => stack.extend(derivation.premises.iter().rev()),
                None => rests_on.extend(self.triple(at)),
            }
        }
        rests_on
    }

    /// A triple of numbers as RDF terms.
    fn triple(&self, [s, p, o]: Triple3) -> Option<Triple> {
        let terms = &self.engine.terms;
        let subject = match terms.term(s) {
            Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
            Term::Literal(_) => return None,
        };
        let Term::NamedNode(predicate) = terms.term(p) else {
            return None;
        };
        Some(Triple::new(
            subject,
            predicate.clone(),
            terms.term(o).clone(),
        ))
    }
}

impl std::fmt::Debug for Inference<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inference")
            .field("inferred", &self.inferred.len())
            .field("inconsistencies", &self.engine.clash_count)
            .finish_non_exhaustive()
    }
}
