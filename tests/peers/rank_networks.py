"""Writes classic networks as kg inputs (an entity table, a relation table, a tiny ontology) and
networkx's scores for them, for tests/rank_peers.rs.

Usage: rank_networks.py OUT_DIR. For each case, OUT_DIR/<case>/ gets data/nodes.csv,
data/links.csv, ontology/net.ttl and expected.json: {"undirected": {...}, "directed": {...}},
each with "pagerank", "betweenness" and "degree" (facts an entity takes part in) by label, and
"in_degree"/"out_degree" for the directed graph. Scores are networkx's, unweighted (weight=None),
PageRank with damping 0.85 iterated to a tolerance far below the test's.
"""

import csv
import json
import os
import sys

import networkx as nx

ONTOLOGY = """@prefix ex: <https://example.org/net#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<https://example.org/net> a owl:Ontology ; rdfs:label "networks for rank tests"@en .
ex:Node a owl:Class ; rdfs:label "node"@en .
ex:link a owl:ObjectProperty ; rdfs:label "link"@en .
ex:also a owl:ObjectProperty ; rdfs:label "also"@en .
ex:tie a owl:ObjectProperty , owl:SymmetricProperty ; rdfs:label "tie"@en .
"""


def scores(graph):
    """PageRank and betweenness as networkx computes them, unweighted."""
    return {
        "pagerank": nx.pagerank(graph, alpha=0.85, weight=None, tol=1e-14, max_iter=100000),
        "betweenness": nx.betweenness_centrality(graph, weight=None, normalized=True),
    }


def write(out, name, graph, rows):
    """Writes one case: `rows` are (subject, predicate, object) of graph nodes; the expected
    directed graph follows each row subject -> object, and both ways for ex:tie."""
    nodes = list(graph.nodes())
    label = {node: str(node) for node in nodes}
    assert len(set(label.values())) == len(nodes), "labels must be unique"
    ids = {node: f"n{i}" for i, node in enumerate(nodes)}
    folder = os.path.join(out, name)
    os.makedirs(os.path.join(folder, "data"), exist_ok=True)
    os.makedirs(os.path.join(folder, "ontology"), exist_ok=True)
    with open(os.path.join(folder, "data", "nodes.csv"), "w", newline="", encoding="utf-8") as f:
        table = csv.writer(f)
        table.writerow(["id", "type", "rdfs:label@en"])
        for node in nodes:
            table.writerow([ids[node], "ex:Node", label[node]])
    with open(os.path.join(folder, "data", "links.csv"), "w", newline="", encoding="utf-8") as f:
        table = csv.writer(f)
        table.writerow(["subject", "predicate", "object"])
        for subject, predicate, obj in rows:
            table.writerow([ids[subject], predicate, ids[obj]])
    with open(os.path.join(folder, "ontology", "net.ttl"), "w", encoding="utf-8") as f:
        f.write(ONTOLOGY)

    undirected = nx.Graph()
    undirected.add_nodes_from(nodes)
    undirected.add_edges_from((s, o) for s, _, o in rows)
    directed = nx.DiGraph()
    directed.add_nodes_from(nodes)
    for subject, predicate, obj in rows:
        directed.add_edge(subject, obj)
        if predicate == "ex:tie":
            directed.add_edge(obj, subject)
    facts_in = {node: 0 for node in nodes}
    facts_out = {node: 0 for node in nodes}
    for subject, _, obj in rows:
        facts_out[subject] += 1
        facts_in[obj] += 1

    def by_label(values):
        return {label[node]: value for node, value in values.items()}

    expected = {}
    for kind, graph_of_kind in [("undirected", undirected), ("directed", directed)]:
        computed = scores(graph_of_kind)
        expected[kind] = {key: by_label(values) for key, values in computed.items()}
        expected[kind]["degree"] = by_label({n: facts_in[n] + facts_out[n] for n in nodes})
    expected["directed"]["in_degree"] = by_label(facts_in)
    expected["directed"]["out_degree"] = by_label(facts_out)
    with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f)


def plain(graph):
    """One ex:link fact per edge, from the edge's first node to its second; a simple graph has
    as many facts per node as networkx's degree."""
    rows = [(u, "ex:link", v) for u, v in graph.edges()]
    for node, degree in graph.degree():
        assert degree == sum((u == node) + (v == node) for u, _, v in rows)
    return rows


def main():
    out = sys.argv[1]
    networks = {
        "karate": nx.karate_club_graph(),
        "florentine": nx.florentine_families_graph(),
        "les_miserables": nx.les_miserables_graph(),
        "davis": nx.davis_southern_women_graph(),
    }
    for name, graph in networks.items():
        write(out, name, graph, plain(graph))
    # Half the ties of Les Misérables as a symmetric relation: with --directed they count both
    # ways, the others one way.
    graph = networks["les_miserables"]
    rows = [(u, "ex:tie" if i % 2 == 0 else "ex:link", v) for i, (u, v) in enumerate(graph.edges())]
    write(out, "les_miserables_symmetric", graph, rows)
    # Parallel facts: every third tie of the karate club stated again backwards by another
    # relation, every fifth stated twice; the simple graph is the same.
    graph = networks["karate"]
    rows = []
    for i, (u, v) in enumerate(graph.edges()):
        rows.append((u, "ex:link", v))
        if i % 3 == 0:
            rows.append((v, "ex:also", u))
        if i % 5 == 0:
            rows.append((u, "ex:also", v))
    write(out, "karate_parallel", graph, rows)


if __name__ == "__main__":
    main()
