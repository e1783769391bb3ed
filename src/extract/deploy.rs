//! Deployment manifests: docker-compose files and Kubernetes manifests, read for the workloads
//! they run, the host names other workloads reach each one by, and the literal environment
//! each one gets, so that the service-call model can resolve a URL or an env var to a service.
//!
//! Every `.yml`/`.yaml` file other than a Backstage catalog reaches this module, so it first
//! looks cheaply for what it reads (a top-level `services:` line, or both `apiVersion` and
//! `kind`) and returns no workloads without parsing otherwise. A document is Kubernetes when
//! its top-level mapping has string `apiVersion` and `kind`, and compose when it has a
//! `services` mapping. YAML that does not parse is an error only where the document is
//! recognisably one of the two (a top-level `services:` line, or top-level `apiVersion:` and
//! `kind:` lines in a file with no `{{`); Helm templates, workflows and other YAML that fails
//! to parse are ignored silently.
//!
//! serde_yaml_ng keeps no positions in its values, so lines come from [`KeyLines`], a scan
//! of the block-style text that records the line of every key and sequence item by its path.
//! A value it cannot place (flow style, merged from an anchor) gets the line of its nearest
//! placed ancestor.
//!
//! Nothing outside the file is read: `env_file`, Secrets, and ConfigMaps of other files are not
//! resolved.

use super::ExtractError;
use super::catalog::documents;
use serde_yaml_ng::{Mapping, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The workloads one file declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployFacts {
    /// Compose services in file order, then Kubernetes workloads in file order (a file rarely
    /// holds both).
    pub workloads: Vec<Workload>,
}

/// One thing that runs: a compose service, or a Kubernetes Deployment, StatefulSet or
/// DaemonSet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workload {
    /// The compose service name, or the Kubernetes `metadata.name`.
    pub name: String,
    /// The names other workloads reach it by, sorted and deduplicated: for compose the service
    /// name, `hostname`, `container_name` and network `aliases`; for Kubernetes the names of
    /// the Services of the same file whose selector matches the pod labels.
    pub hosts: Vec<String>,
    /// 1-based line of the compose service's key, or of the Kubernetes `metadata.name`.
    pub line: u32,
    /// Literal environment values written for the workload itself (compose `environment`,
    /// Kubernetes container `env`), sorted by name (then line).
    pub env: Vec<EnvBinding>,
    /// ConfigMaps the workload's containers take whole (`envFrom`), in order, shared with
    /// every other workload that takes them: thousands of Deployments of one file may use one
    /// ConfigMap of thousands of keys, which copied would cost their product.
    pub env_from: Vec<EnvFrom>,
}

/// One `envFrom` ConfigMap of one container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvFrom {
    /// Index of the container in the pod template.
    pub container: u32,
    /// Prepended to every key to give the variable's name.
    pub prefix: String,
    /// The ConfigMap's `data`, sorted by key.
    pub data: Arc<[EnvBinding]>,
}

impl Workload {
    /// The values the workload gives `var`: those written for it (`env`, which overrides
    /// `envFrom`), else for each container the value of the last `envFrom` ConfigMap that has
    /// the key. Sorted, without duplicates.
    pub fn env_values(&self, var: &str) -> Vec<&EnvBinding> {
        let mut own: Vec<&EnvBinding> = self.env.iter().filter(|b| b.name == var).collect();
        if own.is_empty() {
            let mut by_container: BTreeMap<u32, &EnvBinding> = BTreeMap::new();
            for source in &self.env_from {
                let Some(key) = var.strip_prefix(source.prefix.as_str()) else {
                    continue;
                };
                if let Ok(at) = source.data.binary_search_by(|b| b.name.as_str().cmp(key)) {
                    by_container.insert(source.container, &source.data[at]);
                }
            }
            own.extend(by_container.into_values());
        }
        own.sort_by(|a, b| (&a.value, a.line).cmp(&(&b.value, b.line)));
        own.dedup_by(|a, b| a.value == b.value);
        own
    }

