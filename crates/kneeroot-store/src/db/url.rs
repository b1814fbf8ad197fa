//! Which database a URL names, decided once from its scheme.
//!
//! Only file-backed SQLite and PostgreSQL are accepted. An in-memory SQLite database is refused: every
//! pooled connection would get its own empty database, so writes would seem to vanish. A SQLite URL gets
//! `mode=rwc` unless it says otherwise, so a first start creates the file.
//!
//! A URL may carry a password, and error messages end up in logs, so [`redact`] removes the userinfo
//! before a URL is ever shown.

use crate::db::Backend;
use crate::error::{StoreError, StoreResult};

/// The backend a URL names and the URL to hand to the driver.
pub(super) fn classify(url: &str) -> StoreResult<(Backend, String)> {
    let url = url.trim();
    if let Some(rest) = url.strip_prefix("sqlite://") {
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let in_memory = path.is_empty() || path == ":memory:" || query.split('&').any(|p| p == "mode=memory");
        if in_memory {
            return Err(StoreError::BadUrl(format!(
                "{} (an in-memory database cannot be shared; give a file)",
                redact(url)
            )));
        }
        let with_mode = match (query.is_empty(), query.split('&').any(|p| p.starts_with("mode="))) {
            (true, _) => format!("{url}?mode=rwc"),
            (false, false) => format!("{url}&mode=rwc"),
            (false, true) => url.to_owned(),
        };
        return Ok((Backend::Sqlite, with_mode));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_owned()));
    }
    Err(StoreError::BadUrl(redact(url)))
}

/// The file of a SQLite URL (`None` for PostgreSQL).
pub(super) fn sqlite_path(url: &str) -> StoreResult<Option<std::path::PathBuf>> {
    let (backend, url) = classify(url)?;
    if backend != Backend::Sqlite {
        return Ok(None);
    }
    let rest = url.strip_prefix("sqlite://").unwrap_or(&url);
    let path = rest.split_once('?').map_or(rest, |(path, _)| path);
    Ok(Some(std::path::PathBuf::from(path)))
}

/// The URL without its userinfo (`user:password@`), safe to log or show.
pub(super) fn redact(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    // The last `@` ends the userinfo (a password may itself contain `@`). Should one appear later, in a
    // path or query, more is hidden than needed, which errs on the safe side.
    match rest.rfind('@') {
        Some(at) => format!("{scheme}***@{}", &rest[at + 1..]),
        None => format!("{scheme}{rest}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode_unless_they_set_one() {
        let (b, u) = classify("sqlite:///tmp/k.db").unwrap();
        assert_eq!((b, u.as_str()), (Backend::Sqlite, "sqlite:///tmp/k.db?mode=rwc"));
        assert_eq!(classify("sqlite://k.db?cache=shared").unwrap().1, "sqlite://k.db?cache=shared&mode=rwc");
        assert_eq!(classify("sqlite://k.db?mode=ro").unwrap().1, "sqlite://k.db?mode=ro");
    }

    #[test]
    fn a_sqlite_url_names_its_file() {
        assert_eq!(
            sqlite_path("sqlite:///var/lib/kr/kneeroot.db?mode=rwc").unwrap(),
            Some("/var/lib/kr/kneeroot.db".into())
        );
        assert_eq!(sqlite_path("sqlite://k.db").unwrap(), Some("k.db".into()));
        assert_eq!(sqlite_path("postgres://u@h/db").unwrap(), None);
        assert!(sqlite_path("sqlite://:memory:").is_err());
    }

    #[test]
    fn postgres_urls_pass_through() {
        for url in ["postgres://u@h/db", "postgresql://u:p@h:5432/db?sslmode=require"] {
            assert_eq!(classify(url).unwrap(), (Backend::Postgres, url.to_owned()));
        }
    }

    #[test]
    fn in_memory_and_unknown_schemes_are_refused() {
        for url in
            ["sqlite://:memory:", "sqlite://", "sqlite://x.db?mode=memory", "sqlite::memory:", "mysql://h/db", ""]
        {
            assert!(matches!(classify(url), Err(StoreError::BadUrl(_))), "{url}");
        }
    }

    #[test]
    fn refusals_never_show_the_password() {
        let Err(StoreError::BadUrl(msg)) = classify("mysql://admin:s3cr@t@db.example/kr") else {
            panic!("mysql must be refused");
        };
        assert_eq!(msg, "mysql://***@db.example/kr");
        assert_eq!(redact("user:pw@host/db"), "***@host/db");
        assert_eq!(redact("postgres://host/db"), "postgres://host/db");
    }
}
