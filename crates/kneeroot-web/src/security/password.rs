//! Passwords: Argon2id with the crate's recommended parameters, hashed off the async threads (it is
//! deliberately slow), and a simple policy: long enough to resist guessing, short enough not to be a
//! denial-of-service lever.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

/// Why a new password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    /// Fewer than 10 characters.
    #[error("Please choose a password of at least 10 characters.")]
    TooShort,
    /// More than 1024 bytes.
    #[error("That password is too long (at most 1024 characters).")]
    TooLong,
}

/// Check a new password against the policy.
///
/// # Errors
/// The reason it is refused.
pub fn check_password_policy(password: &str) -> Result<(), PasswordPolicyError> {
    if password.len() > 1024 {
        Err(PasswordPolicyError::TooLong)
    } else if password.trim().chars().count() < 10 {
        Err(PasswordPolicyError::TooShort)
    } else {
        Ok(())
    }
}

/// Hash a password (Argon2id, random salt) on a blocking thread.
///
/// # Errors
/// Only if hashing itself fails (it does not for valid input) or the blocking pool is gone.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// Check a password against a stored hash on a blocking thread. A malformed or missing hash (`""` for an
/// unknown account) verifies nothing but still costs one hash, so response time does not reveal which
/// emails have accounts.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || match PasswordHash::new(&hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => {
            let _ = Argon2::default().hash_password(password.as_bytes());
            false
        }
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_nothing_else() {
        let hash = hash_password("correct horse battery".into()).await.expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), hash.clone()).await);
        assert!(!verify_password("correct horse battery!".into(), hash).await);
        assert!(!verify_password("x".into(), "not a hash".into()).await);
    }

    #[test]
    fn the_policy_wants_ten_characters_and_at_most_1024_bytes() {
        assert_eq!(check_password_policy("short"), Err(PasswordPolicyError::TooShort));
        assert_eq!(check_password_policy("          a"), Err(PasswordPolicyError::TooShort));
        assert_eq!(check_password_policy(&"x".repeat(1025)), Err(PasswordPolicyError::TooLong));
        assert!(check_password_policy("long enough pw").is_ok());
    }
}
