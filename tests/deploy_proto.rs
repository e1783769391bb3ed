//! Deployment manifests and `.proto` files: one test per shape, asserting the exact facts, and
//! the sample organization's compose file and payments proto discovered without diagnostics.

mod common;

use capgraph::discover::FileKind;
use capgraph::extract::deploy::{DeployFacts, EnvBinding, Workload, extract_deploy};
use capgraph::extract::proto::{ProtoFacts, ProtoService, extract_proto};
use capgraph::extract::{ExtractError, FileFacts, extract_text};
use std::path::Path;

fn env(name: &str, value: &str, line: u32) -> EnvBinding {
    EnvBinding {
        name: name.to_string(),
        value: value.to_string(),
        line,
    }
}

fn workload(name: &str, hosts: &[&str], line: u32, env: Vec<EnvBinding>) -> Workload {
    Workload {
        name: name.to_string(),
        hosts: hosts.iter().map(|h| h.to_string()).collect(),
        line,
        env,
        env_from: Vec::new(),
    }
}

/// The workloads of a file, with the ConfigMaps they share resolved into their environment,
/// as each workload sees it.
fn workloads(text: &str) -> Vec<Workload> {
    let mut found = extract_deploy(text).expect("extracts").workloads;
    for workload in &mut found {
        workload.env = workload.resolved_env();
        workload.env_from.clear();
    }
    found
}

