//! Passwords and the TOTP secret of the test servers: random, made once per state directory
//! and kept in `secrets.json` (mode 600) so that later runs reuse what the databases hold.

use std::fs;
use std::io::Read;

use serde_json::{Map, Value};

use super::files;
use super::layout::Layout;

/// The generated secrets.
pub struct Secrets {
    /// Keystone's `admin` user.
    pub admin_password: String,
    /// Watcher's service user in Keystone.
    pub watcher_password: String,
    /// Monasca's service user in Keystone.
    pub monasca_password: String,
    /// The `totp-user` user.
    pub totp_password: String,
    /// The TOTP key of `totp-user`, base32 without padding (RFC 4648).
    pub totp_secret: String,
    /// The test OpenID provider's clients `opsclient` and `opsclient-short`.
    pub oidc_client_secret: String,
    /// The provider's client `keystone`, with which Apache introspects tokens.
    pub oidc_introspection_secret: String,
    /// The provider's user `ann`.
    pub oidc_user_password: String,
    /// The provider's user `bob`.
    pub oidc_other_user_password: String,
    /// The key the provider signs its cookies with.
    pub oidc_cookie_key: String,
    /// The authenticating proxy's user.
    pub proxy_password: String,
}

const FILE: &str = "secrets.json";

impl Secrets {
    /// The secrets of this state directory, made on first use.
    pub fn load_or_create(layout: &Layout) -> Result<Secrets, String> {
        let path = layout.file(FILE);
        let mut stored: Map<String, Value> = match fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .map_err(|e| format!("{} is not a JSON object: {e}", path.display()))?,
            Err(_) => Map::new(),
        };
        let before = stored.len();
        let mut take =
            |key: &str, make: fn() -> Result<String, String>| -> Result<String, String> {
                if let Some(Value::String(value)) = stored.get(key) {
                    return Ok(value.clone());
                }
                let value = make()?;
                stored.insert(key.to_string(), Value::String(value.clone()));
                Ok(value)
            };
        let secrets = Secrets {
            admin_password: take("admin_password", password)?,
            watcher_password: take("watcher_password", password)?,
            monasca_password: take("monasca_password", password)?,
            totp_password: take("totp_password", password)?,
            totp_secret: take("totp_secret", totp_secret)?,
            oidc_client_secret: take("oidc_client_secret", password)?,
            oidc_introspection_secret: take("oidc_introspection_secret", password)?,
            oidc_user_password: take("oidc_user_password", password)?,
            oidc_other_user_password: take("oidc_other_user_password", password)?,
            oidc_cookie_key: take("oidc_cookie_key", password)?,
            proxy_password: take("proxy_password", password)?,
        };
        if stored.len() != before {
            let text = serde_json::to_string_pretty(&stored).expect("a map of strings is JSON");
            files::write_private(&path, &(text + "\n"))?;
        }
        Ok(secrets)
    }
}

/// A password: 16 random bytes as hex.
fn password() -> Result<String, String> {
    Ok(random::<16>()?.iter().map(|b| format!("{b:02x}")).collect())
}

/// A TOTP key: 20 random bytes (the HMAC-SHA1 block Keystone uses) in base32.
fn totp_secret() -> Result<String, String> {
    Ok(base32(&random::<20>()?))
}

fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut bytes = [0; N];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("cannot read /dev/urandom: {e}"))?;
    Ok(bytes)
}

/// RFC 4648 base32 without padding.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::base32;

    #[test]
    fn base32_matches_rfc_4648() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(&[0xff; 20]).len(), 32);
    }
}
