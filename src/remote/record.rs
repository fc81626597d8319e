//! The push record: what `kg push` leaves on the server beside the graphs, in a named graph of
//! its own, so that readers find the graph and its state without being told. For each target
//! graph `T`:
//!
//! ```text
//! GRAPH kg:pushes {
//!   T a kg:PushedGraph ; kg:pushId "…" ; kg:tripleCount N ; kg:pushedAt "…"^^xsd:dateTime ;
//!     kg:base "…" ; kg:prefixes "{…json…}" ; kg:namedGraph G1, G2 .
//! }
//! ```
//!
//! The push id changes with every push: a reader's cached projection is kept while it matches.

use std::fmt::Write as _;

use oxigraph::model::{Literal, NamedNode, Term};

use super::RemoteError;
use super::sparql::Service;
use crate::iri::Prefixes;
use crate::vocab::{kg, xsd};

/// The terms of the record (kg's provenance namespace, `ontology/kg.ttl` does not declare them).
mod terms {
    use oxigraph::model::NamedNodeRef;

    pub const PUSHES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#pushes");
    pub const PUSHED_GRAPH: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#PushedGraph");
    pub const PUSH_ID: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#pushId");
    pub const TRIPLE_COUNT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#tripleCount");
    pub const PUSHED_AT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#pushedAt");
    pub const BASE: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#base");
    pub const PREFIXES: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#prefixes");
    pub const NAMED_GRAPH: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://kg.example/vocab#namedGraph");
}

/// The staging graph of a target: where a push loads before the swap, left behind by a push
/// that was stopped (the next push clears it).
pub fn staging_graph(target: &NamedNode) -> NamedNode {
    NamedNode::new_unchecked(format!("{}-kg-staging", target.as_str()))
}

/// Where kg push sends the inferred graph of a store pushed to `target`: `<target>/inferred`
/// (`<target>inferred` when the target ends with `/` or `#`). kg's inferred graph has one IRI in
/// every store; on a server shared by several graphs each push keeps its own.
pub fn inferred_target(target: &NamedNode) -> NamedNode {
    let iri = target.as_str();
    let joint = if iri.ends_with('/') || iri.ends_with('#') {
        ""
    } else {
        "/"
    };
    NamedNode::new_unchecked(format!("{iri}{joint}inferred"))
}

/// What a push recorded about one target graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRecord {
    /// The target graph (the store's default graph went there).
    pub graph: NamedNode,
    /// Changes with every push.
    pub push_id: String,
    /// Triples in the target graph after the push.
    pub triples: u64,
    /// `xsd:dateTime` of the push.
    pub pushed_at: String,
    /// The base IRI of entities.
    pub base: String,
    /// The store's prefixes.
    pub prefixes: Prefixes,
    /// The store's named graphs pushed with it.
    pub named_graphs: Vec<NamedNode>,
}

impl PushRecord {
    /// Where one of the store's named graphs (as [`Self::named_graphs`] names it) is on the
    /// server: `kg:inferred` under the target ([`inferred_target`]), the others at their own IRI.
    pub fn server_graph(&self, name: &NamedNode) -> NamedNode {
        if name.as_ref() == kg::INFERRED {
            inferred_target(&self.graph)
        } else {
            name.clone()
        }
    }

    /// The server IRI of the pushed inferred graph, when the push sent one.
    pub fn inferred_graph(&self) -> Option<NamedNode> {
        self.named_graphs
            .iter()
            .any(|g| g.as_ref() == kg::INFERRED)
            .then(|| inferred_target(&self.graph))
    }