fn service(name: &str, full_name: &str, line: u32, methods: &[&str]) -> ProtoService {
    ProtoService {
        name: name.to_string(),
        full_name: full_name.to_string(),
        line,
        methods: methods.iter().map(|m| m.to_string()).collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// docker-compose

#[test]
fn compose_environment_in_map_form() {
    let text = "\
services:
  checkout-svc:
    image: acme/checkout
    environment:
      PAYMENTS_URL: http://payments-svc:50051
      RETRIES: 3
      DEBUG: true
      FROM_SHELL:
      EMPTY: \"\"
  payments-svc:
    build: { context: ., args: { SERVICE: payments-svc } }
";
    assert_eq!(
        workloads(text),
        vec![
            workload(
                "checkout-svc",
                &["checkout-svc"],
                2,
                vec![
                    env("DEBUG", "true", 7),
                    env("EMPTY", "", 9),
                    env("PAYMENTS_URL", "http://payments-svc:50051", 5),
                    env("RETRIES", "3", 6),
                ]
            ),
            workload("payments-svc", &["payments-svc"], 10, vec![]),
        ]
    );
}

#[test]
fn compose_environment_in_list_form() {
    let text = "\
version: \"3.8\"
services:
  web:
    environment:
      - API_URL=http://api:8080/v1?a=b
      - PASS_THROUGH
      - \"QUOTED=x y\"
      - API_URL=http://api:9090
      - EMPTY=
";
    assert_eq!(
        workloads(text),
        vec![workload(
            "web",
            &["web"],
            3,
            vec![
                // A repeated variable keeps its last value, as compose does.
                env("API_URL", "http://api:9090", 8),
                env("EMPTY", "", 9),
                env("QUOTED", "x y", 7),
            ]
        )]
    );
}

#[test]
fn compose_hosts_from_hostname_container_name_and_network_aliases() {
    let text = "\
services:
  api:
    hostname: api-host
    container_name: acme-api
    networks:
      front:
        aliases:
          - public-api
          - api
      back:
        aliases: [internal-api]
      plain:
  worker:
    networks: [front, back]
networks:
  front: {}
  back: {}
  plain: {}
";
    assert_eq!(
        workloads(text),
        vec![
            workload(
                "api",
                &["acme-api", "api", "api-host", "internal-api", "public-api"],
                2,
                vec![]
            ),
            workload("worker", &["worker"], 13, vec![]),
        ]
    );
}

#[test]
fn compose_anchors_and_merge_keys_are_followed() {
    let text = "\
x-common-env: &common
  KAFKA_BROKERS: kafka:9092
services:
  orders:
    environment:
      <<: *common
      DATABASE_URL: postgres://db/orders
";
    // The merged value is not written under the service; it gets the line of the nearest
    // placed ancestor, the `environment` key.
    assert_eq!(
        workloads(text),
        vec![workload(
            "orders",
            &["orders"],
            4,
            vec![
                env("DATABASE_URL", "postgres://db/orders", 7),
                env("KAFKA_BROKERS", "kafka:9092", 5),
            ]
        )]
    );
}

#[test]
fn broken_compose_file_is_an_error_with_its_line() {
    let text = "\
services:
  api:
    environment:
      A: 1
     B: 2
";
    let err = extract_deploy(text).unwrap_err();
    assert!(
        matches!(err, ExtractError::InvalidDeploy { line: 5, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("invalid docker-compose file: "),
        "{err}"
    );
    assert!(!err.to_string().contains(" at line "), "{err}");
}

#[test]
fn broken_compose_error_line_counts_from_the_file_not_the_document() {
    let text = "\
# leading comment
---
services:
  api:
    image: [unclosed
";
    let err = extract_deploy(text).unwrap_err();
    assert_eq!(err.line(), Some(6), "{err:?}");
}

#[test]
fn compose_override_file_without_images_is_read() {
    let text = "\
services:
  api:
    environment:
      DEBUG: \"1\"
    x-note: local only
";
    assert_eq!(
        workloads(text),
        vec![workload("api", &["api"], 2, vec![env("DEBUG", "1", 4)])]
    );
}

#[test]
fn helm_values_with_a_services_key_are_not_a_compose_file() {
    let text = "\
replicaCount: 2
services:
  api:
    port: 8080
    env:
      A: b
";
    assert_eq!(extract_deploy(text), Ok(DeployFacts::default()));
}

#[test]
fn gitlab_ci_services_list_is_not_a_compose_file() {
    let text = "\
image: rust:1.85
services:
  - postgres:16
test:
  script: cargo test
";
    assert_eq!(extract_deploy(text), Ok(DeployFacts::default()));
}

// ---------------------------------------------------------------------------------------------
// Kubernetes

const K8S: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: checkout-config
data:
  CATALOG_URL: http://catalog:8080
  LOG_LEVEL: info
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  labels:
    app: checkout
spec:
  replicas: 2
  selector:
    matchLabels:
      app: checkout
  template:
    metadata:
      labels:
        app: checkout
        tier: web
    spec:
      containers:
        - name: app
          image: acme/checkout:1.0
          envFrom:
            - configMapRef:
                name: checkout-config
            - configMapRef:
                name: defined-elsewhere
            - secretRef:
                name: checkout-secrets
          env:
            - name: PAYMENTS_GRPC_URL
              value: http://payments:50051
            - name: LOG_LEVEL
              value: debug
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: PORT
              value: \"8080\"
        - name: sidecar
          image: envoy
          env:
          - name: PORT
            value: \"9901\"
          - name: LOG_LEVEL
            value: debug
---
apiVersion: v1
kind: Service
metadata:
  name: checkout
spec:
  selector:
    app: checkout
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: checkout-web
spec:
  selector: { app: checkout, tier: web }
---
apiVersion: v1
kind: Service
metadata:
  name: other
spec:
  selector:
    app: other
---
apiVersion: v1
kind: Service
metadata:
  name: headless-external
spec:
  type: ExternalName
  externalName: example.com
";

#[test]
fn kubernetes_deployment_service_and_config_map() {
    assert_eq!(
        workloads(K8S),
        vec![workload(
            "checkout",
            &["checkout", "checkout-web"],
            12,
            vec![
                // From the ConfigMap, at its `data` line.
                env("CATALOG_URL", "http://catalog:8080", 6),
                // `env` overrides the ConfigMap; the sidecar's identical binding appears once.
                env("LOG_LEVEL", "debug", 39),
                env("PAYMENTS_GRPC_URL", "http://payments:50051", 37),
                // Each container's own value is kept.
                env("PORT", "8080", 45),
                env("PORT", "9901", 50),
            ]
        )]
    );
}

#[test]
fn kubernetes_multi_document_file_with_several_workload_kinds() {
    let text = "\
# Services first: the order of documents does not matter.
apiVersion: v1
kind: Service
metadata:
  name: ledger
  namespace: payments
spec:
  selector:
    app: ledger
---
apiVersion: v1
kind: Service
metadata:
  name: ledger
  namespace: other-team
spec:
  selector:
    app: ledger
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ledger-db
  namespace: payments
spec:
  template:
    metadata:
      labels: {app: ledger}
    spec:
      containers:
      - name: db
        env:
        - {name: PGDATA, value: /data}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
spec:
  template:
    metadata:
      labels:
        app: log-agent
    spec:
      containers:
      - name: agent
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec: {}
";
    assert_eq!(
        workloads(text),
        vec![
            workload(
                "ledger-db",
                &["ledger"],
                23,
                // A flow mapping is not entered by the line scan: the item's line is used.
                vec![env("PGDATA", "/data", 33)]
            ),
            workload("log-agent", &[], 38, vec![]),
        ]
    );
}

#[test]
fn kubernetes_config_map_prefix_and_later_sources_win() {
    let text = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: a}
data:
  HOST: a-host
---
apiVersion: v1
kind: ConfigMap
metadata: {name: b}
data:
  HOST: b-host
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  template:
    spec:
      containers:
      - envFrom:
        - configMapRef: {name: a}
        - configMapRef: {name: b}
        - configMapRef: {name: a}
          prefix: A_
";
    assert_eq!(
        workloads(text),
        vec![workload(
            "app",
            &[],
            16,
            vec![env("A_HOST", "a-host", 5), env("HOST", "b-host", 11)]
        )]
    );
}

#[test]
fn helm_template_is_ignored_silently() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include \"chart.fullname\" . }}
  labels:
    {{- include \"chart.labels\" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          env:
            {{- range $k, $v := .Values.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
";
    assert_eq!(extract_deploy(text), Ok(DeployFacts::default()));
}

#[test]
fn helm_template_that_parses_yields_no_templated_workload() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: \"{{ .Release.Name }}\"
";
    assert_eq!(extract_deploy(text), Ok(DeployFacts::default()));
}

#[test]
fn github_workflow_is_ignored() {
    let text = "\
name: CI
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:16
        env:
          POSTGRES_PASSWORD: postgres
    steps:
      - uses: actions/checkout@v4
      - run: kubectl apply -f k8s/ # apiVersion and kind appear only here
";
    assert_eq!(extract_deploy(text), Ok(DeployFacts::default()));
    // Broken, it is still not ours.
    assert_eq!(
        extract_deploy(&format!("{text}  bad: [\n")),
        Ok(DeployFacts::default())
    );
}

#[test]
fn backstage_and_other_yaml_yield_nothing() {
    let catalog = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
spec:
  owner: orders
";
    assert_eq!(extract_deploy(catalog), Ok(DeployFacts::default()));
    assert_eq!(extract_deploy("a: [1, 2\n"), Ok(DeployFacts::default()));
    assert_eq!(extract_deploy(""), Ok(DeployFacts::default()));
}

#[test]
fn broken_kubernetes_manifest_is_an_error() {
    let text = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
   namespace: x
";
    let err = extract_deploy(text).unwrap_err();
    assert_eq!(err.line(), Some(5), "{err:?}");
    assert!(err.to_string().starts_with("invalid Kubernetes manifest: "));
}

#[test]
fn deploy_text_dispatches_by_kind() {
    let facts = extract_text(
        FileKind::Deploy,
        "services:\n  a: {}\n",
        &Default::default(),
    )
    .unwrap();
    let FileFacts::Deploy(deploy) = facts else {
        panic!("{facts:?}");
    };
    assert_eq!(deploy.workloads, vec![workload("a", &["a"], 2, vec![])]);
}

// ---------------------------------------------------------------------------------------------
// .proto

#[test]
fn proto_with_comments_strings_and_nested_options() {
    let text = r#"// Payments API.
syntax = "proto3";
/* A block comment with service Fake { rpc Nope } and a } brace. */
package acme.payments.v1;

import "google/api/annotations.proto";
option go_package = "example.com/payments;payments // not a comment";
option (acme.meta) = { owner: "payments" nested { a: 1 } list: [1, 2] };

message AuthorizeRequest {
  string order_id = 1 [(validate.rules).string = { min_len: 1 }];
  message Inner { int32 x = 1; }
  oneof kind { string a = 2; int32 b = 3; }
}

service Payments {
  option (acme.service_owner) = "payments";
  // rpc Commented(A) returns (B);
  rpc Authorize(AuthorizeRequest) returns (AuthorizeResponse) {
    option (google.api.http) = {
      post: "/v1/authorize"
      body: "*"
    };
  }
  rpc Capture(.acme.payments.v1.CaptureRequest) returns (stream CaptureResponse);
  ;
}
"#;
    assert_eq!(
        extract_proto(text),
        Ok(ProtoFacts {
            package: Some("acme.payments.v1".to_string()),
            services: vec![service(
                "Payments",
                "acme.payments.v1.Payments",
                16,
                &["Authorize", "Capture"]
            )],
        })
    );
}

#[test]
fn proto_with_several_services() {
    let text = "\
syntax = \"proto3\";
service Ledger { rpc Post(E) returns (R); }
package acme.ledger;
service Audit {
  rpc Stream(stream E) returns (stream R);
  rpc stream(stream) returns (R);
}
enum E { A = 0; }
";
    assert_eq!(
        extract_proto(text),
        Ok(ProtoFacts {
            package: Some("acme.ledger".to_string()),
            services: vec![
                service("Ledger", "acme.ledger.Ledger", 2, &["Post"]),
                service("Audit", "acme.ledger.Audit", 4, &["Stream", "stream"]),
            ],
        })
    );
}

#[test]
fn proto_without_package() {
    let text = "syntax = \"proto3\";\n\nservice Greeter {\n  rpc SayHello (HelloRequest) returns (HelloReply) {}\n}\n";
    assert_eq!(
        extract_proto(text),
        Ok(ProtoFacts {
            package: None,
            services: vec![service("Greeter", "Greeter", 3, &["SayHello"])],
        })
    );
}

#[test]
fn proto_syntax_errors_have_lines() {
    let cases: &[(&str, u32, &str)] = &[
        (
            "syntax = \"proto3\";\nservice S {\n  rpc A(B) returns C;\n}\n",
            3,
            "syntax error: expected `(`, found `C`",
        ),
        (
            "service S {\n  rpc A(B) returns (C);\n",
            1,
            "syntax error: unexpected end of file; `{` of this service is not closed",
        ),
        (
            "message M {\n  string a = 1 [(x) = { y: 1 ];\n}\n",
            2,
            "syntax error: expected `}`, found `]`",
        ),
        (
            "syntax = \"proto3;\n",
            1,
            "syntax error: unterminated string literal",
        ),
        (
            "package a;\n/* never closed\n\n",
            2,
            "syntax error: unterminated comment",
        ),
        (
            "package a.;\n",
            1,
            "syntax error: expected a package name, found `;`",
        ),
        (
            "service S {\n  field int32 = 1;\n}\n",
            2,
            "syntax error: expected `rpc`, `option` or `}` in a service, found `field`",
        ),
        (
            "syntax = \"proto3\";\n}\n",
            2,
            "syntax error: expected `syntax`, `package`, `import`, `option`, `message`, `enum`, \
             `service` or `extend`, found `}`",
        ),
        (
            "package a;\npackage b;\n",
            2,
            "syntax error: a second `package` statement",
        ),
        (
            "syntax = \"proto3\"\nservice S {}\n",
            2,
            "syntax error: expected `;`, found `service`",
        ),
        (
            "import weak;\n",
            1,
            "syntax error: expected a string, found `;`",
        ),
        (
            "message é {}\n",
            1,
            "syntax error: unexpected character `é`",
        ),
        (
            "option x = 1\n",
            1,
            "syntax error: unexpected end of file; statement has no `;`",
        ),
    ];
    for (text, line, message) in cases {
        let err = extract_proto(text).expect_err(text);
        assert_eq!(err.line(), Some(*line), "{text}");
        assert_eq!(err.to_string(), *message, "{text}");
    }
}

#[test]
fn proto_never_panics_on_prefixes_of_a_valid_file() {
    let text = include_str!(
        "../sample-repos/acme-shop/domains/payments/payments-api/proto/acme/payments/v1/payments.proto"
    );
    let mut ends: Vec<usize> = (0..=text.len())
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    ends.push(text.len());
    for end in ends {
        let _ = extract_proto(&text[..end]);
        let _ = extract_proto(&text[end..]);
    }
    let deep = "message M { ".repeat(100_000);
    assert!(extract_proto(&deep).is_err());
}

// ---------------------------------------------------------------------------------------------
// The sample organization

#[test]
fn sample_compose_file_and_payments_proto_are_discovered_without_diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-repos");
    let analysis = common::analyze_roots(&[&root.join("acme-shop"), &root.join("warehouse")]);
    let diagnostics = common::diagnostics(&analysis);
    let about = |suffix: &str| {
        diagnostics
            .iter()
            .filter(|d| d.contains(suffix))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(about("docker-compose.yml"), Vec::<String>::new());
    assert_eq!(about(".proto"), Vec::<String>::new());

    let discovery = capgraph::discover::discover(&[root.join("acme-shop")], 2).unwrap();
    let kinds: Vec<(&str, FileKind)> = discovery
        .files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Proto | FileKind::Deploy))
        .map(|f| (f.rel_path.as_str(), f.kind))
        .collect();
    assert!(
        kinds.contains(&("docker-compose.yml", FileKind::Deploy)),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&(
            "domains/payments/payments-api/proto/acme/payments/v1/payments.proto",
            FileKind::Proto
        )),
        "{kinds:?}"
    );
    // A catalog file stays a catalog file.
    assert!(
        !kinds
            .iter()
            .any(|(path, _)| path.ends_with("catalog-info.yaml"))
    );

    let proto = discovery
        .files
        .iter()
        .find(|f| f.kind == FileKind::Proto)
        .unwrap();
    let Ok(FileFacts::Proto(facts)) = capgraph::extract::extract_file(proto, &Default::default())
    else {
        panic!("payments.proto extracts");
    };
    assert_eq!(
        facts.services,
        vec![service(
            "Payments",
            "acme.payments.v1.Payments",
            5,
            &["Authorize", "Capture", "GetReceipt"]
        )]
    );
    let compose = discovery
        .files
        .iter()
        .find(|f| f.rel_path == "docker-compose.yml")
        .unwrap();
    let Ok(FileFacts::Deploy(facts)) =
        capgraph::extract::extract_file(compose, &Default::default())
    else {
        panic!("docker-compose.yml extracts");
    };
    let checkout = facts
        .workloads
        .iter()
        .find(|w| w.name == "checkout-svc")
        .expect("checkout-svc workload");
    assert_eq!(
        checkout.env.iter().find(|e| e.name == "PAYMENTS_GRPC_URL"),
        Some(&env("PAYMENTS_GRPC_URL", "http://payments-svc:50051", 30))
    );
}

/// Thousands of Deployments taking one large ConfigMap share it: the file costs the size of
/// its text, not workloads × keys, and each workload still sees every key (with its prefix).
#[test]
fn workloads_share_the_config_maps_they_take_whole() {
    let keys: String = (0..2_000).map(|i| format!("  K{i}: v{i}\n")).collect();
    let mut text =
        format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n{keys}");
    for i in 0..500 {
        text += &format!(
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\nspec:\n  \
             template:\n    spec:\n      containers:\n        - name: c\n          envFrom:\n            \
             - configMapRef:\n                name: shared\n              prefix: APP_\n          \
             env:\n            - name: APP_K7\n              value: own\n"
        );
    }
    let found = extract_deploy(&text).expect("extracts").workloads;
    assert_eq!(found.len(), 500);
    let first = &found[0].env_from[0].data;
    assert!(
        found
            .iter()
            .all(|w| std::sync::Arc::ptr_eq(&w.env_from[0].data, first))
    );
    let last = &found[499];
    assert_eq!(last.env_values("APP_K1999")[0].value, "v1999");
    assert_eq!(last.env_values("APP_K1999")[0].line, 2_005);
    // `env` overrides what `envFrom` gives.
    let k7: Vec<&str> = last
        .env_values("APP_K7")
        .iter()
        .map(|b| b.value.as_str())
        .collect();
    assert_eq!(k7, vec!["own"]);
    assert!(
        last.env_values("K1").is_empty(),
        "the prefix is part of the name"
    );
}
