//! The knowledge base shipped inside the binary. Compiled in, so the core stays free of IO.

/// The files of the knowledge base, by name, as shipped.
pub const FILES: [(&str, &str); 11] = [
    ("sources.toml", include_str!("../../../../knowledge/sources.toml")),
    ("questions.toml", include_str!("../../../../knowledge/questions.toml")),
    ("red_flags.toml", include_str!("../../../../knowledge/red_flags.toml")),
    ("causes.toml", include_str!("../../../../knowledge/causes.toml")),
    ("evidence.toml", include_str!("../../../../knowledge/evidence.toml")),
    ("exercises.toml", include_str!("../../../../knowledge/exercises.toml")),
    ("plan.toml", include_str!("../../../../knowledge/plan.toml")),
    ("faq.toml", include_str!("../../../../knowledge/faq.toml")),
    ("progression.toml", include_str!("../../../../knowledge/progression.toml")),
    ("caseload.toml", include_str!("../../../../knowledge/caseload.toml")),
    ("camera.toml", include_str!("../../../../knowledge/camera.toml")),
];
