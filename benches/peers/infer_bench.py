"""Runs the inference benchmark of benches/infer.sh: kg's reasoner (the `kg-infer-driver` the
script builds), the `reasonable` crate and owlrl on the same generated input at each size, then
kg's build with and without inference on the `kg generate` dataset. Prints a Markdown table and
writes the numbers as JSON (--json FILE). A peer past --timeout is ended and reported as "did not
finish in N s"."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import CommandFailed, CommandTimedOut, measure  # noqa: E402

SIZES = {"0.1m": 100_000, "1m": 1_000_000, "10m": 10_000_000}
HERE = Path(__file__).resolve().parent


def run(command: list[str], timeout: float) -> dict:
    try:
        result = measure(command, timeout=timeout)
    except CommandTimedOut:
        return {"status": f"did not finish in {timeout:g} s"}
    except CommandFailed as error:
        return {"status": "failed", "error": str(error)[-500:]}
    out = {"status": "ok", "seconds": round(result.seconds, 3), "peak_rss_mb": round(result.peak_rss_bytes / 2**20)}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            out.update(json.loads(line))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--driver", required=True, help="the kg-infer-driver binary")
    parser.add_argument("--reasonable", required=True, help="the reasonable-driver binary")
    parser.add_argument("--python", required=True, help="a Python with rdflib and owlrl")
    parser.add_argument("--sizes", default="0.1m,1m,10m")
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--datasets", type=Path, required=True)
    parser.add_argument("--build-size", default="1m", help="size of the build with/without inference")
    parser.add_argument("--profile", default="release")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    rows = []
    for size in args.sizes.split(","):
        triples = SIZES[size]
        data = args.datasets / f"infer-{size}"
        if not (data / "generated.json").exists():
            measure([args.python, str(HERE / "infer_generate.py"), "--triples", str(triples), "--out", str(data)])
        row = {"size": size, "input_triples": json.loads((data / "generated.json").read_text())["triples"]}
        row["kg"] = run([args.driver, "infer", str(data / "ontology"), str(data / "data")], args.timeout)
        row["reasonable"] = run([args.reasonable, str(data / "all.nt")], args.timeout)
        with tempfile.TemporaryDirectory() as scratch:
            closure = str(Path(scratch) / "closure.nt")
            row["owlrl"] = run(
                [args.python, str(HERE.parent.parent / "tests/data/infer/peers/owlrl_closure.py"), str(data / "all.nt"), closure],
                args.timeout,
            )
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)

    build = {}
    dataset = args.datasets / f"generate-{args.build_size}"
    if not (dataset / "generated.json").exists():
        measure([args.driver, "generate", str(dataset), str(SIZES[args.build_size])])
    for mode in ("plain", "inference"):
        with tempfile.TemporaryDirectory() as store:
            build[mode] = run([args.driver, "build", store, str(dataset / "ontology"), str(dataset / "data"), mode], args.timeout)
    results = {"profile": args.profile, "inference": rows, "build": build}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))

    def cell(result: dict, key: str = "seconds") -> str:
        if result.get("status") != "ok":
            return result.get("status", "?")
        return f"{result[key]:.2f} s / {result['peak_rss_mb']} MB" if key == "seconds" else str(result[key])

    print(f"inference ({args.profile} profile): time / peak memory of the whole process (reading included)\n")
    print("| input triples | kg | kg inference alone | kg inferred | reasonable | owlrl |")
    print("| --- | --- | --- | --- | --- | --- |")
    for row in rows:
        kg = row["kg"]
        alone = f"{kg['infer_seconds']:.2f} s" if kg.get("status") == "ok" else "-"
        inferred = str(kg.get("inferred", "-"))
        print(f"| {row['input_triples']:,} | {cell(kg)} | {alone} | {inferred} | {cell(row['reasonable'])} | {cell(row['owlrl'])} |")
    plain, inferred = build["plain"], build["inference"]
    print(f"\nkg build of `kg generate --triples {SIZES[args.build_size]:,}`: without inference {cell(plain)}, with {cell(inferred)}", end="")
    if plain.get("status") == "ok" and inferred.get("status") == "ok":
        print(f", ratio {inferred['seconds'] / plain['seconds']:.2f}× (goal ≤ 1.3×)")
    else:
        print()


if __name__ == "__main__":
    main()
