//! What every dashboard page shares: the shell (`decarb_brief::view::dashboard_page`), error
//! pages, the tracker's fleet groups, and the projects table of the country and projects pages.

use crate::AppState;
use crate::problem::ApiError;
use crate::queries::{self, FleetGroup, GroupBy, PlantQuery};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use decarb_brief::view::{self, num};
use decarb_model::PlantStatus;
use maud::{Markup, html};

/// A dashboard page: the shared shell around `body`, with `active` marked in the navigation.
pub(crate) fn layout(title: &str, active: &str, body: &Markup) -> Markup {
    view::dashboard_page_with(title, active, body, Some(&super::session::header_account()))
}

/// A page saying why it is not available.
pub(crate) fn error_page(status: StatusCode, err: &ApiError) -> Response {
    (status, layout("Not available", "", &html! { p.error { (err.detail) } })).into_response()
}

/// The 404 of every path the dashboard does not have.
pub async fn not_found() -> Response {
    error_page(StatusCode::NOT_FOUND, &ApiError::not_found("No page here."))
}

/// Whether a stored status counts as operating: the model's one definition
/// ([`PlantStatus::is_operating`]: operating, and operating with a retirement announced).
pub(crate) fn is_operating(status: Option<&str>) -> bool {
    status.and_then(|s| s.parse::<PlantStatus>().ok()).is_some_and(PlantStatus::is_operating)
}

pub(crate) async fn groups(
    state: &AppState,
    query: &PlantQuery,
    by: &[GroupBy],
) -> Result<Vec<FleetGroup>, ApiError> {
    Ok(queries::fleet_groups(&state.store, query, by).await?)
}

/// A decimal string (an exact amount) with thousands separators for display; the exact text
/// stays in `data-value`.
pub(crate) fn decimal_text(text: &str) -> String {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if frac.is_empty() { format!("{sign}{grouped}") } else { format!("{sign}{grouped}.{frac}") }
}

/// A group's capacity in Mt/yr, its plants without a reported capacity said, never counted as 0:
/// "unknown" when none reports one, "12.30 + 2 plants unknown" when some do not.
pub(crate) fn capacity_mt(
    capacity_tpa: f64,
    plants: i64,
    unknown: i64,
    digits: usize,
    testid: &str,
) -> Markup {
    if unknown >= plants && plants > 0 {
        view::num_or_unknown(None, digits, Some(testid))
    } else if unknown > 0 {
        let missing = view::plural(usize::try_from(unknown).unwrap_or(0), "plant", "plants");
        html! { (view::num_cell(capacity_tpa / 1e6, digits, Some(testid))) " + " (missing) " unknown" }
    } else {
        view::num_cell(capacity_tpa / 1e6, digits, Some(testid))
    }
}

/// The store's sources by id (citation and address), for showing a source as a link with its title.
pub(crate) type Sources = std::collections::BTreeMap<String, decarb_store::SourceRecord>;

pub(crate) async fn sources(state: &AppState) -> Result<Sources, ApiError> {
    Ok(state.store.sources().await?.into_iter().map(|s| (s.id.clone(), s)).collect())
}

/// A stored source id as a link with its title (the id itself when the store does not know it).
pub(crate) fn source_cell(sources: &Sources, id: &str) -> Markup {
    let record = sources.get(id);
    view::source_link(id, record.map(|s| s.citation.as_str()), record.and_then(|s| s.url.as_deref()))
}

/// The dashboard page of a plant, from its store key (`family/key`, a GIST status slice's
/// `~status` dropped: the page shows every phase of the site).
pub(crate) fn plant_href(store_key: &str) -> String {
    let key = store_key.split_once('/').map_or(store_key, |(_, k)| k);
    let site = decarb_store::plants::site_key(key);
    format!("/plants/{}", view::url_component(site))
}

pub(crate) fn project_href(key: &str) -> String {
    format!("/projects/{}", view::url_component(key))
}

pub(crate) const PROJECT_HEADERS: &[&str] =
    &["key", "name", "sector", "technology", "country", "stage", "capacity", "start", "source"];

/// A project's row of the projects tables: its name links to its page, its source to the source.
pub(crate) fn project_row(p: &decarb_store::ProjectRow, sources: &Sources) -> Vec<Markup> {
    vec![
        html! { (p.key) },
        html! { a href=(project_href(&p.key)) { (p.name) } },
        html! { (p.sector) },
        html! { (p.technology) },
        p.country.as_deref().map_or_else(|| html! { (p.country_text) }, view::country_link),
        html! { (p.stage) },
        html! {
            @if let (Some(v), Some(u)) = (p.capacity_value, p.capacity_unit.as_deref()) { (num(v, 2)) " " (u) } @else { "unknown" }
        },
        html! { (view::opt(p.start.as_deref())) },
        source_cell(sources, &p.source),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_capacity_is_never_zero() {
        // US cement grinding plants report no capacity: the group reads "unknown", not 0.00.
        assert!(capacity_mt(0.0, 11, 11, 2, "x").0.contains(">unknown<"));
        let mixed = capacity_mt(12_300_000.0, 5, 2, 2, "x").0;
        assert!(mixed.contains(">12.30</span> + 2 plants unknown"), "{mixed}");
        assert!(capacity_mt(1_000_000.0, 1, 0, 2, "x").0.ends_with(">1.00</span>"));
    }

    #[test]
    fn decimal_amounts_get_separators_and_keep_their_digits() {
        assert_eq!(decimal_text("254132.76"), "254,132.76");
        assert_eq!(decimal_text("-1234567"), "-1,234,567");
        assert_eq!(decimal_text("75.360"), "75.360");
    }
}
