//! Every example payload from the Sensu docs (`../shared/fixtures/sensu/`) deserializes into the
//! generated type of its operation and serializes back without losing a field.
//!
//! The index names each example's method, path and direction; the operation table names the
//! schema of that body. Merge-patch requests are free-form, so for them every key must be a
//! property of the patched resource.
//!
//! A few docs examples contradict the server's source. The schema follows the server, so those
//! examples are listed in [`WRONG_IN_DOCS`] with the source that decides, and checked twice: as
//! published they must fail, and with exactly the documented mistake corrected they must round
//! trip. A list entry whose example starts passing, or whose correction does not fix it, fails
//! the test.

use std::collections::BTreeSet;
use std::path::PathBuf;

use opsclient::sensu::{operations, types};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/sensu")
}

fn roundtrip_as<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not deserialize: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))
}

fn properties_of<T: schemars::JsonSchema>() -> BTreeSet<String> {
    let schema = schemars::schema_for!(T);
    schema
        .schema
        .object
        .map(|o| o.properties.keys().cloned().collect())
        .unwrap_or_default()
}

/// Maps each schema name the operation table uses to its generated type.
macro_rules! schemas {
    ($($name:literal => $ty:ty),* $(,)?) => {
        fn roundtrip(schema: &str, value: &Value) -> Option<Result<Value, String>> {
            $(
                if schema == $name {
                    return Some(roundtrip_as::<$ty>(value));
                }
                if schema == concat!("[", $name, "]") {
                    return Some(roundtrip_as::<Vec<$ty>>(value));
                }
            )*
            None
        }

        fn properties(schema: &str) -> Option<BTreeSet<String>> {
            $(
                if schema == $name {
                    return Some(properties_of::<$ty>());
                }
            )*
            None
        }
    };
}

schemas! {
    "APIKey" => types::ApiKey,
    "AdhocRequest" => types::AdhocRequest,
    "AdhocResponse" => types::AdhocResponse,
    "Asset" => types::Asset,
    "CheckConfig" => types::CheckConfig,
    "ClusterMemberAddResult" => types::ClusterMemberAddResult,
    "ClusterMembers" => types::ClusterMembers,
    "ClusterRole" => types::ClusterRole,
    "ClusterRoleBinding" => types::ClusterRoleBinding,
    "Entity" => types::Entity,
    "EntityConfig" => types::EntityConfig,
    "Event" => types::Event,
    "EventFilter" => types::EventFilter,
    "Handler" => types::Handler,
    "HealthResponse" => types::HealthResponse,
    "HookConfig" => types::HookConfig,
    "HookList" => types::HookList,
    "MetricPoint" => types::MetricPoint,
    "Mutator" => types::Mutator,
    "Namespace" => types::Namespace,
    "Pipeline" => types::Pipeline,
    "RefreshTokenRequest" => types::RefreshTokenRequest,
    "Role" => types::Role,
    "RoleBinding" => types::RoleBinding,
    "Silenced" => types::Silenced,
    "TessenConfig" => types::TessenConfig,
    "Tokens" => types::Tokens,
    "User" => types::User,
    "UserPasswordChange" => types::UserPasswordChange,
    "UserPasswordChangeFromWeb" => types::UserPasswordChangeFromWeb,
    "UserPasswordReset" => types::UserPasswordReset,
    "Version" => types::Version,
    "string" => String,
    "uuid" => uuid::Uuid,
}

