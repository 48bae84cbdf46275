//! Clients from each ecosystem's configuration: sensuctl's `SENSU_*`, the OpenStack CLI's
//! `--os-cloud`, `clouds.yaml`, `OS_*` and `--os-*` options, saltant-py's `SALTANT_*`. `--url`,
//! `--insecure` and `--timeout` override all of them. Secrets come from the environment, a file
//! (`--password-file`, ...) or a prompt (`--ask-password`), never from an argument.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use opsclient::openstack::Cloud;

use crate::openstack_session::TokenCache;

use crate::input;

/// The options every API takes.
#[derive(Debug, Default)]
pub struct Overrides {
    /// `--url`: the server, or for OpenStack the service endpoint.
    pub url: Option<String>,
    /// `--insecure`: no TLS certificate verification.
    pub insecure: bool,
    /// `--timeout`: how long a call may take, retries included.
    pub timeout: Option<Duration>,
    /// `--proxy`: the HTTP proxy, over the environment's.
    pub proxy: Option<String>,
    /// `--no-proxy`: no proxy, whatever the environment says.
    pub no_proxy: bool,
}

impl Overrides {
    /// A builder with `--insecure`, `--timeout`, `--proxy` and `--no-proxy` applied. A
    /// `--proxy` with a password is refused: arguments show in the process list.
    fn apply<S>(
        &self,
        mut builder: opsclient::ClientBuilder<S>,
    ) -> anyhow::Result<opsclient::ClientBuilder<S>> {
        if self.insecure {
            builder = builder.ignore_cert(true);
        }
        if let Some(timeout) = self.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(proxy) = &self.proxy {
            let after_scheme = proxy
                .split_once("://")
                .map_or(proxy.as_str(), |(_, rest)| rest);
            let authority = after_scheme
                .split(['/', '?', '#'])
                .next()
                .unwrap_or_default();
            let has_password = authority
                .rsplit_once('@')
                .is_some_and(|(userinfo, _)| userinfo.contains(':'));
            if has_password {
                // The value is not repeated: it holds the password.
                return Err(crate::private_files::config_error(
                    "--proxy carries a password, which any user can read in the process list; \
                     give the proxy in HTTPS_PROXY and HTTP_PROXY, or in clouds.yaml's proxy"
                        .into(),
                ));
            }
            builder = builder.proxy(proxy);
        }
        if self.no_proxy {
            builder = builder.no_proxy();
        }
        Ok(builder)
    }
}

/// Variables the options set, read before the process environment.
struct Overlay(BTreeMap<String, String>);

impl Overlay {
    /// An empty overlay, once no variable of the API (named by `prefix`) is set to a value
    /// that is not UTF-8: such a variable is set but unusable, never "not set".
    fn checked(prefix: &str) -> anyhow::Result<Self> {
        for (name, value) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if name.starts_with(prefix) && value.to_str().is_none() {
                // The value is not repeated: it may be a secret.
                anyhow::bail!("{name} is set, but its value is not valid UTF-8");
            }
        }
        Ok(Overlay(BTreeMap::new()))
    }

    fn lookup(&self) -> impl Fn(&str) -> Option<String> + '_ {
        move |name| {
            self.0
                .get(name)
                .cloned()
                .or_else(|| std::env::var(name).ok())
        }
    }

    fn set(&mut self, name: &str, value: Option<String>) {
        if let Some(value) = value {
            self.0.insert(name.to_string(), value);
        }
    }

    /// A secret from `--<option>-file`, or a prompt when `--ask-<option>` is given.
    fn secret(
        &mut self,
        matches: &ArgMatches,
        variable: &str,
        file_option: &str,
        prompt: Option<(&str, &str)>,
    ) -> anyhow::Result<()> {
        if let Some(path) = matches.get_one::<PathBuf>(file_option) {
            self.0
                .insert(variable.to_string(), input::secret_file(path)?);
        } else if let Some((flag, what)) = prompt {
            if matches.get_flag(flag) {
                self.0.insert(
                    variable.to_string(),
                    input::prompt(what, variable, file_option)?,
                );
            }
        }
        Ok(())
    }
}

