//! Entities have their own router: bodies are not compared with the URL, POST and PUT answer
//! 200 with the entity, PATCH works on the entity's configuration part, and DELETE takes the
//! entity's events with it.

use axum::http::StatusCode;
use serde_json::Value;

use super::call::Call;
use super::replies::{json, Code, Failure, Outcome};
use super::resources::{self, body_json, kind_of, meta, normalize, with_etag};
use super::store::{etag_of, key, Store};
use super::validate;
use opsclient::sensu::types;

pub(super) fn handle(store: &mut Store, call: &Call) -> Outcome {
    let namespace = call.param("namespace");
    let name = call.param("entity");
    match call.op.id {
        "createEntity" | "createOrUpdateEntity" => store_entity(store, namespace, call),
        "patchEntity" => patch(store, namespace, name, call),
        "deleteEntity" => {
            let events: Vec<_> = store
                .list("events", Some(namespace))
                .filter(|(k, _)| k.1.split('/').next() == Some(name))
                .map(|(k, _)| k.clone())
                .collect();
            for event in events {
                store.remove("events", &event);
            }
            resources::delete(store, "entities", &key(namespace, name))
        }
        _ => resources::handle(store, call),
    }
}

fn store_entity(store: &mut Store, url_namespace: &str, call: &Call) -> Outcome {
    // This router reports decode errors as 500s.
    let body = body_json(call).map_err(|f| Failure::internal(f.message))?;
    let mut entity = normalize::<types::Entity>(body).map_err(Failure::internal)?;
    let name = meta(&entity, "name");
    let creating = call.op.id == "createEntity";
    if creating {
        if name.is_empty() {
            return Err(Failure::internal("resource is invalid: must specify name"));
        }
        if store.contains("entities", &key(url_namespace, &name)) {
            return Err(Failure::new(Code::AlreadyExists, "resource already exists"));
        }
    } else if entity
        .pointer("/metadata/labels/sensu.io~1managed_by")
        .and_then(Value::as_str)
        == Some("sensu-agent")
    {
        return Err(Failure::new(
            Code::AlreadyExists,
            "entity is managed by its agent",
        ));
    }
    validate::entity(&entity).map_err(Failure::invalid)?;
    let namespace = meta(&entity, "namespace");
    if !store.namespace_exists(&namespace) {
        return Err(Failure::internal(format!(
            "the namespace {namespace} does not exist"
        )));
    }
    let entity_key = key(&namespace, &name);
    let replaces_agent = store
        .get("entities", &entity_key)
        .is_some_and(|e| e.value["entity_class"] != "proxy");
    if !creating && replaces_agent {
        add_subscription(&mut entity, &format!("entity:{name}"));
    }
    let record = store.put("entities", entity_key, entity);
    Ok(json(StatusCode::OK, &record.value))
}

pub(super) fn add_subscription(entity: &mut Value, subscription: &str) {
    let mut subscriptions = entity["subscriptions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let subscription = Value::String(subscription.into());
    if !subscriptions.contains(&subscription) {
        subscriptions.push(subscription);
    }
    entity["subscriptions"] = Value::Array(subscriptions);
}

/// PATCH applies to the entity's configuration, whose ETag differs from the one GET sends.
fn patch(store: &mut Store, namespace: &str, name: &str, call: &Call) -> Outcome {
    resources::check_patch_request(call, Some(namespace), name)?;
    let patch = body_json(call)?;
    let at = format!("/sensu.io/entity_configs/{namespace}/{name}");
    let entity_key = key(namespace, name);
    let entity = store
        .get("entities", &entity_key)
        .ok_or_else(|| Failure::new(Code::NotFound, format!("key {at} not found")))?
        .value
        .clone();
    let config = normalize::<types::EntityConfig>(entity.clone()).map_err(Failure::internal)?;
    resources::check_preconditions(call, &config_etag(&config), &at)?;
    let mut merged = entity;
    resources::apply_merge_patch(&mut merged, &patch);
    let kind = kind_of("entities")?;
    let merged = (kind.normalize)(merged).map_err(Failure::invalid)?;
    validate::entity(&merged).map_err(Failure::internal)?;
    let config = normalize::<types::EntityConfig>(merged.clone()).map_err(Failure::internal)?;
    store.put("entities", entity_key, merged);
    Ok(with_etag(
        json(StatusCode::OK, &config),
        &config_etag(&config),
    ))
}

/// The tag of an entity's configuration: the real server hashes another struct (core/v3
/// EntityConfig) than for the entity, so the two tags never match, even over the same fields.
fn config_etag(config: &serde_json::Value) -> String {
    etag_of(&serde_json::json!({ "entity_config": config }))
}
