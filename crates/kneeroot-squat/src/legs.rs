//! The landmarks of one leg, so that every per-leg metric is written once and run for both legs.

use crate::analysis::Side;
use crate::landmark::index;

/// One leg's landmark indices, with the opposite hip and heel (which define "medial" and "outward").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Leg {
    pub side: Side,
    pub shoulder: usize,
    pub hip: usize,
    pub knee: usize,
    pub ankle: usize,
    pub heel: usize,
    pub toe: usize,
    pub other_hip: usize,
    pub other_heel: usize,
}

/// The person's left leg.
pub(crate) const LEFT: Leg = Leg {
    side: Side::Left,
    shoulder: index::LEFT_SHOULDER,
    hip: index::LEFT_HIP,
    knee: index::LEFT_KNEE,
    ankle: index::LEFT_ANKLE,
    heel: index::LEFT_HEEL,
    toe: index::LEFT_FOOT_INDEX,
    other_hip: index::RIGHT_HIP,
    other_heel: index::RIGHT_HEEL,
};

/// The person's right leg.
pub(crate) const RIGHT: Leg = Leg {
    side: Side::Right,
    shoulder: index::RIGHT_SHOULDER,
    hip: index::RIGHT_HIP,
    knee: index::RIGHT_KNEE,
    ankle: index::RIGHT_ANKLE,
    heel: index::RIGHT_HEEL,
    toe: index::RIGHT_FOOT_INDEX,
    other_hip: index::LEFT_HIP,
    other_heel: index::LEFT_HEEL,
};

impl Leg {
    /// The leg on `side` (`Left` or `Right`; anything else gives the left).
    pub fn of(side: Side) -> Leg {
        if side == Side::Right { RIGHT } else { LEFT }
    }
}
