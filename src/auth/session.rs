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
///
/// A threshold at or above a token's lifetime would make every call renew it. Such a token is
/// renewed halfway through its life instead, and a warning says so once per session.
pub(crate) struct Session {
    provider: Arc<dyn TokenProvider>,
    state: Arc<Mutex<State>>,
    threshold: Duration,
}

#[derive(Default)]
struct State {
    token: Option<Token>,
    /// How long before the token's expiry it is renewed: the threshold, or less for a token
    /// that does not outlive it.
    margin: Duration,
    logged_out: bool,
    /// Whether the warning about a threshold too long for the tokens was given.
    warned: bool,
}

impl State {
    /// Keeps a new token, and the margin it is renewed with.
    fn keep(&mut self, token: Token, threshold: Duration, now: SystemTime) {
        let lifetime = token
            .expires_at()
            .map(|at| at.duration_since(now).unwrap_or(Duration::ZERO));
        self.margin = match lifetime {
            Some(lifetime) if threshold >= lifetime => {
                if !self.warned {
                    self.warned = true;
                    tracing::warn!(
                        threshold_s = threshold.as_secs(),
                        lifetime_s = lifetime.as_secs(),
                        "the refresh threshold is not shorter than the token's lifetime; \
                         renewing each such token halfway through its life instead"
                    );
                }
                lifetime / 2
            }
            _ => threshold,
        };
        self.token = Some(token);
    }
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

