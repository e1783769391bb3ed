#!/usr/bin/env python3
"""Scores capgraph's run-time graph against hand-made labels (run by hand, not in CI).

Each label file in bench/labels/ names a public system, the commit it was read at, and
what a person found in its code with `path:line` evidence: the services (by binary name),
the other binaries, the HTTP/gRPC calls between them, the topics and the tables. This
script runs `capgraph graph CHECKOUT --level service --format json` (zero-config) on the
checkout named by the label file (or `--checkouts DIR/<system>`), and prints precision and
recall per system and pooled:

- services: capgraph's service nodes against the labelled services and workers;
- calls: (caller, callee, protocol) edges between service nodes, against labelled calls
  whose caller is a service; calls from other binaries are scored apart, against the calls
  capgraph keeps apart in `binaries[].calls`;
- topics and tables: names (tables compared without their schema when the label has none).

    python3 bench/score_runtime.py --capgraph target/release/capgraph bench/labels/*.json
"""

import argparse
import json
import os
import subprocess
import sys


def run_capgraph(binary, checkout):
    out = subprocess.run(
        [binary, "graph", checkout, "--level", "service", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    if out.returncode not in (0, 1):
        sys.exit(f"capgraph failed on {checkout} with exit {out.returncode}")
    return json.loads(out.stdout)


def ratio(a, b):
    return a / b if b else float("nan")


class Score:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.false_pos = []
        self.false_neg = []

    def add(self, found, truth):
        found, truth = set(found), set(truth)
        self.tp += len(found & truth)
        self.fp += len(found - truth)
        self.fn += len(truth - found)
        self.false_pos += sorted(found - truth)
        self.false_neg += sorted(truth - found)

    def merge(self, other):
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def row(self):
        p = ratio(self.tp, self.tp + self.fp)
        r = ratio(self.tp, self.tp + self.fn)
        return f"{self.tp:4d} {self.fp:4d} {self.fn:4d}  p={p:.3f} r={r:.3f}"


def label_names(labels):
    services = {s["id"] for s in labels.get("services", [])}
    others = {b["id"] for b in labels.get("other_binaries", [])}
    return services, others


def service_map(graph, labels):
    """capgraph service name -> label binary id (by binary name)."""
    mapping = {}
    for node in graph["nodes"]:
        if node.get("kind") != "service" or node["id"] == "service:unknown":
            continue
        mapping[node["name"]] = node["name"]
    return mapping


def norm_table(name, keep_schema):
    name = name.strip('"`').lower()
    return name if keep_schema else name.rsplit(".", 1)[-1]


def score(labels, graph, verbose):
    services, others = label_names(labels)
    mapping = service_map(graph, labels)
    found_services = {mapping[n] for n in mapping}
    s_services = Score()
    s_services.add(found_services, services)

    truth_calls = set()
    truth_other_calls = set()
    for call in labels.get("calls", []):
        key = (call["from"], call["to"], call["protocol"])
        if call.get("from_kind", "service") in ("service", "worker") and call["from"] in services:
            truth_calls.add(key)
        else:
            truth_other_calls.add(key)
    found_calls = set()
    for edge in graph["edges"]:
        if edge.get("kind") != "calls":
            continue
        frm = edge["from"].split(":", 1)[1]
        to = edge["to"]
        if not to.startswith("service:") or to == "service:unknown":
            continue
        to = to.split(":", 1)[1]
        found_calls.add((mapping.get(frm, frm), mapping.get(to, to), edge.get("protocol")))
    s_calls = Score()
    s_calls.add(found_calls, truth_calls)
    found_other = set()
    for binary in graph.get("binaries", []):
        for call in binary.get("calls", []):
            if call["to"] != "service:unknown":
                found_other.add((binary["name"], call["to"].split(":", 1)[1], call.get("protocol")))
    s_other = Score()
    s_other.add(found_other, truth_other_calls)
    s_calls_any = Score()
    s_calls_any.add({c[:2] for c in found_calls}, {c[:2] for c in truth_calls})

    truth_topics = {t["name"] for t in labels.get("topics", [])}
    found_topics = {n["name"] for n in graph["nodes"] if n.get("kind") == "topic"}
    s_topics = Score()
    s_topics.add(found_topics, truth_topics)

    label_tables = [t["name"] for t in labels.get("tables", [])]
    keep = any("." in t for t in label_tables)
    truth_tables = {norm_table(t, keep) for t in label_tables}
    found_tables = {
        norm_table(n["name"], keep) for n in graph["nodes"] if n.get("kind") == "table"
    }
    s_tables = Score()
    s_tables.add(found_tables, truth_tables)

    result = {
        "services": s_services,
        "calls": s_calls,
        "calls (any protocol)": s_calls_any,
        "calls of other binaries": s_other,
        "topics": s_topics,
        "tables": s_tables,
    }
    if verbose:
        for name, s in result.items():
            for fp in s.false_pos:
                print(f"    {name} extra: {fp}")
            for fn in s.false_neg:
                print(f"    {name} missed: {fn}")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capgraph", default="target/release/capgraph")
    parser.add_argument("--checkouts", help="directory holding one checkout per system name")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("labels", nargs="+")
    args = parser.parse_args()
    pooled = {}
    print(f"{'system':14} {'measure':22}   TP   FP   FN")
    for path in args.labels:
        with open(path) as f:
            labels = json.load(f)
        checkout = (
            os.path.join(args.checkouts, labels["system"]) if args.checkouts else labels["checkout"]
        )
        graph = run_capgraph(args.capgraph, checkout)
        print(f"{labels['system']}:")
        for name, s in score(labels, graph, args.verbose).items():
            print(f"{'':14} {name:22} {s.row()}")
            pooled.setdefault(name, Score()).merge(s)
    print("pooled:")
    for name, s in pooled.items():
        print(f"{'':14} {name:22} {s.row()}")


if __name__ == "__main__":
    main()
