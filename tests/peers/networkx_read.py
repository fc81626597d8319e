"""Read property-graph files with networkx and print, as JSON, what it sees in each.

Usage: networkx_read.py FORMAT=PATH [FORMAT=PATH ...]   (FORMAT: graphml, gexf, node-link)
Prints {PATH: {"nodes": N, "edges": N, "directed": bool, "multigraph": bool,
"node_labels": [sorted], "edge_labels": [sorted], "node_types": {attribute: [type names]}}};
exits non-zero with networkx's message when a file does not load.
"""

import json
import sys

import networkx as nx


def load(fmt: str, path: str):
    if fmt == "graphml":
        return nx.read_graphml(path)
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "node-link":
        with open(path, encoding="utf-8") as file:
            return nx.node_link_graph(json.load(file), edges="links")
    raise SystemExit(f"unknown format {fmt}")


def main() -> int:
    report = {}
    for argument in sys.argv[1:]:
        fmt, path = argument.split("=", 1)
        graph = load(fmt, path)
        types = {}
        for _, data in graph.nodes(data=True):
            for key, value in data.items():
                types.setdefault(key, set()).add(type(value).__name__)
        report[path] = {
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "directed": graph.is_directed(),
            "multigraph": graph.is_multigraph(),
            "node_labels": sorted(str(d.get("label")) for _, d in graph.nodes(data=True)),
            "edge_labels": sorted(str(d.get("label")) for _, _, d in graph.edges(data=True)),
            "node_types": {key: sorted(names) for key, names in sorted(types.items())},
        }
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
