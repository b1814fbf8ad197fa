//! `/api/docs`: the OpenAPI document made readable in the browser, rendered by kneeroot itself (no
//! Swagger bundle, no CDN, nothing to allow in the Content-Security-Policy).

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use kneeroot_store::Store;
use serde_json::Value;

use crate::error::PageResult;
use crate::state::AppState;
use crate::views::{Layout, html};

pub(crate) struct Operation {
    method: String,
    path: String,
    summary: String,
    auth: bool,
    body: Option<String>,
    responses: Vec<(String, String)>,
}

pub(crate) struct Field {
    id: String,
    schema: String,
    description: String,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage {
    layout: Layout,
    version: String,
    operations: Vec<Operation>,
    answers: Vec<Field>,
}

fn compact(v: &Value) -> String {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("description");
    }
    v.to_string()
}

/// `GET /api/docs`
pub async fn page<S: Store>(State(state): State<AppState<S>>) -> PageResult<Html<String>> {
    let doc = super::document(&state.kb);
    let mut operations = Vec::new();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, methods) in paths {
            for (method, op) in methods.as_object().into_iter().flatten() {
                operations.push(Operation {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary: op["summary"].as_str().unwrap_or_default().to_owned(),
                    auth: op.get("security").is_some(),
                    body: op["requestBody"]["content"]["application/json"]["schema"].as_object().map(|s| {
                        s.get("$ref").and_then(Value::as_str).map_or_else(
                            || Value::Object(s.clone()).to_string(),
                            |r| r.replace("#/components/schemas/", ""),
                        )
                    }),
                    responses: op["responses"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(code, r)| (code.clone(), r["description"].as_str().unwrap_or_default().to_owned()))
                        .collect(),
                });
            }
        }
    }
    let answers = doc["components"]["schemas"]["Answers"]["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(id, s)| Field {
            id: id.clone(),
            schema: compact(s),
            description: s["description"].as_str().unwrap_or_default().to_owned(),
        })
        .collect();
    Ok(html(&DocsPage { layout: Layout::default(), version: state.kb.version().to_owned(), operations, answers })?)
}
