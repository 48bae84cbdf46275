//! Watcher's microversions: every request says `OpenStack-API-Version: infra-optim X.Y`.
//!
//! The client starts at the highest version both sides know (read from `GET /` when it
//! connects). On a 406 it moves to the server's range and tries once more, unless the caller
//! pinned a version; then the 406 is a typed error naming the range. Operations and request
//! fields that need a newer version than the one in use are refused before sending.

use std::fmt;
use std::str::FromStr;
use std::sync::RwLock;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Request, Response, StatusCode};
use serde_json::Value;

use crate::error::{ConfigError, Error, VersionMismatch};
use crate::operation::Operation;
use crate::transport::ApiHooks;
use crate::Result;

/// The request header, and the answer headers with the server's range.
const VERSION_HEADER: &str = "openstack-api-version";
const MINIMUM_HEADER: &str = "openstack-api-minimum-version";
const MAXIMUM_HEADER: &str = "openstack-api-maximum-version";

/// A Watcher API version, `major.minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Always 1 for the v1 API.
    pub major: u32,
    /// The microversion.
    pub minor: u32,
}

impl Version {
    /// The newest version this client knows: 1.7 (audit template `default_parameters`).
    pub const LATEST: Version = Version { major: 1, minor: 7 };
    /// Served by every v1 server.
    pub const BASE: Version = Version { major: 1, minor: 0 };
}

impl FromStr for Version {
    type Err = ConfigError;

