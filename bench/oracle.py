#!/usr/bin/env python3
"""Oracle harness: compare capgraph's crate graph and CODEOWNERS ownership with references.

For each repository checkout given on the command line:

1. Crate graph: capgraph's crate nodes and crate->crate edges (both ends scanned crates, per
   dependency kind) are compared with `cargo metadata --no-deps --format-version 1 --offline`
   run at every workspace root (a Cargo.toml with [workspace]) and at every package that no
   workspace run listed.  Members are the `packages`; an edge (from, to, kind) exists for each
   dependency of a member that has a `path` pointing at another scanned package, or a git URL
   naming the checked-out repository itself (its directory name) and a scanned package of the
   dependency's name, which capgraph takes as local by design (a package's dev-dependency on
   itself is not an edge).  Misses are tagged by whether the depending package
   is listed in `members` or only brought in by a path dependency (implicit member); extras by
   capgraph's `source` (or self-loop).
2. Ownership: for each crate capgraph found, the owners that the PyPI `codeowners` package
   (GitHub semantics, last matching line wins) gives for the crate's manifest path and for its
   directory are compared with the owners and maintainers of the crate in capgraph's graph.json
   (a CODEOWNERS line's teams are co-owners, and the individuals beside them maintainers).

Only reads manifests: nothing from the checked-out repositories is executed (cargo is pinned to
the caller's toolchain so a repository's rust-toolchain.toml is not honoured).

Requires Python 3.11+ (tomllib) and `pip install codeowners==0.9.0` for the ownership part.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

CODEOWNERS_LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
SKIP_DIRS = {".git", "target", "node_modules"}


def parse_args():
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Example: oracle.py --capgraph target/release/capgraph /work/real/neon /work/real/ruff",
    )
    p.add_argument("repos", nargs="+", help="repository checkouts (each analysed on its own)")
    p.add_argument("--capgraph", default="capgraph", help="capgraph binary (default: capgraph)")
    p.add_argument("--cargo", default="cargo", help="cargo binary (default: cargo)")
    p.add_argument("--part", choices=["graph", "owners", "both"], default="both",
                   help="crate graph oracle, ownership oracle or both (default)")
    p.add_argument("--show", type=int, default=10, help="misses/extras listed per category (10)")
    p.add_argument("--summary-json", metavar="FILE", help="also write per-repository numbers here")
    return p.parse_args()


# ---------------------------------------------------------------- discovery


def find_manifests(root):
    """Every Cargo.toml under root (skipping .git and target dirs), parsed; errors kept apart."""
    found, broken = {}, {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        if "Cargo.toml" in filenames:
            path = os.path.join(dirpath, "Cargo.toml")
            try:
                with open(path, "rb") as f:
                    found[os.path.realpath(path)] = tomllib.load(f)
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
                broken[os.path.realpath(path)] = str(e).splitlines()[0]
    return found, broken


def pinned_env(cargo):
    """Environment that keeps rustup from following a repository's rust-toolchain file."""
    env = dict(os.environ, CARGO_NET_OFFLINE="true")
    if "RUSTUP_TOOLCHAIN" not in env:
        try:
            out = subprocess.run(["rustup", "show", "active-toolchain"], cwd="/",
                                 capture_output=True, text=True, timeout=60).stdout
            if out.split():
                env["RUSTUP_TOOLCHAIN"] = out.split()[0]
        except (OSError, subprocess.SubprocessError):
            pass
    return env


def cargo_metadata(cargo, env, directory):
    cmd = [cargo, "metadata", "--no-deps", "--format-version", "1", "--offline"]
    try:
        r = subprocess.run(cmd, cwd=directory, capture_output=True, text=True, env=env, timeout=300)
    except (OSError, subprocess.SubprocessError) as e:
        return None, str(e)
    if r.returncode != 0:
        lines = [l.strip() for l in r.stderr.splitlines()
                 if l.strip() and not l.startswith(("warning", "Caused by"))]
        # the first line says which manifest, the last cause says why (minus cargo's hints)
        causes = [l for l in lines if not l.startswith(("Alternatively", "this may be fixed"))]
        return None, (causes[-1] if causes else f"exit {r.returncode}")[:300]
    return json.loads(r.stdout), None


def cargo_packages(root, cargo, env):
    """All packages cargo metadata lists, keyed by real manifest path, plus refusals."""
    manifests, broken = find_manifests(root)
    packages, refused, runs = {}, dict(broken), 0
    ws_roots = sorted(p for p, t in manifests.items() if "workspace" in t)
    standalone = sorted(p for p, t in manifests.items() if "package" in t and "workspace" not in t)
    for manifest in ws_roots + standalone:
        if manifest in packages or (manifest in standalone and manifest in refused):
            continue
        meta, err = cargo_metadata(cargo, env, os.path.dirname(manifest))
        runs += 1
        if meta is None:
            refused[manifest] = err
            continue
        for pkg in meta["packages"]:
            pkg["oracle_workspace_root"] = os.path.realpath(meta["workspace_root"])
            packages.setdefault(os.path.realpath(pkg["manifest_path"]), pkg)
    return packages, refused, manifests, runs


