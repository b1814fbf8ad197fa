//! Layered settings for `kneeroot serve`: typed defaults, then the settings file, then `KNEEROOT_*`
//! environment variables, then flags (clap merges the last two). Secrets never reach a log: the database
//! URL's password is redacted in `Debug` and `Display`.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

use crate::cli::{LogFormat, ServeArgs};

/// The settings file (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    secure_cookies: Option<bool>,
    trust_forwarded_for: Option<bool>,
    log_format: Option<LogFormat>,
    session_days: Option<i64>,
    public_url: Option<String>,
    invitation_days: Option<i64>,
    pose_assets: Option<PathBuf>,
}

/// A database URL whose password is never printed.
#[derive(Clone)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// The URL, for connecting.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether it is a PostgreSQL URL.
    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres://") || self.0.starts_with("postgresql://")
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.split_once("://") {
            Some((scheme, rest)) => match rest.split_once('@') {
                Some((userinfo, host)) => {
                    let user = userinfo.split(':').next().unwrap_or_default();
                    let hidden = if userinfo.contains(':') { ":***" } else { "" };
                    write!(f, "{scheme}://{user}{hidden}@{host}")
                }
                None => f.write_str(&self.0),
            },
            None => f.write_str(&self.0),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

/// Resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Listen address.
    pub bind: SocketAddr,
    /// Data folder.
    pub data_dir: PathBuf,
    /// Database.
    pub database_url: DatabaseUrl,
    /// Secure cookies.
    pub secure_cookies: bool,
    /// Trust X-Forwarded-For.
    pub trust_forwarded_for: bool,
    /// Log format.
    pub log_format: LogFormat,
    /// Browser session lifetime in days.
    pub session_days: i64,
    /// The address people reach kneeroot at, if configured (no trailing slash); links made to be sent
    /// elsewhere (invitations) start with it. Without it, the web pages use the request's host.
    pub public_url: Option<String>,
    /// How long an invitation can be accepted, in days.
    pub invitation_days: i64,
    /// The folder of the npm package `@mediapipe/pose` for the camera squat screen, if any.
    pub pose_assets: Option<PathBuf>,
}

/// Where `scripts/fetch-pose` installs the pose model, relative to the repository (the working folder).
pub const DEFAULT_POSE_ASSETS: &str = "web/pose/node_modules/@mediapipe/pose";

/// The database of a command: the URL if given, else SQLite in the data folder (default: the OS one).
pub fn database_for(data_dir: Option<&Path>, url: Option<&str>) -> (PathBuf, DatabaseUrl) {
    let dir = data_dir.map_or_else(default_data_dir, Path::to_path_buf);
    let url = url.map_or_else(|| format!("sqlite://{}", dir.join("kneeroot.db").display()), str::to_owned);
    (dir, DatabaseUrl(url))
}

/// The OS data folder for kneeroot.
pub fn default_data_dir() -> PathBuf {
    if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(xdg).join("kneeroot");
    }
    match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
        Some(home) => PathBuf::from(home).join(".local/share/kneeroot"),
        None => PathBuf::from("kneeroot-data"),
    }
}

fn read_file(path: &Path) -> anyhow::Result<FileSettings> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read the settings file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("the settings file {} is not valid", path.display()))
}

/// The environment variables kneeroot reads; any other `KNEEROOT_*` is probably a typo.
const KNOWN_ENV: [&str; 11] = [
    "KNEEROOT_BIND",
    "KNEEROOT_DATA_DIR",
    "KNEEROOT_DATABASE_URL",
    "KNEEROOT_CONFIG",
    "KNEEROOT_SECURE_COOKIES",
    "KNEEROOT_TRUST_FORWARDED_FOR",
    "KNEEROOT_LOG_FORMAT",
    "KNEEROOT_PUBLIC_URL",
    "KNEEROOT_KNOWLEDGE",
    "KNEEROOT_POSE_ASSETS",
    "KNEEROOT_TEST_POSTGRES",
];

/// `KNEEROOT_*` variables that kneeroot does not know.
pub fn unknown_env_vars() -> Vec<String> {
    std::env::vars()
        .map(|(k, _)| k)
        .filter(|k| k.starts_with("KNEEROOT_") && !KNOWN_ENV.contains(&k.as_str()))
        .collect()
}