fn text(matches: &ArgMatches, name: &str) -> Option<String> {
    matches.get_one::<String>(name).cloned()
}

fn file_arg(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .value_name("FILE")
        .value_parser(clap::value_parser!(PathBuf))
        .global(true)
        .help(help)
}

/// sensuctl's options, and how to connect, at the top of the help.
pub fn sensu_args(command: Command) -> Command {
    command
        .before_help(
            "Connect: `opsclient sensu configure` once, as with sensuctl: it logs in and keeps the \
             session in a profile (--profile). Or set SENSU_API_URL, then SENSU_USERNAME and \
             SENSU_PASSWORD (or --sensu-username, --password-file, --ask-password), or \
             SENSU_API_KEY (or --api-key-file). SENSU_NAMESPACE (or --namespace) picks the \
             namespace; it defaults to default.",
        )
        .arg(
            Arg::new("sensu-username")
                .long("sensu-username")
                .global(true)
                .help("The user to log in as (SENSU_USERNAME)"),
        )
        .arg(file_arg(
            "password-file",
            "A file holding the password (or SENSU_PASSWORD)",
        ))
        .arg(
            Arg::new("ask-password")
                .long("ask-password")
                .action(ArgAction::SetTrue)
                .global(true)
                .help("Prompt for the password"),
        )
        .arg(file_arg(
            "api-key-file",
            "A file holding an API key (or SENSU_API_KEY)",
        ))
        .arg(crate::sensu_session::profile_arg())
}

/// A client, and what is done once the command has run with it: keeping the session it used
/// for the next command.
pub struct Connection<C> {
    /// The client.
    pub client: C,
    keeper: Option<Keeper>,
}

/// What keeps a connection's session.
pub enum Keeper {
    /// A Sensu profile's session.
    Sensu(crate::sensu_session::Keeper),
    /// A cloud's Keystone token.
    OpenStack(crate::openstack_session::Keeper),
}

impl<C> Connection<C> {
    /// A client with nothing to keep.
    pub fn plain(client: C) -> Self {
        Connection {
            client,
            keeper: None,
        }
    }

    /// The same session, with another client made from it (a service's client from a cloud).
    pub fn with_client<D>(self, client: D) -> Connection<D> {
        Connection {
            client,
            keeper: self.keeper,
        }
    }

    /// Ends the command whose outcome is `result`.
    pub async fn finish(self, result: anyhow::Result<()>) -> anyhow::Result<()> {
        match self.keeper {
            Some(Keeper::Sensu(keeper)) => keeper.finish(result).await,
            Some(Keeper::OpenStack(keeper)) => keeper.finish(result).await,
            None => result,
        }
    }
}

impl Connection<opsclient::sensu::Client> {
    /// A client whose profile session is kept when the command ends.
    pub fn keeping(keeper: crate::sensu_session::Keeper) -> Self {
        Connection {
            client: keeper.client().clone(),
            keeper: Some(Keeper::Sensu(keeper)),
        }
    }

    /// The user the profile's session belongs to, when the client uses one.
    pub fn session_user(&self) -> Option<&str> {
        match &self.keeper {
            Some(Keeper::Sensu(keeper)) => Some(keeper.username()),
            _ => None,
        }
    }
}

/// A Sensu client from `SENSU_*`, the options and the profile (its server, namespace and saved
/// session), as sensuctl configures itself.
pub async fn sensu(
    overrides: &Overrides,
    matches: &ArgMatches,
) -> anyhow::Result<Connection<opsclient::sensu::Client>> {
    use crate::sensu_session::{Login, Profile};
    let mut overlay = Overlay::checked("SENSU_")?;
    overlay.set("SENSU_USERNAME", text(matches, "sensu-username"));
    overlay.secret(
        matches,
        "SENSU_PASSWORD",
        "password-file",
        Some(("ask-password", "Sensu password")),
    )?;
    overlay.secret(matches, "SENSU_API_KEY", "api-key-file", None)?;
    let profile = Profile::selected(matches)?;
    let settings = profile.settings()?;
    let mut builder = opsclient::sensu::Client::builder();
    if let Some(settings) = &settings {
        builder = builder.url(&settings.url).namespace(&settings.namespace);
    }
    if let Some(url) = &overrides.url {
        builder = builder.url(url);
    }
    let lookup = overlay.lookup();
    let mut builder = builder.env_from(&lookup)?;
    if let Some(url) = &overrides.url {
        builder = builder.url(url);
    }
    let builder = overrides.apply(builder)?;
    let login = Login {
        username: lookup("SENSU_USERNAME"),
        can_login: lookup("SENSU_USERNAME").is_some() && lookup("SENSU_PASSWORD").is_some(),
        api_key: lookup("SENSU_API_KEY").is_some(),
    };
    crate::sensu_session::connect(builder, profile, settings, login).await
}

