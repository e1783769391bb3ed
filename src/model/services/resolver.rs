//! The `Resolver`: who a call reaches, from the strongest evidence available, in order:
//! capgraph.toml `hosts`/`env`; env wiring in deploy files; a literal host naming a service;
//! the one service whose routes match the call's path. Anything ambiguous stays unresolved:
//! a wrong edge is worse than a missing one.

use super::text::{normalize_route, value_text};
use super::{Confidence, Route, Wiring};
use crate::config::Config;
use crate::extract::services::{Part, Value};
use std::collections::{BTreeMap, BTreeSet};

/// What a call resolved to.
pub(super) struct Resolution {
    pub callee: Option<String>,
    pub by: &'static str,
    pub confidence: Confidence,
}

impl Resolution {
    /// Nothing found.
    pub(super) fn unresolved() -> Resolution {
        Resolution {
            callee: None,
            by: "unresolved",
            confidence: Confidence::Low,
        }
    }
}

/// What a call's URL tells: its host or env var, and its path template.
pub(super) struct Url {
    env: Option<String>,
    pub host: Option<String>,
    /// The path template with `{}` for unknown segments, when it is known from its start.
    pub path: Option<String>,
    /// The URL as text, for the edge's endpoint.
    pub display: String,
}

impl Url {
    pub(super) fn of(value: &Value) -> Url {
        let display = value_text(value);
        let (env, host, rest) = match value.first() {
            Some(Part::Env(name)) => (Some(name.clone()), None, &value[1..]),
            Some(Part::Lit(text)) if text.contains("://") => {
                let after = &text[text.find("://").expect("contains") + 3..];
                let (authority, path) = after.split_at(after.find('/').unwrap_or(after.len()));
                let host = authority.rsplit('@').next().unwrap_or(authority);
                let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
                let mut rest = vec![Part::Lit(path.to_string())];
                rest.extend(value[1..].iter().cloned());
                return Url {
                    env: None,
                    host: Some(host),
                    path: path_template(&rest),
                    display,
                };
            }
            // A base URL capgraph cannot see (a value, a field, a constant it could not
            // resolve): the path after it is still known.
            Some(Part::Hole | Part::Field(_) | Part::Const(_)) => (None, None, &value[1..]),
            _ => (None, None, &value[..]),
        };
        Url {
            env,
            host,
            path: path_template(rest),
            display,
        }
    }
}

/// The normalized path of a URL's remainder, when it starts with a literal `/`.
fn path_template(parts: &[Part]) -> Option<String> {
    match parts.first() {
        Some(Part::Lit(text)) if text.starts_with('/') => {
            let text = value_text(&parts.to_vec());
            let text = text.split(['?', '#']).next().unwrap_or(&text);
            Some(normalize_route(text))
        }
        _ => None,
    }
}

/// Resolves HTTP calls; gRPC clients are resolved by the service name they carry instead.
pub(super) struct Resolver<'a> {
    pub config: &'a Config,
    pub wiring: &'a Wiring,
    /// Service id → crate index.
    pub services: &'a BTreeMap<String, usize>,
    /// Service id → the routes it serves.
    pub routes: BTreeMap<String, Vec<Route>>,
    /// The names a service answers to in hosts and deploy files: its id, and its crate's
    /// name when that crate has exactly one service binary (a compose service is often named
    /// after the crate, `orders-svc`, while the binary is `server`).
    pub named: BTreeMap<String, String>,
}

/// Each service id, and each crate name with exactly one service binary, → the service.
pub(super) fn service_names_and_crates(
    services: &BTreeMap<String, usize>,
    crate_name: impl Fn(usize) -> String,
) -> BTreeMap<String, String> {
    let mut named: BTreeMap<String, String> =
        services.keys().map(|id| (id.clone(), id.clone())).collect();
    let mut by_crate: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for (id, &package) in services {
        by_crate.entry(crate_name(package)).or_default().push(id);
    }
    for (krate, ids) in by_crate {
        if let [only] = ids[..] {
            named.entry(krate).or_insert_with(|| only.clone());
        }
    }
    named
}

