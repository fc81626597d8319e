#!/usr/bin/env bash
# kg push and remote reads against the servers' own bulk loaders, on one generated graph:
#   - kg push --no-inference (the stated graph: the same triples the bulk loaders get) to
#     oxigraph serve and to Virtuoso (Graph Store Protocol), and to Virtuoso by SPARQL Update
#     INSERT DATA (only up to 200,000 triples: it is slow by design), with kg push's own
#     account of where the time went (planning, reading, writing, requests, swap, check);
#   - the bulk loaders on the same N-Triples (kg export): `oxigraph load` into a fresh store,
#     Virtuoso's ld_dir + rdf_loader_run + checkpoint into a fresh graph;
#   - kg path over --endpoint: cold (the projection fetched and cached) and warm (cache hit),
#     beside the same path on the local store.
# Each line: wall seconds and peak memory (RSS) of the client process (/usr/bin/time); the
# servers' peak memory (VmHWM since they started) is printed once at the end, so start them
# fresh (a new --services DIR) to read it. The generated graph, its store and its N-Triples
# are kept in benches/datasets/remote-N (git-ignored; KG_BENCH_DATA overrides) and reused.
# KG_BENCH_BATCH sets the Graph Store batch size (default 50000); KG_BIN a kg binary to time
# instead of building one. The Virtuoso limits come from .ci/services/virtuoso.ini unless
# KG_VIRTUOSO_RESULT_MAX_ROWS / KG_VIRTUOSO_AFTER_IMAGE_LIMIT override them for servers started
# here (.ci/services/start); the table records the row cap the run had.
#
# Usage: benches/remote.sh [--triples N] [--profile dev|release] [--services DIR] [--out FILE]
#   --triples   size of the generated graph (default 100000)
#   --profile   which build of kg to time (default release; dev timings say little, and the
#               table says which it was)
#   --services  where .ci/services/start keeps the servers (default: a folder under $TMPDIR;
#               servers already running there are reused and left running)
#   --out       also write the table to FILE (markdown)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

triples=100000
profile=release
services=""
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --triples) triples=${2:?}; shift 2 ;;
    --profile) profile=${2:?}; shift 2 ;;
    --services) services=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    *) echo "usage: $0 [--triples N] [--profile dev|release] [--services DIR] [--out FILE]" >&2; exit 2 ;;
  esac
done

