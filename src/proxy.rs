//! Which HTTP proxy a client goes through: the one `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`
//! and `NO_PROXY` name (the default, as curl and the Python clients read them), one set on the
//! builder, or none.
//!
//! A proxy URL may carry a user and password (`http://user:secret@proxy:3128`). The password
//! is kept as a secret: `Debug`, logs and error messages show the URL without it.

use secrecy::{ExposeSecret, SecretString};

use crate::error::{ConfigError, ProxyRefusal};

/// How a client finds its proxy.
#[derive(Clone, Default)]
pub(crate) enum ProxySetting {
    /// The environment's variables, read when the client is built.
    #[default]
    Environment,
    /// Every request through this proxy; the environment is ignored.
    Url(SecretString),
    /// No proxy at all, whatever the environment says.
    Off,
}

impl std::fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProxySetting::Environment => f.write_str("Environment"),
            ProxySetting::Url(url) => f.debug_tuple("Url").field(&shown(url)).finish(),
            ProxySetting::Off => f.write_str("Off"),
        }
    }
}

/// A proxy URL as it may be shown: scheme, user, host and port; never the password, path,
/// query or fragment.
fn shown(url: &SecretString) -> String {
    match parse(url) {
        Ok(parsed) => match parsed.host_str() {
            Some(host) => {
                let user = match (parsed.username(), parsed.password()) {
                    ("", None) => String::new(),
                    (user, None) => format!("{user}@"),
                    (user, Some(_)) => format!("{user}:[redacted]@"),
                };
                let port = parsed.port().map(|p| format!(":{p}")).unwrap_or_default();
                format!("{}://{user}{host}{port}", parsed.scheme())
            }
            None => "<not a proxy URL>".into(),
        },
        Err(_) => "<not a URL>".into(),
    }
}

/// The URL; `proxy:3128` without a scheme is `http://proxy:3128`, as curl reads it.
fn parse(url: &SecretString) -> Result<url::Url, url::ParseError> {
    let text = url.expose_secret();
    match text.contains("://") {
        true => url::Url::parse(text),
        false => url::Url::parse(&format!("http://{text}")),
    }
}

impl ProxySetting {
    /// The proxy as it may appear in a log line.
    pub(crate) fn for_display(&self) -> String {
        match self {
            ProxySetting::Environment => "from the environment".into(),
            ProxySetting::Url(url) => shown(url),
            ProxySetting::Off => "none".into(),
        }
    }

    /// Applies the setting to an HTTP client's builder. A proxy URL that is not usable is an
    /// error that never repeats its password.
    pub(crate) fn apply(
        &self,
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, ConfigError> {
        match self {
            // reqwest reads the variables itself when no proxy is set.
            ProxySetting::Environment => Ok(builder),
            ProxySetting::Off => Ok(builder.no_proxy()),
            ProxySetting::Url(url) => Ok(builder.proxy(proxy(url)?)),
        }
    }
}

/// The reqwest proxy of a URL, checked: `http` or `https`, a host, no path, query or fragment.
fn proxy(url: &SecretString) -> Result<reqwest::Proxy, ConfigError> {
    let invalid = |why: &str| ConfigError::Invalid(format!("the proxy URL {why}"));
    // The parser's message never quotes its input.
    let parsed = parse(url).map_err(|e| invalid(&format!("is not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(&format!(
            "{} must use http or https, not {}",
            shown(url),
            parsed.scheme()
        )));
    }
    if parsed.host_str().is_none() {
        return Err(invalid("has no host"));
    }
    if !matches!(parsed.path(), "" | "/") || parsed.query().is_some() || parsed.fragment().is_some()
    {
        return Err(invalid(&format!(
            "{} must not have a path, query or fragment",
            shown(url)
        )));
    }
    let mut without_credentials = parsed.clone();
    let _ = without_credentials.set_username("");
    let _ = without_credentials.set_password(None);
    let mut proxy = reqwest::Proxy::all(without_credentials.as_str())
        .map_err(|_| invalid(&format!("{} is not usable", shown(url))))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        let decode = |part: &str| {
            percent_decode(part)
                .ok_or_else(|| invalid("has a user or password that is not valid UTF-8"))
        };
        let user = decode(parsed.username())?;
        let password = SecretString::from(decode(parsed.password().unwrap_or(""))?);
        proxy = proxy.basic_auth(&user, password.expose_secret());
    }
    Ok(proxy)
}

/// A percent-encoded URL part, decoded.
fn percent_decode(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = part.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// What hyper-util's tunnel errors say (their type is private to it); the real-proxy tests
/// pin these texts.
const TUNNEL_407: &str = "tunnel error: proxy authorization required";
const TUNNEL_REFUSED: &str = "tunnel error: unsuccessful";

/// How the proxy refused a request's `CONNECT`, if it did.
pub(crate) fn refusal(error: &reqwest::Error) -> Option<ProxyRefusal> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    // An error chain is finite; the bound keeps a cyclic one from looping.
    for _ in 0..16 {
        let error = source?;
        match error.to_string().as_str() {
            TUNNEL_407 => return Some(ProxyRefusal::Credentials),
            TUNNEL_REFUSED => return Some(ProxyRefusal::Tunnel),
            _ => source = error.source(),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> SecretString {
        SecretString::from(text.to_string())
    }

    #[test]
    fn a_proxy_is_shown_with_its_user_and_without_its_password() {
        let setting = ProxySetting::Url(url("http://ann:s%40cret@proxy.example:3128"));
        assert_eq!(
            setting.for_display(),
            "http://ann:[redacted]@proxy.example:3128"
        );
        let debug = format!("{setting:?}");
        assert!(!debug.contains("cret"), "{debug}");
        assert!(debug.contains("proxy.example:3128"), "{debug}");
    }

    #[test]
    fn a_proxy_without_a_scheme_is_http() {
        let setting = ProxySetting::Url(url("proxy.example:3128"));
        assert_eq!(setting.for_display(), "http://proxy.example:3128");
        assert!(proxy(&url("proxy.example:3128")).is_ok());
    }

    #[test]
    fn percent_encoded_credentials_are_decoded() {
        assert_eq!(percent_decode("s%40cret%3A1").as_deref(), Some("s@cret:1"));
        assert_eq!(percent_decode("bad%4"), None);
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn an_unusable_proxy_url_is_refused_without_its_password() {
        for text in [
            "socks5://ann:hunter2@proxy:1080",
            "http://ann:hunter2@proxy:3128/path",
            "http://ann:hunter2@proxy:3128/?q=1",
            "http://ann:hunter2@[::1",
        ] {
            let err = proxy(&url(text)).unwrap_err().to_string();
            assert!(err.starts_with("the proxy URL"), "{text}: {err}");
            assert!(!err.contains("hunter2"), "{text}: {err}");
        }
    }
}
