//! CSV tables for spreadsheets: the check-in diary and the questionnaire scores.
//!
//! Written to RFC 4180: a header row, CRLF line ends, and a field quoted (with inner quotes doubled)
//! when it holds a comma, a quote or a line break. A spreadsheet would run a text cell that starts with
//! `=`, `+`, `-` or `@` (or a tab or carriage return) as a formula, and some of these cells hold words a
//! person typed or a knowledge base named, so such a text cell gets a leading `'` (OWASP's advice for CSV
//! injection). Numbers are written as numbers and never prefixed, so a negative number stays a number.
//!
//! Both tables are "long": one row per thing recorded, so their columns never change whatever was
//! answered. In the diary a morning report and each exercise of a day are rows of their own (`record`
//! says which), the morning first, as it came first that day; scores have one row per score.

use kneeroot_core::Knowledge;
use kneeroot_core::booking::format_instant;
use kneeroot_store::{ExerciseCheckin, MorningReport};
use serde_json::Value;

use super::record::PatientRecord;
use crate::pages::current::ymd;

/// One field of a row.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    /// Words: guarded against formulas, quoted as needed.
    Text(String),
    /// A number, written as it is.
    Number(String),
    /// Nothing recorded.
    Empty,
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn number(n: impl ToString) -> Cell {
    Cell::Number(n.to_string())
}

fn maybe(n: Option<i64>) -> Cell {
    n.map_or(Cell::Empty, number)
}

fn yes_no(b: bool) -> Cell {
    text(if b { "true" } else { "false" })
}

/// Characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

impl Cell {
    fn write(&self, out: &mut String) {
        match self {
            Cell::Empty => {}
            Cell::Number(n) => out.push_str(n),
            Cell::Text(s) => {
                let guarded = if s.starts_with(FORMULA_STARTS) { format!("'{s}") } else { s.clone() };
                if guarded.contains([',', '"', '\r', '\n']) {
                    out.push('"');
                    out.push_str(&guarded.replace('"', "\"\""));
                    out.push('"');
                } else {
                    out.push_str(&guarded);
                }
            }
        }
    }
}

/// A whole table: the header, then the rows, each line ended by CRLF.
fn table(header: &[&str], rows: &[Vec<Cell>]) -> String {
    let mut out = String::new();
    let header: Vec<Cell> = header.iter().map(|h| text(*h)).collect();
    for row in std::iter::once(&header).chain(rows) {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            cell.write(&mut out);
        }
        out.push_str("\r\n");
    }
    out
}

const DIARY_HEADER: [&str; 13] = [
    "day",
    "record",
    "exercise_id",
    "exercise",
    "done",
    "sets",
    "reps",
    "pain_during",
    "quality_ok",
    "morning_pain",
    "usual_pain",
    "stiffness",
    "warning_signs",
];

fn morning_row(m: &MorningReport) -> Vec<Cell> {
    let mut row = vec![text(ymd(m.day)), text("morning")];
    row.extend(std::iter::repeat_n(Cell::Empty, 7));
    row.extend([number(m.pain), number(m.usual), text(m.stiffness.as_str()), text(m.flags.join("; "))]);
    row
}

fn exercise_row(c: &ExerciseCheckin, kb: &Knowledge) -> Vec<Cell> {
    let name = kb.exercise(&c.exercise_id).map_or(c.exercise_id.as_str(), |x| x.name.as_str());
    let mut row = vec![
        text(ymd(c.day)),
        text("exercise"),
        text(c.exercise_id.as_str()),
        text(name),
        yes_no(c.done),
        maybe(c.sets_done),
        maybe(c.reps_done),
        maybe(c.pain_during),
        yes_no(c.quality_ok),
    ];
    row.extend(std::iter::repeat_n(Cell::Empty, 4));
    row
}

/// Where a diary row goes: (day, 0 = morning / 1 = exercise, exercise id), merging the store's own orders.
type DiaryKey<'a> = (i64, u8, &'a str);

/// The check-in diary: every morning report and every exercise check-in, by day.
pub(crate) fn checkins(record: &PatientRecord, kb: &Knowledge) -> String {
    let mut keyed: Vec<(DiaryKey<'_>, Vec<Cell>)> = record
        .mornings
        .iter()
        .map(|m| ((m.day, 0, ""), morning_row(m)))
        .chain(record.checkins.iter().map(|c| ((c.day, 1, c.exercise_id.as_str()), exercise_row(c, kb))))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let rows: Vec<Vec<Cell>> = keyed.into_iter().map(|(_, row)| row).collect();
    table(&DIARY_HEADER, &rows)
}

/// Questionnaire scores: one row per score of each completed questionnaire, oldest first. A score the
/// answers did not allow (too few items) is an empty value; the scoring version is its own column.
pub(crate) fn scores(record: &PatientRecord) -> String {
    let mut rows = Vec::new();
    for r in &record.outcomes {
        let Ok(Value::Object(scores)) = serde_json::from_str::<Value>(&r.scores) else { continue };
        for (name, value) in &scores {
            let value = match value {
                Value::Number(n) => number(n),
                Value::Null => Cell::Empty,
                _ => continue,
            };
            rows.push(vec![
                text(format_instant(r.taken_at)),
                text(r.instrument.as_str()),
                text(r.version.as_str()),
                number(r.week),
                text(name.as_str()),
                value,
            ]);
        }
    }
    table(&["taken_at", "instrument", "version", "week", "score", "value"], &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(cells: Vec<Cell>) -> String {
        table(&["h"], &[cells]).trim_start_matches("h\r\n").to_owned()
    }

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(
            line(vec![text("plain"), text("a,b"), text("say \"hi\""), text("two\nlines")]),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        );
        assert_eq!(line(vec![Cell::Empty, number(3), Cell::Empty]), ",3,\r\n");
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_defused_but_numbers_are_not() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "=HYPERLINK(\"x\",\"y\")"] {
            let written = line(vec![text(bad)]);
            let unquoted = written.trim_end_matches("\r\n").trim_start_matches('"');
            assert!(unquoted.starts_with('\''), "{bad:?} → {written:?}");
        }
        assert_eq!(line(vec![text("=a,b")]), "\"'=a,b\"\r\n");
        assert_eq!(line(vec![number(-3)]), "-3\r\n", "a negative number stays a number");
        assert_eq!(line(vec![text("a-b")]), "a-b\r\n", "only a leading sign matters");
    }
}
