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


def kind(graph, node):
    """'predicate', 'sequence', 'inverse', 'alternative' or 'postfix'."""
    if isinstance(node, URIRef):
        return "predicate"
    if graph.value(node, RDF.first) is not None:
        return "sequence"
    if graph.value(node, SH.inversePath) is not None:
        return "inverse"
    if graph.value(node, SH.alternativePath) is not None:
        return "alternative"
    return "postfix"


def path_text(graph, node):
    """SPARQL property-path text, with parentheses where kg's Path::to_sparql puts them."""
    def wrap(inner, needed):
        text = path_text(graph, inner)
        return "(" + text + ")" if needed else text

    def member(inner):
        return wrap(inner, kind(graph, inner) in ("sequence", "alternative"))

    what = kind(graph, node)
    if what == "predicate":
        return "<" + str(node) + ">"
    if what == "sequence":
        return "/".join(member(m) for m in Collection(graph, node))
    if what == "inverse":
        inner = graph.value(node, SH.inversePath)
        return "^" + wrap(inner, kind(graph, inner) in ("sequence", "alternative", "inverse"))
    if what == "alternative":
        return "|".join(member(m) for m in Collection(graph, graph.value(node, SH.alternativePath)))
    for predicate, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"),
                              (SH.zeroOrOnePath, "?")):
        inner = graph.value(node, predicate)
        if inner is not None:
            return wrap(inner, kind(graph, inner) != "predicate") + suffix
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
