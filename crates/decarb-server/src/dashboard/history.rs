//! Each record's history page: the change log of a project, member, pledge, partnership,
//! analysis or plant (who, when, why, on what source, approved by whom), from `decarb_store`'s
//! `history`, with a link to the record's form (`/edit/{kind}?key=`) for signed-in contributors
//! and editors.

use super::page::layout;
use crate::AppState;
use crate::problem::ApiError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use decarb_brief::view::{self, url_component};
use decarb_store::EntityKind;
use maud::{Markup, html};
use std::collections::BTreeMap;

/// A source address as a link when it is http or https (never a `javascript:` link), else as
/// text; `label` is the link's text (the address itself when empty).
pub(crate) fn source_link(url: Option<&str>, label: &str) -> Markup {
    html! {
        @match url {
            Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
                a href=(url) rel="noopener noreferrer" { (if label.is_empty() { url } else { label }) }
            }
            Some(text) => (text),
            None => "–",
        }
    }
}

/// A kind of record as URLs name it (`/history/{kind}`, `/edit/{kind}`): the entity's plural.
pub(crate) fn kind_path(entity: &str) -> String {
    match entity {
        "analysis" => "analyses".to_owned(),
        other => format!("{other}s"),
    }
}

/// GET /history/{kind}/{key}: `kind` is projects, members, pledges, partnerships, analyses or
/// plants; a pledge's key is `member/metric/scope`.
pub async fn history(
    State(state): State<AppState>,
    Path((kind, key)): Path<(String, String)>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let entity: EntityKind = match kind.parse() {
        Ok(e) => e,
        Err(err) => return super::page::error_page(StatusCode::NOT_FOUND, &ApiError::from(err)),
    };
    let changes = match state.store.history(entity, &key).await {
        Ok(c) => c,
        Err(err) => return super::page::error_page(StatusCode::NOT_FOUND, &err.into()),
    };
    let headers = ["recorded", "valid from", "field", "old", "new", "who", "why", "source", "approved by"];
    let rows: Vec<Vec<Markup>> = changes
        .iter()
        .map(|c| {
            vec![
                html! { (c.recorded_at) },
                html! { (view::opt(Some(c.valid_from.as_str()).filter(|d| !d.is_empty()))) },
                html! { (c.field) },
                html! { (view::opt(c.old_value.as_deref())) },
                html! { (view::opt(c.new_value.as_deref())) },
                html! { (c.recorded_by) },
                html! { (view::opt(c.reason.as_deref().or(c.note.as_deref()))) },
                html! { (source_link(c.source_url.as_deref(), "")) },
                html! { (view::opt(c.approved_by.as_deref())) },
            ]
        })
        .collect();
    let body = html! {
        @if params.contains_key("saved") { p.notice role="status" data-testid="saved" { "Saved." } }
        @if changes.is_empty() { p data-testid="no-history" { "No recorded changes for this record." } }
        @else { (view::data_table("history-table", "Change log", &headers, &rows)) }
        p {
            a href=(format!("/edit/{}?key={}", kind_path(entity.as_str()), url_component(&key))) {
                (if entity == EntityKind::Plant { "Correct or retire this record" } else { "Change or retire this record" })
            }
            " (signed-in contributors and editors)"
            @match entity {
                EntityKind::Plant => { " · " a href=(super::page::plant_href(&key)) { "The plant's page" } }
                EntityKind::Analysis => { " · " a href=(format!("/analyses/{}", url_component(&key))) { "The analysis" } }
                EntityKind::Project => { " · " a href=(super::page::project_href(&key)) { "The project's page" } }
                _ => {}
            }
        }
    };
    layout(&format!("History of {} {key}", entity.as_str()), "", &body).into_response()
}
