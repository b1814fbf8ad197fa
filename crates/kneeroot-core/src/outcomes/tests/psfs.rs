//! PSFS: 3–5 activities, the mean, and follow-up matched by name.

use super::*;

fn psfs(activities: &[(&str, u8)]) -> Psfs {
    Psfs::new(activities.iter().map(|(n, r)| PsfsActivity::new(*n, *r)).collect()).expect("valid PSFS")
}

fn psfs_err(activities: &[(&str, u8)]) -> String {
    message(Psfs::new(activities.iter().map(|(n, r)| PsfsActivity::new(*n, *r)).collect()))
}

#[test]
fn the_score_is_the_mean_rating() {
    // (3 + 5 + 4) / 3 = 4.
    assert_eq!(psfs(&[("stairs", 3), ("running", 5), ("kneeling", 4)]).score(), 4.0);
    // (2 + 5 + 7 + 9) / 4 = 23 / 4 = 5.75.
    assert_eq!(psfs(&[("a", 2), ("b", 5), ("c", 7), ("d", 9)]).score(), 5.75);
}

#[test]
fn three_to_five_activities_are_needed() {
    assert_eq!(psfs_err(&[("a", 1), ("b", 2)]), "psfs needs from 3 to 5 activities; 2 were given");
    assert!(psfs_err(&[("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5), ("f", 6)]).contains("6 were given"));
    psfs(&[("a", 1), ("b", 2), ("c", 3), ("d", 4), ("e", 5)]);
}

#[test]
fn a_rating_above_10_is_an_error_naming_the_activity() {
    let text = psfs_err(&[("stairs", 3), ("running", 11), ("kneeling", 4)]);
    assert!(text.contains("'running' = 11") && text.contains("from 0"), "{text}");
}

#[test]
fn activities_need_distinct_non_empty_names() {
    assert!(psfs_err(&[("stairs", 3), ("  ", 1), ("kneeling", 4)]).contains("'activity 2'"));
    let text = psfs_err(&[("Going down stairs", 3), ("running", 1), ("going  down stairs ", 4)]);
    assert!(text.contains("'going  down stairs ' is listed twice"), "{text}");
}

#[test]
fn follow_up_activities_are_matched_by_name_and_judged_one_by_one_and_on_average() {
    // Stairs 3 → 7 (+4, ≥ 3: real), running 2 → 4 (+2: noise for one activity), kneeling 5 → 6 (+1).
    // Mean 10/3 → 17/3: +7/3 = +2.33…, ≥ 2: real. Names match ignoring case and spaces.
    let before = psfs(&[("Stairs", 3), ("running", 2), ("kneeling", 5)]);
    let after = psfs(&[("kneeling", 6), ("stairs", 7), ("Running ", 4)]);
    let change = compare_psfs(&before, &after, &MeaningfulChange::default()).expect("comparable");
    assert!((change.mean.delta - 7.0 / 3.0).abs() < 1e-9);
    assert_eq!(change.mean.direction, Direction::Improved);
    assert_eq!(change.mean.text, "+2.3: a real improvement");
    let verdicts: Vec<(&str, &str)> =
        change.activities.iter().map(|a| (a.name.as_str(), a.change.text.as_str())).collect();
    assert_eq!(
        verdicts,
        [
            ("Stairs", "+4: a real improvement"),
            ("running", "+2: within the noise"),
            ("kneeling", "+1: within the noise")
        ]
    );
    assert!(change.dropped.is_empty() && change.added.is_empty());
}

#[test]
fn a_dropped_or_added_activity_is_listed_and_never_moves_the_mean() {
    // Matched: stairs 3 → 5, running 2 → 4: mean 2.5 → 4.5 = +2, exactly the threshold: real.
    // Kneeling was dropped, cycling (rated 8) added: neither counts.
    let before = psfs(&[("stairs", 3), ("running", 2), ("kneeling", 5)]);
    let after = psfs(&[("stairs", 5), ("running", 4), ("cycling", 8)]);
    let change = compare_psfs(&before, &after, &MeaningfulChange::default()).expect("comparable");
    assert_eq!(change.mean.delta, 2.0);
    assert!(change.mean.meaningful);
    assert_eq!(change.dropped, ["kneeling"]);
    assert_eq!(change.added, ["cycling"]);
}

#[test]
fn a_follow_up_with_none_of_the_baseline_activities_cannot_be_compared() {
    let before = psfs(&[("stairs", 3), ("running", 2), ("kneeling", 5)]);
    let after = psfs(&[("cycling", 5), ("swimming", 4), ("golf", 8)]);
    let text = message(compare_psfs(&before, &after, &MeaningfulChange::default()));
    assert!(text.contains("stairs, running, kneeling") && text.contains("cycling, swimming, golf"), "{text}");
}

#[test]
fn a_psfs_reads_from_and_writes_to_a_list_of_activities() {
    let p: Psfs = serde_json::from_value(json!([
        {"name": "stairs", "rating": 3}, {"name": "running", "rating": 2}, {"name": "kneeling", "rating": 5}
    ]))
    .expect("valid");
    assert_eq!(p.activities().len(), 3);
    assert_eq!(serde_json::to_value(&p).expect("serialise")[2]["name"], "kneeling");
    assert!(serde_json::from_value::<Psfs>(json!([{"name": "stairs", "rating": 3}])).is_err());
}
