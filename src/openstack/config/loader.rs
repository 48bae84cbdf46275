//! The loader: `clouds.yaml` (with `secure.yaml` merged over it, read by `clouds_yaml.rs`)
//! and `OS_*` environment variables, turned into a [`CloudBuilder`]'s settings the way
//! openstacksdk reads them. A missing or invalid setting is named in its source's own terms.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use secrecy::SecretString;

use super::super::auth::{
    ApplicationCredentialRef, AuthMethod, DomainRef, Passcode, ProjectRef, Scope, UserRef,
};
use super::super::oidc::Oidc;
use super::{clouds_yaml, CloudBuilder, DIRECT_ENDPOINT};
use crate::env::{parse_flag, Lookup, Vars};
use crate::error::ConfigError;
use crate::Result;

impl CloudBuilder {
    /// Reads the cloud named `cloud` from `clouds.yaml`, with `secure.yaml` merged over it.
    ///
    /// The first `clouds.yaml` found wins, in this order: `$OS_CLIENT_CONFIG_FILE`,
    /// `./clouds.yaml`, `$XDG_CONFIG_HOME/openstack/` (or `~/.config/openstack/`),
    /// `/etc/openstack/`. `secure.yaml` is looked for in the same directories.
    pub fn clouds_yaml(self, cloud: &str) -> Result<Self> {
        self.clouds_yaml_from(cloud, &crate::env::process)
    }

    /// Reads the `OS_*` environment variables. With `OS_CLOUD` set, the named cloud of
    /// `clouds.yaml` is used instead, and the other variables are ignored, as openstacksdk does.
    /// Every required variable that is not set is named in one error
    /// ([`ConfigError::MissingVariables`] when there are several).
    ///
    /// | variables | setting |
    /// |---|---|
    /// | `OS_AUTH_URL` | Keystone's URL |
    /// | `OS_AUTH_TYPE` | `password`/`v3password` (default), `token`/`v3token`, `v3applicationcredential`, `v3totp`, `v3oidcclientcredentials`, `v3oidcpassword`, `v3oidcauthcode`, `v3oidcaccesstoken`, `v3tokenlessauth`, `token_endpoint` (`OS_TOKEN` + `OS_ENDPOINT`, no Keystone) |
    /// | `OS_USERNAME` + `OS_USER_DOMAIN_NAME`/`_ID`, or `OS_USER_ID`; `OS_PASSWORD` | the user |
    /// | `OS_PROJECT_ID`, or `OS_PROJECT_NAME` + `OS_PROJECT_DOMAIN_NAME`/`_ID` | project scope |
    /// | `OS_DEFAULT_DOMAIN` (default `default`) | the domain id of a user (password, TOTP) or project named without one, as osc-lib |
    /// | `OS_DOMAIN_ID`/`OS_DOMAIN_NAME`, `OS_SYSTEM_SCOPE=all` | domain or system scope |
    /// | `OS_TOKEN`, `OS_ENDPOINT` | token; with no `OS_AUTH_URL`, direct mode |
    /// | `OS_APPLICATION_CREDENTIAL_ID` or `_NAME` (+ user), `_SECRET` | application credential |
    /// | `OS_PASSCODE` | TOTP passcode |
    /// | `OS_IDENTITY_PROVIDER`, `OS_PROTOCOL`, `OS_CLIENT_ID`, `OS_CLIENT_SECRET`, `OS_DISCOVERY_ENDPOINT` or `OS_ACCESS_TOKEN_ENDPOINT`, `OS_OPENID_SCOPE`, `OS_ACCESS_TOKEN_TYPE`; `OS_USERNAME` + `OS_PASSWORD`, `OS_CODE` + `OS_REDIRECT_URI`, or `OS_ACCESS_TOKEN` | OpenID Connect |
    /// | `OS_CERT`, `OS_KEY` | client certificate (tokenless X.509, or any server that asks for one) |
    /// | `OS_REGION_NAME`, `OS_INTERFACE` (or legacy `OS_ENDPOINT_TYPE`) | catalog choice |
    /// | `OS_CACERT`, `OS_INSECURE` | TLS |
    /// | `OS_INFRA_OPTIM_API_VERSION` | Watcher microversion |
    pub fn env(self) -> Result<Self> {
        self.env_with(&crate::env::process)
    }

    /// Like [`env`](Self::env), reading variables through `lookup`.
    pub fn env_from(self, lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        self.env_with(&crate::env::infallible(lookup))
    }

