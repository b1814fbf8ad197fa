//! Security mechanics in one place: response headers, random tokens, password hashing, CSRF comparison
//! and login throttling.

mod headers;
mod password;
mod throttle;
mod tokens;

pub use headers::headers;
pub use password::{PasswordPolicyError, check_password_policy, hash_password, verify_password};
pub use throttle::{Throttle, client_ip};
pub use tokens::{constant_time_eq, new_token, token_hash};
