//! The home page: what the method is, and a way to start.

use askama::Template;
use axum::response::Html;

use crate::error::PageResult;
use crate::session::Visitor;
use crate::views::{Layout, html};

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    layout: Layout,
}

/// `GET /`
pub async fn home(visitor: Visitor) -> PageResult<Html<String>> {
    Ok(html(&Home { layout: Layout::for_visitor(&visitor) })?)
}
