//! CYC rules, and the cycle analysis they share with OPS002: strongly connected components
//! (Tarjan), one cycle to show, and the cheapest set of edges whose removal breaks every
//! cycle of a component (a minimum-weight feedback edge set).

pub mod capability_cycle;
pub mod team_cycle;

use petgraph::algo::{is_cyclic_directed, tarjan_scc};
use petgraph::graph::DiGraph;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Components with at most this many edges get an exact minimum cut; larger ones a greedy
/// one (exact search doubles with every edge).
pub const EXACT_CUT_MAX_EDGES: usize = 16;

/// One cycle of the graph: a strongly connected component of two or more nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The members, sorted.
    pub members: Vec<String>,
    /// A closed path through the first member that shows the cycle (`a, b, a`).
    pub path: Vec<String>,
    /// The edges to cut, sorted, and their total weight.
    pub cut: Vec<(String, String)>,
    pub cut_weight: u64,
    /// Whether `cut` is a proven minimum (else it is greedy).
    pub exact: bool,
}

/// Finds the cycles of a weighted directed graph. `edges` map (from, to) to the cost of
/// cutting that edge.
pub fn find_cycles(edges: &BTreeMap<(String, String), u64>) -> Vec<Cycle> {
    let mut graph: DiGraph<&str, u64> = DiGraph::new();
    let mut index = BTreeMap::new();
    let nodes: BTreeSet<&str> = edges
        .keys()
        .flat_map(|(a, b)| [a.as_str(), b.as_str()])
        .collect();
    for node in nodes {
        index.insert(node, graph.add_node(node));
    }
    for ((from, to), weight) in edges {
        if from != to {
            graph.add_edge(index[from.as_str()], index[to.as_str()], *weight);
        }
    }
    let mut cycles = Vec::new();
    for component in tarjan_scc(&graph) {
        if component.len() < 2 {
            continue;
        }
        let mut members: Vec<String> = component.iter().map(|&i| graph[i].to_string()).collect();
        members.sort();
        let member_set: BTreeSet<&str> = members.iter().map(String::as_str).collect();
        let inner: Vec<((String, String), u64)> = edges
            .iter()
            .filter(|((a, b), _)| {
                a != b && member_set.contains(a.as_str()) && member_set.contains(b.as_str())
            })
            .map(|(k, w)| (k.clone(), *w))
            .collect();
        let path = shortest_cycle(&members[0], &inner);
        let (cut, exact) = if inner.len() <= EXACT_CUT_MAX_EDGES {
            (exact_cut(&members, &inner), true)
        } else {
            (greedy_cut(&members, &inner), false)
        };
        let cut_weight = cut
            .iter()
            .map(|edge| inner.iter().find(|(e, _)| e == edge).map_or(0, |(_, w)| *w))
            .sum();
        cycles.push(Cycle {
            members,
            path,
            cut,
            cut_weight,
            exact,
        });
    }
    cycles.sort_by(|a, b| a.members.cmp(&b.members));
    cycles
}

/// The shortest closed path from `start` back to itself (breadth-first, neighbours in
/// sorted order so that the same graph always shows the same cycle).
fn shortest_cycle(start: &str, edges: &[((String, String), u64)]) -> Vec<String> {
    let mut parents: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for ((_, to), _) in edges.iter().filter(|((from, _), _)| from == node) {
            if to == start {
                // Walk back from `node` to `start`, then turn the walk around.
                let mut path = vec![node.to_string()];
                let mut cursor = node;
                while cursor != start {
                    cursor = parents[cursor];
                    path.push(cursor.to_string());
                }
                path.reverse();
                path.push(start.to_string());
                return path;
            }
            if !parents.contains_key(to.as_str()) {
                parents.insert(to, node);
                queue.push_back(to);
            }
        }
    }
    vec![start.to_string()]
}

fn acyclic_without(
    members: &[String],
    edges: &[((String, String), u64)],
    removed: &[bool],
) -> bool {
    let mut graph: DiGraph<(), ()> = DiGraph::new();
    let index: BTreeMap<&str, _> = members
        .iter()
        .map(|m| (m.as_str(), graph.add_node(())))
        .collect();
    for (((from, to), _), &cut) in edges.iter().zip(removed) {
        if !cut {
            graph.add_edge(index[from.as_str()], index[to.as_str()], ());
        }
    }
    !is_cyclic_directed(&graph)
}

