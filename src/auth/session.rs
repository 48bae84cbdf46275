use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;

use super::{Token, TokenProvider};
use crate::error::{Error, InvalidInput, UnexpectedResponse};
use crate::Result;

/// A token kept fresh for one client.
///
/// All renewals happen under one lock, so concurrent callers that find the token stale wait for
/// a single login or refresh and then share its result. APIs with single-use refresh tokens
/// (Sensu) depend on this: a second refresh with the same token would end the session.
///
/// The renewal runs as its own task, so a caller that gives up half-way does not lose a rotated
/// refresh token that the server has already issued.
///
/// After `logout()`, no call renews the token on its own: calls that were waiting for it, and
/// calls made since, fail with [`Error::LoggedOut`] until an explicit login, so a logout is
/// never undone behind the caller's back.
pub(crate) struct Session {
    provider: Arc<dyn TokenProvider>,
    state: Arc<Mutex<State>>,
    threshold: Duration,
}

#[derive(Default)]
struct State {
    token: Option<Token>,
    logged_out: bool,
}

/// What the caller needs from the session.
enum Want {
    /// A token valid for at least the threshold.
    Fresh,
    /// A token other than the one whose access part the server just rejected.
    Replacing(String),
    /// A refreshed token, now.
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // Keystone has no refresh token
    Refreshed,
    /// A token from a new login, now.
    #[cfg_attr(not(any(feature = "sensu", feature = "openstack")), allow(dead_code))]
    // explicit logins
    LoggedIn,
}

enum Renewal {
    Login,
    Refresh,
}

impl Session {
    /// A session that logs in on first use, and renews when the token expires within `threshold`.
    pub(crate) fn new(provider: Arc<dyn TokenProvider>, threshold: Duration) -> Self {
        Session {
            provider,
            state: Arc::new(Mutex::new(State::default())),
            threshold,
        }
    }

    pub(crate) fn provider(&self) -> &dyn TokenProvider {
        &*self.provider
    }

    /// A token good for at least the threshold, renewing first if needed.
    pub(crate) async fn token(&self) -> Result<Token> {
        self.obtain(Want::Fresh).await
    }

    /// A replacement for a token the server refused.
    pub(crate) async fn replace_rejected(&self, rejected_access: &str) -> Result<Token> {
        self.obtain(Want::Replacing(rejected_access.to_owned()))
            .await
    }

    /// Refreshes now, whatever the expiry.
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // explicit session calls of the Sensu client
    pub(crate) async fn refresh(&self) -> Result<Token> {
        self.obtain(Want::Refreshed).await
    }

    /// Logs in now, replacing any token.
    #[cfg_attr(not(any(feature = "sensu", feature = "openstack")), allow(dead_code))] // explicit logins
    pub(crate) async fn login(&self) -> Result<Token> {
        self.obtain(Want::LoggedIn).await
    }

    /// The current token, without renewing it.
    pub(crate) async fn current(&self) -> Option<Token> {
        self.state.lock().await.token.clone()
    }

    /// Ends the session on the server and forgets the token.
    #[cfg_attr(not(feature = "sensu"), allow(dead_code))] // explicit session calls of the Sensu client
    pub(crate) async fn logout(&self) -> Result<()> {
        let mut guard = self.state.lock().await;
        if let Some(token) = guard.token.as_ref() {
            self.provider.logout(token).await?;
        }
        guard.token = None;
        guard.logged_out = true;
        Ok(())
    }

    async fn obtain(&self, want: Want) -> Result<Token> {
        let mut guard = self.state.clone().lock_owned().await;
        if guard.logged_out && !matches!(want, Want::LoggedIn) {
            return Err(Error::LoggedOut);
        }
        let now = SystemTime::now();
        let renewal = match (guard.token.as_ref(), want) {
            (None, _) | (Some(_), Want::LoggedIn) => Renewal::Login,
            (Some(token), Want::Fresh) if token.is_fresh(self.threshold, now) => {
                return Ok(token.clone())
            }
            (Some(token), Want::Replacing(rejected)) if !token.has_access(&rejected) => {
                return Ok(token.clone())
            }
            (Some(_), Want::Fresh | Want::Replacing(_) | Want::Refreshed) => Renewal::Refresh,
        };
        let provider = self.provider.clone();
        let task = tokio::spawn(async move {
            let previous = guard.token.take();
            let result = renew(&*provider, previous.as_ref(), renewal).await;
            guard.token = match &result {
                Ok(token) => Some(token.clone()),
                Err(e) if ends_session(e) => None,
                Err(_) => previous,
            };
            if result.is_ok() {
                guard.logged_out = false;
            }
            result
        });
        task.await.unwrap_or_else(|e| {
            Err(Error::UnexpectedResponse(UnexpectedResponse {
                status: None,
                reason: format!("token renewal did not finish: {e}"),
                body: String::new(),
            }))
        })
    }
}

async fn renew(
    provider: &dyn TokenProvider,
    previous: Option<&Token>,
    renewal: Renewal,
) -> Result<Token> {
    let refreshable = previous.filter(|t| t.refresh().is_some() || !provider.can_login());
    match (renewal, refreshable) {
        (Renewal::Refresh, Some(token)) => match provider.refresh(token).await {
            Ok(token) => {
                tracing::debug!("access token refreshed");
                Ok(token)
            }
            Err(e) if ends_session(&e) && provider.can_login() => {
                tracing::debug!(error = %e, "refresh refused; logging in again");
                provider.login().await
            }
            Err(e) => Err(e),
        },
        _ => {
            let token = provider.login().await?;
            tracing::debug!("logged in");
            Ok(token)
        }
    }
}

/// Whether the server refused the credentials themselves, so the token is worthless.
fn ends_session(error: &Error) -> bool {
    matches!(
        error,
        Error::Unauthorized(_) | Error::InvalidInput(InvalidInput::Server(_))
    )
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("provider", &self.provider)
            .field("threshold", &self.threshold)
            .finish_non_exhaustive()
    }
}
