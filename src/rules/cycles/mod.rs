//! CYC rules, and the cycle analysis they share with OPS002: strongly connected components
//! (Tarjan, iterative), one cycle to show, and a cheap set of edges whose removal breaks every
//! cycle of a component (a feedback edge set): the minimum for small components, the
//! Eades–Lin–Smyth heuristic for the others.
//!
//! Everything here is bounded for hostile input (a thousand units depending on a hundred
//! others each): components, the shown cycle and the heuristic cut are near-linear in the
//! edges, the exact search only runs on components of at most [`EXACT_CUT_MAX_EDGES`] edges,
//! and the clean-up of the heuristic cut stops after [`PUT_BACK_STEPS_PER_EDGE`] steps per
//! edge of the component.

pub mod capability_cycle;
pub mod team_cycle;

use crate::core::NodeId;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Components with at most this many edges get an exact minimum cut, by trying every subset
/// of their edges (at most 2^16 acyclicity checks of at most 16 edges: milliseconds). Larger
/// ones get the heuristic cut (`heuristic_cut`: the Eades–Lin–Smyth order, O(m log n), plus
/// the clean-up bounded by [`PUT_BACK_STEPS_PER_EDGE`]).
pub const EXACT_CUT_MAX_EDGES: usize = 16;

/// The clean-up of a heuristic cut (putting back the cut edges that close no cycle) examines
/// at most this many edges per edge of the component, in all its searches together; what it
/// has not reached by then stays cut. The cut is valid either way, only less cheap.
pub const PUT_BACK_STEPS_PER_EDGE: usize = 256;

/// How many edges of a cut a CYC finding lists; the others are counted (`cut_edges` in the
/// finding's metrics has the total).
pub const MAX_CUT_EDGES_LISTED: usize = 20;

/// How many crate dependencies a listed cut edge names before counting the rest.
pub(crate) const MAX_CRATES_PER_CUT_EDGE: usize = 5;

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
    /// Whether `cut` is a proven minimum (else it is the heuristic's).
    pub exact: bool,
}

/// An edge of a component, between local node indices (members in sorted order).
type Edge = (usize, usize, u64);