impl Settings {
    /// Resolve from flags/environment (already merged by clap) and the settings file.
    ///
    /// # Errors
    /// An unreadable or invalid settings file, or an invalid address; each message names the setting.
    pub fn resolve(args: &ServeArgs) -> anyhow::Result<Settings> {
        let explicit_file = args.config.clone();
        let first_data_dir = args.data_dir.clone().unwrap_or_else(default_data_dir);
        let file = match &explicit_file {
            Some(path) => read_file(path)?,
            None => {
                let candidate = first_data_dir.join("kneeroot.toml");
                if candidate.exists() { read_file(&candidate)? } else { FileSettings::default() }
            }
        };
        let data_dir = args.data_dir.clone().or(file.data_dir).unwrap_or_else(default_data_dir);
        let bind_text = args.bind.clone().or(file.bind).unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let bind: SocketAddr =
            bind_text.parse().with_context(|| format!("bind: '{bind_text}' is not an address like 127.0.0.1:8080"))?;
        let database_url = args
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("kneeroot.db").display()));
        let session_days = file.session_days.unwrap_or(30);
        anyhow::ensure!((1..=365).contains(&session_days), "session_days: {session_days} is out of range (1 to 365)");
        let invitation_days = file.invitation_days.unwrap_or(7);
        anyhow::ensure!(
            (1..=90).contains(&invitation_days),
            "invitation_days: {invitation_days} is out of range (1 to 90)"
        );
        let public_url = args.public_url.clone().or(file.public_url).map(|u| parse_public_url(&u)).transpose()?;
        // Given: used as given (the screen says so if the model is not there). Not given: the folder
        // `scripts/fetch-pose` fills, when it exists.
        let pose_assets = args
            .pose_assets
            .clone()
            .or(file.pose_assets)
            .or_else(|| Some(PathBuf::from(DEFAULT_POSE_ASSETS)).filter(|d| d.is_dir()));
        Ok(Settings {
            bind,
            data_dir,
            database_url: DatabaseUrl(database_url),
            secure_cookies: args.secure_cookies.or(file.secure_cookies).unwrap_or(false),
            trust_forwarded_for: args.trust_forwarded_for.or(file.trust_forwarded_for).unwrap_or(false),
            log_format: args.log_format.or(file.log_format).unwrap_or(LogFormat::Text),
            session_days,
            public_url,
            invitation_days,
            pose_assets,
        })
    }
}

/// Check a public URL: `http://` or `https://`, a host, perhaps a path; no query, fragment or spaces.
/// Returned without a trailing slash, ready for `/invite/…` to be appended.
///
/// # Errors
/// A message naming the setting and what is wrong.
pub fn parse_public_url(raw: &str) -> anyhow::Result<String> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let ok = rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && !r.chars().any(|c| c.is_whitespace() || c.is_control() || "?#\\\"<>".contains(c))
    });
    anyhow::ensure!(ok, "public_url: '{raw}' is not an address like https://knee.clinic.example");
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_password_never_shows() {
        let url = DatabaseUrl("postgres://kneeroot:s3cret@db.internal:5432/kneeroot".into());
        assert_eq!(url.to_string(), "postgres://kneeroot:***@db.internal:5432/kneeroot");
        assert!(!format!("{url:?}").contains("s3cret"));
        assert_eq!(DatabaseUrl("sqlite:///var/lib/k.db".into()).to_string(), "sqlite:///var/lib/k.db");
    }

    #[test]
    fn a_public_url_is_an_http_address_without_a_trailing_slash() {
        assert_eq!(parse_public_url("https://knee.clinic.example/").unwrap(), "https://knee.clinic.example");
        assert_eq!(parse_public_url(" http://10.0.0.5:8080/kneeroot ").unwrap(), "http://10.0.0.5:8080/kneeroot");
        for bad in [
            "knee.clinic.example",
            "ftp://x.example",
            "https://",
            "https:///x",
            "https://a b",
            "https://x/?q",
            "https://x/#f",
        ] {
            let e = parse_public_url(bad).expect_err(bad).to_string();
            assert!(e.starts_with("public_url:"), "{e}");
        }
    }
}
