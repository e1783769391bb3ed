#!/usr/bin/env python3
"""Benchmark capgraph against the bare cost of reading and parsing the same files.

    bench/run.py DIR [DIR...] [--runs N] [--jobs N]

Builds the release binary and the `parse_only` example, then times, over the same roots,
`capgraph graph DIR... --format json` (the whole pipeline: walk, read, parse, extract, model,
render) and `parse_only DIR...` (walk, read and `syn::parse_file` on all cores, nothing else).
Prints the median wall time and peak memory of each, and the ratio full / parse-only.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build():
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bin", "capgraph", "--example", "parse_only"],
        cwd=ROOT,
        check=True,
    )
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "capgraph"), os.path.join(target, "release", "examples", "parse_only")


def measure(cmd):
    """Wall seconds and peak RSS (MiB) of one run of `cmd`."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        proc = subprocess.Popen(cmd, stdout=devnull, stderr=devnull)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024


def corpus_size(dirs):
    files = lines = size = 0
    for d in dirs:
        for dirpath, dirnames, filenames in os.walk(d):
            dirnames[:] = [n for n in dirnames if n not in (".git", "target")]
            for name in filenames:
                if name.endswith(".rs"):
                    path = os.path.join(dirpath, name)
                    files += 1
                    size += os.path.getsize(path)
                    with open(path, "rb") as f:
                        lines += f.read().count(b"\n")
    return files, lines, size


def bench(dirs, runs, jobs):
    capgraph, parse_only = build()
    files, lines, size = corpus_size(dirs)
    full_cmd = [capgraph, "graph", "--quiet", "--format", "json", *dirs]
    base_cmd = [parse_only, *dirs]
    if jobs:
        full_cmd[2:2] = ["--jobs", str(jobs)]
    # One untimed run of each warms the page cache, so both read from memory.
    measure(full_cmd)
    measure(base_cmd)
    full = [measure(full_cmd) for _ in range(runs)]
    base = [measure(base_cmd) for _ in range(runs)]
    full_wall = statistics.median(w for w, _ in full)
    base_wall = statistics.median(w for w, _ in base)
    result = {
        "files": files,
        "lines": lines,
        "mib": size / 2**20,
        "full_s": full_wall,
        "full_peak_mib": max(m for _, m in full),
        "parse_s": base_wall,
        "parse_peak_mib": max(m for _, m in base),
        "ratio": full_wall / base_wall,
        "us_per_file": full_wall / max(files, 1) * 1e6,
    }
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    r = bench(args.dirs, args.runs, args.jobs)
    print(f"corpus       {r['files']} files, {r['lines']} lines, {r['mib']:.1f} MiB")
    print(f"capgraph     {r['full_s']:.3f} s  peak {r['full_peak_mib']:.0f} MiB  ({r['us_per_file']:.0f} us/file)")
    print(f"parse only   {r['parse_s']:.3f} s  peak {r['parse_peak_mib']:.0f} MiB")
    print(f"ratio        {r['ratio']:.2f}  (full run / read + parse)")


if __name__ == "__main__":
    main()