def explicit_members(manifests):
    """Workspace root dir -> dirs its `members` globs name (minus `exclude`), root package included."""
    result = {}
    for manifest, data in manifests.items():
        ws = data.get("workspace")
        if not isinstance(ws, dict):
            continue
        root = os.path.dirname(manifest)
        dirs = {root} if "package" in data else set()
        for pattern in ws.get("members", []):
            dirs.update(os.path.realpath(d) for d in glob.glob(os.path.join(root, pattern)))
        excluded = [os.path.realpath(os.path.join(root, e)) for e in ws.get("exclude", [])]
        result[root] = {d for d in dirs if not any(d == e or d.startswith(e + "/") for e in excluded)}
    return result


def is_implicit(pkg, members):
    """A workspace member that only a path dependency (not `members`) brings in."""
    listed = members.get(pkg.get("oracle_workspace_root"), set())
    return os.path.dirname(os.path.realpath(pkg["manifest_path"])) not in listed


def git_repo_name(source):
    """The repository a `git+URL` source names: the URL's last path segment without `.git`,
    query or fragment, in lower case."""
    url = source[len("git+"):].split("#")[0].split("?")[0].rstrip("/")
    last = url.rsplit("/", 1)[-1]
    return (last[:-4] if last.endswith(".git") else last).lower()


def package_dir(root, path):
    """A package directory relative to the checkout, `.` for its top: how edges are keyed, so
    that packages of one name stay apart."""
    return os.path.relpath(os.path.realpath(os.path.join(root, path)), os.path.realpath(root))


def cargo_edges(root, packages, manifests):
    """(from dir, to dir, kind) -> (dependency entry, from manifest) for dependencies onto
    scanned packages: a path to one, or a git URL of this very repository (the checkout's
    directory name) and the one scanned package of that name, which is local by the rule
    capgraph states (cargo itself would fetch the repository)."""
    repo_name = os.path.basename(os.path.realpath(root))
    by_dir = {os.path.dirname(m): p["name"] for m, p in packages.items()}
    for m, t in manifests.items():  # packages cargo refused still count as scanned targets
        name = t.get("package", {}).get("name")
        if isinstance(name, str):
            by_dir.setdefault(os.path.dirname(m), name)
    dirs_of = {}
    for d, name in by_dir.items():
        dirs_of.setdefault(name, []).append(d)
    edges = {}
    for manifest, pkg in packages.items():
        from_dir = package_dir(root, os.path.dirname(manifest))
        for dep in pkg["dependencies"]:
            source = dep.get("source") or ""
            if (not dep.get("path") and source.startswith("git+")
                    and git_repo_name(source) == repo_name.lower()
                    and len(dirs_of.get(dep["name"], [])) == 1
                    and dirs_of[dep["name"]][0] != os.path.dirname(manifest)):
                key = (from_dir, package_dir(root, dirs_of[dep["name"]][0]), dep["kind"] or "normal")
                edges.setdefault(key, (dep, manifest))
                continue
            if not dep.get("path"):
                continue
            target = by_dir.get(os.path.realpath(dep["path"]))
            if target is None or os.path.realpath(dep["path"]) == os.path.dirname(manifest):
                continue
            key = (from_dir, package_dir(root, dep["path"]), dep["kind"] or "normal")
            edges.setdefault(key, (dep, manifest))
    return edges


# ---------------------------------------------------------------- capgraph


def run_capgraph(capgraph, args):
    r = subprocess.run([capgraph, "-q", *args], capture_output=True, text=True)
    if r.returncode != 0 and not r.stdout:
        raise RuntimeError(f"capgraph {' '.join(args)} failed: {r.stderr.strip()[:300]}")
    return r.stdout


def capgraph_graph(capgraph, root):
    doc = json.loads(run_capgraph(capgraph, ["graph", root, "--format", "json"]))
    crates = {n["id"]: n for n in doc["nodes"] if n.get("kind") == "crate"}
    edges = {}
    for e in doc["edges"]:
        if e.get("kind") == "depends_on" and e["from"] in crates and e["to"] in crates:
            key = (package_dir(root, crates[e["from"]]["path"]),
                   package_dir(root, crates[e["to"]]["path"]), e.get("dep_kind", "normal"))
            edges.setdefault(key, e)
    return crates, edges


