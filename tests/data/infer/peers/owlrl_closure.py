"""The OWL 2 RL closure of an N-Triples file by owlrl (the W3C rules on rdflib), for kg's
differential test (tests/infer_peers.rs): reads INPUT, writes to OUTPUT the triples owlrl adds,
as N-Triples, without its axiomatic and datatype triples (axiomatic_triples=False,
datatype_axioms=False). The test filters both sides the same documented way."""

import sys

import owlrl
import rdflib


def main() -> None:
    source, target = sys.argv[1], sys.argv[2]
    graph = rdflib.Graph()
    graph.parse(source, format="nt")
    asserted = set(graph)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(graph)
    with open(target, "w", encoding="utf-8") as out:
        for s, p, o in graph:
            if (s, p, o) in asserted or isinstance(s, rdflib.Literal):
                continue
            out.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")


if __name__ == "__main__":
    main()