/// The cheapest set of edges whose removal leaves no cycle, by trying every subset; ties
/// go to fewer edges, then to the first in sorted order.
fn exact_cut(members: &[String], edges: &[((String, String), u64)]) -> Vec<(String, String)> {
    let mut best: Option<(u64, u32, u32)> = None;
    for mask in 1u32..(1 << edges.len()) {
        let weight: u64 = (0..edges.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| edges[i].1)
            .sum();
        let count = mask.count_ones();
        if let Some((best_weight, best_count, _)) = best
            && (weight, count) >= (best_weight, best_count)
        {
            continue;
        }
        let removed: Vec<bool> = (0..edges.len()).map(|i| mask & (1 << i) != 0).collect();
        if acyclic_without(members, edges, &removed) {
            best = Some((weight, count, mask));
        }
    }
    let mask = best.map_or(0, |(_, _, mask)| mask);
    (0..edges.len())
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| edges[i].0.clone())
        .collect()
}

/// A cut for large components: each round removes the cheapest edge inside a strongly
/// connected component of what is left (one Tarjan pass per round), then puts back every
/// removed edge that is not needed after all. O(m·(n+m)) for n nodes and m edges.
fn greedy_cut(members: &[String], edges: &[((String, String), u64)]) -> Vec<(String, String)> {
    let index: BTreeMap<&str, usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let ends: Vec<(usize, usize)> = edges
        .iter()
        .map(|((a, b), _)| (index[a.as_str()], index[b.as_str()]))
        .collect();
    let mut removed = vec![false; edges.len()];
    loop {
        let mut graph: DiGraph<(), ()> = DiGraph::new();
        let nodes: Vec<_> = members.iter().map(|_| graph.add_node(())).collect();
        for (i, &(a, b)) in ends.iter().enumerate() {
            if !removed[i] {
                graph.add_edge(nodes[a], nodes[b], ());
            }
        }
        let mut component = vec![usize::MAX; members.len()];
        for (c, scc) in tarjan_scc(&graph).into_iter().enumerate() {
            if scc.len() > 1 {
                for node in scc {
                    component[node.index()] = c;
                }
            }
        }
        let cheapest = (0..edges.len())
            .filter(|&i| {
                let (a, b) = ends[i];
                !removed[i] && component[a] != usize::MAX && component[a] == component[b]
            })
            .min_by_key(|&i| (edges[i].1, i));
        match cheapest {
            Some(i) => removed[i] = true,
            None => break,
        }
    }
    let mut order: Vec<usize> = (0..edges.len()).filter(|&i| removed[i]).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((edges[i].1, i)));
    for i in order {
        removed[i] = false;
        if !acyclic_without(members, edges, &removed) {
            removed[i] = true;
        }
    }
    (0..edges.len())
        .filter(|&i| removed[i])
        .map(|i| edges[i].0.clone())
        .collect()
}

/// `a -> b -> a`, and, when the component is more than that one cycle, how much more.
pub(crate) fn cycle_shown(cycle: &Cycle) -> String {
    let shown = cycle.path.join(" -> ");
    let others: Vec<&String> = cycle
        .members
        .iter()
        .filter(|m| !cycle.path.contains(m))
        .collect();
    if others.is_empty() {
        shown
    } else {
        format!(
            "for example {shown}; {} {} on other cycles",
            super::boundaries::listing(&others),
            if others.len() == 1 { "is" } else { "are" }
        )
    }
}

/// The cost of cutting a unit-level edge made of these crate dependencies: the code
/// references to rewrite first, the manifest lines to remove second.
pub(crate) fn cut_cost(deps: &[super::context::Dep]) -> u64 {
    deps.iter()
        .map(|dep| u64::from(dep.edge.refs) * 64 + 1)
        .sum()
}

