//! What a Go server keeps of a body: the fields its struct declares. The generated types keep
//! unknown properties (so a client loses nothing); the sandbox drops them, as decoding into a
//! Go struct does, unless it plays a newer server ([`keeping_undeclared`]).

use std::cell::Cell;

use schemars::schema::{InstanceType, RootSchema, Schema, SchemaObject, SingleOrVec};
use schemars::JsonSchema;
use serde_json::Value;

/// How deep a body is followed; the resources are far shallower.
const MAX_DEPTH: usize = 32;

thread_local! {
    /// Whether the request being served on this thread keeps undeclared properties.
    static KEEPING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `serve` with undeclared properties kept (`keep`) or dropped. A request is served
/// synchronously on one thread, so the setting reaches every decode of that request and no
/// other sandbox's.
pub(super) fn keeping_undeclared<R>(keep: bool, serve: impl FnOnce() -> R) -> R {
    /// Puts the previous setting back, even when `serve` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            KEEPING.with(|k| k.set(self.0));
        }
    }
    let _restore = Restore(KEEPING.with(|k| k.replace(keep)));
    serve()
}

/// Removes, at every level, the properties the schema of `T` does not declare.
pub(super) fn retain_declared<T: JsonSchema>(value: &mut Value) {
    if KEEPING.with(Cell::get) {
        return;
    }
    let root = schemars::schema_for!(T);
    retain(&root, &root.schema, value, 0);
}

fn retain(root: &RootSchema, schema: &SchemaObject, value: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = resolve(root, schema);
    if let Some(subschemas) = &schema.subschemas {
        // `Option<T>` is `anyOf [T, null]`, a single wrapped reference is `allOf [T]`.
        let choices = [&subschemas.all_of, &subschemas.any_of, &subschemas.one_of];
        for choice in choices.into_iter().flatten().flatten() {
            if let Schema::Object(choice) = choice {
                if !is_null(choice) {
                    retain(root, choice, value, depth + 1);
                }
            }
        }
    }
    match value {
        Value::Object(map) => {
            let Some(object) = &schema.object else {
                return;
            };
            if !object.properties.is_empty() {
                map.retain(|key, _| object.properties.contains_key(key));
                for (key, item) in map.iter_mut() {
                    if let Some(Schema::Object(property)) = object.properties.get(key) {
                        retain(root, property, item, depth + 1);
                    }
                }
            } else if let Some(Schema::Object(values)) = object.additional_properties.as_deref() {
                for item in map.values_mut() {
                    retain(root, values, item, depth + 1);
                }
            }
        }
        Value::Array(items) => {
            if let Some(SingleOrVec::Single(item)) =
                schema.array.as_ref().and_then(|a| a.items.as_ref())
            {
                if let Schema::Object(item_schema) = item.as_ref() {
                    for item in items {
                        retain(root, item_schema, item, depth + 1);
                    }
                }
            }
        }
        _ => {}
    }
}

fn resolve<'a>(root: &'a RootSchema, schema: &'a SchemaObject) -> &'a SchemaObject {
    let target = schema
        .reference
        .as_deref()
        .and_then(|r| r.strip_prefix("#/definitions/"))
        .and_then(|name| root.definitions.get(name));
    match target {
        Some(Schema::Object(target)) => target,
        _ => schema,
    }
}

fn is_null(schema: &SchemaObject) -> bool {
    matches!(
        &schema.instance_type,
        Some(SingleOrVec::Single(t)) if **t == InstanceType::Null
    )
}
