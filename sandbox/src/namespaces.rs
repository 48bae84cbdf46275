//! Namespaces: bodies are `{"name": …}` without metadata; each one gets a `system:pipeline`
//! role and binding; only namespaces without checks, entities, assets, handlers, mutators,
//! filters, hooks or silences can be deleted.

use axum::http::StatusCode;
use serde_json::Value;

use super::call::Call;
use super::replies::{empty, json, Code, Failure, Outcome};
use super::resources::{self, decode, kind_of, normalize};
use super::store::{key, Store};
use super::validate;
use opsclient::sensu::types;

pub(super) fn handle(store: &mut Store, call: &Call) -> Outcome {
    let name = call.param("namespace");
    match call.op.id {
        "listNamespaces" => resources::list(store, "namespaces", Some(""), call),
        // The commercial endpoint; every sandbox user is a cluster administrator.
        "listUserNamespaces" => {
            let all: Vec<Value> = store
                .list("namespaces", Some(""))
                .filter(|(_, r)| call.selection.keeps("namespaces", &r.value))
                .map(|(_, r)| r.value.clone())
                .collect();
            Ok(json(StatusCode::OK, &Value::Array(all)))
        }
        "createNamespace" | "createOrUpdateNamespace" => {
            let namespace = decode(call, normalize::<types::Namespace>)?;
            let given = namespace["name"].as_str().unwrap_or_default().to_string();
            let given = given.as_str();
            if call.op.id == "createOrUpdateNamespace" && given != name {
                return Err(Failure::invalid(format!(
                    "the name of the resource ({given}) does not match the name of the URI ({name})"
                )));
            }
            validate::name_rule("namespace", given).map_err(Failure::invalid)?;
            if call.op.id == "createNamespace" && store.namespace_exists(given) {
                return Err(Failure::new(Code::AlreadyExists, "resource already exists"));
            }
            store.add_namespace(namespace);
            Ok(empty(StatusCode::CREATED))
        }
        "getNamespace" => resources::get(store, "namespaces", &key("", name)),
        "patchNamespace" => {
            let kind = kind_of("namespaces")?;
            resources::patch(store, kind, "", name, call).map(|(response, _)| response)
        }
        "deleteNamespace" => {
            if !store.namespace_exists(name) {
                return Err(Failure::not_found());
            }
            if !store.namespace_is_empty(name) {
                return Err(Failure::internal(
                    "resource is invalid: namespace is not empty",
                ));
            }
            store.remove_namespace(name);
            Ok(empty(StatusCode::NO_CONTENT))
        }
        other => Err(Failure::internal(format!("no handler for {other}"))),
    }
}
