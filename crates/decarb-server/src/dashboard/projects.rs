//! The projects page: the tracker's low-carbon projects, filtered by sector, country, stage and
//! text, 200 a page.

use super::page::{PROJECT_HEADERS, layout, project_row, sources};
use crate::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use decarb_brief::view::{self, num_cell};
use decarb_model::tracker::ProjectStage;
use maud::{Markup, html};
use std::collections::BTreeMap;

pub async fn projects(
    State(state): State<AppState>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let get = |k: &str| params.get(k).cloned().filter(|v| !v.trim().is_empty());
    let query = crate::api::registry::ProjectParams {
        sector: get("sector"),
        country: get("country"),
        stage: get("stage"),
        text: get("text"),
        as_of: None,
    };
    let page = crate::api::plants::PageParams {
        limit: Some(200),
        offset: get("offset").and_then(|o| o.parse().ok()),
    };
    let form = html! {
        form.filters method="get" #project-filters {
            label { "Sector " input name="sector" value=(get("sector").unwrap_or_default()); } " "
            label { "Country " input name="country" value=(get("country").unwrap_or_default()); } " "
            label { "Stage " select name="stage" {
                option value="" { "any" } (view::options(ProjectStage::ALL.iter().map(|s| s.as_str()), get("stage").as_deref()))
            } } " "
            label { "Text " input name="text" value=(get("text").unwrap_or_default()); } " "
            button { "Filter" }
        }
    };
    let listed = match crate::api::registry::project_page(&state, &query, &page).await {
        Ok(listed) => sources(&state).await.map(|s| (listed, s)),
        Err(err) => Err(err),
    };
    let body: Markup = match listed {
        Ok(((total, offset, items), sources)) => {
            let rows: Vec<Vec<Markup>> = items.iter().map(|p| project_row(p, &sources)).collect();
            html! {
                (form)
                p.stats {
                    span { (num_cell(total as f64, 0, Some("projects-total"))) " " (view::noun(usize::try_from(total).unwrap_or(0), "project matches", "projects match")) } " "
                    span { "showing " (rows.len()) " from " (offset + 1) }
                }
                (view::data_table("project-table", "Projects", PROJECT_HEADERS, &rows))
            }
        }
        Err(err) => html! { (form) p.error data-testid="filter-error" { (err.detail) } },
    };
    layout("Low-carbon projects", "/projects", &body).into_response()
}