/// Finds the cycles of a weighted directed graph. `edges` map (from, to) to the cost of
/// cutting that edge; self-loops are ignored. O(m log n) for n nodes and m edges, plus the
/// exact search on small components and the bounded clean-up on large ones; the same input
/// always gives the same cycles and cuts (nodes and edges are taken in sorted order, and
/// every tie goes to the lower index).
pub fn find_cycles(edges: &BTreeMap<(String, String), u64>) -> Vec<Cycle> {
    let names: Vec<&str> = edges
        .keys()
        .flat_map(|(a, b)| [a.as_str(), b.as_str()])
        .collect::<BTreeSet<&str>>()
        .into_iter()
        .collect();
    let id: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    // Sorted by (from, to) name, hence by (from, to) index: names are indexed in order.
    let list: Vec<Edge> = edges
        .iter()
        .filter(|((a, b), _)| a != b)
        .map(|((a, b), w)| (id[a.as_str()], id[b.as_str()], *w))
        .collect();
    let mut successors = vec![Vec::new(); names.len()];
    for &(a, b, _) in &list {
        successors[a].push(b);
    }
    let components = strongly_connected(&successors);
    // Each node's component (if it has two or more members) and its index in it.
    let mut component_of = vec![usize::MAX; names.len()];
    let mut local = vec![0usize; names.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for members in components.into_iter().filter(|c| c.len() > 1) {
        for (i, &node) in members.iter().enumerate() {
            component_of[node] = groups.len();
            local[node] = i;
        }
        groups.push(members);
    }
    let mut inner: Vec<Vec<Edge>> = vec![Vec::new(); groups.len()];
    for &(a, b, w) in &list {
        if component_of[a] != usize::MAX && component_of[a] == component_of[b] {
            inner[component_of[a]].push((local[a], local[b], w));
        }
    }
    let mut cycles: Vec<Cycle> = groups
        .iter()
        .zip(&inner)
        .map(|(members, edges)| {
            let n = members.len();
            let path = shortest_cycle(n, edges);
            let (cut, exact) = if edges.len() <= EXACT_CUT_MAX_EDGES {
                (exact_cut(n, edges), true)
            } else {
                (heuristic_cut(n, edges), false)
            };
            let name = |i: usize| names[members[i]].to_string();
            Cycle {
                members: (0..n).map(name).collect(),
                path: path.into_iter().map(name).collect(),
                cut_weight: cut.iter().map(|&e| edges[e].2).sum(),
                cut: cut
                    .into_iter()
                    .map(|e| (name(edges[e].0), name(edges[e].1)))
                    .collect(),
                exact,
            }
        })
        .collect();
    cycles.sort_by(|a, b| a.members.cmp(&b.members));
    cycles
}

/// The strongly connected components of a directed graph given by its successor lists
/// (petgraph's Kosaraju, whose depth-first searches are iterative, so that a long chain
/// cannot overflow the stack; its Tarjan recurses). Each component's members are sorted;
/// components come dependencies first (a component comes after every component it
/// reaches). O(n + m).
pub fn strongly_connected(successors: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let edges = successors.iter().map(Vec::len).sum();
    let mut graph: petgraph::graph::DiGraph<(), ()> =
        petgraph::graph::DiGraph::with_capacity(successors.len(), edges);
    let nodes: Vec<_> = successors.iter().map(|_| graph.add_node(())).collect();
    for (from, targets) in successors.iter().enumerate() {
        for &to in targets {
            graph.add_edge(nodes[from], nodes[to], ());
        }
    }
    petgraph::algo::kosaraju_scc(&graph)
        .into_iter()
        .map(|component| {
            let mut members: Vec<usize> = component.iter().map(|node| node.index()).collect();
            members.sort_unstable();
            members
        })
        .collect()
}

/// The shortest closed path from node 0 back to itself (breadth-first, neighbours in sorted
/// order so that the same graph always shows the same cycle). O(n + m).
fn shortest_cycle(n: usize, edges: &[Edge]) -> Vec<usize> {
    let mut successors = vec![Vec::new(); n];
    for &(a, b, _) in edges {
        successors[a].push(b);
    }
    let mut parent = vec![usize::MAX; n];
    let mut queue = VecDeque::from([0]);
    while let Some(node) = queue.pop_front() {
        for &to in &successors[node] {
            if to == 0 {
                // Walk back from `node` to the start, then turn the walk around.
                let mut path = vec![node];
                let mut cursor = node;
                while cursor != 0 {
                    cursor = parent[cursor];
                    path.push(cursor);
                }
                path.reverse();
                path.push(0);
                return path;
            }
            if parent[to] == usize::MAX {
                parent[to] = node;
                queue.push_back(to);
            }
        }
    }
    vec![0]
}

/// Whether the graph of `n` nodes is acyclic without the edges `removed` marks (Kahn).
fn acyclic_without(n: usize, edges: &[Edge], removed: impl Fn(usize) -> bool) -> bool {
    let mut in_degree = vec![0usize; n];
    let mut successors = vec![Vec::new(); n];
    for (i, &(a, b, _)) in edges.iter().enumerate() {
        if !removed(i) {
            in_degree[b] += 1;
            successors[a].push(b);
        }
    }
    let mut ready: Vec<usize> = (0..n).filter(|&v| in_degree[v] == 0).collect();
    let mut done = 0;
    while let Some(v) = ready.pop() {
        done += 1;
        for &w in &successors[v] {
            in_degree[w] -= 1;
            if in_degree[w] == 0 {
                ready.push(w);
            }
        }
    }
    done == n
}

/// The cheapest set of edges whose removal leaves no cycle, by trying every subset; ties
/// go to fewer edges, then to the first in sorted order. Returns edge indices, sorted.
/// O(2^m · (n + m)): only for components of at most [`EXACT_CUT_MAX_EDGES`] edges.
fn exact_cut(n: usize, edges: &[Edge]) -> Vec<usize> {
    debug_assert!(edges.len() <= EXACT_CUT_MAX_EDGES);
    let mut best: Option<(u64, u32, u32)> = None;
    for mask in 1u32..(1 << edges.len()) {
        let weight: u64 = (0..edges.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| edges[i].2)
            .sum();
        let count = mask.count_ones();
        if let Some((best_weight, best_count, _)) = best
            && (weight, count) >= (best_weight, best_count)
        {
            continue;
        }
        if acyclic_without(n, edges, |i| mask & (1 << i) != 0) {
            best = Some((weight, count, mask));
        }
    }
    let mask = best.map_or(0, |(_, _, mask)| mask);
    (0..edges.len()).filter(|i| mask & (1 << i) != 0).collect()
}

/// A cut for large components: O(m log n) for the order, plus a clean-up bounded by
/// [`PUT_BACK_STEPS_PER_EDGE`] · m. Returns edge indices, sorted.
///
/// 1. The nodes are ordered by the Eades–Lin–Smyth heuristic (GR): repeatedly a sink goes to
///    the back of the order, else a source to the front, else the node whose outgoing cost
///    exceeds its incoming cost the most to the front (the lowest index among equals), and
///    leaves the graph. A priority set keyed by that difference makes each removal
///    O(degree · log n). This is done twice, with edges weighed by their cost and with every
///    edge counting one (costs that differ a little can lead the weighed order astray on a
///    regular graph, where counting finds the obvious order).
/// 2. Every edge pointing backward in the cheaper of the two orders is cut: what is left
///    follows the order, so it is acyclic.
/// 3. Cut edges are put back, the most expensive first (ties by index), when they close no
///    cycle: u → v fits iff v cannot reach u in what is kept. The kept graph's topological
///    order is maintained as edges come back (Pearce–Kelly), so a search only visits the
///    nodes between v and u in it; once the step budget is spent, the rest stay cut.
fn heuristic_cut(n: usize, edges: &[Edge]) -> Vec<usize> {
    let backward = |position: &[usize]| -> Vec<bool> {
        edges
            .iter()
            .map(|&(a, b, _)| position[a] > position[b])
            .collect()
    };
    let weight = |cut: &[bool]| -> u128 {
        edges
            .iter()
            .zip(cut)
            .filter(|(_, cut)| **cut)
            .map(|(e, _)| u128::from(e.2))
            .sum()
    };
    let (mut best, mut best_cut) = (None, Vec::new());
    for weighted in [true, false] {
        let position = eades_lin_smyth(n, edges, weighted);
        let cut = backward(&position);
        let cost = weight(&cut);
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, position));
            best_cut = cut;
        }
    }
    let Some((_, position)) = best else {
        return Vec::new();
    };
    let mut cut = best_cut;
    put_back(n, edges, position, &mut cut);
    (0..edges.len()).filter(|&i| cut[i]).collect()
}

