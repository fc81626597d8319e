#!/usr/bin/env bash
# Inference benchmark: kg's reasoner against the `reasonable` crate (OWL 2 RL, Rust) and owlrl
# (OWL 2 RL on rdflib, Python) on the same generated input — an ontology with class and property
# hierarchies, an equivalence, inverse, symmetric and transitive properties, a property chain,
# domains, ranges and owl:sameAs duplicates (benches/peers/infer_generate.py) — at 0.1M, 1M and
# 10M triples: time and peak memory of each whole process. Then kg's build of the
# `kg generate --triples 1000000` dataset with and without the inference stage (goal: at most
# 1.3× the time without).
#
# Usage: benches/infer.sh [--sizes 0.1m,1m,10m] [--build-size 1m] [--profile release|profiling|dev]
#                         [--timeout SECONDS] [--scratch DIR] [--target-dir DIR] [--json FILE]
#
# Nothing is added to kg's Cargo.toml: two small driver crates are written into the scratch
# folder (default ${TMPDIR:-/tmp}/kg-infer-bench), outside the repository: `kg-infer-driver`
# (links the kg library by path; its target folder is --target-dir, so a folder where kg's
# dependencies are already compiled for --profile saves the RocksDB compile) and
# `reasonable-driver` (reasonable 0.4.4 from crates.io, with its own target folder). owlrl runs in
# a venv of its own there (rdflib 7.1.4, owlrl 7.1.4, psutil for the measurements). A run past
# --timeout (default 1800 s) is ended and reported as "did not finish in N s". Only the timings of
# an optimised profile mean anything; --profile dev checks the script.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

sizes=0.1m,1m,10m
build_size=1m
profile=release
timeout=1800
scratch=${TMPDIR:-/tmp}/kg-infer-bench
target=""
json=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sizes) sizes=${2:?}; shift 2 ;;
    --build-size) build_size=${2:?}; shift 2 ;;
    --profile) profile=${2:?}; shift 2 ;;
    --timeout) timeout=${2:?}; shift 2 ;;
    --scratch) scratch=${2:?}; shift 2 ;;
    --target-dir) target=${2:?}; shift 2 ;;
    --json) json=${2:?}; shift 2 ;;
    *) echo "infer.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$scratch"
scratch=$(cd "$scratch" && pwd)
target=${target:-$scratch/target-kg}

if [[ ! -x /usr/bin/time ]]; then
  echo "infer.sh: installing GNU time (peak memory of each run)" >&2
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null
fi

venv=$scratch/venv
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import owlrl, psutil' 2>/dev/null; then
  echo "infer.sh: making $venv (rdflib, owlrl, psutil)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check rdflib==7.1.4 owlrl==7.1.4 psutil==7.2.2
fi

# The profile flags of kg's own Cargo.toml, so the driver's dependencies build as kg's do.
profiles='
[profile.release]
debug = false
strip = "debuginfo"

[profile.profiling]
inherits = "release"
debug = "line-tables-only"
strip = "none"

[profile.dev.package."*"]
debug = false
'

driver=$scratch/kg-infer-driver
mkdir -p "$driver/src"
cat > "$driver/Cargo.toml" <<TOML
[package]
name = "kg-infer-driver"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
kg = { path = "$repo", default-features = false, features = ["generate"] }
$profiles
TOML
cp "$repo/Cargo.lock" "$driver/Cargo.lock"
cat > "$driver/src/main.rs" <<'RUST'
//! kg-infer-driver generate DIR TRIPLES | infer ONTOLOGY DATA | build STORE ONTOLOGY DATA plain|inference
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use kg::infer::{InferenceOptions, InferenceStage, infer};
use kg::ingest::Inputs;
use kg::pipeline::{BuildOptions, build};
use kg::store::StoreDir;

