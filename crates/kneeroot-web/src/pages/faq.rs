//! The FAQ, searchable without JavaScript (a GET form).

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use kneeroot_core::faq::search;
use kneeroot_store::Store;
use serde::Deserialize;

use crate::error::PageResult;
use crate::session::Visitor;
use crate::state::AppState;
use crate::views::{Layout, html};

#[derive(Debug, Deserialize)]
pub struct FaqQuery {
    #[serde(default)]
    q: String,
}

struct Entry {
    id: String,
    question: String,
    paragraphs: Vec<String>,
}

#[derive(Template)]
#[template(path = "faq.html")]
struct FaqPage {
    layout: Layout,
    query: String,
    entries: Vec<Entry>,
    open: bool,
}

/// `GET /faq?q=…`
pub async fn faq<S: Store>(
    State(state): State<AppState<S>>,
    visitor: Visitor,
    Query(q): Query<FaqQuery>,
) -> PageResult<Html<String>> {
    let query: String = q.q.chars().take(200).collect();
    let entries = search(&state.kb, &query)
        .into_iter()
        .map(|f| Entry {
            id: f.id.clone(),
            question: f.question.clone(),
            paragraphs: f
                .answer
                .split("\n\n")
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|p| !p.is_empty())
                .collect(),
        })
        .collect();
    let open = !query.trim().is_empty();
    Ok(html(&FaqPage { layout: Layout::for_visitor(&visitor), query, entries, open })?)
}
