//! What every handler shares: the store, the knowledge base, the clock and the configuration.

use std::sync::Arc;

use kneeroot_core::Knowledge;

use crate::clock::{Clock, SystemClock};

/// Settings the web layer needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Mark cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// How long a browser session lives, in seconds.
    pub session_seconds: i64,
    /// How long an API token lives, in seconds.
    pub token_seconds: i64,
    /// Failed logins per account within the window before logins for it are refused.
    pub max_failures_per_account: u32,
    /// Failed logins per client address within the window before logins from it are refused.
    pub max_failures_per_ip: u32,
    /// The throttling window, in seconds.
    pub failure_window_seconds: i64,
    /// Trust `X-Forwarded-For` for the client address (only behind a proxy you control).
    pub trust_forwarded_for: bool,
    /// How long an invitation to join the clinic can be accepted, in seconds.
    pub invitation_seconds: i64,
    /// The address people reach kneeroot at (`https://knee.clinic.example`, no trailing slash), for links
    /// made to be sent elsewhere (invitations). `None`: taken from the request's `Host` header.
    pub public_url: Option<String>,
    /// The folder of the npm package `@mediapipe/pose` (its `pose.js`, wasm and model files), served under
    /// `/assets/pose/` for the camera squat screen. `None`, or a folder without `pose.js`: the screen says
    /// it is not available and offers the questions.
    pub pose_assets: Option<std::path::PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            secure_cookies: false,
            session_seconds: 30 * 24 * 3600,
            token_seconds: 30 * 24 * 3600,
            max_failures_per_account: 5,
            max_failures_per_ip: 50,
            failure_window_seconds: 15 * 60,
            trust_forwarded_for: false,
            invitation_seconds: 7 * 24 * 3600,
            public_url: None,
            pose_assets: None,
        }
    }
}

/// Shared application state. Cheap to clone.
#[derive(Debug)]
pub struct AppState<S> {
    /// The store.
    pub store: S,
    /// The knowledge base in force.
    pub kb: Arc<Knowledge>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Settings.
    pub config: Arc<Config>,
    /// Parsed assessments by id.
    pub assessments: Arc<crate::cache::AssessmentCache>,
    /// Whether the camera squat screen's pose model is installed (`config.pose_assets` holds `pose.js`).
    /// Checked once when the state is made, not on every squat page: installing it asks for a restart.
    pub pose_ready: bool,
}

impl<S: Clone> Clone for AppState<S> {
    fn clone(&self) -> Self {
        AppState {
            store: self.store.clone(),
            kb: self.kb.clone(),
            clock: self.clock.clone(),
            config: self.config.clone(),
            assessments: self.assessments.clone(),
            pose_ready: self.pose_ready,
        }
    }
}

impl<S> AppState<S> {
    /// State with the system clock.
    pub fn new(store: S, kb: Knowledge, config: Config) -> AppState<S> {
        AppState {
            store,
            kb: Arc::new(kb),
            clock: Arc::new(SystemClock),
            pose_ready: crate::pages::camera::pose_ready(config.pose_assets.as_deref()),
            config: Arc::new(config),
            assessments: Arc::default(),
        }
    }

    /// Replace the clock (tests).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> AppState<S> {
        self.clock = clock;
        self
    }

    /// Now, in Unix seconds.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}
