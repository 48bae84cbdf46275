//! Check actions beyond CRUD: ad hoc execution and hook assignment.

use axum::http::StatusCode;
use serde_json::Value;

use super::call::Call;
use super::replies::{empty, untyped, Failure, Outcome};
use super::resources::{body_json, normalize};
use super::store::{key, unix_now, Store};
use super::validate;
use opsclient::sensu::types;

pub(super) fn handle(store: &mut Store, call: &Call) -> Outcome {
    let check_key = key(call.param("namespace"), call.param("check"));
    match call.op.id {
        "executeCheck" => {
            // This router reports decode errors as 500s and does not validate the override.
            let request = body_json(call).map_err(|f| Failure::internal(f.message))?;
            normalize::<types::AdhocRequest>(request).map_err(Failure::internal)?;
            store
                .get("checks", &check_key)
                .ok_or_else(Failure::not_found)?;
            // Nothing is scheduled here; the real backend queues the request and answers at once.
            let issued = serde_json::json!({"issued": unix_now()});
            Ok(untyped(StatusCode::ACCEPTED, issued.to_string()))
        }
        "addCheckHook" => {
            // The body's key is the hook type; the URL's {type} is not read.
            let hooks = body_json(call).map_err(|f| Failure::internal(f.message))?;
            let hooks = normalize::<types::HookList>(hooks).map_err(Failure::internal)?;
            let (hook_type, names) = hooks
                .as_object()
                .and_then(|o| o.iter().next())
                .map(|(t, n)| (t.clone(), n.clone()))
                .ok_or_else(|| Failure::invalid("a hook list needs one status and its hooks"))?;
            let record = store
                .get("checks", &check_key)
                .ok_or_else(Failure::not_found)?;
            let mut check = record.value.clone();
            let lists = hook_lists(&mut check);
            match lists.iter_mut().find_map(|l| l.get_mut(&hook_type)) {
                Some(Value::Array(existing)) => {
                    for name in names.as_array().into_iter().flatten() {
                        if !existing.contains(name) {
                            existing.push(name.clone());
                        }
                    }
                }
                _ => lists.push(serde_json::json!({ hook_type: names })),
            }
            validate::check(&check).map_err(Failure::invalid)?;
            store.put("checks", check_key, check);
            Ok(empty(StatusCode::CREATED))
        }
        "removeCheckHook" => {
            let record = store
                .get("checks", &check_key)
                .ok_or_else(Failure::not_found)?;
            let mut check = record.value.clone();
            let (hook_type, hook) = (call.param("type"), Value::String(call.param("hook").into()));
            let lists = hook_lists(&mut check);
            let list = lists
                .iter_mut()
                .find_map(|l| l.get_mut(hook_type))
                .and_then(Value::as_array_mut)
                .filter(|names| names.contains(&hook))
                .ok_or_else(Failure::not_found)?;
            list.retain(|name| *name != hook);
            lists.retain(|l| {
                l.as_object().is_none_or(|o| {
                    o.values()
                        .any(|v| v.as_array().is_some_and(|a| !a.is_empty()))
                })
            });
            store.put("checks", check_key, check);
            Ok(empty(StatusCode::NO_CONTENT))
        }
        other => Err(Failure::internal(format!("no handler for {other}"))),
    }
}

/// The check's `check_hooks` array, created if it is null.
fn hook_lists(check: &mut Value) -> &mut Vec<Value> {
    if !check["check_hooks"].is_array() {
        check["check_hooks"] = Value::Array(Vec::new());
    }
    match &mut check["check_hooks"] {
        Value::Array(lists) => lists,
        _ => unreachable!("just made an array"),
    }
}
