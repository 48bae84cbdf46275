//! Rules Sensu enforces that the OpenAPI document cannot express, checked before a request is
//! sent. The name pattern of `proxy_entity_name` lives in the schema (a validated newtype); it is
//! checked here too for merge patches, which are free-form.

use serde_json::Value;

use super::types;
use crate::error::Violation;
use crate::operation::Operation;

const MERGE_PATCH: &str = "application/merge-patch+json";

/// Checks a request body against the rules of its schema. A merge patch is checked only for
/// what it sets. Bodies of schemas without rules are not read.
pub(crate) fn validate(op: &Operation, body: &[u8]) -> crate::Result<()> {
    let partial = op.body_media_type == Some(MERGE_PATCH);
    match op.body_schema {
        Some(schema @ "CheckConfig") => {
            let ruled: CheckRuled = serde_json::from_slice(body).map_err(|e| {
                crate::Error::invalid("", format!("body is not the JSON a {schema} needs: {e}"))
            })?;
            check_config(&ruled.into_value(), partial)
                .map_err(|v| crate::Error::InvalidInput(crate::error::InvalidInput::Client(v)))
        }
        _ => Ok(()),
    }
}

/// Checks a whole definition of the schema named `schema` (a check, say) against the rules the
/// client enforces before sending one; schemas without rules pass.
pub(crate) fn definition(schema: &str, body: &Value) -> Result<(), Violation> {
    match schema {
        "CheckConfig" => check_config(body, false),
        _ => Ok(()),
    }
}

/// The fields of a check that its rules read, each as sent (`null` kept apart from absent);
/// the rest of the body is skipped, not parsed.
#[derive(serde::Deserialize)]
struct CheckRuled {
    #[serde(default, deserialize_with = "present")]
    subscriptions: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    proxy_entity_name: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    output_metric_thresholds: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    proxy_requests: Option<Value>,
}

impl CheckRuled {
    fn into_value(self) -> Value {
        let fields = [
            ("subscriptions", self.subscriptions),
            ("proxy_entity_name", self.proxy_entity_name),
            ("output_metric_thresholds", self.output_metric_thresholds),
            ("proxy_requests", self.proxy_requests),
        ];
        Value::Object(
            fields
                .into_iter()
                .filter_map(|(name, value)| Some((name.to_string(), value?)))
                .collect(),
        )
    }
}

/// A field that is present, `null` included.
fn present<'de, D: serde::Deserializer<'de>>(field: D) -> Result<Option<Value>, D::Error> {
    serde::Deserialize::deserialize(field).map(Some)
}

/// Check rules. An empty subscription list is stricter than the server, which stores such a
/// check, but it would never run on any agent; fawlty (the Python Sensu Go client opsclient replaces) refuses it too. Empty names inside the
/// list are refused by the server as well.
fn check_config(check: &Value, partial: bool) -> Result<(), Violation> {
    match check.get("subscriptions") {
        Some(Value::Array(list)) if !list.is_empty() => {
            if let Some(i) = list
                .iter()
                .position(|s| s.as_str().is_none_or(str::is_empty))
            {
                return Err(violation(
                    format!("subscriptions[{i}]"),
                    "must be a non-empty name",
                ));
            }
        }
        None if partial => {}
        _ => {
            return Err(violation(
                "subscriptions",
                "must name at least one subscription, or the check never runs",
            ))
        }
    }
    if let Some(Value::String(name)) = check.get("proxy_entity_name") {
        if name.parse::<types::CheckConfigProxyEntityName>().is_err() {
            return Err(violation(
                "proxy_entity_name",
                format!("{name:?} is not an entity name (letters, digits, '_', '.', ':', '-')"),
            ));
        }
    }
    if let Some(Value::Array(thresholds)) = check.get("output_metric_thresholds") {
        for (i, threshold) in thresholds.iter().enumerate() {
            let Some(Value::Array(rules)) = threshold.get("thresholds") else {
                continue;
            };
            for (j, rule) in rules.iter().enumerate() {
                if is_unset(rule.get("min")) && is_unset(rule.get("max")) {
                    return Err(violation(
                        format!("output_metric_thresholds[{i}].thresholds[{j}]"),
                        "needs a min or a max",
                    ));
                }
            }
        }
    }
    if let Some(requests) = check.get("proxy_requests").filter(|v| !v.is_null()) {
        let splay = requests
            .get("splay")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let coverage = requests
            .get("splay_coverage")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if splay && coverage == 0 {
            return Err(violation(
                "proxy_requests.splay_coverage",
                "must be set (1 to 100) when splay is on",
            ));
        }
    }
    Ok(())
}