    /// Every variable the workload sets, with its values (see [`Workload::env_values`]), as
    /// bindings named as the workload sees them, sorted. This copies what `env_from` shares:
    /// for tests and small outputs, not for the model.
    pub fn resolved_env(&self) -> Vec<EnvBinding> {
        let mut names: BTreeSet<String> = self.env.iter().map(|b| b.name.clone()).collect();
        for source in &self.env_from {
            names.extend(
                source
                    .data
                    .iter()
                    .map(|b| format!("{}{}", source.prefix, b.name)),
            );
        }
        let mut out = Vec::new();
        for name in names {
            for binding in self.env_values(&name) {
                out.push(EnvBinding {
                    name: name.clone(),
                    value: binding.value.clone(),
                    line: binding.line,
                });
            }
        }
        out
    }
}

/// One environment variable with a literal value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct EnvBinding {
    pub name: String,
    pub value: String,
    /// 1-based line where the value is written (for a Kubernetes ConfigMap, its `data` key).
    pub line: u32,
}

/// Reads the workloads of a compose file or Kubernetes manifest; other YAML yields none.
pub fn extract_deploy(text: &str) -> Result<DeployFacts, ExtractError> {
    let maybe_kubernetes = text.contains("apiVersion") && text.contains("kind");
    let maybe_compose = text.lines().any(|line| line.starts_with("services:"));
    if !maybe_kubernetes && !maybe_compose {
        return Ok(DeployFacts::default());
    }
    let templated = text.contains("{{");
    let mut workloads = Vec::new();
    let mut kubernetes = Kubernetes::default();
    for (start, document) in documents(text) {
        if document.trim().is_empty() {
            continue;
        }
        if let Err(limit) = super::yaml::check(document) {
            match recognise(document, templated) {
                Some(what) => {
                    return Err(ExtractError::InvalidDeploy {
                        line: limit.line.map_or(start, |l| start + l - 1),
                        message: format!("{what}: {}", limit.message),
                    });
                }
                None => continue,
            }
        }
        let parsed = serde_yaml_ng::from_str::<Value>(document).and_then(|mut value| {
            value.apply_merge()?;
            Ok(value)
        });
        let value = match parsed {
            Ok(value) => value,
            Err(err) => match recognise(document, templated) {
                Some(what) => {
                    let line = err
                        .location()
                        .map_or(start, |l| (start + l.line() as u32).saturating_sub(1));
                    return Err(ExtractError::InvalidDeploy {
                        line,
                        message: format!("invalid {what}: {}", without_position(&err)),
                    });
                }
                None => continue,
            },
        };
        let Value::Mapping(top) = value else {
            continue;
        };
        let is_kubernetes = matches!(top.get("apiVersion"), Some(Value::String(_)))
            && matches!(top.get("kind"), Some(Value::String(_)));
        if is_kubernetes {
            kubernetes.read(&top, document, start);
        } else if let Some(Value::Mapping(services)) = top.get("services")
            && is_compose(services)
        {
            compose(services, &KeyLines::new(document, start), &mut workloads);
        }
    }
    workloads.extend(kubernetes.resolve());
    Ok(DeployFacts { workloads })
}

/// What a document that failed to parse looks like, if it is one of ours.
fn recognise(document: &str, templated: bool) -> Option<&'static str> {
    let top_level = |key: &str| document.lines().any(|line| line.starts_with(key));
    if top_level("services:") {
        Some("docker-compose file")
    } else if !templated && top_level("apiVersion:") && top_level("kind:") {
        Some("Kubernetes manifest")
    } else {
        None
    }
}

/// serde_yaml_ng's message without its "at line L column C" suffix, whose line counts from
/// the document rather than the file (the diagnostic carries the file's line).
fn without_position(err: &serde_yaml_ng::Error) -> String {
    let message = err.to_string();
    match message.find(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    }
}

