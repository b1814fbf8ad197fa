//! The interactive assessment in a terminal.
//!
//! It asks only what applies: a question with an `ask_when` is asked only when earlier answers make it true
//! (injury questions only after an injury, the one-leg squat only after the two-leg squat). Each answer is
//! checked on the spot with the same validation as files and the API, so a typo is re-asked, not stored.
//! `?` shows the help (how to do a self-test safely), `b` goes back one question, Enter skips, `q` stops
//! and assesses what was answered. As soon as the answers so far trigger an `emergency` or `urgent` red
//! flag, the questions stop: the person needs to know where to go, not to finish a questionnaire.
//!
//! Input and output are passed in, so tests drive it with a script of lines.

use std::io::{self, BufRead, Write};

use kneeroot_core::answers::Value;
use kneeroot_core::condition::Tri;
use kneeroot_core::facts::AnswerFacts;
use kneeroot_core::knowledge::{Question, QuestionKind, TriageLevel};
use kneeroot_core::triage::triage;
use kneeroot_core::{Answers, Knowledge};
use serde_json::Value as Json;

/// What the person typed, once interpreted.
enum Reply {
    Value(Json),
    Skip,
    Help,
    Back,
    Quit,
}

/// Ask the questions; return the answers given (possibly partial).
///
/// # Errors
/// Only if reading the input or writing the output fails.
pub fn ask(kb: &Knowledge, input: &mut dyn BufRead, out: &mut dyn Write) -> io::Result<Answers> {
    writeln!(out, "kneeroot: a knee pain self-assessment (decision support, not a diagnosis).")?;
    writeln!(out, "Press Enter to skip a question, ? for help, b to go back, q to finish early.")?;
    let mut answers = Answers::empty(kb);
    let mut history: Vec<usize> = Vec::new();
    let mut index = 0;
    let mut group = String::new();
    while index < kb.questions().len() {
        let q = &kb.questions()[index];
        let applies = q.ask_when.as_ref().is_none_or(|w| w.eval(&AnswerFacts::new(kb, &answers)) == Tri::True);
        if !applies {
            index += 1;
            continue;
        }
        if q.group != group {
            group.clone_from(&q.group);
            if let Some(g) = kb.groups().iter().find(|g| g.id == q.group) {
                writeln!(out, "\n== {} ==", g.title)?;
                if let Some(intro) = &g.intro {
                    writeln!(out, "{}", intro.trim())?;
                }
            }
        }
        prompt(out, q, answers.get_index(index))?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            break; // end of input: assess what we have
        }
        match interpret(q, line.trim()) {
            Ok(Reply::Quit) => break,
            Ok(Reply::Help) => {
                let help =
                    q.help.as_deref().unwrap_or("No extra help for this one: answer as best you can, or skip it.");
                writeln!(out, "  {}", help.trim())?;
            }
            Ok(Reply::Back) => match history.pop() {
                Some(prev) => {
                    index = prev;
                    group.clear();
                }
                None => writeln!(out, "  This is the first question.")?,
            },
            Ok(Reply::Skip) => {
                answers.set(kb, &q.id, &Json::Null).ok();
                history.push(index);
                index += 1;
            }
            Ok(Reply::Value(v)) => match answers.set(kb, &q.id, &v) {
                Ok(()) => {
                    history.push(index);
                    index += 1;
                    if triage(&AnswerFacts::new(kb, &answers)).level >= TriageLevel::Urgent {
                        writeln!(out, "\nThat answer needs attention before anything else. Here is what to do.")?;
                        break;
                    }
                }
                Err(e) => writeln!(out, "  {e}")?,
            },
            Err(message) => writeln!(out, "  {message}")?,
        }
    }
    Ok(answers)
}

fn prompt(out: &mut dyn Write, q: &Question, current: Option<&Value>) -> io::Result<()> {
    writeln!(out, "\n{}", q.text)?;
    match &q.kind {
        QuestionKind::Bool => write!(out, "  [y/n]")?,
        QuestionKind::Int { min, max } => write!(out, "  [{min}–{max}{}]", unit(q))?,
        QuestionKind::Number { min, max } => write!(
            out,
            "  [{}–{}{}]",
            kneeroot_core::answers::format_number(*min),
            kneeroot_core::answers::format_number(*max),
            unit(q)
        )?,
        QuestionKind::Enum | QuestionKind::List => {
            for (i, o) in q.options.iter().enumerate() {
                writeln!(out, "  {}. {}", i + 1, o.label)?;
            }
            if q.kind == QuestionKind::List {
                write!(out, "  [numbers separated by commas, or - for none]")?;
            } else {
                write!(out, "  [number]")?;
            }
        }
        QuestionKind::Side => write!(out, "  [n = none, l = left, r = right, b = both]")?,
    }
    if let Some(v) = current {
        write!(out, " (now: {})", v.display())?;
    }
    write!(out, " > ")?;
    out.flush()
}

fn unit(q: &Question) -> String {
    match q.unit.as_deref() {
        Some(u) if u.starts_with('/') => u.to_owned(),
        Some(u) => format!(" {u}"),
        None => String::new(),
    }
}

