#!/usr/bin/env python3
"""The hostile corpus: small crafted repositories, generated here (nothing large is
committed), each run through the release binary with its time and peak memory bounded.

Every case is one attack from "Running on untrusted code" in the README. A case passes when
capgraph ends within the time bound, under the memory bound, with the exit code it names, and
its output says what it should (a finding naming the file, or a clear error); no case may
print the marker planted outside the scanned roots.

    python3 tests/hostile/run.py [--binary target/release/capgraph] [--only NAME...]
"""

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time

MARKER = "CAPGRAPH-HOSTILE-MARKER-8d1f"
TIME_LIMIT_S = 10.0
MEMORY_LIMIT_MB = 1024

MANIFEST = '[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n'


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


def crate(root, name, lib_rs="pub fn f() {}\n", deps=""):
    write(f"{root}/{name}/Cargo.toml", MANIFEST.format(name=name) + deps)
    write(f"{root}/{name}/src/lib.rs", lib_rs)


class Case:
    def __init__(self, name, build, args, expect_exit=(0, 1), expect=(), time_limit=TIME_LIMIT_S):
        self.name = name
        self.build = build
        self.args = args
        self.expect_exit = expect_exit
        self.expect = expect
        self.time_limit = time_limit


# ---- the attacks ---------------------------------------------------------------------------


def pack_outside(root, outside):
    write(f"{outside}/secret.toml", f"{MARKER} = 1\n")
    write(f"{root}/capgraph.toml", f'[rules]\npack = "{outside}/secret.toml"\n')
    crate(root, "a")


def pack_dotdot(root, outside):
    write(f"{outside}/secret.toml", f"{MARKER} = 1\n")
    rel = os.path.relpath(f"{outside}/secret.toml", root)
    write(f"{root}/capgraph.toml", f'[rules]\npack = "{rel}"\n')
    crate(root, "a")


def pack_symlink_out(root, outside):
    write(f"{outside}/secret.toml", f"{MARKER} = 1\n")
    os.makedirs(root, exist_ok=True)
    os.symlink(f"{outside}/secret.toml", f"{root}/pack.toml")
    write(f"{root}/capgraph.toml", '[rules]\npack = "pack.toml"\n')
    crate(root, "a")


def pack_environ(root, outside):
    write(f"{root}/capgraph.toml", '[rules]\npack = "/proc/self/environ"\n')
    crate(root, "a")


def pack_dev_zero(root, outside):
    write(f"{root}/capgraph.toml", '[rules]\npack = "/dev/zero"\n')
    crate(root, "a")


def config_not_utf8(root, outside):
    write(f"{root}/capgraph.toml", b'[org]\nname = "acme"\n# \xff\xfe\n', mode="wb")
    crate(root, "a")


NESTINGS = {
    "refs": lambda n: "type T = " + "&" * n + "u8;\n",
    "generics": lambda n: "type T = " + "Vec<" * n + "u8" + ">" * n + ";\n",
    "closures": lambda n: "fn f() { let g = " + "|| " * n + "1; }\n",
    "returns": lambda n: "fn f() { " + "return " * n + "1; }\n",
    "nots": lambda n: "fn f() -> bool { " + "!" * n + "true }\n",
    "method_chain": lambda n: "fn f() { x" + ".f()" * n + "; }\n",
    "plus_chain": lambda n: "fn f() { x" + "+x" * n + "; }\n",
    "casts": lambda n: "fn f() { x" + " as u8" * n + "; }\n",
    "else_if": lambda n: "fn f() { if a {} " + "else if a {} " * n + "}\n",
}


def nesting(kind):
    def build(root, outside):
        crate(root, "a")
        n = 100_000 // max(1, len(NESTINGS[kind](1)) - len(NESTINGS[kind](0)))
        write(f"{root}/a/src/deep.rs", NESTINGS[kind](n))
        crate(root, "b", lib_rs="pub fn g() {}\n")

    return build


def strings_with_brackets(root, outside):
    text = "".join(f'pub const S{i}: &str = "{"(" * 3000}";\n' for i in range(3))
    crate(root, "a", lib_rs=text)


def format_doubling(root, outside):
    lines = ['    let a0 = format!("http://svc/{}", id);']
    lines += [f'    let a{i} = format!("{{a{i - 1}}}{{a{i - 1}}}");' for i in range(1, 31)]
    body = "\n".join(lines)
    crate(
        root,
        "a",
        lib_rs=f"pub async fn f(id: u32) {{\n{body}\n    reqwest::get(a30).await;\n}}\n",
        deps='[dependencies]\nreqwest = "0.12"\n',
    )


def yaml_flat_aliases(root, outside):
    big = "a" * (1 << 20)
    env = "".join(f"      V{i}: *big\n" for i in range(20_000))
    write(
        f"{root}/docker-compose.yml",
        f'x-big: &big "{big}"\nservices:\n  svc:\n    image: svc\n    environment:\n{env}',
    )
    crate(root, "a")


