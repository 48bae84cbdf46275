//! Clients from each ecosystem's configuration: sensuctl's `SENSU_*`, the OpenStack CLI's
//! `--os-cloud`, `clouds.yaml`, `OS_*` and `--os-*` options, saltant-py's `SALTANT_*`. `--url`,
//! `--insecure` and `--timeout` override all of them. Secrets come from the environment, a file
//! (`--password-file`, ...) or a prompt (`--ask-password`), never from an argument.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command};
use opsclient::openstack::Cloud;

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

/// sensuctl's options.
pub fn sensu_args(command: Command) -> Command {
    command
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
}

/// A Sensu client from `SENSU_*` and the options, as sensuctl configures itself.
pub fn sensu(
    overrides: &Overrides,
    matches: &ArgMatches,
) -> anyhow::Result<opsclient::sensu::Client> {
    let mut overlay = Overlay::checked("SENSU_")?;
    overlay.set("SENSU_USERNAME", text(matches, "sensu-username"));
    overlay.secret(
        matches,
        "SENSU_PASSWORD",
        "password-file",
        Some(("ask-password", "Sensu password")),
    )?;
    overlay.secret(matches, "SENSU_API_KEY", "api-key-file", None)?;
    let mut builder = opsclient::sensu::Client::builder();
    if let Some(url) = &overrides.url {
        builder = builder.url(url);
    }
    let mut builder = builder.env_from(overlay.lookup())?;
    if let Some(url) = &overrides.url {
        builder = builder.url(url);
    }
    if overrides.insecure {
        builder = builder.ignore_cert(true);
    }
    if let Some(timeout) = overrides.timeout {
        builder = builder.timeout(timeout);
    }
    Ok(builder.build()?)
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

/// The OpenStack CLI's options; secrets by file or prompt.
pub fn openstack_args(mut command: Command) -> Command {
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

/// A cloud; `--url` is the endpoint of `service` (Keystone's URL for `identity`).
pub async fn cloud(
    overrides: &Overrides,
    matches: &ArgMatches,
    service: &str,
) -> anyhow::Result<Cloud> {
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
    if overrides.insecure {
        builder = builder.ignore_cert(true);
    }
    if let Some(timeout) = overrides.timeout {
        builder = builder.timeout(timeout);
    }
    Ok(builder.authenticate().await?)
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

/// saltant-py's options.
pub fn saltant_args(command: Command) -> Command {
    command.arg(file_arg(
        "token-file",
        "A file holding the API token (or SALTANT_AUTH_TOKEN)",
    ))
}

/// A saltant client from `SALTANT_*` and the options, as saltant-py's `from_env`.
pub fn saltant(
    overrides: &Overrides,
    matches: &ArgMatches,
) -> anyhow::Result<opsclient::saltant::Client> {
    let mut overlay = Overlay::checked("SALTANT_")?;
    overlay.secret(matches, "SALTANT_AUTH_TOKEN", "token-file", None)?;
    let mut builder = opsclient::saltant::Client::builder();
    if let Some(url) = &overrides.url {
        builder = builder.url(url);
    }
    let mut builder = builder.env_from(overlay.lookup())?;
    if overrides.insecure {
        builder = builder.ignore_cert(true);
    }
    if let Some(timeout) = overrides.timeout {
        builder = builder.timeout(timeout);
    }
    Ok(builder.build()?)
}
