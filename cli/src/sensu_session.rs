//! Sessions that outlive a command, as sensuctl's do. `opsclient sensu configure` logs in once
//! and keeps the server, user, namespace and output format as a profile, with the session's
//! tokens beside it; later commands reuse the tokens, renew them when due and save the renewed
//! ones; `opsclient sensu logout` ends the session on the server and deletes the tokens.
//!
//! A profile is the directory `sensu/<name>/` of the tool's configuration directory (see
//! [`crate::private_files`]): `profile.json` (URL, user, namespace, format) and `session.json`
//! (the tokens, tied to the URL and user they were issued for). The password is never stored.
//! Tokens go only to the server that issued them: when the options or environment name another
//! server, user or an API key, the profile's session is neither used nor overwritten.
//!
//! Sensu accepts each refresh token once, and a reused one ends the session. So a due token is
//! renewed before the command runs, under the profile's lock, after reading the file again: of
//! several commands started together, one refreshes and the others use what it saved.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Arg, ArgAction, ArgMatches, Command, ValueEnum};
use opsclient::auth::Token;
use opsclient::sensu::{ClientInfo, SensuClientBuilder};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::connect::Overrides;
use crate::output::Format;
use crate::private_files::{config_error, is_plain_name, PrivateDir, NAME_LIMIT};

/// The option that picks a profile.
pub const PROFILE_OPTION: &str = "profile";
/// The variable that picks a profile when the option is not given.
pub const PROFILE_VARIABLE: &str = "OPSCLIENT_PROFILE";
/// The profile used unless one is picked.
pub const DEFAULT_PROFILE: &str = "default";
/// sensuctl's default server.
const DEFAULT_URL: &str = "http://localhost:8080";
const SETTINGS_FILE: &str = "profile.json";
const SESSION_FILE: &str = "session.json";

/// What `configure` keeps of a profile: no secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SettingsFile {
    url: String,
    username: String,
    namespace: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format: Option<String>,
}

/// A profile's settings, checked.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The server's URL, as the client spells it.
    pub url: String,
    /// The user the session belongs to.
    pub username: String,
    /// The namespace commands work in unless told otherwise.
    pub namespace: String,
    /// The output format unless `-o` says otherwise.
    pub format: Option<Format>,
}

/// `session.json`. Not `Debug`: it holds the tokens.
#[derive(Deserialize)]
struct SessionFile {
    url: String,
    username: String,
    access_token: String,
    refresh_token: String,
    expires_at: u64,
}

/// A profile's saved session: its tokens, and the server and user they were issued for.
#[derive(Debug, Clone)]
pub struct SavedSession {
    url: String,
    username: String,
    token: Token,
}

impl SavedSession {
    /// Whether the session was issued by `url` to `username`.
    fn belongs_to(&self, url: &str, username: &str) -> bool {
        self.url == url && self.username == username
    }
}

/// A profile: its name and its directory (none without a configuration directory: then there
/// is no profile to read, and `configure` says why it cannot write one).
#[derive(Debug, Clone)]
pub struct Profile {
    name: String,
    dir: Option<PrivateDir>,
}

/// A profile name: letters, digits, `_`, `.` and `-`, not starting with `.` or `-`.
fn check_name(name: &str) -> anyhow::Result<()> {
    if is_plain_name(name) {
        Ok(())
    } else {
        Err(config_error(format!(
            "profile name {name:?} is not allowed: up to {NAME_LIMIT} letters, digits, `_`, `.` \
             and `-`, not starting with `.` or `-`"
        )))
    }
}

/// The error for a file that does not decode: where it broke, never its text (it may hold
/// tokens, and serde quotes values).
fn undecodable(path: PathBuf, what: &str, e: &serde_json::Error) -> anyhow::Error {
    config_error(format!(
        "{} is not a valid {what} ({:?} error at line {} column {}): run `opsclient sensu \
         configure` to write it again",
        path.display(),
        e.classify(),
        e.line(),
        e.column()
    ))
}

impl Profile {
    /// The profile `--profile` or `OPSCLIENT_PROFILE` picks, else `default`.
    pub fn selected(matches: &ArgMatches) -> anyhow::Result<Profile> {
        let name = matches
            .get_one::<String>(PROFILE_OPTION)
            .map_or(DEFAULT_PROFILE, String::as_str);
        check_name(name)?;
        Ok(Profile {
            name: name.to_string(),
            dir: PrivateDir::under_config(&["sensu", name]).ok(),
        })
    }

