//! Silences: always stored under `subscription:check` (`*` for the side not set), listed
//! without pagination, and dropped once expired.
//!
//! Expiry follows the server's code with no maximum: `expire` seconds set `expire_at`, and an
//! entry without one reads back with `expire: -1`. (With the code's own flag defaults the real
//! server refuses every `expire` with a 500 "Threshold reached"; packaged configurations set a
//! maximum.)

use axum::http::StatusCode;
use serde_json::Value;

use super::call::Call;
use super::replies::{empty, json, Code, Failure, Outcome};
use super::resources::{self, check_meta, decode, normalize, set_meta};
use super::store::{key, unix_now, Record, Store};
use super::validate;
use opsclient::sensu::types;

pub(super) fn handle(store: &mut Store, call: &Call) -> Outcome {
    let namespace = call
        .op
        .path
        .contains("{namespace}")
        .then(|| call.param("namespace"));
    drop_expired(store);
    match call.op.id {
        "listSilenced" | "listSilencedAllNamespaces" => {
            Ok(listing(store, call, namespace, |_| true))
        }
        "listSilencedBySubscription" => {
            let prefix = call.param("subscription").to_string();
            Ok(listing(store, call, namespace, move |r| {
                r.value["metadata"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with(&prefix))
            }))
        }
        "listSilencedByCheck" | "listSilencedByCheckAllNamespaces" => {
            let check = call.param("check").to_string();
            Ok(listing(store, call, namespace, move |r| {
                r.value["check"].as_str() == Some(check.as_str())
            }))
        }
        "getSilenced" => {
            let record = store
                .get(
                    "silenced",
                    &key(namespace.unwrap_or_default(), call.param("silenced")),
                )
                .ok_or_else(|| Failure::new(Code::NotFound, "silenced entry not found"))?;
            Ok(resources::with_etag(
                json(StatusCode::OK, &shown(record)),
                &record.etag,
            ))
        }
        "createSilenced" | "createOrUpdateSilenced" => {
            store_entry(store, namespace.unwrap_or_default(), call)
        }
        _ => resources::handle(store, call),
    }
}

fn drop_expired(store: &mut Store) {
    let now = unix_now();
    let expired: Vec<_> = store
        .list("silenced", None)
        .filter(|(_, r)| {
            r.value["expire_at"]
                .as_i64()
                .is_some_and(|at| at > 0 && at <= now)
        })
        .map(|(k, _)| k.clone())
        .collect();
    for entry in expired {
        store.remove("silenced", &entry);
    }
}

/// How an entry reads back: without an end, `expire` is -1.
fn shown(record: &Record) -> Value {
    let mut value = record.value.clone();
    if value["expire_at"].as_i64().unwrap_or(0) == 0 {
        value["expire"] = Value::from(-1);
    }
    value
}

/// The entries `keep` and the call's selectors select.
fn listing(
    store: &Store,
    call: &Call,
    namespace: Option<&str>,
    keep: impl Fn(&Record) -> bool,
) -> axum::response::Response {
    let entries: Vec<Value> = store
        .list("silenced", namespace)
        .filter(|(_, r)| keep(r))
        .map(|(_, r)| shown(r))
        .filter(|entry| call.selection.keeps("silenced", entry))
        .collect();
    json(StatusCode::OK, &Value::Array(entries))
}

fn store_entry(store: &mut Store, namespace: &str, call: &Call) -> Outcome {
    let mut entry = decode(call, normalize::<types::Silenced>)?;
    let url_name = (call.op.id == "createOrUpdateSilenced").then(|| call.param("silenced"));
    check_meta(&entry, Some(namespace), url_name)?;
    let name = validate::silenced_name(&entry);
    set_meta(&mut entry, "name", &name);
    set_meta(&mut entry, "created_by", &call.user);
    entry["creator"] = Value::String(call.user.clone());
    let now = unix_now();
    if entry["begin"].as_i64().unwrap_or(0) == 0 {
        entry["begin"] = now.into();
    }
    validate::silenced(&entry).map_err(Failure::invalid)?;
    let entry_key = key(namespace, &name);
    if call.op.id == "createSilenced" && store.contains("silenced", &entry_key) {
        return Err(Failure::new(Code::AlreadyExists, "resource already exists"));
    }
    let expire = entry["expire"].as_i64().unwrap_or(0);
    if entry["expire_at"].as_i64().unwrap_or(0) == 0 && expire > 0 {
        entry["expire_at"] = (entry["begin"].as_i64().unwrap_or(now) + expire).into();
    }
    if !store.namespace_exists(namespace) {
        return Err(Failure::internal(format!(
            "the namespace {namespace} does not exist"
        )));
    }
    store.put("silenced", entry_key, entry);
    Ok(empty(StatusCode::CREATED))
}
