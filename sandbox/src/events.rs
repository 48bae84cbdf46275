//! Events: POST and PUT both create or replace. The real API validates, answers 201 and hands
//! the event to its pipeline, which stores it moments later; the sandbox does the pipeline's
//! storing work at once: the proxy entity, silencing, check history, occurrences and state.

use axum::http::StatusCode;
use serde_json::{json as value, Value};

use super::call::Call;
use super::entities::add_subscription;
use super::replies::{empty, Failure, Outcome};
use super::resources::{self, body_json, check_meta, normalize, set_meta};
use super::store::{key, unix_now, Key, Store};
use super::validate;
use opsclient::sensu::types;

/// How many history entries a check keeps.
const HISTORY: usize = 21;

pub(super) fn handle(store: &mut Store, call: &Call) -> Outcome {
    let namespace = call.param("namespace");
    match call.op.id {
        "listEvents" => resources::list(store, "events", Some(namespace), call),
        "listEventsAllNamespaces" => resources::list(store, "events", None, call),
        "listEventsForEntity" => {
            let entity = call.param("entity");
            let records: Vec<_> = store
                .list("events", Some(namespace))
                .filter(|(k, _)| k.1.split_once('/').is_some_and(|(e, _)| e == entity))
                .filter(|(_, r)| call.selection.keeps("events", &r.value))
                .collect();
            resources::paginate(
                call,
                records,
                |(_, r)| r.value.clone(),
                |(k, _)| {
                    k.1.split_once('/')
                        .map(|(_, check)| check.to_string())
                        .unwrap_or_default()
                },
            )
        }
        "getEvent" => resources::get(
            store,
            "events",
            &event_key(namespace, call.param("entity"), call.param("check")),
        ),
        "deleteEvent" => resources::delete(
            store,
            "events",
            &event_key(namespace, call.param("entity"), call.param("check")),
        ),
        "createEvent" => store_event(store, namespace, None, call),
        _ => store_event(
            store,
            namespace,
            Some((call.param("entity"), call.param("check"))),
            call,
        ),
    }
}

fn event_key(namespace: &str, entity: &str, check: &str) -> Key {
    key(namespace, &format!("{entity}/{check}"))
}

