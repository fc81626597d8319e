"""Runs kg and its peers side by side on generated data, alternating, and writes the medians and
ratios kg / peer. Called by benches/compare.sh (which installs the peers and builds kg); see
BENCHMARKS.md for what each comparison measures.

    compare.py --kg KG --inprocess BIN --morph-python PY [--size small|1m|10m] [--reps N]
               [--only build,build-nt,build-plain,path,lookup,graph,graphml,dump]
               [--datasets DIR] [--results DIR]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time

from measure import CommandFailed, CommandTimedOut, Run, measure, median

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHES = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCHES)
PY = sys.executable

GROUPS = ("build", "build-nt", "build-plain", "path", "lookup", "graph", "graphml", "dump")
SIZES = {
    "small": {"triples": 100_000, "nodes": 10_000, "edges": 50_000, "groups": GROUPS},
    "1m": {"triples": 1_000_000, "nodes": 1_000_000, "edges": 5_000_000, "groups": GROUPS},
    "10m": {"triples": 10_000_000, "nodes": 1_000_000, "edges": 5_000_000,
            "groups": ("build", "build-nt", "build-plain")},
    # The end of the growth curve: the build comparison alone, one repetition (each tool takes
    # minutes a run).
    "50m": {"triples": 50_000_000, "nodes": 1_000_000, "edges": 5_000_000, "groups": ("build",)},
}

# (comparison, kg tool, peer tool, target for time, target for memory)
COMPARISONS = [
    ("build", "kg build", "pyoxigraph bulk_load", 1.0, 1.0),
    ("build", "kg build", "Morph-KGC", None, None),
    ("build-nt", "kg build of N-Triples", "pyoxigraph bulk_load", 1.0, None),
    ("build-plain", "kg build without provenance", "Morph-KGC without provenance", 0.5, None),
    ("path", "kg shortest path (in process)", "networkx bidirectional BFS (in process)", 0.5, None),
    # Memory: both processes hold the graph and its names ready to answer (bytes per edge).
    ("path", "kg shortest path (in process)", "igraph get_shortest_path (in process)", None, 1.0),
    ("path", "kg path (end to end)", "igraph load-and-answer script", 0.03, None),
    ("lookup", "kg lookup (end to end)", "pyoxigraph open + SPARQL script", 1.0, None),
    ("graph", "kg neighbors --hops 2 (end to end)", "igraph load-and-neighborhood script", 0.05, None),
    ("graph", "kg lookup on the path graph (end to end)", "igraph load-and-incident script", 0.05, None),
    ("graphml", "kg export GraphML", "networkx write_graphml", 0.1, None),
    ("dump", "kg export N-Triples", "pyoxigraph dump", 1.0, None),
]


def log(message: str) -> None:
    print(f"compare: {message}", file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.size = SIZES[args.size]
        self.work = os.path.abspath(args.datasets)
        os.makedirs(self.work, exist_ok=True)
        self.runs: dict[str, list[dict]] = {}
        self.checks: list[dict] = []
        self.setup: dict[str, float] = {}
        self.errors: list[str] = []
        # One-minute load average before each run: other work on the machine skews timings.
        self.load_averages: list[float] = []
        # Tools (by the name given to `alternate`) that ran past --timeout, with the limit.
        self.timeouts: dict[str, float] = {}
        self.group = ""
        self.groups_run: list[str] = []
        self.group_dates: dict[str, str] = {}
        self.group_loads: dict[str, list[float]] = {}

    # -- running ---------------------------------------------------------------------------

    def record(self, tool: str, run: Run, seconds: float | None = None, **extra) -> None:
        entry = {
            "group": self.group,
            "seconds": run.seconds if seconds is None else seconds,
            "wall_seconds": run.seconds,
            "peak_rss_bytes": run.peak_rss_bytes,
            **extra,
        }
        self.runs.setdefault(tool, []).append(entry)

    def check(self, what: str, kg_value, peer_value, peer: str) -> None:
        ok = kg_value == peer_value
        self.checks.append({"group": self.group, "what": what, "kg": kg_value, "peer": peer,
                            "peer_value": peer_value, "ok": ok})
        if not ok:
            log(f"MISMATCH {what}: kg {kg_value} vs {peer} {peer_value}")

    def measure(self, command: list[str], cwd: str | None = None) -> Run:
        return measure(command, cwd=cwd, timeout=self.args.timeout)

    def kg(self, *args: str) -> Run:
        return self.measure([self.args.kg, *args])

    def py(self, script: str, *args: str, cwd: str | None = None) -> tuple[Run, dict]:
        run = self.measure([PY, os.path.join(HERE, script), *args], cwd=cwd)
        return run, json.loads(run.stdout.strip().splitlines()[-1])

    def alternate(self, tools: list) -> None:
        """Runs each tool `reps` times, alternating, the order reversed every other repetition."""
        for rep in range(self.args.reps):
            order = tools if rep % 2 == 0 else list(reversed(tools))
            for name, action in order:
                if name in self.timeouts:
                    continue
                load = os.getloadavg()[0]
                self.load_averages.append(load)
                self.group_loads.setdefault(self.group, []).append(load)
                log(f"{name} (repetition {rep + 1}/{self.args.reps}, load average {load:.2f})")
                try:
                    action(rep)
                except CommandTimedOut as error:
                    # Not repeated: once is enough to know it is slower than the limit.
                    self.timeouts[name] = error.limit
                    log(f"TIMED OUT {name}: {error}")
                except CommandFailed as error:
                    self.errors.append(f"{self.group}: {name}: {error}")
                    log(f"FAILED {name}: {error}")

    # -- datasets --------------------------------------------------------------------------

    def dataset(self, name: str, *generate_args: str) -> str:
        folder = os.path.join(self.work, name)
        if not os.path.isfile(os.path.join(folder, "generated.json")):
            log(f"generating {name}")
            shutil.rmtree(folder, ignore_errors=True)
            started = time.perf_counter()
            measure([self.args.kg, "generate", "--out", folder, "--quiet", *generate_args])  # no limit
            self.setup[f"kg generate {name}"] = time.perf_counter() - started
        return folder

    def generated(self, folder: str) -> dict:
        with open(os.path.join(folder, "generated.json"), encoding="utf-8") as file:
            return json.load(file)

    def built_store(self, dataset: str, name: str) -> str:
        """A kg store of the dataset, built once (for the groups that only read one)."""
        store = os.path.join(dataset, name)
        current = os.path.join(store, "CURRENT")
        # A store older than the kg binary may be in a format this kg no longer reads.
        if os.path.isfile(current) and os.path.getmtime(current) < os.path.getmtime(self.args.kg):
            log(f"{store} is older than {self.args.kg}: building it again")
            shutil.rmtree(store)
        if not os.path.isfile(current):
            log(f"building {store} (setup, not measured)")
            started = time.perf_counter()
            measure([self.args.kg, "build", "--data", os.path.join(dataset, "data"), "--ontology",
                     os.path.join(dataset, "ontology"), "--store", store, "--quiet",
                     # Like for like: the peers hold the stated triples only.
                     "--no-inference"])
            self.setup[f"kg build {os.path.basename(dataset)}"] = time.perf_counter() - started
        return store

    def oxigraph_store(self, dataset: str) -> str:
        store = os.path.join(dataset, "oxigraph-store")
        if not os.path.isdir(store):
            log(f"loading {store} (setup, not measured)")
            measure([PY, os.path.join(HERE, "oxigraph_peer.py"), "load", store,
                     os.path.join(dataset, "equivalent.nt")])
        return store

    def morph_inputs(self, dataset: str) -> str:
        """Morph-KGC 2.10 names its own internal columns `subject`, `predicate` and `object`, so a
        CSV reference to a column of those names comes out empty: it reads copies of the relation
        tables whose header says `s,p,o` (the rows are the same bytes)."""
        config = os.path.join(dataset, "morph.ini")
        if os.path.isfile(config):
            return config
        data, morph = os.path.join(dataset, "data"), os.path.join(dataset, "morph")
        os.makedirs(morph, exist_ok=True)
        for name in sorted(os.listdir(data)):
            if not name.endswith(".csv"):
                continue
            with open(os.path.join(data, name), "rb") as source, open(os.path.join(morph, name), "wb") as target:
                header = source.readline()
                target.write(re.sub(rb"^subject,predicate,object", b"s,p,o", header))
                shutil.copyfileobj(source, target, 1 << 20)
        with open(os.path.join(dataset, "rml.ttl"), encoding="utf-8") as file:
            mapping = file.read()
        mapping = mapping.replace('"data/', '"morph/').replace("{subject}", "{s}").replace("{object}", "{o}")
        with open(os.path.join(dataset, "rml-morph.ttl"), "w", encoding="utf-8") as file:
            file.write(mapping)
        with open(config, "w", encoding="utf-8") as file:
            file.write("[CONFIGURATION]\noutput_file=morph.nt\noutput_format=N-TRIPLES\n\n"
                       "[bench]\nmappings=rml-morph.ttl\n")
        return config

    def run_morph(self, dataset: str, tool: str) -> int:
        """One measured Morph-KGC run over the dataset's tables; the distinct lines it wrote."""
        output = os.path.join(dataset, "morph.nt")
        if os.path.exists(output):
            os.remove(output)
        run = self.measure([self.args.morph_python, "-m", "morph_kgc", "morph.ini"], cwd=dataset)
        self.record(tool, run)
        with open(output, "rb") as file:
            return len({hash(line) for line in file})

    # -- groups ----------------------------------------------------------------------------

    def kg_build_tables(self, dataset: str, kg_store: str) -> tuple[Run, dict]:
        """`kg build` of a generated dataset's tables into a fresh store (no inference, as the
        peers do none), with its JSON report."""
        shutil.rmtree(kg_store, ignore_errors=True)
        run = self.kg("build", "--data", os.path.join(dataset, "data"), "--ontology",
                      os.path.join(dataset, "ontology"), "--store", kg_store, "--quiet",
                      "--no-inference", "--format", "json")
        return run, json.loads(run.stdout)

    def build(self) -> None:
        triples = self.size["triples"]
        dataset = self.dataset(f"triples-{triples}", "--triples", str(triples))
        generated = self.generated(dataset)
        self.morph_inputs(dataset)
        kg_store = os.path.join(dataset, "kg-store")
        ox_store = os.path.join(dataset, "oxigraph-store")
        equivalent = os.path.join(dataset, "equivalent.nt")

        def kg_build(rep: int) -> None:
            run, report = self.kg_build_tables(dataset, kg_store)
            self.record("kg build", run, quads=report["quads"], facts=report["summary"]["facts"])
            if rep == 0:
                self.check("stored triples = lines of equivalent.nt", report["quads"], generated["triples"], "generator")

        def oxigraph_load(rep: int) -> None:
            shutil.rmtree(ox_store, ignore_errors=True)
            run, out = self.py("oxigraph_peer.py", "load", ox_store, equivalent)
            self.record("pyoxigraph bulk_load", run, triples=out["triples"])
            if rep == 0:
                self.check("triples in the store", generated["triples"], out["triples"], "pyoxigraph")

        def morph(rep: int) -> None:
            distinct = self.run_morph(dataset, "Morph-KGC")
            if rep == 0:
                self.check("plain facts (no reification)", generated["facts"], distinct, "Morph-KGC")

        self.alternate([("kg build", kg_build), ("pyoxigraph bulk_load", oxigraph_load), ("Morph-KGC", morph)])

    def build_nt(self) -> None:
        """kg building from an RDF file instead of tables: the generated dataset's N-Triples
        (with the ontology), against pyoxigraph loading the same file."""
        triples = self.size["triples"]
        dataset = self.dataset(f"triples-{triples}", "--triples", str(triples))
        generated = self.generated(dataset)
        rdf_data = os.path.join(dataset, "nt-data")
        os.makedirs(rdf_data, exist_ok=True)
        equivalent = os.path.join(dataset, "equivalent.nt")
        linked = os.path.join(rdf_data, "equivalent.nt")
        if not os.path.exists(linked):
            os.link(equivalent, linked)
        kg_store = os.path.join(dataset, "kg-nt-store")
        ox_store = os.path.join(dataset, "oxigraph-nt-store")
        counts: dict[str, int] = {}

        def kg_build(rep: int) -> None:
            shutil.rmtree(kg_store, ignore_errors=True)
            run = self.kg("build", "--data", rdf_data, "--ontology", os.path.join(dataset, "ontology"),
                          "--store", kg_store, "--quiet", "--no-inference", "--format", "json")
            self.record("kg build of N-Triples", run)
            counts["kg"] = json.loads(run.stdout)["quads"]

        def oxigraph_load(rep: int) -> None:
            shutil.rmtree(ox_store, ignore_errors=True)
            run, out = self.py("oxigraph_peer.py", "load", ox_store, equivalent)
            self.record("pyoxigraph bulk_load", run, triples=out["triples"])
            counts["pyoxigraph"] = out["triples"]

        self.alternate([("kg build of N-Triples", kg_build), ("pyoxigraph bulk_load", oxigraph_load)])
        if len(counts) == 2:
            self.check("stored triples of the N-Triples input", counts["kg"], counts["pyoxigraph"], "pyoxigraph")
        self.check("lines of equivalent.nt", generated["triples"], counts.get("pyoxigraph"), "pyoxigraph")

    def build_plain(self) -> None:
        """Like for like with Morph-KGC: tables without provenance columns, so kg writes the plain
        facts (plus labels and the ontology) as Morph-KGC does."""
        triples = self.size["triples"]
        dataset = self.dataset(f"plain-{triples}", "--triples", str(triples), "--no-provenance")
        generated = self.generated(dataset)
        self.morph_inputs(dataset)
        kg_store = os.path.join(dataset, "kg-store")
        found: dict[str, int] = {}

        def kg_build(rep: int) -> None:
            run, report = self.kg_build_tables(dataset, kg_store)
            self.record("kg build without provenance", run, quads=report["quads"])
            found["kg"] = report["summary"]["facts"]

        def morph(rep: int) -> None:
            distinct = self.run_morph(dataset, "Morph-KGC without provenance")
            if rep == 0:
                found["morph"] = distinct

        self.alternate([("kg build without provenance", kg_build), ("Morph-KGC without provenance", morph)])
        if "kg" in found:
            self.check("facts of the tables", found["kg"], generated["facts"], "generator")
        if "morph" in found:
            self.check("plain facts written", generated["facts"], found["morph"], "Morph-KGC")

    def path_graph(self, prepare: bool = True) -> tuple[str, str, str]:
        """The generated graph the path, neighbourhood, lookup and GraphML groups share: its
        folder, its kg store, and (unless `prepare` is false) the peers' edge list prepared from
        it (setup, not measured)."""
        nodes, edges = self.size["nodes"], self.size["edges"]
        dataset = self.dataset(f"graph-{nodes}-{edges}", "--nodes", str(nodes), "--edges", str(edges),
                               "--no-provenance")
        store = self.built_store(dataset, "kg-store")
        prepared = os.path.join(dataset, "peers")
        if prepare and not os.path.isfile(os.path.join(prepared, "edges.txt")):
            log("writing the peers' edge list (setup, not measured)")
            measure([PY, os.path.join(HERE, "graph_peer.py"), "prepare", dataset, prepared])
        return dataset, store, prepared

    def path(self) -> None:
        dataset, store, prepared = self.path_graph()
        pairs_file = os.path.join(dataset, "pairs.csv")
        with open(pairs_file, encoding="utf-8") as file:
            pairs = [line.strip().split(",") for line in file.readlines()[1:] if line.strip()]
        lengths: dict[str, list] = {}

        def kg_inprocess(rep: int) -> None:
            run = self.measure([self.args.inprocess, "--store", store, "--pairs", pairs_file])
            out = json.loads(run.stdout)
            self.record("kg shortest path (in process)", run, seconds=out["mean_seconds"],
                        load_seconds=out["load_seconds"])
            lengths["kg"] = out["lengths"]

        def peer_inprocess(library: str, tool: str):
            def action(rep: int) -> None:
                run, out = self.py("graph_peer.py", "paths", library, prepared, pairs_file)
                self.record(tool, run, seconds=out["mean_seconds"], load_seconds=out["load_seconds"])
                lengths[library] = out["lengths"]
            return action

        self.alternate([
            ("kg shortest path (in process)", kg_inprocess),
            ("networkx bidirectional BFS (in process)",
             peer_inprocess("networkx", "networkx bidirectional BFS (in process)")),
            ("igraph get_shortest_path (in process)",
             peer_inprocess("igraph", "igraph get_shortest_path (in process)")),
        ])
        for library in ("networkx", "igraph"):
            if "kg" in lengths and library in lengths:
                self.check(f"path lengths of the {len(pairs)} pairs", lengths["kg"], lengths[library], library)

        end_to_end: dict[str, dict] = {}

        def kg_path(rep: int) -> None:
            source, target = pairs[rep % len(pairs)]
            run = self.kg("path", source, target, "--store", store, "--max-hops", "20", "--format", "json")
            found = json.loads(run.stdout)
            self.record("kg path (end to end)", run)
            end_to_end.setdefault(f"{source} to {target}", {})["kg"] = found["paths"][0]["length"]

        def igraph_path(rep: int) -> None:
            source, target = pairs[rep % len(pairs)]
            run, out = self.py("graph_peer.py", "igraph-path", prepared, source, target)
            self.record("igraph load-and-answer script", run)
            end_to_end.setdefault(f"{source} to {target}", {})["igraph"] = out["length"]

        self.alternate([("kg path (end to end)", kg_path), ("igraph load-and-answer script", igraph_path)])
        for pair, found in end_to_end.items():
            if len(found) == 2:
                self.check(f"end-to-end path length {pair}", found["kg"], found["igraph"], "igraph")

    def lookup(self) -> None:
        triples = self.size["triples"]
        dataset = self.dataset(f"triples-{triples}", "--triples", str(triples))
        kg_store = self.built_store(dataset, "kg-store")
        ox_store = self.oxigraph_store(dataset)
        with open(os.path.join(dataset, "pairs.csv"), encoding="utf-8") as file:
            entity = file.readlines()[1].split(",")[0]
        iri = "https://kg.example/bench/id/" + entity
        found: dict[str, int] = {}

        def kg_lookup(rep: int) -> None:
            run = self.kg("lookup", entity, "--store", kg_store, "--format", "json")
            self.record("kg lookup (end to end)", run)
            found["kg"] = len(json.loads(run.stdout)["relations"])

        def oxigraph_lookup(rep: int) -> None:
            run, out = self.py("oxigraph_peer.py", "lookup", ox_store, iri)
            self.record("pyoxigraph open + SPARQL script", run, rows=out["rows"])
            found["pyoxigraph"] = out["relations"]

        self.alternate([("kg lookup (end to end)", kg_lookup),
                        ("pyoxigraph open + SPARQL script", oxigraph_lookup)])
        if len(found) == 2:
            self.check(f"relations of {entity}", found["kg"], found["pyoxigraph"], "pyoxigraph")

    def graph(self) -> None:
        """The other questions of one entity on the path graph, end to end against a script
        that loads the graph into igraph first, as `path` does."""
        dataset, store, prepared = self.path_graph()
        with open(os.path.join(dataset, "pairs.csv"), encoding="utf-8") as file:
            names = [line.split(",")[0] for line in file.readlines()[1:] if line.strip()]
        found: dict[str, dict] = {}

        def kg_neighbors(rep: int) -> None:
            name = names[rep % len(names)]
            run = self.kg("neighbors", name, "--hops", "2", "--max-nodes", "100000", "--store", store,
                          "--format", "json")
            self.record("kg neighbors --hops 2 (end to end)", run)
            found.setdefault(f"2-hop nodes of {name}", {})["kg"] = len(json.loads(run.stdout)["nodes"])

        def igraph_neighbors(rep: int) -> None:
            name = names[rep % len(names)]
            run, out = self.py("graph_peer.py", "igraph-neighbors", prepared, name, "2")
            self.record("igraph load-and-neighborhood script", run)
            found.setdefault(f"2-hop nodes of {name}", {})["igraph"] = out["nodes"]

        def kg_lookup(rep: int) -> None:
            name = names[rep % len(names)]
            run = self.kg("lookup", name, "--store", store, "--format", "json")
            self.record("kg lookup on the path graph (end to end)", run)
            found.setdefault(f"relations of {name}", {})["kg"] = len(json.loads(run.stdout)["relations"])

        def igraph_lookup(rep: int) -> None:
            name = names[rep % len(names)]
            run, out = self.py("graph_peer.py", "igraph-lookup", prepared, name)
            self.record("igraph load-and-incident script", run)
            found.setdefault(f"relations of {name}", {})["igraph"] = out["relations"]

        self.alternate([("kg neighbors --hops 2 (end to end)", kg_neighbors),
                        ("igraph load-and-neighborhood script", igraph_neighbors),
                        ("kg lookup on the path graph (end to end)", kg_lookup),
                        ("igraph load-and-incident script", igraph_lookup)])
        for what, values in found.items():
            if len(values) == 2:
                self.check(what, values["kg"], values["igraph"], "igraph")

    def graphml(self) -> None:
        graph, graph_store, _ = self.path_graph(prepare=False)
        counts: dict[str, list[int]] = {}
        kg_graphml, nx_graphml = os.path.join(graph, "kg.graphml"), os.path.join(graph, "networkx.graphml")

        def kg_export_graphml(rep: int) -> None:
            run = self.kg("export", "-o", kg_graphml, "--store", graph_store, "--quiet")
            self.record("kg export GraphML", run)
            counts["kg"] = graphml_counts(kg_graphml)

        def networkx_graphml(rep: int) -> None:
            run, out = self.py("graph_peer.py", "graphml", graph, nx_graphml)
            self.record("networkx write_graphml", run, seconds=out["write_seconds"], load_seconds=out["load_seconds"])
            counts["networkx"] = [out["nodes"], out["edges"]]

        self.alternate([("kg export GraphML", kg_export_graphml), ("networkx write_graphml", networkx_graphml)])
        if len(counts) == 2:
            self.check("GraphML nodes and edges", counts["kg"], counts["networkx"], "networkx")

    def dump(self) -> None:
        triples = self.size["triples"]
        dataset = self.dataset(f"triples-{triples}", "--triples", str(triples))
        kg_store = self.built_store(dataset, "kg-store")
        ox_store = self.oxigraph_store(dataset)
        counts: dict[str, int] = {}
        kg_nt, ox_nt = os.path.join(dataset, "kg-dump.nt"), os.path.join(dataset, "oxigraph-dump.nt")

        def kg_export_nt(rep: int) -> None:
            run = self.kg("export", "-o", kg_nt, "--store", kg_store, "--quiet")
            self.record("kg export N-Triples", run)
            counts["kg"] = line_count(kg_nt)

        def oxigraph_dump(rep: int) -> None:
            run, _ = self.py("oxigraph_peer.py", "dump", ox_store, ox_nt)
            self.record("pyoxigraph dump", run)
            counts["pyoxigraph"] = line_count(ox_nt)

        self.alternate([("kg export N-Triples", kg_export_nt), ("pyoxigraph dump", oxigraph_dump)])
        if len(counts) == 2:
            self.check("N-Triples lines", counts["kg"], counts["pyoxigraph"], "pyoxigraph")

    # -- results ---------------------------------------------------------------------------

    def summary(self, previous: dict | None = None) -> dict:
        """The results; with `previous` (an earlier run of the same size), the groups not run
        this time are kept from it."""
        tools = {}
        for tool, runs in self.runs.items():
            tools[tool] = {
                "median_seconds": median([r["seconds"] for r in runs]),
                "median_peak_rss_bytes": median([r["peak_rss_bytes"] for r in runs]),
                "runs": runs,
            }
        for tool, limit in self.timeouts.items():
            tools.setdefault(tool, {"median_seconds": float("nan"), "median_peak_rss_bytes": float("nan"),
                                    "runs": []})["timed_out_after_seconds"] = limit
        loads = self.group_loads
        group_info = {
            group: {"date": date, "load_average_median": median(loads.get(group, [])),
                    "load_average_max": max(loads.get(group, []), default=float("nan")), "reps": self.args.reps}
            for group, date in self.group_dates.items()
        }
        checks, errors, kept = list(self.checks), list(self.errors), []
        if previous:
            groups_run = set(self.groups_run)
            for tool, entry in previous["tools"].items():
                tool_groups = {r.get("group") for r in entry["runs"]}
                if tool not in tools and not tool_groups & groups_run:
                    tools[tool] = entry
            checks = [c for c in previous["checks"] if c.get("group") not in groups_run] + checks
            errors = [e for e in previous["errors"] if e.split(":", 1)[0] not in groups_run] + errors
            kept = [g for g in previous.get("groups", []) if g not in groups_run]
            for group in kept:
                if group in previous.get("group_info", {}):
                    group_info[group] = previous["group_info"][group]
                else:
                    group_info[group] = {"date": previous["date"], "reps": previous["reps"],
                                         **{f"load_average_{k}": v
                                            for k, v in previous["load_average_before_runs"].items()}}
        comparisons = []
        for group, kg_tool, peer_tool, time_target, memory_target in COMPARISONS:
            if kg_tool not in tools or peer_tool not in tools:
                continue
            kg, peer = tools[kg_tool], tools[peer_tool]
            if "timed_out_after_seconds" in kg or "timed_out_after_seconds" in peer:
                comparisons.append({
                    "group": group, "kg": kg_tool, "peer": peer_tool,
                    "kg_seconds": kg["median_seconds"], "peer_seconds": peer["median_seconds"],
                    "kg_timed_out_after_seconds": kg.get("timed_out_after_seconds"),
                    "peer_timed_out_after_seconds": peer.get("timed_out_after_seconds"),
                    "time_target": time_target, "memory_target": memory_target,
                })
                continue
            time_ratio = kg["median_seconds"] / peer["median_seconds"]
            memory_ratio = kg["median_peak_rss_bytes"] / peer["median_peak_rss_bytes"]
            comparisons.append({
                "group": group,
                "kg": kg_tool,
                "peer": peer_tool,
                "kg_seconds": kg["median_seconds"],
                "peer_seconds": peer["median_seconds"],
                "time_ratio": time_ratio,
                "time_target": time_target,
                "time_met": None if time_target is None else time_ratio <= time_target,
                "kg_peak_rss_bytes": kg["median_peak_rss_bytes"],
                "peer_peak_rss_bytes": peer["median_peak_rss_bytes"],
                "memory_ratio": memory_ratio,
                "memory_target": memory_target,
                "memory_met": None if memory_target is None else memory_ratio <= memory_target,
            })
        return {
            "size": self.args.size,
            "parameters": {k: v for k, v in self.size.items() if k != "groups"},
            "reps": self.args.reps,
            "date": now(),
            "machine": machine(),
            "versions": versions(self.args),
            "comparisons": comparisons,
            "groups": kept + self.groups_run,
            "group_info": group_info,
            "checks": checks,
            "setup_seconds": self.setup,
            "load_average_before_runs": {
                "median": median(self.load_averages),
                "max": max(self.load_averages, default=float("nan")),
            },
            "errors": errors,
            "tools": tools,
        }


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def graphml_counts(path: str) -> list[int]:
    nodes = edges = 0
    tail = b""
    with open(path, "rb") as file:
        while chunk := file.read(1 << 22):
            # The tail (shorter than a tag) carries a tag cut at the chunk boundary over.
            data = tail + chunk
            nodes += data.count(b"<node ")
            edges += data.count(b"<edge ")
            tail = data[-5:]
    return [nodes, edges]


