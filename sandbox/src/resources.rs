//! Sensu's generic handlers (`backend/apid/handlers`): create, replace, get, delete, list and
//! merge-patch, for the kinds without a router of their own.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use super::call::Call;
use super::replies::{empty, json, Code, Failure, Outcome};
use super::store::{key, Key, Store};
use super::validate;
use opsclient::sensu::types;

/// A kind served by the generic handlers.
pub(super) struct Kind {
    pub(super) tag: &'static str,
    /// The etcd key prefix, which shows in some messages.
    pub(super) prefix: &'static str,
    pub(super) namespaced: bool,
    /// Decodes a body into the generated type and back: the JSON the server would store.
    pub(super) normalize: fn(Value) -> Result<Value, String>,
    /// The server's `Validate()`.
    pub(super) validate: fn(&Value) -> Result<(), String>,
}

/// The body as the server stores it: decoded into its type, with the properties the type does
/// not declare dropped (as decoding into a Go struct drops them).
pub(super) fn normalize<T: DeserializeOwned + Serialize + schemars::JsonSchema>(
    value: Value,
) -> Result<Value, String> {
    let typed: T = serde_json::from_value(value).map_err(|e| e.to_string())?;
    let mut value = serde_json::to_value(typed).map_err(|e| e.to_string())?;
    super::declared::retain_declared::<T>(&mut value);
    Ok(value)
}

const fn kind(
    tag: &'static str,
    prefix: &'static str,
    namespaced: bool,
    normalize: fn(Value) -> Result<Value, String>,
    validate: fn(&Value) -> Result<(), String>,
) -> Kind {
    Kind {
        tag,
        prefix,
        namespaced,
        normalize,
        validate,
    }
}

pub(super) static KINDS: &[Kind] = &[
    kind(
        "assets",
        "assets",
        true,
        normalize::<types::Asset>,
        validate::asset,
    ),
    kind(
        "checks",
        "checks",
        true,
        normalize::<types::CheckConfig>,
        validate::check,
    ),
    kind(
        "entities",
        "entity_configs",
        true,
        normalize::<types::Entity>,
        validate::entity,
    ),
    kind(
        "filters",
        "event-filters",
        true,
        normalize::<types::EventFilter>,
        validate::filter,
    ),
    kind(
        "handlers",
        "handlers",
        true,
        normalize::<types::Handler>,
        validate::handler,
    ),
    kind(
        "hooks",
        "hooks",
        true,
        normalize::<types::HookConfig>,
        validate::hook,
    ),
    kind(
        "mutators",
        "mutators",
        true,
        normalize::<types::Mutator>,
        validate::mutator,
    ),
    kind(
        "pipelines",
        "pipelines",
        true,
        normalize::<types::Pipeline>,
        validate::pipeline,
    ),
    kind(
        "roles",
        "rbac/roles",
        true,
        normalize::<types::Role>,
        validate::role,
    ),
    kind(
        "rolebindings",
        "rbac/rolebindings",
        true,
        normalize::<types::RoleBinding>,
        validate::role_binding,
    ),
    kind(
        "clusterroles",
        "rbac/clusterroles",
        false,
        normalize::<types::ClusterRole>,
        validate::cluster_role,
    ),
    kind(
        "clusterrolebindings",
        "rbac/clusterrolebindings",
        false,
        normalize::<types::ClusterRoleBinding>,
        validate::cluster_role_binding,
    ),
    kind(
        "apikeys",
        "apikeys",
        false,
        normalize::<types::ApiKey>,
        validate::api_key,
    ),
    kind(
        "namespaces",
        "namespaces",
        false,
        normalize::<types::Namespace>,
        |ns| validate::name_rule("namespace", ns["name"].as_str().unwrap_or_default()),
    ),
    kind(
        "silenced",
        "silenced",
        true,
        normalize::<types::Silenced>,
        validate::silenced,
    ),
];

pub(super) fn kind_of(tag: &str) -> Outcome<&'static Kind> {
    KINDS
        .iter()
        .find(|k| k.tag == tag)
        .ok_or_else(|| Failure::internal(format!("no kind {tag}")))
}

/// The namespace of the call, for namespaced kinds; `""` for cluster-wide ones.
pub(super) fn namespace_of<'a>(kind: &Kind, call: &'a Call) -> &'a str {
    if kind.namespaced {
        call.param("namespace")
    } else {
        ""
    }
}

/// Serves an operation of a generic kind.
pub(super) fn handle(store: &mut Store, call: &Call) -> Outcome {
    let kind = kind_of(call.op.tag)?;
    let namespace = namespace_of(kind, call);
    let item = call.op.path.ends_with('}');
    let name = call.last_param();
    match (call.op.method, item) {
        ("GET", false) if kind.namespaced && !call.op.path.contains("{namespace}") => {
            list(store, kind.tag, None, call)
        }
        ("GET", false) => list(store, kind.tag, Some(namespace), call),
        ("POST", false) => create_or_replace(store, kind, namespace, None, call),
        ("PUT", true) => create_or_replace(store, kind, namespace, Some(name), call),
        ("GET", true) => get(store, kind.tag, &key(namespace, name)),
        ("DELETE", true) => delete(store, kind.tag, &key(namespace, name)),
        ("PATCH", true) => patch(store, kind, namespace, name, call).map(|(response, _)| response),
        _ => Err(Failure::internal(format!("no handler for {}", call.op.id))),
    }
}

