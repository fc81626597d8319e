"""networkx's and igraph's side of the graph comparisons, one process per measured run:

    graph_peer.py prepare DATASET OUT          (untimed) nodes.txt (ids, in vertex order) and
                                               edges.txt ("source target" vertex numbers) from the
                                               generated CSV tables
    graph_peer.py paths networkx|igraph OUT PAIRS
                                               load the graph (undirected), then time one
                                               single-pair shortest path per pair
    graph_peer.py igraph-path OUT FROM TO      end to end: load into igraph, answer one pair
    graph_peer.py igraph-neighbors OUT NAME HOPS
                                               end to end: load into igraph, the nodes within HOPS
    graph_peer.py igraph-lookup OUT NAME       end to end: load into igraph, the facts of one node
                                               with the names at their other ends
    graph_peer.py graphml DATASET OUT.graphml  load the tables into a networkx MultiDiGraph with
                                               the attributes kg exports, time write_graphml

Each prints one JSON object on stdout.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time

ENTITY_TABLES = ("people.csv", "organizations.csv", "places.csv")
RELATION_TABLES = ("works-for.csv", "knows.csv", "partner-of.csv", "located-in.csv")
BASE = "https://kg.example/bench/id/"
NAMESPACE = "https://kg.example/bench/ontology#"
LABELS = {"worksFor": "works for", "knows": "knows", "partnerOf": "partner of", "locatedIn": "located in"}


def rows(path: str):
    with open(path, newline="", encoding="utf-8") as file:
        yield from csv.DictReader(file)


def prepare(dataset: str, out: str) -> dict:
    os.makedirs(out, exist_ok=True)
    data = os.path.join(dataset, "data")
    index: dict[str, int] = {}
    with open(os.path.join(out, "nodes.txt"), "w", encoding="utf-8") as nodes:
        for table in ENTITY_TABLES:
            for row in rows(os.path.join(data, table)):
                index[row["id"]] = len(index)
                nodes.write(row["id"] + "\n")
    edges = 0
    with open(os.path.join(out, "edges.txt"), "w", encoding="utf-8") as out_edges:
        for table in RELATION_TABLES:
            for row in rows(os.path.join(data, table)):
                out_edges.write(f"{index[row['subject']]} {index[row['object']]}\n")
                edges += 1
    return {"nodes": len(index), "edges": edges}


def node_index(prepared: str) -> dict[str, int]:
    with open(os.path.join(prepared, "nodes.txt"), encoding="utf-8") as nodes:
        return {line.rstrip("\n"): i for i, line in enumerate(nodes)}


def read_pairs(path: str) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as file:
        next(file)
        return [tuple(line.strip().split(",")) for line in file if line.strip()]


def paths(library: str, prepared: str, pairs_path: str) -> dict:
    started = time.perf_counter()
    index = node_index(prepared)
    edges = os.path.join(prepared, "edges.txt")
    if library == "networkx":
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(range(len(index)))
        with open(edges, encoding="utf-8") as file:
            graph.add_edges_from(tuple(map(int, line.split())) for line in file)

        def shortest(source: int, target: int) -> int:
            return len(nx.bidirectional_shortest_path(graph, source, target)) - 1

    elif library == "igraph":
        import igraph

        graph = igraph.Graph.Read_Edgelist(edges, directed=False)

        def shortest(source: int, target: int) -> int:
            return len(graph.get_shortest_path(source, target, mode="all")) - 1

    else:
        raise SystemExit(f"unknown library {library!r}")
    load_seconds = time.perf_counter() - started
    seconds, lengths = [], []
    for source, target in read_pairs(pairs_path):
        source, target = index[source], index[target]
        started = time.perf_counter()
        length = shortest(source, target)
        seconds.append(time.perf_counter() - started)
        lengths.append(length)
    return {
        "load_seconds": load_seconds,
        "mean_seconds": sum(seconds) / len(seconds),
        "seconds": seconds,
        "lengths": lengths,
    }


def igraph_path(prepared: str, source: str, target: str) -> dict:
    """What an analyst's script does: read the edge list into igraph, find the two names, answer."""
    import igraph

    graph = igraph.Graph.Read_Edgelist(os.path.join(prepared, "edges.txt"), directed=False)
    wanted = {source + "\n": None, target + "\n": None}
    names = []
    with open(os.path.join(prepared, "nodes.txt"), encoding="utf-8") as nodes:
        for i, line in enumerate(nodes):
            names.append(line)
            if line in wanted:
                wanted[line] = i
    path = graph.get_shortest_path(wanted[source + "\n"], wanted[target + "\n"], mode="all")
    print(" -> ".join(names[v].rstrip("\n") for v in path), file=sys.stderr)
    return {"length": len(path) - 1}


def igraph_named(prepared: str, wanted: str):
    """The analyst's first steps: read the edge list into igraph and the names, find one."""
    import igraph

    graph = igraph.Graph.Read_Edgelist(os.path.join(prepared, "edges.txt"), directed=False)
    names, vertex = [], None
    with open(os.path.join(prepared, "nodes.txt"), encoding="utf-8") as nodes:
        for i, line in enumerate(nodes):
            names.append(line.rstrip("\n"))
            if vertex is None and names[-1] == wanted:
                vertex = i
    if vertex is None:
        raise SystemExit(f"no node named {wanted!r}")
    return graph, names, vertex


def igraph_neighbors(prepared: str, name: str, hops: str) -> dict:
    graph, names, vertex = igraph_named(prepared, name)
    found = graph.neighborhood(vertex, order=int(hops), mode="all")
    print(" ".join(names[v] for v in found[:20]), file=sys.stderr)
    return {"nodes": len(found)}


def igraph_lookup(prepared: str, name: str) -> dict:
    graph, names, vertex = igraph_named(prepared, name)
    facts = []
    for edge in graph.es[graph.incident(vertex, mode="all")]:
        source, target = edge.tuple
        facts.append((names[source], names[target]))
    print(facts[:5], file=sys.stderr)
    return {"relations": len(facts)}


def graphml(dataset: str, output: str) -> dict:
    import networkx as nx

    started = time.perf_counter()
    data = os.path.join(dataset, "data")
    graph = nx.MultiDiGraph()
    reserved = {"id", "type", "rdfs:label@en", "skos:altLabel@en[]", "source", "sentences", "date"}
    for table in ENTITY_TABLES:
        for row in rows(os.path.join(data, table)):
            attributes = {
                key.split(":", 1)[1].split("^", 1)[0]: value
                for key, value in row.items()
                if key not in reserved and value
            }
            graph.add_node(
                row["id"],
                iri=BASE + row["id"],
                label=row["rdfs:label@en"],
                **{"class": row["type"].split(":", 1)[1]},
                **attributes,
            )
    for table in RELATION_TABLES:
        for row in rows(os.path.join(data, table)):
            local = row["predicate"].split(":", 1)[1]
            graph.add_edge(row["subject"], row["object"], predicate=NAMESPACE + local, label=LABELS[local])
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    nx.write_graphml(graph, output)
    return {
        "load_seconds": load_seconds,
        "write_seconds": time.perf_counter() - started,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }


def main() -> None:
    command, *args = sys.argv[1:]
    actions = {
        "prepare": prepare,
        "paths": paths,
        "igraph-path": igraph_path,
        "igraph-neighbors": igraph_neighbors,
        "igraph-lookup": igraph_lookup,
        "graphml": graphml,
    }
    print(json.dumps(actions[command](*args)))


if __name__ == "__main__":
    main()