/// The nodes of the graph not yet ordered, by what the GR heuristic takes next.
struct Remaining {
    out_count: Vec<usize>,
    in_count: Vec<usize>,
    /// Outgoing minus incoming cost, over the edges still in the graph.
    delta: Vec<i128>,
    sinks: BTreeSet<usize>,
    sources: BTreeSet<usize>,
    /// The others, the greatest `delta` first, then the lowest index.
    others: BTreeSet<(Reverse<i128>, usize)>,
}

impl Remaining {
    fn insert(&mut self, v: usize) {
        if self.out_count[v] == 0 {
            self.sinks.insert(v);
        } else if self.in_count[v] == 0 {
            self.sources.insert(v);
        } else {
            self.others.insert((Reverse(self.delta[v]), v));
        }
    }

    fn remove(&mut self, v: usize) {
        if self.out_count[v] == 0 {
            self.sinks.remove(&v);
        } else if self.in_count[v] == 0 {
            self.sources.remove(&v);
        } else {
            self.others.remove(&(Reverse(self.delta[v]), v));
        }
    }
}

/// The position of each node in the Eades–Lin–Smyth order (see [`heuristic_cut`]), with
/// edges weighed by their cost or each counting one.
fn eades_lin_smyth(n: usize, edges: &[Edge], weighted: bool) -> Vec<usize> {
    let mut outgoing = vec![Vec::new(); n];
    let mut incoming = vec![Vec::new(); n];
    let mut remaining = Remaining {
        out_count: vec![0; n],
        in_count: vec![0; n],
        delta: vec![0; n],
        sinks: BTreeSet::new(),
        sources: BTreeSet::new(),
        others: BTreeSet::new(),
    };
    for &(a, b, w) in edges {
        let w = if weighted { w } else { 1 };
        outgoing[a].push((b, w));
        incoming[b].push((a, w));
        remaining.out_count[a] += 1;
        remaining.in_count[b] += 1;
        remaining.delta[a] += i128::from(w);
        remaining.delta[b] -= i128::from(w);
    }
    for v in 0..n {
        remaining.insert(v);
    }
    let mut done = vec![false; n];
    let mut front = Vec::with_capacity(n);
    let mut back = Vec::new();
    loop {
        let v = if let Some(v) = remaining.sinks.pop_first() {
            back.push(v);
            v
        } else if let Some(v) = remaining
            .sources
            .pop_first()
            .or_else(|| remaining.others.pop_first().map(|(_, v)| v))
        {
            front.push(v);
            v
        } else {
            break;
        };
        done[v] = true;
        for &(w, weight) in &outgoing[v] {
            if !done[w] {
                remaining.remove(w);
                remaining.in_count[w] -= 1;
                remaining.delta[w] += i128::from(weight);
                remaining.insert(w);
            }
        }
        for &(u, weight) in &incoming[v] {
            if !done[u] {
                remaining.remove(u);
                remaining.out_count[u] -= 1;
                remaining.delta[u] -= i128::from(weight);
                remaining.insert(u);
            }
        }
    }
    front.extend(back.into_iter().rev());
    let mut position = vec![0; n];
    for (i, &v) in front.iter().enumerate() {
        position[v] = i;
    }
    position
}

