//! `docs/answers.md`, generated from the knowledge base so the documented contract cannot drift from the
//! questions the engine actually accepts (a test compares the committed file with this output).

use crate::knowledge::{Derived, Knowledge, QuestionKind};

/// The Markdown reference of every answer id, grouped as the wizard asks them.
pub fn answers_doc(kb: &Knowledge) -> String {
    let mut out = String::new();
    out.push_str("# Answer ids\n\n");
    out.push_str(
        "Generated from `knowledge/questions.toml` by `kneeroot kb answers-doc`; do not edit by hand (a test fails \
         when this file and the knowledge base disagree). The answers format and the result format are described \
         in the assessment contract: a flat map from id to value, as JSON or TOML; a missing id means not \
         answered; an unknown id, a wrong type or an out-of-range value is an error naming the id.\n\n",
    );
    out.push_str("Types: `bool`; `int`/`number` with the range given; `enum` (one string); `list` (several strings); ");
    out.push_str("`side` = one of `none`, `left`, `right`, `both`.\n\n");
    for group in kb.groups() {
        let questions: Vec<_> = kb.questions().iter().filter(|q| q.group == group.id).collect();
        if questions.is_empty() {
            continue;
        }
        out.push_str(&format!("## {}\n\n", group.title));
        if let Some(intro) = &group.intro {
            out.push_str(&format!("{}\n\n", intro.trim()));
        }
        out.push_str("| id | type | question | asked when |\n|---|---|---|---|\n");
        for q in questions {
            let ty = match &q.kind {
                QuestionKind::Int { min, max } => format!("int {min}..={max}"),
                QuestionKind::Number { min, max } => {
                    format!("number {}..={}", crate::answers::format_number(*min), crate::answers::format_number(*max))
                }
                QuestionKind::Enum | QuestionKind::List => {
                    let opts: Vec<String> = q.options.iter().map(|o| format!("`{}`", o.value)).collect();
                    format!("{} {}", q.kind.name(), opts.join(", "))
                }
                other => other.name().to_owned(),
            };
            let unit = q.unit.as_deref().map(|u| format!(" ({u})")).unwrap_or_default();
            let when = q.ask_when_source.as_deref().map_or_else(|| "always".to_owned(), |w| format!("`{}`", cell(w)));
            out.push_str(&format!("| `{}` | {} | {}{} | {} |\n", q.id, ty, cell(&q.text), cell(&unit), when));
        }
        out.push('\n');
    }
    out.push_str("## Derived facts\n\nConditions in the knowledge base may also name these facts, computed from the answers:\n\n");
    for d in Derived::ALL {
        out.push_str(&format!(
            "- `{}` (from {})\n",
            d.name(),
            d.inputs().iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
