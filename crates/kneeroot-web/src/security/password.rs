//! Passwords: Argon2id with the crate's recommended parameters, and a simple policy: long enough to resist
//! guessing, short enough not to be a denial-of-service lever.
//!
//! Every hash (and every verification, which is a hash) runs on **one dedicated thread**, off the async
//! threads because it is deliberately slow, in **one working memory allocated once and never freed**.
//! Why: each hash works in 19 MiB. Allocated and freed per hash (as the argon2 crate does by default),
//! that block is served by `mmap`, and glibc answers the first such free by raising its `mmap` threshold
//! to 19 MiB for good, so from then on every allocation below that size (response buffers, rows, the
//! request machinery) is kept in the heap arenas of whichever thread made it, never returned: the
//! server's RSS under load went from ~25 MB to ~97 MB. Kept for the life of the process, the block is
//! paid for once and the threshold stays where it was. The price is that hashes queue on one thread: one
//! takes tens of milliseconds, so an instance signs in a few dozen people a second, beyond a clinic's
//! needs (and logins are throttled per account and address anyway).
//!
//! The hashes are the standard PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`) the argon2
//! crate writes and reads, so stored hashes are unchanged; a hash with other parameters (an older or
//! stronger setting) still verifies, in a block sized for it.

use std::sync::OnceLock;
use std::sync::mpsc::{Sender, channel};

use std::cell::RefCell;

use argon2::password_hash::phc::{Output, ParamsString, Salt};
use argon2::{Algorithm, Argon2, Block, Params, PasswordHash, Version};
use rand::Rng;

/// Bytes of random salt per hash (the PHC recommendation, and the argon2 crate's default).
const SALT_LEN: usize = 16;

thread_local! {
    /// The hashing thread's working memory: grown to the largest hash seen, never freed (see the module
    /// docs for why that matters).
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 of `password` with `salt` under these settings into `out`, in the thread's kept memory.
fn argon2_into(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
) -> Result<(), argon2::Error> {
    let blocks = params.block_count();
    MEMORY.with_borrow_mut(|memory| {
        if memory.len() < blocks {
            memory.resize(blocks, Block::new());
        }
        Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password,
            salt,
            out,
            &mut memory[..blocks],
        )
    })
}

/// A new PHC string for `password`: Argon2id, the recommended parameters, a random salt.
fn hash_new(password: &[u8]) -> anyhow::Result<String> {
    let mut salt = [0u8; SALT_LEN];
    rand::rng().fill_bytes(&mut salt);
    let params = Params::default();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(Algorithm::Argon2id, Version::V0x13, params.clone(), password, &salt, &mut out)
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| anyhow::anyhow!("hash parameters: {e}"))?,
        salt: Some(Salt::new(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?),
        hash: Some(Output::new(&out).map_err(|e| anyhow::anyhow!("hash output: {e}"))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `stored` (any Argon2 variant and parameters it names).
fn matches(password: &[u8], stored: &str) -> bool {
    let check = || -> Option<bool> {
        let phc = PasswordHash::new(stored).ok()?;
        let algorithm = Algorithm::try_from(phc.algorithm.as_str()).ok()?;
        let version = match phc.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&phc).ok()?;
        let (salt, expected) = (phc.salt?, phc.hash?);
        let mut out = vec![0u8; expected.len()];
        argon2_into(algorithm, version, params, password, salt.as_ref(), &mut out).ok()?;
        // Output's equality is constant-time.
        Some(Output::new(&out).ok()? == expected)
    };
    check().unwrap_or(false)
}

/// A unit of work for the hashing thread.
type Job = Box<dyn FnOnce() + Send>;

/// The hashing thread's queue, started on first use.
fn hasher() -> &'static Sender<Job> {
    static HASHER: OnceLock<Sender<Job>> = OnceLock::new();
    HASHER.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        let started = std::thread::Builder::new().name("kneeroot-argon2".into()).spawn(move || {
            for job in rx {
                job();
            }
        });
        // Without the thread its receiver is gone, so every hash fails with a logged error, not a panic.
        if let Err(e) = started {
            tracing::error!(error = %e, "cannot start the password-hashing thread");
        }
        tx
    })
}

/// Run `work` on the hashing thread and wait for it without blocking the async threads.
async fn on_hashing_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> anyhow::Result<T> {
    let (done, result) = tokio::sync::oneshot::channel();
    hasher()
        .send(Box::new(move || {
            // The receiver is gone only if the request was abandoned; nothing to tell then.
            let _ = done.send(work());
        }))
        .map_err(|_| anyhow::anyhow!("the password-hashing thread has stopped"))?;
    result.await.map_err(|_| anyhow::anyhow!("the password-hashing thread dropped a job"))
}

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

/// Hash a password (Argon2id, random salt) on the hashing thread.
///
/// # Errors
/// Only if hashing itself fails (it does not for valid input) or the hashing thread is gone.
pub async fn hash_password(password: String) -> anyhow::Result<String> {
    on_hashing_thread(move || hash_new(password.as_bytes())).await?
}

/// Check a password against a stored hash on the hashing thread. A malformed or missing hash (`""` for an
/// unknown account) verifies nothing but still costs one hash, so response time does not reveal which
/// emails have accounts.
pub async fn verify_password(password: String, hash: String) -> bool {
    on_hashing_thread(move || {
        if PasswordHash::new(&hash).is_ok() {
            matches(password.as_bytes(), &hash)
        } else {
            // As long as a real check, so timing does not tell a missing account from a wrong password.
            let _ = hash_new(password.as_bytes());
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

    #[tokio::test]
    async fn hashes_are_interchangeable_with_the_argon2_crates_own() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        // Stored before this hasher existed (the crate's own path): still verifies.
        let theirs = Argon2::default().hash_password(b"correct horse battery").expect("hash").to_string();
        assert!(verify_password("correct horse battery".into(), theirs.clone()).await);
        assert!(!verify_password("correct horse batter".into(), theirs).await);
        // Ours is a standard PHC string the crate verifies.
        let ours = hash_password("correct horse battery".into()).await.expect("hash");
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        let parsed = PasswordHash::new(&ours).expect("a PHC string");
        assert!(Argon2::default().verify_password(b"correct horse battery", &parsed).is_ok());
        // Other parameters (smaller and larger than the kept memory) verify in memory sized for them.
        for (m, t) in [(8 * 1024, 3), (32 * 1024, 1)] {
            let params = Params::new(m, t, 1, None).expect("params");
            let other = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password(b"pass phrase here")
                .expect("hash")
                .to_string();
            assert!(verify_password("pass phrase here".into(), other.clone()).await, "{other}");
            assert!(!verify_password("pass phrase there".into(), other).await);
        }
        // A damaged hash verifies nothing.
        let ours = hash_password("x".repeat(12)).await.expect("hash");
        assert!(!verify_password("x".repeat(12), ours[..ours.len() - 4].to_owned()).await);
    }

    #[test]
    fn the_policy_wants_ten_characters_and_at_most_1024_bytes() {
        assert_eq!(check_password_policy("short"), Err(PasswordPolicyError::TooShort));
        assert_eq!(check_password_policy("          a"), Err(PasswordPolicyError::TooShort));
        assert_eq!(check_password_policy(&"x".repeat(1025)), Err(PasswordPolicyError::TooLong));
        assert!(check_password_policy("long enough pw").is_ok());
    }
}
