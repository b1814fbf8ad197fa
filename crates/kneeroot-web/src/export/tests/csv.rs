//! The CSV tables: columns, order, values, and defused formulas in what people and knowledge bases name.

use super::{kb, record};
use crate::export::csv::{checkins, scores};

fn rows(table: &str) -> Vec<&str> {
    assert!(table.ends_with("\r\n"), "every line ends with CRLF");
    table.split("\r\n").filter(|l| !l.is_empty()).collect()
}

#[test]
fn the_diary_has_a_row_per_morning_and_per_exercise_by_day_morning_first() {
    let r = record();
    let table = checkins(&r, kb());
    let lines = rows(&table);
    assert_eq!(
        lines[0],
        "day,record,exercise_id,exercise,done,sets,reps,pain_during,quality_ok,morning_pain,usual_pain,stiffness,warning_signs"
    );
    assert_eq!(lines.len(), 1 + r.checkins.len() + r.mornings.len());
    let ex = &r.checkins[0].exercise_id;
    let name = &kb().exercise(ex).expect("a known exercise").name;
    assert!(lines[1].starts_with(&format!("2026-01-02,exercise,{ex},")), "{}", lines[1]);
    assert!(lines[1].ends_with(",true,2,10,3,true,,,,"), "{}", lines[1]);
    assert!(lines[1].contains(name.as_str()) || lines[1].contains(&format!("\"{name}\"")), "{}", lines[1]);
    assert_eq!(lines[2], "2026-01-03,morning,,,,,,,,2,2,same,");
    assert!(lines[3].starts_with("2026-01-03,exercise,"), "the morning comes before that day's session");
    assert!(lines[3].contains(",true,2,10,,true,"), "no pain reported is an empty cell: {}", lines[3]);
    assert_eq!(lines[4], "2026-01-04,morning,,,,,,,,4,2,same,flag.knee_locked");
    assert!(lines.iter().all(|l| l.split(',').count() >= 13), "every row has every column");
}

#[test]
fn words_that_a_spreadsheet_would_run_are_defused() {
    let mut r = record();
    r.checkins[0].exercise_id = "=HYPERLINK(\"http://x\",\"y\")".into();
    r.mornings[0].flags = vec!["@SUM(1)".into()];
    r.mornings[1].flags = vec!["-1+1".into(), "two".into()];
    let table = checkins(&r, kb());
    assert!(table.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""), "{table}");
    assert!(table.contains(",'@SUM(1)\r\n"), "{table}");
    assert!(table.contains(",'-1+1; two\r\n"), "{table}");
    assert!(!table.contains(",=") && !table.contains(",@") && !table.contains(",+"), "{table}");
}

#[test]
fn scores_have_a_row_per_score_with_the_instrument_and_its_version() {
    let r = record();
    let table = scores(&r);
    let lines = rows(&table);
    assert_eq!(lines[0], "taken_at,instrument,version,week,score,value");
    assert!(lines.contains(&"2026-01-01T00:01:00Z,nprs,nprs-0-10,0,rating,4"));
    assert!(lines.contains(&"2026-01-01T00:02:00Z,koos12,koos12-gandek-2019,0,pain,68.75"));
    assert!(lines.contains(&"2026-01-01T00:02:00Z,koos12,koos12-gandek-2019,0,qol,"), "a score not given is empty");
    assert!(lines.contains(&"2026-01-01T00:03:00Z,psfs,psfs-stratford-1995,0,score,5.0"));
    assert!(lines.contains(&"2026-01-01T00:04:00Z,kujala,akps-jorthop-2023,0,total,77"));
    assert!(!table.contains("kujala,akps-jorthop-2023,0,version"), "the version is a column, not a score");
    // 1 NPRS + 4 KOOS-12 + 2 PSFS + 1 Kujala.
    assert_eq!(lines.len(), 1 + 8);
}

#[test]
fn tables_are_deterministic_and_empty_records_give_just_the_header() {
    let r = record();
    assert_eq!(checkins(&r, kb()), checkins(&r, kb()));
    assert_eq!(scores(&r), scores(&r));
    let mut empty = r.clone();
    empty.checkins.clear();
    empty.mornings.clear();
    empty.outcomes.clear();
    assert_eq!(rows(&checkins(&empty, kb())).len(), 1);
    assert_eq!(scores(&empty), "taken_at,instrument,version,week,score,value\r\n");
}
