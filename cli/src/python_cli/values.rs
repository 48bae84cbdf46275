//! Values as the Python CLIs read them: monascaclient's relative start times and lists,
//! watcherclient's `name=value` parameters and `op path=value` patches.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use super::Shape;
use crate::exit::Usage;

/// A start time: `-N` is N minutes before `now`, in UTC to the second
/// (`2026-01-01T00:00:00Z`), as monascaclient computes it; anything else is passed as given.
pub fn start_time(text: &str, now: SystemTime) -> Result<String, Usage> {
    let Some(minutes) = text.strip_prefix('-') else {
        return Ok(text.to_string());
    };
    let bad = || {
        Usage(format!(
            "{text:?} is not a start time: give -MINUTES or an ISO 8601 time"
        ))
    };
    let minutes: u64 = minutes.parse().map_err(|_| bad())?;
    let ago = minutes
        .checked_mul(60)
        .map(Duration::from_secs)
        .and_then(|ago| now.checked_sub(ago))
        .ok_or_else(bad)?;
    let seconds = ago.duration_since(UNIX_EPOCH).map_err(|_| bad())?.as_secs();
    let time = chrono::DateTime::from_timestamp(i64::try_from(seconds).map_err(|_| bad())?, 0)
        .ok_or_else(bad)?;
    Ok(time.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// `text` read as JSON when it is, else kept as a string, as watcherclient reads values.
fn json_or_text(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

/// `name=value`, split at the first `=`.
fn pair(text: &str) -> Result<(&str, &str), Usage> {
    text.split_once('=')
        .ok_or_else(|| Usage(format!("{text:?} is not name=value")))
}

/// A comma-separated list; monascaclient reads `[]` and nothing as empty.
fn split(text: &str) -> Vec<Value> {
    if text.is_empty() || text == "[]" {
        return Vec::new();
    }
    text.split(',').map(|s| Value::String(s.into())).collect()
}

/// Puts `value` into `body` as `shape` says: a field of an object, or a patch entry of an array.
pub fn set(body: &mut Value, field: &str, shape: Shape, value: &str) -> anyhow::Result<()> {
    if shape == Shape::Replace {
        let entry = serde_json::json!({"op": "replace", "path": field, "value": value});
        match body {
            Value::Array(patch) => patch.push(entry),
            other => *other = Value::Array(vec![entry]),
        }
        return Ok(());
    }
    let object = body
        .as_object_mut()
        .ok_or_else(|| anyhow::anyhow!("the body of this command is not an object"))?;
    let list = |object: &mut Map<String, Value>| -> Vec<Value> {
        match object.remove(field) {
            Some(Value::Array(items)) => items,
            _ => Vec::new(),
        }
    };
    let new = match shape {
        Shape::Text => Value::String(value.to_string()),
        Shape::Bool => match value {
            "true" | "True" => Value::Bool(true),
            "false" | "False" => Value::Bool(false),
            _ => {
                return Err(
                    Usage(format!("{value:?} is not one of true, True, false, False")).into(),
                )
            }
        },
        Shape::True => Value::Bool(true),
        Shape::Split => Value::Array(split(value)),
        Shape::Append => {
            let mut items = list(object);
            items.push(Value::String(value.to_string()));
            Value::Array(items)
        }
        Shape::AppendSplit => {
            let mut items = list(object);
            items.extend(value.split(',').map(|s| Value::String(s.into())));
            Value::Array(items)
        }
        Shape::Pairs => {
            let (name, text) = pair(value)?;
            let mut map = match object.remove(field) {
                Some(Value::Object(map)) => map,
                _ => Map::new(),
            };
            map.insert(name.to_string(), json_or_text(text));
            Value::Object(map)
        }
        Shape::YamlFile => {
            let text = std::fs::read_to_string(value)
                .map_err(|e| anyhow::anyhow!("cannot read {value}: {e}"))?;
            serde_yaml_ng::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{value} is not YAML or JSON: {e}"))?
        }
        Shape::Replace => unreachable!("handled above"),
    };
    object.insert(field.to_string(), new);
    Ok(())
}

/// watcherclient's `op path=value...` as a JSON Patch: paths get a leading `/`; `add` and
/// `replace` values are read as JSON when they are (except for the paths in `keep_text`);
/// `remove` takes paths alone.
pub fn json_patch(op: &str, attributes: &[String], keep_text: &[&str]) -> Result<Value, Usage> {
    if attributes.is_empty() {
        return Err(Usage(format!("{op} needs at least one path=value")));
    }
    let mut patch = Vec::new();
    for attribute in attributes {
        let attribute = if attribute.starts_with('/') {
            attribute.clone()
        } else {
            format!("/{attribute}")
        };
        if op == "remove" {
            patch.push(serde_json::json!({"op": op, "path": attribute}));
            continue;
        }
        let (path, text) = pair(&attribute)?;
        let value = if keep_text.contains(&path) {
            Value::String(text.to_string())
        } else {
            json_or_text(text)
        };
        patch.push(serde_json::json!({"op": op, "path": path, "value": value}));
    }
    Ok(Value::Array(patch))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn relative_start_times_are_minutes_before_now() {
        let now = UNIX_EPOCH + Duration::from_secs(1_767_225_600); // 2026-01-01T00:00:00Z
        assert_eq!(start_time("-120", now).unwrap(), "2025-12-31T22:00:00Z");
        assert_eq!(
            start_time("2026-01-01T00:00:00Z", now).unwrap(),
            "2026-01-01T00:00:00Z"
        );
        assert!(start_time("-two", now).is_err());
    }

    #[test]
    fn values_go_into_the_body_as_the_python_clis_put_them() {
        let mut body = json!({});
        set(&mut body, "match_by", Shape::Split, "hostname,service").unwrap();
        set(&mut body, "alarm_actions", Shape::Append, "n1").unwrap();
        set(&mut body, "alarm_actions", Shape::Append, "n2").unwrap();
        set(&mut body, "ok_actions", Shape::AppendSplit, "a,b").unwrap();
        set(&mut body, "actions_enabled", Shape::Bool, "False").unwrap();
        set(&mut body, "parameters", Shape::Pairs, "period=60").unwrap();
        set(&mut body, "parameters", Shape::Pairs, "name=x=y").unwrap();
        set(&mut body, "undetermined_actions", Shape::Split, "[]").unwrap();
        assert_eq!(
            body,
            json!({
                "match_by": ["hostname", "service"],
                "alarm_actions": ["n1", "n2"],
                "ok_actions": ["a", "b"],
                "actions_enabled": false,
                "parameters": {"period": 60, "name": "x=y"},
                "undetermined_actions": []
            })
        );
        assert!(set(&mut body, "actions_enabled", Shape::Bool, "yes").is_err());
        assert!(set(&mut body, "parameters", Shape::Pairs, "period").is_err());
        let mut patch = json!([]);
        set(&mut patch, "/state", Shape::Replace, "SKIPPED").unwrap();
        assert_eq!(
            patch,
            json!([{"op": "replace", "path": "/state", "value": "SKIPPED"}])
        );
    }

    #[test]
    fn updates_are_json_patches() {
        let attributes = ["name=new".to_string(), "/interval=600".to_string()];
        assert_eq!(
            json_patch("replace", &attributes, &["/interval"]).unwrap(),
            json!([
                {"op": "replace", "path": "/name", "value": "new"},
                {"op": "replace", "path": "/interval", "value": "600"}
            ])
        );
        assert_eq!(
            json_patch("add", &["parameters={\"a\": 1}".to_string()], &[]).unwrap(),
            json!([{"op": "add", "path": "/parameters", "value": {"a": 1}}])
        );
        assert_eq!(
            json_patch("remove", &["description".to_string()], &[]).unwrap(),
            json!([{"op": "remove", "path": "/description"}])
        );
        assert!(json_patch("replace", &["name".to_string()], &[]).is_err());
        assert!(json_patch("replace", &[], &[]).is_err());
    }
}