    /// The profile's directory, to write in or lock.
    fn dir(&self) -> anyhow::Result<&PrivateDir> {
        match &self.dir {
            Some(dir) => Ok(dir),
            // The reason there is none.
            None => Err(crate::private_files::config_dir()
                .err()
                .unwrap_or_else(|| config_error("the tool has no configuration directory".into()))),
        }
    }

    /// The profile's settings, if `configure` wrote them.
    pub fn settings(&self) -> anyhow::Result<Option<Settings>> {
        let Some(dir) = &self.dir else {
            return Ok(None);
        };
        let Some(text) = dir.read(SETTINGS_FILE)? else {
            return Ok(None);
        };
        let path = || dir.file(SETTINGS_FILE);
        let file: SettingsFile =
            serde_json::from_str(&text).map_err(|e| undecodable(path(), "profile", &e))?;
        let format = match &file.format {
            None => None,
            Some(name) => Some(Format::from_str(name, false).map_err(|_| {
                config_error(format!(
                    "{}: format {name:?} is not json, yaml, table or value",
                    path().display()
                ))
            })?),
        };
        Ok(Some(Settings {
            url: file.url,
            username: file.username,
            namespace: file.namespace,
            format,
        }))
    }

    fn save_settings(&self, settings: &Settings) -> anyhow::Result<()> {
        let file = SettingsFile {
            url: settings.url.clone(),
            username: settings.username.clone(),
            namespace: settings.namespace.clone(),
            format: settings
                .format
                .and_then(|f| f.to_possible_value())
                .map(|v| v.get_name().to_string()),
        };
        let mut text = serde_json::to_vec_pretty(&file)?;
        text.push(b'\n');
        self.dir()?.write(SETTINGS_FILE, &text)
    }

    /// The saved session, if there is one.
    fn session(&self) -> anyhow::Result<Option<SavedSession>> {
        let Some(dir) = &self.dir else {
            return Ok(None);
        };
        let Some(text) = dir.read(SESSION_FILE)? else {
            return Ok(None);
        };
        let path = || dir.file(SESSION_FILE);
        let file: SessionFile =
            serde_json::from_str(&text).map_err(|e| undecodable(path(), "saved session", &e))?;
        let expires_at = UNIX_EPOCH.checked_add(Duration::from_secs(file.expires_at));
        let (Some(expires_at), false, false) = (
            expires_at,
            file.access_token.is_empty(),
            file.refresh_token.is_empty(),
        ) else {
            return Err(config_error(format!(
                "{} is not a valid saved session (an empty token or an impossible expiry): run \
                 `opsclient sensu configure` to log in again",
                path().display()
            )));
        };
        Ok(Some(SavedSession {
            url: file.url,
            username: file.username,
            token: Token::new(file.access_token)
                .with_refresh(file.refresh_token)
                .expiring_at(expires_at),
        }))
    }

    /// Saves `token` as the session of `username` at `url`.
    fn save_session(&self, url: &str, username: &str, token: &Token) -> anyhow::Result<()> {
        let expires_at = token
            .expires_at()
            .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_secs());
        let file = serde_json::json!({
            "url": url,
            "username": username,
            "access_token": token.expose_access(),
            "refresh_token": token.refresh().map(ExposeSecret::expose_secret).unwrap_or_default(),
            "expires_at": expires_at,
        });
        let mut text = serde_json::to_vec_pretty(&file)?;
        text.push(b'\n');
        self.dir()?.write(SESSION_FILE, &text)
    }

    fn delete_session(&self) -> anyhow::Result<bool> {
        match &self.dir {
            Some(dir) => dir.remove(SESSION_FILE),
            None => Ok(false),
        }
    }

    /// Saves the session's `token`, or deletes the saved one when the session has ended
    /// (`None`); a failure is a warning, as the command itself has run.
    fn keep(&self, url: &str, username: &str, token: Option<&Token>) {
        let kept = match token {
            Some(token) => self.save_session(url, username, token),
            None => self.delete_session().map(drop),
        };
        if let Err(e) = kept {
            warn_unsaved(self, &e);
        }
    }

    /// What to run to log in to this profile.
    fn configure_hint(&self) -> String {
        if self.name == DEFAULT_PROFILE {
            "opsclient sensu configure".into()
        } else {
            format!("opsclient sensu --profile {} configure", self.name)
        }
    }
}

fn warn_unsaved(profile: &Profile, error: &anyhow::Error) {
    eprintln!(
        "warning: the Sensu session of profile `{}` could not be saved ({error:#}); the next \
         command may have to log in again",
        profile.name
    );
}

