//! Test support for the property tests of the page-form decoders (`wizard/tests.rs`,
//! `checkin/tests.rs`, `questionnaires/properties.rs`).
//!
//! A decoder takes a [`CheckedForm`]: every field, in order, after the CSRF check. The CSRF check itself
//! belongs to the extractor and is tested over HTTP, so here [`form`] builds a form from any list of
//! fields directly, and the strategies produce the field lists a hostile or careless client could send:
//! known names with odd values, repeated names, unknown names, and text of every kind (numbers of any
//! size and sign, decimal commas, NaN and infinity, control characters, non-ASCII, markup and SQL).

use std::sync::OnceLock;

use kneeroot_core::Knowledge;
use kneeroot_store::{Session, SessionKind};
use proptest::prelude::*;

use crate::session::{CheckedForm, Visitor};

/// The embedded knowledge base, parsed once per test binary.
pub(crate) fn kb() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(|| Knowledge::embedded().expect("the embedded knowledge base is valid"))
}

/// A form that passed the CSRF check, carrying exactly `fields`.
pub(crate) fn form(fields: &[(String, String)]) -> CheckedForm {
    let session = Session {
        token_hash: "0".repeat(64),
        user_id: None,
        kind: SessionKind::Browser,
        csrf_token: "1".repeat(64),
        draft: None,
        camera: None,
        created_at: 0,
        expires_at: i64::MAX,
    };
    CheckedForm { visitor: Visitor::default(), session, fields: fields.to_vec() }
}

/// Any text a field could carry, weighted towards what breaks parsers.
pub(crate) fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => "\\PC{0,24}",
        2 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|n| n.to_string()),
        1 => (-20i64..120).prop_map(|n| n.to_string()),
        1 => "[0-9]{1,3}[.,][0-9]{1,4}",
        1 => "[ \t]{0,2}-?[0-9]{0,40}[ \t]{0,2}",
        1 => prop::sample::select(vec![
            "", " ", "yes", "no", "on", "NaN", "inf", "-inf", "1e308", "-0", "0x10", "٣", "\u{0}", "<script>",
            "' OR 1=1 --", "none", "both", "left", "same", "less", "more",
        ])
        .prop_map(str::to_owned),
    ]
}

/// A field list whose names come mostly from `names` (so the decoder reads them), sometimes from
/// nowhere, with hostile values; names may repeat.
pub(crate) fn hostile_fields(names: Vec<String>) -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![4 => prop::sample::select(names), 1 => "\\PC{0,12}"];
    prop::collection::vec((name, hostile_text()), 0..24)
}
