//! The graph projection of a remote graph, assembled from a few streamed SELECTs (classes,
//! typed entities, literals, entity-to-entity triples, and the evidence of the `rdf:Statement`s)
//! with [`ProjectionData::assemble`], as `kg build` would have built it from the same triples:
//!
//! - nodes: every IRI typed with a declared class (`owl:Class`, `rdfs:Class`), but documents,
//!   sentences and statements, in IRI order; ids relative to the base;
//! - labels: the preferred `rdfs:label` (English, untagged, other; among equals the smallest);
//!   names: ids, every label, and the SKOS aliases;
//! - attributes: every literal fact about a node but its labels;
//! - edges: every triple between two nodes but `rdf:type`; evidence from the statement about
//!   the triple: each cited sentence (document, number, text), else its document alone, with
//!   the statement's date (the earliest when rows gave several);
//! - inferred edges, from the pushed inferred graph when there is one: each derived relation
//!   between two nodes that no stated edge links in either direction, with the rule its
//!   derivation node names (`kg:derivedBy`), one per pair of nodes by the build's rule order.
//!
//! What the server cannot tell — the order of a build's input rows — is replaced by IRI order,
//! so predicate and class numbers (and so the order of equal-length paths over parallel
//! edges) may differ from the local projection's.

use std::collections::{BTreeMap, HashMap, HashSet};

use oxigraph::model::{Literal, NamedNode, Term, Triple};
use oxigraph::sparql::QuerySolution;

use super::RemoteError;
use crate::graph::{
    EdgeData, Evidence, LiteralTypeData, NameKind, NodeData, Projection, ProjectionData,
    rule_preference,
};
use crate::infer::statement_iri;
use crate::ingest::literal::stored_form;
use crate::iri::{decode_id, local_name};
use crate::names::{PreferredLabel, fold, label_rank};
use crate::vocab::{kg, owl, rdf, rdfs, skos};

/// Where the SELECTs run: a remote service (paged past its row cap) or, in tests, a local store.
pub trait Rows {
    /// The solutions of `SELECT vars WHERE { pattern }`.
    ///
    /// # Errors
    /// Remote errors.
    fn rows(
        &self,
        vars: &str,
        pattern: &str,
    ) -> Result<Box<dyn Iterator<Item = Result<QuerySolution, RemoteError>> + '_>, RemoteError>;
}

/// The projection of `graph` (`None`: the default graph) with entity ids relative to `base`,
/// and the inferred edges of the graph `inferred` (the reasoner's triples and derivations, as a
/// build writes them to `kg:inferred`) when given.
///
/// # Errors
/// Remote errors; [`RemoteError::Unexpected`] when the projection exceeds its format's limits.
pub fn assemble(
    source: &dyn Rows,
    graph: Option<&NamedNode>,
    inferred: Option<&NamedNode>,
    base: &str,
) -> Result<Projection, RemoteError> {
    let within = |pattern: String| match graph {
        Some(g) => format!("GRAPH {g} {{ {pattern} }}"),
        None => pattern,
    };
    let mut data = ProjectionData::default();
    let node_of = nodes(&mut data, entities(source, &within)?, base);
    let term_labels = literals(source, &within, &mut data, &node_of)?;
    let mut predicate_of = edges(source, &within, &mut data, &node_of, base)?;
    if let Some(inferred) = inferred {
        derived_edges(
            source,
            inferred,
            &mut data,
            &node_of,
            &mut predicate_of,
            base,
        )?;
    }

    // Term labels: the ontology's `rdfs:label`, else the local name.
    for (iri, label) in data
        .classes
        .iter_mut()
        .chain(&mut data.predicates)
        .chain(&mut data.properties)
    {
        *label = term_labels
            .get(iri.as_str())
            .and_then(PreferredLabel::get)
            .map_or_else(|| local_name(iri).to_owned(), str::to_owned);
    }
    data.assemble()
        .map_err(|e| RemoteError::Unexpected(format!("assembling the projection: {e}")))
}

