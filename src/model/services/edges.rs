//! Phase 5, edges: the resolved connections aggregated into one edge per (caller, callee,
//! kind, protocol), with the topic, table and unknown-service nodes they lead to.

use super::resolve::{Connection, EdgeKey, Resolved};
use super::resolver::Resolution;
use super::{
    CallSite, Confidence, KeptApartCall, RuntimeEdge, RuntimeKind, RuntimeNode, ServiceGraph,
    ServiceNode,
};
use crate::core::NodeId;
use crate::model::graph::Site;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn edges(resolved: Resolved) -> ServiceGraph {
    let Resolved {
        mut graph,
        connections,
    } = resolved;
    // Connections are added in evidence order: an edge's repo is its first site's.
    let mut builders: BTreeMap<EdgeKey, EdgeBuilder> = BTreeMap::new();
    let mut apart_builders: BTreeMap<EdgeKey, EdgeBuilder> = BTreeMap::new();
    for connection in connections {
        let Connection {
            site,
            repo,
            via,
            endpoint,
            timeout,
            targets,
            apart,
        } = connection;
        for (into, keys) in [(&mut builders, targets), (&mut apart_builders, apart)] {
            for (key, resolution) in keys {
                into.entry(key).or_default().add(
                    &site,
                    &repo,
                    via.as_deref(),
                    endpoint.as_deref(),
                    resolution.as_ref(),
                    timeout,
                );
            }
        }
    }
    graph.kept_apart = apart_builders
        .into_iter()
        .map(|((from, to, kind, protocol), builder)| KeptApartCall {
            binary: from,
            to,
            edge: builder.finish(kind, protocol),
        })
        .collect();
    // Then the edges in key order, adding the nodes they lead to in that order.
    for ((from, to, kind, protocol), builder) in builders {
        let from_index = graph
            .node_index(&NodeId::Service(from))
            .expect("callers are services");
        let to_index = match &to {
            NodeId::Topic(name) => graph.add_node(RuntimeNode::Topic(name.clone())),
            NodeId::Table(name) => graph.add_node(RuntimeNode::Table(name.clone())),
            _ => match graph.node_index(&to) {
                Some(index) => index,
                // The unknown service, or a declared service whose crate was not scanned.
                None => graph.add_node(RuntimeNode::Service(ServiceNode {
                    name: to.name().to_string(),
                    unknown: to == NodeId::UnknownService,
                    binary: String::new(),
                    krate: String::new(),
                    repo: String::new(),
                    capability: None,
                    team: None,
                    declared: false,
                    routes: Vec::new(),
                    grpc: Vec::new(),
                })),
            },
        };
        graph
            .graph
            .add_edge(from_index, to_index, builder.finish(kind, protocol));
    }
    graph
}

/// One edge being aggregated over its sites.
#[derive(Default)]
struct EdgeBuilder {
    calls: BTreeSet<CallSite>,
    endpoints: BTreeSet<String>,
    resolved_by: BTreeSet<&'static str>,
    confidence: Option<Confidence>,
    timeouts: Vec<Option<bool>>,
    via: BTreeSet<String>,
    repo: String,
    sites: BTreeSet<Site>,
}

impl EdgeBuilder {
    /// Adds a site; `resolution` is `None` for topics and tables, which have no timeout.
    fn add(
        &mut self,
        site: &Site,
        repo: &str,
        via: Option<&str>,
        endpoint: Option<&str>,
        resolution: Option<&Resolution>,
        timeout: Option<bool>,
    ) {
        self.sites.insert(site.clone());
        self.calls.insert(CallSite {
            site: site.clone(),
            endpoint: endpoint.map(str::to_string),
            timeout: resolution.and(timeout),
        });
        if self.repo.is_empty() {
            self.repo = repo.to_string();
        }
        self.via.extend(via.map(str::to_string));
        self.endpoints.extend(endpoint.map(str::to_string));
        if let Some(resolution) = resolution {
            self.resolved_by.insert(resolution.by);
            self.confidence = Some(
                self.confidence
                    .map_or(resolution.confidence, |c| c.min(resolution.confidence)),
            );
            self.timeouts.push(timeout);
        }
    }

    /// The edge: its timeout is `Some(false)` as soon as one site's client has none, known
    /// `true` only when every site's is.
    fn finish(self, kind: RuntimeKind, protocol: Option<&'static str>) -> RuntimeEdge {
        let timeout = if self.timeouts.is_empty() || self.timeouts.iter().any(Option::is_none) {
            if self.timeouts.contains(&Some(false)) {
                Some(false)
            } else {
                None
            }
        } else {
            Some(self.timeouts.iter().all(|t| *t == Some(true)))
        };
        RuntimeEdge {
            kind,
            protocol,
            endpoints: self.endpoints.into_iter().collect(),
            resolved_by: self.resolved_by.into_iter().collect(),
            confidence: self.confidence,
            timeout,
            via: self.via.into_iter().collect(),
            repo: self.repo,
            sites: self.sites.into_iter().collect(),
            calls: self.calls.into_iter().collect(),
        }
    }
}
