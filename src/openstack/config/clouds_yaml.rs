//! `clouds.yaml`, with `secure.yaml` merged over it, read into typed entries.
//!
//! Each entry has the keys opsclient reads, at the top level or under `auth:`; other keys
//! (those of other tools) are ignored. A value of the wrong shape, such as a list where a URL
//! belongs, is an error that names the file. Scalars may be written as text, numbers or booleans
//! (`verify: false`, `connect_retries: 3`), as openstacksdk accepts them.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_yaml_ng::Value as Yaml;

use crate::error::ConfigError;

/// A scalar setting, kept as the text the configuration keys use.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Scalar(pub(crate) String);

impl std::fmt::Debug for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Passwords, secrets and URLs with credentials are scalars alike.
        f.write_str("Scalar([redacted])")
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Yaml::deserialize(deserializer)? {
            Yaml::String(text) => Ok(Scalar(text)),
            Yaml::Number(number) => Ok(Scalar(number.to_string())),
            Yaml::Bool(flag) => Ok(Scalar(flag.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected text, a number or true/false, found {}",
                kind(&other)
            ))),
        }
    }
}

fn kind(value: &Yaml) -> &'static str {
    match value {
        Yaml::Null => "nothing",
        Yaml::Sequence(_) => "a list",
        Yaml::Mapping(_) => "a mapping",
        Yaml::Tagged(_) => "a tagged value",
        _ => "a scalar",
    }
}

/// Declares a section of an entry: its keys, each an optional scalar, and how they become the
/// flat configuration keys the builder applies.
macro_rules! section {
    ($(#[$doc:meta])* $name:ident { $($key:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Default, Deserialize)]
        #[serde(default)]
        pub(crate) struct $name {
            $(pub(crate) $key: Option<Scalar>,)*
        }

        impl $name {
            /// Every key of the section (messages name the auth keys `auth.<key>`).
            #[allow(dead_code)]
            pub(crate) const KEYS: &'static [&'static str] = &[$(stringify!($key)),*];

            /// The keys that are set, by name.
            fn into_keys(self, keys: &mut BTreeMap<String, String>) {
                $(if let Some(value) = self.$key {
                    keys.insert(stringify!($key).to_string(), value.0);
                })*
            }
        }
    };
}

section!(
    /// The keys under `auth:`.
    Auth {
        auth_url,
        username,
        user_id,
        password,
        user_domain_name,
        user_domain_id,
        project_name,
        project_id,
        project_domain_name,
        project_domain_id,
        domain_name,
        domain_id,
        system_scope,
        token,
        endpoint,
        application_credential_id,
        application_credential_name,
        application_credential_secret,
        passcode,
        identity_provider,
        protocol,
        client_id,
        client_secret,
        discovery_endpoint,
        access_token_endpoint,
        openid_scope,
        access_token_type,
        access_token,
        code,
        redirect_uri,
    }
);

section!(
    /// The keys of an entry beside `auth:`.
    Settings {
        auth_type,
        region_name,
        interface,
        cacert,
        cert,
        key,
        verify,
        insecure,
        proxy,
        no_proxy,
        connect_retries,
        status_code_retries,
        infra_optim_endpoint_override,
        infra_optim_api_version,
        monitoring_endpoint_override,
        monitoring_api_version,
        default_domain,
    }
);

/// One cloud of `clouds:`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Cloud {
    pub(crate) auth: Auth,
    #[serde(flatten)]
    pub(crate) settings: Settings,
}

impl Cloud {
    /// The entry as flat configuration keys (`auth_url`, `region_name`, …).
    pub(crate) fn into_keys(self) -> BTreeMap<String, String> {
        let mut keys = BTreeMap::new();
        self.auth.into_keys(&mut keys);
        self.settings.into_keys(&mut keys);
        keys
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CloudsFile {
    clouds: BTreeMap<String, Cloud>,
}

/// Reads a YAML file as a document, to merge before typing.
pub(crate) fn read(path: &Path) -> Result<Yaml, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::Invalid(format!("cannot read {}: {e}", path.display())))?;
    serde_yaml_ng::from_str(&text)
        .map_err(|e| ConfigError::Invalid(format!("{} is not YAML: {e}", path.display())))
}

/// Merges `over` into `base`, key by key (how `secure.yaml` completes `clouds.yaml`).
pub(crate) fn merge(base: &mut Yaml, over: Yaml) {
    match (base, over) {
        (Yaml::Mapping(base), Yaml::Mapping(over)) => {
            for (key, value) in over {
                match base.get_mut(&key) {
                    Some(existing) => merge(existing, value),
                    None => {
                        base.insert(key, value);
                    }
                }
            }
        }
        (base, over) => *base = over,
    }
}

/// The entry `cloud` of the merged document; `file` names the document in errors.
pub(crate) fn entry(document: Yaml, cloud: &str, file: &Path) -> Result<Cloud, ConfigError> {
    let mut clouds: CloudsFile = serde_yaml_ng::from_value(document)
        .map_err(|e| ConfigError::Invalid(format!("{}: {e}", file.display())))?;
    clouds
        .clouds
        .remove(cloud)
        .ok_or_else(|| ConfigError::Invalid(format!("{} has no cloud {cloud:?}", file.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Cloud, ConfigError> {
        entry(
            serde_yaml_ng::from_str(text).unwrap(),
            "c",
            Path::new("clouds.yaml"),
        )
    }

    #[test]
    fn an_entry_becomes_flat_keys_whatever_the_scalar_type() {
        let cloud = parse(
            "clouds:\n  c:\n    auth:\n      auth_url: http://k/v3\n      password: 1234\n    \
             verify: false\n    connect_retries: 3\n    other_tool_key: [1, 2]\n",
        )
        .unwrap();
        let keys = cloud.into_keys();
        assert_eq!(keys["auth_url"], "http://k/v3");
        assert_eq!(keys["password"], "1234");
        assert_eq!(keys["verify"], "false");
        assert_eq!(keys["connect_retries"], "3");
        assert!(!keys.contains_key("other_tool_key"));
    }

    #[test]
    fn an_entry_shows_none_of_its_values_in_debug() {
        let cloud = parse(
            "clouds:\n  c:\n    auth:\n      auth_url: http://u:url-s3cret@k/v3\n      \
             password: pw-s3cret\n    monitoring_endpoint_override: http://m/?k=q-s3cret\n",
        )
        .unwrap();
        let debug = format!("{cloud:?}");
        assert!(!debug.contains("s3cret"), "{debug}");
        assert!(
            debug.contains("password: Some(Scalar([redacted]))"),
            "{debug}"
        );
    }

    #[test]
    fn a_value_of_the_wrong_shape_names_the_file() {
        let error = parse("clouds:\n  c:\n    auth:\n      auth_url: [a, b]\n")
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("clouds.yaml:"), "{error}");
        assert!(error.contains("expected text"), "{error}");
        assert!(parse("clouds:\n  d: {}\n").is_err());
        assert!(Auth::KEYS.contains(&"passcode") && !Auth::KEYS.contains(&"region_name"));
    }
}