    /// The update that replaces the record of this graph (a part of the swap's update).
    pub fn update(&self) -> String {
        let graph = &self.graph;
        let pushes = terms::PUSHES;
        let prefixes = serde_json::to_string(&self.prefixes).unwrap_or_else(|_| "{}".into());
        let mut data = format!(
            "{graph} a {} ; {} {} ; {} {} ; {} {} ; {} {} ; {} {}",
            terms::PUSHED_GRAPH,
            terms::PUSH_ID,
            Literal::new_simple_literal(&self.push_id),
            terms::TRIPLE_COUNT,
            Literal::new_typed_literal(self.triples.to_string(), xsd::INTEGER),
            terms::PUSHED_AT,
            Literal::new_typed_literal(&self.pushed_at, xsd::DATE_TIME),
            terms::BASE,
            Literal::new_simple_literal(&self.base),
            terms::PREFIXES,
            Literal::new_simple_literal(prefixes),
        );
        for named in &self.named_graphs {
            let _ = write!(data, " ; {} {named}", terms::NAMED_GRAPH);
        }
        format!(
            "DELETE {{ GRAPH {pushes} {{ {graph} ?p ?o }} }} WHERE {{ GRAPH {pushes} {{ {graph} ?p ?o }} }} ;\nINSERT DATA {{ GRAPH {pushes} {{ {data} . }} }}"
        )
    }

    /// Every record on the server.
    ///
    /// # Errors
    /// Remote errors; [`RemoteError::Unexpected`] for a record kg cannot read.
    pub fn read_all(service: &Service) -> Result<Vec<Self>, RemoteError> {
        let query = format!(
            "SELECT ?g ?p ?o WHERE {{ GRAPH {} {{ ?g a {} ; ?p ?o }} }}",
            terms::PUSHES,
            terms::PUSHED_GRAPH
        );
        let mut records: Vec<Self> = Vec::new();
        for row in service.select(&query, None)?.rows {
            let row = row?;
            let (Some(Term::NamedNode(graph)), Some(Term::NamedNode(p)), Some(o)) =
                (row.get("g"), row.get("p"), row.get("o"))
            else {
                continue;
            };
            let at = if let Some(at) = records.iter().position(|r| &r.graph == graph) {
                at
            } else {
                records.push(Self {
                    graph: graph.clone(),
                    push_id: String::new(),
                    triples: 0,
                    pushed_at: String::new(),
                    base: String::new(),
                    prefixes: Prefixes::new(),
                    named_graphs: Vec::new(),
                });
                records.len() - 1
            };
            let record = &mut records[at];
            let text = match o {
                Term::Literal(l) => l.value().to_owned(),
                Term::NamedNode(n) => n.as_str().to_owned(),
                Term::BlankNode(_) => continue,
            };
            match p.as_ref() {
                p if p == terms::PUSH_ID => record.push_id = text,
                p if p == terms::TRIPLE_COUNT => record.triples = text.parse().unwrap_or_default(),
                p if p == terms::PUSHED_AT => record.pushed_at = text,
                p if p == terms::BASE => record.base = text,
                p if p == terms::PREFIXES => {
                    record.prefixes = serde_json::from_str(&text).map_err(|e| {
                        RemoteError::Unexpected(format!(
                            "the push record of {graph} has unreadable prefixes: {e}"
                        ))
                    })?;
                }
                p if p == terms::NAMED_GRAPH => {
                    if let Term::NamedNode(n) = o {
                        record.named_graphs.push(n.clone());
                    }
                }
                _ => {}
            }
        }
        for record in &mut records {
            record.named_graphs.sort();
        }
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_update_parses() {
        let record = PushRecord {
            graph: NamedNode::new_unchecked("https://kg.example/id/"),
            push_id: "abc".into(),
            triples: 12,
            pushed_at: "2026-01-01T00:00:00Z".into(),
            base: "https://kg.example/id/".into(),
            prefixes: [("ex".to_owned(), "http://ex/\"".to_owned())]
                .into_iter()
                .collect(),
            named_graphs: vec![NamedNode::new_unchecked("urn:g")],
        };
        let update = record.update();
        spargebra::SparqlParser::new()
            .parse_update(&update)
            .unwrap();
        assert_eq!(
            staging_graph(&record.graph).as_str(),
            "https://kg.example/id/-kg-staging"
        );
    }
}
