#!/usr/bin/env bash
# Where kg spends its time on the benchmark data, with valgrind's callgrind (instruction counts:
# deterministic, and it works on virtual machines without hardware counters, where
# `perf stat -e instructions` does not). Profiles `kg build`, `kg path`, `kg lookup`, `kg export`
# and the in-process shortest paths of `benches/inprocess_paths.rs` on the small datasets that
# `benches/compare.sh --size small` generates, and prints the functions with the most
# instructions (inclusive) for each.
#
# Usage: benches/profile.sh [TOP]     (TOP functions per command, default 25)
# Output: benches/datasets/profiles/<command>.callgrind (open with kcachegrind or callgrind_annotate)
set -euo pipefail
cd "$(dirname "$0")/.."
top=${1:-25}

if ! command -v valgrind >/dev/null; then
  echo "profile: installing Debian packages: valgrind" >&2
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq valgrind >/dev/null
fi

# The executable a cargo command built, from its JSON messages.
executable() {
  python3 -c '
import json, sys
print([m["executable"] for m in map(json.loads, sys.stdin)
       if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == sys.argv[1]][-1])' "$1"
}
kg=$(cargo build --profile profiling --locked --bin kg --message-format=json-render-diagnostics | executable kg)
inprocess=$(cargo bench --locked --bench inprocess_paths --no-run --message-format=json-render-diagnostics \
  | executable inprocess_paths)

datasets=benches/datasets
triples=$datasets/triples-100000
graph=$datasets/graph-10000-50000
[[ -f $triples/generated.json ]] || "$kg" generate --quiet --out "$triples" --triples 100000
[[ -f $graph/generated.json ]] || "$kg" generate --quiet --out "$graph" --nodes 10000 --edges 50000 --no-provenance
[[ -f $graph/kg-store/CURRENT ]] || "$kg" build --quiet --data "$graph/data" --ontology "$graph/ontology" --store "$graph/kg-store" >/dev/null
out=$datasets/profiles
mkdir -p "$out"
IFS=, read -r from to < <(sed -n 2p "$graph/pairs.csv")

profile() {
  local name=$1
  shift
  echo "== $name: $*" >&2
  valgrind --tool=callgrind --callgrind-out-file="$out/$name.callgrind" "$@" >/dev/null 2>"$out/$name.log"
  # `head` closes the pipe early: not an error.
  callgrind_annotate --inclusive=yes "$out/$name.callgrind" 2>/dev/null \
    | grep -E '^ *[0-9,]+ \(' | head -n "$top" || true
}

rm -rf "$out/store"
profile build "$kg" build --quiet --data "$triples/data" --ontology "$triples/ontology" --store "$out/store"
profile path-in-process "$inprocess" --store "$graph/kg-store" --pairs "$graph/pairs.csv"
profile path "$kg" path "$from" "$to" --store "$graph/kg-store" --max-hops 20 --format json
profile lookup "$kg" lookup "$from" --store "$graph/kg-store" --format json
profile export-graphml "$kg" export -o "$out/graph.graphml" --store "$graph/kg-store" --quiet
profile export-ntriples "$kg" export -o "$out/dump.nt" --store "$out/store" --quiet