fn is_unset(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(_) => false,
    }
}

fn violation(field: impl Into<String>, reason: impl Into<String>) -> Violation {
    Violation {
        field: field.into(),
        reason: reason.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn full(body: Value) -> Result<(), Violation> {
        check_config(&body, false)
    }

    #[test]
    fn subscriptions_must_not_be_empty() {
        assert!(full(json!({"subscriptions": ["linux"]})).is_ok());
        assert_eq!(
            full(json!({"subscriptions": []})).unwrap_err().field,
            "subscriptions"
        );
        assert_eq!(full(json!({})).unwrap_err().field, "subscriptions");
        assert_eq!(
            full(json!({"subscriptions": null})).unwrap_err().field,
            "subscriptions"
        );
        let err = full(json!({"subscriptions": ["a", ""]})).unwrap_err();
        assert_eq!(err.field, "subscriptions[1]");
        // A patch that leaves subscriptions alone is fine; one that empties them is not.
        assert!(check_config(&json!({"interval": 30}), true).is_ok());
        assert!(check_config(&json!({"subscriptions": []}), true).is_err());
        assert!(check_config(&json!({"subscriptions": null}), true).is_err());
    }

    #[test]
    fn proxy_entity_name_follows_the_name_rule() {
        let ok = json!({"subscriptions": ["a"], "proxy_entity_name": "web-01.example_com:8080"});
        assert!(full(ok).is_ok());
        assert!(full(json!({"subscriptions": ["a"], "proxy_entity_name": ""})).is_ok());
        let bad = full(json!({"subscriptions": ["a"], "proxy_entity_name": "web 01/x"}));
        assert_eq!(bad.unwrap_err().field, "proxy_entity_name");
    }

    #[test]
    fn thresholds_need_min_or_max() {
        let body = |rule: Value| {
            json!({"subscriptions": ["a"], "output_metric_thresholds": [
                {"name": "cpu", "thresholds": [{"min": "1", "status": 1}, rule]}
            ]})
        };
        assert!(full(body(json!({"max": "9", "status": 2}))).is_ok());
        let err = full(body(json!({"status": 2}))).unwrap_err();
        assert_eq!(err.field, "output_metric_thresholds[0].thresholds[1]");
        assert!(full(body(json!({"min": "", "max": null, "status": 2}))).is_err());
    }

    #[test]
    fn only_the_ruled_fields_are_read_and_null_is_not_absent() {
        let op = |media: &'static str| Operation {
            id: "createOrUpdateCheck",
            method_name: "create_or_update_check",
            method: "PUT",
            path: "/api/core/v2/namespaces/{namespace}/checks/{check}",
            tag: "checks",
            success: &[201],
            body_media_type: Some(media),
            body_schema: Some("CheckConfig"),
            response_schema: None,
            auth: crate::operation::Auth::Token,
            min_version: None,
            gated_fields: &[],
            idempotent: true,
        };
        let put = op("application/json");
        let body = br#"{"command": "true", "subscriptions": ["linux"], "extra": {"deep": [1]}}"#;
        assert!(validate(&put, body).is_ok());
        assert!(validate(&put, br#"{"command": "true"}"#).is_err());
        let patch = op(MERGE_PATCH);
        assert!(validate(&patch, br#"{"interval": 30}"#).is_ok());
        assert!(validate(&patch, br#"{"subscriptions": null}"#).is_err());
        assert!(validate(&put, b"not json").is_err());
    }

    #[test]
    fn splay_needs_coverage() {
        let body = |requests: Value| json!({"subscriptions": ["a"], "proxy_requests": requests});
        assert!(full(body(json!({"splay": false}))).is_ok());
        assert!(full(body(json!({"splay": true, "splay_coverage": 90}))).is_ok());
        let err = full(body(json!({"splay": true}))).unwrap_err();
        assert_eq!(err.field, "proxy_requests.splay_coverage");
        assert!(full(body(json!({"splay": true, "splay_coverage": 0}))).is_err());
    }
}
