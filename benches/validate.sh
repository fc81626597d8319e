#!/usr/bin/env bash
# kg validate against pyshacl on the same shapes and data: the default graph with the shipped
# peace-talks shapes, and a generated graph (kg generate --triples N, default 100000) with
# simple shapes. Prints the median wall time of --reps runs (default 3) of each side, the
# number of results each found, and the ratio.
#
# Usage: benches/validate.sh [--triples N] [--reps N] [--profile dev|release]
#
# --profile is the cargo profile of the kg measured (default dev: a release build compiles
# RocksDB for an hour on two cores). Debug numbers say little about kg's speed; the output
# says which profile it measured. pyshacl comes from KG_PYTHON, else .venv/bin/python
# (scripts/setup --peers installs it).
#
# What is timed: kg validate opens the store, validates, reads the provenance of each result
# and prints the report; pyshacl parses the N-Triples export of the same default graph (the
# parse time is printed apart) and validates, with no inference.
set -euo pipefail
cd "$(dirname "$0")/.."

triples=100000
reps=3
profile=dev
while [[ $# -gt 0 ]]; do
  case "$1" in
    --triples) triples=${2:?}; shift 2 ;;
    --reps) reps=${2:?}; shift 2 ;;
    --profile) profile=${2:?}; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

target=${CARGO_TARGET_DIR:-target}
cargo build --quiet --profile "$profile" --bin kg
dir=$([[ $profile == dev ]] && echo debug || echo "$profile")
kg="$target/$dir/kg"
python=${KG_PYTHON:-.venv/bin/python}
"$python" -c 'import pyshacl' 2>/dev/null || {
  echo "pyshacl is missing for $python: run scripts/setup --peers or set KG_PYTHON" >&2
  exit 2
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Medians of N runs of a command, in seconds; the command's stdout goes to $work/out.
median() {
  local times=()
  for _ in $(seq "$reps"); do
    local start end
    start=$(date +%s.%N)
    "$@" >"$work/out" 2>"$work/err" || [[ $? == 1 ]] || { cat "$work/err" >&2; exit 2; }
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

cat >"$work/pyshacl_run.py" <<'PY'
import json, sys, time
import pyshacl
from rdflib import Graph
from rdflib.namespace import SH
start = time.perf_counter()
data = Graph()
for path in sys.argv[2:]:
    data.parse(path)
parsed = time.perf_counter()
shapes = Graph().parse(sys.argv[1])
conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                       allow_warnings=True, allow_infos=True)
done = time.perf_counter()
print(json.dumps({"conforms": conforms, "results": len(list(report.objects(None, SH.result))),
                  "parse": parsed - start, "validate": done - parsed}))
PY

cat >"$work/bench-shapes.ttl" <<'TTL'
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix bench: <https://kg.example/bench/ontology#> .
@prefix ex: <https://example.org/bench-shapes#> .
ex:AgentShape a sh:NodeShape ; sh:targetClass bench:Agent ;
    sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:maxCount 1 ; sh:minLength 1 ] ;
    sh:property [ sh:path bench:locatedIn ; sh:class bench:Place ; sh:maxCount 1 ] .
ex:PersonShape a sh:NodeShape ; sh:targetClass bench:Person ;
    sh:property [ sh:path bench:birthDate ; sh:datatype xsd:date ; sh:maxCount 1 ] ;
    sh:property [ sh:path bench:worksFor ; sh:class bench:Organization ] ;
    sh:property [ sh:path bench:knows ; sh:class bench:Person ; sh:nodeKind sh:IRI ; sh:maxCount 4 ] .
ex:OrganizationShape a sh:NodeShape ; sh:targetClass bench:Organization ;
    sh:property [ sh:path bench:employees ; sh:datatype xsd:integer ; sh:minInclusive 0 ] ;
    sh:property [ sh:path bench:founded ; sh:datatype xsd:gYear ; sh:maxCount 1 ] ;
    sh:property [ sh:path bench:legalName ; sh:pattern "^[A-Z]" ; sh:maxCount 1 ] .
TTL

run() {
  local name=$1 store=$2 shapes=$3; shift 3
  local kg_time py_json py_time kg_results
  kg_time=$(median "$kg" validate --store "$store" --shapes "$shapes" --format json)
  kg_results=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(len(r["results"]))' "$work/out")
  py_time=$(median "$python" "$work/pyshacl_run.py" "$shapes" "$@")
  py_json=$(cat "$work/out")
  python3 - "$name" "$profile" "$kg_time" "$kg_results" "$py_time" "$py_json" <<'PY'
import json, sys
name, profile, kg, kg_results, py, py_json = sys.argv[1:]
p = json.loads(py_json)
print(f"{name}: kg validate ({profile} build) {float(kg):.2f} s, {kg_results} results; "
      f"pyshacl {float(py):.2f} s (parse {p['parse']:.2f} s + validate {p['validate']:.2f} s), "
      f"{p['results']} results; kg / pyshacl = {float(kg) / float(py):.2f}")
PY
}

echo "profile: $profile (debug builds are unoptimised: compare release numbers only)"
"$kg" build --quiet --store "$work/default" >/dev/null
"$kg" export --store "$work/default" --graph default --format ntriples -o "$work/default.nt"
run "default graph ($(wc -l <"$work/default.nt") triples), peace-talks shapes" \
  "$work/default" shapes/peace-talks-shapes.ttl "$work/default.nt"

"$kg" generate --out "$work/gen" --triples "$triples" >/dev/null
"$kg" build --quiet --data "$work/gen/data" --ontology "$work/gen/ontology" --store "$work/gen-store" >/dev/null
"$kg" export --store "$work/gen-store" --graph default --format ntriples -o "$work/gen.nt"
run "generated graph ($(wc -l <"$work/gen.nt") triples in the store), simple shapes" \
  "$work/gen-store" "$work/bench-shapes.ttl" "$work/gen.nt"