/// A Sensu client builder for `url` with the connection settings of the environment
/// (`SENSU_TRUSTED_CA_FILE`, `SENSU_INSECURE_SKIP_TLS_VERIFY`, `SENSU_TIMEOUT`) and the
/// options, and no credentials.
pub fn sensu_connection(
    url: &str,
    overrides: &Overrides,
) -> anyhow::Result<opsclient::sensu::SensuClientBuilder> {
    const LOGIN: [&str; 4] = [
        "SENSU_API_URL",
        "SENSU_USERNAME",
        "SENSU_PASSWORD",
        "SENSU_API_KEY",
    ];
    let overlay = Overlay::checked("SENSU_")?;
    let lookup = overlay.lookup();
    let builder = opsclient::sensu::Client::builder()
        .url(url)
        .env_from(|name| {
            if LOGIN.contains(&name) {
                None
            } else {
                lookup(name)
            }
        })?;
    overrides.apply(builder)
}

/// The Sensu password from `--password-file` or `SENSU_PASSWORD`, else typed at a prompt when
/// `interactive` (or `--ask-password`) allows one.
pub fn sensu_password(
    matches: &ArgMatches,
    interactive: bool,
) -> anyhow::Result<secrecy::SecretString> {
    let mut overlay = Overlay::checked("SENSU_")?;
    let ask = interactive || matches.get_flag("ask-password");
    if ask
        && matches.get_one::<PathBuf>("password-file").is_none()
        && std::env::var_os("SENSU_PASSWORD").is_none()
    {
        let typed = input::prompt("Sensu password", "SENSU_PASSWORD", "password-file")?;
        return Ok(typed.into());
    }
    overlay.secret(matches, "SENSU_PASSWORD", "password-file", None)?;
    let password = overlay.lookup()("SENSU_PASSWORD");
    password.map(Into::into).ok_or_else(|| {
        crate::private_files::config_error(
            "no password: set SENSU_PASSWORD, give --password-file, or leave out \
                 --non-interactive to type it"
                .into(),
        )
    })
}

/// The OpenStack CLI's `--os-*` options and the variables they stand for.
const OS_OPTIONS: &[(&str, &str, &str)] = &[
    ("os-cloud", "OS_CLOUD", "The cloud of clouds.yaml to use"),
    ("os-auth-url", "OS_AUTH_URL", "Keystone's URL"),
    (
        "os-auth-type",
        "OS_AUTH_TYPE",
        "password, token, v3applicationcredential, v3totp, ...",
    ),
    ("os-username", "OS_USERNAME", "The user's name"),
    ("os-user-id", "OS_USER_ID", "The user's id"),
    (
        "os-user-domain-name",
        "OS_USER_DOMAIN_NAME",
        "The user's domain, by name",
    ),
    (
        "os-user-domain-id",
        "OS_USER_DOMAIN_ID",
        "The user's domain, by id",
    ),
    (
        "os-project-name",
        "OS_PROJECT_NAME",
        "The project to scope to, by name",
    ),
    (
        "os-project-id",
        "OS_PROJECT_ID",
        "The project to scope to, by id",
    ),
    (
        "os-project-domain-name",
        "OS_PROJECT_DOMAIN_NAME",
        "The project's domain, by name",
    ),
    (
        "os-project-domain-id",
        "OS_PROJECT_DOMAIN_ID",
        "The project's domain, by id",
    ),
    (
        "os-domain-name",
        "OS_DOMAIN_NAME",
        "The domain to scope to, by name",
    ),
    (
        "os-domain-id",
        "OS_DOMAIN_ID",
        "The domain to scope to, by id",
    ),
    (
        "os-system-scope",
        "OS_SYSTEM_SCOPE",
        "Scope to the system (all)",
    ),
    (
        "os-region-name",
        "OS_REGION_NAME",
        "The region of the catalog",
    ),
    ("os-interface", "OS_INTERFACE", "public, internal or admin"),
    ("os-cacert", "OS_CACERT", "A PEM file of CAs to trust"),
    (
        "os-application-credential-id",
        "OS_APPLICATION_CREDENTIAL_ID",
        "An application credential's id",
    ),
    (
        "os-endpoint",
        "OS_ENDPOINT",
        "A service endpoint, to use with a token and no Keystone",
    ),
];

