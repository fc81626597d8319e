"""Draws docs/images/growth.png: build time and peak memory of `kg build` (and of the peers) at
0.1M, 1M, 10M and 50M triples, from benches/results/{small,1m,10m,50m}[-build].json. Sizes not run yet
are left out; with fewer than two sizes nothing is drawn."""

from __future__ import annotations

import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RESULTS = os.path.join(ROOT, "benches", "results")
OUTPUT = os.path.join(ROOT, "docs", "images", "growth.png")
TOOLS = (("kg build", "o-"), ("pyoxigraph bulk_load", "s--"), ("Morph-KGC", "^:"))


def points() -> dict[str, list[tuple[int, float, float]]]:
    series: dict[str, list[tuple[int, float, float]]] = {}
    for size in ("small", "1m", "10m", "50m"):
        for name in (f"{size}.json", f"{size}-build.json"):
            path = os.path.join(RESULTS, name)
            if not os.path.isfile(path):
                continue
            with open(path, encoding="utf-8") as file:
                summary = json.load(file)
            triples = summary["parameters"]["triples"]
            for tool, _ in TOOLS:
                if tool in summary["tools"]:
                    t = summary["tools"][tool]
                    series.setdefault(tool, []).append(
                        (triples, t["median_seconds"], t["median_peak_rss_bytes"] / 2**20)
                    )
            break
    return series


def main() -> None:
    series = points()
    if len(series.get("kg build", [])) < 2:
        print("plot: fewer than two sizes measured; growth.png left as it is", file=sys.stderr)
        return
    figure, (time_axis, memory_axis) = plt.subplots(1, 2, figsize=(10, 4), dpi=120)
    for tool, style in TOOLS:
        if tool not in series:
            continue
        xs = [p[0] for p in series[tool]]
        time_axis.plot(xs, [p[1] for p in series[tool]], style, label=tool)
        memory_axis.plot(xs, [p[2] for p in series[tool]], style, label=tool)
    kg = series["kg build"]
    first = kg[0]
    linear = [first[1] * x / first[0] for x, _, _ in kg]
    time_axis.plot([p[0] for p in kg], linear, color="grey", linewidth=0.8, label="linear from the smallest")
    for axis, title, unit in ((time_axis, "build time", "seconds"), (memory_axis, "peak memory (RSS)", "MiB")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("triples in the store")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, which="both", linewidth=0.3)
        axis.legend(fontsize=8)
    figure.suptitle("Growth: kg build vs peers (medians)")
    figure.tight_layout()
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    figure.savefig(OUTPUT)
    print(f"plot: wrote {os.path.relpath(OUTPUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
