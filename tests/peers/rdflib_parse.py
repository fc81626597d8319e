"""Parse RDF files with rdflib and print, as JSON, how many triples each holds.

Usage: rdflib_parse.py FORMAT=PATH [FORMAT=PATH ...]   (FORMAT is an rdflib format name)
Exits non-zero with rdflib's message when a file does not parse.
"""

import json
import sys

import rdflib


def main() -> int:
    counts = {}
    for argument in sys.argv[1:]:
        fmt, path = argument.split("=", 1)
        graph = rdflib.Dataset() if fmt in ("nquads", "trig") else rdflib.Graph()
        graph.parse(path, format=fmt)
        counts[path] = len(graph)
    json.dump(counts, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
