//! The stage between the checked inputs and the store writer: data derived from the asserted
//! facts before anything is written. A [`Stage`] reads every asserted fact (a [`FactSet`]) and
//! the ontology, and gives back quads for a named graph of its own and problems; a build runs
//! each stage in order, refuses to write when one reports an error, and writes the derived quads
//! after the asserted ones. Inference (derived triples) and validation (reports) are stages.

use std::collections::BTreeMap;

use oxigraph::model::{NamedNode, Quad, Triple};

use crate::diagnostic::Diagnostic;
use crate::ingest::FactSet;
use crate::schema::Ontology;

/// What a stage reads.
#[derive(Debug, Clone, Copy)]
pub struct StageInput<'a> {
    /// The loaded ontology.
    pub ontology: &'a Ontology,
    /// Every asserted fact of the default graph.
    pub facts: &'a FactSet,
    /// The base IRI of entities.
    pub base: &'a str,
}

/// What a stage derived.
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// Quads to write, each in the stage's own named graph.
    pub quads: Vec<Quad>,
    /// Problems found; an error stops the build before anything is written.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts for the build summary (derived triples by rule, results by severity, ...).
    pub counts: BTreeMap<String, u64>,
    /// Derived triples the graph projection should hold as edges (those between two entities),
    /// each with how it was derived (a rule's name).
    pub relations: Vec<(Triple, &'static str)>,
}

/// A step that derives data from the checked inputs.
pub trait Stage: Send + Sync {
    /// The stage's name in the build summary (`inference`, `validation`).
    fn name(&self) -> &'static str;

    /// The named graph the stage's quads go into, when it derives quads.
    fn graph(&self) -> Option<NamedNode>;

    /// Derives from the asserted facts.
    fn run(&self, input: StageInput<'_>) -> Derived;
}

/// What the stages of one build derived, by stage name.
#[derive(Debug, Clone, Default)]
pub struct DerivedData {
    /// Every derived quad, stage after stage.
    pub quads: Vec<Quad>,
    /// Every problem, stage after stage.
    pub diagnostics: Vec<Diagnostic>,
    /// Each stage's counts, by stage name.
    pub counts: BTreeMap<String, BTreeMap<String, u64>>,
    /// Every derived relation, stage after stage.
    pub relations: Vec<(Triple, &'static str)>,
}

/// Runs the stages in order on the asserted facts.
pub fn run_stages(stages: &[&dyn Stage], input: StageInput<'_>) -> DerivedData {
    let mut all = DerivedData::default();
    for stage in stages {
        let derived = stage.run(input);
        all.quads.extend(derived.quads);
        all.diagnostics.extend(derived.diagnostics);
        all.relations.extend(derived.relations);
        all.counts.insert(stage.name().to_owned(), derived.counts);
    }
    all
}
