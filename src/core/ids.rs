//! Typed node ids of the crate graph and the run-time graph. Inside capgraph a node is named by
//! a [`NodeId`]; the `KIND:NAME` strings exist only where JSON is written (`Display`,
//! `Serialize`) and read ([`NodeId::parse`]).

use std::cmp::Ordering;
use std::fmt;

/// The id of a node: its kind and its name. The callee of a call that resolves to no known
/// service is [`NodeId::UnknownService`], never a service named `unknown`, so that a real
/// service of that name cannot absorb unresolved calls.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NodeId {
    Team(String),
    Capability(String),
    /// A crate of a scanned repository, by package name.
    Crate(String),
    /// A third-party crate, by package name.
    External(String),
    Service(String),
    Topic(String),
    Table(String),
    /// Where calls go whose callee could not be resolved (written `service:unknown`).
    UnknownService,
}

/// The name [`NodeId::UnknownService`] is written with.
pub const UNKNOWN_NAME: &str = "unknown";

impl NodeId {
    /// The kind as JSON writes it before the colon.
    pub fn kind(&self) -> &'static str {
        match self {
            NodeId::Team(_) => "team",
            NodeId::Capability(_) => "capability",
            NodeId::Crate(_) => "crate",
            NodeId::External(_) => "external",
            NodeId::Service(_) | NodeId::UnknownService => "service",
            NodeId::Topic(_) => "topic",
            NodeId::Table(_) => "table",
        }
    }

    /// The name after the colon.
    pub fn name(&self) -> &str {
        match self {
            NodeId::Team(name)
            | NodeId::Capability(name)
            | NodeId::Crate(name)
            | NodeId::External(name)
            | NodeId::Service(name)
            | NodeId::Topic(name)
            | NodeId::Table(name) => name,
            NodeId::UnknownService => UNKNOWN_NAME,
        }
    }

    /// Reads a `KIND:NAME` string (the JSON form); `service:unknown` is the unknown service.
    pub fn parse(text: &str) -> Option<NodeId> {
        let (kind, name) = text.split_once(':')?;
        let name = name.to_string();
        Some(match kind {
            "team" => NodeId::Team(name),
            "capability" => NodeId::Capability(name),
            "crate" => NodeId::Crate(name),
            "external" => NodeId::External(name),
            "service" if name == UNKNOWN_NAME => NodeId::UnknownService,
            "service" => NodeId::Service(name),
            "topic" => NodeId::Topic(name),
            "table" => NodeId::Table(name),
            _ => return None,
        })
    }
}

/// Ids sort as their JSON strings do (kind, then name), so that every output ordered by id
/// keeps its order. No kind is a prefix of another, so two different kinds differ at a
/// character before either string's colon, and comparing the kinds first decides the same.
/// The unknown service sorts right after a service named `unknown`.
impl Ord for NodeId {
    fn cmp(&self, other: &NodeId) -> Ordering {
        let unknown = |id: &NodeId| matches!(id, NodeId::UnknownService);
        (self.kind(), self.name(), unknown(self)).cmp(&(other.kind(), other.name(), unknown(other)))
    }
}

impl PartialOrd for NodeId {
    fn partial_cmp(&self, other: &NodeId) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind(), self.name())
    }
}

/// An id equals its JSON string (`crate:NAME`), so that tests and readers of JSON can compare.
/// `service:unknown` is the unknown callee's string: a service *named* `unknown` prints the
/// same but does not equal it (JSON cannot tell them apart; the model can).
impl PartialEq<&str> for NodeId {
    fn eq(&self, other: &&str) -> bool {
        other
            .split_once(':')
            .is_some_and(|(kind, name)| kind == self.kind() && name == self.name())
            && (*other != "service:unknown" || *self == NodeId::UnknownService)
    }
}

impl serde::Serialize for NodeId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_order_as_their_strings() {
        let ids = [
            NodeId::Team("a".into()),
            NodeId::Table("z".into()),
            NodeId::Topic("b".into()),
            NodeId::Crate("x-y".into()),
            NodeId::Crate("x".into()),
            NodeId::Capability("c".into()),
            NodeId::External("e".into()),
            NodeId::UnknownService,
            NodeId::Service("unknowm".into()),
            NodeId::Service("unknownz".into()),
        ];
        let mut by_id = ids.to_vec();
        by_id.sort();
        let mut by_string = ids.to_vec();
        by_string.sort_by_key(|id| id.to_string());
        assert_eq!(by_id, by_string);
    }

    #[test]
    fn the_unknown_service_is_no_service_named_unknown() {
        assert_ne!(NodeId::UnknownService, NodeId::Service("unknown".into()));
        assert_eq!(NodeId::UnknownService.to_string(), "service:unknown");
        assert_eq!(
            NodeId::parse("service:unknown"),
            Some(NodeId::UnknownService)
        );
        assert_eq!(
            NodeId::parse("crate:a:b"),
            Some(NodeId::Crate("a:b".into()))
        );
        assert_eq!(NodeId::parse("nothing"), None);
    }
}
