//! The search page (`/search?q=`): what the header's box finds, grouped by kind (countries,
//! members, projects, plants, owners), from the same library search and grouping as
//! `GET /api/v1/search` (`decarb_store::Store::search`, [`crate::api::search::groups`]), so a
//! typo still finds ("Indai": India). A plain form and links: no JavaScript needed.

use super::page::{error_page, layout, plant_href, project_href};
use crate::AppState;
use crate::api::search::{SearchHit, groups};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use decarb_brief::view;
use decarb_store::SearchRequest;
use maud::{Markup, html};
use std::collections::BTreeMap;

/// Hits shown per kind.
const PER_KIND: usize = 20;

pub async fn search(
    State(state): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let q = params.get("q").map(|q| q.trim().to_owned()).unwrap_or_default();
    let form = html! {
        form.filters method="get" action="/search" role="search" {
            label { "Search " input type="search" name="q" value=(q) autofocus; } " "
            button { "Search" }
        }
    };
    if q.is_empty() {
        let body = html! { (form) p { "Type a country, a plant, an owner, a project or a member; small typos are fine." } };
        return layout("Search", "", &body).into_response();
    }
    let request = SearchRequest { query: q.clone(), kinds: Vec::new(), per_kind: PER_KIND };
    let hits = match state.store.search(&request).await {
        Ok(hits) => hits,
        Err(err) => {
            let err = crate::problem::ApiError::from(err);
            return error_page(err.status, &err);
        }
    };
    let groups = groups(hits);
    let total: usize = groups.iter().map(|g| g.hits.len()).sum();
    let body = html! {
        (form)
        p.stats data-testid="search-total" data-value=(total) {
            (view::plural(total, "result", "results")) " for " q { (q) }
            @if total == 0 { ". Nothing is close to it." }
        }
        @for group in &groups {
            section.search-group data-kind=(group.kind) {
                h2 { (group.label) " " span.count { "(" (group.hits.len()) ")" } }
                ul.hits {
                    @for hit in &group.hits {
                        li {
                            (hit_link(&group.kind, hit))
                            @if !hit.detail.is_empty() { " " span.detail { "· " (hit.detail) } }
                        }
                    }
                }
            }
        }
    };
    layout(&format!("Search: {q}"), "", &body).into_response()
}

/// A hit as a link to its dashboard page (countries, plants and projects have one), else to
/// where the API's search points (a member's record); an owner has no page yet (plain text).
fn hit_link(kind: &str, hit: &SearchHit) -> Markup {
    let href = match kind {
        "plant" => Some(plant_href(&hit.key)),
        "project" => Some(project_href(&hit.key)),
        "owner" => None,
        _ => hit.url.clone(),
    };
    html! {
        @match href {
            Some(href) => a href=(href) data-key=(hit.key) { (hit.label) },
            None => span data-key=(hit.key) { (hit.label) },
        }
    }
}
