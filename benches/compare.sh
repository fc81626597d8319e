#!/usr/bin/env bash
# kg against the tools an analyst would otherwise use, on the same generated data, in one run:
# pyoxigraph and Morph-KGC for building, networkx and igraph for paths, pyoxigraph for lookups
# and dumps, networkx for GraphML. Alternates kg and each peer, N repetitions, and writes medians
# and ratios kg / peer (benches/results/<size>.{json,md}, the table in BENCHMARKS.md, the growth
# plot docs/images/growth.png). See BENCHMARKS.md.
#
# Usage: benches/compare.sh [--size small|1m|10m|50m] [--reps N]
#                           [--only build,build-nt,build-plain,path,lookup,graph,graphml,dump]
#                           [--timeout SECONDS] [--datasets DIR] [--no-update] [--profile NAME]
#
# --profile chooses the cargo profile kg is built with (default release, the only one whose
# timings mean anything); CI's smoke run uses dev, the profile its tests already compiled, to
# check the script and the answers without compiling RocksDB a second time.
#
# Installs what is missing: the Debian packages of scripts/setup plus python3-venv and time, the peers in
# benches/.venv (requirements.txt), Morph-KGC in benches/.venv-morph (requirements-morph.txt: it
# pins another pyoxigraph) and matplotlib in benches/.venv-plot (requirements-plot.txt: igraph
# would import it). Datasets are generated once into benches/datasets/.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=release
forwarded=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --profile) profile=${2:?--profile needs a name}; shift 2 ;;
    *) forwarded+=("$1"); shift ;;
  esac
done
set -- "${forwarded[@]+"${forwarded[@]}"}"

scripts/setup
# python3-venv for the peers' venvs, time (GNU time) for each measured process's peak memory.
missing=()
for package in python3-venv time; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "compare: installing Debian packages: ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# A venv is (re)made when its requirements file changed since it was installed.
venv() {
  local dir=$1 requirements=$2
  if ! cmp -s "$requirements" "$dir/installed-requirements.txt"; then
    echo "compare: installing $requirements into $dir" >&2
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$dir/installed-requirements.txt"
  fi
}
venv benches/.venv benches/requirements.txt
venv benches/.venv-morph benches/requirements-morph.txt
venv benches/.venv-plot benches/requirements-plot.txt

# The executable a cargo command built, from its JSON messages.
executable() {
  benches/.venv/bin/python -c '
import json, sys
name = sys.argv[1]
found = [m["executable"] for m in map(json.loads, sys.stdin)
         if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == name]
print(found[-1])' "$1"
}
echo "compare: building kg ($profile)" >&2
kg=$(cargo build --profile "$profile" --locked --bin kg --message-format=json-render-diagnostics | executable kg)
inprocess=$(cargo bench --profile "$profile" --locked --bench inprocess_paths --no-run --message-format=json-render-diagnostics \
  | executable inprocess_paths)

status=0
benches/.venv/bin/python benches/peers/compare.py --kg "$kg" --inprocess "$inprocess" \
  --morph-python benches/.venv-morph/bin/python "$@" || status=$?
benches/.venv-plot/bin/python benches/peers/plot.py
exit $status
