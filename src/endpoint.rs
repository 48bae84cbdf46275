//! Server URLs: which ones a client accepts, how they are shown, and where a redirect may lead.
//!
//! A URL that comes from configuration, the environment or a server's catalog may carry a
//! password (`https://user:secret@host`) or a query that changes what an operation reaches. It
//! is refused, and no message, log line or `Debug` output ever shows more of it than
//! [`display`] does.

use crate::error::ConfigError;

/// Checks a base URL: `http` or `https`, a host, no credentials, no query or fragment. Returns
/// it without a trailing slash (generated paths start with `/`). `what` names the setting in
/// errors, which never repeat the URL's text.
pub(crate) fn base_url(text: &str, what: &str) -> Result<String, ConfigError> {
    let url = url::Url::parse(text)
        .map_err(|e| ConfigError::Invalid(format!("{what} is not a valid URL ({e})")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::Invalid(format!(
            "{what} carries credentials in the URL; give them to the builder instead"
        )));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ConfigError::Invalid(format!(
            "{what} must use http or https, not {}",
            url.scheme()
        )));
    }
    if url.host_str().is_none() {
        return Err(ConfigError::Invalid(format!("{what} has no host")));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::Invalid(format!(
            "{what} ({}) must not have a query or fragment",
            display(text)
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// A URL as it may be shown: scheme, host, port and path, without credentials, query or
/// fragment. Text that is not a URL is shown as `<not a URL>`.
pub(crate) fn display(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(url) => {
            let host = url.host_str().unwrap_or_default();
            let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}://{host}{port}{}", url.scheme(), url.path())
        }
        Err(_) => "<not a URL>".into(),
    }
}

/// Checks a value that goes into a URL path as one segment, before the URL is built. The
/// segment is percent-encoded, `/` and `%` included, but the URL parser still reads `.` and
/// `..` as "this directory" and "the parent", and `\` as `/`: the request would reach another
/// resource (`DELETE …/checks/..` deletes in the namespace). An empty value names the
/// collection instead of one of its members. All four are refused, naming the parameter.
#[cfg_attr(
    not(any(
        feature = "sensu",
        feature = "watcher",
        feature = "monasca",
        feature = "saltant"
    )),
    allow(dead_code)
)] // the generated clients whose paths take parameters (Keystone's take none)
pub(crate) fn path_segment(name: &str, value: &str) -> crate::Result<()> {
    match path_segment_problem(value) {
        Some(reason) => Err(crate::Error::invalid(name, reason)),
        None => Ok(()),
    }
}

/// What is wrong with `value` as one path segment; see [`path_segment`].
pub(crate) fn path_segment_problem(value: &str) -> Option<&'static str> {
    match value {
        "" => Some("is empty"),
        "." | ".." => Some("is a dot segment (`.` or `..`), which would address another resource"),
        _ if value.contains('\\') => {
            Some("contains `\\`, which URLs read as `/`, so it would address another resource")
        }
        _ => None,
    }
}

/// The redirect policy of every client: a redirect is followed only to the same scheme, host
/// and port (at most ten times). Any other is not followed, so no credential header (a
/// `X-Auth-Token` as much as an `Authorization`) and no request body ever reaches another
/// host; the redirect answer itself becomes the call's error.
pub(crate) fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > 10 {
            attempt.error("more than 10 redirects")
        } else {
            attempt.follow()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_a_url_are_refused_and_never_repeated() {
        for text in [
            "https://admin:hunter2@sensu.example.com:8080",
            "https://hunter2@sensu.example.com",
            "http://admin:hunter2@[::1]:8080/api",
        ] {
            let error = base_url(text, "the server URL").unwrap_err().to_string();
            assert!(error.contains("credentials"), "{error}");
            assert!(!error.contains("hunter2"), "{error}");
        }
        let error = base_url("https://a:hunter2@host/x?token=hunter2#hunter2", "URL")
            .unwrap_err()
            .to_string();
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn text_that_is_not_a_url_is_not_echoed() {
        let error = base_url("hunter2 is my password", "SENSU_API_URL")
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("SENSU_API_URL is not a valid URL"),
            "{error}"
        );
        assert!(!error.contains("hunter2"), "{error}");
    }

    #[test]
    fn a_query_or_fragment_is_refused_and_shown_without_it() {
        let error = base_url("https://host/v1?marker=secret", "the endpoint")
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "the endpoint (https://host/v1) must not have a query or fragment"
        );
        assert!(base_url("https://host/v1#frag", "x").is_err());
    }

    #[test]
    fn display_keeps_only_scheme_host_port_and_path() {
        assert_eq!(
            display("https://u:p@host:8443/api/v1?token=t#f"),
            "https://host:8443/api/v1"
        );
        assert_eq!(display("not a url: p@ss"), "<not a URL>");
    }

    #[test]
    fn a_path_segment_that_the_url_parser_would_move_is_refused() {
        for value in ["", ".", "..", "a\\b", "..\\x", "\\.."] {
            match path_segment("check", value) {
                Err(crate::Error::InvalidInput(crate::error::InvalidInput::Client(v))) => {
                    assert_eq!(v.field, "check", "{value:?}")
                }
                other => panic!("{value:?}: {other:?}"),
            }
        }
        // Every value that passes stays one segment once built into a URL as generated code
        // builds it, and reads back unchanged.
        for value in [
            "...", ".a", "a.", "%2e", "%2e%2e", ".%2E", "%2E.", "a/..", "../a", "?x", "#f", "a b",
            "\t..", "..\n", "ü", "%", "/", "//", ";..", "..;", "*",
        ] {
            path_segment("check", value).unwrap();
            let text = format!("http://host/a/{}/b", progenitor_client::encode_path(value));
            let url = url::Url::parse(&text).unwrap();
            let segments: Vec<&str> = url.path_segments().unwrap().collect();
            assert_eq!(segments.len(), 3, "{value:?} became {url}");
            assert_eq!((segments[0], segments[2]), ("a", "b"), "{value:?}");
            let decoded: String = url::form_urlencoded::parse(
                format!("v={}", segments[1].replace('+', "%2B")).as_bytes(),
            )
            .map(|(_, v)| v.into_owned())
            .collect();
            assert_eq!(decoded, value, "{value:?} became {url}");
        }
    }

    #[test]
    fn good_urls_pass_without_a_trailing_slash() {
        assert_eq!(
            base_url("https://host:8080/prefix/", "x").unwrap(),
            "https://host:8080/prefix"
        );
        assert!(base_url("ftp://host", "x").is_err());
    }
}
