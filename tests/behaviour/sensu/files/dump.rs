//! Dumping from the sandbox: by kind or all, from one namespace or all, and a dump applied back
//! changes nothing and loses nothing, a field the document does not declare included.

use opsclient::sensu::files::{self, Address, Change, Format, Kind, Namespaces};
use opsclient::sensu::types;
use serde_json::json;

use super::{every_kind_but_api_keys, sandbox, writes};

/// Checks `cpu` in `default` and `ops`, `disk` in `dev`, and a handler in `ops`.
const SPREAD: &str = "type: Namespace
metadata: {name: ops}
spec: {name: ops}
---
type: Namespace
metadata: {name: dev}
spec: {name: dev}
---
type: CheckConfig
metadata: {name: cpu}
spec: {command: c, interval: 10, subscriptions: [linux]}
---
type: CheckConfig
metadata: {name: cpu, namespace: ops}
spec: {command: c, interval: 20, subscriptions: [linux]}
---
type: CheckConfig
metadata: {name: disk, namespace: dev}
spec: {command: d, interval: 30, subscriptions: [linux]}
---
type: Handler
metadata: {name: slack, namespace: ops}
spec: {type: pipe, command: notify}
";

/// Each resource as `Kind namespace/name`.
fn listed(resources: &[files::Resource]) -> Vec<String> {
    resources
        .iter()
        .map(|r| {
            let name = if r.namespace().is_empty() {
                r.name().to_string()
            } else {
                format!("{}/{}", r.namespace(), r.name())
            };
            format!("{} {name}", r.kind())
        })
        .collect()
}

#[tokio::test]
async fn dump_by_kind_or_all_from_one_namespace_or_all() {
    let (_sandbox, client) = sandbox(false).await;
    client
        .apply(files::parse("spread.yaml", SPREAD).unwrap())
        .send()
        .await
        .unwrap();
    client
        .create_api_key()
        .body(types::ApiKey::builder().username("admin"))
        .send()
        .await
        .unwrap();
    let checks = Kind::select("checks").unwrap();
    let ops = Namespaces::One("ops".into());

    let dumped = client.dump(&checks, &ops).await.unwrap();
    assert_eq!(listed(&dumped), ["CheckConfig ops/cpu"]);
    assert_eq!(dumped[0].spec()["interval"], 20);
    assert_eq!(dumped[0].metadata()["created_by"], "admin");

    let dumped = client.dump(&checks, &Namespaces::All).await.unwrap();
    assert_eq!(
        listed(&dumped),
        [
            "CheckConfig default/cpu",
            "CheckConfig dev/disk",
            "CheckConfig ops/cpu"
        ]
    );

    let two = Kind::select("handlers,checks").unwrap();
    let dumped = client.dump(&two, &ops).await.unwrap();
    assert_eq!(
        listed(&dumped),
        ["CheckConfig ops/cpu", "Handler ops/slack"]
    );

    // All: the cluster-wide kinds, then what lives in ops; no API key.
    let all = Kind::select("all").unwrap();
    let dumped = listed(&client.dump(&all, &ops).await.unwrap());
    assert_eq!(
        dumped,
        [
            "Namespace default",
            "Namespace dev",
            "Namespace ops",
            "ClusterRole cluster-admin",
            "ClusterRoleBinding cluster-admin",
            "User admin",
            "User agent",
            "TessenConfig ",
            "CheckConfig ops/cpu",
            "Handler ops/slack",
            "Role ops/system:pipeline",
            "RoleBinding ops/system:pipeline",
        ]
    );
    let everywhere = listed(&client.dump(&all, &Namespaces::All).await.unwrap());
    for expected in ["CheckConfig dev/disk", "Role default/system:pipeline"] {
        assert!(everywhere.contains(&expected.to_string()), "{everywhere:?}");
    }

    // API keys only when asked for by name.
    let keys = client
        .dump(&Kind::select("apikeys").unwrap(), &ops)
        .await
        .unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].spec()["username"], "admin");
    // Applied back, it is unchanged, and its name (the credential) is never shown.
    let name = keys[0].name().to_string();
    let applied = client.apply(keys).send().await.unwrap();
    assert_eq!(applied[0].to_string(), "unchanged APIKey (name not shown)");
    assert!(!format!("{applied:?}").contains(&name), "{applied:?}");
}

