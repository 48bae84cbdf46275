//! API keys: created by their own handler (errors in plain text, a UUID name and a `Location`
//! header); read, patched and deleted by the generic handlers.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

use super::call::Call;
use super::replies::{text_error, untyped, Failure, Outcome};
use super::resources::{self, normalize};
use super::store::{key, unix_now, Store};
use super::validate;
use opsclient::sensu::types;

pub(super) fn handle(store: &mut Store, call: &Call) -> Outcome {
    match call.op.id {
        "createApiKey" => Ok(create(store, call)),
        _ => resources::handle(store, call),
    }
}

fn create(store: &mut Store, call: &Call) -> Response {
    let request: serde_json::Value = match serde_json::from_slice(&call.body) {
        Ok(request) => request,
        Err(e) => return text_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let username = request["username"].as_str().unwrap_or_default();
    if username.is_empty() || !store.contains("users", &key("", username)) {
        return text_error(StatusCode::BAD_REQUEST, "user does not exist");
    }
    let name = uuid::Uuid::new_v4().to_string();
    let mut api_key = request.clone();
    resources::set_meta(&mut api_key, "name", &name);
    resources::set_meta(&mut api_key, "created_by", &call.user);
    api_key["created_at"] = unix_now().into();
    let stored = normalize::<types::ApiKey>(api_key).map_err(Failure::invalid);
    let checked = stored.and_then(|k| validate::api_key(&k).map(|()| k).map_err(Failure::invalid));
    match checked {
        Ok(api_key) => {
            store.put("apikeys", key("", &name), api_key);
            let mut response = untyped(StatusCode::CREATED, String::new());
            if let Ok(location) = HeaderValue::from_str(&format!("/api/core/v2/apikeys/{name}")) {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Err(failure) => text_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!(
                "error: code = 1 desc = resource is invalid: {}",
                failure.message
            ),
        ),
    }
}
