//! OPS rules: the run-time calls between services (see `model::services`).

pub mod cross_team_sync_call;
pub mod deep_sync_chain;
pub mod sync_call_cycle;
pub mod undeclared_call;
pub mod unguarded_call;
pub mod unknown_callee;

use super::Location;
use super::context::RuntimeDep;
use crate::core::NodeId;
use crate::model::services::CallSite;
use std::collections::BTreeMap;

/// The sites of a call edge that pass `keep`, grouped by the endpoint they call (in endpoint
/// order), so that a finding can name one endpoint and sit at its call site.
pub(crate) fn sites_by_endpoint<'a>(
    dep: &RuntimeDep<'a>,
    keep: impl Fn(&CallSite) -> bool,
) -> BTreeMap<String, Vec<&'a CallSite>> {
    let mut grouped: BTreeMap<String, Vec<&CallSite>> = BTreeMap::new();
    for call in dep.edge.calls.iter().filter(|c| keep(c)) {
        let endpoint = call
            .endpoint
            .clone()
            .unwrap_or_else(|| dep.edge.protocol.unwrap_or("call").to_string());
        grouped.entry(endpoint).or_default().push(call);
    }
    grouped
}

/// One call site and endpoint, with every caller whose edge holds it: a call site in a
/// library that several services use is one finding naming them all, not one per service.
pub(crate) struct SiteCalls<'a> {
    pub endpoint: String,
    /// The callers' edges, in the order met (caller order), each with its calls of the site.
    pub callers: Vec<(RuntimeDep<'a>, Vec<&'a CallSite>)>,
}

impl<'a> SiteCalls<'a> {
    /// Groups each edge's calls (as `sites_by_endpoint` gives them) by (first site, endpoint,
    /// callee), in that order. The callee is in the key because one library site can reach
    /// different services from different callers (each deployed with its own env).
    pub fn group(
        edges: impl Iterator<Item = (RuntimeDep<'a>, BTreeMap<String, Vec<&'a CallSite>>)>,
    ) -> Vec<SiteCalls<'a>> {
        let mut groups: BTreeMap<(Location, String, NodeId), SiteCalls<'a>> = BTreeMap::new();
        for (dep, by_endpoint) in edges {
            for (endpoint, calls) in by_endpoint {
                let Some(first) = call_locations(&dep, &calls).into_iter().next() else {
                    continue;
                };
                groups
                    .entry((first, endpoint.clone(), dep.to.id()))
                    .or_insert_with(|| SiteCalls {
                        endpoint,
                        callers: Vec::new(),
                    })
                    .callers
                    .push((dep, calls));
            }
        }
        groups.into_values().collect()
    }

    /// Groups calls to the unknown callee: those to a literal external host by (host, the
    /// caller's capability), whatever the site and path, so that one provider is one finding
    /// per capability; the others as [`SiteCalls::group`] does. The endpoint of a host group
    /// is `scheme://host`.
    pub fn group_by_host(
        edges: impl Iterator<Item = (RuntimeDep<'a>, BTreeMap<String, Vec<&'a CallSite>>)>,
    ) -> Vec<SiteCalls<'a>> {
        let mut by_host: BTreeMap<(String, Option<String>), SiteCalls<'a>> = BTreeMap::new();
        let mut by_site: Vec<(RuntimeDep<'a>, BTreeMap<String, Vec<&'a CallSite>>)> = Vec::new();
        for (dep, by_endpoint) in edges {
            let mut rest = BTreeMap::new();
            for (endpoint, calls) in by_endpoint {
                match literal_host(&endpoint) {
                    Some(host) => {
                        let group = by_host
                            .entry((host.clone(), dep.from.capability.clone()))
                            .or_insert_with(|| SiteCalls {
                                endpoint: host,
                                callers: Vec::new(),
                            });
                        match group
                            .callers
                            .iter_mut()
                            .find(|(d, _)| d.from.name == dep.from.name)
                        {
                            Some((_, existing)) => existing.extend(calls),
                            None => group.callers.push((dep, calls)),
                        }
                    }
                    None => {
                        rest.insert(endpoint, calls);
                    }
                }
            }
            if !rest.is_empty() {
                by_site.push((dep, rest));
            }
        }
        let mut groups: Vec<SiteCalls<'a>> = by_host.into_values().collect();
        groups.extend(Self::group(by_site.into_iter()));
        groups
    }

    /// The first caller's edge: where the site, the protocol and the callee come from.
    pub fn first(&self) -> &RuntimeDep<'a> {
        &self.callers[0].0
    }

    /// The call sites, deduplicated, the first first.
    pub fn related(&self) -> Vec<Location> {
        let mut related: Vec<Location> = Vec::new();
        for (dep, calls) in &self.callers {
            for location in call_locations(dep, calls) {
                if !related.contains(&location) && related.len() < super::context::MAX_RELATED {
                    related.push(location);
                }
            }
        }
        related
    }

    /// `checkout-svc (checkout, team orders)`, or for several callers `services a (..), b (..)
    /// and 3 more` (the first five described).
    pub fn callers_described(&self, context: &super::Context) -> String {
        const SHOWN: usize = 5;
        let described: Vec<String> = self
            .callers
            .iter()
            .take(SHOWN)
            .map(|(dep, _)| context.describe_service(dep.from))
            .collect();
        match self.callers.len() {
            1 => described[0].clone(),
            n if n <= SHOWN => format!("services {}", super::boundaries::listing(&described)),
            n => format!("services {} and {} more", described.join(", "), n - SHOWN),
        }
    }

    /// `calls` for one caller, `call` for several.
    pub fn verb(&self) -> &'static str {
        if self.callers.len() == 1 {
            "calls"
        } else {
            "call"
        }
    }

    /// The teams of the callers and of the callee, deduplicated, in order.
    pub fn teams(&self, context: &super::Context, callee_team: Option<&str>) -> Vec<String> {
        let mut sides: Vec<Option<&str>> = self
            .callers
            .iter()
            .map(|(dep, _)| dep.from.team.as_deref())
            .collect();
        sides.push(callee_team);
        context.teams(&sides)
    }
}

