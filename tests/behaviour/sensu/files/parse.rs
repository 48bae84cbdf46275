//! Reading resource files: every kind of the document from YAML and from concatenated JSON,
//! what is written reads back the same, and a bad document is named by its file, position and
//! field.

use std::collections::BTreeSet;

use opsclient::error::{DocumentViolation, InvalidInput};
use opsclient::sensu::files::{self, Format, Kind};
use opsclient::Error;
use serde::Deserialize;
use serde_json::{json, Value};

use super::EVERY_KIND;

/// The resource kinds of `openapi/sensu.yaml`: the bodies its create operations (and Tessen's
/// update, the kind's only write) take.
fn document_kinds() -> BTreeSet<&'static str> {
    opsclient::sensu::operations()
        .iter()
        .filter(|op| op.id.starts_with("create") || op.id == "updateTessenConfig")
        .filter_map(|op| op.body_schema)
        .collect()
}

/// The fixture's documents as concatenated wrapped JSON, made without the library: each YAML
/// document converted on its own, some separated by a newline and some by nothing.
fn every_kind_as_json() -> String {
    let mut text = String::new();
    for (i, document) in serde_yaml_ng::Deserializer::from_str(EVERY_KIND).enumerate() {
        let value = Value::deserialize(document).unwrap();
        text.push_str(&serde_json::to_string_pretty(&value).unwrap());
        if i % 2 == 0 {
            text.push('\n');
        }
    }
    text
}

fn wrapped(resources: &[files::Resource]) -> Vec<Value> {
    resources.iter().map(files::Resource::to_wrapped).collect()
}

#[test]
fn every_kind_of_the_document_reads_from_yaml_and_from_concatenated_json() {
    let kinds: BTreeSet<&str> = Kind::all().iter().map(Kind::type_name).collect();
    assert_eq!(kinds, document_kinds(), "the kind table is the document's");

    let from_yaml = files::parse("every_kind.yaml", EVERY_KIND).unwrap();
    let read: Vec<&str> = from_yaml.iter().map(|r| r.kind().type_name()).collect();
    assert_eq!(
        read.iter().copied().collect::<BTreeSet<_>>(),
        document_kinds(),
        "the fixture has every kind"
    );
    assert_eq!(read.len(), document_kinds().len(), "each once");
    for (i, resource) in from_yaml.iter().enumerate() {
        let origin = resource.origin().unwrap();
        assert_eq!(
            (origin.source.as_str(), origin.document),
            ("every_kind.yaml", i + 1)
        );
        assert!(
            resource.spec()["x_note"].is_string(),
            "{}: the undeclared field is kept",
            resource.kind()
        );
    }
    let check = &from_yaml[7];
    assert_eq!(
        (check.kind().type_name(), check.name(), check.namespace()),
        ("CheckConfig", "check-cpu", "ops")
    );
    assert_eq!(check.spec()["interval"], 60);
    assert_eq!(check.body()["metadata"]["labels"]["team"], "ops");
    let user = &from_yaml[3];
    assert_eq!(user.name(), "alice");
    assert_eq!(user.body()["username"], "alice");
    assert!(
        user.body().get("metadata").is_none(),
        "users have no metadata"
    );

    let from_json = files::parse("every_kind.json", &every_kind_as_json()).unwrap();
    assert_eq!(wrapped(&from_json), wrapped(&from_yaml));
    assert_eq!(from_json[17].origin().unwrap().document, 18);
}

#[test]
fn what_is_written_reads_back_the_same_in_both_formats() {
    let resources = files::parse("every_kind.yaml", EVERY_KIND).unwrap();
    for format in [Format::Yaml, Format::WrappedJson] {
        let text = files::render(&resources, format);
        let again = files::parse("written", &text).unwrap();
        assert_eq!(wrapped(&again), wrapped(&resources), "{format}");
    }
    let yaml = files::render(&resources[..2], Format::Yaml);
    assert!(
        yaml.starts_with("type: Namespace\napi_version: core/v2\nmetadata:\n"),
        "{yaml}"
    );
    assert_eq!(yaml.matches("\n---\n").count(), 1, "{yaml}");
    let json = files::render(&resources[..1], Format::WrappedJson);
    assert!(
        json.starts_with("{\n  \"type\": \"Namespace\",\n  \"api_version\": \"core/v2\""),
        "{json}"
    );
    assert_eq!(files::render(&[], Format::Yaml), "");
}

