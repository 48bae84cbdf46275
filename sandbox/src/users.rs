//! Users: passwords are never shown, DELETE disables, and password changes check the current
//! password the way the server does (its failures are 500s).

use axum::http::StatusCode;
use serde_json::Value;

use super::call::Call;
use super::replies::{empty, Code, Failure, Outcome};
use super::resources::{self, body_json, decode, normalize};
use super::store::{key, Password, Store};
use super::validate;
use opsclient::sensu::types;

const NO_PASSWORD: &str = "a password or its hash is required";
const SHORT_PASSWORD: &str = "password length must be at least 8 characters";

pub(super) fn handle(store: &mut Store, call: &Call) -> Outcome {
    let username = call.param("user");
    let user_key = key("", username);
    match call.op.id {
        "listUsers" => resources::list(store, "users", Some(""), call),
        "getUser" => resources::get(store, "users", &user_key),
        "createUser" | "createOrUpdateUser" => {
            let mut user = decode(call, normalize::<types::User>)?;
            let name = user["username"].as_str().unwrap_or_default().to_string();
            if call.op.id == "createOrUpdateUser" && name != username {
                return Err(Failure::invalid(format!(
                    "the username ({name}) does not match the username on the request ({username})"
                )));
            }
            validate::username(&name).map_err(Failure::invalid)?;
            if call.op.id == "createUser" && store.contains("users", &key("", &name)) {
                return Err(Failure::new(Code::AlreadyExists, "resource already exists"));
            }
            let password = take_password(&mut user)?;
            store.passwords.insert(name.clone(), password);
            store.put("users", key("", &name), user);
            Ok(empty(StatusCode::CREATED))
        }
        "disableUser" => set_disabled(store, &user_key, true, StatusCode::NO_CONTENT),
        "reinstateUser" => set_disabled(store, &user_key, false, StatusCode::CREATED),
        "changeOwnPassword" => {
            let change = authenticated_change(store, username, call)?;
            let hash =
                text(&change, "password_hash").ok_or_else(|| Failure::invalid(NO_PASSWORD))?;
            store
                .passwords
                .insert(username.to_string(), Password::Bcrypt(hash));
            Ok(empty(StatusCode::CREATED))
        }
        "changeUserPassword" => {
            let change = authenticated_change(store, username, call)?;
            let new = text(&change, "password_new").ok_or_else(|| Failure::invalid(NO_PASSWORD))?;
            if new.len() < 8 {
                return Err(Failure::invalid(SHORT_PASSWORD));
            }
            store
                .passwords
                .insert(username.to_string(), Password::Plain(new));
            Ok(empty(StatusCode::CREATED))
        }
        "resetUserPassword" => {
            let reset = body_json(call)?;
            store
                .get("users", &user_key)
                .ok_or_else(Failure::not_found)?;
            let hash =
                text(&reset, "password_hash").ok_or_else(|| Failure::invalid(NO_PASSWORD))?;
            store
                .passwords
                .insert(username.to_string(), Password::Bcrypt(hash));
            Ok(empty(StatusCode::CREATED))
        }
        "addUserToGroup" | "removeUserFromGroup" | "removeAllUserGroups" => {
            let mut user = store
                .get("users", &user_key)
                .ok_or_else(Failure::not_found)?
                .value
                .clone();
            let group = Value::String(call.param("group").into());
            let mut groups = user["groups"].as_array().cloned().unwrap_or_default();
            match call.op.id {
                "addUserToGroup" if !groups.contains(&group) => groups.push(group),
                "removeUserFromGroup" => groups.retain(|g| *g != group),
                "removeAllUserGroups" => groups.clear(),
                _ => {}
            }
            user["groups"] = Value::Array(groups);
            store.put("users", user_key, user);
            let status = if call.op.id == "addUserToGroup" {
                StatusCode::CREATED
            } else {
                StatusCode::NO_CONTENT
            };
            Ok(empty(status))
        }
        other => Err(Failure::internal(format!("no handler for {other}"))),
    }
}

fn text(body: &Value, field: &str) -> Option<String> {
    body[field]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Moves the password fields out of a user body: the store keeps credentials apart, and the
/// server never shows them.
fn take_password(user: &mut Value) -> Outcome<Password> {
    let object = user
        .as_object_mut()
        .ok_or_else(|| Failure::invalid("a user is an object"))?;
    let password = object
        .remove("password")
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|s| !s.is_empty());
    let hash = object
        .remove("password_hash")
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|s| !s.is_empty());
    match (password, hash) {
        (Some(password), Some(hash)) => {
            if !bcrypt::verify(&password, &hash).unwrap_or(false) {
                return Err(Failure::invalid(
                    "hashed password does not the match the cleartext password, only one of those should be provided",
                ));
            }
            Ok(Password::Bcrypt(hash))
        }
        (Some(password), None) if password.len() < 8 => Err(Failure::invalid(SHORT_PASSWORD)),
        (Some(password), None) => Ok(Password::Plain(password)),
        (None, Some(hash)) => Ok(Password::Bcrypt(hash)),
        (None, None) => Err(Failure::invalid(NO_PASSWORD)),
    }
}

/// A password-change body whose `password` is the user's current one. The routers decode it
/// themselves, so a bad body is a 500 too.
fn authenticated_change(store: &Store, username: &str, call: &Call) -> Outcome<Value> {
    let change = body_json(call).map_err(|f| Failure::internal(f.message))?;
    authenticate(
        store,
        username,
        change["password"].as_str().unwrap_or_default(),
    )?;
    Ok(change)
}

/// The server's `AuthenticateUser`; its failures reach the client as 500s.
fn authenticate(store: &Store, username: &str, password: &str) -> Outcome<()> {
    let user = store
        .get("users", &key("", username))
        .ok_or_else(|| Failure::internal(format!("key {username} not found")))?;
    if user.value["disabled"].as_bool() == Some(true) {
        return Err(Failure::internal(format!(
            "resource is invalid: user {username} is disabled"
        )));
    }
    let matches = store
        .passwords
        .get(username)
        .is_some_and(|p| p.matches(password));
    if !matches {
        return Err(Failure::internal(format!(
            "resource is invalid: wrong password for user {username}"
        )));
    }
    Ok(())
}

fn set_disabled(
    store: &mut Store,
    user_key: &super::store::Key,
    disabled: bool,
    status: StatusCode,
) -> Outcome {
    let mut user = store
        .get("users", user_key)
        .ok_or_else(Failure::not_found)?
        .value
        .clone();
    user["disabled"] = Value::Bool(disabled);
    store.put("users", user_key.clone(), user);
    Ok(empty(status))
}
