//! Property tests of the path algorithms on random small multigraphs, against brute force and
//! against a SPARQL 1.1 property path on the same graph.

use std::collections::{HashSet, VecDeque};

use kg::algo::{PathQuery, all_shortest_paths, k_shortest_paths, neighbourhood, shortest_path};
use kg::graph::{EdgeData, NodeData, Projection, ProjectionData};
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use proptest::prelude::*;

fn projection(n: u32, edges: &[(u32, u32, u32)]) -> Projection {
    ProjectionData {
        nodes: (0..n)
            .map(|i| NodeData {
                iri: format!("urn:n:{i}"),
                id: format!("n{i}"),
                label: format!("n{i}"),
                types: vec![],
            })
            .collect(),
        edges: edges
            .iter()
            .map(|&(source, target, predicate)| EdgeData {
                source,
                target,
                predicate,
                evidence: vec![],
                inferred: None,
            })
            .collect(),
        predicates: (0..3)
            .map(|i| (format!("urn:p:{i}"), format!("p{i}")))
            .collect(),
        ..ProjectionData::default()
    }
    .assemble()
    .expect("a valid projection")
}

/// Breadth-first distance by brute force over the edge list.
fn bfs(
    n: u32,
    edges: &[(u32, u32, u32)],
    from: u32,
    to: u32,
    directed: bool,
    via: Option<u32>,
) -> Option<usize> {
    let mut distance = vec![None; n as usize];
    distance[from as usize] = Some(0);
    let mut queue = VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        let d = distance[node as usize].unwrap();
        for &(s, t, p) in edges {
            if via.is_some_and(|v| v != p) {
                continue;
            }
            let next = if s == node {
                Some(t)
            } else if !directed && t == node {
                Some(s)
            } else {
                None
            };
            if let Some(next) = next
                && distance[next as usize].is_none()
            {
                distance[next as usize] = Some(d + 1);
                queue.push_back(next);
            }
        }
    }
    distance[to as usize]
}

fn graphs() -> impl Strategy<Value = (u32, Vec<(u32, u32, u32)>)> {
    (2_u32..12).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec((0..n, 0..n, 0_u32..3), 0..30),
        )
    })
}

