//! Is this a single-leg squat, and on which leg?
//!
//! Seen from the front, a lifted foot is higher in the picture than the standing one. When one ankle is
//! above the other by more than 15% of the standing leg length in at least 60% of the samples where both
//! ankles are usable, the recording is a single-leg squat on the lower leg. Both numbers leave wide margins:
//! in a two-leg squat the ankles differ by a few percent at most, and a single-leg squat keeps the foot
//! clear of the floor (a lifted foot is usually 20–50% of leg length up).

use crate::analysis::Side;
use crate::landmark::index;
use crate::reps::Motion;
use crate::series::Series;

const LIFT_FRACTION: f64 = 0.15;
const MIN_SHARE: f64 = 0.6;

/// The standing leg of a single-leg squat, or `None` for a two-leg one.
pub(crate) fn single_leg_stance(series: &Series, motion: &Motion) -> Option<Side> {
    let mut both = 0usize;
    let mut left_up = 0usize;
    let mut right_up = 0usize;
    for i in 0..series.len() {
        let (Some(l), Some(r)) = (series.at(i, index::LEFT_ANKLE), series.at(i, index::RIGHT_ANKLE)) else {
            continue;
        };
        both += 1;
        // Image y grows downwards: the higher ankle has the smaller y.
        let lift = (r.y - l.y) / motion.leg_length;
        if lift > LIFT_FRACTION {
            left_up += 1;
        } else if lift < -LIFT_FRACTION {
            right_up += 1;
        }
    }
    let needed = MIN_SHARE * both as f64;
    if both == 0 {
        None
    } else if left_up as f64 >= needed {
        Some(Side::Right)
    } else if right_up as f64 >= needed {
        Some(Side::Left)
    } else {
        None
    }
}
