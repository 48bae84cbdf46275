//! Access to the real Keystone, Watcher and Monasca that `cargo xtask servers up` starts on
//! 127.0.0.1. Their settings are in `env.json` of its state directory
//! (`target/openstack-servers/`, or the file named by `OPSCLIENT_OPENSTACK_ENV`). Without the
//! servers the tests say they were skipped and pass, so `cargo test` works without them; the
//! full run (`cargo xtask test`) starts them and requires them (see
//! [`settings`](crate::support::settings)).

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::PathBuf;

use crate::support::settings;
use opsclient::openstack::auth::{DomainRef, ProjectRef, Scope, UserRef};
use opsclient::openstack::{Cloud, CloudBuilder};

/// The cloud's access token.
pub async fn access(cloud: &Cloud) -> String {
    use secrecy::ExposeSecret;
    cloud
        .token()
        .await
        .expect("a token")
        .access()
        .expose_secret()
        .to_string()
}

/// What Keystone says about `cloud`'s token when `validator` checks it.
pub async fn token_of(
    validator: &Cloud,
    cloud: &Cloud,
) -> opsclient::openstack::keystone::types::TokenBody {
    validator
        .keystone()
        .unwrap()
        .validate_token()
        .x_subject_token(access(cloud).await)
        .nocatalog(true)
        .send()
        .await
        .unwrap()
        .into_inner()
        .token
}

/// A call that needs the cloud's token: Watcher's goals (its `GET /` needs none).
pub async fn use_watcher(cloud: &Cloud) {
    let watcher = opsclient::watcher::Client::from_cloud(cloud).await.unwrap();
    let goals = watcher.list_goals().send().await.unwrap();
    assert!(goals
        .goals
        .iter()
        .any(|g| g.name.as_deref() == Some("dummy")));
}

/// A typed request body from JSON; panics when the JSON does not fit the type.
pub fn body<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).expect("a valid body")
}

/// The settings of the running servers. While it lives, every answer the test's clients get is
/// recorded; when it drops, each body is checked against its document.
pub struct Real {
    vars: HashMap<String, String>,
    pub file: PathBuf,
    _answers: crate::support::conformance::Conformance,
}

impl Real {
    /// The running servers, or `None` (and a note on stderr) when they are not up. Panics
    /// when `cargo xtask test` requires them and they are not usable.
    pub fn get(test: &str) -> Option<Real> {
        let file = Real::settings_file();
        let vars = settings::for_test(test, &file)?;
        Some(Real {
            vars,
            file,
            _answers: crate::support::conformance::Conformance::start(),
        })
    }

    /// `env.json` of the servers: `$OPSCLIENT_OPENSTACK_ENV`, else the default state directory.
    pub fn settings_file() -> PathBuf {
        std::env::var_os("OPSCLIENT_OPENSTACK_ENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/openstack-servers/env.json")
            })
    }

    /// A setting; panics with its name when the servers did not write it.
    pub fn var(&self, name: &str) -> String {
        self.vars
            .get(name)
            .cloned()
            .unwrap_or_else(|| panic!("{} has no {name}", self.file.display()))
    }

    /// Runs the seeding command in setting `var` with `argument` appended (a shim that writes
    /// what a server process absent here would) and returns the last line it prints.
    pub fn seed(&self, var: &str, argument: &str) -> String {
        let command = format!("{} {argument}", self.var(var));
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(&command)
            .output()
            .expect("seed script runs");
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8(output.stdout).expect("the seed prints text");
        stdout
            .trim()
            .lines()
            .last()
            .expect("the seed prints an id")
            .to_string()
    }

    /// The settings as an environment lookup.
    pub fn lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |name| self.vars.get(name).cloned()
    }

    pub fn admin(&self) -> UserRef {
        UserRef::Name {
            name: self.var("OS_USERNAME"),
            domain: DomainRef::Id(self.var("OS_USER_DOMAIN_ID")),
        }
    }

    pub fn admin_project(&self) -> Scope {
        Scope::Project(ProjectRef::Name {
            name: self.var("OS_PROJECT_NAME"),
            domain: DomainRef::Id(self.var("OS_PROJECT_DOMAIN_ID")),
        })
    }

    /// A builder for the admin login, project-scoped.
    pub fn builder(&self) -> CloudBuilder {
        Cloud::builder()
            .url(self.var("OS_AUTH_URL"))
            .password(self.admin(), self.var("OS_PASSWORD"))
            .scope(self.admin_project())
            .region(self.var("OS_REGION_NAME"))
    }

    pub async fn cloud(&self) -> Cloud {
        self.builder().authenticate().await.expect("admin login")
    }
}
