//! Strings the APIs treat as secrets: passwords, password hashes, tokens; and the one rule
//! that tells, from its name alone, whether a parameter holds one.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret string in a generated type: every `format: password` field of the documents.
///
/// It serializes as the plain string the server expects, but `Debug` never shows it, and the
/// memory is wiped when it is dropped.
///
/// ```
/// use opsclient::secret::SecretText;
/// let password = SecretText::from("P@ssw0rd!");
/// assert_eq!(password.expose(), "P@ssw0rd!");
/// assert_eq!(format!("{password:?}"), "SecretText([redacted])");
/// assert_eq!(serde_json::to_string(&password).unwrap(), "\"P@ssw0rd!\"");
/// ```
#[derive(Clone, Default)]
pub struct SecretText(SecretString);

impl SecretText {
    /// The secret itself.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl From<String> for SecretText {
    fn from(value: String) -> Self {
        SecretText(SecretString::from(value))
    }
}

impl From<&str> for SecretText {
    fn from(value: &str) -> Self {
        SecretText::from(value.to_string())
    }
}

impl PartialEq for SecretText {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for SecretText {}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretText([redacted])")
    }
}

impl Serialize for SecretText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SecretText::from)
    }
}

impl schemars::JsonSchema for SecretText {
    fn schema_name() -> String {
        "SecretText".into()
    }

    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            format: Some("password".into()),
            ..Default::default()
        }
        .into()
    }
}

/// Words that mark a name as holding a secret, whole words of it: `X-Auth-Token`, `apiKey`,
/// `client_secret`, `password`.
const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "authorization",
    "code",
    "cookie",
    "credential",
    "credentials",
    "key",
    "passcode",
    "passwd",
    "password",
    "pwd",
    "secret",
    "session",
    "signature",
    "token",
];

/// Names of the documents with a secret word that hold no secret: Watcher's sort field.
const NOT_SECRET: &[&str] = &["sort_key"];

/// Whether a parameter named `name` (a query parameter, a path parameter, a header) holds a
/// secret, judged from its name alone: one of its words (split at `-`, `_`, `.` and where
/// camelCase starts a word) is `token`, `password`, `secret`, `key`, ... Whatever shows
/// parameters (`--debug`, messages) asks this, and shows no value of a name it says yes to.
///
/// ```
/// use opsclient::secret::is_secret_name;
/// assert!(is_secret_name("X-Auth-Token"));
/// assert!(is_secret_name("apiKey"));
/// assert!(is_secret_name("client_secret"));
/// assert!(!is_secret_name("limit"));
/// assert!(!is_secret_name("keystone"));
/// assert!(!is_secret_name("sort_key"));
/// ```
pub fn is_secret_name(name: &str) -> bool {
    if NOT_SECRET.iter().any(|n| n.eq_ignore_ascii_case(name)) {
        return false;
    }
    words(name).any(|word| SECRET_WORDS.contains(&word.as_str()))
}

/// The lower-case words of a name: `X-Auth-Token` → `x`, `auth`, `token`; `apiKey` → `api`,
/// `key`.
fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            words.push(std::mem::take(&mut word));
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        word.extend(c.to_lowercase());
    }
    words.push(word);
    words.into_iter().filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_a_secret_word_hold_secrets() {
        for name in [
            "token",
            "X-Auth-Token",
            "x-subject-token",
            "access_token",
            "password",
            "OS_PASSWORD",
            "apikey",
            "apiKey",
            "api_key",
            "client_secret",
            "sessionId",
            "code",
            "Authorization",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "limit",
            "marker",
            "continue",
            "offset",
            "labelSelector",
            "keystone",
            "tokenless_project",
            "passwords_count",
            "sort_key",
            "SORT_KEY",
            "",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