/// Whether a top-level `services` mapping is compose's: some service names an image, a build
/// or a service it extends, or else every service uses only compose's attributes (an override
/// file). This keeps out other YAML with a `services` key, such as Helm values.
fn is_compose(services: &Mapping) -> bool {
    let builds = services.values().any(|service| {
        attributes(service)
            .iter()
            .any(|key| matches!(*key, "image" | "build" | "extends"))
    });
    builds
        || services.values().all(|service| {
            matches!(service, Value::Null | Value::Mapping(_))
                && attributes(service)
                    .iter()
                    .all(|key| key.starts_with("x-") || COMPOSE_ATTRIBUTES.contains(key))
        })
}

/// The string keys of a service's mapping.
fn attributes(service: &Value) -> Vec<&str> {
    match service {
        Value::Mapping(map) => map.keys().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The attributes of a compose service, from the Compose Specification. Kept in paragraphs:
/// one name a line would take a hundred lines.
#[rustfmt::skip]
const COMPOSE_ATTRIBUTES: &[&str] = &[
    "annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop", "cgroup",
    "cgroup_parent", "command", "configs", "container_name", "cpu_count", "cpu_percent",
    "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus",
    "cpuset", "credential_spec", "depends_on", "deploy", "develop", "device_cgroup_rules",
    "devices", "dns", "dns_opt", "dns_search", "domainname", "driver_opts", "entrypoint",
    "env_file", "environment", "expose", "extends", "external_links", "extra_hosts", "gpus",
    "group_add", "healthcheck", "hostname", "image", "init", "ipc", "isolation", "label_file",
    "labels", "links", "logging", "mac_address", "mem_limit", "mem_reservation",
    "mem_swappiness", "memswap_limit", "models", "network_mode", "networks", "oom_kill_disable",
    "oom_score_adj", "pid", "pids_limit", "platform", "ports", "post_start", "pre_stop",
    "privileged", "profiles", "provider", "pull_policy", "read_only", "restart", "runtime",
    "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period",
    "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket",
    "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir",
];

/// The services of a compose file.
fn compose(services: &Mapping, lines: &KeyLines, out: &mut Vec<Workload>) {
    for (key, service) in services {
        let Some(name) = scalar(key) else {
            continue;
        };
        let base = [Seg::key("services"), Seg::key(&name)];
        let mut hosts = BTreeSet::from([name.clone()]);
        for field in ["hostname", "container_name"] {
            if let Some(host) = service.get(field).and_then(scalar) {
                hosts.insert(host);
            }
        }
        if let Some(Value::Mapping(networks)) = service.get("networks") {
            for network in networks.values() {
                if let Some(Value::Sequence(aliases)) = network.get("aliases") {
                    hosts.extend(aliases.iter().filter_map(scalar));
                }
            }
        }
        // Later entries win, as in compose; an entry without a value passes the caller's
        // environment through and has no literal value.
        let mut env: BTreeMap<String, EnvBinding> = BTreeMap::new();
        let env_path = |seg: Seg| {
            [
                base[0].clone(),
                base[1].clone(),
                Seg::key("environment"),
                seg,
            ]
        };
        match service.get("environment") {
            Some(Value::Mapping(map)) => {
                for (key, value) in map {
                    let (Some(var), Some(value)) = (scalar(key), scalar(value)) else {
                        continue;
                    };
                    let line = lines.line_near(&env_path(Seg::key(&var)));
                    env.insert(var.clone(), binding(var, value, line));
                }
            }
            Some(Value::Sequence(items)) => {
                for (index, item) in items.iter().enumerate() {
                    let Some((var, value)) = item.as_str().and_then(|s| s.split_once('=')) else {
                        continue;
                    };
                    let line = lines.line_near(&env_path(Seg::Index(index)));
                    env.insert(
                        var.to_string(),
                        binding(var.to_string(), value.to_string(), line),
                    );
                }
            }
            _ => {}
        }
        out.push(Workload {
            name,
            hosts: hosts.into_iter().collect(),
            line: lines.line_near(&base),
            env: env.into_values().collect(),
            env_from: Vec::new(),
        });
    }
}

fn binding(name: String, value: String, line: u32) -> EnvBinding {
    EnvBinding { name, value, line }
}

/// A string, number or boolean as text; `None` for null and collections.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => scalar(&tagged.value),
        _ => None,
    }
}