/// Every entity (typed with a declared class; documents, sentences and statements are not
/// nodes) with its classes, by IRI.
fn entities(
    source: &dyn Rows,
    within: &dyn Fn(String) -> String,
) -> Result<BTreeMap<String, Vec<String>>, RemoteError> {
    let mut classes: HashSet<String> = HashSet::new();
    let pattern = format!(
        "{{ ?c a {} }} UNION {{ ?c a {} }} FILTER(isIRI(?c))",
        owl::CLASS,
        rdfs::CLASS
    );
    for row in source.rows("?c", &within(pattern))? {
        if let Some(Term::NamedNode(c)) = row?.get("c") {
            classes.insert(c.as_str().to_owned());
        }
    }

    // Entities: typed with a declared class; documents, sentences and statements are not nodes.
    let mut types: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut excluded: HashSet<String> = HashSet::new();
    // No FILTER here: with one, Virtuoso 7.2's cost estimator refused this query (an estimate
    // of 600 to 1,500 s against its 400 s limit) on a graph of 800 type triples.
    for row in source.rows("?s ?c", &within("?s a ?c".into()))? {
        let row = row?;
        let (Some(Term::NamedNode(s)), Some(Term::NamedNode(c))) = (row.get("s"), row.get("c"))
        else {
            continue;
        };
        let c = c.as_ref();
        if c == kg::DOCUMENT || c == kg::SENTENCE || c == rdf::STATEMENT {
            excluded.insert(s.as_str().to_owned());
        } else if classes.contains(c.as_str()) {
            types
                .entry(s.as_str().to_owned())
                .or_default()
                .push(c.as_str().to_owned());
        }
    }
    types.retain(|iri, _| !excluded.contains(iri));
    Ok(types)
}

/// The nodes, in IRI order, with ids and classes; their index by IRI.
fn nodes(
    data: &mut ProjectionData,
    types: BTreeMap<String, Vec<String>>,
    base: &str,
) -> HashMap<String, u32> {
    let mut node_of: HashMap<String, u32> = HashMap::with_capacity(types.len());
    let mut class_of: HashMap<String, u32> = HashMap::new();
    let mut node_types = Vec::with_capacity(types.len());
    for (index, (iri, mut classes)) in (0_u32..).zip(types) {
        classes.sort();
        classes.dedup();
        let id = iri
            .strip_prefix(base)
            .and_then(decode_id)
            .unwrap_or_else(|| iri.clone());
        data.names.push((fold(&id), index, NameKind::Id));
        node_types.push(classes);
        data.nodes.push(NodeData {
            iri: iri.clone(),
            label: id.clone(),
            id,
            types: Vec::new(),
        });
        node_of.insert(iri, index);
    }
    for (index, classes) in node_types.into_iter().enumerate() {
        for class in classes {
            let next = u32::try_from(class_of.len()).unwrap_or(u32::MAX);
            let at = *class_of.entry(class.clone()).or_insert_with(|| {
                data.classes.push((class, String::new()));
                next
            });
            data.nodes[index].types.push(at);
        }
    }
    node_of
}

