//! What selectors see of a stored resource: its labels, and its selectable fields as the
//! server's per-kind `Fields` functions (sensu/core) name them, e.g. `check.subscriptions` or
//! `event.check.status`. Every field is text: lists are comma-joined, booleans and numbers are
//! written out, and a missing one is empty, `false` or `0`. A resource's labels are also
//! fields, under `<prefix>.labels.`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// How a field is read from the stored JSON (JSON pointers).
#[derive(Clone, Copy)]
enum Read {
    Text(&'static str),
    Bool(&'static str),
    Number(&'static str),
    List(&'static str),
    /// Whether the event's check names any silence.
    Silenced,
}

use Read::{Bool, List, Number, Silenced, Text};

const NAME: Field = ("name", Text("/metadata/name"));
const NAMESPACE: Field = ("namespace", Text("/metadata/namespace"));

/// A field's name after the kind's prefix, and how to read it.
type Field = (&'static str, Read);

/// A kind's field prefix, its fields, and whether it has labels.
fn table(kind: &str) -> Option<(&'static str, &'static [Field], bool)> {
    let table: (&str, &[Field], bool) = match kind {
        "apikeys" => ("api_key", &[NAME, ("username", Text("/username"))], true),
        "assets" => (
            "asset",
            &[NAME, NAMESPACE, ("filters", List("/filters"))],
            true,
        ),
        "checks" => (
            "check",
            &[
                NAME,
                NAMESPACE,
                ("handlers", List("/handlers")),
                ("publish", Bool("/publish")),
                ("round_robin", Bool("/round_robin")),
                ("runtime_assets", List("/runtime_assets")),
                ("subscriptions", List("/subscriptions")),
            ],
            true,
        ),
        "entities" => (
            "entity",
            &[
                NAME,
                NAMESPACE,
                ("deregister", Bool("/deregister")),
                ("entity_class", Text("/entity_class")),
                ("subscriptions", List("/subscriptions")),
            ],
            true,
        ),
        "events" => (
            "event",
            &[
                NAME,
                NAMESPACE,
                ("is_silenced", Silenced),
                ("check.is_silenced", Silenced),
                ("check.name", Text("/check/metadata/name")),
                ("check.handlers", List("/check/handlers")),
                ("check.publish", Bool("/check/publish")),
                ("check.round_robin", Bool("/check/round_robin")),
                ("check.runtime_assets", List("/check/runtime_assets")),
                ("check.state", Text("/check/state")),
                ("check.status", Number("/check/status")),
                ("check.subscriptions", List("/check/subscriptions")),
                ("entity.deregister", Bool("/entity/deregister")),
                ("entity.name", Text("/entity/metadata/name")),
                ("entity.entity_class", Text("/entity/entity_class")),
                ("entity.subscriptions", List("/entity/subscriptions")),
            ],
            true,
        ),
        "filters" => (
            "filter",
            &[
                NAME,
                NAMESPACE,
                ("action", Text("/action")),
                ("runtime_assets", List("/runtime_assets")),
            ],
            true,
        ),
        "handlers" => (
            "handler",
            &[
                NAME,
                NAMESPACE,
                ("filters", List("/filters")),
                ("handlers", List("/handlers")),
                ("mutator", Text("/mutator")),
                ("type", Text("/type")),
            ],
            true,
        ),
        "hooks" => ("hook", &[NAME, NAMESPACE], true),
        "mutators" => (
            "mutator",
            &[NAME, NAMESPACE, ("runtime_assets", List("/runtime_assets"))],
            true,
        ),
        "pipelines" => ("pipeline", &[NAME, NAMESPACE], true),
        "silenced" => (
            "silenced",
            &[
                NAME,
                NAMESPACE,
                ("check", Text("/check")),
                ("creator", Text("/creator")),
                ("expire_on_resolve", Bool("/expire_on_resolve")),
                ("subscription", Text("/subscription")),
            ],
            true,
        ),
        "users" => (
            "user",
            &[
                ("username", Text("/username")),
                ("disabled", Bool("/disabled")),
                ("groups", List("/groups")),
            ],
            false,
        ),
        "namespaces" => ("namespace", &[("name", Text("/name"))], false),
        "roles" => ("role", &[NAME, NAMESPACE], true),
        "rolebindings" => (
            "rolebinding",
            &[
                NAME,
                NAMESPACE,
                ("role_ref.name", Text("/role_ref/name")),
                ("role_ref.type", Text("/role_ref/type")),
            ],
            true,
        ),
        "clusterroles" => ("clusterrole", &[NAME], true),
        "clusterrolebindings" => (
            "clusterrolebinding",
            &[
                NAME,
                ("role_ref.name", Text("/role_ref/name")),
                ("role_ref.type", Text("/role_ref/type")),
            ],
            true,
        ),
        _ => return None,
    };
    Some(table)
}

/// A resource's labels. An event's are its own with its entity's and then its check's merged
/// over them, as the server's event fields merge them.
pub(super) fn labels(kind: &str, resource: &Value) -> BTreeMap<String, String> {
    let parts: &[&str] = match kind {
        "events" => &[
            "/metadata/labels",
            "/entity/metadata/labels",
            "/check/metadata/labels",
        ],
        _ => &["/metadata/labels"],
    };
    parts
        .iter()
        .filter_map(|part| resource.pointer(part).and_then(Value::as_object))
        .flat_map(Map::iter)
        .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_string())))
        .collect()
}

/// A resource's selectable fields; none for a kind without any.
pub(super) fn fields(kind: &str, resource: &Value) -> BTreeMap<String, String> {
    let Some((prefix, table, labelled)) = table(kind) else {
        return BTreeMap::new();
    };
    let mut fields: BTreeMap<String, String> = table
        .iter()
        .map(|(name, read)| (format!("{prefix}.{name}"), read_field(resource, *read)))
        .collect();
    if labelled {
        for (key, value) in labels(kind, resource) {
            fields.insert(format!("{prefix}.labels.{key}"), value);
        }
    }
    fields
}

fn read_field(resource: &Value, read: Read) -> String {
    match read {
        Text(at) => resource
            .pointer(at)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        Bool(at) => resource
            .pointer(at)
            .and_then(Value::as_bool)
            .unwrap_or(false)
            .to_string(),
        Number(at) => resource
            .pointer(at)
            .and_then(Value::as_i64)
            .unwrap_or(0)
            .to_string(),
        List(at) => resource
            .pointer(at)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default(),
        Silenced => resource
            .pointer("/check/silenced")
            .and_then(Value::as_array)
            .is_some_and(|names| !names.is_empty())
            .to_string(),
    }
}