/// Step 3 of [`heuristic_cut`]: `order` is a topological order of the edges not `cut`.
fn put_back(n: usize, edges: &[Edge], mut order: Vec<usize>, cut: &mut [bool]) {
    let mut budget = PUT_BACK_STEPS_PER_EDGE.saturating_mul(edges.len());
    let mut successors = vec![Vec::new(); n];
    let mut predecessors = vec![Vec::new(); n];
    for (i, &(a, b, _)) in edges.iter().enumerate() {
        if !cut[i] {
            successors[a].push(b);
            predecessors[b].push(a);
        }
    }
    let mut candidates: Vec<usize> = (0..edges.len()).filter(|&i| cut[i]).collect();
    candidates.sort_by_key(|&i| (Reverse(edges[i].2), i));
    // Visit marks: a node is in the current search when its mark is the search's stamp.
    let mut mark = vec![0usize; n];
    let mut stamp = 0;
    let (mut forward, mut backward, mut stack) = (Vec::new(), Vec::new(), Vec::new());
    for i in candidates {
        let (u, v, _) = edges[i];
        if order[u] > order[v] {
            // Does v reach u? Only through nodes before u in the order.
            stamp += 1;
            forward.clear();
            stack.clear();
            mark[v] = stamp;
            forward.push(v);
            stack.push(v);
            while let Some(x) = stack.pop() {
                for &y in &successors[x] {
                    if budget == 0 {
                        return;
                    }
                    budget -= 1;
                    if y == u {
                        stack.clear();
                        forward.clear();
                        break;
                    }
                    if order[y] < order[u] && mark[y] != stamp {
                        mark[y] = stamp;
                        forward.push(y);
                        stack.push(y);
                    }
                }
            }
            if forward.is_empty() {
                continue; // u → v closes a cycle: it stays cut
            }
            // What reaches u from after v in the order moves before what v reaches.
            stamp += 1;
            backward.clear();
            mark[u] = stamp;
            backward.push(u);
            stack.push(u);
            while let Some(x) = stack.pop() {
                for &y in &predecessors[x] {
                    if budget == 0 {
                        return;
                    }
                    budget -= 1;
                    if order[y] > order[v] && mark[y] != stamp {
                        mark[y] = stamp;
                        backward.push(y);
                        stack.push(y);
                    }
                }
            }
            backward.sort_unstable_by_key(|&x| order[x]);
            forward.sort_unstable_by_key(|&x| order[x]);
            let mut slots: Vec<usize> =
                backward.iter().chain(&forward).map(|&x| order[x]).collect();
            slots.sort_unstable();
            for (&x, slot) in backward.iter().chain(&forward).zip(slots) {
                order[x] = slot;
            }
        }
        successors[u].push(v);
        predecessors[v].push(u);
        cut[i] = false;
    }
}