def capgraph_owners(node):
    """The owners capgraph gives a crate node of graph.json: its owning teams and the
    individuals it keeps as maintainers (a CODEOWNERS line names both), without a leading `@`,
    so that they compare with the handles of the matching CODEOWNERS line."""
    owners = set(node.get("owners", [])) | {m.lstrip("@") for m in node.get("maintainers", [])}
    return owners, node.get("owner_source", "(no source)")


# ---------------------------------------------------------------- reporting helpers


def rel(root, path):
    return os.path.relpath(path, root)


def declaring_line(manifest, dep):
    """First line of the manifest naming the dependency (by its key, the rename if any)."""
    key = re.escape(dep.get("rename") or dep["name"])
    pat = re.compile(rf"^\s*(\[[^\]]*\b{key}\]|[\"']?{key}[\"']?\s*(\.|=))")
    try:
        with open(manifest, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, 1):
                if pat.search(line):
                    return n, line.strip()
    except OSError:
        pass
    return None, ""


def manifest_line(root, path, line):
    try:
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()[line - 1].strip()
    except (OSError, IndexError, TypeError):
        return ""


def ratio(a, b):
    return f"{a / b:.3f}" if b else "n/a"


# ---------------------------------------------------------------- part 1


def graph_oracle(root, args, env, out):
    cg_crates, cg_edges = capgraph_graph(args.capgraph, root)
    packages, refused, manifests, runs = cargo_packages(root, args.cargo, env)
    cg_by_manifest = {os.path.realpath(os.path.join(root, n["manifest"])): n for n in cg_crates.values()}
    missing = sorted(set(packages) - set(cg_by_manifest))
    extra = sorted(set(cg_by_manifest) - set(packages))
    out(f"  cargo metadata runs: {runs}; refused or unreadable manifests: {len(refused)}")
    for m, why in sorted(refused.items())[: args.show]:
        out(f"    refused {rel(root, m)}: {why}")
    out(f"  packages: capgraph {len(cg_crates)} (manifests {len(cg_by_manifest)}), cargo {len(packages)}"
        f"; missing {len(missing)}, extra {len(extra)}")
    for m in missing[: args.show]:
        out(f"    missing {packages[m]['name']} ({rel(root, m)})")
    for m in extra[: args.show]:
        why = " [cargo refused it]" if m in refused else ""
        out(f"    extra   {cg_by_manifest[m]['name']} ({rel(root, m)}){why}")

    ref = cargo_edges(root, packages, manifests)
    # edges out of crates cargo could not read have no reference: count them apart
    unknown = {package_dir(root, os.path.dirname(m)) for m in extra if m in refused}
    unscored = {k for k in cg_edges if k[0] in unknown}
    scored = set(cg_edges) - unscored
    tp, fp, fn = scored & set(ref), scored - set(ref), set(ref) - scored
    if unscored:
        out(f"  edges out of {len(unknown)} cargo-refused crates, not scored: {len(unscored)}")
    out(f"  edges: capgraph {len(cg_edges)}, cargo {len(ref)}; TP {len(tp)} FP {len(fp)} FN {len(fn)};"
        f" precision {ratio(len(tp), len(tp) + len(fp))} recall {ratio(len(tp), len(tp) + len(fn))}")
    for feature in ("rename", "target", "optional"):
        keys = [k for k, (dep, _m) in ref.items() if dep.get(feature)]
        if keys:
            out(f"    reference edges with `{feature}`: {len(keys)}, found by capgraph {len(set(keys) & tp)}")
    members = explicit_members(manifests)
    fn_tags = {}
    for key in sorted(fn):
        dep, manifest = ref[key]
        tag = "implicit-member" if is_implicit(packages[manifest], members) else "listed-member"
        fn_tags[tag] = fn_tags.get(tag, 0) + 1
        if fn_tags[tag] > args.show:
            continue
        n, text = declaring_line(manifest, dep)
        extra_info = "".join(f" {k}={dep[k]}" for k in ("rename", "target", "optional") if dep.get(k))
        out(f"    FN [{tag}] {key[0]} -> {key[1]} [{key[2]}]{extra_info} at {rel(root, manifest)}:{n}: {text}")
    if fn_tags:
        out(f"    FN by kind of the depending package: {fn_tags}")
    fp_tags = {}
    for key in sorted(fp):
        e = cg_edges[key]
        tag = "self-loop" if key[0] == key[1] else f"source={e.get('source')}"
        fp_tags[tag] = fp_tags.get(tag, 0) + 1
        if fp_tags[tag] > args.show:
            continue
        d = e.get("declared_at") or {}
        text = manifest_line(root, d.get("path"), d.get("line"))
        out(f"    FP [{tag}] {key[0]} -> {key[1]} [{key[2]}] at {d.get('path')}:{d.get('line')}: {text}")
    if fp_tags:
        out(f"    FP by kind: {fp_tags}")
    return {"crates_capgraph": len(cg_crates), "crates_cargo": len(packages), "missing": len(missing),
            "extra": len(extra), "refused": len(refused), "unscored": len(unscored), "tp": len(tp), "fp": len(fp), "fn": len(fn)}