fn inputs(ontology: &str, data: &str) -> Inputs {
    let mut inputs = Inputs::empty();
    inputs.add_ontology(Path::new(ontology)).expect("the ontology folder");
    inputs.add_data(Path::new(data)).expect("the data folder");
    inputs
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let unlimited = InferenceOptions { max_derived: u64::MAX / 4, ..InferenceOptions::default() };
    match args.get(1).map(String::as_str) {
        Some("generate") => {
            let options = kg::generate::GenerateOptions {
                size: kg::generate::Size::Triples(args[3].parse().expect("a number of triples")),
                ..kg::generate::GenerateOptions::default()
            };
            kg::generate::generate(Path::new(&args[2]), &options, &|_| {}).expect("generated");
        }
        Some("infer") => {
            let started = Instant::now();
            let prepared = kg::ingest::prepare(&inputs(&args[2], &args[3]), true, &|_| {});
            let facts = prepared.facts.expect("valid inputs");
            let read = started.elapsed().as_secs_f64();
            let started = Instant::now();
            let inference = infer(&facts, &unlimited).expect("inference");
            let seconds = started.elapsed().as_secs_f64();
            println!(
                "{{\"read_seconds\": {read:.3}, \"infer_seconds\": {seconds:.3}, \"asserted\": {}, \"inferred\": {}, \"inconsistencies\": {}}}",
                facts.len(),
                inference.len(),
                inference.inconsistency_count()
            );
        }
        Some("build") => {
            let stages: Vec<Arc<dyn kg::pipeline::derive::Stage>> = if args[5] == "inference" {
                vec![Arc::new(InferenceStage::new(unlimited))]
            } else {
                Vec::new()
            };
            let options = BuildOptions { stages, ..BuildOptions::default() };
            let report = build(&inputs(&args[3], &args[4]), &StoreDir::new(&args[2]), &options, &|_| {})
                .expect("the build succeeds");
            println!("{{\"quads\": {}, \"derived\": {}}}", report.quads, report.derived);
        }
        _ => panic!("usage: kg-infer-driver generate DIR TRIPLES | infer ONTOLOGY DATA | build STORE ONTOLOGY DATA plain|inference"),
    }
}
RUST

peer=$scratch/reasonable-driver
mkdir -p "$peer/src"
cat > "$peer/Cargo.toml" <<TOML
[package]
name = "reasonable-driver"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
reasonable = "=0.4.4"
$profiles
TOML
cat > "$peer/src/main.rs" <<'RUST'
//! reasonable-driver FILE.nt: the OWL 2 RL closure of one N-Triples file by `reasonable`.
use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("an N-Triples file");
    // reasonable picks its parser by extension: `.n3` is its N-Triples.
    let n3 = std::env::temp_dir().join(format!("reasonable-input-{}.n3", std::process::id()));
    std::fs::copy(&path, &n3).expect("a copy of the input");
    let started = Instant::now();
    let mut reasoner = reasonable::reasoner::Reasoner::new();
    reasoner.load_file(n3.to_str().expect("a UTF-8 path")).expect("the input parses");
    let read = started.elapsed().as_secs_f64();
    let input = reasoner.get_input().len();
    let started = Instant::now();
    reasoner.reason();
    let seconds = started.elapsed().as_secs_f64();
    let output = reasoner.view_output().len();
    let _ = std::fs::remove_file(&n3);
    println!("{{\"read_seconds\": {read:.3}, \"infer_seconds\": {seconds:.3}, \"input\": {input}, \"output\": {output}}}");
}
RUST

flag=(--profile "$profile")
executable() {
  "$venv/bin/python" -c '
import json, sys
name = sys.argv[1]
found = [m["executable"] for m in map(json.loads, sys.stdin)
         if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["name"] == name]
print(found[-1])' "$1"
}
echo "infer.sh: building kg-infer-driver ($profile) in $target" >&2
kg_driver=$(CARGO_TARGET_DIR=$target cargo build "${flag[@]}" --manifest-path "$driver/Cargo.toml" \
  --message-format=json-render-diagnostics | executable kg-infer-driver)
echo "infer.sh: building reasonable-driver ($profile)" >&2
reasonable_driver=$(CARGO_TARGET_DIR=$scratch/target-reasonable cargo build "${flag[@]}" --manifest-path "$peer/Cargo.toml" \
  --message-format=json-render-diagnostics | executable reasonable-driver)

extra=()
[[ -n $json ]] && extra+=(--json "$json")
"$venv/bin/python" "$repo/benches/peers/infer_bench.py" --driver "$kg_driver" --reasonable "$reasonable_driver" \
  --python "$venv/bin/python" --sizes "$sizes" --build-size "$build_size" --timeout "$timeout" --datasets "$scratch/datasets" \
  --profile "$profile" "${extra[@]+"${extra[@]}"}"