/// `a -> b -> a`, and, when the component is more than that one cycle, how much more.
pub(crate) fn cycle_shown(cycle: &Cycle) -> String {
    let shown = cycle.path.join(" -> ");
    let on_path: BTreeSet<&String> = cycle.path.iter().collect();
    let others: Vec<&String> = cycle
        .members
        .iter()
        .filter(|m| !on_path.contains(m))
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

/// Reports each cycle between units (capabilities or teams) made of crate dependencies. The
/// message lists at most [`MAX_CUT_EDGES_LISTED`] cut edges, each with at most a few of its
/// crate dependencies, and counts the rest.
///
/// `grouped` holds the dependencies between co-owned crates too
/// ([`crate::model::CrateNode::co_owned_with`]). A cycle that needs one of them to close is no
/// cycle between teams that own their code apart: it is reported at most as a warning, naming
/// the co-owned crates it passes through.
pub(crate) fn report_unit_cycles(
    unit: &str,
    grouped: &super::context::GroupedDeps,
    team_of: impl Fn(&str) -> Option<String>,
    stand_ins: &BTreeMap<String, crate::core::OwnerKind>,
    settings: &super::RuleSettings,
    out: &mut Vec<super::Draft>,
) {
    use super::boundaries::listing;
    let weights: BTreeMap<(String, String), u64> = grouped
        .iter()
        .map(|((a, b), deps)| ((a.to_string(), b.to_string()), cut_cost(deps)))
        .collect();
    let apart = cycles_apart_from_co_owned(grouped);
    for cycle in find_cycles(&weights) {
        let co_owned = if apart
            .iter()
            .any(|members| members.iter().all(|m| cycle.members.contains(m)))
        {
            Vec::new()
        } else {
            co_owned_crates(grouped, &cycle.members)
        };
        let mut cuts: Vec<String> = cycle
            .cut
            .iter()
            .take(MAX_CUT_EDGES_LISTED)
            .map(|(a, b)| {
                let deps = &grouped[&(a.as_str(), b.as_str())];
                let refs: u32 = deps.iter().map(|d| d.edge.refs).sum();
                let mut crates: Vec<String> = deps
                    .iter()
                    .take(MAX_CRATES_PER_CUT_EDGE)
                    .map(|d| format!("{} -> {}", d.from.name, d.to.name()))
                    .collect();
                if deps.len() > MAX_CRATES_PER_CUT_EDGE {
                    crates.push(format!("{} more", deps.len() - MAX_CRATES_PER_CUT_EDGE));
                }
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
        if cycle.cut.len() > MAX_CUT_EDGES_LISTED {
            cuts.push(format!(
                "and {} more edges ({} in all)",
                cycle.cut.len() - MAX_CUT_EDGES_LISTED,
                cycle.cut.len()
            ));
        }
        let (first_from, first_to) = &cycle.cut[0];
        let first_deps = &grouped[&(first_from.as_str(), first_to.as_str())];
        let cheapest = if cycle.exact {
            "cheapest cut"
        } else {
            "a cheap cut (heuristic)"
        };
        let mut teams: Vec<String> = cycle.members.iter().filter_map(|m| team_of(m)).collect();
        teams.sort();
        teams.dedup();
        let related: Vec<super::Location> = cycle
            .cut
            .iter()
            .flat_map(|(a, b)| {
                grouped[&(a.as_str(), b.as_str())]
                    .iter()
                    .map(|d| d.location())
            })
            .take(super::context::MAX_RELATED)
            .collect();
        let of_kind = |kind| -> Vec<&String> {
            teams
                .iter()
                .filter(|t| stand_ins.get(*t) == Some(&kind))
                .collect()
        };
        let caveat = weaker_cycle(
            &co_owned,
            &of_kind(crate::core::OwnerKind::Individual),
            &of_kind(crate::core::OwnerKind::ReviewGroup),
        );
        out.push(super::Draft {
            message: format!(
                "{} {} depend on each other in a cycle ({}); {cheapest}: {}{}",
                if unit == "capability" {
                    "capabilities"
                } else {
                    "teams"
                },
                listing(&cycle.members),
                cycle_shown(&cycle),
                cuts.join("; "),
                caveat.as_deref().unwrap_or_default(),
            ),
            severity: (caveat.is_some() && settings.severity > super::Severity::Warning)
                .then_some(super::Severity::Warning),
            location: Some(first_deps[0].location()),
            from: Some(unit_id(unit, first_from)),
            to: Some(unit_id(unit, first_to)),
            teams,
            related,
            key: cycle.members.join(","),
            metrics: [
                ("members", cycle.members.len() as f64),
                ("cut_edges", cycle.cut.len() as f64),
            ]
            .into_iter()
            .collect(),
        });
    }
}

/// Why a cycle is weaker evidence than a cycle between teams that own their code apart, if it
/// is: it closes only through co-owned crates, or some of its owners are single people
/// (CODEOWNERS names people, not teams, for their crates) or review groups, whose cycles say
/// little about how teams depend on each other.
fn weaker_cycle(co_owned: &[String], people: &[&String], reviewers: &[&String]) -> Option<String> {
    use super::boundaries::listing;
    let mut said = String::new();
    if !co_owned.is_empty() {
        let (crates, share) = match co_owned.len() {
            1 => ("crate", "shares"),
            _ => ("crates", "share"),
        };
        said.push_str(&format!(
            "; the cycle closes only through co-owned {crates} {}, which {share} an owner with \
             the other side, so it is no cycle between separately owned code",
            listing(co_owned)
        ));
    }
    if !people.is_empty() {
        let (owners, are) = match people.len() {
            1 => ("owner", "is one person, not a team"),
            _ => ("owners", "are single people, not teams"),
        };
        said.push_str(&format!(
            "; its {owners} {} {are} (CODEOWNERS names no team for their crates)",
            listing(people)
        ));
    }
    if !reviewers.is_empty() {
        let (owners, are) = match reviewers.len() {
            1 => (
                "owner",
                "is a review group, which reviews code rather than owns",
            ),
            _ => (
                "owners",
                "are review groups, which review code rather than own",
            ),
        };
        said.push_str(&format!(
            "; its {owners} {} {are} a part of it",
            listing(reviewers)
        ));
    }
    (!said.is_empty()).then_some(said)
}

/// The members of each cycle left once the dependencies between co-owned crates are taken
/// out.
fn cycles_apart_from_co_owned(grouped: &super::context::GroupedDeps) -> Vec<Vec<String>> {
    let apart = |deps: &Vec<super::context::Dep>| {
        deps.iter()
            .any(|dep| dep.to_crate().is_some_and(|to| !dep.from.co_owned_with(to)))
    };
    // Only the components matter here, not their cuts: strongly connected components of the
    // unit edges that have a dependency between separately owned crates.
    let names: Vec<&str> = grouped
        .keys()
        .flat_map(|(a, b)| [*a, *b])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index = |name: &str| names.binary_search(&name).expect("a unit of the edges");
    let mut successors = vec![Vec::new(); names.len()];
    for ((a, b), deps) in grouped {
        if apart(deps) {
            successors[index(a)].push(index(b));
        }
    }
    strongly_connected(&successors)
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| component.iter().map(|&i| names[i].to_string()).collect())
        .collect()
}

/// `name (a + b)` for each co-owned crate at an end of a co-owned dependency between two
/// members, sorted.
fn co_owned_crates(grouped: &super::context::GroupedDeps, members: &[String]) -> Vec<String> {
    let mut crates = std::collections::BTreeSet::new();
    for ((a, b), deps) in grouped {
        if !members.iter().any(|m| m == a) || !members.iter().any(|m| m == b) {
            continue;
        }
        for dep in deps {
            let Some(to) = dep.to_crate() else { continue };
            if dep.from.co_owned_with(to) {
                for krate in [dep.from, to] {
                    if krate.owners.len() > 1 {
                        crates.insert(format!("{} ({})", krate.name, krate.owners.join(" + ")));
                    }
                }
            }
        }
    }
    crates.into_iter().collect()
}

/// The id of a capability or team (`unit` is `capability` or `team`).
fn unit_id(unit: &str, name: &str) -> NodeId {
    match unit {
        "capability" => NodeId::Capability(name.to_string()),
        _ => NodeId::Team(name.to_string()),
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

    /// Whether the graph is acyclic once the cut is removed, checked from scratch.
    fn acyclic_after(graph: &BTreeMap<(String, String), u64>, cut: &[(String, String)]) -> bool {
        let cut: BTreeSet<&(String, String)> = cut.iter().collect();
        let names: Vec<&String> = graph
            .keys()
            .flat_map(|(a, b)| [a, b])
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let id: BTreeMap<&String, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let kept: Vec<Edge> = graph
            .iter()
            .filter(|(e, _)| e.0 != e.1 && !cut.contains(e))
            .map(|((a, b), w)| (id[a], id[b], *w))
            .collect();
        acyclic_without(names.len(), &kept, |_| false)
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
    fn exact_ties_go_to_fewer_edges_then_to_the_first_in_sorted_order() {
        // Two 2-cycles and one 3-cycle sharing nothing; equal weights everywhere.
        let cycles = find_cycles(&edges(&[
            ("a", "b", 2),
            ("b", "a", 2),
            ("c", "d", 1),
            ("d", "e", 1),
            ("e", "c", 1),
            ("x", "y", 1),
            ("y", "x", 1),
            ("y", "z", 0),
        ]));
        let cuts: Vec<&[(String, String)]> = cycles.iter().map(|c| &c.cut[..]).collect();
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            cuts,
            [&[pair("a", "b")][..], &[pair("c", "d")], &[pair("x", "y")]]
        );
        assert!(cycles.iter().all(|c| c.exact));
        assert_eq!(cycles[1].path, ["c", "d", "e", "c"]);
    }

    #[test]
    fn the_heuristic_cut_breaks_every_cycle_of_a_large_component() {
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
        assert!(acyclic_after(&graph, &cycle.cut));
        // Every pair is a 2-cycle, so at least 28 edges go; the heuristic cuts exactly the
        // 28 cheaper ones (every edge against the order n0, n1, ...).
        assert_eq!(cycle.cut.len(), 28);
        assert_eq!(cycle.cut_weight, 28 * 4);
    }

    #[test]
    fn a_thousand_units_with_a_hundred_dependencies_each_get_an_acyclic_cut() {
        // One strongly connected component of 1,000 nodes and 100,000 edges: i -> i+1..i+100
        // around a ring. Any cut must break the 100 "wrap-around" families; cutting where
        // the ring is entered costs 1 + 2 + ... + 100 = 5,050 edges.
        let n = 1_000;
        let name = |i: usize| format!("unit-{i:04}");
        let graph: BTreeMap<(String, String), u64> = (0..n)
            .flat_map(|i| (1..=100).map(move |k| (i, (i + k) % n)))
            .map(|(a, b)| ((name(a), name(b)), 1 + (a * 7 + b) as u64 % 3))
            .collect();
        let cycles = find_cycles(&graph);
        assert_eq!(cycles.len(), 1);
        let cycle = &cycles[0];
        assert_eq!(cycle.members.len(), n);
        assert!(!cycle.exact);
        assert!(acyclic_after(&graph, &cycle.cut));
        assert!(
            cycle.cut.len() <= 5_050 * 2,
            "{} edges cut",
            cycle.cut.len()
        );
        assert!(cycle.cut.windows(2).all(|w| w[0] < w[1]), "sorted");
        // A shortest cycle through unit-0000 takes ten hops of a hundred.
        assert_eq!(cycle.path.len(), 11);
        assert_eq!(find_cycles(&graph), cycles, "deterministic");
    }

    #[test]
    fn the_heuristic_cut_keeps_no_edge_it_does_not_need() {
        // Two rings joined both ways, with one heavy edge: every edge of the cut is needed
        // (putting any back closes a cycle).
        let mut list = Vec::new();
        for i in 0..10 {
            list.push((format!("a{i}"), format!("a{}", (i + 1) % 10), 3));
            list.push((format!("b{i}"), format!("b{}", (i + 1) % 10), 2));
        }
        list.push(("a3".into(), "b7".into(), 50));
        list.push(("b2".into(), "a8".into(), 1));
        let graph: BTreeMap<(String, String), u64> =
            list.into_iter().map(|(a, b, w)| ((a, b), w)).collect();
        let cycles = find_cycles(&graph);
        assert_eq!(cycles.len(), 1);
        let cut = &cycles[0].cut;
        assert!(acyclic_after(&graph, cut));
        for (i, _) in cut.iter().enumerate() {
            let mut fewer = cut.clone();
            fewer.remove(i);
            assert!(!acyclic_after(&graph, &fewer), "{:?} is not needed", cut[i]);
        }
        assert!(!cut.contains(&("a3".to_string(), "b7".to_string())));
    }

    #[test]
    fn a_long_ring_is_one_cycle_without_deep_recursion() {
        let n = 200_000;
        let name = |i: usize| format!("r{i:06}");
        let graph: BTreeMap<(String, String), u64> =
            (0..n).map(|i| ((name(i), name((i + 1) % n)), 1)).collect();
        let cycles = find_cycles(&graph);
        assert_eq!(cycles.len(), 1);
        assert_eq!(cycles[0].cut.len(), 1);
        assert_eq!(cycles[0].path.len(), n + 1);
        assert_eq!(cycle_shown(&cycles[0]).matches(" -> ").count(), n);
    }

    #[test]
    fn components_come_dependencies_first() {
        // 0 -> 1 <-> 2 -> 3
        let components = strongly_connected(&[vec![1], vec![2], vec![1, 3], vec![]]);
        assert_eq!(components, [vec![3], vec![1, 2], vec![0]]);
    }
}
