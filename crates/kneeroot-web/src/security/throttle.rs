//! Login throttling, per account and per client address, counted in the database so that it holds
//! across every instance behind a load balancer. A refused attempt does not even check the password.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use kneeroot_store::Store;

use crate::error::Problem;
use crate::state::AppState;

/// The keys one login attempt counts against.
#[derive(Debug, Clone)]
pub struct Throttle {
    account: String,
    ip: String,
}

impl Throttle {
    /// Keys for a login to `email` from `ip`.
    pub fn new(email: &str, ip: IpAddr) -> Throttle {
        Throttle { account: format!("account:{}", email.trim().to_lowercase()), ip: format!("ip:{ip}") }
    }

    /// Refuse if either key has had too many failures within the window.
    ///
    /// # Errors
    /// `TooManyRequests` with a message that says when to try again, or a store failure.
    pub async fn check<S: Store>(&self, state: &AppState<S>) -> Result<(), Problem> {
        let c = &state.config;
        let since = state.now() - c.failure_window_seconds;
        let account = state.store.failures_since(&self.account, since).await?;
        let ip = state.store.failures_since(&self.ip, since).await?;
        if account >= c.max_failures_per_account || ip >= c.max_failures_per_ip {
            let minutes = (c.failure_window_seconds + 59) / 60;
            return Err(Problem::TooManyRequests(format!(
                "Too many failed sign-in attempts. Please wait {minutes} minutes and try again, or reset your password with your clinic."
            )));
        }
        Ok(())
    }

    /// Count a failed attempt against both keys.
    ///
    /// # Errors
    /// A store failure.
    pub async fn failed<S: Store>(&self, state: &AppState<S>) -> Result<(), Problem> {
        let now = state.now();
        state.store.record_failure(&self.account, now).await?;
        state.store.record_failure(&self.ip, now).await?;
        Ok(())
    }

    /// Forget the account's failures after a successful login (the address's stay: they may be an attack
    /// spread over many accounts).
    ///
    /// # Errors
    /// A store failure.
    pub async fn succeeded<S: Store>(&self, state: &AppState<S>) -> Result<(), Problem> {
        state.store.clear_failures(&self.account).await?;
        Ok(())
    }
}

/// The client's address: the connection's, or the first `X-Forwarded-For` hop when configured to trust a
/// proxy.
pub fn client_ip(peer: Option<SocketAddr>, headers: &HeaderMap, trust_forwarded_for: bool) -> IpAddr {
    if trust_forwarded_for
        && let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok())
    {
        return ip;
    }
    peer.map_or(IpAddr::from([127, 0, 0, 1]), |p| p.ip())
}
