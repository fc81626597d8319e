"""A dataset for the inference benchmark (benches/infer.sh): an OWL ontology with class and
property hierarchies, an equivalence, inverse, symmetric and transitive properties, a property
chain, domains and ranges, and N-Triples facts about people, organisations and places with a few
owl:sameAs duplicates. Deterministic for a seed.

Usage: infer_generate.py --triples N --out DIR [--seed S]
Writes DIR/ontology/ontology.ttl, DIR/data/data.nt (about N triples) and DIR/all.nt (both, for
the peers that read one file)."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import rdflib

NS = "https://kg.example/infer-bench/ontology#"
ID = "https://kg.example/infer-bench/id/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SAME_AS = "<http://www.w3.org/2002/07/owl#sameAs>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"

ONTOLOGY = f"""@prefix : <{NS}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .

:Agent a owl:Class .
:Person a owl:Class ; rdfs:subClassOf :Agent .
:Employee a owl:Class ; rdfs:subClassOf :Person .
:Engineer a owl:Class ; rdfs:subClassOf :Employee .
:Manager a owl:Class ; rdfs:subClassOf :Employee .
:Director a owl:Class ; rdfs:subClassOf :Manager .
:Researcher a owl:Class ; rdfs:subClassOf :Employee ; owl:equivalentClass :Scientist .
:Scientist a owl:Class .
:Organization a owl:Class ; rdfs:subClassOf :Agent .
:Company a owl:Class ; rdfs:subClassOf :Organization .
:Place a owl:Class .
:City a owl:Class ; rdfs:subClassOf :Place .
:Region a owl:Class ; rdfs:subClassOf :Place .

:worksFor a owl:ObjectProperty ; rdfs:domain :Employee ; rdfs:range :Organization ;
    rdfs:subPropertyOf :affiliatedWith .
:employs a owl:ObjectProperty ; owl:inverseOf :worksFor .
:affiliatedWith a owl:ObjectProperty ; rdfs:range :Agent .
:knows a owl:ObjectProperty , owl:SymmetricProperty ; rdfs:domain :Person ; rdfs:range :Person .
:mentors a owl:ObjectProperty ; rdfs:subPropertyOf :knows .
:livesIn a owl:ObjectProperty ; rdfs:domain :Person ; rdfs:range :Place .
:basedIn a owl:ObjectProperty ; rdfs:domain :Organization ; rdfs:range :Place .
:partOf a owl:ObjectProperty , owl:TransitiveProperty ; rdfs:domain :Place ; rdfs:range :Place .
:livesInRegion a owl:ObjectProperty ; owl:propertyChainAxiom ( :livesIn :partOf ) .
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--triples", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    for folder in ("ontology", "data"):
        (args.out / folder).mkdir(parents=True, exist_ok=True)
    (args.out / "ontology" / "ontology.ttl").write_text(ONTOLOGY, encoding="utf-8")

    # About 6 triples per person; organisations, places and duplicates on top.
    people = max(10, args.triples // 6)
    organizations = max(2, people // 50)
    regions = max(2, people // 2000)
    cities = max(4, people // 200)
    kinds = ["Person", "Employee", "Engineer", "Manager", "Director", "Researcher"]
    lines = 0

    def write(out, s: str, p: str, o: str) -> None:
        nonlocal lines
        out.write(f"{s} {p} {o} .\n")
        lines += 1

    with open(args.out / "data" / "data.nt", "w", encoding="utf-8") as out:
        for r in range(regions):
            write(out, f"<{ID}region{r}>", RDF_TYPE, f"<{NS}Region>")
            if r > 0:
                write(out, f"<{ID}region{r}>", f"<{NS}partOf>", f"<{ID}region{(r - 1) // 4}>")
        for c in range(cities):
            write(out, f"<{ID}city{c}>", RDF_TYPE, f"<{NS}City>")
            write(out, f"<{ID}city{c}>", f"<{NS}partOf>", f"<{ID}region{rng.randrange(regions)}>")
        for o in range(organizations):
            write(out, f"<{ID}org{o}>", RDF_TYPE, f"<{NS}Company>")
            write(out, f"<{ID}org{o}>", f"<{NS}basedIn>", f"<{ID}city{rng.randrange(cities)}>")
        for p in range(people):
            person = f"<{ID}person{p}>"
            write(out, person, RDF_TYPE, f"<{NS}{rng.choice(kinds)}>")
            write(out, person, LABEL, f'"Person {p}"')
            write(out, person, f"<{NS}worksFor>", f"<{ID}org{rng.randrange(organizations)}>")
            write(out, person, f"<{NS}livesIn>", f"<{ID}city{rng.randrange(cities)}>")
            write(out, person, f"<{NS}knows>", f"<{ID}person{rng.randrange(people)}>")
            write(out, person, f"<{NS}mentors>", f"<{ID}person{rng.randrange(people)}>")
            if rng.random() < 0.005:
                duplicate = f"<{ID}duplicate{p}>"
                write(out, duplicate, SAME_AS, person)
                write(out, duplicate, f"<{NS}knows>", f"<{ID}person{rng.randrange(people)}>")
    with open(args.out / "all.nt", "w", encoding="utf-8") as out:
        ontology = rdflib.Graph().parse(args.out / "ontology" / "ontology.ttl", format="turtle")
        for s, p, o in ontology:
            out.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")
        with open(args.out / "data" / "data.nt", encoding="utf-8") as data:
            for line in data:
                out.write(line)
    (args.out / "generated.json").write_text(
        json.dumps({"triples": lines, "people": people, "seed": args.seed}), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
