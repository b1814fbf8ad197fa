//! Time for one full assessment (triage + inference + plan) on a complete, realistic set of answers.
//!
//! Run: `cargo bench -p kneeroot-core --bench assess`. The figure is recorded in docs/performance.md.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use kneeroot_core::answers::DocumentFormat;
use kneeroot_core::{Answers, Knowledge, assess};

fn bench(c: &mut Criterion) {
    let kb = Knowledge::embedded().expect("shipped knowledge is valid");
    let text = include_str!("../tests/golden/13_mixed_hip_and_ankle.toml");
    let answers = Answers::parse_document(&kb, text, DocumentFormat::Toml).expect("valid answers");
    c.bench_function("assess: triage + infer + plan (full answers)", |b| {
        b.iter(|| assess(&kb, std::hint::black_box(&answers)))
    });
    c.bench_function("assess + serialise result JSON", |b| {
        b.iter(|| serde_json::to_vec(&assess(&kb, std::hint::black_box(&answers))).map(|v| v.len()))
    });
    c.bench_function("parse answers (TOML) + assess", |b| {
        b.iter(|| {
            let a = Answers::parse_document(&kb, std::hint::black_box(text), DocumentFormat::Toml).expect("valid");
            assess(&kb, &a)
        })
    });
    c.bench_function("load and validate the knowledge base", |b| b.iter(Knowledge::embedded));
}

criterion_group!(benches, bench);
criterion_main!(benches);