/// Where `back` lost or changed something `original` had. A `null` may come back absent: Go
/// decodes a missing pointer field and a null one the same way, and the generated types skip
/// unset optional fields. Numbers compare by value (`60` and `60.0` are the same).
fn losses(original: &Value, back: &Value, at: &str, out: &mut Vec<String>) {
    match (original, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = format!("{at}.{key}");
                match b.get(key) {
                    Some(other) => losses(value, other, &here, out),
                    None if value.is_null() => {}
                    None => out.push(format!("{here} is lost")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                losses(x, y, &format!("{at}[{i}]"), out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{at}: {a} came back as {b}")),
    }
}

/// An upstream example that disagrees with the server, why, and the correction that makes it
/// what the server really sends or reads.
struct WrongInDocs {
    file: &'static str,
    why: &'static str,
    correct: fn(&mut Value),
}

const WRONG_IN_DOCS: &[WrongInDocs] = &[
    WrongInDocs {
        file: "assets/003-get-specific-dynamic-runtime-asset-response.json",
        why: "shows GET of one asset as an array; backend/apid/handlers/get.go answers the object",
        correct: |v| *v = v[0].take(),
    },
    WrongInDocs {
        file: "assets/004-get-specific-dynamic-runtime-asset-response-spec-table.json",
        why: "same array-for-object mistake in the API Specification table",
        correct: |v| *v = v[0].take(),
    },
    WrongInDocs {
        file: "checks/001-get-all-checks-response.json",
        why: "gives output_metric_handlers as a string; sensu/core CheckConfig has []string",
        correct: |v| {
            for check in v.as_array_mut().unwrap() {
                if let Some(Value::String(handler)) = check.get("output_metric_handlers") {
                    check["output_metric_handlers"] = Value::Array(vec![Value::String(handler.clone())]);
                }
            }
        },
    },
    WrongInDocs {
        file: "checks/006-create-ad-hoc-check-execution-request.json",
        why: "sends \"check\"; sensu/core AdhocRequest has no such field (the check comes from the URL)",
        correct: |v| {
            v.as_object_mut().unwrap().remove("check");
        },
    },
    WrongInDocs {
        file: "entities/001-get-all-entities-response.json",
        why: "shows process fields that sensu/core dropped in 97d6903 (2020); Process has only name",
        correct: |v| v.as_array_mut().unwrap().iter_mut().for_each(keep_process_names),
    },
    WrongInDocs {
        file: "entities/003-get-specific-entity-response.json",
        why: "same dropped process fields",
        correct: keep_process_names,
    },
];

fn keep_process_names(entity: &mut Value) {
    if let Some(Value::Array(processes)) = entity.pointer_mut("/system/processes") {
        for process in processes {
            process
                .as_object_mut()
                .unwrap()
                .retain(|key, _| key == "name");
        }
    }
}

/// The problems of one example against its schema; empty when it round-trips without loss.
fn problems(schema: &str, value: &Value) -> Vec<String> {
    match roundtrip(schema, value) {
        None => vec![format!("no Rust type registered for {schema}")],
        Some(Err(e)) => vec![format!("{schema} {e}")],
        Some(Ok(back)) => {
            let mut lost = Vec::new();
            losses(value, &back, "$", &mut lost);
            lost
        }
    }
}

#[test]
fn every_sensu_example_round_trips_through_its_generated_type() {
    let dir = fixtures_dir();
    let index: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in &index {
        if entry["skipped"] == Value::Bool(true) {
            continue;
        }
        let file = entry["file"].as_str().unwrap();
        let direction = entry["direction"].as_str().unwrap();
        let (Some(method), Some(path)) = (entry["method"].as_str(), entry["path"].as_str()) else {
            failures.push(format!("{file}: index names no endpoint"));
            continue;
        };
        let Some(op) = operations()
            .iter()
            .find(|op| op.method == method && op.path == path)
        else {
            failures.push(format!("{file}: no operation for {method} {path}"));
            continue;
        };
        let value: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        let at = format!("{file} ({direction} of {})", op.id);

        if direction == "response" {
            if let Some(status) = entry["status"].as_u64() {
                if !op.success.contains(&(status as u16)) {
                    failures.push(format!(
                        "{at}: documented status {status}, declared {:?}",
                        op.success
                    ));
                }
            }
        }
        let is_patch =
            direction == "request" && op.body_media_type == Some("application/merge-patch+json");
        let schema = match direction {
            "request" => op.body_schema,
            _ => op.response_schema,
        };
        let Some(schema) = schema else {
            failures.push(format!("{at}: the operation declares no {direction} body"));
            continue;
        };
        if is_patch {
            let Some(known) = properties(schema) else {
                failures.push(format!("{at}: no Rust type registered for {schema}"));
                continue;
            };
            match value.as_object() {
                Some(patch) => {
                    for key in patch.keys().filter(|k| !known.contains(*k)) {
                        failures.push(format!(
                            "{at}: patch sets {key}, which {schema} does not have"
                        ));
                    }
                }
                None => failures.push(format!("{at}: a merge patch must be an object")),
            }
            checked += 1;
            continue;
        }
        let found = problems(schema, &value);
        match WRONG_IN_DOCS.iter().find(|w| w.file == file) {
            None => failures.extend(found.into_iter().map(|p| format!("{at}: {p}"))),
            Some(wrong) => {
                if found.is_empty() {
                    failures.push(format!(
                        "{at}: listed as wrong in the docs ({}), but it passes",
                        wrong.why
                    ));
                }
                let mut corrected = value.clone();
                (wrong.correct)(&mut corrected);
                for problem in problems(schema, &corrected) {
                    failures.push(format!("{at}: still wrong after the correction: {problem}"));
                }
            }
        }
        checked += 1;
    }
    assert!(checked > 100, "only {checked} examples checked");
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