    fn env_with(self, lookup: Lookup<'_>) -> Result<Self> {
        let vars = Vars::new(lookup);
        if let Some(cloud) = vars.get("OS_CLOUD")? {
            return self.clouds_yaml_from(&cloud, lookup);
        }
        let mut keys = BTreeMap::new();
        for (variable, key) in ENV_KEYS {
            if let Some(value) = vars.get(variable)? {
                keys.insert(key.to_string(), value);
            }
        }
        if !keys.contains_key("interface") {
            if let Some(legacy) = vars.get("OS_ENDPOINT_TYPE")? {
                keys.insert("interface".into(), legacy);
            }
        }
        self.apply(&keys, &Source::Env)
    }

    fn clouds_yaml_from(self, cloud: &str, lookup: Lookup<'_>) -> Result<Self> {
        let dirs = config_dirs(lookup)?;
        let explicit = lookup("OS_CLIENT_CONFIG_FILE")?
            .filter(|f| !f.is_empty())
            .map(PathBuf::from);
        let clouds_file = explicit
            .clone()
            .into_iter()
            .chain(
                dirs.iter()
                    .flat_map(|d| ["clouds.yaml", "clouds.yml"].map(|f| d.join(f))),
            )
            .find(|p| p.is_file())
            .ok_or_else(|| {
                ConfigError::Invalid(format!(
                    "no clouds.yaml found (looked at {})",
                    explicit
                        .iter()
                        .chain(dirs.iter())
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        let mut document = clouds_yaml::read(&clouds_file)?;
        let secure = dirs
            .iter()
            .flat_map(|d| ["secure.yaml", "secure.yml"].map(|f| d.join(f)))
            .find(|p| p.is_file());
        if let Some(secure) = secure {
            clouds_yaml::merge(&mut document, clouds_yaml::read(&secure)?);
        }
        let keys = clouds_yaml::entry(document, cloud, &clouds_file)?.into_keys();
        self.apply(
            &keys,
            &Source::Yaml {
                file: &clouds_file,
                cloud,
            },
        )
    }

    /// Applies flat configuration keys (`auth_url`, `username`, `region_name`, …). Every
    /// required setting found missing is named in one error. The user's domain (for a password
    /// or TOTP login by user name) and the project's domain (for a project by name) default to
    /// `default_domain` (`OS_DEFAULT_DOMAIN`), itself `default`, as osc-lib sets them.
    fn apply(mut self, keys: &BTreeMap<String, String>, source: &Source<'_>) -> Result<Self> {
        let keys = Keys(keys);
        let get = |key: &str| keys.get(key);
        let missing = Missing::default();
        let need = |key: &'static str| missing.of(get(key), &[key]);
        let need_unless = |optional: bool, key: &'static str| {
            if optional {
                get(key)
            } else {
                need(key)
            }
        };
        let auth_type = get("auth_type").unwrap_or("password").to_ascii_lowercase();
        // Without Keystone: a token for an endpoint, as given or as the token types allow.
        let direct = matches!(
            auth_type.as_str(),
            "token_endpoint" | "admin_token" | "none"
        ) || (matches!(auth_type.as_str(), "token" | "v3token")
            && get("auth_url").is_none()
            && get("endpoint").is_some());
        if let Some(url) = need_unless(direct, "auth_url") {
            self = self.url(url);
        }
        let default_domain = get("default_domain").unwrap_or(DEFAULT_DOMAIN);
        // A user by id, or by name in its domain; `default_domain` when the login takes one.
        let user = |default_domain: Option<&str>| -> Option<UserRef> {
            if let Some(id) = get("user_id") {
                return Some(UserRef::Id(id.into()));
            }
            let name = missing.of(get("username"), &["username", "user_id"]);
            let domain = domain_of(&keys, "user_domain_id", "user_domain_name")
                .or_else(|| default_domain.map(|id| DomainRef::Id(id.into())));
            let domain = missing.of(domain, &["user_domain_id", "user_domain_name"]);
            Some(UserRef::Name {
                name: name?.into(),
                domain: domain?,
            })
        };
        let secret = |value: Option<&str>| value.map(|v| SecretString::from(v.to_string()));
        let method = match auth_type.as_str() {
            "password" | "v3password" => {
                let user = user(Some(default_domain));
                let password = secret(need("password"));
                user.zip(password)
                    .map(|(user, password)| AuthMethod::Password { user, password })
            }
            "token" | "v3token" => secret(need("token")).map(AuthMethod::Token),
            "v3applicationcredential" | "applicationcredential" => {
                let credential = match (
                    get("application_credential_id"),
                    get("application_credential_name"),
                ) {
                    (Some(id), _) => Some(ApplicationCredentialRef::Id(id.into())),
                    (None, Some(name)) => user(None).map(|user| ApplicationCredentialRef::Name {
                        name: name.into(),
                        user,
                    }),
                    (None, None) => missing.of(
                        None,
                        &["application_credential_id", "application_credential_name"],
                    ),
                };
                let secret = secret(need("application_credential_secret"));
                credential.zip(secret).map(|(credential, secret)| {
                    AuthMethod::ApplicationCredential { credential, secret }
                })
            }
            "v3totp" | "totp" => {
                let user = user(Some(default_domain));
                let passcode = secret(need("passcode"));
                user.zip(passcode).map(|(user, passcode)| AuthMethod::Totp {
                    user,
                    passcode: Passcode::Fixed(passcode),
                })
            }
            "v3oidcclientcredentials"
            | "v3oidcpassword"
            | "v3oidcauthcode"
            | "v3oidcaccesstoken" => oidc_of(&auth_type, &keys, &missing, source)?
                .map(|oidc| AuthMethod::Oidc(Box::new(oidc))),
            "v3tokenlessauth" => {
                need("cert");
                need("key");
                missing.check(source)?;
                self = self.tokenless();
                self.settings.scope = scope_of(&keys, default_domain, source)?;
                return self.apply_common(&keys, source);
            }
            "v2password" | "v2token" | "v2" => {
                let instead = if auth_type == "v2token" {
                    "v3token"
                } else {
                    "v3password"
                };
                return Err(source
                    .invalid(
                        "auth_type",
                        &format!(
                            "{auth_type:?} is Keystone v2, which Keystone removed in 2018 \
                             (Queens): use {instead:?}"
                        ),
                    )
                    .into());
            }
            "token_endpoint" | "admin_token" | "none" => {
                let token = secret(need("token"));
                missing.check(source)?;
                self.settings.token = token;
                self.settings.method = None;
                if let Some(endpoint) = get("endpoint") {
                    source.check_url("endpoint", endpoint)?;
                    self.settings
                        .endpoints
                        .insert(DIRECT_ENDPOINT.into(), endpoint.into());
                }
                return self.apply_common(&keys, source);
            }
            other => {
                return Err(ConfigError::Invalid(format!(
                    "{}: auth type {other:?} is not supported",
                    source.name("auth_type")
                ))
                .into())
            }
        };
        missing.check(source)?;
        if let (true, Some(AuthMethod::Token(token)), Some(endpoint)) =
            (direct, &method, get("endpoint"))
        {
            // A token and an endpoint without Keystone: direct mode.
            source.check_url("endpoint", endpoint)?;
            self.settings.token = Some(token.clone());
            self.settings
                .endpoints
                .insert(DIRECT_ENDPOINT.into(), endpoint.into());
            return self.apply_common(&keys, source);
        }
        self.settings.method = method;
        self.settings.scope = scope_of(&keys, default_domain, source)?;
        self.apply_common(&keys, source)
    }

    fn apply_common(mut self, keys: &Keys<'_>, source: &Source<'_>) -> Result<Self> {
        let get = |key: &str| keys.get(key);
        if let Some(region) = get("region_name") {
            self = self.region(region);
        }
        if let Some(interface) = get("interface") {
            let interface = interface
                .parse()
                .map_err(|e: ConfigError| source.invalid("interface", &e.to_string()))?;
            self = self.interface(interface);
        }
        match (get("cert"), get("key")) {
            (Some(cert), Some(key)) => self = self.client_cert(cert, key),
            (Some(_), None) => return Err(source.missing(&[vec!["key"]]).into()),
            (None, Some(_)) => return Err(source.missing(&[vec!["cert"]]).into()),
            (None, None) => {}
        }
        if let Some(cacert) = get("cacert") {
            if !Path::new(cacert).is_file() {
                return Err(source
                    .invalid("cacert", &format!("{cacert} is not a readable file"))
                    .into());
            }
            self = self.ca_file(cacert);
        }
        let insecure = match (get("insecure"), get("verify")) {
            (Some(value), _) => Some(
                parse_flag(value)
                    .ok_or_else(|| source.invalid("insecure", "is not true or false"))?,
            ),
            (None, Some(value)) => Some(
                !parse_flag(value)
                    .ok_or_else(|| source.invalid("verify", "is not true or false"))?,
            ),
            (None, None) => None,
        };
        if let Some(insecure) = insecure {
            self = self.ignore_cert(insecure);
        }
        // opsclient's own keys (openstacksdk reads only the environment's proxy). The URL is
        // checked when the client is built, by a message that never repeats its password.
        let no_proxy = get("no_proxy")
            .map(|value| {
                parse_flag(value).ok_or_else(|| source.invalid("no_proxy", "is not true or false"))
            })
            .transpose()?;
        match (get("proxy"), no_proxy) {
            (Some(_), Some(true)) => {
                return Err(source
                    .invalid("no_proxy", "is true, and proxy names a proxy")
                    .into())
            }
            (Some(url), _) => self = self.proxy(url),
            (None, Some(true)) => self = self.no_proxy(),
            (None, _) => {}
        }
        // keystoneauth's names: how often to send again after a failure to connect, and after
        // 429, 502, 503 or 504.
        let retries = |key: &str| -> Result<Option<u32>> {
            get(key)
                .map(|value| {
                    value.trim().parse::<u32>().map_err(|_| {
                        source
                            .invalid(key, "is not a whole number of retries")
                            .into()
                    })
                })
                .transpose()
        };
        if let Some(retries) = retries("connect_retries")? {
            let policy = self.retry_policy().connect_retries(retries);
            self = self.retry(policy);
        }
        if let Some(retries) = retries("status_code_retries")? {
            let policy = self.retry_policy().status_code_retries(retries);
            self = self.retry(policy);
        }
        for service in ["infra-optim", "monitoring"] {
            let key = service.replace('-', "_");
            let setting = format!("{key}_endpoint_override");
            if let Some(url) = get(&setting) {
                source.check_url(&setting, url)?;
                self = self.endpoint(service, url);
            }
            if let Some(version) = get(&format!("{key}_api_version")) {
                self = self.api_version(service, version);
            }
        }
        Ok(self)
    }
}

/// `OS_*` variables and the configuration keys they set.
const ENV_KEYS: &[(&str, &str)] = &[
    ("OS_AUTH_URL", "auth_url"),
    ("OS_AUTH_TYPE", "auth_type"),
    ("OS_USERNAME", "username"),
    ("OS_USER_ID", "user_id"),
    ("OS_PASSWORD", "password"),
    ("OS_USER_DOMAIN_NAME", "user_domain_name"),
    ("OS_USER_DOMAIN_ID", "user_domain_id"),
    ("OS_PROJECT_NAME", "project_name"),
    ("OS_PROJECT_ID", "project_id"),
    ("OS_TENANT_NAME", "project_name"),
    ("OS_TENANT_ID", "project_id"),
    ("OS_PROJECT_DOMAIN_NAME", "project_domain_name"),
    ("OS_PROJECT_DOMAIN_ID", "project_domain_id"),
    ("OS_DOMAIN_NAME", "domain_name"),
    ("OS_DOMAIN_ID", "domain_id"),
    ("OS_DEFAULT_DOMAIN", "default_domain"),
    ("OS_SYSTEM_SCOPE", "system_scope"),
    ("OS_TOKEN", "token"),
    ("OS_ENDPOINT", "endpoint"),
    ("OS_APPLICATION_CREDENTIAL_ID", "application_credential_id"),
    (
        "OS_APPLICATION_CREDENTIAL_NAME",
        "application_credential_name",
    ),
    (
        "OS_APPLICATION_CREDENTIAL_SECRET",
        "application_credential_secret",
    ),
    ("OS_PASSCODE", "passcode"),
    ("OS_IDENTITY_PROVIDER", "identity_provider"),
    ("OS_PROTOCOL", "protocol"),
    ("OS_CLIENT_ID", "client_id"),
    ("OS_CLIENT_SECRET", "client_secret"),
    ("OS_DISCOVERY_ENDPOINT", "discovery_endpoint"),
    ("OS_ACCESS_TOKEN_ENDPOINT", "access_token_endpoint"),
    ("OS_OPENID_SCOPE", "openid_scope"),
    ("OS_ACCESS_TOKEN_TYPE", "access_token_type"),
    ("OS_ACCESS_TOKEN", "access_token"),
    ("OS_CODE", "code"),
    ("OS_REDIRECT_URI", "redirect_uri"),
    ("OS_CERT", "cert"),
    ("OS_KEY", "key"),
    ("OS_REGION_NAME", "region_name"),
    ("OS_INTERFACE", "interface"),
    ("OS_CACERT", "cacert"),
    ("OS_INSECURE", "insecure"),
    ("OS_CONNECT_RETRIES", "connect_retries"),
    ("OS_STATUS_CODE_RETRIES", "status_code_retries"),
    ("OS_INFRA_OPTIM_API_VERSION", "infra_optim_api_version"),
    ("OS_MONITORING_API_VERSION", "monitoring_api_version"),
];

/// Where settings came from, to name a missing or invalid one in its own terms.
enum Source<'a> {
    Env,
    Yaml { file: &'a Path, cloud: &'a str },
}

impl Source<'_> {
    fn name(&self, key: &str) -> String {
        match self {
            Source::Env => ENV_KEYS
                .iter()
                .find(|(_, k)| *k == key)
                .map(|(v, _)| v.to_string())
                .unwrap_or_else(|| format!("OS_{}", key.to_ascii_uppercase())),
            Source::Yaml { .. } if clouds_yaml::Auth::KEYS.contains(&key) => format!("auth.{key}"),
            Source::Yaml { .. } => key.to_string(),
        }
    }

    /// The error naming every setting in `missing`, each a list of alternatives.
    fn missing(&self, missing: &[Vec<&str>]) -> ConfigError {
        let names: Vec<String> = missing
            .iter()
            .map(|keys| {
                keys.iter()
                    .map(|k| self.name(k))
                    .collect::<Vec<_>>()
                    .join(" or ")
            })
            .collect();
        match (self, names.as_slice()) {
            (Source::Env, [name]) => ConfigError::MissingVariable { name: name.clone() },
            (Source::Env, _) => ConfigError::MissingVariables { names },
            (Source::Yaml { file, cloud }, [name]) => ConfigError::Invalid(format!(
                "{} cloud {cloud:?}: {name} is missing",
                file.display()
            )),
            (Source::Yaml { file, cloud }, _) => ConfigError::Invalid(format!(
                "{} cloud {cloud:?}: these settings are missing: {}",
                file.display(),
                names.join("; ")
            )),
        }
    }

    /// Refuses a URL with credentials or a query, naming the setting it came from.
    fn check_url(&self, key: &str, url: &str) -> Result<(), ConfigError> {
        match self {
            Source::Env => crate::endpoint::base_url(url, "its value").map_err(|e| {
                ConfigError::InvalidVariable {
                    name: self.name(key),
                    reason: e.to_string(),
                }
            }),
            Source::Yaml { file, cloud } => crate::endpoint::base_url(url, &self.name(key))
                .map_err(|e| {
                    ConfigError::Invalid(format!("{} cloud {cloud:?}: {e}", file.display()))
                }),
        }
        .map(drop)
    }

    fn invalid(&self, key: &str, reason: &str) -> ConfigError {
        match self {
            Source::Env => ConfigError::InvalidVariable {
                name: self.name(key),
                reason: reason.into(),
            },
            Source::Yaml { file, cloud } => ConfigError::Invalid(format!(
                "{} cloud {cloud:?}: {} {reason}",
                file.display(),
                self.name(key)
            )),
        }
    }
}

/// The domain a user or project by name is in when no setting names one, as osc-lib's
/// `--os-default-domain` defaults.
const DEFAULT_DOMAIN: &str = "default";

/// The required settings found missing while reading, each a list of alternatives, to be named
/// together in one error.
#[derive(Default)]
struct Missing(std::cell::RefCell<Vec<Vec<&'static str>>>);

impl Missing {
    /// `value`, or `None` after noting that none of `keys` is set.
    fn of<T>(&self, value: Option<T>, keys: &[&'static str]) -> Option<T> {
        if value.is_none() {
            self.0.borrow_mut().push(keys.to_vec());
        }
        value
    }

    /// An error naming every missing setting, if any is.
    fn check(&self, source: &Source<'_>) -> Result<(), ConfigError> {
        let missing = self.0.borrow();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(source.missing(&missing))
        }
    }
}

/// Flat configuration keys.
struct Keys<'a>(&'a BTreeMap<String, String>);

impl<'a> Keys<'a> {
    fn get(&self, key: &str) -> Option<&'a str> {
        self.0.get(key).map(String::as_str)
    }
}

