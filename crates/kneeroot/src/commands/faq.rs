//! `kneeroot faq [WORDS]`: the answers to the questions people ask.

use std::path::Path;

use kneeroot_core::faq::search;

use super::Failure;
use crate::knowledge_source;

/// Print the FAQ entries matching `words` (all of them without words).
pub fn run(knowledge: Option<&Path>, words: &[String]) -> Result<(), Failure> {
    let kb = knowledge_source::load(knowledge)?;
    let query = words.join(" ");
    let hits = search(&kb, &query);
    if hits.is_empty() {
        println!("Nothing matched \"{query}\". Try other words, or `kneeroot faq` for every question.");
        return Ok(());
    }
    for (i, faq) in hits.iter().enumerate() {
        if i > 0 {
            println!();
        }
        println!("{}", faq.question);
        println!("{}", "-".repeat(faq.question.chars().count()));
        for para in faq.answer.split("\n\n") {
            println!("{}\n", para.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    Ok(())
}