/// Labels, aliases and attributes of nodes; gives back the labels of the other IRIs (terms).
fn literals(
    source: &dyn Rows,
    within: &dyn Fn(String) -> String,
    data: &mut ProjectionData,
    node_of: &HashMap<String, u32>,
) -> Result<HashMap<String, PreferredLabel>, RemoteError> {
    let mut best_label: Vec<Option<(u8, String)>> = vec![None; data.nodes.len()];
    let mut term_labels: HashMap<String, PreferredLabel> = HashMap::new();
    let mut property_of: HashMap<String, u32> = HashMap::new();
    let mut literal_type_of: HashMap<LiteralTypeData, u32> = HashMap::new();
    let literals = within("?s ?p ?o FILTER(isIRI(?s) && isLiteral(?o))".into());
    for row in source.rows("?s ?p ?o", &literals)? {
        let row = row?;
        let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(Term::Literal(o))) =
            (row.get("s"), row.get("p"), row.get("o"))
        else {
            continue;
        };
        let Some(&node) = node_of.get(s.as_str()) else {
            if p.as_ref() == rdfs::LABEL {
                term_labels
                    .entry(s.as_str().to_owned())
                    .or_default()
                    .offer(o.value(), o.language());
            }
            continue;
        };
        let p = p.as_ref();
        if p == rdfs::LABEL {
            let rank = label_rank(o.language());
            let kept = &mut best_label[node as usize];
            let better = kept
                .as_ref()
                .is_none_or(|(r, value)| rank < *r || (rank == *r && o.value() < value.as_str()));
            if better {
                *kept = Some((rank, o.value().to_owned()));
            }
            data.names.push((fold(o.value()), node, NameKind::Label));
            continue;
        }
        if p == skos::ALT_LABEL || p == skos::PREF_LABEL || p == skos::HIDDEN_LABEL {
            data.names.push((fold(o.value()), node, NameKind::Alias));
        }
        let stored: Literal = stored_form(o).into_owned();
        let property = intern(&mut property_of, &mut data.properties, p.as_str());
        let key = match stored.language() {
            Some(language) => LiteralTypeData::Language(language.to_owned()),
            None => LiteralTypeData::Datatype(stored.datatype().as_str().to_owned()),
        };
        let next = u32::try_from(literal_type_of.len()).unwrap_or(u32::MAX);
        let literal_type = *literal_type_of.entry(key.clone()).or_insert_with(|| {
            data.literal_types.push(key);
            next
        });
        data.attributes
            .push(node, property, literal_type, stored.value());
    }
    for (node, label) in data.nodes.iter_mut().zip(best_label) {
        if let Some((_, label)) = label {
            node.label = label;
        }
    }
    Ok(term_labels)
}

/// Edges between nodes, in (subject, object, predicate IRI) order, with their evidence; gives
/// back the predicates' index.
fn edges(
    source: &dyn Rows,
    within: &dyn Fn(String) -> String,
    data: &mut ProjectionData,
    node_of: &HashMap<String, u32>,
    base: &str,
) -> Result<HashMap<String, u32>, RemoteError> {
    let mut edges: Vec<(u32, u32, String)> = Vec::new();
    let links = within(format!(
        "?s ?p ?o FILTER(isIRI(?s) && isIRI(?o) && ?p NOT IN ({}, {}, {}, {}, {}, {}, {}))",
        rdf::TYPE,
        rdf::SUBJECT,
        rdf::PREDICATE,
        rdf::OBJECT,
        kg::SOURCE,
        kg::EVIDENCE,
        kg::IN_DOCUMENT
    ));
    for row in source.rows("?s ?p ?o", &links)? {
        let row = row?;
        let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(Term::NamedNode(o))) =
            (row.get("s"), row.get("p"), row.get("o"))
        else {
            continue;
        };
        if let (Some(&source), Some(&target)) = (node_of.get(s.as_str()), node_of.get(o.as_str())) {
            edges.push((source, target, p.as_str().to_owned()));
        }
    }
    edges.sort();
    edges.dedup();
    let evidence = evidence(source, within, base)?;
    let mut predicate_of: HashMap<String, u32> = HashMap::new();
    for (source, target, predicate) in edges {
        let key = (
            data.nodes[source as usize].iri.clone(),
            predicate.clone(),
            data.nodes[target as usize].iri.clone(),
        );
        let predicate = intern(&mut predicate_of, &mut data.predicates, &predicate);
        data.edges.push(EdgeData {
            source,
            target,
            predicate,
            evidence: evidence.get(&key).cloned().unwrap_or_default(),
            inferred: None,
        });
    }
    Ok(predicate_of)
}

