#!/usr/bin/env bash
# Load test of `kg serve` on loopback with wrk, side by side with oxigraph's own server on the
# same store content and the same SPARQL query: throughput, latency percentiles and errors at
# increasing concurrency, for a lookup, a path, a SPARQL query, and (overhead of the worker
# pipe) a trivial ASK against /healthz.
#
# Usage: benches/serve.sh [KG_BINARY]     (default: target/debug/kg, else $CARGO_TARGET_DIR)
# Environment: DURATION (per run, default 5s), CONCURRENCY (default "1 2 4 8 16 32"),
#   WORKERS (kg --workers, default 2), QUEUE (kg --queue, default 8), OXIGRAPH (the
#   `oxigraph` program of PyPI's oxigraph==0.5.13, default .venv/bin/oxigraph).
# Needs: wrk (Debian package), python3, oxigraph (pip install oxigraph==0.5.13).
# Every server binds 127.0.0.1 on a free port and is stopped on exit. Numbers from a debug
# build are labelled so: measure a release build for the record.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
kg=${1:-}
if [[ -z $kg ]]; then
    for candidate in "$here/target/debug/kg" "${CARGO_TARGET_DIR:-/nonexistent}/debug/kg"; do
        [[ -x $candidate ]] && kg=$candidate && break
    done
fi
[[ -x ${kg:-} ]] || { echo "serve.sh: no kg binary (cargo build first, or give its path)" >&2; exit 2; }
case $kg in
    */release/*) build=release ;;
    */debug/*) build=debug ;;
    *) build=unknown ;;
esac
oxigraph=${OXIGRAPH:-$here/.venv/bin/oxigraph}
command -v "$oxigraph" >/dev/null || oxigraph=$(command -v oxigraph || true)
command -v wrk >/dev/null || { echo "serve.sh: wrk is missing (apt-get install wrk)" >&2; exit 2; }
duration=${DURATION:-5s}
concurrency=${CONCURRENCY:-1 2 4 8 16 32}
workers=${WORKERS:-2}
queue=${QUEUE:-8}

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

encode() {
    python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"
}

# Waits (bounded) until a URL answers.
wait_for() {
    for _ in $(seq 300); do
        curl -fs -o /dev/null "$1" && return 0
        sleep 0.2
    done
    echo "serve.sh: $1 did not answer" >&2
    exit 1
}

"$kg" build --quiet --store "$work/store"
"$kg" serve --store "$work/store" --bind 127.0.0.1:0 --workers "$workers" --queue "$queue" \
    >"$work/kg.out" 2>"$work/kg.err" &
pids+=($!)
for _ in $(seq 300); do grep -q 'listening on' "$work/kg.out" 2>/dev/null && break; sleep 0.2; done
kg_address=$(sed -n 's#.*listening on http://\([^/]*\)/.*#\1#p' "$work/kg.out")
[[ -n $kg_address ]] || { echo "serve.sh: kg serve did not start: $(cat "$work/kg.err")" >&2; exit 1; }
wait_for "http://$kg_address/healthz"

query='PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX pto: <https://kg.example/peace-talks/ontology#>
SELECT ?person ?label WHERE { ?person a pto:Person ; rdfs:label ?label } ORDER BY ?label'
sparql="/sparql?query=$(encode "$query")"
ask="/sparql?query=$(encode 'ASK {}')"

ox_address=""
if [[ -n $oxigraph ]]; then
    "$kg" export --store "$work/store" --format nquads -o "$work/all.nq"
    "$oxigraph" load --location "$work/ox" --file "$work/all.nq" >/dev/null 2>&1
    port=$(free_port)
    "$oxigraph" serve-read-only --location "$work/ox" --bind "127.0.0.1:$port" \
        >"$work/ox.out" 2>&1 &
    pids+=($!)
    ox_address="127.0.0.1:$port"
    wait_for "http://$ox_address/query?query=$(encode 'ASK {}')"
else
    echo "serve.sh: oxigraph is missing (pip install oxigraph==0.5.13): kg alone" >&2
fi

# One wrk run: prints target, concurrency, req/s, p50, p90, p99, non-2xx, socket errors.
run() {
    local name=$1 url=$2 connections=$3 report
    report=$(wrk -t1 -c"$connections" -d"$duration" --timeout 30s --latency \
        -H 'Accept: application/sparql-results+json' "$url")
    local rps p50 p90 p99 bad errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$report")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$report")
    p90=$(awk '$1 == "90%" {print $2}' <<<"$report")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$report")
    bad=$(awk '/Non-2xx/ {print $NF}' <<<"$report")
    errors=$(awk '/Socket errors/ {print $0}' <<<"$report" | sed 's/.*Socket errors: //')
    printf '%-14s %3s %10s %9s %9s %9s %8s  %s\n' "$name" "$connections" "$rps" "$p50" "$p90" "$p99" \
        "${bad:-0}" "${errors:-none}"
}

echo "# kg serve ($build build of $kg), workers=$workers queue=$queue; oxigraph ${ox_address:+serve-read-only 0.5.13}"
echo "# $(nproc) cores; $duration per run; wrk -t1"
printf '%-14s %3s %10s %9s %9s %9s %8s  %s\n' target conns req/s p50 p90 p99 non-2xx socket-errors
for c in $concurrency; do
    run kg-healthz "http://$kg_address/healthz" "$c"
    run kg-ask "http://$kg_address$ask" "$c"
    run kg-lookup "http://$kg_address/api/lookup?name=Witkoff" "$c"
    run kg-path "http://$kg_address/api/path?from=Kushner&to=Yermak&k=3" "$c"
    run kg-sparql "http://$kg_address$sparql" "$c"
    if [[ -n $ox_address ]]; then
        run ox-ask "http://$ox_address/query?query=$(encode 'ASK {}')" "$c"
        run ox-sparql "http://$ox_address/query?query=$(encode "$query")" "$c"
    fi
done
echo "# kg-ask minus kg-healthz at 1 connection: the worker pipe's cost per query (frames, JSON"
echo "# request line, parse of ASK {}); 503s appear once connections exceed workers+queue."
