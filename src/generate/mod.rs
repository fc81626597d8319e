//! Synthetic datasets for benchmarks: people, organisations, places and the documents that state
//! facts about them, written in kg's CSV layout at a chosen size, with the same triples as
//! N-Triples for tools that read RDF.
//!
//! [`generate`] writes into a folder:
//!
//! ```text
//! ontology/bench.ttl    a small OWL ontology (Person, Organization, Place, Document; worksFor,
//!                       partnerOf, knows, locatedIn; name, founded, employees, birthDate, population)
//! data/*.csv            entity tables (people, organizations, places, documents) and one relation
//!                       table per relation, with source/sentences/date provenance columns
//! data/dataset.ttl      a void:Dataset whose void:uriSpace is the entities' base IRI
//! equivalent.nt         exactly the triples `kg build --data DIR/data --ontology DIR/ontology`
//!                       stores (reification and ontologies included), one per line, no duplicates
//! rml.ttl               an RML mapping of the same tables (for Morph-KGC): the plain facts only
//! pairs.csv             20 random pairs of people, for path benchmarks
//! generated.json        what was generated, with counts
//! ```
//!
//! The data is a pure function of the size and the seed (a `SplitMix64` stream per table), so the
//! same options give byte-identical files. Tables are streamed to disk; `equivalent.nt` is made
//! by running kg's own ingest over the written tables, so it holds the same triples as a build by
//! construction. Memory holds what ingest needs (the entity index), not the rows.
//!
//! ```no_run
//! use kg::generate::{generate, GenerateOptions, Size};
//!
//! let options = GenerateOptions { size: Size::Triples(100_000), ..GenerateOptions::default() };
//! let generated = generate("bench-data".as_ref(), &options, &|_| {})?;
//! println!("{} triples, {} facts", generated.triples, generated.facts);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fs::{self, File};
use std::io::{self, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfSerializer};
use serde::Serialize;

use crate::ingest::{self, Diagnostic, Inputs, Progress};

use self::rdf::{DATASET, ONTOLOGY, rml};
use self::tables::TableWriter;

mod rdf;
mod tables;

/// The ontology namespace of generated datasets (prefix `bench:`).
pub const NAMESPACE: &str = "https://kg.example/bench/ontology#";

/// The base IRI of generated entities (the `void:uriSpace` of `data/dataset.ttl`).
pub const BASE: &str = "https://kg.example/bench/id/";

/// Sentences in each generated document.
const SENTENCES: u64 = 200;

/// Path pairs written to `pairs.csv`.
const PAIRS: usize = 20;

/// How often (in rows) progress is reported.
const PROGRESS_EVERY: u64 = 100_000;

/// How big a dataset to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Size {
    /// About this many triples in the store (reification and ontologies included).
    Triples(u64),
    /// A graph of this many entities (projection nodes) and relation rows (projection edges).
    Graph {
        /// Entities: people, organisations and places.
        nodes: u64,
        /// Relation rows, all distinct.
        edges: u64,
    },
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateOptions {
    /// The size.
    pub size: Size,
    /// Seed of the random streams.
    pub seed: u64,
    /// Whether rows carry `source`, `sentences` and `date` (so every fact is reified).
    pub provenance: bool,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        Self {
            size: Size::Triples(100_000),
            seed: 1,
            provenance: true,
        }
    }
}

/// What [`generate`] wrote, also saved as `generated.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Generated {
    /// The size asked for.
    pub size: Size,
    /// The seed.
    pub seed: u64,
    /// Whether rows carry provenance.
    pub provenance: bool,
    /// People (entities of `bench:Person`).
    pub people: u64,
    /// Organisations.
    pub organizations: u64,
    /// Places.
    pub places: u64,
    /// Documents (not projection nodes: they are evidence).
    pub documents: u64,
    /// Relation rows, by relation: works for, knows, partner of, located in.
    pub relations: RelationCounts,
    /// Facts stated by table rows: the plain triples, what the RML mapping gives.
    pub facts: u64,
    /// Lines of `equivalent.nt`: the triples kg stores.
    pub triples: u64,
}

/// Relation rows of each relation table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RelationCounts {
    /// `bench:worksFor`, person → organisation.
    pub works_for: u64,
    /// `bench:knows`, person → person.
    pub knows: u64,
    /// `bench:partnerOf`, organisation → organisation.
    pub partner_of: u64,
    /// `bench:locatedIn`, organisation or person → place.
    pub located_in: u64,
}

impl RelationCounts {
    /// All relation rows: the projection's edges.
    pub fn total(&self) -> u64 {
        self.works_for + self.knows + self.partner_of + self.located_in
    }
}

/// Why a dataset could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("a graph needs at least {min} nodes, not {nodes}")]
    TooFewNodes { nodes: u64, min: u64 },
    #[error("{edges} edges do not fit between {nodes} nodes without repeating one (at most {max})")]
    TooManyEdges { nodes: u64, edges: u64, max: u64 },
    #[error("at least {min} triples are needed, not {triples}")]
    TooFewTriples { triples: u64, min: u64 },
    #[error("kg rejected the generated data ({} problem(s)), first: {}", diagnostics.len(), diagnostics.first().map(ToString::to_string).unwrap_or_default())]
    Rejected { diagnostics: Vec<Diagnostic> },
}

