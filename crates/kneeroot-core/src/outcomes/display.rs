//! How scores are shown to people: one decimal, rounded half-up.
//!
//! Scores are computed and stored unrounded (the scoring sheets specify no rounding, and rounding before a
//! subtraction would move change scores across thresholds). Only text meant for reading is rounded, here,
//! in one place. Rust's `{:.1}` rounds exact ties to even (81.25 → "81.2"), which is not what a clinician
//! expects on paper, hence the explicit half-up step.

/// A score rounded half-up (away from zero) to one decimal, for display: `81.25` → `"81.3"`, `65.0` → `"65.0"`.
pub fn display_score(value: f64) -> String {
    format!("{:.1}", round_1dp(value))
}

/// A change with its sign and at most one decimal: `12.0` → `"+12"`, `-2.5` → `"-2.5"`, `0.0` → `"0"`.
pub fn display_delta(delta: f64) -> String {
    let rounded = round_1dp(delta);
    let text = format!("{:.1}", rounded.abs());
    let text = text.strip_suffix(".0").unwrap_or(&text);
    if rounded > 0.0 {
        format!("+{text}")
    } else if rounded < 0.0 {
        format!("-{text}")
    } else {
        // No sign on zero, and never "-0".
        text.to_owned()
    }
}

fn round_1dp(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_ties_round_half_up_not_to_even() {
        // 81.25 and 93.75 are exact in binary: KOOS scores of 3/16 and 1/16 of the way down.
        assert_eq!(display_score(81.25), "81.3");
        assert_eq!(display_score(93.75), "93.8");
        assert_eq!(display_score(65.0), "65.0");
        assert_eq!(display_score(200.0 / 3.0), "66.7");
    }

    #[test]
    fn deltas_carry_a_sign_and_drop_a_trailing_zero() {
        assert_eq!(display_delta(12.0), "+12");
        assert_eq!(display_delta(-2.5), "-2.5");
        assert_eq!(display_delta(0.0), "0");
        assert_eq!(display_delta(-0.01), "0");
        assert_eq!(display_delta(9.999_999_999), "+10");
    }
}
