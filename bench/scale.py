#!/usr/bin/env python3
"""Measure how capgraph scales with the number of files.

    bench/scale.py [--sizes 1000,10000,50000] [--lines 100] [--keep DIR]

Generates a synthetic workspace per size with bench/gen_workspace.py (10 files per crate),
benchmarks it with bench/run.py, and prints one row per size: time per file, peak memory and
the ratio to the parse-only baseline. Time per file should stay flat as the size grows.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", help="generate under this directory and keep it")
    args = parser.parse_args()
    base = args.keep or tempfile.mkdtemp(prefix="capgraph-scale-")
    print(f"{'files':>7} {'lines':>9} {'capgraph s':>10} {'us/file':>8} {'peak MiB':>8} {'parse s':>8} {'parse MiB':>9} {'ratio':>6}")
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            out = os.path.join(base, f"ws-{size}")
            if not os.path.exists(out):
                subprocess.run(
                    [sys.executable, os.path.join(HERE, "gen_workspace.py"), out,
                     "--crates", str(max(size // 10, 1)), "--files", str(size), "--lines", str(args.lines)],
                    check=True, stdout=subprocess.DEVNULL,
                )
            r = run.bench([out], args.runs, 0)
            print(f"{r['files']:>7} {r['lines']:>9} {r['full_s']:>10.3f} {r['us_per_file']:>8.0f} "
                  f"{r['full_peak_mib']:>8.0f} {r['parse_s']:>8.3f} {r['parse_peak_mib']:>9.0f} {r['ratio']:>6.2f}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
