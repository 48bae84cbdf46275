//! Seeding Keystone through its v3 API, as an admin with a project-scoped token:
//! - project `service`, and the service users `watcher` and `monasca` (admin and service roles
//!   on it), which keystonemiddleware in Watcher and Monasca logs in as;
//! - the catalog entries `watcher` (type `infra-optim`) and `monasca` (type `monitoring`), each
//!   with public, internal and admin endpoints in RegionOne;
//! - for the client's authentication tests: `totp-user` (member on project `admin`) with a
//!   TOTP credential, an application credential of `admin`, and `admin` on domain `default` and
//!   on the system, so domain and system scope work.
//!
//! Every step looks before it creates, so an interrupted seeding can simply run again. What the
//! tests need afterwards (ids, the application credential's secret) is kept in
//! `keystone-seed.json`; seeding runs only while that file is absent.

use std::fs;

use serde_json::{json, Map, Value};

use super::files;
use super::http::{self, Method};
use super::keystone::AUTH_URL;
use super::layout::Layout;
use super::monasca;
use super::secrets::Secrets;
use super::watcher;
use super::{apache, oidc};

/// What seeding created, by the names used in `keystone-seed.json`.
pub type Seeded = Map<String, Value>;

const FILE: &str = "keystone-seed.json";
/// The name of the application credential made for the tests.
pub const APP_CREDENTIAL_NAME: &str = "opsclient-tests";
/// The user with a TOTP credential.
pub const TOTP_USER: &str = "totp-user";

/// What seeding created: read from `keystone-seed.json`, or made now against the running
/// Keystone. Returns it with whether seeding ran.
pub fn ensure(layout: &Layout, secrets: &Secrets) -> Result<(Seeded, bool), String> {
    once(layout, FILE, "Keystone", || seed(secrets))
}

/// What `make` seeded, kept in `file`: read back when the file exists, else made now.
fn once(
    layout: &Layout,
    file: &str,
    what: &str,
    make: impl FnOnce() -> Result<Seeded, String>,
) -> Result<(Seeded, bool), String> {
    let path = layout.file(file);
    if let Ok(text) = fs::read_to_string(&path) {
        let seeded = serde_json::from_str(&text)
            .map_err(|e| format!("{} is not a JSON object: {e}", path.display()))?;
        return Ok((seeded, false));
    }
    let seeded = make().map_err(|problem| {
        format!(
            "seeding {what}: {problem}; read {}",
            layout.log("keystone").display()
        )
    })?;
    let text = serde_json::to_string_pretty(&seeded).expect("a JSON map prints");
    files::write_private(&path, &(text + "\n"))?;
    Ok((seeded, true))
}

/// Where the federation's seeding is kept (apart from the first seeding, so that state
/// directories seeded before it get it too).
const FEDERATION_FILE: &str = "federation-seed.json";

/// Names the federation's seeding; a state directory seeded by an older one is seeded again
/// (every step can run twice).
const FEDERATION_VERSION: &str = "3: identity from the variables Apache sets";

/// Keystone's federation for the test OpenID provider and for tokenless X.509, made once:
/// - identity provider `testidp` (remote id: the provider's issuer, `OIDC_CLAIM_iss`) with
///   protocol `openid`, whose mapping makes the user Apache checked (`REMOTE_USER`: the token's
///   `preferred_username`) an ephemeral member of group `federated`, admin of project `admin`;
/// - identity provider `sha256(CA subject)` with protocol `x509`, whose mapping maps a client
///   certificate's common name (`SSL_CLIENT_S_DN_CN`) to the local user of that name
///   (`watcher-tokenless`, with role `service` on project `service` and no other).
///
/// The mappings read only variables that Apache sets on Keystone's unix socket, never
/// `HTTP_*` ones, which any client can set with a header.
pub fn federation(layout: &Layout, secrets: &Secrets) -> Result<(Seeded, bool), String> {
    let path = layout.file(FEDERATION_FILE);
    let current = fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_json::from_str::<Seeded>(&text).ok())
        .is_some_and(|seeded| {
            seeded.get("version").and_then(Value::as_str) == Some(FEDERATION_VERSION)
        });
    if !current {
        let _ = fs::remove_file(&path);
    }
    once(layout, FEDERATION_FILE, "Keystone's federation", || {
        seed_federation(secrets)
    })
}

