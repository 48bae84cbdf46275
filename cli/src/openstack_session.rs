//! Keystone tokens kept between commands, by cloud: a command whose cloud has a saved token
//! that is still good starts from it and its catalog instead of logging in, and a token from a
//! new login is saved for the next command.
//!
//! The token of the cloud `OS_CLOUD` (or `--os-cloud`) names is `openstack/clouds/<name>/token.json`
//! in the tool's configuration directory, and that of a cloud given by `OS_*` variables alone
//! `openstack/env/token.json`; mode 0600, as every file there (see [`crate::private_files`]).
//! Each holds the login identity it was issued for (Keystone's URL, the user or application
//! credential, the scope: no secret), and is only used by a login with the same identity.
//! Logins whose identity is a secret (a token) or that another party vouches for (OpenID
//! Connect) are not cached. A cache is not precious: one that cannot be used is said so in a
//! warning, and the login's token replaces it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use opsclient::auth::Token;
use opsclient::openstack::keystone::types::CatalogService;
use opsclient::openstack::{Cloud, CloudBuilder};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

use crate::private_files::{is_plain_name, PrivateDir};

const TOKEN_FILE: &str = "token.json";

/// `token.json`. Not `Debug`: it holds the token.
#[derive(Deserialize)]
struct TokenFile {
    identity: String,
    token: String,
    expires_at: u64,
    catalog: Vec<CatalogService>,
}

/// Where one cloud's token is kept, and the login identity it must have been saved with.
pub struct TokenCache {
    dir: PrivateDir,
    identity: String,
}

fn warn(what: &str, error: &anyhow::Error) {
    eprintln!("warning: the saved Keystone token {what}: {error:#}");
}

impl TokenCache {
    /// The cache of the cloud named `cloud` (or of the `OS_*` variables' cloud), for a builder
    /// whose login can be told apart from others; `None` otherwise, or for a cloud name that is
    /// not a plain directory name.
    pub fn for_cloud(cloud: Option<&str>, builder: &CloudBuilder) -> Option<TokenCache> {
        let identity = builder.login_identity()?;
        let place: Vec<&str> = match cloud {
            Some(name) if is_plain_name(name) => vec!["openstack", "clouds", name],
            Some(_) => return None,
            None => vec!["openstack", "env"],
        };
        let dir = PrivateDir::under_config(&place).ok()?;
        Some(TokenCache { dir, identity })
    }

    /// The saved token and its catalog, when they are this identity's and the token is good
    /// for longer than `threshold`.
    pub fn load(&self, threshold: Duration) -> Option<(Token, Vec<CatalogService>)> {
        let text = match self.dir.read(TOKEN_FILE) {
            Ok(text) => text?,
            Err(e) => {
                warn("is not used", &e);
                return None;
            }
        };
        let file: TokenFile = match serde_json::from_str(&text) {
            Ok(file) => file,
            Err(e) => {
                let error = anyhow::anyhow!(
                    "{} does not decode ({:?} error at line {} column {})",
                    self.dir.file(TOKEN_FILE).display(),
                    e.classify(),
                    e.line(),
                    e.column()
                );
                warn("is not used", &error);
                return None;
            }
        };
        let expires_at = UNIX_EPOCH.checked_add(Duration::from_secs(file.expires_at))?;
        let good = SystemTime::now()
            .checked_add(threshold)
            .is_some_and(|t| t < expires_at);
        if file.identity != self.identity || file.token.is_empty() || !good {
            return None;
        }
        Some((Token::new(file.token).expiring_at(expires_at), file.catalog))
    }

    /// Saves `token` and `catalog`; a failure is a warning.
    fn save(&self, token: &Token, catalog: &[CatalogService]) {
        let expires_at = token
            .expires_at()
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        let file = serde_json::json!({
            "identity": self.identity,
            "token": token.expose_access(),
            "expires_at": expires_at,
            "catalog": catalog,
        });
        let written = serde_json::to_vec(&file)
            .map_err(anyhow::Error::from)
            .and_then(|text| self.dir.write(TOKEN_FILE, &text));
        if let Err(e) = written {
            warn("could not be saved", &e);
        }
    }
}

/// What is done with a cloud's token once the command has run: saved when it is new.
pub struct Keeper {
    cache: TokenCache,
    cloud: Cloud,
    /// The token saved last, to tell whether the cloud has another one.
    saved: Option<SecretString>,
}

impl Keeper {
    /// Keeps `cloud`'s token in `cache`, saving it now if it is not the one `resumed` from
    /// the cache.
    pub async fn new(cache: TokenCache, cloud: Cloud, resumed: Option<&Token>) -> Keeper {
        let mut keeper = Keeper {
            cache,
            cloud,
            saved: resumed.map(|t| t.access().clone()),
        };
        keeper.save_if_new().await;
        keeper
    }

    /// The cloud whose token is kept.
    pub fn cloud(&self) -> &Cloud {
        &self.cloud
    }

    async fn save_if_new(&mut self) {
        let Some(token) = self.cloud.token().await else {
            return;
        };
        let new = self
            .saved
            .as_ref()
            .is_none_or(|saved| saved.expose_secret() != token.expose_access());
        if new {
            self.cache.save(&token, &self.cloud.catalog());
            self.saved = Some(token.access().clone());
        }
    }

    /// Saves a token the cloud got during the command (a new login after expiry or refusal).
    pub async fn finish(mut self, result: anyhow::Result<()>) -> anyhow::Result<()> {
        self.save_if_new().await;
        result
    }
}
