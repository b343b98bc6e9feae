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

pub(crate) const PROJECT_HEADERS: &[&str] =
    &["key", "name", "sector", "technology", "country", "stage", "capacity", "start", "source"];

/// A project's row of the projects tables.
pub(crate) fn project_row(p: &decarb_store::ProjectRow) -> Vec<Markup> {
    vec![
        html! { (p.key) },
        html! { (p.name) },
        html! { (p.sector) },
        html! { (p.technology) },
        p.country.as_deref().map_or_else(|| html! { (p.country_text) }, view::country_link),
        html! { (p.stage) },
        html! {
            @if let (Some(v), Some(u)) = (p.capacity_value, p.capacity_unit.as_deref()) { (num(v, 2)) " " (u) } @else { "–" }
        },
        html! { (view::opt(p.start.as_deref())) },
        html! { (p.source) },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_amounts_get_separators_and_keep_their_digits() {
        assert_eq!(decimal_text("254132.76"), "254,132.76");
        assert_eq!(decimal_text("-1234567"), "-1,234,567");
        assert_eq!(decimal_text("75.360"), "75.360");
    }
}
