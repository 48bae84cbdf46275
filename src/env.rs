//! Reading settings from environment variables, with errors that name the variable.

use std::env::VarError;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::ConfigError;

/// Reads one variable: its value, `None` when it is not set, or the error that says why it
/// cannot be used.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Result<Option<String>, ConfigError>;

/// The process's environment. A value that is not UTF-8 is set, and unusable: an error that
/// names the variable, never "not set".
pub(crate) fn process(name: &str) -> Result<Option<String>, ConfigError> {
    read(name, std::env::var(name))
}

/// A lookup of the builders' public `env_from` (which cannot fail), as a [`Lookup`].
pub(crate) fn infallible(
    lookup: impl Fn(&str) -> Option<String>,
) -> impl Fn(&str) -> Result<Option<String>, ConfigError> {
    move |name| Ok(lookup(name))
}

/// What `std::env::var` answered for `name`, as a lookup answers.
fn read(name: &str, value: Result<String, VarError>) -> Result<Option<String>, ConfigError> {
    match value {
        Ok(value) => Ok(Some(value)),
        Err(VarError::NotPresent) => Ok(None),
        // The value is not repeated: it may be a secret.
        Err(VarError::NotUnicode(_)) => Err(ConfigError::InvalidVariable {
            name: name.into(),
            reason: "it is set, but its value is not valid UTF-8".into(),
        }),
    }
}

/// Where variables come from: the process environment, or a map in tests.
pub(crate) struct Vars<'a> {
    lookup: Lookup<'a>,
}

impl<'a> Vars<'a> {
    pub(crate) fn new(lookup: Lookup<'a>) -> Self {
        Vars { lookup }
    }

    /// The value, if set and not empty.
    pub(crate) fn get(&self, name: &str) -> Result<Option<String>, ConfigError> {
        Ok((self.lookup)(name)?.filter(|v| !v.is_empty()))
    }

    pub(crate) fn require(&self, name: &str) -> Result<String, ConfigError> {
        self.get(name)?
            .ok_or_else(|| ConfigError::MissingVariable { name: name.into() })
    }

    /// A flag; see [`parse_flag`].
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // sensuctl's variables
    pub(crate) fn flag(&self, name: &str) -> Result<Option<bool>, ConfigError> {
        let Some(value) = self.get(name)? else {
            return Ok(None);
        };
        parse_flag(&value)
            .map(Some)
            .ok_or_else(|| invalid(name, format!("{value:?} is not true or false")))
    }

    /// Seconds as a bare number, or a duration such as `15s`, `1m30s` or `500ms`.
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // sensuctl's variables
    pub(crate) fn duration(&self, name: &str) -> Result<Option<Duration>, ConfigError> {
        let Some(value) = self.get(name)? else {
            return Ok(None);
        };
        parse_duration(&value).map(Some).ok_or_else(|| {
            invalid(
                name,
                format!("{value:?} is not a duration such as 15s or 1m30s"),
            )
        })
    }

    /// A path to a file that exists.
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // sensuctl's variables
    pub(crate) fn file(&self, name: &str) -> Result<Option<PathBuf>, ConfigError> {
        let Some(value) = self.get(name)? else {
            return Ok(None);
        };
        let path = PathBuf::from(&value);
        if path.is_file() {
            Ok(Some(path))
        } else {
            Err(invalid(name, format!("{value} is not a readable file")))
        }
    }
}

#[cfg_attr(not(feature = "sensu"), allow(dead_code))]
fn invalid(name: &str, reason: String) -> ConfigError {
    ConfigError::InvalidVariable {
        name: name.into(),
        reason,
    }
}

/// `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, in any case.
#[cfg_attr(not(any(feature = "sensu", feature = "openstack")), allow(dead_code))]
pub(crate) fn parse_flag(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Parses bare seconds or Go-style durations (`1h2m3s`, `1.5s`, `300ms`).
#[cfg_attr(not(feature = "sensu"), allow(dead_code))]
pub(crate) fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let mut total = 0f64;
    let mut rest = text;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 1e-3,
            "us" | "µs" => 1e-6,
            "ns" => 1e-9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * scale;
    }
    if text.is_empty() {
        return None;
    }
    // A duration too long for `Duration` is not a duration (and must not panic).
    Duration::try_from_secs_f64(total).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_go_and_plain_forms() {
        assert_eq!(parse_duration("99999999999999999999999h"), None);
        assert_eq!(parse_duration("1e400s"), None);
        assert_eq!(parse_duration("15"), Some(Duration::from_secs(15)));
        assert_eq!(parse_duration("15s"), Some(Duration::from_secs(15)));
        assert_eq!(parse_duration("1m30s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("1.5h"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Some(Duration::from_millis(250)));
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("10 s"), None);
        assert_eq!(parse_duration("-5s"), None);
    }

    #[test]
    fn a_value_that_is_not_utf8_is_named_as_set_and_unusable() {
        use std::os::unix::ffi::OsStrExt;
        // "http://hü" in Latin-1: the byte 0xfc alone is not UTF-8.
        let latin1 = || std::ffi::OsStr::from_bytes(b"http://h\xfc").to_os_string();
        let error = read("SENSU_API_URL", Err(VarError::NotUnicode(latin1()))).unwrap_err();
        assert_eq!(
            error,
            ConfigError::InvalidVariable {
                name: "SENSU_API_URL".into(),
                reason: "it is set, but its value is not valid UTF-8".into()
            }
        );
        assert_eq!(read("X", Err(VarError::NotPresent)), Ok(None));
        assert_eq!(read("X", Ok("v".into())), Ok(Some("v".into())));
        // Through `Vars`, every kind of read reports it, not "not set".
        let lookup = |name: &str| read(name, Err(VarError::NotUnicode(latin1())));
        let vars = Vars::new(&lookup);
        for error in [
            vars.get("V").map(drop).unwrap_err(),
            vars.require("V").map(drop).unwrap_err(),
            vars.flag("V").map(drop).unwrap_err(),
            vars.duration("V").map(drop).unwrap_err(),
        ] {
            assert!(
                matches!(&error, ConfigError::InvalidVariable { name, .. } if name == "V"),
                "{error:?}"
            );
        }
    }

    #[test]
    fn flags_and_missing_variables_name_the_variable() {
        let lookup = infallible(|name: &str| (name == "X_FLAG").then(|| "maybe".to_string()));
        let vars = Vars::new(&lookup);
        let err = vars.flag("X_FLAG").unwrap_err();
        assert!(err.to_string().contains("X_FLAG"), "{err}");
        let err = vars.require("X_MISSING").unwrap_err();
        assert_eq!(
            err,
            ConfigError::MissingVariable {
                name: "X_MISSING".into()
            }
        );
    }
}