/// The OpenStack CLI's options (secrets by file or prompt), and how to connect, at the top of
/// the help.
pub fn openstack_args(mut command: Command) -> Command {
    command = command.before_help(
        "Connect: --os-cloud NAME (or OS_CLOUD) takes a cloud of clouds.yaml; or set OS_AUTH_URL, \
         OS_USERNAME, OS_PASSWORD and OS_PROJECT_NAME (or the --os-* options, --os-password-file, \
         --os-ask-password). The user's and the project's domain default to default \
         (OS_DEFAULT_DOMAIN), as the OpenStack CLI sets them.",
    );
    for (name, variable, help) in OS_OPTIONS {
        command = command.arg(
            Arg::new(*name)
                .long(*name)
                .global(true)
                .help(format!("{help} ({variable})")),
        );
    }
    command
        .arg(file_arg("os-password-file", "A file holding the password (or OS_PASSWORD)"))
        .arg(
            Arg::new("os-ask-password")
                .long("os-ask-password")
                .action(ArgAction::SetTrue)
                .global(true)
                .help("Prompt for the password"),
        )
        .arg(file_arg("os-token-file", "A file holding a token (or OS_TOKEN)"))
        .arg(file_arg(
            "os-application-credential-secret-file",
            "A file holding the application credential's secret (or OS_APPLICATION_CREDENTIAL_SECRET)",
        ))
}

/// A cloud; `--url` is the endpoint of `service` (Keystone's URL for `identity`). Its token,
/// when new, is saved for the next command by the connection of [`cloud_connection`].
pub async fn cloud(
    overrides: &Overrides,
    matches: &ArgMatches,
    service: &str,
) -> anyhow::Result<Cloud> {
    Ok(shared_cloud(overrides, matches, service, false)
        .await?
        .client)
}

/// A cloud, as [`cloud`], starting from its saved Keystone token when it has a good one, and
/// keeping the token it has at the end of the command.
pub async fn cloud_connection(
    overrides: &Overrides,
    matches: &ArgMatches,
    service: &str,
) -> anyhow::Result<Connection<Cloud>> {
    shared_cloud(overrides, matches, service, true).await
}

/// The process's cloud for `service`: one process logs in once per service, so a command that
/// looks names up first, or runs once per ID, reuses the login (the options are the same for
/// the whole process). The session's keeper goes to the first connection that asks for it.
async fn shared_cloud(
    overrides: &Overrides,
    matches: &ArgMatches,
    service: &str,
    keeper: bool,
) -> anyhow::Result<Connection<Cloud>> {
    type Shared = BTreeMap<String, (Cloud, Option<Keeper>)>;
    static CLOUDS: std::sync::OnceLock<tokio::sync::Mutex<Shared>> = std::sync::OnceLock::new();
    let mut clouds = CLOUDS.get_or_init(Default::default).lock().await;
    let (cloud, kept) = match clouds.remove(service) {
        Some(shared) => shared,
        None => {
            let connection = login(overrides, matches, service).await?;
            (connection.client, connection.keeper)
        }
    };
    let (given, kept) = if keeper { (kept, None) } else { (None, kept) };
    clouds.insert(service.to_string(), (cloud.clone(), kept));
    Ok(Connection {
        client: cloud,
        keeper: given,
    })
}

