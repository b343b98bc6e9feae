//! The review queue for editors: contributors' pending proposals with approve and reject
//! buttons (POST with the session's CSRF token), deciding through the store's `decide`, as the
//! API's `POST /api/v1/review/{id}/{decision}` does. Readers and contributors get 403.

use super::edit::message;
use super::page::layout;
use super::session;
use crate::AppState;
use crate::problem::ApiError;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use decarb_brief::view::url_component;
use decarb_store::Role;
use maud::html;
use std::collections::BTreeMap;

fn history_link(entity: &str, key: &str) -> String {
    format!("/history/{}/{}", super::history::kind_path(entity), url_component(key))
}

/// The proposed edit without its empty fields (null, [], {}), which say nothing to a reviewer.
fn without_blanks(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), without_blanks(v)))
                .filter(|(_, v)| !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// GET /review: pending proposals, newest first.
pub async fn queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let account = match session::require(&state, &headers, Role::Editor, "the review queue") {
        Ok(a) => a,
        Err(response) => return *response,
    };
    let pending = match state.store.proposals(Some("pending")).await {
        Ok(p) => p,
        Err(err) => return super::page::error_page(StatusCode::INTERNAL_SERVER_ERROR, &err.into()),
    };
    let body = html! {
        @if let (Some(done), Some(id)) = (params.get("done"), params.get("id")) {
            p.notice role="status" data-testid="decided" { "Proposal #" (id) " " (done) "." }
        }
        @if let Some(error) = params.get("error") { p.error role="alert" { (error) } }
        @if pending.is_empty() { p data-testid="queue-empty" { "No proposals wait for review." } }
        @for p in &pending {
            section.proposal data-testid="proposal" data-key=(p.key) {
                h2 { "#" (p.id) ": " (p.action) " " (p.entity) " " a href=(history_link(&p.entity, &p.key)) { (p.key) } }
                p { "Proposed by " strong { (p.proposed_by) } " at " (p.proposed_at)
                    @if let Some(v) = p.base_version { " against version " (v) } }
                p { "Why: " (p.note) }
                @if p.source_url.is_some() { p { "Source: " (super::history::source_link(p.source_url.as_deref(), "")) } }
                pre.edit-json { (serde_json::to_string_pretty(&without_blanks(&p.edit)).unwrap_or_default()) }
                @for decision in ["approve", "reject"] {
                    form.inline method="post" action=(format!("/review/{}/{decision}", p.id)) {
                        input type="hidden" name="csrf" value=(account.csrf);
                        label { "Note " input name="note" placeholder="optional"; } " "
                        button type="submit" data-testid=(format!("{decision}-{}", p.id)) {
                            (if decision == "approve" { "Approve" } else { "Reject" })
                        }
                    }
                }
            }
        }
    };
    layout("Review queue", "", &body).into_response()
}

/// POST /review/{id}/{decision}: approve or reject (editor or admin, CSRF-checked).
pub async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, decision)): Path<(i64, String)>,
    axum::Form(form): axum::Form<BTreeMap<String, String>>,
) -> Response {
    let account = match session::post_account(&state, &headers, &form).await {
        Ok(a) => a,
        Err(err) => return super::page::error_page(err.status, &err),
    };
    let caller = account.caller();
    if let Err(err) = caller.require(Role::Editor, "deciding on a proposal") {
        return super::page::error_page(err.status, &err);
    }
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return super::page::error_page(
                StatusCode::NOT_FOUND,
                &ApiError::invalid("decision", other, "approve or reject"),
            );
        }
    };
    let note = form.get("note").map(|n| n.trim()).filter(|n| !n.is_empty());
    match state.store.decide(id, approve, &caller.actor(), note).await {
        Ok(p) => session::redirect(&format!("/review?done={}&id={}", p.status, p.id)),
        Err(err) => {
            let err: ApiError = err.into();
            session::redirect(&format!("/review?error={}", url_component(&message(&err))))
        }
    }
}