/// An OpenID Connect login from keystoneauth's keys; `None` when a key it needs is missing
/// (noted in `missing`).
fn oidc_of(
    auth_type: &str,
    keys: &Keys<'_>,
    missing: &Missing,
    source: &Source<'_>,
) -> Result<Option<Oidc>> {
    let need = |key: &'static str| missing.of(keys.get(key), &[key]);
    let (idp, protocol) = (need("identity_provider"), need("protocol"));
    let oidc = if auth_type == "v3oidcaccesstoken" {
        let token = need("access_token");
        idp.zip(protocol)
            .zip(token)
            .map(|((idp, protocol), token)| Oidc::access_token(idp, protocol, token))
    } else {
        let client = idp
            .zip(protocol)
            .zip(need("client_id").zip(need("client_secret")));
        match auth_type {
            "v3oidcpassword" => {
                let login = need("username").zip(need("password"));
                client
                    .zip(login)
                    .map(|(((idp, protocol), (id, secret)), (user, pass))| {
                        Oidc::password(idp, protocol, id, secret, user, pass)
                    })
            }
            "v3oidcauthcode" => {
                let grant = need("code").zip(need("redirect_uri"));
                client
                    .zip(grant)
                    .map(|(((idp, protocol), (id, secret)), (code, uri))| {
                        Oidc::authorization_code(idp, protocol, id, secret, code, uri)
                    })
            }
            _ => client.map(|((idp, protocol), (id, secret))| {
                Oidc::client_credentials(idp, protocol, id, secret)
            }),
        }
    };
    missing.check(source)?;
    let Some(mut oidc) = oidc else {
        return Ok(None);
    };
    if let Some(url) = keys.get("discovery_endpoint") {
        oidc = oidc.discovery_endpoint(url);
    }
    // A token endpoint given outright wins over discovery, as in keystoneauth.
    if let Some(url) = keys.get("access_token_endpoint") {
        oidc = oidc.access_token_endpoint(url);
    }
    if let Some(scope) = keys.get("openid_scope") {
        oidc = oidc.openid_scope(scope);
    }
    if let Some(field) = keys.get("access_token_type") {
        oidc = oidc.access_token_type(field);
    }
    oidc.check()
        .map_err(|e| source.invalid("auth_type", &format!("{auth_type}: {e}")))?;
    Ok(Some(oidc))
}