/// Whether `token` is due for renewal: it expires within the library's refresh threshold.
fn due(token: &Token) -> bool {
    let threshold = opsclient::sensu::DEFAULT_REFRESH_THRESHOLD;
    token.expires_at().is_some_and(|at| {
        SystemTime::now()
            .checked_add(threshold)
            .is_none_or(|t| t >= at)
    })
}

/// Who the options and environment log in as, besides a profile.
#[derive(Debug)]
pub struct Login {
    /// `SENSU_USERNAME` or `--sensu-username`.
    pub username: Option<String>,
    /// Whether a password is given too, so the client can log in on its own.
    pub can_login: bool,
    /// Whether an API key is given (it wins over any session).
    pub api_key: bool,
}

/// What is done with a profile's session once the command has run.
pub struct Keeper {
    profile: Profile,
    client: opsclient::sensu::Client,
    url: String,
    username: String,
    /// The access token the command started with, to tell whether it was renewed.
    started_with: Option<SecretString>,
    can_login: bool,
}

/// The profile's settings for the command line, unless the command is one that writes them
/// (`configure`, which must be able to replace broken ones) or needs none.
pub fn settings_for(matches: &ArgMatches) -> anyhow::Result<Option<Settings>> {
    let Some(("sensu", api)) = matches.subcommand() else {
        return Ok(None);
    };
    if matches!(
        api.subcommand_name(),
        Some("configure" | "logout" | "sandbox") | None
    ) {
        return Ok(None);
    }
    Profile::selected(api)?.settings()
}

/// A client of the profile's server that resumes its saved session, renewing it first when it
/// is due, when the server and user are the profile's; otherwise the client `builder` makes.
pub async fn connect(
    builder: SensuClientBuilder,
    profile: Profile,
    settings: Option<Settings>,
    login: Login,
) -> anyhow::Result<crate::connect::Connection<opsclient::sensu::Client>> {
    use crate::connect::Connection;
    let plain = builder.clone().build()?;
    let url = plain.baseurl().to_string();
    let Some(settings) = settings.filter(|s| {
        !login.api_key && s.url == url && login.username.as_deref().is_none_or(|u| u == s.username)
    }) else {
        return Ok(Connection::plain(plain));
    };
    let username = settings.username;
    let mine = |saved: &SavedSession| saved.belongs_to(&url, &username);
    let client = match profile.session()?.filter(mine) {
        None => plain,
        Some(saved) if !due(&saved.token) => builder.resume(saved.token).build()?,
        Some(_) => {
            let _lock = profile.dir()?.lock()?;
            // Another command may have renewed it while this one waited.
            match profile.session()?.filter(mine) {
                None => plain,
                Some(saved) if !due(&saved.token) => builder.resume(saved.token).build()?,
                Some(saved) => {
                    let client = builder.resume(saved.token).build()?;
                    let renewed = client.refresh_token().await;
                    profile.keep(&url, &username, client.token().await.as_ref());
                    if let Err(e) = renewed {
                        return Err(ended(&profile, e, login.can_login));
                    }
                    client
                }
            }
        }
    };
    let started_with = client.token().await.map(|t| t.access().clone());
    Ok(Connection::keeping(Keeper {
        profile,
        client,
        url,
        username,
        started_with,
        can_login: login.can_login,
    }))
}

/// The error of a saved session the server no longer renews.
fn ended(profile: &Profile, error: opsclient::Error, can_login: bool) -> anyhow::Error {
    let refused = matches!(
        error,
        opsclient::Error::Unauthorized(_)
            | opsclient::Error::InvalidInput(_)
            | opsclient::Error::LoggedOut
    );
    if refused && !can_login {
        anyhow::Error::from(error).context(format!(
            "the saved Sensu session of profile `{}` has ended: run `{}` to log in again",
            profile.name,
            profile.configure_hint()
        ))
    } else {
        error.into()
    }
}

impl Keeper {
    /// The client whose session is kept.
    pub fn client(&self) -> &opsclient::sensu::Client {
        &self.client
    }