def yaml_deep_flow(root, outside):
    n = 400_000 // 4
    write(f"{root}/catalog-info.yaml", "{a: " * n + "1" + "}" * n + "\n")
    crate(root, "a")


def yaml_deep_flow_compose(root, outside):
    n = 400_000 // 4
    write(f"{root}/docker-compose.yml", "services:\n  x: " + "{a: " * n + "1" + "}" * n + "\n")
    crate(root, "a")


def symlink_diamond(root, outside):
    crate(root, "a")
    for i in range(40):
        os.makedirs(f"{root}/d{i}", exist_ok=True)
    write(f"{root}/d40/x.rs", "fn f() {}\n")
    for i in range(40):
        os.symlink(f"../d{i + 1}", f"{root}/d{i}/l")
        os.symlink(f"../d{i + 1}", f"{root}/d{i}/r")


def codeowners_sections(root, outside):
    text = "".join(f"[Section {i}]\n/s{i}/ @org/t{i}\n" for i in range(50_000))
    write(f"{root}/CODEOWNERS", text)
    crate(root, "a")


def codeowners_globs(root, outside):
    text = "".join(f"**/**/**/**/*a*a*a*b{i} @org/t\n" for i in range(2_000))
    write(f"{root}/CODEOWNERS", text)
    for i in range(50):
        crate(root, f"crates/aaaa{i}")


def codeowners_many_owners(root, outside):
    text = "".join(f"/c{i}/ @org/team-{i}\n" for i in range(10_000))
    write(f"{root}/CODEOWNERS", text)
    crate(root, "a")


def codeowners_monorepo(root, outside):
    n = 10_000
    write(f"{root}/Cargo.toml", '[workspace]\nmembers = ["crates/*"]\n')
    write(f"{root}/CODEOWNERS", "".join(f"/crates/c{i}/ @org/team-{i % 50}\n" for i in range(n)))
    for i in range(n):
        crate(f"{root}/crates", f"c{i}")


def dense_cycle(root, outside):
    n, d = 1_000, 100
    members = []
    for i in range(n):
        deps = "".join(
            f'c{(i + k) % n} = {{ path = "../c{(i + k) % n}" }}\n' for k in range(1, d + 1)
        )
        crate(f"{root}/crates", f"c{i}", deps="[dependencies]\n" + deps)
        members.append(f"crates/c{i}")
    write(f"{root}/Cargo.toml", '[workspace]\nmembers = ["crates/*"]\n')
    write(f"{root}/CODEOWNERS", "".join(f"/crates/c{i}/ @org/t{i % 20}\n" for i in range(n)))


def workspace_members(root, outside):
    # 5,000 members listed one by one, and a chain of 5,000 path dependencies that makes
    # each crate a member through the next one (implicit members).
    n = 5_000
    listed = ", ".join(f'"listed/l{i}"' for i in range(n))
    write(f"{root}/Cargo.toml", f'[workspace]\nmembers = [{listed}, "chain/c{n - 1}"]\n')
    for i in range(n):
        crate(f"{root}/listed", f"l{i}")
        dep = f'[dependencies]\nc{i - 1} = {{ path = "../c{i - 1}" }}\n' if i else ""
        crate(f"{root}/chain", f"c{i}", deps=dep)