/// The violation a text is refused with.
fn refusal(text: &str) -> DocumentViolation {
    match files::parse("bad.yaml", text) {
        Err(Error::InvalidInput(InvalidInput::Document(violation))) => violation,
        other => panic!("not refused as a document: {other:?}"),
    }
}

const GOOD_CHECK: &str = "type: CheckConfig
api_version: core/v2
metadata: {name: a, namespace: default}
spec: {command: x, interval: 10, subscriptions: [linux]}
";

#[test]
fn a_bad_document_is_named_by_file_position_and_field() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "type: CheckConfig\nmetadata: {name: b}\nspec: {command: x, interval: often, subscriptions: [l]}\n",
            "spec.interval",
            "invalid type",
        ),
        (
            "type: CheckConfig\nmetadata: {name: b}\nspec: {command: x, subscriptions: [1]}\n",
            "spec.subscriptions[0]",
            "invalid type",
        ),
        (
            "type: CheckConfig\nmetadata: {namespace: default}\nspec: {command: x, subscriptions: [l]}\n",
            "metadata.name",
            "is needed",
        ),
        (
            "type: CheckConfig\nmetadata: {name: b, labels: [a]}\nspec: {command: x, subscriptions: [l]}\n",
            "metadata.labels",
            "invalid type",
        ),
        (
            "type: CheckConfig\nmetadata: {name: b}\nspec: {command: x, subscriptions: []}\n",
            "spec.subscriptions",
            "at least one subscription",
        ),
        (
            "type: CheckConfig\nmetadata: {name: '..'}\nspec: {command: x, subscriptions: [l]}\n",
            "metadata.name",
            "dot segment",
        ),
        (
            "type: HookConfig\nmetadata: {name: b}\nspec: {command: ps}\n",
            "spec.timeout",
            "is missing",
        ),
        (
            "type: RoleBinding\nmetadata: {name: b}\nspec: {role_ref: {type: Role}, subjects: []}\n",
            "spec.role_ref.name",
            "is missing",
        ),
        ("type: Chek\nspec: {}\n", "type", "not a core/v2 type"),
        ("metadata: {name: b}\nspec: {}\n", "type", "is missing"),
        (
            "type: Secret\napi_version: secrets/v1\nspec: {}\n",
            "api_version",
            "only core/v2",
        ),
        (
            "type: Handler\nkind: Handler\nmetadata: {name: b}\nspec: {type: pipe}\n",
            "kind",
            "not a field of a wrapped resource",
        ),
        ("type: Handler\nmetadata: {name: b}\n", "spec", "is missing"),
        (
            "type: ClusterRole\nmetadata: {name: b, namespace: default}\nspec: {rules: []}\n",
            "metadata.namespace",
            "cluster-wide",
        ),
        (
            "type: Namespace\nmetadata: {name: b, labels: {a: b}}\nspec: {name: b}\n",
            "metadata.labels",
            "keeps only its name",
        ),
        (
            "type: Namespace\nmetadata: {name: b}\nspec: {name: c}\n",
            "metadata.name",
            "spec.name",
        ),
        (
            "type: Event\nmetadata: {namespace: default}\nspec: {entity: {metadata: {name: web}}}\n",
            "spec.check.metadata.name",
            "is needed",
        ),
        ("type: TessenConfig\nmetadata: {name: x}\nspec: {}\n", "metadata.name", "no metadata"),
        ("- just\n- a list\n", "", "is not a resource"),
        ("type: Handler\nmetadata: {name: [b\n", "", "is not valid YAML"),
    ];
    for (bad, field, reason) in cases {
        let text = format!("{GOOD_CHECK}---\n{bad}---\n{GOOD_CHECK}");
        let violation = refusal(&text);
        assert_eq!(violation.source, "bad.yaml", "{bad}");
        assert_eq!(violation.document, 2, "{bad}: {violation:?}");
        assert_eq!(violation.field, *field, "{bad}: {violation:?}");
        assert!(violation.reason.contains(reason), "{bad}: {violation:?}");
    }
    let shown = refusal(&format!("{GOOD_CHECK}---\n{}", cases[0].0)).to_string();
    assert!(
        shown.starts_with("bad.yaml, document 2, field spec.interval: invalid type"),
        "{shown}"
    );
}