/// The Kubernetes objects of one file, gathered over its documents and joined at the end,
/// since a Service or ConfigMap may come before or after the workload it belongs to.
#[derive(Default)]
struct Kubernetes {
    workloads: Vec<PendingWorkload>,
    config_maps: Vec<ConfigMap>,
    services: Vec<Service>,
}

struct PendingWorkload {
    name: String,
    namespace: Option<String>,
    line: u32,
    pod_labels: BTreeMap<String, String>,
    containers: Vec<Container>,
}

struct Container {
    /// `envFrom[].configMapRef.name` with the entry's `prefix`, in order.
    env_from: Vec<(String, String)>,
    env: Vec<EnvBinding>,
}

struct ConfigMap {
    name: String,
    namespace: Option<String>,
    /// Sorted by key.
    data: Arc<[EnvBinding]>,
}

struct Service {
    name: String,
    namespace: Option<String>,
    selector: BTreeMap<String, String>,
}

impl Kubernetes {
    /// Records the object of one document, if it is a kind capgraph reads; lines are looked
    /// for only then. Objects whose name is a template expression (a Helm template that
    /// happened to parse) are skipped.
    fn read(&mut self, top: &Mapping, document: &str, start: u32) {
        let kind = top.get("kind").and_then(Value::as_str).unwrap_or_default();
        let metadata = top.get("metadata");
        let Some(name) = metadata.and_then(|m| m.get("name")).and_then(scalar) else {
            return;
        };
        if name.contains("{{") {
            return;
        }
        let namespace = metadata.and_then(|m| m.get("namespace")).and_then(scalar);
        let spec = top.get("spec");
        match kind {
            "Deployment" | "StatefulSet" | "DaemonSet" => {
                let lines = &KeyLines::new(document, start);
                let template = spec.and_then(|s| s.get("template"));
                let pod_labels = string_map(
                    template
                        .and_then(|t| t.get("metadata"))
                        .and_then(|m| m.get("labels")),
                );
                let containers = template
                    .and_then(|t| t.get("spec"))
                    .and_then(|s| s.get("containers"))
                    .and_then(Value::as_sequence)
                    .map(|containers| {
                        containers
                            .iter()
                            .enumerate()
                            .map(|(index, c)| container(c, index, lines))
                            .collect()
                    })
                    .unwrap_or_default();
                let line = lines
                    .line_of(&[Seg::key("metadata"), Seg::key("name")])
                    .unwrap_or(start);
                self.workloads.push(PendingWorkload {
                    name,
                    namespace,
                    line,
                    pod_labels,
                    containers,
                });
            }
            "ConfigMap" => {
                let lines = &KeyLines::new(document, start);
                let mut data: Vec<EnvBinding> = match top.get("data") {
                    Some(Value::Mapping(data)) => data
                        .iter()
                        .filter_map(|(key, value)| {
                            let (key, value) = (scalar(key)?, scalar(value)?);
                            let line = lines.line_near(&[Seg::key("data"), Seg::key(&key)]);
                            Some(binding(key, value, line))
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                data.sort();
                data.dedup_by(|a, b| a.name == b.name);
                self.config_maps.push(ConfigMap {
                    name,
                    namespace,
                    data: data.into(),
                });
            }
            "Service" => {
                let selector = string_map(spec.and_then(|s| s.get("selector")));
                self.services.push(Service {
                    name,
                    namespace,
                    selector,
                });
            }
            _ => {}
        }
    }

    /// Joins workloads to their Services and ConfigMaps. A ConfigMap a container takes whole
    /// is shared, not copied ([`Workload::env_values`] resolves a variable as Kubernetes
    /// does: `env` over `envFrom`, a later `envFrom` over an earlier one); the containers'
    /// own `env` is kept for every container, identical name-value pairs once.
    fn resolve(self) -> Vec<Workload> {
        let mut out = Vec::with_capacity(self.workloads.len());
        for workload in self.workloads {
            let same_namespace = |namespace: &Option<String>| {
                namespace.is_none()
                    || workload.namespace.is_none()
                    || *namespace == workload.namespace
            };
            let hosts: BTreeSet<String> = self
                .services
                .iter()
                .filter(|service| {
                    same_namespace(&service.namespace)
                        && !service.selector.is_empty()
                        && service
                            .selector
                            .iter()
                            .all(|(k, v)| workload.pod_labels.get(k) == Some(v))
                })
                .map(|service| service.name.clone())
                .collect();
            let mut env: Vec<EnvBinding> = Vec::new();
            let mut env_from = Vec::new();
            for (index, container) in workload.containers.iter().enumerate() {
                for (config_map, prefix) in &container.env_from {
                    let found = self
                        .config_maps
                        .iter()
                        .find(|c| c.name == *config_map && same_namespace(&c.namespace));
                    if let Some(found) = found {
                        env_from.push(EnvFrom {
                            container: index as u32,
                            prefix: prefix.clone(),
                            data: Arc::clone(&found.data),
                        });
                    }
                }
                let mut merged: BTreeMap<String, EnvBinding> = BTreeMap::new();
                for entry in &container.env {
                    merged.insert(entry.name.clone(), entry.clone());
                }
                env.extend(merged.into_values());
            }
            env.sort();
            let mut seen = BTreeSet::new();
            env.retain(|e| seen.insert((e.name.clone(), e.value.clone())));
            out.push(Workload {
                name: workload.name,
                hosts: hosts.into_iter().collect(),
                line: workload.line,
                env,
                env_from,
            });
        }
        out
    }
}

/// One container's `env` (literal values; `valueFrom` is skipped) and `envFrom` ConfigMaps.
fn container(value: &Value, index: usize, lines: &KeyLines) -> Container {
    let base = ["spec", "template", "spec", "containers"].map(Seg::key);
    let mut env = Vec::new();
    if let Some(Value::Sequence(entries)) = value.get("env") {
        for (i, entry) in entries.iter().enumerate() {
            let (Some(name), Some(value)) = (
                entry.get("name").and_then(scalar),
                entry.get("value").and_then(scalar),
            ) else {
                continue;
            };
            let mut path = base.to_vec();
            path.extend([Seg::Index(index), Seg::key("env"), Seg::Index(i)]);
            env.push(binding(name, value, lines.line_near(&path)));
        }
    }
    let mut env_from = Vec::new();
    if let Some(Value::Sequence(entries)) = value.get("envFrom") {
        for entry in entries {
            let Some(name) = entry
                .get("configMapRef")
                .and_then(|r| r.get("name"))
                .and_then(scalar)
            else {
                continue;
            };
            let prefix = entry.get("prefix").and_then(scalar).unwrap_or_default();
            env_from.push((name, prefix));
        }
    }
    Container { env_from, env }
}

/// A mapping of strings (labels, selectors); other entries are dropped.
fn string_map(value: Option<&Value>) -> BTreeMap<String, String> {
    match value {
        Some(Value::Mapping(map)) => map
            .iter()
            .filter_map(|(k, v)| Some((scalar(k)?, scalar(v)?)))
            .collect(),
        _ => BTreeMap::new(),
    }
}

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    fn key(name: &str) -> Seg {
        Seg::Key(name.to_string())
    }
}

/// The 1-based line of every key and sequence item of a block-style YAML document, by path.
///
/// The scan follows indentation: a `key:` or `- ` at some column closes every open node at
/// that column or deeper (a `- ` closes only deeper ones and the previous item, since a
/// sequence may sit at its key's column). Block scalars (`|`, `>`) are skipped. Flow
/// collections and multi-line plain scalars are not entered; their contents are not placed.
struct KeyLines {
    lines: HashMap<Vec<Seg>, u32>,
    start: u32,
}

impl KeyLines {
    fn new(document: &str, start: u32) -> KeyLines {
        let mut lines = HashMap::new();
        let mut stack: Vec<(usize, Seg)> = Vec::new();
        // Lines indented deeper than this belong to a block scalar.
        let mut scalar_indent: Option<usize> = None;
        for (n, raw) in document.lines().enumerate() {
            let line = start + n as u32;
            let mut content = raw.trim_start_matches(' ');
            let mut indent = raw.len() - content.len();
            if content.trim().is_empty() {
                continue;
            }
            if let Some(deeper) = scalar_indent {
                if indent > deeper {
                    continue;
                }
                scalar_indent = None;
            }
            if content.starts_with('#') || content.starts_with('%') {
                continue;
            }
            loop {
                if let Some(rest) = sequence_item(content) {
                    let mut index = 0;
                    while let Some((column, seg)) = stack.last() {
                        if *column > indent {
                            stack.pop();
                        } else {
                            if *column == indent
                                && let Seg::Index(previous) = seg
                            {
                                index = previous + 1;
                                stack.pop();
                            }
                            break;
                        }
                    }
                    stack.push((indent, Seg::Index(index)));
                    record(&mut lines, &stack, line);
                    let trimmed = rest.trim_start_matches(' ');
                    indent += content.len() - trimmed.len();
                    content = trimmed;
                    if content.is_empty() || content.starts_with('#') {
                        break;
                    }
                    continue;
                }
                if let Some((key, value)) = mapping_key(content) {
                    while stack.last().is_some_and(|(column, _)| *column >= indent) {
                        stack.pop();
                    }
                    stack.push((indent, Seg::Key(key)));
                    record(&mut lines, &stack, line);
                    if value.starts_with('|') || value.starts_with('>') {
                        scalar_indent = Some(indent);
                    }
                }
                break;
            }
        }
        KeyLines { lines, start }
    }

    fn line_of(&self, path: &[Seg]) -> Option<u32> {
        self.lines.get(path).copied()
    }

    /// The line of `path`, or of its nearest placed ancestor, or of the document's start.
    fn line_near(&self, path: &[Seg]) -> u32 {
        (0..=path.len())
            .rev()
            .find_map(|len| self.line_of(&path[..len]))
            .unwrap_or(self.start)
    }
}

fn record(lines: &mut HashMap<Vec<Seg>, u32>, stack: &[(usize, Seg)], line: u32) {
    let path: Vec<Seg> = stack.iter().map(|(_, seg)| seg.clone()).collect();
    lines.entry(path).or_insert(line);
}

/// The rest of a `- item` line, if the line is a sequence item.
fn sequence_item(content: &str) -> Option<&str> {
    if content == "-" || content.trim_end() == "-" {
        return Some("");
    }
    content.strip_prefix("- ")
}

/// `key: value` → the key (unquoted) and the value as written; `None` if the line is no
/// block mapping entry.
fn mapping_key(content: &str) -> Option<(String, &str)> {
    let (key, after) = match content.as_bytes().first()? {
        b'{' | b'[' | b'|' | b'>' | b'#' | b'?' | b'&' | b'*' | b'!' => return None,
        &quote @ (b'"' | b'\'') => {
            let close = content[1..].find(quote as char)? + 1;
            (content[1..close].to_string(), &content[close + 1..])
        }
        _ => {
            let colon = content
                .match_indices(':')
                .map(|(i, _)| i)
                .find(|&i| matches!(content.as_bytes().get(i + 1), None | Some(b' ' | b'\t')))?;
            let key = content[..colon].trim_end();
            if key.contains(" #") {
                return None;
            }
            (key.to_string(), &content[colon..])
        }
    };
    let value = after.trim_start().strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with([' ', '\t'])) {
        return None;
    }
    Some((key, value.trim()))
}
