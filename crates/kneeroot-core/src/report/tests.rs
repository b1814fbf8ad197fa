use serde_json::json;

use super::*;
use crate::assess::assess;

fn kb() -> Knowledge {
    Knowledge::embedded().expect("shipped knowledge is valid")
}

fn answers(kb: &Knowledge, value: serde_json::Value) -> Answers {
    Answers::from_json_map(kb, value.as_object().expect("object")).expect("valid answers")
}

fn all_flags_no(kb: &Knowledge) -> serde_json::Map<String, serde_json::Value> {
    kb.questions().iter().filter(|q| q.group == "flags").map(|q| (q.id.clone(), json!(false))).collect()
}

#[test]
fn an_emergency_report_says_where_to_go_and_nothing_about_causes_or_exercises() {
    let kb = kb();
    let a = answers(&kb, json!({"flag.saddle_numbness_or_bladder_bowel_change": true, "squat.knee_caves_in": "both"}));
    let r = assess(&kb, &a);
    let text = render(&kb, &a, &r, Style::Text);
    assert!(text.contains("Get help now"));
    assert!(text.contains(&r.triage.reasons[0].action.split_whitespace().take(4).collect::<Vec<_>>().join(" ")));
    assert!(!text.contains("Because you said") && !text.contains("Your plan"));
    assert!(text.contains("not a diagnosis"));
}

#[test]
fn unanswered_safety_questions_are_called_out_and_answered_ones_are_not() {
    let kb = kb();
    let a = answers(&kb, json!({}));
    let text = render(&kb, &a, &assess(&kb, &a), Style::Text);
    assert!(text.contains("Safety questions not answered"));
    let all = answers(&kb, serde_json::Value::Object(all_flags_no(&kb)));
    let text = render(&kb, &all, &assess(&kb, &all), Style::Text);
    assert!(!text.contains("Safety questions not answered"));
}

#[test]
fn text_lines_are_wrapped_for_a_terminal() {
    let kb = kb();
    let mut map = all_flags_no(&kb);
    map.insert("squat.done".into(), json!(true));
    map.insert("squat.knee_caves_in".into(), json!("both"));
    let a = Answers::from_json_map(&kb, &map).expect("valid");
    let text = render(&kb, &a, &assess(&kb, &a), Style::Text);
    assert!(text.lines().all(|l| l.chars().count() <= 88), "a line is longer than 88 columns");
    assert!(text.contains("Because you said:"));
}

#[test]
fn markdown_escapes_what_would_become_markup() {
    let mut w = Markdown::default();
    w.paragraph("a *b* [c](d) <script>");
    assert_eq!(w.finish(), "a \\*b\\* \\[c\\](d) \\<script\\>\n\n");
}

#[test]
fn values_are_shown_with_labels_and_units() {
    let kb = kb();
    assert_eq!(value_label(&kb, "ankle.knee_to_wall_left_cm", &json!(7.5)), "7.5 cm");
    assert_eq!(value_label(&kb, "ankle.min_knee_to_wall_cm", &json!(7)), "7 cm");
    assert_eq!(value_label(&kb, "squat.heels_lift", &json!(true)), "yes");
    let front = kb.question("pain.location").expect("q").label_of("front").to_owned();
    assert_eq!(value_label(&kb, "pain.location", &json!(["front"])), front);
    assert_eq!(
        finding_label(&kb, "ankle.knee_to_wall_asymmetry_cm"),
        "Difference between the two sides in the knee-to-wall test"
    );
}

#[test]
fn dose_reads_naturally() {
    let d = crate::knowledge::Dose { sets: 3, reps: 1, hold_seconds: Some(30), per_week: 1 };
    assert_eq!(dose_text(&d), "3 × 1, held 30 s, 1 day a week");
}

#[test]
fn likelihood_words_follow_the_score() {
    assert_eq!(
        (likelihood(0.9), likelihood(0.5), likelihood(0.3), likelihood(0.1)),
        ("likely", "possible", "less likely", "unlikely")
    );
}
