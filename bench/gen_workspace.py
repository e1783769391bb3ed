#!/usr/bin/env python3
"""Generate a synthetic Cargo workspace for capgraph's benchmark.

    bench/gen_workspace.py OUT --crates N --files M [--lines L] [--capabilities K --teams T]

Writes OUT/Cargo.toml (a workspace of N crates under crates/), each crate with a manifest
that depends on a few earlier crates (path and workspace-inherited) and third-party crates,
and M source files in total of about L lines each, written the way service code is: imports,
derives, handlers with fully qualified paths, macros and a test module. The output is the
same for the same arguments.

With --capabilities, it also writes OUT/capgraph.toml: K capabilities (the first tenth platform)
owned by T teams, each owning a contiguous range of crates whose first crate is its contract,
and dependencies follow the organization: mostly inside a capability or down to a lower one,
rarely up (which makes the cycles and contract bypasses a real organization has).
"""

import argparse
import os
import random

EXTERNALS = ["serde", "serde_json", "tokio", "tracing", "uuid", "chrono", "anyhow", "thiserror", "reqwest", "sqlx"]


def crate_name(i):
    return f"svc-{i:05d}"


def lib_name(i):
    return crate_name(i).replace("-", "_")


def manifest(i, deps, externals):
    lines = [
        "[package]",
        f'name = "{crate_name(i)}"',
        'version = "0.1.0"',
        'edition = "2021"',
        "",
        "[dependencies]",
    ]
    for d in deps:
        if d % 2:
            lines.append(f'{crate_name(d)} = {{ path = "../{crate_name(d)}" }}')
        else:
            lines.append(f"{crate_name(d)}.workspace = true")
    for e in externals:
        lines.append(f"{e}.workspace = true")
    lines += ["", "[dev-dependencies]", "tokio = { workspace = true }", ""]
    return "\n".join(lines)


def source_file(rng, i, f, deps, externals, target_lines):
    out = []
    dep_libs = [lib_name(d) for d in deps]
    for lib in dep_libs:
        out.append(f"use {lib}::{{Handler{f % 7}, Config as Config{lib[-5:]}}};")
    out.append("use serde::{Deserialize, Serialize};")
    out.append("use std::collections::HashMap;")
    out.append("")
    n = 0
    while len(out) < target_lines - 12:
        n += 1
        ext = rng.choice(externals)
        dep = rng.choice(dep_libs) if dep_libs else "crate"
        out += [
            "#[derive(Debug, Clone, Serialize, Deserialize)]",
            f"pub struct Record{f}x{n} {{",
            "    pub id: uuid::Uuid,",
            "    pub created_at: chrono::DateTime<chrono::Utc>,",
            "    pub labels: HashMap<String, String>,",
            "}",
            "",
            f"#[tracing::instrument(skip(input))]",
            f"pub async fn handle_{f}_{n}(input: &Record{f}x{n}) -> anyhow::Result<serde_json::Value> {{",
            f"    let total: u64 = input.labels.values().map(|v| v.len() as u64).sum();",
            f"    if total > {rng.randint(10, 1000)} {{",
            f'        tracing::warn!(total, "record {n} is large");',
            "    }",
            f"    let reply = {dep}::process(&input.id.to_string()).await?;",
            f'    let body = serde_json::json!({{ "id": input.id, "total": total, "reply": reply, "via": "{ext}" }});',
            "    Ok(body)",
            "}",
            "",
        ]
    out += [
        "#[cfg(test)]",
        "mod tests {",
        "    use super::*;",
        "",
        "    #[tokio::test]",
        f"    async fn handles_file_{f}() {{",
        "        let id = uuid::Uuid::nil();",
        "        assert!(id.is_nil());",
        "    }",
        "}",
        "",
    ]
    return "\n".join(out)