command -v /usr/bin/time >/dev/null || { echo "remote.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
target="${CARGO_TARGET_DIR:-$root/target}"
if [[ -n ${KG_BIN:-} ]]; then
  # A kg built already (a shared target folder's binary can be replaced by another build).
  kg="$KG_BIN"
elif [[ $profile == dev ]]; then
  cargo build --quiet
  kg="$target/debug/kg"
else
  cargo build --quiet --profile "$profile"
  kg="$target/$profile/kg"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/kg-remote-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if [[ -z $services ]]; then
  services="${TMPDIR:-/tmp}/kg-remote-bench-services"
fi
.ci/services/start "$services"
set -a
# shellcheck disable=SC1091
. "$services/services.env"
set +a
ox="$KG_OXIGRAPH_URL/query"
virt="$KG_VIRTUOSO_URL/sparql"
run_id="$$-$(date +%s)"

rows=()
phases=()
# server_peak PID: the peak resident memory of a server process so far (VmHWM), in MiB.
server_peak() {
  awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"
}
# ini_value KEY: a setting of the running Virtuoso's configuration.
ini_value() {
  awk -v key="$1" '$1 == key { print $3; exit }' "$services/virtuoso/virtuoso.ini" 2>/dev/null || echo "?"
}
# try_measure NAME COMMAND...: measure, but a failure is a row of the table, not the end.
try_measure() {
  keep_going=1 measure "$@"
}
# push_phases NAME: the phase times of the push just measured (its JSON report on stdout).
push_phases() {
  python3 - "$1" "$work/stdout" <<'PY' >>"$work/phases"
import json, sys
s = json.load(open(sys.argv[2]))["seconds"]
print("| {} | {} |".format(sys.argv[1], " | ".join("%.1f" % s[k] for k in
      ("planning", "reading", "serializing", "requests", "swapping", "checking"))))
PY
}
: >"$work/phases"
# measure NAME COMMAND...: runs it under /usr/bin/time, records wall seconds and peak RSS.
# A failure ends the run, but under try_measure, which records it as a row and goes on.
measure() {
  local name="$1" stats
  shift
  if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr"; then
    echo "remote.sh: $name failed:" >&2
    tail -n 20 "$work/stderr" >&2
    if [[ -n ${keep_going:-} ]]; then
      stats="$(tail -n 1 "$work/time" | grep -o '^[0-9.]*' || echo "?")"
      rows+=("| $name | failed after ${stats:-?} s: $(grep -m1 -o 'HTTP [0-9]*[^:]*: [^:]*: [^:]*' "$work/stderr" || head -c 200 "$work/stderr" | tr '\n|' '  ') | |")
      return 1
    fi
    exit 1
  fi
  stats="$(tail -n 1 "$work/time")"
  rows+=("| $name | ${stats% *} | $((${stats#* } / 1024)) |")
  echo "$name: ${stats% *} s, $((${stats#* } / 1024)) MiB" >&2
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
# The generated graph and its store are kept under benches/datasets/ (git-ignored): building
# 10M triples takes a while.
data="${KG_BENCH_DATA:-$root/benches/datasets/remote-$triples}"
if [[ ! -f $data/.complete ]]; then
  echo "generating and building $triples triples ($profile kg) into $data ..." >&2
  rm -rf "$data"
  mkdir -p "$data"
  "$kg" generate --quiet --triples "$triples" --out "$data/gen"
  "$kg" build --quiet --data "$data/gen/data" --ontology "$data/gen/ontology" --store "$data/store"
  "$kg" export --quiet --store "$data/store" --graph default --format ntriples -o "$data/data.nt"
  touch "$data/.complete"
fi
ln -s "$data/store" "$work/store"
ln -s "$data/gen" "$work/gen"
ln -s "$data/data.nt" "$work/data.nt"
count=$(wc -l <"$work/data.nt")
from=$(sed -n 2p "$work/gen/pairs.csv" | cut -d, -f1)
to=$(sed -n 2p "$work/gen/pairs.csv" | cut -d, -f2)

g_ox="urn:kg:bench:$run_id:oxigraph"
g_virt="urn:kg:bench:$run_id:virtuoso"
batch=${KG_BENCH_BATCH:-50000}
# oxigraph serve runs the staged push's MOVE as one transaction held in memory: 3.5 GB of
# server memory and 140 s at 1M triples (measured 2026-12-03), so about 35 GB at 10M. Past
# KG_BENCH_OX_STAGED_MAX triples (default 2M) that row is left out, and the table says so.
ox_staged_max=${KG_BENCH_OX_STAGED_MAX:-2000000}
if ((triples <= ox_staged_max)); then
  measure "kg push → oxigraph serve (graph store, ${batch}/batch)" "$kg" push --quiet --no-inference --format json --batch-size "$batch" --store "$work/store" --endpoint "$ox" --graph "$g_ox"
  push_phases "oxigraph serve, graph store"
else
  rows+=("| kg push → oxigraph serve (graph store, ${batch}/batch), staged | not run: its MOVE would need ~3.5 GB of server memory per million triples | |")
fi
measure "kg push → oxigraph serve (graph store, ${batch}/batch, --no-staging)" "$kg" push --quiet --no-inference --no-staging --format json --batch-size "$batch" --store "$work/store" --endpoint "$ox" --graph "$g_ox:direct"
push_phases "oxigraph serve, graph store, --no-staging"
if try_measure "kg push → Virtuoso (graph store, ${batch}/batch)" "$kg" push --quiet --no-inference --format json --batch-size "$batch" --store "$work/store" --endpoint "$virt" --graph "$g_virt"; then
  push_phases "Virtuoso, graph store"
fi
measure "kg push → Virtuoso (graph store, ${batch}/batch, --no-staging)" "$kg" push --quiet --no-inference --no-staging --format json --batch-size "$batch" --store "$work/store" --endpoint "$virt" --graph "$g_virt:direct"
push_phases "Virtuoso, graph store, --no-staging"
if ((triples <= 200000)); then
  measure "kg push → Virtuoso (INSERT DATA, 1k/batch)" "$kg" push --quiet --no-inference --format json --store "$work/store" --endpoint "$virt" --graph "$g_virt:update" --protocol update
  push_phases "Virtuoso, INSERT DATA"
fi

# Bulk loaders on the same N-Triples.
oxigraph_bin="${KG_OXIGRAPH_BIN:-$services/venv/bin/oxigraph}"
measure "oxigraph load (bulk loader, fresh store, no server)" "$oxigraph_bin" load --location "$work/oxigraph-bulk" --file "$work/data.nt"
vload="$services/virtuoso/bench-$run_id"
mkdir -p "$vload"
cp "$work/data.nt" "$vload/data.nt"
cat >"$work/load.sql" <<SQL
ld_dir ('bench-$run_id', 'data.nt', 'urn:kg:bench:$run_id:bulk');
rdf_loader_run ();
checkpoint;
SQL
measure "Virtuoso ld_dir + rdf_loader_run + checkpoint" \
  sh -c "isql-vt 127.0.0.1:$KG_VIRTUOSO_SQL_PORT dba \"\$(cat '$services/virtuoso/dba.password')\" VERBOSE=OFF BANNER=OFF PROMPT=OFF ECHO=OFF ERRORS=STDOUT <'$work/load.sql' | { ! grep -q '\*\*\* Error'; }"
rm -rf "$vload"

# Paths: local, then remote cold (projection fetched) and warm (cached).
measure "kg path (local store)" "$kg" path "$from" "$to" --no-inference --store "$work/store" --format json
for name in oxigraph virtuoso; do
  # The graphs pushed without staging: they exist at every size.
  if [[ $name == oxigraph ]]; then url="$ox" graph="$g_ox:direct"; else url="$virt" graph="$g_virt:direct"; fi
  measure "kg path --endpoint $name, cold (fetch + cache the projection)" \
    "$kg" path "$from" "$to" --endpoint "$url" --remote-graph "$graph" --cache "$work/cache-$name" --format json
  measure "kg path --endpoint $name, warm (cached projection)" \
    "$kg" path "$from" "$to" --endpoint "$url" --remote-graph "$graph" --cache "$work/cache-$name" --format json
done

# Leave the servers as they were: drop what this run loaded.
curl -sf -o /dev/null -X POST -H 'Content-Type: application/sparql-update' \
  --data-binary "DROP SILENT GRAPH <$g_ox> ; DROP SILENT GRAPH <$g_ox-kg-staging> ; DROP SILENT GRAPH <$g_ox:direct> ; DELETE WHERE { GRAPH <https://kg.example/vocab#pushes> { <$g_ox> ?p ?o } } ; DELETE WHERE { GRAPH <https://kg.example/vocab#pushes> { <$g_ox:direct> ?p ?o } }" "$KG_OXIGRAPH_URL/update" || true
curl -sf -o /dev/null -X POST -H 'Content-Type: application/sparql-update' \
  --data-binary "DROP SILENT GRAPH <$g_virt> ; DROP SILENT GRAPH <$g_virt-kg-staging> ; DROP SILENT GRAPH <$g_virt:direct> ; DROP SILENT GRAPH <$g_virt:update> ; DROP SILENT GRAPH <urn:kg:bench:$run_id:bulk> ; DELETE { GRAPH <https://kg.example/vocab#pushes> { ?g ?p ?o } } WHERE { GRAPH <https://kg.example/vocab#pushes> { ?g ?p ?o FILTER(STRSTARTS(STR(?g), \"urn:kg:bench:$run_id\")) } }" "$virt" || true

{
  echo "kg $profile build, $count triples (generated with --triples $triples), $(nproc) cores, $(date -u +%Y-%m-%d), load average before/after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "Virtuoso's limits in this run: ResultSetMaxRows $(ini_value ResultSetMaxRows), TransactionAfterImageLimit $(ini_value TransactionAfterImageLimit)."
  echo
  echo "| step | wall s | client peak MiB |"
  echo "| --- | ---: | ---: |"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Where the pushes' time went (seconds, from kg push's report):"
  echo
  echo "| push | planning (target checks) | reading the store | writing N-Triples | in requests | swap (MOVE) | count check |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  cat "$work/phases"
  echo
  echo "Server peak resident memory since the servers started (VmHWM): Virtuoso $(server_peak "$KG_VIRTUOSO_PID") MiB, oxigraph serve $(server_peak "$KG_OXIGRAPH_PID") MiB."
} | tee ${out:+"$out"}
