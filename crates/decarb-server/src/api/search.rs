//! One search across the tracker: countries, members, projects, plants and owners, typo tolerant
//! (`decarb_store::search`, the same ranking as `decarb search` and the dashboard's box).

use super::ApiQuery;
use crate::AppState;
use crate::problem::{ApiError, Problem};
use axum::Json;
use axum::extract::State;
use decarb_model::search::{Hit, HitKind};
use decarb_store::SearchRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// What to search for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The text to find (1 to 100 characters): a name, part of one, or a misspelling of one.
    pub q: String,
    /// Only these kinds, comma-separated: country, member, project, plant, owner (default: all).
    pub kind: Option<String>,
    /// Hits per kind, 1 to 50 (default 10).
    pub limit: Option<usize>,
}

/// The hits of one kind, best first.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchGroup {
    /// country, member, project, plant or owner.
    pub kind: String,
    /// The group's heading ("Plants").
    pub label: String,
    pub hits: Vec<SearchHit>,
}

/// One record that matched.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// What identifies the record: an ISO3 code, a plant's `family/key`, a project key, a member's
    /// or an owner's name.
    pub key: String,
    pub label: String,
    /// A line of context (sector, country, status; an owner's number of plants).
    pub detail: String,
    /// How close the match is, 0 to 1 (1: the whole name; below 0.9: a typo).
    pub score: f64,
    /// Where to read the record: the API resource, or the dashboard page of a country; none for
    /// owners.
    pub url: Option<String>,
}

/// The search result, grouped by kind (countries, members, projects, plants, owners).
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResult {
    pub query: String,
    pub groups: Vec<SearchGroup>,
}

/// Finds countries, members, projects, plants and owners by name, tolerating accents, case and
/// small typos ("Indai" finds India, "Oxelosund" SSAB Oxelösund).
#[utoipa::path(get, path = "/search", tag = "tracker", params(SearchParams),
    responses(
        (status = 200, description = "Hits grouped by kind", body = SearchResult),
        (status = 400, description = "An empty or too long query, an unknown kind or a limit out of range", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(params): ApiQuery<SearchParams>,
) -> Result<Json<SearchResult>, ApiError> {
    let kinds = match params.kind.as_deref() {
        None => Vec::new(),
        Some(list) => list
            .split(',')
            .filter(|k| !k.trim().is_empty())
            .map(|k| k.parse::<HitKind>().map_err(|err| ApiError::bad_request(format!("kind: {err}"))))
            .collect::<Result<Vec<_>, _>>()?,
    };
    let request = SearchRequest { query: params.q.clone(), kinds, per_kind: params.limit.unwrap_or(10) };
    let hits = state.store.search(&request).await?;
    Ok(Json(SearchResult { query: params.q, groups: groups(hits) }))
}

/// Hits (already grouped and ordered by kind) as groups.
pub fn groups(hits: Vec<Hit>) -> Vec<SearchGroup> {
    let mut groups: Vec<SearchGroup> = Vec::new();
    for hit in hits {
        let kind = hit.candidate.kind;
        if groups.last().is_none_or(|g| g.kind != kind.as_str()) {
            groups.push(SearchGroup {
                kind: kind.as_str().to_owned(),
                label: kind.plural_label().to_owned(),
                hits: vec![],
            });
        }
        let url = url(kind, &hit.candidate.key);
        if let Some(group) = groups.last_mut() {
            group.hits.push(SearchHit {
                key: hit.candidate.key,
                label: hit.candidate.label,
                detail: hit.candidate.detail,
                score: (hit.score * 1000.0).round() / 1000.0,
                url,
            });
        }
    }
    groups
}

fn url(kind: HitKind, key: &str) -> Option<String> {
    let segment = decarb_brief::view::url_component(key);
    match kind {
        HitKind::Country => Some(format!("/countries/{segment}")),
        HitKind::Member => Some(format!("/api/v1/members/{segment}")),
        HitKind::Project => Some(format!("/api/v1/projects/{segment}")),
        HitKind::Plant => Some(format!("/api/v1/plants/{segment}")),
        HitKind::Owner => None,
    }
}
