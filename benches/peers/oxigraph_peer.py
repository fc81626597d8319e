"""pyoxigraph's side of the comparisons, one process per measured run:

    oxigraph_peer.py load STORE FILE.nt      bulk_load N-Triples into a new on-disk store
    oxigraph_peer.py lookup STORE IRI        open the store, run the SPARQL of `kg lookup`
    oxigraph_peer.py dump STORE OUT.nt       open the store, dump the default graph as N-Triples

Each prints one JSON object on stdout (counts, for the correctness checks).
"""

from __future__ import annotations

import json
import sys

import pyoxigraph as ox

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
KG = "https://kg.example/vocab#"

# What `kg lookup NAME` shows, as one SPARQL query: the entity's types, labels and literal
# attributes, its relations both ways with the other end's label, and the evidence of each
# (document, sentence number, date) read from its rdf:Statement.
LOOKUP = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX kg: <https://kg.example/vocab#>
SELECT ?direction ?p ?pLabel ?other ?otherLabel ?document ?sentence ?date WHERE {
  {
    BIND("out" AS ?direction)
    <ENTITY> ?p ?other .
    OPTIONAL {
      ?statement rdf:subject <ENTITY> ; rdf:predicate ?p ; rdf:object ?other ; kg:source ?document .
      OPTIONAL { ?statement kg:evidence/kg:sentenceNumber ?sentence }
      OPTIONAL { ?statement kg:date ?date }
    }
  } UNION {
    BIND("in" AS ?direction)
    ?other ?p <ENTITY> .
    FILTER(?p NOT IN (rdf:subject, rdf:object, kg:source, kg:inDocument))
    FILTER(!STRSTARTS(STR(?other), "STATEMENTS"))
    OPTIONAL {
      ?statement rdf:subject ?other ; rdf:predicate ?p ; rdf:object <ENTITY> ; kg:source ?document .
      OPTIONAL { ?statement kg:evidence/kg:sentenceNumber ?sentence }
      OPTIONAL { ?statement kg:date ?date }
    }
  }
  OPTIONAL { ?p rdfs:label ?pLabel }
  OPTIONAL { ?other rdfs:label ?otherLabel }
}
"""


def load(store_path: str, source: str) -> dict:
    store = ox.Store(store_path)
    store.bulk_load(path=source, format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    return {"triples": len(store)}


def lookup(store_path: str, iri: str) -> dict:
    store = ox.Store.read_only(store_path)
    base = iri[: iri.rfind("/") + 1]
    query = LOOKUP.replace("ENTITY", iri).replace("STATEMENTS", base + "statement/")
    rows = 0
    relations = set()
    for solution in store.query(query):
        rows += 1
        other = solution["other"]
        predicate = solution["p"].value
        if isinstance(other, ox.NamedNode) and predicate != RDF + "type":
            relations.add((solution["direction"].value, predicate, other.value))
    return {"rows": rows, "relations": len(relations)}


def dump(store_path: str, output: str) -> dict:
    store = ox.Store.read_only(store_path)
    store.dump(output, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return {}


def main() -> None:
    command, *args = sys.argv[1:]
    actions = {"load": load, "lookup": lookup, "dump": dump}
    print(json.dumps(actions[command](*args)))


if __name__ == "__main__":
    main()