def line_count(path: str) -> int:
    count = 0
    with open(path, "rb") as file:
        while chunk := file.read(1 << 22):
            count += chunk.count(b"\n")
    return count


def command_output(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine() -> dict:
    lscpu = command_output(["lscpu"])
    field = lambda name: next((l.split(":", 1)[1].strip() for l in lscpu.splitlines() if l.startswith(name + ":")), "")
    memory = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal:")), "0")
    disk = command_output(["df", "-h", "--output=source,fstype,size,avail", "."]).splitlines()[-1:]
    return {
        "cpu": field("Model name"),
        "cores": os.cpu_count(),
        "threads_per_core": field("Thread(s) per core"),
        "hypervisor": field("Hypervisor vendor"),
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "disk": disk[0] if disk else "",
        "os": platform.platform(),
    }


def versions(args: argparse.Namespace) -> dict:
    import igraph
    import networkx
    import pyoxigraph

    morph = command_output([args.morph_python, "-c", "import importlib.metadata as m; print(m.version('morph-kgc'))"])
    return {
        "kg": command_output([args.kg, "--version"]),
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "networkx": networkx.__version__,
        "igraph": igraph.__version__,
        "morph-kgc": morph,
    }


def seconds(value: float) -> str:
    if value != value:
        return "–"
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    if value < 1:
        return f"{value * 1e3:.1f} ms"
    return f"{value:.2f} s"


def mib(value: float) -> str:
    return f"{value / 1024 / 1024:,.0f} MiB"


def verdict(ratio: float, target: float | None) -> str:
    if target is None:
        return "(no target)"
    if ratio != ratio:
        return f"≤ {target:g}: not measured"
    if ratio <= target:
        return f"≤ {target:g}: met"
    over = ratio / target
    return f"≤ {target:g}: **missed** ({over:.1f}× the target)" if over >= 1.95 else \
        f"≤ {target:g}: **missed** (+{(over - 1) * 100:.0f}%)"


def markdown(summary: dict) -> str:
    p = summary["parameters"]
    lines = [
        f"Size `{summary['size']}`: {p['triples']:,} triples; path graph {p['nodes']:,} nodes, "
        f"{p['edges']:,} edges. Medians of the repetitions; the one-minute load average before "
        f"each run says how busy the {summary['machine']['cores']}-core machine was otherwise.",
        "",
    ]
    for group in summary.get("groups", []):
        info = summary.get("group_info", {}).get(group)
        if info:
            reps = f"{info['reps']} repetition{'' if info['reps'] == 1 else 's'}"
            lines.append(f"- {group}: {info['date']}, {reps}, load average "
                         f"median {info['load_average_median']:.2f}, max {info['load_average_max']:.2f}")
    lines += [
        "",
        "| comparison | kg | peer | kg / peer | target | kg peak RSS | peer peak RSS | RSS kg / peer |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for c in summary["comparisons"]:
        if "time_ratio" not in c:
            limit = lambda side: (f"> {c[side + '_timed_out_after_seconds']:g} s (ended)"
                                  if c.get(side + "_timed_out_after_seconds") else seconds(c[side + "_seconds"]))
            lines.append(f"| {c['kg']} vs {c['peer']} | {limit('kg')} | {limit('peer')} | – | "
                         f"{verdict(float('nan'), c['time_target'])} | – | – | – |")
            continue
        memory = f"{c['memory_ratio']:.2f}"
        if c["memory_target"] is not None:
            memory += f" ({verdict(c['memory_ratio'], c['memory_target'])})"
        lines.append(
            f"| {c['kg']} vs {c['peer']} | {seconds(c['kg_seconds'])} | {seconds(c['peer_seconds'])} | "
            f"{c['time_ratio']:.3f} | {verdict(c['time_ratio'], c['time_target'])} | "
            f"{mib(c['kg_peak_rss_bytes'])} | {mib(c['peer_peak_rss_bytes'])} | {memory} |"
        )
    failed = [c for c in summary["checks"] if not c["ok"]]
    lines += ["", f"Correctness: {len(summary['checks']) - len(failed)} of {len(summary['checks'])} checks agree."]
    for c in summary["checks"]:
        if c["ok"] and isinstance(c["kg"], int):
            lines.append(f"- {c['what']}: kg {c['kg']:,} = {c['peer']} {c['peer_value']:,}")
        elif c["ok"]:
            lines.append(f"- {c['what']}: kg and {c['peer']} agree")
        else:
            lines.append(f"- **{c['what']}: kg {c['kg']} ≠ {c['peer']} {c['peer_value']}**")
    for error in summary["errors"]:
        lines.append(f"- **failed**: {error.splitlines()[0]}")
    return "\n".join(lines) + "\n"


def update_benchmarks_md(size: str, table: str) -> None:
    """Replaces the text between `<!-- results:SIZE -->` and `<!-- /results:SIZE -->`."""
    path = os.path.join(ROOT, "BENCHMARKS.md")
    if not os.path.isfile(path):
        return
    with open(path, encoding="utf-8") as file:
        text = file.read()
    start, end = f"<!-- results:{size} -->", f"<!-- /results:{size} -->"
    if start not in text or end not in text:
        return
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    with open(path, "w", encoding="utf-8") as file:
        file.write(f"{before}{start}\n{table}{end}{after}")
    log(f"updated the {size} table of BENCHMARKS.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kg", required=True)
    parser.add_argument("--inprocess", required=True)
    parser.add_argument("--morph-python", required=True)
    parser.add_argument("--size", choices=SIZES, default="small")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--only", default="")
    parser.add_argument("--datasets", default=os.path.join(BENCHES, "datasets"))
    parser.add_argument("--results", default=os.path.join(BENCHES, "results"))
    parser.add_argument("--no-update", action="store_true", help="leave BENCHMARKS.md alone")
    parser.add_argument("--report-only", action="store_true",
                        help="run nothing: rewrite the Markdown of results/SIZE.json")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds a measured command may run; one that does not finish is ended, "
                             "reported as slower than this, and not repeated")
    args = parser.parse_args()
    args.kg, args.inprocess, args.morph_python = (
        os.path.abspath(p) for p in (args.kg, args.inprocess, args.morph_python)
    )

    if args.report_only:
        path = os.path.join(args.results, f"{args.size}.json")
        with open(path, encoding="utf-8") as file:
            table = markdown(json.load(file))
        with open(os.path.join(args.results, f"{args.size}.md"), "w", encoding="utf-8") as file:
            file.write(table)
        print(table)
        if not args.no_update:
            update_benchmarks_md(args.size, table)
        return

    bench = Bench(args)
    groups = [g for g in args.only.split(",") if g] or list(bench.size["groups"])
    for group in groups:
        if group not in GROUPS:
            raise SystemExit(f"compare: unknown group {group!r} (choose from {', '.join(GROUPS)})")
    os.makedirs(args.results, exist_ok=True)
    name = args.size

    path = os.path.join(args.results, f"{args.size}.json")
    previous = None
    if args.only and os.path.isfile(path):
        with open(path, encoding="utf-8") as file:
            previous = json.load(file)

    def save() -> tuple[dict, str]:
        summary = bench.summary(previous)
        with open(os.path.join(args.results, f"{name}.json"), "w", encoding="utf-8") as file:
            json.dump(summary, file, indent=1)
            file.write("\n")
        table = markdown(summary)
        with open(os.path.join(args.results, f"{name}.md"), "w", encoding="utf-8") as file:
            file.write(table)
        return summary, table

    for group in groups:
        log(f"== {group}")
        bench.group = group
        bench.groups_run.append(group)
        bench.group_dates[group] = now()
        getattr(bench, group.replace("-", "_"))()
        save()  # what is measured so far survives an interrupted run
    summary, table = save()
    print(table)
    if not args.no_update:
        update_benchmarks_md(args.size, table)
    failed = [c for c in summary["checks"] if not c["ok"]]
    if failed or summary["errors"]:
        raise SystemExit(f"compare: {len(failed)} correctness check(s) failed, {len(summary['errors'])} run(s) failed")


if __name__ == "__main__":
    main()