#[test]
fn bad_json_is_named_with_its_line() {
    let text = r#"{"type": "Handler", "metadata": {"name": "a"}, "spec": {"type": "pipe"}}
{"type": "Handler", "metadata": {"name": "b"}, "spec": {"type": }}"#;
    let violation = refusal(text);
    assert_eq!(violation.document, 2);
    assert!(
        violation.reason.contains("is not valid JSON") && violation.reason.contains("line 2"),
        "{violation:?}"
    );
    let violation =
        refusal(r#"{"type": "Handler", "metadata": {"name": "a"}, "spec": {"timeout": -1}}"#);
    assert_eq!(
        (violation.document, violation.field.as_str()),
        (1, "spec.timeout")
    );
}

#[test]
fn the_wrapper_fills_in_and_merges_metadata_as_sensuctl_does() {
    let text = "type: Handler
metadata:
  name: slack
  labels: {team: ops}
spec:
  type: pipe
  metadata:
    name: ignored
    namespace: dev
    labels: {team: web, tier: front}
    annotations: {a: b}
";
    let handler = &files::parse("h.yaml", text).unwrap()[0];
    assert_eq!(
        handler.body()["metadata"],
        json!({"name": "slack", "namespace": "dev", "labels": {"team": "ops", "tier": "front"}, "annotations": {"a": "b"}})
    );
    assert!(handler.spec().get("metadata").is_none());

    // api_version defaults to core/v2; a user's name may be given by the wrapper alone.
    let user = &files::parse(
        "u.yaml",
        "type: User\nmetadata: {name: bob}\nspec: {password: long-password}\n",
    )
    .unwrap()[0];
    assert_eq!(
        user.body(),
        json!({"username": "bob", "password": "long-password"})
    );
    assert!(files::parse("empty.yaml", "# nothing\n")
        .unwrap()
        .is_empty());
}

#[test]
fn a_body_from_the_api_becomes_a_resource() {
    let kind = Kind::find("checks").unwrap();
    assert_eq!(Kind::find("core/v2.CheckConfig"), Some(kind));
    assert_eq!(Kind::find("CheckConfig"), Some(kind));
    let body = json!({"metadata": {"name": "cpu", "namespace": "default"}, "command": "c", "subscriptions": ["l"], "future": 1});
    let resource = files::Resource::from_body(kind, body.clone()).unwrap();
    assert_eq!(resource.body(), body);
    assert_eq!(
        resource.to_wrapped(),
        json!({"type": "CheckConfig", "api_version": "core/v2",
               "metadata": {"name": "cpu", "namespace": "default"},
               "spec": {"command": "c", "subscriptions": ["l"], "future": 1}})
    );
    let error =
        files::Resource::from_body(kind, json!({"metadata": {"name": "x"}, "interval": "1m"}))
            .unwrap_err();
    assert!(error.to_string().contains("spec.interval"), "{error}");

    let selected: Vec<&str> = Kind::select("handlers,core/v2.CheckConfig,checks,Namespace")
        .unwrap()
        .iter()
        .map(|k| k.type_name())
        .collect();
    assert_eq!(
        selected,
        ["Namespace", "CheckConfig", "Handler"],
        "application order, once each"
    );
    let all = Kind::select("all").unwrap();
    assert_eq!(all.len(), Kind::all().len() - 1);
    assert!(all.iter().all(|k| k.type_name() != "APIKey"));
    let error = Kind::select("checks,chekcs").unwrap_err().to_string();
    assert!(
        error.contains("\"chekcs\" is not a core/v2 kind"),
        "{error}"
    );
}

#[test]
fn debug_shows_no_password_and_no_api_key() {
    let resources = files::parse("every_kind.yaml", EVERY_KIND).unwrap();
    let (user, key) = (&resources[3], &resources[4]);
    assert_eq!(user.spec()["password"], "first-password", "kept to be sent");
    let shown = format!("{resources:?}");
    for secret in ["first-password", "83abef1e-e7d7-4beb-91fc-79ad90084d5b"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(format!("{user:?}").contains("\"username\": String(\"alice\")"));
    assert_eq!(key.name(), "83abef1e-e7d7-4beb-91fc-79ad90084d5b");
}