def env_from_fanout(root, outside):
    keys = "".join(f"  K{i}: v{i}\n" for i in range(5_000))
    docs = [f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n{keys}"]
    for i in range(5_000):
        docs.append(
            "apiVersion: apps/v1\nkind: Deployment\n"
            f"metadata:\n  name: d{i}\nspec:\n  template:\n    spec:\n      containers:\n"
            f"        - name: c\n          envFrom:\n            - configMapRef:\n"
            f"                name: shared\n"
        )
    write(f"{root}/k8s/all.yaml", "---\n".join(docs))
    crate(root, "a")


def huge_sparse_file(root, outside):
    crate(root, "a")
    with open(f"{root}/a/src/big.rs", "wb") as f:
        f.truncate(6 << 30)


def fifo(root, outside):
    crate(root, "a")
    os.mkfifo(f"{root}/a/src/pipe.rs")


def many_jobs(root, outside):
    crate(root, "a")


CASES = [
    Case("pack-absolute-outside", pack_outside, ["check", "ROOT"], (2,), ["rules.pack"]),
    Case("pack-dotdot-outside", pack_dotdot, ["check", "ROOT"], (2,), ["rules.pack"]),
    Case("pack-symlink-outside", pack_symlink_out, ["check", "ROOT"], (2,), ["rules.pack"]),
    Case("pack-proc-environ", pack_environ, ["check", "ROOT"], (2,), ["rules.pack"]),
    Case("pack-dev-zero", pack_dev_zero, ["check", "ROOT"], (2,), ["rules.pack"]),
    Case("config-not-utf8", config_not_utf8, ["check", "ROOT"], (2,), ["capgraph.toml:3"]),
    *[
        Case(f"rust-nesting-{kind}", nesting(kind), ["check", "ROOT"], expect=["a/src/deep.rs"])
        for kind in NESTINGS
    ],
    Case("rust-brackets-in-strings", strings_with_brackets, ["check", "ROOT"], (0,)),
    Case("format-doubling", format_doubling, ["check", "ROOT"]),
    Case("yaml-flat-aliases", yaml_flat_aliases, ["check", "ROOT"], expect=["docker-compose.yml"]),
    Case("yaml-deep-flow-catalog", yaml_deep_flow, ["check", "ROOT"], expect=["catalog-info.yaml"]),
    Case(
        "yaml-deep-flow-compose",
        yaml_deep_flow_compose,
        ["check", "ROOT"],
        expect=["docker-compose.yml"],
    ),
    Case("symlink-diamond", symlink_diamond, ["check", "ROOT"]),
    Case("codeowners-sections", codeowners_sections, ["owners", "ROOT"], (0, 1)),
    Case("codeowners-globs", codeowners_globs, ["owners", "ROOT"], (0, 1)),
    Case("codeowners-10k-owners", codeowners_many_owners, ["report", "ROOT", "--out", "OUT"]),
    Case("codeowners-10k-crates", codeowners_monorepo, ["check", "ROOT"], time_limit=30.0),
    Case("dense-cycle", dense_cycle, ["check", "ROOT"], time_limit=30.0),
    Case("envfrom-fanout", env_from_fanout, ["check", "ROOT"]),
    Case("workspace-members", workspace_members, ["check", "ROOT"], time_limit=30.0),
    Case("huge-sparse-file", huge_sparse_file, ["check", "ROOT"], expect=["a/src/big.rs"]),
    Case("fifo", fifo, ["check", "ROOT"], expect=["a/src/pipe.rs"]),
    Case("jobs-100000", many_jobs, ["--jobs", "100000", "check", "ROOT"], (0,)),
]


def resident_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0


def run_case(binary, case, work):
    root = os.path.join(work, case.name, "repo")
    outside = os.path.join(work, case.name, "outside")
    os.makedirs(root)
    os.makedirs(outside)
    case.build(root, outside)
    out_dir = os.path.join(work, case.name, "out")
    args = [root if a == "ROOT" else out_dir if a == "OUT" else a for a in case.args]
    if args[0] in ("check",):
        args += ["--format", "text"]

    start = time.monotonic()
    proc = subprocess.Popen(
        [binary, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    # The output is read on threads, while this one watches the time and, as a safety net
    # that keeps a regression from taking the machine down, the resident size; the bound
    # asserted is the peak below.
    chunks = {"out": [], "err": []}
    readers = [
        threading.Thread(target=lambda f=f, k=k: chunks[k].append(f.read()))
        for f, k in ((proc.stdout, "out"), (proc.stderr, "err"))
    ]
    for reader in readers:
        reader.start()
    killed = None
    while proc.poll() is None:
        time.sleep(0.02)
        if time.monotonic() - start > case.time_limit * 3:
            killed = f"killed after {case.time_limit * 3:.0f} s"
        elif resident_mb(proc.pid) > 4 * MEMORY_LIMIT_MB:
            killed = f"killed at {4 * MEMORY_LIMIT_MB} MB resident"
        if killed:
            proc.kill()
            proc.wait()
            break
    for reader in readers:
        reader.join()
    if killed:
        return [killed], time.monotonic() - start, 0
    elapsed = time.monotonic() - start
    # Each case runs in an interpreter of its own (see main), so the largest child so far is
    # this case's binary.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    output = b"".join(chunks["out"] + chunks["err"]).decode("utf-8", "replace")
    problems = []
    if proc.returncode not in case.expect_exit:
        problems.append(f"exit {proc.returncode}, expected {case.expect_exit}")
    if elapsed > case.time_limit:
        problems.append(f"took {elapsed:.1f} s, bound {case.time_limit:.0f} s")
    if peak_mb > MEMORY_LIMIT_MB:
        problems.append(f"peak {peak_mb:.0f} MB, bound {MEMORY_LIMIT_MB} MB")
    if MARKER in output:
        problems.append("printed the marker of a file outside the roots")
    for needle in case.expect:
        if needle not in output:
            problems.append(f"output does not mention `{needle}`")
    if problems:
        problems.append("output (first 600 chars): " + output[:600].replace("\n", " | "))
    return problems, elapsed, peak_mb


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/capgraph")
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    cases = [c for c in CASES if args.only is None or c.name in args.only]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="capgraph-hostile-") as work:
        for case in cases:
            if len(cases) > 1:
                # Each case in its own interpreter, so that its peak memory is its own.
                proc = subprocess.run(
                    [sys.executable, __file__, "--binary", binary, "--only", case.name]
                )
                failed += proc.returncode != 0
                continue
            problems, elapsed, peak = run_case(binary, case, work)
            status = "ok" if not problems else "FAILED"
            print(f"{case.name:32} {status:6} {elapsed:6.2f} s {peak:7.0f} MB", flush=True)
            for problem in problems:
                print(f"    {problem}")
            failed += bool(problems)
            shutil.rmtree(os.path.join(work, case.name), ignore_errors=True)
    if len(cases) > 1:
        print(f"{len(cases) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
