//! RFC 6238 time-based one-time passwords, as Keystone's TOTP method checks them: HMAC-SHA1,
//! 30-second steps, 6 digits.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};

use crate::error::ConfigError;

/// A TOTP generator for one shared secret.
///
/// ```
/// # #[cfg(feature = "openstack")] {
/// use opsclient::openstack::totp::Totp;
/// // RFC 6238 test secret "12345678901234567890", in base32.
/// let totp = Totp::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
/// let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(59);
/// assert_eq!(totp.passcode_at(at), "287082");
/// # }
/// ```
#[derive(Clone)]
pub struct Totp {
    secret: SecretSlice<u8>,
}

impl Totp {
    /// From the base32 secret Keystone stores (padding and case do not matter).
    pub fn from_base32(secret: &str) -> Result<Self, ConfigError> {
        let normalized: String = secret
            .trim()
            .trim_end_matches('=')
            .to_ascii_uppercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let bytes = data_encoding::BASE32_NOPAD
            .decode(normalized.as_bytes())
            .map_err(|_| ConfigError::Invalid("the TOTP secret is not base32".into()))?;
        // An empty key would make passcodes anyone can compute.
        if bytes.is_empty() {
            return Err(ConfigError::Invalid("the TOTP secret is empty".into()));
        }
        Ok(Totp {
            secret: SecretSlice::from(bytes),
        })
    }

    /// The passcode valid at `time`.
    pub fn passcode_at(&self, time: SystemTime) -> String {
        let step = time
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() / 30)
            .unwrap_or(0);
        let mut mac = <Hmac<sha1::Sha1> as Mac>::new_from_slice(self.secret.expose_secret())
            .expect("HMAC takes keys of any length");
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[19] & 0x0f);
        let code = u32::from_be_bytes([
            digest[offset],
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]) & 0x7fff_ffff;
        format!("{:06}", code % 1_000_000)
    }
}

impl fmt::Debug for Totp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Totp([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn rfc_6238_sha1_vectors() {
        let totp = Totp::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
        // RFC 6238 appendix B, 8-digit codes; Keystone uses the last 6 digits.
        for (seconds, code) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            let at = UNIX_EPOCH + Duration::from_secs(seconds);
            assert_eq!(totp.passcode_at(at), code[2..], "at {seconds}");
        }
        assert!(Totp::from_base32("not base32!").is_err());
        for empty in ["", "  ", "===="] {
            assert_eq!(
                Totp::from_base32(empty).map(drop),
                Err(ConfigError::Invalid("the TOTP secret is empty".into())),
                "{empty:?}"
            );
        }
        assert_eq!(format!("{totp:?}"), "Totp([redacted])");
    }
}
