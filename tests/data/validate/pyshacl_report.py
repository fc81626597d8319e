"""Validates DATA against SHAPES with pyshacl and prints what kg's differential test compares:
sh:conforms and, for every result, the focus node, the path (as SPARQL property-path text with
full IRIs, as kg writes it) and the constraint component. Blank nodes print as `_`.

usage: python pyshacl_report.py DATA SHAPES
"""

import json
import sys

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH


def term(node):
    if isinstance(node, BNode):
        return "_"
    return node.n3()


def path_text(graph, node):
    def wrapped(inner):
        text = path_text(graph, inner)
        if isinstance(inner, URIRef) or (graph.value(inner, SH.inversePath) is not None
                                         and graph.value(inner, RDF.first) is None):
            return text
        return "(" + text + ")"

    if isinstance(node, URIRef):
        return "<" + str(node) + ">"
    if graph.value(node, RDF.first) is not None:
        return "/".join(wrapped(m) for m in Collection(graph, node))
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + wrapped(inverse)
    alternative = graph.value(node, SH.alternativePath)
    if alternative is not None:
        return "|".join(wrapped(m) for m in Collection(graph, alternative))
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                              (SH.zeroOrOnePath, "?")):
        inner = graph.value(node, predicate)
        if inner is not None:
            return wrapped(inner) + suffix
    raise ValueError("unknown path node " + str(node))


def main():
    data = Graph().parse(sys.argv[1])
    shapes = Graph().parse(sys.argv[2])
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", advanced=False,
        allow_warnings=True, allow_infos=True)
    results = []
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        results.append([
            term(report.value(result, SH.focusNode)),
            None if path is None else path_text(report, path),
            str(report.value(result, SH.sourceConstraintComponent)),
        ])
    json.dump({"conforms": bool(conforms), "results": sorted(results, key=str)}, sys.stdout)


if __name__ == "__main__":
    main()
