//! The sandbox's login sessions: the tokens it issued, and the one refresh token each session
//! accepts next. The store keeps them; the authentication handlers read and rotate them.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// How long issued tokens and login sessions live.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lifetimes {
    pub(super) access: Duration,
    pub(super) refresh: Duration,
    /// The server keeps a session this long after the last login or refresh (an etcd lease of
    /// 6 minutes in 6.12+), whatever the refresh token's own expiry says.
    pub(super) session: Duration,
}

#[derive(Debug, Clone)]
pub(super) struct Issued {
    pub(super) username: String,
    pub(super) session: u64,
    pub(super) expires: SystemTime,
}

/// Issued tokens and the one refresh token each session accepts next.
#[derive(Debug, Default)]
pub(super) struct Sessions {
    pub(super) access: HashMap<String, Issued>,
    pub(super) refresh: HashMap<String, Issued>,
    pub(super) expected_refresh: HashMap<u64, (String, SystemTime)>,
    pub(super) next_session: u64,
}

impl Sessions {
    pub(super) fn issue(&mut self, username: &str, session: u64, lifetimes: Lifetimes) -> Value {
        let now = SystemTime::now();
        let access = format!("sandbox-access-{}", uuid::Uuid::new_v4().simple());
        let refresh = format!("sandbox-refresh-{}", uuid::Uuid::new_v4().simple());
        let access_expires = now + lifetimes.access;
        let issued = |expires| Issued {
            username: username.to_string(),
            session,
            expires,
        };
        self.access.insert(access.clone(), issued(access_expires));
        self.refresh
            .insert(refresh.clone(), issued(now + lifetimes.refresh));
        self.expected_refresh
            .insert(session, (refresh.clone(), now + lifetimes.session));
        // The access token's expiry, in whole seconds, rounded up so it is never early.
        let expires_at = access_expires
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() + u64::from(d.subsec_nanos() > 0))
            .unwrap_or(0);
        serde_json::json!({
            "access_token": access,
            "expires_at": expires_at,
            "refresh_token": refresh,
        })
    }
}