/// Checks that a path is a real walk from `from` to `to` over allowed edges.
fn is_walk(
    projection: &Projection,
    path: &kg::algo::Path,
    from: u32,
    to: u32,
    directed: bool,
) -> bool {
    let mut at = path.start;
    if at != from {
        return false;
    }
    for step in &path.steps {
        let edge = projection.edge(step.edge);
        let ok = if step.forward {
            edge.source() == at && edge.target() == step.node
        } else {
            !directed && edge.target() == at && edge.source() == step.node
        };
        if !ok {
            return false;
        }
        at = step.node;
    }
    at == to
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn shortest_path_length_equals_brute_force((n, edges) in graphs(), a in 0_u32..12, b in 0_u32..12, directed: bool, filtered: bool) {
        let (a, b) = (a % n, b % n);
        let p = projection(n, &edges);
        let mut query = PathQuery { directed, max_hops: 20, ..PathQuery::default() };
        let via = filtered.then_some(1);
        if let Some(v) = via {
            query.via = Some(HashSet::from([v]));
        }
        let found = shortest_path(&p, a, b, &query);
        let expected = bfs(n, &edges, a, b, directed, via);
        prop_assert_eq!(found.paths.first().map(kg::algo::Path::len), expected);
        if let Some(path) = found.paths.first() {
            prop_assert!(is_walk(&p, path, a, b, directed));
            prop_assert!(path.steps.iter().all(|s| via.is_none_or(|v| p.edge(s.edge).predicate() == v)));
        }
    }

    /// The projection is a petgraph graph: petgraph's Dijkstra (unit weights, subject → object)
    /// agrees with kg's directed search.
    #[test]
    fn petgraph_dijkstra_on_the_projection_agrees((n, edges) in graphs(), a in 0_u32..12, b in 0_u32..12) {
        let (a, b) = (a % n, b % n);
        let p = projection(n, &edges);
        let distances = petgraph::algo::dijkstra(&p, a, Some(b), |_| 1_usize);
        let query = PathQuery { directed: true, max_hops: 20, ..PathQuery::default() };
        let ours = shortest_path(&p, a, b, &query).paths.first().map(kg::algo::Path::len);
        prop_assert_eq!(distances.get(&b).copied(), ours);
    }

    #[test]
    fn all_shortest_paths_are_distinct_shortest_walks((n, edges) in graphs(), a in 0_u32..12, b in 0_u32..12) {
        let (a, b) = (a % n, b % n);
        let p = projection(n, &edges);
        let query = PathQuery { max_hops: 20, ..PathQuery::default() };
        let found = all_shortest_paths(&p, a, b, &query);
        let expected = bfs(n, &edges, a, b, false, None);
        prop_assert_eq!(found.paths.is_empty(), expected.is_none());
        let distinct: HashSet<_> = found.paths.iter().collect();
        prop_assert_eq!(distinct.len(), found.paths.len());
        for path in &found.paths {
            prop_assert_eq!(Some(path.len()), expected);
            prop_assert!(is_walk(&p, path, a, b, false));
        }
    }

    #[test]
    fn k_shortest_paths_are_simple_distinct_and_sorted((n, edges) in graphs(), a in 0_u32..12, b in 0_u32..12, k in 1_usize..8) {
        let (a, b) = (a % n, b % n);
        prop_assume!(a != b);
        let p = projection(n, &edges);
        let query = PathQuery { max_hops: 20, ..PathQuery::default() };
        let found = k_shortest_paths(&p, a, b, k, &query);
        prop_assert!(found.paths.len() <= k);
        prop_assert_eq!(found.paths.first().map(kg::algo::Path::len), bfs(n, &edges, a, b, false, None));
        let distinct: HashSet<_> = found.paths.iter().collect();
        prop_assert_eq!(distinct.len(), found.paths.len());
        for pair in found.paths.windows(2) {
            prop_assert!(pair[0].len() <= pair[1].len());
        }
        for path in &found.paths {
            prop_assert!(path.is_simple());
            prop_assert!(is_walk(&p, path, a, b, false));
        }
        // Every shortest simple path is among the first ones when k is large enough.
        let all = all_shortest_paths(&p, a, b, &query).paths.into_iter().filter(kg::algo::Path::is_simple).count();
        if k >= all {
            let shortest = found.paths.first().map_or(0, kg::algo::Path::len);
            prop_assert!(found.paths.iter().filter(|p| p.len() == shortest).count() >= all.min(k));
        }
    }

    #[test]
    fn neighbourhood_matches_brute_force((n, edges) in graphs(), centre in 0_u32..12, hops in 0_usize..4) {
        let centre = centre % n;
        let p = projection(n, &edges);
        let found = neighbourhood(&p, centre, hops, 10_000, &PathQuery::default());
        let expected: HashSet<u32> = (0..n)
            .filter(|&t| bfs(n, &edges, centre, t, false, None).is_some_and(|d| d <= hops))
            .collect();
        let got: HashSet<u32> = found.nodes.iter().map(|(node, _)| *node).collect();
        prop_assert_eq!(got, expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// Reachability agrees with SPARQL 1.1's `(p|^p)*` property path on the same triples.
    #[test]
    fn reachability_agrees_with_a_sparql_property_path((n, edges) in graphs(), a in 0_u32..12, b in 0_u32..12, directed: bool) {
        let (a, b) = (a % n, b % n);
        // A zero-length path from a node to itself is a matter of convention, not of search.
        prop_assume!(a != b);
        let p = projection(n, &edges);
        let store = Store::new().unwrap();
        for &(s, t, pred) in &edges {
            store.insert(&Quad::new(
                NamedNode::new(format!("urn:n:{s}")).unwrap(),
                NamedNode::new(format!("urn:p:{pred}")).unwrap(),
                NamedNode::new(format!("urn:n:{t}")).unwrap(),
                GraphName::DefaultGraph,
            )).unwrap();
        }
        let path = if directed {
            "(<urn:p:0>|<urn:p:1>|<urn:p:2>)*"
        } else {
            "(<urn:p:0>|<urn:p:1>|<urn:p:2>|^<urn:p:0>|^<urn:p:1>|^<urn:p:2>)*"
        };
        let query = format!("ASK {{ <urn:n:{a}> {path} <urn:n:{b}> }}");
        let QueryResults::Boolean(sparql) = SparqlEvaluator::new().parse_query(&query).unwrap().on_store(&store).execute().unwrap() else {
            panic!("ASK gives a boolean");
        };
        let query = PathQuery { directed, max_hops: 20, ..PathQuery::default() };
        let ours = !shortest_path(&p, a, b, &query).paths.is_empty();
        prop_assert_eq!(ours, sparql);
    }
}