def write_config(out, crates, capabilities, teams, capability_of):
    os.makedirs(out, exist_ok=True)
    lines = ['[org]', 'name = "synthetic"', ""]
    for t in range(teams):
        lines += [f"[teams.team-{t:03d}]", f'handles = ["@synthetic/team-{t:03d}"]', ""]
    members = {}
    for i, c in enumerate(capability_of):
        members.setdefault(c, []).append(crate_name(i))
    for c in range(capabilities):
        names = members.get(c, [])
        kind = "platform" if c < max(1, capabilities // 10) else "product"
        lines += [
            f"[capabilities.cap-{c:03d}]",
            f'team = "team-{c % teams:03d}"',
            f'kind = "{kind}"',
            "crates = [" + ", ".join(f'"{n}"' for n in names) + "]",
            "contracts = [" + (f'"{names[0]}"' if names else "") + "]",
            "",
        ]
    with open(os.path.join(out, "capgraph.toml"), "w") as f:
        f.write("\n".join(lines))


def organized_deps(rng, i, capability_of):
    """Two dependencies inside the crate's capability, one on a lower capability, and one in
    twenty-five up, on a higher one."""
    mine = capability_of[i]
    same = [j for j in range(max(0, i - 30), i) if capability_of[j] == mine]
    lower = [j for j in range(i) if capability_of[j] < mine]
    higher = [j for j in range(i + 1, len(capability_of)) if capability_of[j] > mine]
    deps = set(rng.sample(same, min(2, len(same))))
    if lower:
        deps.add(rng.choice(lower))
    if higher and rng.random() < 0.04:
        deps.add(rng.choice(higher))
    return sorted(deps)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--crates", type=int, required=True)
    parser.add_argument("--files", type=int, required=True)
    parser.add_argument("--lines", type=int, default=100)
    parser.add_argument("--capabilities", type=int, default=0)
    parser.add_argument("--teams", type=int, default=0)
    args = parser.parse_args()
    capability_of = None
    if args.capabilities:
        teams = args.teams or max(1, args.capabilities // 4)
        capability_of = [i * args.capabilities // args.crates for i in range(args.crates)]
        write_config(args.out, args.crates, args.capabilities, teams, capability_of)
    rng = random.Random(42)

    os.makedirs(os.path.join(args.out, "crates"), exist_ok=True)
    members = "\n".join(["[workspace]", 'members = ["crates/*"]', 'resolver = "2"', "", "[workspace.dependencies]"])
    ws_deps = [f'{e} = "1"' for e in EXTERNALS]
    ws_deps += [f'{crate_name(i)} = {{ path = "crates/{crate_name(i)}" }}' for i in range(args.crates) if i % 2 == 0]
    with open(os.path.join(args.out, "Cargo.toml"), "w") as f:
        f.write(members + "\n" + "\n".join(ws_deps) + "\n")

    files_per_crate = [args.files // args.crates] * args.crates
    for i in range(args.files % args.crates):
        files_per_crate[i] += 1
    total_lines = 0
    for i in range(args.crates):
        if capability_of is None:
            deps = sorted(rng.sample(range(i), min(i, 3))) if i else []
        else:
            deps = organized_deps(rng, i, capability_of)
        externals = sorted(rng.sample(EXTERNALS, 5))
        for needed in ("serde", "tracing", "uuid", "chrono", "anyhow", "serde_json"):
            if needed not in externals:
                externals.append(needed)
        crate_dir = os.path.join(args.out, "crates", crate_name(i))
        os.makedirs(os.path.join(crate_dir, "src"), exist_ok=True)
        with open(os.path.join(crate_dir, "Cargo.toml"), "w") as f:
            f.write(manifest(i, deps, sorted(externals)))
        count = max(files_per_crate[i], 1)
        mods = "\n".join(f"pub mod m{f};" for f in range(1, count))
        lib = mods + "\n\npub async fn process(id: &str) -> anyhow::Result<String> {\n    Ok(id.to_string())\n}\n"
        with open(os.path.join(crate_dir, "src", "lib.rs"), "w") as f:
            f.write(lib)
        total_lines += lib.count("\n")
        for f_index in range(1, count):
            text = source_file(rng, i, f_index, deps, sorted(externals), args.lines)
            with open(os.path.join(crate_dir, "src", f"m{f_index}.rs"), "w") as f:
                f.write(text)
            total_lines += text.count("\n")
    print(f"{args.out}: {args.crates} crates, {sum(max(c, 1) for c in files_per_crate)} files, {total_lines} lines")


if __name__ == "__main__":
    main()
