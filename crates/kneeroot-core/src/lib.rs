//! # kneeroot-core
//!
//! The pure heart of kneeroot: a physiotherapist's root-cause method for knee pain, as a function from
//! answers to a safe, explained result. The knee is usually the victim, caught between the hips, the
//! ankles and the lower back that governs both; this crate decides whether self-management is safe at
//! all ([`triage`]), which of those regions most likely drives the pain ([`infer`]), and what to do about
//! it over 8–12 weeks ([`plan`]).
//!
//! ## Design
//! - **Pure.** No IO, no clock, no randomness: time and ids are passed in, the knowledge base is embedded
//!   at compile time or handed over as text. Everything here is deterministic and tested in milliseconds.
//! - **Knowledge is data.** Clinical content lives in `knowledge/*.toml` ([`knowledge`]); the code is the
//!   machinery that reads it. Conditions in those files use a small checked language ([`condition`]).
//! - **Parse at the edge.** [`answers::Answers`] can only be built by validating raw input against the
//!   knowledge base; after that, the engine cannot meet an unknown id or an out-of-range value.
//! - **Safety first.** [`assess::assess`] runs triage before anything else and never produces a plan at
//!   `emergency` or `urgent`.
//! - **Explainable.** Every score carries the evidence that moved it, with the person's own answer, a
//!   citation and a plain sentence; confidence is stated honestly and separately from the score.
//!
//! This is decision support, not a diagnosis.
//!
//! # Example
//!
//! ```
//! use kneeroot_core::answers::DocumentFormat;
//! use kneeroot_core::knowledge::TriageLevel;
//! use kneeroot_core::{Answers, Knowledge, assess};
//!
//! let kb = Knowledge::embedded().expect("the shipped knowledge base is valid");
//! let answers = Answers::parse_document(&kb, r#"
//!     squat.done = true
//!     squat.knee_caves_in = "both"
//!     hip.side_lying_lift_weak = "both"
//! "#, DocumentFormat::Toml).expect("valid answers");
//! let result = assess(&kb, &answers);
//! assert_eq!(result.triage.level, TriageLevel::SelfCare);
//! assert_eq!(result.root_causes[0].id, "hip");
//! assert!(result.plan.is_some());
//! ```
//!
//! A red flag pre-empts everything:
//!
//! ```
//! # use kneeroot_core::{Answers, Knowledge, assess, answers::DocumentFormat, knowledge::TriageLevel};
//! # let kb = Knowledge::embedded().unwrap();
//! let answers = Answers::parse_document(&kb, r#"{"flag.knee_locked": true}"#, DocumentFormat::Json).unwrap();
//! let result = assess(&kb, &answers);
//! assert_eq!(result.triage.level, TriageLevel::Urgent);
//! assert!(result.plan.is_none());
//! ```

#![deny(missing_docs)]

pub mod answers;
pub mod assess;
pub mod booking;
pub mod camera;
pub mod caseload;
pub mod condition;
pub mod facts;
pub mod faq;
pub mod infer;
pub mod knowledge;
pub mod outcomes;
pub mod plan;
pub mod progression;
pub mod report;
pub mod triage;

pub use answers::Answers;
pub use assess::{AssessmentResult, assess};
pub use knowledge::Knowledge;
