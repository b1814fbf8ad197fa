//! Searching the FAQ: plain word matching, good enough for a few dozen answers and fully predictable.
//!
//! A query is split into lowercase words; each FAQ entry scores 3 per word found in its keywords, 2 per
//! word in its question and 1 per word in its answer. Entries with no match are dropped; ties keep the
//! file order. An empty query returns every entry.

use crate::knowledge::{Faq, Knowledge};

/// The FAQ entries matching `query`, best first.
pub fn search<'k>(kb: &'k Knowledge, query: &str) -> Vec<&'k Faq> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect();
    if words.is_empty() {
        return kb.faq().iter().collect();
    }
    let mut scored: Vec<(u32, usize, &Faq)> = kb
        .faq()
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            let question = f.question.to_lowercase();
            let answer = f.answer.to_lowercase();
            let score: u32 = words
                .iter()
                .map(|w| {
                    let k = if f
                        .keywords
                        .iter()
                        .any(|k| k.eq_ignore_ascii_case(w) || k.to_lowercase().starts_with(w.as_str()))
                    {
                        3
                    } else {
                        0
                    };
                    let q = if question.contains(w.as_str()) { 2 } else { 0 };
                    let a = u32::from(answer.contains(w.as_str()));
                    k + q + a
                })
                .sum();
            (score > 0).then_some((score, i, f))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, _, f)| f).collect()
}

const STOP: [&str; 16] =
    ["the", "and", "can", "is", "it", "my", "do", "does", "to", "of", "in", "a", "i", "with", "what", "how"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_arthritis_answer_by_a_common_word() {
        let kb = Knowledge::embedded().expect("shipped knowledge is valid");
        let hits = search(&kb, "I have arthritis");
        assert_eq!(hits.first().map(|f| f.id.as_str()), Some("arthritis"));
    }

    #[test]
    fn an_empty_query_lists_everything_and_nonsense_lists_nothing() {
        let kb = Knowledge::embedded().expect("shipped knowledge is valid");
        assert_eq!(search(&kb, "  ").len(), kb.faq().len());
        assert!(search(&kb, "zzqxv").is_empty());
    }
}
