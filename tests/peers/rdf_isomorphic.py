"""Parse RDF files with rdflib and say whether each holds the same graph as a reference.

Usage: rdf_isomorphic.py REFERENCE.nt FORMAT=PATH [FORMAT=PATH ...]
FORMAT is an rdflib format name (turtle, nt, nquads, trig, xml, json-ld). The reference is
N-Triples: the graph as `kg query` sees it (stated and inferred triples). A file in a quad format
is compared by the union of its graphs (kg keeps the inferred triples in a named graph). Prints, as
JSON, {PATH: {"triples": N, "isomorphic": true|false, "named_graphs": N}}; exits non-zero with
rdflib's message when a file does not parse.
"""

import json
import sys

import rdflib
from rdflib.compare import isomorphic

QUAD_FORMATS = ("nquads", "trig", "json-ld")


def load(fmt: str, path: str) -> tuple[rdflib.Graph, int]:
    if fmt not in QUAD_FORMATS:
        graph = rdflib.Graph()
        graph.parse(path, format=fmt)
        return graph, 0
    dataset = rdflib.Dataset()
    dataset.parse(path, format=fmt)
    default = rdflib.Graph()
    named = 0
    for context in dataset.graphs():
        for triple in context:
            default.add(triple)
        if context.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID and len(context) > 0:
            named += 1
    return default, named


def main() -> int:
    reference = rdflib.Graph()
    reference.parse(sys.argv[1], format="nt")
    report = {}
    for argument in sys.argv[2:]:
        fmt, path = argument.split("=", 1)
        graph, named = load(fmt, path)
        report[path] = {
            "triples": len(graph),
            "isomorphic": isomorphic(reference, graph),
            "named_graphs": named,
        }
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
