//! How fast a whole recording is analysed: 30 s at 30 fps (900 frames) from the front and from the side,
//! with landmark noise, reported as frames per second (criterion's "elements").
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kneeroot_squat::synthetic::{Pose, Script};
use kneeroot_squat::{Thresholds, analyse};

fn thirty_seconds(base: Script) -> Script {
    // 0.9 s + 10 × (2 s rep + 0.9 s pause) = 29.9 s.
    Script { reps: 10, rep_seconds: 2.0, pause_seconds: 0.9, noise_m: 0.0088, ..base }
}

fn metrics(c: &mut Criterion) {
    let thresholds = Thresholds::default();
    let front = thirty_seconds(Script::front(Pose { swivel: [10.0, 5.0], ..Pose::bottom(-30.0, 25.0) })).recording();
    let side = thirty_seconds(Script::side(Pose { heel_pitch: [5.0, 5.0], ..Pose::bottom(0.0, 30.0) })).recording();
    let mut group = c.benchmark_group("analyse_30s_30fps");
    for (name, recording) in [("front", &front), ("side", &side)] {
        group.throughput(Throughput::Elements(recording.frames.len() as u64));
        group.bench_function(name, |b| b.iter(|| analyse(std::hint::black_box(recording), &thresholds)));
    }
    group.finish();
}

criterion_group!(benches, metrics);
criterion_main!(benches);