    /// `1.7`, or a header value such as `infra-optim 1.7`.
    fn from_str(text: &str) -> Result<Self, ConfigError> {
        let number = text.split_whitespace().last().unwrap_or_default();
        let parsed = number.split_once('.').and_then(|(major, minor)| {
            Some(Version {
                major: major.parse().ok()?,
                minor: minor.parse().ok()?,
            })
        });
        parsed.ok_or_else(|| {
            ConfigError::Invalid(format!("{text:?} is not an API version such as 1.7"))
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// The version in use, shared by clones of a client.
#[derive(Debug)]
pub(crate) struct Microversion {
    pinned: bool,
    current: RwLock<Version>,
}

impl Microversion {
    pub(crate) fn new(pinned: Option<Version>) -> Self {
        Microversion {
            pinned: pinned.is_some(),
            current: RwLock::new(pinned.unwrap_or(Version::LATEST)),
        }
    }

    pub(crate) fn current(&self) -> Version {
        *self.current.read().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, version: Version) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = version;
    }

    /// Moves to the highest version both sides know, within the server's range. Returns whether
    /// the version changed. A pinned version never moves.
    pub(crate) fn negotiate(&self, minimum: Option<Version>, maximum: Option<Version>) -> bool {
        if self.pinned {
            return false;
        }
        let wanted = maximum.map_or(Version::LATEST, |max| max.min(Version::LATEST));
        if minimum.is_some_and(|min| wanted < min) {
            return false;
        }
        let changed = wanted != self.current();
        self.set(wanted);
        changed
    }

    /// Refuses what needs a newer version than the one in use.
    fn check(&self, op: &Operation, body: Option<&[u8]>) -> Result<()> {
        let current = self.current();
        let too_new = |needed: &str| {
            needed
                .parse::<Version>()
                .map(|v| v > current)
                .unwrap_or(false)
        };
        if let Some(needed) = op.min_version.filter(|v| too_new(v)) {
            return Err(Error::invalid(
                "",
                format!(
                    "{} needs API version {needed}; this client uses {current}",
                    op.id
                ),
            ));
        }
        let Some(body) = body.and_then(|b| serde_json::from_slice::<Value>(b).ok()) else {
            return Ok(());
        };
        // Fields set in an object body, or paths touched by a JSON Patch.
        let touched: Vec<String> = match &body {
            Value::Object(fields) => fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k.clone())
                .collect(),
            Value::Array(patch) => patch
                .iter()
                .filter_map(|p| p["path"].as_str())
                .filter_map(|path| {
                    path.trim_start_matches('/')
                        .split('/')
                        .next()
                        .map(str::to_string)
                })
                .collect(),
            _ => Vec::new(),
        };
        for (field, needed) in op.gated_fields {
            if too_new(needed) && touched.iter().any(|t| t == field) {
                return Err(Error::invalid(
                    *field,
                    format!("needs API version {needed}; this client uses {current}"),
                ));
            }
        }
        Ok(())
    }
}

fn header_version(headers: &HeaderMap, name: &str) -> Option<Version> {
    headers.get(name)?.to_str().ok()?.parse().ok()
}

/// Watcher's hooks: OpenStack error bodies, and the microversion on every request.
impl ApiHooks for Microversion {
    fn name(&self) -> &'static str {
        "watcher"
    }

    fn decode_error(&self, status: StatusCode, body: &[u8]) -> crate::error::ApiError {
        crate::openstack::errors::decode_error(status, body)
    }

    fn adapt(&self, op: Option<&'static Operation>, request: &mut Request) -> Result<()> {
        if let Some(op) = op {
            self.check(op, request.body().and_then(|b| b.as_bytes()))?;
        }
        let value = HeaderValue::from_str(&format!("infra-optim {}", self.current()))
            .map_err(|_| Error::invalid("", "the API version is not a header value"))?;
        request
            .headers_mut()
            .insert(HeaderName::from_static(VERSION_HEADER), value);
        Ok(())
    }

    fn send_again(&self, response: &Response) -> bool {
        response.status() == StatusCode::NOT_ACCEPTABLE
            && self.negotiate(
                header_version(response.headers(), MINIMUM_HEADER),
                header_version(response.headers(), MAXIMUM_HEADER),
            )
    }

    fn refine(&self, headers: &HeaderMap, error: Error) -> Error {
        if error.status() != Some(StatusCode::NOT_ACCEPTABLE) {
            return error;
        }
        let text = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        Error::UnsupportedVersion(VersionMismatch {
            requested: self.current().to_string(),
            minimum: text(MINIMUM_HEADER),
            maximum: text(MAXIMUM_HEADER),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        text.parse().unwrap()
    }

    #[test]
    fn versions_parse_compare_and_negotiate() {
        assert_eq!(v("infra-optim 1.5"), Version { major: 1, minor: 5 });
        assert!(v("1.10") > v("1.7"));
        assert!("one".parse::<Version>().is_err());

        let free = Microversion::new(None);
        assert_eq!(free.current(), Version::LATEST);
        assert!(free.negotiate(Some(v("1.0")), Some(v("1.4"))));
        assert_eq!(free.current(), v("1.4"));
        assert!(
            !free.negotiate(Some(v("1.0")), Some(v("1.4"))),
            "no change, no retry"
        );
        assert!(free.negotiate(Some(v("1.0")), Some(v("1.9"))));
        assert_eq!(
            free.current(),
            Version::LATEST,
            "never above what the client knows"
        );
        assert!(
            !free.negotiate(Some(v("2.0")), Some(v("2.3"))),
            "no common version"
        );

        let pinned = Microversion::new(Some(v("1.2")));
        assert!(!pinned.negotiate(Some(v("1.0")), Some(v("1.7"))));
        assert_eq!(pinned.current(), v("1.2"));
    }

    #[test]
    fn watchers_hooks_send_the_version_and_renegotiate_after_a_406() {
        let hooks = Microversion::new(None);
        assert_eq!(hooks.name(), "watcher");
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            "http://watcher.example/v1/goals".parse().unwrap(),
        );
        hooks.adapt(None, &mut request).unwrap();
        assert_eq!(
            request.headers()[VERSION_HEADER],
            format!("infra-optim {}", Version::LATEST)
        );
        let refused = |minimum: &str, maximum: &str| {
            let answer = http::Response::builder()
                .status(406)
                .header(MINIMUM_HEADER, minimum)
                .header(MAXIMUM_HEADER, maximum)
                .body(Vec::<u8>::new())
                .unwrap();
            Response::from(answer)
        };
        assert!(hooks.send_again(&refused("1.0", "1.4")), "a new version");
        assert_eq!(hooks.current(), v("1.4"));
        assert!(!hooks.send_again(&refused("1.0", "1.4")), "nothing changed");
        let error = hooks.refine(
            refused("1.0", "1.4").headers(),
            crate::Error::from_api(crate::error::ApiError::new(
                StatusCode::NOT_ACCEPTABLE,
                None,
                String::new(),
                String::new(),
            )),
        );
        assert!(matches!(error, Error::UnsupportedVersion(_)), "{error:?}");
    }
}