    /// The user the session belongs to.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Saves a renewed token, deletes one the server ended, and says how to log in when the
    /// command failed for want of a session.
    pub async fn finish(self, result: anyhow::Result<()>) -> anyhow::Result<()> {
        let now = self.client.token().await;
        let renewed = match (&now, &self.started_with) {
            (Some(token), Some(old)) => token.expose_access() != old.expose_secret(),
            (Some(_), None) => true,
            (None, _) => false,
        };
        let ended = now.is_none() && self.started_with.is_some();
        if renewed || ended {
            match self.profile.dir().and_then(PrivateDir::lock) {
                Ok(_lock) => self.profile.keep(&self.url, &self.username, now.as_ref()),
                Err(e) => warn_unsaved(&self.profile, &e),
            }
        }
        result.map_err(|e| self.explain(e))
    }

    /// Adds to a refusal how to log in, when there was no session to use.
    fn explain(&self, error: anyhow::Error) -> anyhow::Error {
        let refused = matches!(
            error.downcast_ref::<opsclient::Error>(),
            Some(opsclient::Error::Unauthorized(_) | opsclient::Error::LoggedOut)
        );
        if !refused || self.can_login {
            return error;
        }
        let hint = format!(
            "run `{}`, or set SENSU_USERNAME and SENSU_PASSWORD",
            self.profile.configure_hint()
        );
        if self.started_with.is_some() {
            error.context(format!(
                "the saved Sensu session of profile `{}` has ended: {hint}",
                self.profile.name
            ))
        } else {
            error.context(format!(
                "not logged in to {} (profile `{}`): {hint}",
                self.url, self.profile.name
            ))
        }
    }
}

/// `--profile`, for every Sensu command.
pub fn profile_arg() -> Arg {
    Arg::new(PROFILE_OPTION)
        .long(PROFILE_OPTION)
        .global(true)
        .env(PROFILE_VARIABLE)
        .default_value(DEFAULT_PROFILE)
        .help("The profile whose server, user, namespace, format and session to use (see `sensu configure`)")
}

/// `opsclient sensu configure`.
pub fn configure_command() -> Command {
    let text = |name: &'static str, help: &'static str| Arg::new(name).long(name).help(help);
    Command::new("configure")
        .about(
            "Logs in and saves the server, user, namespace, output format and session as a \
             profile, as sensuctl configure does (the password is asked for, never saved)",
        )
        .arg(text("url", "The server's URL (default: SENSU_API_URL, the profile's, or http://localhost:8080)"))
        .arg(text("username", "The user to log in as (default: SENSU_USERNAME or the profile's)"))
        .arg(text("namespace", "The namespace commands work in (default: SENSU_NAMESPACE, the profile's, or default)"))
        .arg(
            Arg::new("format")
                .long("format")
                .value_parser(clap::value_parser!(Format))
                .help("The output format of later commands: json, yaml, table or value"),
        )
        .arg(
            Arg::new("non-interactive")
                .short('n')
                .long("non-interactive")
                .action(ArgAction::SetTrue)
                .help("Ask nothing: take the options, the environment and the profile's values (the password from SENSU_PASSWORD or --password-file)"),
        )
}

/// `opsclient sensu logout`.
pub fn logout_command() -> Command {
    Command::new("logout")
        .about("Ends the profile's session on the server and deletes its saved tokens")
}

/// A value from `option`, else asked for on the terminal (unless `interactive` is off) with
/// `default` offered, else `default`.
fn value(
    matches: &ArgMatches,
    option: &str,
    question: &str,
    default: Option<String>,
    interactive: bool,
) -> anyhow::Result<Option<String>> {
    if let Some(given) = matches.get_one::<String>(option) {
        return Ok(Some(given.clone()));
    }
    if interactive {
        return crate::input::ask(question, default.as_deref()).map(Some);
    }
    Ok(default)
}