/// A derived relation that may become the edge of a pair of nodes: (its rule's preference,
/// predicate, source, target, rule).
type Candidate = (usize, u32, u32, u32, String);

/// The inferred edges: the relations of the graph `inferred` between two nodes that no stated
/// edge links in either direction, one per pair, each with the rule of its derivation node.
fn derived_edges(
    source: &dyn Rows,
    inferred: &NamedNode,
    data: &mut ProjectionData,
    node_of: &HashMap<String, u32>,
    predicate_of: &mut HashMap<String, u32>,
    base: &str,
) -> Result<(), RemoteError> {
    let mut rule_of: HashMap<String, String> = HashMap::new();
    let derivations = format!("GRAPH {inferred} {{ ?d {} ?r }}", kg::DERIVED_BY);
    for row in source.rows("?d ?r", &derivations)? {
        let row = row?;
        if let (Some(Term::NamedNode(d)), Some(Term::NamedNode(r))) = (row.get("d"), row.get("r"))
            && let Some(rule) = r.as_str().strip_prefix(kg::NAMESPACE)
        {
            rule_of.insert(d.as_str().to_owned(), rule.to_owned());
        }
    }
    let linked: HashSet<(u32, u32)> = data
        .edges
        .iter()
        .map(|e| (e.source.min(e.target), e.source.max(e.target)))
        .collect();
    let relations = format!(
        "GRAPH {inferred} {{ ?s ?p ?o FILTER(isIRI(?s) && isIRI(?o) && ?p NOT IN ({}, {})) }}",
        rdf::TYPE,
        kg::DERIVED_BY
    );
    let mut chosen: HashMap<(u32, u32), Candidate> = HashMap::new();
    for row in source.rows("?s ?p ?o", &relations)? {
        let row = row?;
        let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(Term::NamedNode(o))) =
            (row.get("s"), row.get("p"), row.get("o"))
        else {
            continue;
        };
        let (Some(&source), Some(&target)) = (node_of.get(s.as_str()), node_of.get(o.as_str()))
        else {
            continue;
        };
        let pair = (source.min(target), source.max(target));
        if source == target || linked.contains(&pair) {
            continue;
        }
        let triple = Triple::new(s.clone(), p.clone(), o.clone());
        let Some(rule) = rule_of.get(statement_iri(base, &triple).as_str()) else {
            continue;
        };
        let predicate = intern(predicate_of, &mut data.predicates, p.as_str());
        let candidate = (
            rule_preference(rule),
            predicate,
            source,
            target,
            rule.clone(),
        );
        chosen
            .entry(pair)
            .and_modify(|kept| {
                if (candidate.0, candidate.1, candidate.2) < (kept.0, kept.1, kept.2) {
                    *kept = candidate.clone();
                }
            })
            .or_insert(candidate);
    }
    let mut chosen: Vec<Candidate> = chosen.into_values().collect();
    chosen.sort_by_key(|c| (c.2, c.3, c.1));
    for (_, predicate, source, target, rule) in chosen {
        data.edges.push(EdgeData {
            source,
            target,
            predicate,
            evidence: Vec::new(),
            inferred: Some(rule),
        });
    }
    Ok(())
}

fn intern(
    index_of: &mut HashMap<String, u32>,
    table: &mut Vec<(String, String)>,
    iri: &str,
) -> u32 {
    if let Some(&index) = index_of.get(iri) {
        return index;
    }
    let index = u32::try_from(table.len()).unwrap_or(u32::MAX);
    table.push((iri.to_owned(), String::new()));
    index_of.insert(iri.to_owned(), index);
    index
}

type FactKey = (String, String, String);

/// Per document of a fact: its cited sentences (number, text) and the dates.
type Cited = BTreeMap<String, (BTreeMap<u64, Option<String>>, Vec<String>)>;

