//! A layered layout (in the manner of Sugiyama) for the report's SVG maps: cycles broken by a
//! depth-first search, dependencies placed in lower layers than their dependents, wide layers
//! wrapped into several rows, and nodes ordered within rows by the barycenter of their
//! neighbours to keep edges short. Deterministic: every tie is broken by node order. Linear
//! in nodes and edges (times the six barycenter sweeps, with a sort per row), with no
//! recursion; the report bounds what it gives this (`html::MAX_MAP_NODES`, `MAX_MAP_EDGES`).

use std::collections::BTreeSet;

/// Nodes per row before a layer wraps onto another row.
pub const MAX_PER_ROW: usize = 10;
const NODE_HEIGHT: f64 = 40.0;
const ROW_GAP: f64 = 70.0;
const NODE_GAP: f64 = 26.0;
const MARGIN: f64 = 20.0;
const CHAR_WIDTH: f64 = 7.2;

/// A node to place: its width follows its longest label line.
#[derive(Debug, Clone)]
pub struct LayoutNode {
    pub label: String,
    pub sublabel: String,
}

/// A directed edge `from → to` meaning "from depends on (or calls) to"; only edges with
/// `layering` set decide the layers (others are drawn wherever their ends land).
#[derive(Debug, Clone, Copy)]
pub struct LayoutEdge {
    pub from: usize,
    pub to: usize,
    pub layering: bool,
}

/// Where each node goes and how each edge is drawn.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    /// Top-left corner and size of each node, by input index.
    pub boxes: Vec<(f64, f64, f64, f64)>,
    /// An SVG path per input edge.
    pub paths: Vec<String>,
    pub width: f64,
    pub height: f64,
}