impl Resolver<'_> {
    /// The callee of `caller`'s call to `url`, each source tried in the order of the
    /// module's documentation.
    pub(super) fn resolve(&self, caller: &str, url: &Url, verb: Option<&str>) -> Resolution {
        let found = |callee: String, by, confidence| Resolution {
            callee: Some(callee),
            by,
            confidence,
        };
        if let Some(env) = &url.env {
            if let Some((id, _)) = self
                .config
                .services
                .iter()
                .find(|(_, s)| s.env.iter().any(|e| e == env))
            {
                return found(id.clone(), "config", Confidence::High);
            }
            if let Some(host) = self.env_host(caller, env) {
                return match self.host_service(&host) {
                    Some((service, _)) => found(service, "deploy", Confidence::High),
                    // The variable points outside the organization's services.
                    None => Resolution {
                        callee: None,
                        by: "deploy",
                        confidence: Confidence::Low,
                    },
                };
            }
        }
        if let Some(host) = &url.host {
            return match self.host_service(host) {
                Some((service, by)) => found(service, by, Confidence::High),
                None => Resolution {
                    callee: None,
                    by: "host",
                    confidence: Confidence::Low,
                },
            };
        }
        // The caller is a candidate too: when it serves the path itself, the call may well be
        // to another instance of it, and naming another service would be a guess.
        if let Some(path) = &url.path {
            let matching: Vec<&String> = self
                .routes
                .iter()
                .filter(|(_, routes)| routes.iter().any(|r| route_matches(r, path, verb)))
                .map(|(service, _)| service)
                .collect();
            if let [only] = &matching[..] {
                return found((*only).clone(), "route", Confidence::Medium);
            }
        }
        Resolution {
            callee: None,
            by: "unresolved",
            confidence: Confidence::Low,
        }
    }

    /// Whether `service` serves a route a call to `path` with `verb` can reach.
    pub(super) fn serves(&self, service: &str, path: &str, verb: Option<&str>) -> bool {
        self.routes
            .get(service)
            .is_some_and(|routes| routes.iter().any(|r| route_matches(r, path, verb)))
    }

    /// The host an env var points at for `caller`: its own workload's value, or the value
    /// every workload that sets the variable agrees on.
    fn env_host(&self, caller: &str, env: &str) -> Option<String> {
        // The caller's workload is named after its binary, or after its crate.
        let own = self.wiring.env_value(caller, env).or_else(|| {
            self.named
                .iter()
                .find(|(name, id)| *id == caller && *name != caller)
                .and_then(|(krate, _)| self.wiring.env_value(krate, env))
        });
        let value = match own {
            Some(value) => value.to_string(),
            None => {
                let values: BTreeSet<&str> = self
                    .wiring
                    .workloads
                    .keys()
                    .filter_map(|workload| self.wiring.env_value(workload, env))
                    .collect();
                let [only] = values.into_iter().collect::<Vec<_>>()[..] else {
                    return None;
                };
                only.to_string()
            }
        };
        Url::of(&vec![Part::Lit(value)]).host
    }

    /// The service a host name reaches: config `hosts`, then deploy workloads, then a
    /// service of that very name.
    fn host_service(&self, host: &str) -> Option<(String, &'static str)> {
        if let Some((id, _)) = self
            .config
            .services
            .iter()
            .find(|(_, s)| s.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)))
        {
            return Some((id.clone(), "config"));
        }
        if let Some(workloads) = self.wiring.hosts.get(host)
            && let [only] = &workloads.iter().collect::<Vec<_>>()[..]
            && let Some(service) = self.named.get(*only)
        {
            return Some((service.clone(), "deploy"));
        }
        if let Some(service) = self.named.get(host) {
            return Some((service.clone(), "host"));
        }
        // Kubernetes names a Service `NAME.NAMESPACE.svc.cluster.local` (or a shorter form).
        let first = host.split('.').next().unwrap_or(host);
        let cluster = host.ends_with(".svc") || host.contains(".svc.");
        if first != host && cluster {
            return self.host_service(first);
        }
        None
    }
}

/// Whether a served route can be what a call's path and verb reach.
fn route_matches(route: &Route, path: &str, verb: Option<&str>) -> bool {
    if let Some(verb) = verb
        && !route.verb.is_empty()
        && !route.verb.split(',').any(|v| v == verb)
    {
        return false;
    }
    let served: Vec<&str> = route.path.split('/').collect();
    let called: Vec<&str> = path.split('/').collect();
    served.len() == called.len()
        && served
            .iter()
            .zip(&called)
            .all(|(s, c)| *s == "{}" || *c == "{}" || s == c)
        // Only a literal segment both sides share is evidence: `/{}` matches anything.
        && served
            .iter()
            .zip(&called)
            .any(|(s, c)| !s.is_empty() && *s != "{}" && s == c)
}