fn domain_of(keys: &Keys<'_>, id: &str, name: &str) -> Option<DomainRef> {
    keys.get(id)
        .map(|id| DomainRef::Id(id.into()))
        .or_else(|| keys.get(name).map(|name| DomainRef::Name(name.into())))
}

fn scope_of(keys: &Keys<'_>, default_domain: &str, source: &Source<'_>) -> Result<Scope> {
    let get = |key: &str| keys.get(key);
    if let Some(id) = get("project_id") {
        return Ok(Scope::Project(ProjectRef::Id(id.into())));
    }
    if let Some(name) = get("project_name") {
        let domain = domain_of(keys, "project_domain_id", "project_domain_name")
            .unwrap_or_else(|| DomainRef::Id(default_domain.into()));
        return Ok(Scope::Project(ProjectRef::Name {
            name: name.into(),
            domain,
        }));
    }
    if let Some(domain) = domain_of(keys, "domain_id", "domain_name") {
        return Ok(Scope::Domain(domain));
    }
    match get("system_scope") {
        Some("all") => Ok(Scope::System),
        Some(other) => Err(source
            .invalid("system_scope", &format!("{other:?} is not \"all\""))
            .into()),
        None => Ok(Scope::Default),
    }
}

fn config_dirs(lookup: Lookup<'_>) -> Result<Vec<PathBuf>, ConfigError> {
    let mut dirs = vec![PathBuf::from(".")];
    match (lookup("XDG_CONFIG_HOME")?, lookup("HOME")?) {
        (Some(xdg), _) if !xdg.is_empty() => dirs.push(PathBuf::from(xdg).join("openstack")),
        (_, Some(home)) if !home.is_empty() => {
            dirs.push(PathBuf::from(home).join(".config/openstack"))
        }
        _ => {}
    }
    dirs.push(PathBuf::from("/etc/openstack"));
    Ok(dirs)
}
