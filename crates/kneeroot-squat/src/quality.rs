//! Plain-words problems with the recording, so the person can fix the set-up and film again.
//!
//! Checked: an empty recording or a missing image size; the person found in too few frames; the body at
//! or beyond the edge of the picture in more than a tenth of the frames (MediaPipe then guesses the cut-off
//! points, which this crate does not use); the camera angle ([`crate::view_check`]); and no squat found.

use crate::analysis::Quality;
use crate::recording::Recording;
use crate::series::Series;
use crate::view_check::ViewCheck;

/// The quality report.
pub(crate) fn assess(recording: &Recording, series: &Series, view: &ViewCheck, reps: usize, min_drop: f64) -> Quality {
    let frames = recording.frames.len();
    let frames_with_pose = recording.frames.iter().filter(|f| f.landmarks.is_some()).count();
    let mut issues = Vec::new();
    if frames == 0 {
        issues.push("The recording has no frames.".to_owned());
    } else if frames_with_pose * 2 < frames {
        issues.push(format!(
            "You were found in only {frames_with_pose} of {frames} frames: check the light and that your whole body is in view."
        ));
    }
    if recording.width == 0 || recording.height == 0 {
        issues.push("The image size is missing, so no angle could be measured.".to_owned());
    }
    if frames_with_pose > 0 && series.frames_at_edge * 10 > frames_with_pose {
        issues.push(
            "Part of your body was at or beyond the edge of the picture: step back so that everything from head to feet is in view."
                .to_owned(),
        );
    }
    if frames_with_pose > 0 {
        issues.extend(view.issue.clone());
    }
    if frames_with_pose > 0 && reps == 0 {
        issues.push(format!(
            "No squat was found: the hips have to go down by at least {:.0}% of your leg length and come back up.",
            min_drop * 100.0
        ));
    }
    Quality { frames, frames_with_pose, issues }
}