fn seed_federation(secrets: &Secrets) -> Result<Seeded, String> {
    let (admin, token) = Admin::login(&secrets.admin_password)?;
    let (admin_role, service_role) = (admin.role("admin")?, admin.role("service")?);

    // OpenID Connect.
    let group = admin.find_or_create(
        "/groups?name=federated&domain_id=default",
        "groups",
        json!({"group": {"name": "federated", "domain_id": "default",
                         "description": "Users of the test OpenID provider"}}),
    )?;
    admin.put(&format!(
        "/projects/{}/groups/{group}/roles/{admin_role}",
        token.project_id
    ))?;
    // A federated token is rescoped to a domain like any other.
    let reader_role = admin.role("reader")?;
    admin.put(&format!(
        "/domains/default/groups/{group}/roles/{reader_role}"
    ))?;
    let oidc_rules = json!({"mapping": {"rules": [{
        "local": [{"user": {"name": "{0}"}}, {"group": {"id": group}}],
        "remote": [{"type": "REMOTE_USER"}]
    }]}});
    admin.put_or_patch(&oidc_rules, "/OS-FEDERATION/mappings/oidc-mapping")?;
    let idp = json!({"identity_provider": {"enabled": true, "domain_id": "default",
        "remote_ids": [oidc::ISSUER], "description": "The test OpenID provider"}});
    admin.put_or_patch(
        &idp,
        &format!("/OS-FEDERATION/identity_providers/{OIDC_IDP}"),
    )?;
    // The issuer as mod_auth_openidc passes it (keystone.conf says the same for `openid`).
    let protocol = json!({"protocol": {"mapping_id": "oidc-mapping",
                                       "remote_id_attribute": "OIDC_CLAIM_iss"}});
    admin.put_or_patch(
        &protocol,
        &format!("/OS-FEDERATION/identity_providers/{OIDC_IDP}/protocols/openid"),
    )?;

    // Tokenless X.509.
    let service_project = admin
        .find("/projects?name=service&domain_id=default", "projects")?
        .ok_or("Keystone has no project service (the first seeding makes it)")?;
    let tokenless_user = admin.user(apache::CLIENT_CN, &secrets.oidc_user_password, None)?;
    // `service` lets it validate tokens as a service does. Not `admin`, which would open every
    // user's record to it: the tests tell who it is by what only its own identity may read.
    let tokenless_roles = format!("/projects/{service_project}/users/{tokenless_user}/roles");
    admin.put(&format!("{tokenless_roles}/{service_role}"))?;
    admin.delete_if_present(&format!("{tokenless_roles}/{admin_role}"))?;
    let x509_rules = json!({"mapping": {"rules": [{
        "local": [{"user": {"name": "{0}", "domain": {"id": "default"}, "type": "local"}}],
        "remote": [{"type": "SSL_CLIENT_S_DN_CN"},
                   {"type": "SSL_CLIENT_S_DN_O", "any_one_of": [apache::CLIENT_O]}]
    }]}});
    admin.put_or_patch(&x509_rules, "/OS-FEDERATION/mappings/x509-mapping")?;
    let x509_idp = sha256_hex(apache::CA_SUBJECT.as_bytes())?;
    let idp = json!({"identity_provider": {"enabled": true, "domain_id": "default",
        "description": "The test CA, for tokenless X.509"}});
    admin.put_or_patch(
        &idp,
        &format!("/OS-FEDERATION/identity_providers/{x509_idp}"),
    )?;
    admin.put_or_patch(
        &json!({"protocol": {"mapping_id": "x509-mapping"}}),
        &format!("/OS-FEDERATION/identity_providers/{x509_idp}/protocols/x509"),
    )?;

    let mut seeded = Seeded::new();
    for (key, value) in [
        ("version", FEDERATION_VERSION.to_string()),
        ("oidc_identity_provider", OIDC_IDP.to_string()),
        ("oidc_group_id", group),
        ("tokenless_user_id", tokenless_user),
        ("service_project_id", service_project),
        ("tokenless_identity_provider", x509_idp),
    ] {
        seeded.insert(key.to_string(), Value::String(value));
    }
    Ok(seeded)
}

