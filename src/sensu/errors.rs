//! Sensu's three error bodies.
//!
//! The authentication middleware writes `{"Code":5,"Message":"…"}` (no JSON tags, so the keys
//! are capitalised), the routers write `{"message":"…","code":1}`, and handlers that use
//! `http.Error` write plain text. All three decode into one [`ApiError`].

use reqwest::StatusCode;
use serde::Deserialize;

use crate::error::{excerpt, ApiError};

#[derive(Deserialize)]
struct JsonError {
    #[serde(alias = "Message")]
    message: String,
    #[serde(alias = "Code", default)]
    code: Option<i64>,
}

/// Decodes an error body of any of Sensu's shapes; never fails.
pub(crate) fn decode_error(status: StatusCode, body: &[u8]) -> ApiError {
    let (code, message) = match serde_json::from_slice::<JsonError>(body) {
        Ok(JsonError { message, code }) => (code, message),
        Err(_) => (None, excerpt(body).trim().to_string()),
    };
    ApiError::new(status, code, message, excerpt(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_three_shapes_and_garbage() {
        let middleware = decode_error(
            StatusCode::UNAUTHORIZED,
            br#"{"Code":5,"Message":"invalid credentials"}"#,
        );
        assert_eq!(
            (middleware.code, middleware.message.as_str()),
            (Some(5), "invalid credentials")
        );

        let router = decode_error(
            StatusCode::NOT_FOUND,
            br#"{"message":"not found","code":2}"#,
        );
        assert_eq!(
            (router.code, router.message.as_str()),
            (Some(2), "not found")
        );

        let text = decode_error(StatusCode::BAD_REQUEST, b"invalid access token\n");
        assert_eq!(
            (text.code, text.message.as_str()),
            (None, "invalid access token")
        );

        let odd = decode_error(StatusCode::INTERNAL_SERVER_ERROR, b"{\"message\": 7}\xff");
        assert_eq!(odd.code, None);
        assert!(odd.message.starts_with("{\"message\": 7}"));
    }
}
