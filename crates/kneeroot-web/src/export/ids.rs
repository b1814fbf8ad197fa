//! Deterministic ids for exported resources.
//!
//! A FHIR bundle names each entry by a `urn:uuid:` and other entries refer to it by that name, so ids
//! must be unique within the bundle and, for the export to be reproducible, the same on every run. Each
//! id is therefore derived from what the resource stands for (its kind and the stored record's key), as
//! the first 128 bits of a SHA-256, shaped as an RFC 9562 version 8 (custom) UUID. One stored record can
//! give several resources (an NPRS response is a `QuestionnaireResponse` and a pain `Observation`),
//! hence the kind in the hash.

use sha2::{Digest, Sha256};

/// The UUID (lower-case, hyphenated) of the resource of `kind` made from the record keyed `key`.
pub(crate) fn uuid_for(kind: &str, key: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"kneeroot-export\0")
        .chain_update(kind)
        .chain_update(b"\0")
        .chain_update(key)
        .finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80; // version 8
    b[8] = (b[8] & 0x3f) | 0x80; // the RFC 9562 variant
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// `urn:uuid:` + [`uuid_for`]: the `fullUrl` of an entry, and how other entries refer to it.
pub(crate) fn urn_for(kind: &str, key: &str) -> String {
    format!("urn:uuid:{}", uuid_for(kind, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_distinct_and_shaped_like_uuids() {
        let a = uuid_for("Patient", "0123456789abcdef0123456789abcdef");
        assert_eq!(a, uuid_for("Patient", "0123456789abcdef0123456789abcdef"));
        assert_ne!(a, uuid_for("Observation", "0123456789abcdef0123456789abcdef"));
        assert_ne!(uuid_for("ab", "c"), uuid_for("a", "bc"), "the separator keeps kind and key apart");
        assert_eq!(a.len(), 36);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(parts[2].starts_with('8'), "version 8: {a}");
        assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "variant: {a}");
        assert!(urn_for("Patient", "x").starts_with("urn:uuid:"));
    }
}