/// Turn a typed line into a reply, or say what was expected.
fn interpret(q: &Question, line: &str) -> Result<Reply, String> {
    let lower = line.to_lowercase();
    match lower.as_str() {
        "" => return Ok(Reply::Skip),
        "?" | "help" => return Ok(Reply::Help),
        "q" | "quit" => return Ok(Reply::Quit),
        // "b" is a valid side ("both"), so for side questions only the full word goes back.
        "back" => return Ok(Reply::Back),
        "b" if q.kind != QuestionKind::Side => return Ok(Reply::Back),
        _ => {}
    }
    let option = |token: &str| -> Result<String, String> {
        let token = token.trim();
        if let Ok(n) = token.parse::<usize>() {
            if let Some(o) = n.checked_sub(1).and_then(|i| q.options.get(i)) {
                return Ok(o.value.clone());
            }
            return Err(format!("Please choose a number from 1 to {}.", q.options.len()));
        }
        q.options
            .iter()
            .find(|o| o.value.eq_ignore_ascii_case(token) || o.label.eq_ignore_ascii_case(token))
            .map(|o| o.value.clone())
            .ok_or_else(|| format!("'{token}' is not one of the choices; type its number."))
    };
    match &q.kind {
        QuestionKind::Bool => match lower.as_str() {
            "y" | "yes" => Ok(Reply::Value(Json::Bool(true))),
            "n" | "no" => Ok(Reply::Value(Json::Bool(false))),
            _ => Err("Please answer y or n.".into()),
        },
        QuestionKind::Int { .. } | QuestionKind::Number { .. } => {
            let n: f64 = lower.replace(',', ".").parse().map_err(|_| format!("'{line}' is not a number."))?;
            // Whole numbers stay integers, so int questions accept them and messages read "40", not "40.0".
            let json = if n.fract() == 0.0 && n.abs() < 1e15 {
                Json::from(n as i64)
            } else {
                serde_json::Number::from_f64(n).map(Json::Number).ok_or_else(|| format!("'{line}' is not a number."))?
            };
            Ok(Reply::Value(json))
        }
        QuestionKind::Enum => Ok(Reply::Value(Json::String(option(line)?))),
        QuestionKind::List => {
            if lower == "-" || lower == "none" {
                return Ok(Reply::Value(Json::Array(Vec::new())));
            }
            let items: Result<Vec<Json>, String> = line.split(',').map(|t| option(t).map(Json::String)).collect();
            Ok(Reply::Value(Json::Array(items?)))
        }
        QuestionKind::Side => {
            let side = match lower.as_str() {
                "n" | "none" | "1" => "none",
                "l" | "left" | "2" => "left",
                "r" | "right" | "3" => "right",
                "b" | "both" | "4" => "both",
                _ => return Err("Please answer n, l, r or b.".into()),
            };
            Ok(Reply::Value(Json::String(side.into())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(script: &str) -> (Answers, String) {
        let kb = Knowledge::embedded().expect("valid");
        let mut input = io::Cursor::new(script.as_bytes().to_vec());
        let mut out = Vec::new();
        let answers = ask(&kb, &mut input, &mut out).expect("in-memory io");
        (answers, String::from_utf8(out).expect("utf8"))
    }

    #[test]
    fn an_out_of_range_answer_is_explained_and_asked_again() {
        let kb = Knowledge::embedded().expect("valid");
        let (answers, out) = run("200\n40\nq\n");
        assert!(out.contains("answer 'age' = 200 is not allowed"), "{out}");
        assert_eq!(answers.get(&kb, "age"), Some(&Value::Int(40)));
    }

    #[test]
    fn back_returns_to_the_previous_question_and_changes_its_answer() {
        let kb = Knowledge::embedded().expect("valid");
        // age, then sex (skip), then back to sex... back twice reaches age again.
        let (answers, _) = run("40\n\nb\nb\n41\nq\n");
        assert_eq!(answers.get(&kb, "age"), Some(&Value::Int(41)));
    }

    #[test]
    fn a_red_flag_stops_the_questions_at_once() {
        let kb = Knowledge::embedded().expect("valid");
        let flags_before_saddle: Vec<&str> = kb
            .questions()
            .iter()
            .filter(|q| q.group == "about" || q.group == "flags")
            .take_while(|q| q.id != "flag.saddle_numbness_or_bladder_bowel_change")
            .map(|q| q.id.as_str())
            .collect();
        // Skip everything before the cauda equina question, answer yes to it, then keep typing.
        let script = "\n".repeat(flags_before_saddle.len()) + "y\n" + &"n\n".repeat(20);
        let (answers, out) = run(&script);
        assert!(out.contains("needs attention before anything else"), "{out}");
        assert_eq!(answers.answered_count(), 1);
    }

    #[test]
    fn injury_questions_are_not_asked_after_a_gradual_onset() {
        let kb = Knowledge::embedded().expect("valid");
        let onset = kb.question("pain.onset").expect("onset");
        let gradual = onset.options.iter().position(|o| o.value == "gradual").expect("gradual") + 1;
        let before: usize = kb.questions().iter().take_while(|q| q.id != "pain.onset").count();
        let script = "\n".repeat(before) + &format!("{gradual}\n") + "q\n";
        let (_, out) = run(&script);
        let first_injury = kb.question("injury.days_ago").expect("days ago");
        assert!(!out.contains(&first_injury.text), "{out}");
    }
}