/// The evidence of every reified fact between IRIs, by (subject, predicate, object).
fn evidence(
    source: &dyn Rows,
    within: &dyn Fn(String) -> String,
    base: &str,
) -> Result<HashMap<FactKey, Vec<Evidence>>, RemoteError> {
    let pattern = within(format!(
        "?st {} ?s ; {} ?p ; {} ?o ; {} ?doc . FILTER(isIRI(?o)) \
         OPTIONAL {{ ?st {} ?e . ?e {} ?doc ; {} ?n . OPTIONAL {{ ?e {} ?text }} }} \
         OPTIONAL {{ ?st {} ?date }}",
        rdf::SUBJECT,
        rdf::PREDICATE,
        rdf::OBJECT,
        kg::SOURCE,
        kg::EVIDENCE,
        kg::IN_DOCUMENT,
        kg::SENTENCE_NUMBER,
        kg::TEXT,
        kg::DATE,
    ));
    let mut cited: HashMap<FactKey, Cited> = HashMap::new();
    for row in source.rows("?s ?p ?o ?doc ?n ?text ?date", &pattern)? {
        let row = row?;
        let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(Term::NamedNode(o))) =
            (row.get("s"), row.get("p"), row.get("o"))
        else {
            continue;
        };
        let Some(Term::NamedNode(doc)) = row.get("doc") else {
            continue;
        };
        let key = (
            s.as_str().to_owned(),
            p.as_str().to_owned(),
            o.as_str().to_owned(),
        );
        let entry = cited
            .entry(key)
            .or_default()
            .entry(doc.as_str().to_owned())
            .or_default();
        if let Some(Term::Literal(n)) = row.get("n")
            && let Ok(n) = n.value().parse::<u64>()
        {
            let text = match row.get("text") {
                Some(Term::Literal(t)) => Some(t.value().to_owned()),
                _ => None,
            };
            let slot = entry.0.entry(n).or_default();
            if slot.is_none() {
                *slot = text;
            }
        }
        if let Some(Term::Literal(date)) = row.get("date")
            && !entry.1.iter().any(|d| d == date.value())
        {
            entry.1.push(date.value().to_owned());
        }
    }
    let mut out = HashMap::with_capacity(cited.len());
    for (key, documents) in cited {
        let mut items = Vec::new();
        for (document, (sentences, mut dates)) in documents {
            dates.sort();
            let date = dates.into_iter().next();
            let id = document
                .strip_prefix(base)
                .and_then(decode_id)
                .unwrap_or_else(|| document.clone());
            if sentences.is_empty() {
                items.push(Evidence {
                    document: id,
                    sentence: None,
                    date,
                    text: None,
                });
                continue;
            }
            for (number, text) in sentences {
                items.push(Evidence {
                    document: id.clone(),
                    sentence: Some(number),
                    date: date.clone(),
                    text,
                });
            }
        }
        out.insert(key, items);
    }
    Ok(out)
}

/// Runs the SELECTs on a local store (what tests compare a build's own projection with).
#[cfg(test)]
pub struct StoreRows<'a>(pub &'a oxigraph::store::Store);

