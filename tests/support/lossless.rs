//! The lossless checks of one body: it decodes into its generated type, encodes back to the same
//! JSON, and carries no property its document does not declare.
//!
//! "The same JSON" allows exactly two normalizations, which the servers read the same way:
//! 1. an optional property sent as `null` is written back absent (Go and the Python servers
//!    treat a missing optional property and a null one alike; the types keep both as `None`);
//! 2. a number keeps its value, not its spelling: a float is written as its `f64` value
//!    (`0.308976181461092553` comes back as `0.30897618146109254`, `5` in a float field as
//!    `5.0`); every server here parses floats as 64-bit.
//!
//! Anything else, a lost property, an added one, a changed value, is a difference.

#![allow(dead_code)]

use opsclient::operation::Operation;
use serde_json::Value;

use super::apis::Api;

/// Which body of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    Request,
    /// A response with this status.
    Response(u16),
}

/// Where `back` differs from `original`, beyond the two normalizations.
pub fn differences(original: &Value, back: &Value, at: &str, out: &mut Vec<String>) {
    match (original, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let here = format!("{at}.{key}");
                match b.get(key) {
                    Some(other) => differences(value, other, &here, out),
                    None if value.is_null() => {}
                    None => out.push(format!("{here} is lost")),
                }
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    out.push(format!("{at}.{key} is added as {value}"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(x, y, &format!("{at}[{i}]"), out);
            }
        }
        (Value::Number(a), Value::Number(b)) if same_number(a, b) => {}
        (a, b) if a == b => {}
        (a, b) => out.push(format!("{at}: {a} came back as {b}")),
    }
}

fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

/// The schema a body of `op` is checked against: `schema` when given, else the operation's.
fn schema_of<'a>(op: &'a Operation, body: Body, schema: Option<&'a str>) -> Option<&'a str> {
    schema.or(match body {
        Body::Request => op.body_schema,
        Body::Response(_) => op.response_schema,
    })
}

/// The problems of one body of `op`: empty when it decodes, comes back the same, and declares
/// nothing undeclared. `schema` overrides the operation's schema (an error answer's body).
pub fn problems(
    api: &Api,
    op: &Operation,
    body: Body,
    schema: Option<&str>,
    value: &Value,
) -> Vec<String> {
    let doc = api.document();
    let patch = body == Body::Request && op.body_media_type == Some("application/merge-patch+json");
    let name = schema_of(op, body, schema);
    let mut found = Vec::new();
    if patch {
        // A merge patch is free-form: every key it sets must be a property of the resource.
        let resource = name.expect("a merge patch names its resource");
        found.extend(
            opsclient_codegen::conformance::undeclared_in_component(doc, resource, value)
                .into_iter()
                .map(|path| format!("{path} is not a property of {resource}")),
        );
        return found;
    }
    match name {
        None => found.push("the operation declares no such body".into()),
        Some(name) => match (api.codec)(name) {
            None => found.push(format!("no generated type registered for {name}")),
            Some(codec) => match codec(value) {
                Err(e) => found.push(format!("{name} {e}")),
                Ok(back) => differences(value, &back, "$", &mut found),
            },
        },
    }
    let declared = match (schema, body) {
        (Some(name), _) => {
            opsclient_codegen::conformance::undeclared_in_component(doc, name, value)
        }
        (None, Body::Request) => {
            match opsclient_codegen::conformance::request_schema(doc, op.method, op.path) {
                Some(s) => opsclient_codegen::conformance::undeclared(doc, s, value),
                None => vec!["$: the document declares no JSON request body".into()],
            }
        }
        (None, Body::Response(status)) => {
            match opsclient_codegen::conformance::answer_schema(doc, op.method, op.path, status) {
                Some(s) => opsclient_codegen::conformance::undeclared(doc, s, value),
                None => vec![format!(
                    "$: the document declares no JSON body for {status}"
                )],
            }
        }
    };
    found.extend(
        declared
            .into_iter()
            .map(|path| format!("{path} is not declared")),
    );
    found
}

/// `value` with a property no document declares, as a newer server would add, in every object
/// that may not be a map (objects whose keys are data, like Monasca's dimensions, Sensu's
/// labels or a check's hooks by severity: taken to be every object whose values are all of one
/// JSON kind other than object, empty ones included).
pub fn with_unknown_properties(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut out: serde_json::Map<String, Value> = map
                .iter()
                .map(|(k, v)| (k.clone(), with_unknown_properties(v)))
                .collect();
            let kind = |v: &Value| std::mem::discriminant(v);
            let first = map.values().next().map(kind);
            let is_map = first.is_none_or(|first| {
                !map.values().any(Value::is_object) && map.values().all(|v| kind(v) == first)
            });
            if !is_map {
                out.insert(
                    "x_opsclient_newer".into(),
                    serde_json::json!({"kept": [1, "two", null]}),
                );
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(with_unknown_properties).collect()),
        other => other.clone(),
    }
}

/// Where a body of `op` with [`with_unknown_properties`] added does not decode and come back
/// with every added property in place.
pub fn unknown_properties_lost(
    api: &Api,
    op: &Operation,
    body: Body,
    schema: Option<&str>,
    value: &Value,
) -> Vec<String> {
    let name = schema_of(op, body, schema);
    let Some(codec) = name.and_then(api.codec) else {
        return Vec::new();
    };
    let newer = with_unknown_properties(value);
    let mut found = Vec::new();
    match codec(&newer) {
        Err(e) => found.push(format!("with unknown properties: {e}")),
        Ok(back) => differences(&newer, &back, "$", &mut found),
    }
    found
}