/// `https://api.example.com` for an endpoint `POST https://api.example.com/v1/x` whose host
/// is written out (no `{..}` placeholder in it).
pub(crate) fn literal_host(endpoint: &str) -> Option<String> {
    let url = endpoint.rsplit(' ').next()?;
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?']).next()?;
    let literal = !host.is_empty() && !host.contains('{') && !scheme.contains('{');
    literal.then(|| format!("{scheme}://{host}"))
}

/// The locations of call sites.
pub(crate) fn call_locations(dep: &RuntimeDep, calls: &[&CallSite]) -> Vec<Location> {
    calls
        .iter()
        .take(super::context::MAX_RELATED)
        .map(|c| Location::new(&dep.edge.repo, &c.site.path, Some(c.site.line)))
        .collect()
}

/// `http POST {X}/y`: a protocol and one endpoint.
pub(crate) fn one_endpoint(dep: &RuntimeDep, endpoint: &str) -> String {
    let protocol = dep.edge.protocol.unwrap_or("call");
    if endpoint == protocol {
        protocol.to_string()
    } else {
        format!("{protocol} {endpoint}")
    }
}

/// `grpc acme.payments.v1.Payments` or `http GET {CATALOG_URL}/v1/products/{}`: what is
/// called, for messages (the first endpoints).
pub(crate) fn what_is_called(dep: &RuntimeDep) -> String {
    let protocol = dep.edge.protocol.unwrap_or("call");
    let mut endpoints: Vec<&str> = dep
        .edge
        .endpoints
        .iter()
        .map(String::as_str)
        .take(3)
        .collect();
    if dep.edge.endpoints.len() > 3 {
        endpoints.push("...");
    }
    if endpoints.is_empty() {
        protocol.to_string()
    } else {
        format!("{protocol} {}", endpoints.join(", "))
    }
}
