//! saltant's error bodies (Django REST Framework), decoded into one [`ApiError`]:
//!
//! - `{"detail": "…"}` for 401, 403, 404 and 405;
//! - field errors `{"<field>": ["…", …], "non_field_errors": ["…"]}` for 400;
//! - a bare JSON string, `"No task instance with UUID … found"`, from the state update;
//! - anything else: the start of the text.

use reqwest::StatusCode;
use serde_json::Value;

use crate::error::{excerpt, ApiError};

/// Decodes a saltant error body of any of these shapes; never fails.
pub(crate) fn decode_error(status: StatusCode, body: &[u8]) -> ApiError {
    let message = match serde_json::from_slice::<Value>(body) {
        Ok(Value::String(text)) => text,
        Ok(Value::Object(fields)) => match fields.get("detail").and_then(Value::as_str) {
            Some(detail) => detail.to_string(),
            None => fields
                .iter()
                .map(|(field, problems)| format!("{field}: {}", messages(problems)))
                .collect::<Vec<_>>()
                .join("; "),
        },
        _ => excerpt(body).trim().to_string(),
    };
    ApiError::new(status, None, message, excerpt(body))
}

/// Whether a 403 refuses the JWT itself (simplejwt's `code: token_not_valid`, for an expired
/// or otherwise invalid access token) rather than the action.
pub(crate) fn token_not_valid(body: &[u8]) -> bool {
    serde_json::from_slice::<Value>(body)
        .is_ok_and(|v| v.get("code").and_then(Value::as_str) == Some("token_not_valid"))
}

/// A field's messages, one after another.
fn messages(problems: &Value) -> String {
    match problems {
        Value::Array(list) => list
            .iter()
            .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(" "),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detail_field_errors_bare_string_and_garbage() {
        let detail = decode_error(
            StatusCode::FORBIDDEN,
            br#"{"detail":"Authentication credentials were not provided."}"#,
        );
        assert_eq!(
            detail.message,
            "Authentication credentials were not provided."
        );

        let fields = decode_error(
            StatusCode::BAD_REQUEST,
            br#"{"name":["This field may not be blank."],"non_field_errors":["Queue is inactive."]}"#,
        );
        assert_eq!(
            fields.message,
            "name: This field may not be blank.; non_field_errors: Queue is inactive."
        );

        let bare = decode_error(
            StatusCode::BAD_REQUEST,
            br#""No task instance with UUID 0000 found""#,
        );
        assert_eq!(bare.message, "No task instance with UUID 0000 found");

        let html = decode_error(StatusCode::BAD_GATEWAY, b"<html>bad gateway</html>");
        assert_eq!(html.message, "<html>bad gateway</html>");
    }
}