    /// A session that starts from `token`, saved from an earlier session, instead of logging
    /// in; it renews the token as [`new`](Self::new) does. How long the token lived at first is
    /// unknown, so it is renewed `threshold` before its expiry, without the halfway rule.
    #[cfg_attr(
        not(any(feature = "sensu", feature = "saltant", feature = "openstack")),
        allow(dead_code)
    )] // the builders that resume
    pub(crate) fn resumed(
        provider: Arc<dyn TokenProvider>,
        threshold: Duration,
        token: Token,
    ) -> Self {
        let state = State {
            token: Some(token),
            margin: threshold,
            ..State::default()
        };
        Session {
            provider,
            state: Arc::new(Mutex::new(state)),
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
            (Some(token), Want::Fresh) if token.is_fresh(guard.margin, now) => {
                return Ok(token.clone())
            }
            (Some(token), Want::Replacing(rejected)) if !token.has_access(&rejected) => {
                return Ok(token.clone())
            }
            (Some(_), Want::Fresh | Want::Replacing(_) | Want::Refreshed) => Renewal::Refresh,
        };
        let provider = self.provider.clone();
        let threshold = self.threshold;
        let task = tokio::spawn(async move {
            let previous = guard.token.take();
            let result = renew(&*provider, previous.as_ref(), renewal).await;
            match &result {
                Ok(token) => guard.keep(token.clone(), threshold, SystemTime::now()),
                Err(e) if ends_session(e) => guard.token = None,
                Err(_) => guard.token = previous,
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    use futures::future::BoxFuture;
    use reqwest::header::{HeaderName, HeaderValue};

    /// Logs in with tokens that live `lifetime`, counting the logins.
    #[derive(Debug)]
    struct Counting {
        lifetime: Duration,
        logins: AtomicU32,
    }

    impl TokenProvider for Counting {
        fn login(&self) -> BoxFuture<'_, Result<Token>> {
            let n = self.logins.fetch_add(1, Ordering::SeqCst) + 1;
            let token = Token::new(format!("t{n}")).expiring_at(SystemTime::now() + self.lifetime);
            Box::pin(async move { Ok(token) })
        }

        fn can_login(&self) -> bool {
            true
        }

        fn header(&self, _: &Token) -> Result<(HeaderName, HeaderValue)> {
            Ok((HeaderName::from_static("x"), HeaderValue::from_static("y")))
        }
    }

    /// Logs in once with a token that has already expired; every later login is refused.
    #[derive(Debug)]
    struct RefusedAfterFirst {
        logins: AtomicU32,
    }

    impl TokenProvider for RefusedAfterFirst {
        fn login(&self) -> BoxFuture<'_, Result<Token>> {
            let n = self.logins.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                if n == 0 {
                    Ok(Token::new("first").expiring_at(SystemTime::UNIX_EPOCH))
                } else {
                    Err(Error::Unauthorized(crate::error::ApiError::new(
                        reqwest::StatusCode::UNAUTHORIZED,
                        None,
                        "the password changed".into(),
                        String::new(),
                    )))
                }
            })
        }

        fn can_login(&self) -> bool {
            true
        }

        fn header(&self, _: &Token) -> Result<(HeaderName, HeaderValue)> {
            Ok((HeaderName::from_static("x"), HeaderValue::from_static("y")))
        }
    }

    #[tokio::test]
    async fn a_token_without_a_refresh_part_is_renewed_by_one_login_attempt() {
        let provider = Arc::new(RefusedAfterFirst {
            logins: AtomicU32::new(0),
        });
        let session = Session::new(provider.clone(), Duration::from_secs(10));
        session.login().await.unwrap();
        // The token has no refresh part: renewing it is a login, tried once; a refused login is
        // not tried again as if it were a refused refresh.
        let error = session.token().await.unwrap_err();
        assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
        assert_eq!(provider.logins.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn debug_shows_the_provider_and_threshold() {
        let (session, _) = counting(Duration::from_secs(60), Duration::from_secs(7));
        let shown = format!("{session:?}");
        for part in ["Session", "Counting", "threshold: 7s"] {
            assert!(shown.contains(part), "{part} missing from {shown}");
        }
    }

    fn counting(lifetime: Duration, threshold: Duration) -> (Session, Arc<Counting>) {
        let provider = Arc::new(Counting {
            lifetime,
            logins: AtomicU32::new(0),
        });
        (Session::new(provider.clone(), threshold), provider)
    }

    #[tokio::test]
    async fn a_resumed_token_is_used_until_the_threshold_before_its_expiry() {
        let token =
            |secs| Token::new("saved").expiring_at(SystemTime::now() + Duration::from_secs(secs));
        // Half a minute left, 10 s threshold: used as it is, nothing renewed.
        let provider = Arc::new(Counting {
            lifetime: Duration::from_secs(3600),
            logins: AtomicU32::new(0),
        });
        let session = Session::resumed(provider.clone(), Duration::from_secs(10), token(30));
        assert_eq!(session.token().await.unwrap().expose_access(), "saved");
        assert_eq!(provider.logins.load(Ordering::SeqCst), 0);
        // Half a minute left, 60 s threshold: due now, renewed once (not halved as for a token
        // whose whole life is known), then the new token serves.
        let session = Session::resumed(provider.clone(), Duration::from_secs(60), token(30));
        assert_eq!(session.token().await.unwrap().expose_access(), "t1");
        assert_eq!(session.token().await.unwrap().expose_access(), "t1");
        assert_eq!(provider.logins.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_threshold_not_shorter_than_the_lifetime_renews_halfway_not_on_every_call() {
        let hour = Duration::from_secs(3600);
        for threshold in [hour, hour * 2, Duration::MAX] {
            let (session, provider) = counting(hour, threshold);
            for _ in 0..5 {
                session.token().await.unwrap();
            }
            assert_eq!(provider.logins.load(Ordering::SeqCst), 1, "{threshold:?}");
        }
        // Halfway: a token living 2 s is renewed once it has 1 s left.
        let (session, provider) = counting(Duration::from_secs(2), Duration::MAX);
        session.token().await.unwrap();
        session.token().await.unwrap();
        assert_eq!(provider.logins.load(Ordering::SeqCst), 1);
        tokio::time::sleep(Duration::from_millis(1100)).await;
        session.token().await.unwrap();
        assert_eq!(provider.logins.load(Ordering::SeqCst), 2);
        // A threshold shorter than the lifetime is kept as it is.
        let (session, provider) = counting(Duration::from_secs(2), Duration::from_millis(1500));
        session.token().await.unwrap();
        tokio::time::sleep(Duration::from_millis(600)).await;
        session.token().await.unwrap();
        assert_eq!(provider.logins.load(Ordering::SeqCst), 2);
    }
}