/// Reports each cycle between units (capabilities or teams) made of crate dependencies.
pub(crate) fn report_unit_cycles(
    unit: &str,
    grouped: &BTreeMap<(&str, &str), Vec<super::context::Dep>>,
    team_of: impl Fn(&str) -> Option<String>,
    out: &mut Vec<super::Draft>,
) {
    use super::boundaries::listing;
    let weights: BTreeMap<(String, String), u64> = grouped
        .iter()
        .map(|((a, b), deps)| ((a.to_string(), b.to_string()), cut_cost(deps)))
        .collect();
    for cycle in find_cycles(&weights) {
        let cuts: Vec<String> = cycle
            .cut
            .iter()
            .map(|(a, b)| {
                let deps = &grouped[&(a.as_str(), b.as_str())];
                let refs: u32 = deps.iter().map(|d| d.edge.refs).sum();
                let crates: Vec<String> = deps
                    .iter()
                    .map(|d| format!("{} -> {}", d.from.name, d.to.name()))
                    .collect();
                format!(
                    "{a} -> {b} ({} crate {}, {refs} {}: {})",
                    deps.len(),
                    if deps.len() == 1 {
                        "dependency"
                    } else {
                        "dependencies"
                    },
                    if refs == 1 { "reference" } else { "references" },
                    listing(&crates)
                )
            })
            .collect();
        let (first_from, first_to) = &cycle.cut[0];
        let first_deps = &grouped[&(first_from.as_str(), first_to.as_str())];
        let cheapest = if cycle.exact {
            "cheapest cut"
        } else {
            "a cheap cut (greedy)"
        };
        let mut teams: Vec<String> = cycle.members.iter().filter_map(|m| team_of(m)).collect();
        teams.sort();
        teams.dedup();
        let mut related: Vec<super::Location> = cycle
            .cut
            .iter()
            .flat_map(|(a, b)| {
                grouped[&(a.as_str(), b.as_str())]
                    .iter()
                    .map(|d| d.location())
            })
            .collect();
        related.truncate(super::context::MAX_RELATED);
        out.push(super::Draft {
            message: format!(
                "{} {} depend on each other in a cycle ({}); {cheapest}: {}",
                if unit == "capability" {
                    "capabilities"
                } else {
                    "teams"
                },
                listing(&cycle.members),
                cycle_shown(&cycle),
                cuts.join("; "),
            ),
            location: Some(first_deps[0].location()),
            from: Some(format!("{unit}:{first_from}")),
            to: Some(format!("{unit}:{first_to}")),
            teams,
            related,
            key: cycle.members.join(","),
            metrics: [
                ("members", cycle.members.len() as f64),
                ("cut_edges", cycle.cut.len() as f64),
            ]
            .into_iter()
            .collect(),
            ..super::Draft::default()
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges(list: &[(&str, &str, u64)]) -> BTreeMap<(String, String), u64> {
        list.iter()
            .map(|(a, b, w)| ((a.to_string(), b.to_string()), *w))
            .collect()
    }

    #[test]
    fn the_exact_cut_takes_the_cheapest_edges_and_shows_a_shortest_cycle() {
        // a -> b -> c -> a and b -> a: cutting b -> a (1) alone leaves a -> b -> c -> a;
        // the cheapest cut of both cycles is a -> b (5) rather than b -> a + c -> a (1 + 9).
        let cycles = find_cycles(&edges(&[
            ("a", "b", 5),
            ("b", "a", 1),
            ("b", "c", 7),
            ("c", "a", 9),
            ("c", "d", 1),
        ]));
        assert_eq!(cycles.len(), 1);
        let cycle = &cycles[0];
        assert_eq!(cycle.members, ["a", "b", "c"]);
        assert_eq!(cycle.path, ["a", "b", "a"]);
        assert_eq!(cycle.cut, [("a".to_string(), "b".to_string())]);
        assert_eq!(cycle.cut_weight, 5);
        assert!(cycle.exact);
    }

    #[test]
    fn the_greedy_cut_breaks_every_cycle_of_a_large_component() {
        // Every ordered pair of 8 nodes: 56 edges, far beyond the exact search.
        let names: Vec<String> = (0..8).map(|i| format!("n{i}")).collect();
        let mut all = Vec::new();
        for a in &names {
            for b in &names {
                if a != b {
                    let weight = (a.len() + b.len()) as u64 + u64::from(a < b);
                    all.push(((a.clone(), b.clone()), weight));
                }
            }
        }
        let graph: BTreeMap<(String, String), u64> = all.into_iter().collect();
        let cycles = find_cycles(&graph);
        assert_eq!(cycles.len(), 1);
        let cycle = &cycles[0];
        assert!(!cycle.exact);
        let inner: Vec<((String, String), u64)> = graph.clone().into_iter().collect();
        let removed: Vec<bool> = inner.iter().map(|(e, _)| cycle.cut.contains(e)).collect();
        assert!(acyclic_without(&cycle.members, &inner, &removed));
        // A tournament needs at least n(n-1)/2 = 28 edges cut; the greedy finds exactly
        // that many: every edge against one order.
        assert_eq!(cycle.cut.len(), 28);
    }
}