fn text(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// Fills an empty namespace (and, on item routes, name) from the URL, then compares.
fn claim(part: &mut Value, namespace: &str, name: Option<&str>) -> Outcome<()> {
    if !part.is_object() {
        return Ok(());
    }
    if text(part, "/metadata/namespace").is_empty() {
        set_meta(part, "namespace", namespace);
    }
    if let Some(name) = name.filter(|_| text(part, "/metadata/name").is_empty()) {
        set_meta(part, "name", name);
    }
    check_meta(part, Some(namespace), name)
}

fn store_event(
    store: &mut Store,
    namespace: &str,
    url: Option<(&str, &str)>,
    call: &Call,
) -> Outcome {
    let mut event = body_json(call)?;
    if !event.is_object() {
        return Err(Failure::invalid(
            "json: cannot unmarshal into Go value of type v2.Event",
        ));
    }
    claim(&mut event["entity"], namespace, url.map(|u| u.0))?;
    claim(&mut event["check"], namespace, url.map(|u| u.1))?;
    if event["entity"].is_object() && text(&event, "/entity/entity_class").is_empty() {
        event["entity"]["entity_class"] = Value::String("proxy".into());
    }
    validate::event(&event).map_err(Failure::invalid)?;
    if !event["check"].is_object() {
        // The 6.x handler dereferences the missing check and drops the connection.
        return Err(Failure::internal(
            "the event has no check; Sensu 6 cannot accept a metrics-only event here",
        ));
    }
    if event["id"].as_str().unwrap_or_default().is_empty() {
        event["id"] = Value::String(uuid::Uuid::new_v4().to_string());
    }
    if !event["metadata"].is_object() {
        event["metadata"] = value!({});
    }
    for part in ["/metadata", "/check/metadata", "/entity/metadata"] {
        if let Some(Value::Object(metadata)) = event.pointer_mut(part) {
            metadata.insert("created_by".into(), Value::String(call.user.clone()));
        }
    }
    let event = normalize::<types::Event>(event).map_err(Failure::invalid)?;
    if store.namespace_exists(namespace) {
        process(store, namespace, event);
    }
    Ok(empty(StatusCode::CREATED))
}

/// What the event pipeline does before it stores an event.
fn process(store: &mut Store, namespace: &str, mut event: Value) {
    let entity_name = text(&event, "/entity/metadata/name");
    let check_name = text(&event, "/check/metadata/name");
    attach_entity(store, namespace, &mut event, &entity_name);
    let now = unix_now();
    let key = event_key(namespace, &entity_name, &check_name);
    let previous = store.get("events", &key).map(|r| r.value["check"].clone());
    let silenced = matching_silences(store, namespace, &event);
    let check = &mut event["check"];
    check["silenced"] = value!(silenced);
    check["is_silenced"] = Value::Bool(!check["silenced"].as_array().is_none_or(Vec::is_empty));
    let status = check["status"].as_u64().unwrap_or(0);
    let executed = check["executed"].as_i64().unwrap_or(0);
    let mut history = match &previous {
        Some(previous) => previous["history"].as_array().cloned().unwrap_or_default(),
        None => check["history"].as_array().cloned().unwrap_or_default(),
    };
    history.push(value!({"status": status, "executed": executed}));
    let excess = history.len().saturating_sub(HISTORY);
    history.drain(..excess);
    let field = |name: &str| {
        previous
            .as_ref()
            .and_then(|p| p[name].as_i64())
            .unwrap_or(0)
    };
    let repeated = history.len() >= 2
        && history[history.len() - 1]["status"] == history[history.len() - 2]["status"];
    let occurrences = if repeated {
        field("occurrences") + 1
    } else {
        1
    };
    let previous_status = previous
        .as_ref()
        .and_then(|p| p["status"].as_u64())
        .unwrap_or(0);
    let watermark = match (previous_status, status) {
        (0, s) if s != 0 => 1,
        _ => field("occurrences_watermark").max(occurrences).max(1),
    };
    check["history"] = Value::Array(history);
    check["occurrences"] = occurrences.into();
    check["occurrences_watermark"] = watermark.into();
    check["last_ok"] = if status == 0 {
        executed
    } else {
        field("last_ok")
    }
    .into();
    check["state"] = Value::String(if status == 0 { "passing" } else { "failing" }.into());
    if event["timestamp"].as_i64().unwrap_or(0) == 0 {
        event["timestamp"] = now.into();
    }
    if status == 0 && previous_status != 0 {
        resolve_silences(store, namespace, &event);
    }
    if let Ok(event) = normalize::<types::Event>(event) {
        store.put("events", key, event);
    }
}

/// The stored entity replaces the event's; a missing one is created as a proxy entity.
fn attach_entity(store: &mut Store, namespace: &str, event: &mut Value, name: &str) {
    let proxy_name = text(event, "/check/proxy_entity_name");
    let is_agent = text(event, "/entity/entity_class") == "agent";
    if is_agent && proxy_name.is_empty() {
        return;
    }
    let name = if proxy_name.is_empty() {
        name.to_string()
    } else {
        proxy_name.clone()
    };
    let entity_key = key(namespace, &name);
    if let Some(stored) = store.get("entities", &entity_key) {
        event["entity"] = stored.value.clone();
        return;
    }
    let mut entity = if proxy_name.is_empty() {
        event["entity"].clone()
    } else {
        value!({"metadata": {"name": proxy_name, "namespace": namespace}})
    };
    entity["entity_class"] = Value::String("proxy".into());
    add_subscription(&mut entity, &format!("entity:{name}"));
    if let Ok(entity) = normalize::<types::Entity>(entity) {
        event["entity"] = entity.clone();
        store.put("entities", entity_key, entity);
    }
}

/// Silences that apply: subscription (or `*`) among the entity's or check's subscriptions,
/// and check (or `*`) equal to the event's check.
fn matching_silences(store: &Store, namespace: &str, event: &Value) -> Vec<String> {
    let now = unix_now();
    let check = text(event, "/check/metadata/name");
    let mut subscriptions: Vec<String> = Vec::new();
    for part in ["/entity/subscriptions", "/check/subscriptions"] {
        if let Some(Value::Array(list)) = event.pointer(part) {
            subscriptions.extend(list.iter().filter_map(Value::as_str).map(str::to_string));
        }
    }
    store
        .list("silenced", Some(namespace))
        .filter(|(_, r)| r.value["begin"].as_i64().unwrap_or(0) <= now)
        .filter(|(_, r)| {
            let subscription = r.value["subscription"].as_str().unwrap_or_default();
            let silenced_check = r.value["check"].as_str().unwrap_or_default();
            (subscription.is_empty()
                || subscription == "*"
                || subscriptions.iter().any(|s| s == subscription))
                && (silenced_check.is_empty() || silenced_check == "*" || silenced_check == check)
        })
        .map(|(k, _)| k.1.clone())
        .collect()
}

/// Silences marked `expire_on_resolve` end when their event resolves.
fn resolve_silences(store: &mut Store, namespace: &str, event: &Value) {
    let names = event["check"]["silenced"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for name in names.iter().filter_map(Value::as_str) {
        let silence_key = key(namespace, name);
        let on_resolve = store
            .get("silenced", &silence_key)
            .is_some_and(|r| r.value["expire_on_resolve"].as_bool() == Some(true));
        if on_resolve {
            store.remove("silenced", &silence_key);
        }
    }
}
