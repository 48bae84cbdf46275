//! Strings the APIs treat as secrets: passwords, password hashes, tokens.

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