/// SHA-256 of `bytes` in hex (Keystone names a tokenless identity provider so), by coreutils.
fn sha256_hex(bytes: &[u8]) -> Result<String, String> {
    use std::io::Write;
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run sha256sum: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("sha256sum has no input")?
        .write_all(bytes)
        .map_err(|e| format!("sha256sum: {e}"))?;
    let output = child
        .wait_with_output()
        .map_err(|e| format!("sha256sum: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .next()
        .filter(|hex| hex.len() == 64)
        .map(str::to_string)
        .ok_or_else(|| "sha256sum printed no digest".to_string())
}

/// The identity provider of the test OpenID provider in Keystone.
pub const OIDC_IDP: &str = "testidp";

fn seed(secrets: &Secrets) -> Result<Seeded, String> {
    let (admin, token) = Admin::login(&secrets.admin_password)?;
    let (admin_role, service_role, member_role) = (
        admin.role("admin")?,
        admin.role("service")?,
        admin.role("member")?,
    );

    let service_project = admin.find_or_create(
        "/projects?name=service&domain_id=default",
        "projects",
        json!({"project": {"name": "service", "domain_id": "default",
                           "description": "Service users of the opsclient test servers"}}),
    )?;
    for (name, password) in [
        ("watcher", &secrets.watcher_password),
        ("monasca", &secrets.monasca_password),
    ] {
        let user = admin.user(name, password, Some(&service_project))?;
        for role in [&admin_role, &service_role] {
            admin.put(&format!(
                "/projects/{service_project}/users/{user}/roles/{role}"
            ))?;
        }
    }
    admin.service("watcher", "infra-optim", watcher::URL)?;
    admin.service("monasca", "monitoring", monasca::URL)?;

    let totp_user = admin.user(TOTP_USER, &secrets.totp_password, None)?;
    admin.put(&format!(
        "/projects/{}/users/{totp_user}/roles/{member_role}",
        token.project_id
    ))?;
    admin.totp_credential(&totp_user, &secrets.totp_secret)?;

    admin.put(&format!(
        "/domains/default/users/{}/roles/{admin_role}",
        token.user_id
    ))?;
    admin.put(&format!(
        "/system/users/{}/roles/{admin_role}",
        token.user_id
    ))?;
    let (app_id, app_secret) = admin.application_credential(&token.user_id)?;

    let mut seeded = Seeded::new();
    for (key, value) in [
        ("admin_user_id", token.user_id),
        ("admin_project_id", token.project_id),
        ("totp_user_id", totp_user),
        ("application_credential_id", app_id),
        (
            "application_credential_name",
            APP_CREDENTIAL_NAME.to_string(),
        ),
        ("application_credential_secret", app_secret),
    ] {
        seeded.insert(key.to_string(), Value::String(value));
    }
    Ok(seeded)
}

/// The ids in the admin token.
struct TokenIds {
    user_id: String,
    project_id: String,
}

/// Calls to Keystone with the admin token.
struct Admin {
    token: String,
}

impl Admin {
    /// Logs in as `admin` on project `admin`.
    fn login(password: &str) -> Result<(Admin, TokenIds), String> {
        let body = json!({"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": "admin", "domain": {"id": "default"}, "password": password}}},
            "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}});
        let url = format!("{AUTH_URL}/auth/tokens");
        let reply = http::call(Method::Post(&body), &url, None)?;
        let token = match (reply.status, reply.subject_token.clone()) {
            (201, Some(token)) => token,
            (status, _) => return Err(format!("admin login: {status} {}", reply.body)),
        };
        let body = reply.json();
        let id = |pointer: &str| {
            body.pointer(pointer)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("admin login: the token has no {pointer}"))
        };
        let ids = TokenIds {
            user_id: id("/token/user/id")?,
            project_id: id("/token/project/id")?,
        };
        Ok((Admin { token }, ids))
    }

    /// One call; anything but 2xx is an error naming the call.
    fn call(&self, method: Method, path: &str) -> Result<Value, String> {
        let name = method.name();
        let reply = http::call(method, &format!("{AUTH_URL}{path}"), Some(&self.token))?;
        match reply.status {
            200..=299 => Ok(reply.json()),
            status => Err(format!("{name} /v3{path}: {status} {}", reply.body)),
        }
    }

    /// Creates a federation object at `path` with `body`, or updates it to `body` when it
    /// exists (Keystone answers 409 to a second `PUT`). An identity provider is made again
    /// instead (its `domain_id` cannot be patched); its protocols are put after it.
    fn put_or_patch(&self, body: &Value, path: &str) -> Result<(), String> {
        let url = format!("{AUTH_URL}{path}");
        let reply = http::call(Method::PutJson(body), &url, Some(&self.token))?;
        match reply.status {
            200..=299 => Ok(()),
            409 if body.get("identity_provider").is_some() => {
                self.call(Method::Delete, path)?;
                self.call(Method::PutJson(body), path).map(drop)
            }
            409 => self.call(Method::Patch(body), path).map(drop),
            status => Err(format!("PUT /v3{path}: {status} {}", reply.body)),
        }
    }

    fn put(&self, path: &str) -> Result<(), String> {
        self.call(Method::Put, path).map(drop)
    }

    /// `DELETE path`, where a 404 (nothing there) is fine too.
    fn delete_if_present(&self, path: &str) -> Result<(), String> {
        let url = format!("{AUTH_URL}{path}");
        let reply = http::call(Method::Delete, &url, Some(&self.token))?;
        match reply.status {
            200..=299 | 404 => Ok(()),
            status => Err(format!("DELETE /v3{path}: {status} {}", reply.body)),
        }
    }

    /// The entries of a list answer (`GET path`, entries under `collection`).
    fn list(&self, path: &str, collection: &str) -> Result<Vec<Value>, String> {
        let body = self.call(Method::Get, path)?;
        Ok(body[collection].as_array().cloned().unwrap_or_default())
    }

    /// The id of the role `name` (bootstrap makes admin, member and reader; service is made by
    /// keystone-manage too).
    fn role(&self, name: &str) -> Result<String, String> {
        self.find(&format!("/roles?name={name}"), "roles")?
            .ok_or_else(|| format!("Keystone has no role {name}"))
    }

    /// The id of the first entry of a list answer, if any.
    fn find(&self, path: &str, collection: &str) -> Result<Option<String>, String> {
        Ok(self
            .list(path, collection)?
            .first()
            .and_then(|entry| entry["id"].as_str())
            .map(str::to_string))
    }

    /// The id of the entry the query finds, creating it with `body` when there is none.
    fn find_or_create(&self, query: &str, collection: &str, body: Value) -> Result<String, String> {
        match self.find(query, collection)? {
            Some(id) => Ok(id),
            None => self.create(collection, body),
        }
    }

    /// `POST /v3/{collection}` with `body` (`{"<entry>": {...}}`); returns the new entry's id.
    fn create(&self, collection: &str, body: Value) -> Result<String, String> {
        let path = format!("/{collection}");
        let created = self.call(Method::Post(&body), &path)?;
        let entry = body
            .as_object()
            .and_then(|o| o.keys().next())
            .cloned()
            .unwrap_or_default();
        created[entry.as_str()]["id"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("POST /v3{path}: the answer has no id"))
    }

    /// A user in domain `default` with this password (set again if the user exists).
    fn user(&self, name: &str, password: &str, project: Option<&str>) -> Result<String, String> {
        if let Some(id) = self.find(&format!("/users?name={name}&domain_id=default"), "users")? {
            let body = json!({"user": {"password": password}});
            self.call(Method::Patch(&body), &format!("/users/{id}"))?;
            return Ok(id);
        }
        let mut user = json!({"name": name, "domain_id": "default", "password": password});
        if let Some(project) = project {
            user["default_project_id"] = json!(project);
        }
        self.create("users", json!({ "user": user }))
    }

    /// A catalog service with public, internal and admin endpoints at `url` in RegionOne.
    fn service(&self, name: &str, kind: &str, url: &str) -> Result<(), String> {
        let service = self.find_or_create(
            &format!("/services?type={kind}"),
            "services",
            json!({"service": {"name": name, "type": kind, "enabled": true}}),
        )?;
        let existing = self.list(&format!("/endpoints?service_id={service}"), "endpoints")?;
        for interface in ["public", "internal", "admin"] {
            if existing.iter().any(|e| e["interface"] == interface) {
                continue;
            }
            let body = json!({"endpoint": {"service_id": service, "interface": interface,
                                           "url": url, "region_id": "RegionOne", "enabled": true}});
            self.create("endpoints", body)?;
        }
        Ok(())
    }

    /// The user's only TOTP credential, with this base32 secret as its blob.
    fn totp_credential(&self, user: &str, secret: &str) -> Result<(), String> {
        let query = format!("/credentials?user_id={user}&type=totp");
        for credential in self.list(&query, "credentials")? {
            if credential["blob"] == secret {
                return Ok(());
            }
            let id = credential["id"].as_str().unwrap_or_default();
            self.call(Method::Delete, &format!("/credentials/{id}"))?;
        }
        let body = json!({"credential": {"type": "totp", "user_id": user, "blob": secret}});
        self.call(Method::Post(&body), "/credentials").map(drop)
    }

    /// A new application credential for `user` (replacing one of the same name, whose secret
    /// is no longer known). Returns its id and secret.
    fn application_credential(&self, user: &str) -> Result<(String, String), String> {
        let collection = format!("/users/{user}/application_credentials");
        let query = format!("{collection}?name={APP_CREDENTIAL_NAME}");
        for old in self.list(&query, "application_credentials")? {
            let id = old["id"].as_str().unwrap_or_default();
            self.call(Method::Delete, &format!("{collection}/{id}"))?;
        }
        let body = json!({"application_credential": {"name": APP_CREDENTIAL_NAME,
            "description": "opsclient integration tests"}});
        let created = self.call(Method::Post(&body), &collection)?;
        let field = |name: &str| {
            created["application_credential"][name]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("POST /v3{collection}: the answer has no {name}"))
        };
        Ok((field("id")?, field("secret")?))
    }
}