#[cfg(test)]
impl Rows for StoreRows<'_> {
    fn rows(
        &self,
        vars: &str,
        pattern: &str,
    ) -> Result<Box<dyn Iterator<Item = Result<QuerySolution, RemoteError>> + '_>, RemoteError>
    {
        let text = format!("SELECT {vars} WHERE {{ {pattern} }}");
        let failed = |e: &dyn std::fmt::Display| RemoteError::Unexpected(format!("{text}: {e}"));
        let results = oxigraph::sparql::SparqlEvaluator::new()
            .parse_query(&text)
            .map_err(|e| failed(&e))?
            .on_store(self.0)
            .execute()
            .map_err(|e| failed(&e))?;
        let oxigraph::sparql::QueryResults::Solutions(solutions) = results else {
            return Err(failed(&"not a SELECT"));
        };
        let rows: Vec<Result<QuerySolution, RemoteError>> = solutions
            .map(|s| s.map_err(|e| RemoteError::Unexpected(e.to_string())))
            .collect();
        Ok(Box::new(rows.into_iter()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{BuildOptions, built_embedded};
    use crate::read::GraphReader as _;
    use crate::store::LocalGraph;

    type EdgeView = (String, String, String, Vec<Evidence>, Option<String>);

    fn edges(projection: &Projection) -> Vec<EdgeView> {
        let mut out: Vec<EdgeView> = projection
            .edges()
            .map(|e| {
                (
                    projection.node(e.source()).iri().to_owned(),
                    projection.predicate(e.predicate()).iri.to_owned(),
                    projection.node(e.target()).iri().to_owned(),
                    e.evidence().collect(),
                    e.inferred().map(str::to_owned),
                )
            })
            .collect();
        out.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
        out
    }

    /// The projection assembled from the local store's triples, as a remote store's would be.
    fn assembled(local: &LocalGraph, inferred: Option<&NamedNode>) -> Projection {
        #[allow(irrefutable_let_patterns)]
        let crate::read::SparqlDataset::Local {
            store: store_handle,
            ..
        } = local.sparql()
        else {
            unreachable!("a local graph")
        };
        assemble(
            &StoreRows(&store_handle),
            None,
            inferred,
            &local.meta().base,
        )
        .unwrap()
    }

    /// The projection assembled from the store's triples equals the one the build wrote, node
    /// for node (IRI, id, label, classes), edge for edge (with evidence), name for name.
    #[test]
    fn the_default_graph_reassembles_as_built() {
        let (_dir, local) = built_embedded(&BuildOptions::default());
        let built = local.projection().unwrap();
        let remote = assembled(&local, None);
        let nodes = |p: &Projection| {
            p.nodes()
                .map(|n| {
                    let mut classes: Vec<&str> = n.types().map(|t| p.class(t).iri).collect();
                    classes.sort_unstable();
                    (
                        n.iri().to_owned(),
                        n.id().to_owned(),
                        n.label().to_owned(),
                        classes.join(" "),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert!(built.node_count() > 50 && built.edge_count() > 50);
        assert_eq!(nodes(&remote), nodes(built));
        assert_eq!(edges(&remote), edges(built));
        let terms = |p: &Projection| {
            let mut t: Vec<(String, String)> = p
                .predicates()
                .chain(p.classes())
                .map(|t| (t.iri.to_owned(), t.label.to_owned()))
                .collect();
            t.sort();
            t
        };
        assert_eq!(terms(&remote), terms(built));
        let names = |p: &Projection| {
            let mut n: Vec<(String, String, NameKind)> = p
                .names()
                .map(|n| (n.folded.to_owned(), p.node(n.node).iri().to_owned(), n.kind))
                .collect();
            n.sort();
            n
        };
        assert_eq!(names(&remote), names(built));
    }

    /// With the reasoner's graph, the inferred edges (their pairs, predicates and rules) are
    /// the build's, and leaving them out gives the stated projection back.
    #[test]
    fn the_inferred_edges_reassemble_as_built() {
        use crate::infer::{InferenceOptions, InferenceStage};
        let options = BuildOptions {
            stages: vec![std::sync::Arc::new(InferenceStage::new(
                InferenceOptions::default(),
            ))],
            ..BuildOptions::default()
        };
        let (_dir, local) = built_embedded(&options);
        let built = local.projection().unwrap();
        let mut remote = assembled(&local, Some(&kg::INFERRED.into_owned()));
        let built_edges = edges(built);
        let inferred = built_edges.iter().filter(|e| e.4.is_some()).count();
        assert!(inferred > 0, "the embedded graph has inferred edges");
        assert_eq!(edges(&remote), built_edges);
        remote.leave_out_inferred();
        let stated: Vec<EdgeView> = built_edges.into_iter().filter(|e| e.4.is_none()).collect();
        assert_eq!(edges(&remote), stated);
    }
}