#[tokio::test]
async fn a_dump_applied_back_changes_nothing_and_restores_what_was_deleted() {
    // A server that keeps fields its document lacks, as a newer one keeps the fields it added.
    let (sandbox, client) = sandbox(true).await;
    client
        .apply(every_kind_but_api_keys())
        .send()
        .await
        .unwrap();
    let all = Kind::select("all").unwrap();
    let first = client.dump(&all, &Namespaces::All).await.unwrap();
    let check = first
        .iter()
        .find(|r| r.kind().type_name() == "CheckConfig")
        .unwrap();
    assert_eq!(
        check.spec()["x_note"],
        "check",
        "the undeclared field is dumped"
    );

    for format in [Format::Yaml, Format::WrappedJson] {
        let text = files::render(&first, format);
        let resources = files::parse("dump", &text).unwrap();
        let before = writes(&sandbox).len();
        let applied = client.apply(resources).send().await.unwrap();
        let changed: Vec<String> = applied
            .iter()
            .filter(|a| a.change != Change::Unchanged)
            .map(ToString::to_string)
            .collect();
        assert!(changed.is_empty(), "{format}: {changed:?}");
        assert_eq!(writes(&sandbox).len(), before, "{format}: nothing written");
        let again = client.dump(&all, &Namespaces::All).await.unwrap();
        assert_eq!(files::render(&again, format), text, "{format}");
    }

    // Deleted, then restored from the dump: written back whole, the unknown field included.
    let ops = client.in_namespace("ops");
    ops.delete::<types::CheckConfig>("check-cpu").await.unwrap();
    ops.delete::<types::Handler>("slack").await.unwrap();
    let text = files::render(&first, Format::Yaml);
    let applied = client
        .apply(files::parse("dump.yaml", &text).unwrap())
        .send()
        .await
        .unwrap();
    let created: Vec<String> = applied
        .iter()
        .filter(|a| a.change != Change::Unchanged)
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        created,
        [
            "created CheckConfig ops/check-cpu",
            "created Handler ops/slack"
        ]
    );
    let restored = client.dump(&all, &Namespaces::All).await.unwrap();
    assert_eq!(files::render(&restored, Format::Yaml), text);
}

#[tokio::test]
async fn fetch_reads_one_resource_by_its_address() {
    let (_sandbox, client) = sandbox(false).await;
    client
        .apply(files::parse("spread.yaml", SPREAD).unwrap())
        .send()
        .await
        .unwrap();
    let checks = Kind::find("checks").unwrap();
    let at = Address::of(checks, "ops", &["cpu"]).unwrap();
    let check = client.fetch(checks, &at).await.unwrap();
    assert_eq!(check.spec()["interval"], 20);
    assert_eq!(
        check.metadata(),
        json!({"name": "cpu", "namespace": "ops", "created_by": "admin"})
            .as_object()
            .unwrap()
    );
    let missing = Address::of(checks, "ops", &["absent"]).unwrap();
    assert!(matches!(
        client.fetch(checks, &missing).await,
        Err(opsclient::Error::NotFound(_))
    ));
    assert!(Address::of(checks, "ops", &[".."]).is_err());
    assert!(Address::of(checks, "ops", &["a", "b"]).is_err());
    let events = Kind::find("events").unwrap();
    assert_eq!(
        Address::of(events, "ops", &["web-01", "cpu"])
            .unwrap()
            .to_string(),
        "ops/web-01/cpu"
    );
}
