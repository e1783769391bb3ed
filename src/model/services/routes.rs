//! Phase 3, routes: the routes each service serves, with router composition across the
//! functions of a crate. A function is known by its file and name; a mount names it by path
//! (`orders::routes`), matched on the name and on the module the file is (`orders.rs`,
//! `orders/mod.rs`). A mount that could mean two functions places neither: their routes are
//! left out rather than given a wrong prefix.

use super::Route;
use super::detect::Detected;
use super::evidence::HitEvidence;
use super::text::{normalize_route, value_text};
use crate::extract::detectors::Role;
use crate::model::graph::Site;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Mounts are followed through at most this many levels of nesting (a mount cycle ends).
const MOUNT_DEPTH: usize = 8;

/// The services with their routes.
pub(super) struct Routed<'a> {
    pub detected: Detected<'a>,
    /// Service binary → its routes (every service has an entry, maybe empty).
    pub routes: BTreeMap<usize, BTreeSet<Route>>,
}

pub(super) fn compose<'a>(detected: Detected<'a>) -> Routed<'a> {
    let mut routes: BTreeMap<usize, BTreeSet<Route>> = BTreeMap::new();
    for &unit in detected.service_of.keys() {
        // The routes of the service's own crate that the binary reaches.
        let package = detected.package_of(unit);
        let own: Vec<&HitEvidence> = detected
            .evidence
            .hits
            .iter()
            .zip(&detected.reach.hits)
            .filter(|(e, units)| e.package == package && units.iter().any(|(u, _)| *u == unit))
            .map(|(e, _)| e)
            .collect();
        routes.insert(unit, service_routes(&own));
    }
    Routed { detected, routes }
}

/// A function that holds routes or mounts: (key `path#name`, name, file path).
type Function<'e> = (String, &'e str, &'e str);

/// `path#function`, the key of the function a hit sits in.
fn function_key(e: &HitEvidence) -> Option<String> {
    e.hit.scope.as_ref().map(|s| format!("{}#{s}", e.path))
}

/// How a crate's functions mount each other.
#[derive(Default)]
struct Mounts {
    /// (mounting function, mounted function, prefix the mount adds), in evidence order.
    edges: Vec<(String, String, String)>,
    /// Functions placed by a mount.
    mounted: HashSet<String>,
    /// Functions a mount might mean, among others: they serve nowhere known.
    unplaced: HashSet<String>,
}

/// The routes of one service crate, from its own evidence.
fn service_routes(own: &[&HitEvidence]) -> BTreeSet<Route> {
    let functions: BTreeSet<Function> = own
        .iter()
        .filter_map(|e| Some((function_key(e)?, e.hit.scope.as_deref()?, &*e.path)))
        .collect();
    let mounts = place_mounts(own, &functions);
    let prefixes_of = prefixes(&functions, &mounts);
    let mut set = BTreeSet::new();
    let root = BTreeSet::from([String::new()]);
    for e in own.iter().filter(|e| e.hit.role == Role::Route) {
        let prefixes = match function_key(e) {
            Some(key) => match prefixes_of.get(&key) {
                Some(prefixes) => prefixes,
                None if mounts.mounted.contains(&key) || mounts.unplaced.contains(&key) => {
                    continue;
                }
                None => &root,
            },
            None => &root,
        };
        for prefix in prefixes {
            let path = format!("{prefix}{}{}", e.hit.prefix, value_text(&e.hit.value));
            set.insert(Route {
                verb: e.hit.verb.clone().unwrap_or_default(),
                path: normalize_route(&path),
                site: Site {
                    path: e.path.clone(),
                    line: e.hit.line,
                },
            });
        }
    }
    set
}

/// Resolves each mount to the one function it names, or marks all it might name unplaced.
fn place_mounts(own: &[&HitEvidence], functions: &BTreeSet<Function>) -> Mounts {
    let mut mounts = Mounts::default();
    for mount in own.iter().filter(|e| e.hit.role == Role::RouteMount) {
        let (Some(from), Some(target)) = (function_key(mount), &mount.hit.target) else {
            continue;
        };
        let mut segments = target.rsplit("::");
        let name = segments.next().unwrap_or(target);
        let module = segments
            .next()
            .filter(|m| !matches!(*m, "self" | "crate" | "super"));
        let named = |in_module: bool| -> Vec<&String> {
            functions
                .iter()
                .filter(|(_, function, path)| {
                    *function == name && (!in_module || module.is_none_or(|m| module_of(path) == m))
                })
                .map(|(key, _, _)| key)
                .collect()
        };
        // An inline `mod orders { .. }` is not a file: then the name alone must do.
        let mut candidates = named(true);
        if candidates.is_empty() {
            candidates = named(false);
        }
        match candidates[..] {
            [only] => {
                mounts.mounted.insert(only.clone());
                let added = format!("{}{}", mount.hit.prefix, value_text(&mount.hit.value));
                mounts.edges.push((from, only.clone(), added));
            }
            _ => mounts.unplaced.extend(candidates.into_iter().cloned()),
        }
    }
    mounts
}

/// The prefixes each function serves under: functions mounted nowhere serve at the root,
/// mounted ones under each prefix that reaches them, up to [`MOUNT_DEPTH`] levels deep.
fn prefixes(functions: &BTreeSet<Function>, mounts: &Mounts) -> HashMap<String, BTreeSet<String>> {
    let mut prefixes_of: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut frontier: Vec<(String, String)> = functions
        .iter()
        .map(|(key, _, _)| key)
        .filter(|key| !mounts.mounted.contains(*key) && !mounts.unplaced.contains(*key))
        .map(|key| (key.clone(), String::new()))
        .collect();
    for _ in 0..MOUNT_DEPTH {
        let mut next = Vec::new();
        for (function, prefix) in frontier {
            if !prefixes_of
                .entry(function.clone())
                .or_default()
                .insert(prefix.clone())
            {
                continue;
            }
            for (from, to, added) in &mounts.edges {
                if *from == function {
                    next.push((to.clone(), format!("{prefix}{added}")));
                }
            }
        }
        frontier = next;
    }
    prefixes_of
}

/// The module a source file is: `orders` for `src/orders.rs` and `src/orders/mod.rs`, empty
/// for a crate root.
fn module_of(path: &str) -> &str {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or(path);
    match file.strip_suffix(".rs").unwrap_or(file) {
        "mod" => parts.next().unwrap_or(""),
        "main" | "lib" => "",
        stem => stem,
    }
}