/// Places the nodes and routes the edges.
pub fn layered(nodes: &[LayoutNode], edges: &[LayoutEdge]) -> Placement {
    let n = nodes.len();
    if n == 0 {
        return Placement::default();
    }
    let mut successors: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for edge in edges.iter().filter(|e| e.layering && e.from != e.to) {
        successors[edge.from].insert(edge.to);
    }
    let (acyclic, finished) = break_cycles(&successors);

    // Longest path to a sink: things nothing else depends on sit at the top. `finished` is
    // a postorder of the acyclic graph, so every node comes after its successors.
    let mut layer = vec![0usize; n];
    for &v in &finished {
        layer[v] = acyclic[v].iter().map(|&w| layer[w] + 1).max().unwrap_or(0);
    }
    let top = layer.iter().copied().max().unwrap_or(0);

    // Rows, top first; a layer wider than MAX_PER_ROW wraps.
    let mut by_layer: Vec<Vec<usize>> = vec![Vec::new(); top + 1];
    for v in 0..n {
        by_layer[layer[v]].push(v);
    }
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for members in by_layer.iter().rev() {
        for chunk in members.chunks(MAX_PER_ROW) {
            rows.push(chunk.to_vec());
        }
    }

    // Barycenter sweeps, down then up, against the neighbours in the adjacent rows.
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
    for edge in edges.iter().filter(|e| e.from != e.to) {
        neighbours[edge.from].push(edge.to);
        neighbours[edge.to].push(edge.from);
    }
    let mut position = vec![0.0; n];
    let mut row_of = vec![0usize; n];
    for (r, row) in rows.iter().enumerate() {
        for (i, &v) in row.iter().enumerate() {
            position[v] = i as f64;
            row_of[v] = r;
        }
    }
    for sweep in 0..6 {
        let order: Vec<usize> = if sweep % 2 == 0 {
            (1..rows.len()).collect()
        } else {
            (0..rows.len().saturating_sub(1)).rev().collect()
        };
        for r in order {
            let reference = if sweep % 2 == 0 { r - 1 } else { r + 1 };
            let mut keyed: Vec<(f64, usize)> = rows[r]
                .iter()
                .map(|&v| {
                    let near: Vec<f64> = neighbours[v]
                        .iter()
                        .filter(|&&w| row_of[w] == reference)
                        .map(|&w| position[w])
                        .collect();
                    let key = if near.is_empty() {
                        position[v]
                    } else {
                        near.iter().sum::<f64>() / near.len() as f64
                    };
                    (key, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            rows[r] = keyed.into_iter().map(|(_, v)| v).collect();
            for (i, &v) in rows[r].iter().enumerate() {
                position[v] = i as f64;
            }
        }
    }

    // Coordinates: rows centred on the widest one.
    let widths: Vec<f64> = nodes
        .iter()
        .map(|node| {
            let longest = node
                .label
                .chars()
                .count()
                .max(node.sublabel.chars().count());
            (longest as f64 * CHAR_WIDTH + 24.0).max(90.0)
        })
        .collect();
    let row_widths: Vec<f64> = rows
        .iter()
        .map(|row| {
            row.iter().map(|&v| widths[v]).sum::<f64>() + NODE_GAP * (row.len() as f64 - 1.0)
        })
        .collect();
    let widest = row_widths.iter().copied().fold(0.0, f64::max);
    let mut boxes = vec![(0.0, 0.0, 0.0, 0.0); n];
    for (r, row) in rows.iter().enumerate() {
        let mut x = MARGIN + (widest - row_widths[r]) / 2.0;
        let y = MARGIN + r as f64 * (NODE_HEIGHT + ROW_GAP);
        for &v in row {
            boxes[v] = (x.round(), y, widths[v].round(), NODE_HEIGHT);
            x += widths[v] + NODE_GAP;
        }
    }

    // Edges leave the bottom of the upper node and enter the top of the lower one; an edge
    // within a row arcs above it. Parallel edges of one pair fan out a little.
    let mut seen_pairs: std::collections::BTreeMap<(usize, usize), usize> = Default::default();
    let paths = edges
        .iter()
        .map(|edge| {
            let (a, b) = (edge.from.min(edge.to), edge.from.max(edge.to));
            let nth = seen_pairs.entry((a, b)).or_insert(0);
            let offset = *nth as f64 * 6.0;
            *nth += 1;
            route(boxes[edge.from], boxes[edge.to], offset)
        })
        .collect();
    Placement {
        boxes,
        paths,
        width: (widest + 2.0 * MARGIN).round(),
        height: (MARGIN * 2.0 + rows.len() as f64 * (NODE_HEIGHT + ROW_GAP) - ROW_GAP).round(),
    }
}

/// A cubic curve from one box to another.
fn route(from: (f64, f64, f64, f64), to: (f64, f64, f64, f64), offset: f64) -> String {
    let (fx, fy, fw, fh) = from;
    let (tx, ty, tw, th) = to;
    let (x1, x2) = (fx + fw / 2.0 + offset, tx + tw / 2.0 + offset);
    if (fy - ty).abs() < 1.0 {
        // Same row: an arc above.
        let lift = 30.0 + offset;
        return format!(
            "M{x1:.0},{fy:.0} C{x1:.0},{:.0} {x2:.0},{:.0} {x2:.0},{ty:.0}",
            fy - lift,
            ty - lift
        );
    }
    let (y1, y2) = if fy < ty {
        (fy + fh, ty)
    } else {
        (fy, ty + th)
    };
    let mid = (y1 + y2) / 2.0;
    format!("M{x1:.0},{y1:.0} C{x1:.0},{mid:.0} {x2:.0},{mid:.0} {x2:.0},{y2:.0}")
}

/// The successors of each node without the edges that close a cycle (back edges of a
/// depth-first search in node order), and the nodes in the order the search finished them
/// (each after all its remaining successors). Iterative: a long chain cannot overflow the
/// stack. O(n + m).
fn break_cycles(successors: &[BTreeSet<usize>]) -> (Vec<Vec<usize>>, Vec<usize>) {
    let n = successors.len();
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut acyclic = vec![Vec::new(); n];
    let mut finished = Vec::with_capacity(n);
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        // Iterative DFS: (node, successors still to visit).
        let mut stack: Vec<(usize, Vec<usize>)> =
            vec![(start, successors[start].iter().rev().copied().collect())];
        state[start] = 1;
        while let Some((v, pending)) = stack.last_mut() {
            let v = *v;
            match pending.pop() {
                Some(w) => match state[w] {
                    0 => {
                        acyclic[v].push(w);
                        state[w] = 1;
                        stack.push((w, successors[w].iter().rev().copied().collect()));
                    }
                    2 => acyclic[v].push(w),
                    _ => {} // a back edge: it closes a cycle
                },
                None => {
                    state[v] = 2;
                    finished.push(v);
                    stack.pop();
                }
            }
        }
    }
    (acyclic, finished)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(label: &str) -> LayoutNode {
        LayoutNode {
            label: label.to_string(),
            sublabel: String::new(),
        }
    }

    #[test]
    fn dependencies_sit_below_their_dependents_even_in_a_cycle() {
        let nodes = vec![node("app"), node("lib"), node("core"), node("loop")];
        let edges = [
            LayoutEdge {
                from: 0,
                to: 1,
                layering: true,
            },
            LayoutEdge {
                from: 1,
                to: 2,
                layering: true,
            },
            LayoutEdge {
                from: 2,
                to: 3,
                layering: true,
            },
            LayoutEdge {
                from: 3,
                to: 2,
                layering: true,
            },
        ];
        let placed = layered(&nodes, &edges);
        let y = |i: usize| placed.boxes[i].1;
        assert!(
            y(0) < y(1) && y(1) < y(2) && y(2) < y(3),
            "{:?}",
            placed.boxes
        );
        assert_eq!(placed.paths.len(), 4);
        assert_eq!(layered(&nodes, &edges).paths, placed.paths, "deterministic");
    }

    #[test]
    fn a_long_chain_is_laid_out_without_deep_recursion() {
        let n = 100_000;
        let nodes: Vec<LayoutNode> = (0..n).map(|i| node(&format!("n{i}"))).collect();
        let edges: Vec<LayoutEdge> = (0..n)
            .map(|i| LayoutEdge {
                from: i,
                to: (i + 1) % n,
                layering: true,
            })
            .collect();
        let placed = layered(&nodes, &edges);
        // The cycle is broken at the edge back to n0: n0 on top, one row per node.
        assert_eq!(placed.boxes[0].1, MARGIN);
        assert!(placed.boxes[n - 1].1 > placed.boxes[n - 2].1);
        assert_eq!(placed.paths.len(), n);
    }

    #[test]
    fn a_wide_layer_wraps() {
        let nodes: Vec<LayoutNode> = (0..25).map(|i| node(&format!("n{i}"))).collect();
        let placed = layered(&nodes, &[]);
        let rows: BTreeSet<i64> = placed.boxes.iter().map(|b| b.1 as i64).collect();
        assert_eq!(rows.len(), 3);
    }
}