/// A new login to the cloud the options and the environment describe, from its saved token
/// when it has a good one.
async fn login(
    overrides: &Overrides,
    matches: &ArgMatches,
    service: &str,
) -> anyhow::Result<Connection<Cloud>> {
    let mut overlay = Overlay::checked("OS_")?;
    for (name, variable, _) in OS_OPTIONS {
        overlay.set(variable, text(matches, name));
    }
    overlay.secret(
        matches,
        "OS_PASSWORD",
        "os-password-file",
        Some(("os-ask-password", "OpenStack password")),
    )?;
    overlay.secret(matches, "OS_TOKEN", "os-token-file", None)?;
    overlay.secret(
        matches,
        "OS_APPLICATION_CREDENTIAL_SECRET",
        "os-application-credential-secret-file",
        None,
    )?;
    if service == "identity" {
        overlay.set("OS_AUTH_URL", overrides.url.clone());
    }
    let mut builder = Cloud::builder().env_from(overlay.lookup())?;
    if let (Some(url), false) = (&overrides.url, service == "identity") {
        builder = builder.endpoint(service, url);
    }
    let mut builder = overrides.apply(builder)?;
    let cloud_name = overlay.lookup()("OS_CLOUD");
    let Some(cache) = TokenCache::for_cloud(cloud_name.as_deref(), &builder) else {
        return Ok(Connection::plain(builder.authenticate().await?));
    };
    let saved = cache.load(opsclient::openstack::config::DEFAULT_REFRESH_THRESHOLD);
    let resumed = saved.as_ref().map(|(token, _)| token.clone());
    if let Some((token, catalog)) = saved {
        builder = builder.resume(token, catalog);
    }
    let cloud = builder.authenticate().await?;
    let keeper = crate::openstack_session::Keeper::new(cache, cloud, resumed.as_ref()).await;
    Ok(Connection {
        client: keeper.cloud().clone(),
        keeper: Some(Keeper::OpenStack(keeper)),
    })
}

/// An OpenStack API's client, made from a cloud's session and catalog. Each API the table
/// declares as `Connect::OpenStack` implements it (the generated dispatch calls it).
pub trait FromCloud: Sized {
    /// The client of this API in `cloud`.
    async fn from_cloud(cloud: &Cloud) -> anyhow::Result<Self>;
}

impl FromCloud for opsclient::openstack::keystone::Client {
    async fn from_cloud(cloud: &Cloud) -> anyhow::Result<Self> {
        cloud
            .keystone()
            .cloned()
            .ok_or_else(|| anyhow::anyhow!("a cloud in direct mode has no Keystone"))
    }
}

impl FromCloud for opsclient::watcher::Client {
    async fn from_cloud(cloud: &Cloud) -> anyhow::Result<Self> {
        Ok(Self::from_cloud(cloud).await?)
    }
}

impl FromCloud for opsclient::monasca::Client {
    async fn from_cloud(cloud: &Cloud) -> anyhow::Result<Self> {
        Ok(Self::from_cloud(cloud).await?)
    }
}

/// saltant-py's options, and how to connect, at the top of the help.
pub fn saltant_args(command: Command) -> Command {
    command
        .before_help(
            "Connect: SALTANT_API_URL and SALTANT_AUTH_TOKEN (or --token-file), as saltant-py's \
             from_env reads them.",
        )
        .arg(file_arg(
            "token-file",
            "A file holding the API token (or SALTANT_AUTH_TOKEN)",
        ))
}

/// A saltant client from `SALTANT_*` and the options, as saltant-py's `from_env`.
pub async fn saltant(
    overrides: &Overrides,
    matches: &ArgMatches,
) -> anyhow::Result<Connection<opsclient::saltant::Client>> {
    let mut overlay = Overlay::checked("SALTANT_")?;
    overlay.secret(matches, "SALTANT_AUTH_TOKEN", "token-file", None)?;
    let mut builder = opsclient::saltant::Client::builder();
    if let Some(url) = &overrides.url {
        builder = builder.url(url);
    }
    let builder = overrides.apply(builder.env_from(overlay.lookup())?)?;
    Ok(Connection::plain(builder.build()?))
}
