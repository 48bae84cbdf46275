//! The error bodies of OpenStack services, decoded into one [`ApiError`]:
//!
//! - Keystone and keystonemiddleware: `{"error": {"code": 401, "title": "…", "message": "…"}}`;
//! - Watcher: `{"error_message": "<JSON>"}`, where the string is itself
//!   `{"faultcode": …, "faultstring": …, "debuginfo": …}`;
//! - Monasca: `{"title": "…", "description": "…"}`;
//! - anything else: the start of the text.

use reqwest::StatusCode;
use serde_json::Value;

use crate::error::{excerpt, ApiError};

/// Decodes an OpenStack error body of any of these shapes; never fails.
pub(crate) fn decode_error(status: StatusCode, body: &[u8]) -> ApiError {
    let (code, message) = match serde_json::from_slice::<Value>(body) {
        Ok(value) => read(&value),
        Err(_) => (None, excerpt(body).trim().to_string()),
    };
    ApiError::new(status, code, message, excerpt(body))
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_string)
}

fn read(value: &Value) -> (Option<i64>, String) {
    if let Some(error) = value.get("error").filter(|e| e.is_object()) {
        let message = text(error, "message").or_else(|| text(error, "title"));
        return (error["code"].as_i64(), message.unwrap_or_default());
    }
    if let Some(inner) = value.get("error_message") {
        // Watcher wraps WSME's JSON error in a string.
        let decoded = match inner {
            Value::String(text) => {
                serde_json::from_str::<Value>(text).unwrap_or(Value::String(text.clone()))
            }
            other => other.clone(),
        };
        let message = match &decoded {
            Value::String(text) => text.clone(),
            other => text(other, "faultstring").unwrap_or_else(|| other.to_string()),
        };
        return (None, message);
    }
    match (text(value, "title"), text(value, "description")) {
        (Some(title), Some(description)) => (None, format!("{title}: {description}")),
        (Some(title), None) => (None, title),
        (None, Some(description)) => (None, description),
        (None, None) => (None, excerpt(value.to_string().as_bytes())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_openstack_shape() {
        let keystone = decode_error(
            StatusCode::UNAUTHORIZED,
            br#"{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}"#,
        );
        assert_eq!(keystone.code, Some(401));
        assert_eq!(
            keystone.message,
            "The request you have made requires authentication."
        );

        let watcher = decode_error(
            StatusCode::CONFLICT,
            br#"{"error_message": "{\"faultcode\": \"Client\", \"faultstring\": \"An audit_template with UUID or name at1 already exists\", \"debuginfo\": null}"}"#,
        );
        assert_eq!(
            watcher.message,
            "An audit_template with UUID or name at1 already exists"
        );

        let monasca = decode_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            br#"{"title":"Unprocessable Entity","description":"Offset must be a valid integer, was hahahah"}"#,
        );
        assert_eq!(
            monasca.message,
            "Unprocessable Entity: Offset must be a valid integer, was hahahah"
        );

        let plain = decode_error(StatusCode::BAD_GATEWAY, b"<html>Bad Gateway</html>");
        assert_eq!(plain.message, "<html>Bad Gateway</html>");
        let odd = decode_error(StatusCode::BAD_REQUEST, br#"{"error_message": "not json"}"#);
        assert_eq!(odd.message, "not json");
    }
}