/// `opsclient sensu configure`: asks what the options do not give, logs in, and saves the
/// profile and its session.
pub async fn configure(
    overrides: &Overrides,
    api: &ArgMatches,
    matches: &ArgMatches,
) -> anyhow::Result<()> {
    let profile = Profile::selected(api)?;
    // A broken profile is what configure repairs: its values are then not offered.
    let old = profile.settings().ok().flatten();
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let interactive = !matches.get_flag("non-interactive");
    let url = match overrides.url.clone() {
        Some(url) => url,
        None => value(
            matches,
            "url",
            "Sensu API URL",
            env("SENSU_API_URL")
                .or_else(|| old.as_ref().map(|s| s.url.clone()))
                .or_else(|| Some(DEFAULT_URL.into())),
            interactive,
        )?
        .unwrap_or_else(|| DEFAULT_URL.into()),
    };
    let username = value(
        matches,
        "username",
        "Username",
        api.get_one::<String>("sensu-username")
            .cloned()
            .or_else(|| env("SENSU_USERNAME"))
            .or_else(|| old.as_ref().map(|s| s.username.clone())),
        interactive,
    )?
    .ok_or_else(|| {
        config_error("no username: give --username, --sensu-username or SENSU_USERNAME".into())
    })?;
    let password = crate::connect::sensu_password(api, interactive)?;
    let namespace = value(
        matches,
        "namespace",
        "Namespace",
        env("SENSU_NAMESPACE")
            .or_else(|| old.as_ref().map(|s| s.namespace.clone()))
            .or_else(|| Some(opsclient::sensu::DEFAULT_NAMESPACE.into())),
        interactive,
    )?
    .unwrap_or_else(|| opsclient::sensu::DEFAULT_NAMESPACE.into());
    let format = match matches.get_one::<Format>("format") {
        Some(format) => Some(*format),
        None if interactive => {
            let default = old
                .as_ref()
                .and_then(|s| s.format)
                .unwrap_or(Format::Table)
                .to_possible_value()
                .map(|v| v.get_name().to_string());
            let answer = crate::input::ask(
                "Output format (json, yaml, table, value)",
                default.as_deref(),
            )?;
            Some(Format::from_str(&answer, true).map_err(|_| {
                crate::exit::Usage(format!(
                    "{answer:?} is not an output format: json, yaml, table or value"
                ))
            })?)
        }
        None => old.as_ref().and_then(|s| s.format),
    };

    let client = crate::connect::sensu_connection(&url, overrides)?
        .namespace(&namespace)
        .build()?;
    client
        .login(&username, password.expose_secret())
        .await
        .map_err(|e| {
            anyhow::Error::from(e).context(format!("cannot log in to {url} as {username}"))
        })?;
    let token = client
        .token()
        .await
        .ok_or_else(|| anyhow::anyhow!("the login gave no token"))?;
    let settings = Settings {
        url: client.baseurl().to_string(),
        username,
        namespace,
        format,
    };
    let _lock = profile.dir()?.lock()?;
    profile.save_settings(&settings)?;
    profile.save_session(&settings.url, &settings.username, &token)?;
    eprintln!(
        "Logged in to {} as {}; profile `{}` saved in {}",
        settings.url,
        settings.username,
        profile.name,
        profile.dir()?.path().display()
    );
    Ok(())
}

/// `opsclient sensu logout`: ends the saved session on its server and deletes its tokens. The
/// tokens are deleted even when the server cannot be told; that failure is then the error.
pub async fn logout(overrides: &Overrides, api: &ArgMatches) -> anyhow::Result<()> {
    let profile = Profile::selected(api)?;
    let _lock = profile.dir()?.lock()?;
    let saved = match profile.session() {
        Ok(Some(saved)) => saved,
        Ok(None) => {
            eprintln!("Not logged in (profile `{}`)", profile.name);
            return Ok(());
        }
        Err(e) => {
            // Unreadable tokens cannot end anything on the server: they are only deleted.
            profile.delete_session()?;
            eprintln!("warning: {e:#}");
            eprintln!(
                "The saved session of profile `{}` was deleted",
                profile.name
            );
            return Ok(());
        }
    };
    let client = crate::connect::sensu_connection(&saved.url, overrides)?
        .resume(saved.token)
        .build()?;
    let ended = client.logout().await;
    profile.delete_session()?;
    match ended {
        Ok(()) => {}
        // The server had ended the session already.
        Err(opsclient::Error::Unauthorized(_) | opsclient::Error::InvalidInput(_)) => {}
        Err(e) => {
            return Err(anyhow::Error::from(e).context(format!(
                "the saved tokens were deleted, but the session on {} could not be ended",
                saved.url
            )))
        }
    }
    eprintln!("Logged out of {} (profile `{}`)", saved.url, profile.name);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_plain_directory_names() {
        for good in ["default", "prod", "eu-west_1", "a.b", "0"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        let long = "x".repeat(NAME_LIMIT + 1);
        for bad in [
            "", ".", "..", "../x", "a/b", ".hidden", "-x", "a b", "é", &long,
        ] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_token_is_due_within_the_refresh_threshold_of_its_expiry() {
        let expiring =
            |secs: u64| Token::new("t").expiring_at(SystemTime::now() + Duration::from_secs(secs));
        assert!(!due(&expiring(3600)));
        assert!(due(&expiring(30)));
        assert!(due(&Token::new("t").expiring_at(UNIX_EPOCH)));
        assert!(!due(&Token::new("t")), "no expiry: never due");
    }
}