# ---------------------------------------------------------------- part 2


def load_codeowners(root):
    for loc in CODEOWNERS_LOCATIONS:
        path = os.path.join(root, loc)
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                return loc, f.read()
    return None, None


def reference_owners(co, path):
    owners, line, _pattern, _section = co.matching_line(path)
    return {o.lstrip("@") for _kind, o in owners}, line


def fold(owners):
    """GitHub handles and e-mails are case-insensitive."""
    return None if owners is None else {o.lower() for o in owners}


def owners_oracle(root, args, out):
    try:
        from codeowners import CodeOwners
    except ImportError:
        out("  ownership: skipped (pip install codeowners==0.9.0)")
        return {}
    loc, text = load_codeowners(root)
    if text is None:
        out("  ownership: no CODEOWNERS file; skipped")
        return {}
    co = CodeOwners(text)
    cg_crates, _ = capgraph_graph(args.capgraph, root)
    agree_manifest = agree_dir = exact_dir = 0
    disagreements = []
    for node in sorted(cg_crates.values(), key=lambda n: n["manifest"]):
        teams, source = capgraph_owners(node)
        by_manifest, m_line = reference_owners(co, node["manifest"])
        crate_dir = node["path"].strip("/")
        by_dir, d_line = reference_owners(co, crate_dir + "/" if crate_dir else "")
        exact_dir += teams == by_dir
        agree_manifest += fold(teams) == fold(by_manifest)
        agree_dir += fold(teams) == fold(by_dir)
        if fold(teams) != fold(by_manifest) or fold(teams) != fold(by_dir):
            disagreements.append((node, teams, source, by_manifest, m_line, by_dir, d_line))
    n = len(cg_crates)
    out(f"  ownership ({loc}): {n} crates; capgraph = codeowners(manifest) {agree_manifest}/{n},"
        f" = codeowners(dir/) {agree_dir}/{n} (ignoring case; {exact_dir}/{n} with the same case)")
    for node, teams, source, bm, ml, bd, dl in disagreements[: args.show]:
        fmt = lambda s: ", ".join(sorted(s)) if s else "(none)"  # noqa: E731
        cg = "(missing)" if teams is None else fmt(teams)
        out(f"    {node['name']} ({node['manifest']}): capgraph {cg} via {source};"
            f" manifest {fmt(bm)} (line {ml}); dir {fmt(bd)} (line {dl})")
    return {"owned_crates": n, "agree_manifest": agree_manifest, "agree_dir": agree_dir,
            "exact_dir": exact_dir}


# ---------------------------------------------------------------- main


def main():
    args = parse_args()
    # resolve the binaries before any cwd change: a checkout may ship its own `cargo` script
    for attr in ("cargo", "capgraph"):
        found = shutil.which(getattr(args, attr))
        if not found:
            sys.exit(f"oracle.py: {getattr(args, attr)} not found")
        setattr(args, attr, os.path.abspath(found))
    env = pinned_env(args.cargo)
    summary = {}
    for repo in args.repos:
        root = os.path.realpath(repo)
        name = os.path.basename(root)
        print(f"== {name} ({root})")
        row = {}
        try:
            if args.part in ("graph", "both"):
                row.update(graph_oracle(root, args, env, print))
            if args.part in ("owners", "both"):
                row.update(owners_oracle(root, args, print))
        except (RuntimeError, json.JSONDecodeError, subprocess.SubprocessError) as e:
            print(f"  error: {e}")
            row["error"] = str(e)
        summary[name] = row
        sys.stdout.flush()
    print("\n== summary")
    print(f"{'repo':16} {'crates cg/cargo':>16} {'TP':>6} {'FP':>5} {'FN':>5} {'prec':>6} {'recall':>6}  owners")
    for name, r in summary.items():
        if "tp" not in r:
            print(f"{name:16} {r.get('error', 'graph not run')}")
            continue
        own = f"{r['agree_manifest']}/{r['owned_crates']} (dir {r['agree_dir']})" if "owned_crates" in r else "-"
        print(f"{name:16} {r['crates_capgraph']:>7}/{r['crates_cargo']:<8} {r['tp']:>6} {r['fp']:>5} {r['fn']:>5}"
              f" {ratio(r['tp'], r['tp'] + r['fp']):>6} {ratio(r['tp'], r['tp'] + r['fn']):>6}  {own}")
    if args.summary_json:
        with open(args.summary_json, "w") as f:
            json.dump(summary, f, indent=2)


if __name__ == "__main__":
    main()