/// Decodes a body as JSON, as the handlers' `json.Decoder` does.
pub(super) fn body_json(call: &Call) -> Outcome<Value> {
    if call.body.is_empty() {
        return Err(Failure::invalid("EOF"));
    }
    serde_json::from_slice(&call.body).map_err(|e| Failure::invalid(e.to_string()))
}

/// Decodes a body into a kind's type.
pub(super) fn decode(call: &Call, normalize: fn(Value) -> Result<Value, String>) -> Outcome<Value> {
    normalize(body_json(call)?).map_err(Failure::invalid)
}

/// A `metadata` field as text; empty when absent.
pub(super) fn meta(value: &Value, field: &str) -> String {
    value
        .pointer(&format!("/metadata/{field}"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// `CheckMeta`: the body's namespace, and on item routes its name, must be the URL's. An empty
/// namespace is not filled in.
pub(super) fn check_meta(
    value: &Value,
    namespace: Option<&str>,
    name: Option<&str>,
) -> Outcome<()> {
    if let Some(namespace) = namespace {
        let given = meta(value, "namespace");
        if given != namespace {
            return Err(Failure::invalid(format!(
                "the namespace of the resource ({given}) does not match the namespace of the URI ({namespace})"
            )));
        }
    }
    if let Some(name) = name {
        let given = meta(value, "name");
        if given != name {
            return Err(Failure::invalid(format!(
                "the name of the resource ({given}) does not match the name of the URI ({name})"
            )));
        }
    }
    Ok(())
}

pub(super) fn set_meta(value: &mut Value, field: &str, text: &str) {
    if !value["metadata"].is_object() {
        value["metadata"] = Value::Object(Map::new());
    }
    value["metadata"][field] = Value::String(text.into());
}

/// POST (create; `name` is `None`) or PUT (create or replace `name`).
fn create_or_replace(
    store: &mut Store,
    kind: &Kind,
    namespace: &str,
    name: Option<&str>,
    call: &Call,
) -> Outcome {
    let mut value = decode(call, kind.normalize)?;
    check_meta(&value, kind.namespaced.then_some(namespace), name)?;
    set_meta(&mut value, "created_by", &call.user);
    (kind.validate)(&value).map_err(|e| Failure::invalid(format!("resource is invalid: {e}")))?;
    if kind.namespaced && !store.namespace_exists(namespace) {
        return Err(Failure::internal(format!(
            "the namespace {namespace} does not exist"
        )));
    }
    let key = key(namespace, &meta(&value, "name"));
    if name.is_none() && store.contains(kind.tag, &key) {
        return Err(Failure::new(Code::AlreadyExists, "resource already exists"));
    }
    store.put(kind.tag, key, value);
    Ok(empty(StatusCode::CREATED))
}

pub(super) fn get(store: &Store, kind: &str, key: &Key) -> Outcome {
    let record = store.get(kind, key).ok_or_else(Failure::not_found)?;
    Ok(with_etag(json(StatusCode::OK, &record.value), &record.etag))
}

pub(super) fn delete(store: &mut Store, kind: &str, key: &Key) -> Outcome {
    store.remove(kind, key).ok_or_else(Failure::not_found)?;
    Ok(empty(StatusCode::NO_CONTENT))
}

pub(super) fn with_etag(mut response: Response, etag: &str) -> Response {
    if let Ok(etag) = HeaderValue::from_str(etag) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// A page of a kind's records in one namespace, or in all (`None`), that the call's
/// selectors keep.
pub(super) fn list(store: &Store, kind: &str, namespace: Option<&str>, call: &Call) -> Outcome {
    let records: Vec<_> = store
        .list(kind, namespace)
        .filter(|(_, record)| call.selection.keeps(kind, &record.value))
        .collect();
    let all_namespaces = namespace.is_none();
    paginate(
        call,
        records,
        |(_, record)| record.value.clone(),
        |(key, _)| {
            if all_namespaces {
                format!("{}/{}", key.0, key.1)
            } else {
                key.1.clone()
            }
        },
    )
}

/// Answers `items` a page at a time, in the store's byte-wise key order. `limit` that is not
/// a number, or 0, means everything. The `Sensu-Continue` cursor is the last item's key plus a
/// NUL byte, so the next page starts just after it; a cursor that is not base64 is ignored.
pub(super) fn paginate<T>(
    call: &Call,
    mut items: Vec<T>,
    show: impl Fn(&T) -> Value,
    sort_key: impl Fn(&T) -> String,
) -> Outcome {
    items.sort_by_key(|item| sort_key(item));
    let limit = call
        .query("limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(0);
    let start_key = call
        .query("continue")
        .and_then(|token| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(token)
                .ok()
        })
        .and_then(|bytes| String::from_utf8(bytes).ok());
    let start = start_key.map_or(0, |start| {
        items
            .iter()
            .position(|item| sort_key(item) >= start)
            .unwrap_or(items.len())
    });
    let rest = &items[start..];
    let page = if limit == 0 {
        rest
    } else {
        &rest[..limit.min(rest.len())]
    };
    let mut response = json(
        StatusCode::OK,
        &Value::Array(page.iter().map(&show).collect()),
    );
    if let (true, Some(last)) = (page.len() < rest.len(), page.last()) {
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{}\0", sort_key(last)));
        if let Ok(value) = HeaderValue::from_str(&token) {
            response
                .headers_mut()
                .insert(opsclient::sensu::CONTINUE_HEADER, value);
        }
    }
    Ok(response)
}

/// The etcd key the server names in PATCH messages.
fn store_key(kind: &Kind, namespace: &str, name: &str) -> String {
    if kind.namespaced {
        format!("/sensu.io/{}/{namespace}/{name}", kind.prefix)
    } else {
        format!("/sensu.io/{}/{name}", kind.prefix)
    }
}

/// `PATCH` with an RFC 7396 merge patch. Returns the answer and the stored record's new value.
pub(super) fn patch(
    store: &mut Store,
    kind: &Kind,
    namespace: &str,
    name: &str,
    call: &Call,
) -> Outcome<(Response, Value)> {
    check_patch_request(call, kind.namespaced.then_some(namespace), name)?;
    let patch = body_json(call)?;
    let at = store_key(kind, namespace, name);
    let key = key(namespace, name);
    let current = store
        .get(kind.tag, &key)
        .ok_or_else(|| Failure::new(Code::NotFound, format!("key {at} not found")))?;
    check_preconditions(call, &current.etag, &at)?;
    let mut patched = current.value.clone();
    apply_merge_patch(&mut patched, &patch);
    let patched = (kind.normalize)(patched).map_err(Failure::invalid)?;
    (kind.validate)(&patched).map_err(Failure::internal)?;
    let record = store.put(kind.tag, key, patched);
    Ok((
        with_etag(json(StatusCode::OK, &record.value), &record.etag),
        record.value.clone(),
    ))
}

/// The media type (only exact merge patch), and the patch's own name and namespace.
pub(super) fn check_patch_request(call: &Call, namespace: Option<&str>, name: &str) -> Outcome<()> {
    // Without a Content-Type the request-limit middleware has added the form type.
    let content_type = call
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/x-www-form-urlencoded");
    const ALLOWED: &str = "Allowed values: application/merge-patch+json";
    match content_type {
        "application/merge-patch+json" => {}
        "application/json-patch+json" => {
            return Err(Failure::invalid(format!(
                "JSON Patch is not supported yet. {ALLOWED}"
            )))
        }
        other => {
            return Err(Failure::invalid(format!(
                "invalid Content-Type header: {other}.  {ALLOWED}"
            )))
        }
    }
    let patch = body_json(call)?;
    if !patch.is_object() {
        return Err(Failure::invalid(
            "json: cannot unmarshal into a JSON object",
        ));
    }
    let given_namespace = meta(&patch, "namespace");
    if let Some(namespace) =
        namespace.filter(|ns| !given_namespace.is_empty() && *ns != given_namespace)
    {
        return Err(Failure::invalid(format!(
            "the namespace of the resource ({given_namespace}) does not match the namespace in the URI ({namespace})"
        )));
    }
    let given_name = meta(&patch, "name");
    if !given_name.is_empty() && given_name != name {
        return Err(Failure::invalid(format!(
            "the name of the resource ({given_name}) does not match the name in the URI ({name})"
        )));
    }
    Ok(())
}

/// `If-Match` (strong tags equal to the ETag, or `*`) and `If-None-Match` (`*`, or any tag
/// equal to the ETag, weak or not, fails).
pub(super) fn check_preconditions(call: &Call, etag: &str, at: &str) -> Outcome<()> {
    let tags = |name: header::HeaderName| {
        call.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(',')
                    .map(|t| t.trim().to_string())
                    .collect::<Vec<_>>()
            })
    };
    let if_match_fails =
        tags(header::IF_MATCH).is_some_and(|tags| !tags.iter().any(|t| t == "*" || t == etag));
    let if_none_match_fails = tags(header::IF_NONE_MATCH).is_some_and(|tags| {
        tags.iter()
            .any(|t| t == "*" || t.trim_start_matches("W/") == etag)
    });
    if if_match_fails || if_none_match_fails {
        return Err(Failure::new(
            Code::PreconditionFailed,
            format!("at least one condition failed for the key {at}"),
        ));
    }
    Ok(())
}

/// RFC 7396: objects merge key by key, `null` deletes, anything else replaces.
pub(super) fn apply_merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target) = target {
        for (key, value) in patch {
            if value.is_null() {
                target.remove(key);
            } else {
                apply_merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}
