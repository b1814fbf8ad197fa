//! Integration tests of the squat analysis, driven by synthetic skeletons filmed by a virtual phone
//! (`kneeroot_squat::synthetic`).
//!
//! Tolerances, and why:
//! - **Knee angle, orthographic camera, no noise: ±2°** of the true frontal-plane projection angle at the
//!   bottom. The reading is a median over the few samples nearest the bottom, after zero-phase smoothing, so
//!   it sits a fraction of a degree below the exact peak.
//! - **Knee angle with a real (perspective) phone at 3 m:** biased towards negative (pseudo-varus: the bent
//!   knees come towards the lens), by 0–8° at the depths used here; at 1.5 m the bias is larger.
//! - **Side view angles: ±3°** (depth, trunk, shin, knee flexion), heel lift ±0.03 foot lengths.
//! - **With noise σ = 1% of leg length (about 9 mm), dropped or low-visibility frames: ±3°** of the
//!   noise-free value, and the rep count exact.
#![allow(missing_docs)]

mod front;
mod properties;
mod reps;
mod robustness;
mod side;
mod support;