/// Writes a dataset of the given size into `dir` (created if missing; files of the same names
/// are replaced). See the module documentation for the files.
///
/// # Errors
/// [`GenerateError::Io`] when a file cannot be written; [`GenerateError::TooFewNodes`],
/// [`GenerateError::TooManyEdges`] or [`GenerateError::TooFewTriples`] for sizes that make no
/// dataset; [`GenerateError::Rejected`] if kg's ingest refuses the tables (a bug of this module).
pub fn generate(
    dir: &Path,
    options: &GenerateOptions,
    progress: &dyn Fn(Progress<'_>),
) -> Result<Generated, GenerateError> {
    let plan = Plan::new(options)?;
    let ontology_dir = dir.join("ontology");
    let data_dir = dir.join("data");
    for folder in [&ontology_dir, &data_dir] {
        fs::create_dir_all(folder).map_err(io_error(folder))?;
    }
    write_file(&ontology_dir.join("bench.ttl"), ONTOLOGY.as_bytes())?;
    write_file(&data_dir.join("dataset.ttl"), DATASET.as_bytes())?;
    write_file(&dir.join("rml.ttl"), rml().as_bytes())?;

    progress(Progress::Pass("writing the tables"));
    let mut writer = TableWriter {
        plan: &plan,
        seed: options.seed,
        progress,
    };
    writer.documents(&data_dir.join("documents.csv"))?;
    writer.people(&data_dir.join("people.csv"))?;
    writer.organizations(&data_dir.join("organizations.csv"))?;
    writer.places(&data_dir.join("places.csv"))?;
    writer.works_for(&data_dir.join("works-for.csv"))?;
    writer.knows(&data_dir.join("knows.csv"))?;
    writer.partner_of(&data_dir.join("partner-of.csv"))?;
    writer.located_in(&data_dir.join("located-in.csv"))?;
    writer.pairs(&dir.join("pairs.csv"))?;

    let (facts, triples) = write_equivalent(dir, &dir.join("equivalent.nt"), progress)?;
    let generated = Generated {
        size: options.size,
        seed: options.seed,
        provenance: options.provenance,
        people: plan.people,
        organizations: plan.organizations,
        places: plan.places,
        documents: plan.documents,
        relations: plan.relations,
        facts,
        triples,
    };
    let path = dir.join("generated.json");
    let mut json = serde_json::to_vec_pretty(&generated).map_err(|e| GenerateError::Io {
        path: path.clone(),
        source: e.into(),
    })?;
    json.push(b'\n');
    write_file(&path, &json)?;
    Ok(generated)
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> GenerateError + '_ {
    move |source| GenerateError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), GenerateError> {
    fs::write(path, bytes).map_err(io_error(path))
}

/// Runs kg's ingest over the written folder and serialises every quad a build would store.
/// Returns the facts stated by rows and the triples written.
fn write_equivalent(
    dir: &Path,
    path: &Path,
    progress: &dyn Fn(Progress<'_>),
) -> Result<(u64, u64), GenerateError> {
    let mut inputs = Inputs::empty();
    let ontology = dir.join("ontology");
    inputs
        .add_ontology(&ontology)
        .map_err(io_error(&ontology))?;
    let data = dir.join("data");
    inputs.add_data(&data).map_err(io_error(&data))?;
    let prepared = ingest::prepare(&inputs, false, progress);
    if !prepared.is_valid(false) {
        return Err(GenerateError::Rejected {
            diagnostics: prepared
                .diagnostics
                .into_vec()
                .into_iter()
                .filter(|d| d.severity == ingest::Severity::Error)
                .collect(),
        });
    }
    progress(Progress::Pass("writing equivalent.nt"));
    let file = File::create(path).map_err(io_error(path))?;
    let mut serializer = RdfSerializer::from_format(RdfFormat::NTriples)
        .for_writer(BufWriter::with_capacity(1 << 20, file));
    let mut triples = 0;
    prepared
        .emit(
            &mut |quad| {
                triples += 1;
                serializer.serialize_quad(&quad)
            },
            &mut |_| {},
            progress,
        )
        .map_err(|e| match e {
            ingest::EmitError::Sink(e) => io_error(path)(e),
            // The generated tables hold no RDF data files; should one change, say where.
            ingest::EmitError::Input(failure) => io_error(path)(std::io::Error::other(format!(
                "{}: {}",
                failure.0, failure.1
            ))),
        })?;
    serializer
        .finish()
        .and_then(|mut out| out.flush())
        .map_err(io_error(path))?;
    Ok((prepared.summary.facts, triples))
}

/// How many of everything: derived from a [`Size`].
#[derive(Debug, Clone, Copy)]
struct Plan {
    people: u64,
    organizations: u64,
    places: u64,
    documents: u64,
    relations: RelationCounts,
    provenance: bool,
}

/// Smallest graph: enough people and organisations for distinct pairs.
const MIN_NODES: u64 = 20;

/// Triples of the ontologies and the dataset description, roughly (kg.ttl and bench.ttl).
const ONTOLOGY_TRIPLES: u64 = 250;

/// Facts of each entity row (type, label, alias and attributes); documents have two types.
const PERSON_FACTS: u64 = 4;
const ORGANIZATION_FACTS: u64 = 6;
const PLACE_FACTS: u64 = 3;
const DOCUMENT_FACTS: u64 = 4;

/// Triples of a reified fact: the fact, `rdf:Statement`, subject, predicate, object, `kg:row`,
/// `kg:date`, `kg:source`, one `kg:evidence`.
const REIFIED_TRIPLES: u64 = 9;

impl Plan {
    fn new(options: &GenerateOptions) -> Result<Self, GenerateError> {
        match options.size {
            Size::Graph { nodes, edges } => Self::graph(nodes, edges, options.provenance),
            Size::Triples(triples) => Self::triples(triples, options.provenance),
        }
    }

    /// A path-benchmark graph: 80% people, 15% organisations, 5% places; every person works
    /// somewhere, every organisation is located somewhere and has a partner, the other edges are
    /// people knowing people.
    fn graph(nodes: u64, edges: u64, provenance: bool) -> Result<Self, GenerateError> {
        if nodes < MIN_NODES {
            return Err(GenerateError::TooFewNodes {
                nodes,
                min: MIN_NODES,
            });
        }
        let people = nodes * 8 / 10;
        let organizations = nodes * 3 / 20;
        let places = nodes - people - organizations;
        let mut left = edges;
        let mut take = |most: u64| {
            let n = left.min(most);
            left -= n;
            n
        };
        let works_for = take(people);
        let located_in = take(organizations);
        let partner_of = take(organizations);
        let knows = left;
        let max = people + 2 * organizations + people * (people - 1);
        if edges > max {
            return Err(GenerateError::TooManyEdges { nodes, edges, max });
        }
        Ok(Self {
            people,
            organizations,
            places,
            documents: if provenance { (edges / 2000).max(1) } else { 1 },
            relations: RelationCounts {
                works_for,
                knows,
                partner_of,
                located_in,
            },
            provenance,
        })
    }

    /// A dataset of `people` people and the rest in proportion: one organisation per 8 people,
    /// one place per 40, one document per 400; each person works for one organisation, knows
    /// two people and lives in one place; each organisation has one partner and one place.
    fn with_people(people: u64, provenance: bool) -> Self {
        let organizations = (people / 8).max(2);
        Self {
            people,
            organizations,
            places: (people / 40).max(1),
            documents: if provenance { (people / 400).max(1) } else { 1 },
            relations: RelationCounts {
                works_for: people,
                knows: 2 * people,
                partner_of: organizations,
                located_in: people + organizations,
            },
            provenance,
        }
    }

    /// The people count whose dataset has the triple count closest to `triples` from below.
    fn triples(triples: u64, provenance: bool) -> Result<Self, GenerateError> {
        let min = Self::with_people(MIN_NODES, provenance).estimated_triples();
        if triples < min {
            return Err(GenerateError::TooFewTriples { triples, min });
        }
        let (mut low, mut high) = (MIN_NODES, triples);
        while low < high {
            let middle = low + (high - low).div_ceil(2);
            if Self::with_people(middle, provenance).estimated_triples() <= triples {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        Ok(Self::with_people(low, provenance))
    }

    /// Facts stated by rows.
    fn facts(&self) -> u64 {
        self.people * PERSON_FACTS
            + self.organizations * ORGANIZATION_FACTS
            + self.places * PLACE_FACTS
            + self.relations.total()
    }

    /// Triples a build will store, assuming every sentence of every document is cited.
    fn estimated_triples(&self) -> u64 {
        let documents = self.documents * DOCUMENT_FACTS + ONTOLOGY_TRIPLES;
        if self.provenance {
            let sentences = (self.documents * SENTENCES).min(self.facts());
            self.facts() * REIFIED_TRIPLES + 3 * sentences + documents
        } else {
            self.facts() + documents
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triple_sizes_are_close_from_below() {
        for triples in [10_000, 100_000, 1_000_000, 10_000_000] {
            let plan = Plan::triples(triples, true).unwrap();
            let estimate = plan.estimated_triples();
            assert!(
                estimate <= triples && estimate * 100 >= triples * 99,
                "{triples}: {estimate}"
            );
        }
        assert!(matches!(
            Plan::triples(10, true),
            Err(GenerateError::TooFewTriples { .. })
        ));
    }

    #[test]
    fn graph_sizes_are_exact() {
        let plan = Plan::graph(1_000_000, 5_000_000, false).unwrap();
        assert_eq!(plan.people + plan.organizations + plan.places, 1_000_000);
        assert_eq!(plan.relations.total(), 5_000_000);
        assert!(matches!(
            Plan::graph(20, 10_000, false),
            Err(GenerateError::TooManyEdges { .. })
        ));
        assert!(matches!(
            Plan::graph(5, 10, false),
            Err(GenerateError::TooFewNodes { .. })
        ));
    }
}
