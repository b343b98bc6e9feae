//! A country's page: the operating fleet by route and age, production ranks with their sources,
//! pledges, projects, and its region's pathway in the bundled net-zero scenario.

use super::page::{
    PROJECT_HEADERS, capacity_mt, error_page, groups, is_operating, layout, project_row, source_cell, sources,
};
use crate::AppState;
use crate::api::scenarios::run_text;
use crate::problem::ApiError;
use crate::queries::{GroupBy, PlantQuery};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use decarb_brief::view::{self, Dataset, Frame, Series, chart, num_cell};
use decarb_engine::examples::example;
use decarb_model::{CountryCode, Sector};
use decarb_store::{ProjectFilter, RegistryFilter};
use maud::{Markup, html};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

pub async fn country(
    State(state): State<AppState>,
    Path(iso3): Path<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let text = if iso3 == "go" { params.get("country").cloned().unwrap_or_default() } else { iso3 };
    let Some(code) = CountryCode::resolve(&text) else {
        let hint = decarb_model::suggest::did_you_mean(&CountryCode::suggestions(&text));
        return error_page(
            StatusCode::NOT_FOUND,
            &ApiError::not_found(format!("Unknown country {text:?}{hint}")),
        );
    };
    match body(&state, code).await {
        Ok(body) => layout(&format!("{} ({})", code.name(), code.as_str()), "", &body).into_response(),
        Err(err) => error_page(err.status, &err),
    }
}

async fn body(state: &AppState, code: CountryCode) -> Result<Markup, ApiError> {
    Ok(html! {
        p.lede data-country=(code.as_str()) { "Region: " (code.region().as_str()) "." }
        div.grid { (fleet(state, code).await?) }
        (production_rank(code))
        (pledges_and_projects(state, code).await?)
        (region_pathway(state, code).await?)
    })
}

/// The operating fleet by route (a table and a chart) and by decade of start.
async fn fleet(state: &AppState, code: CountryCode) -> Result<Markup, ApiError> {
    let query = PlantQuery { country: Some(code), ..PlantQuery::default() };
    let by_route = groups(state, &query, &[GroupBy::Sector, GroupBy::Route, GroupBy::Status]).await?;
    // (plants, reported capacity, plants whose capacity is not reported)
    let mut routes: BTreeMap<(String, String), (i64, f64, i64)> = BTreeMap::new();
    for g in &by_route {
        let key = (g.keys[0].clone().unwrap_or_default(), g.keys[1].clone().unwrap_or_default());
        let entry = routes.entry(key).or_default();
        if is_operating(g.keys[2].as_deref()) {
            entry.0 += g.plants;
            entry.1 += g.capacity_tpa;
            entry.2 += g.capacity_unknown;
        }
    }
    routes.retain(|_, (n, _, _)| *n > 0);
    let rows: Vec<Vec<Markup>> = routes
        .iter()
        .map(|((sector, route), (n, cap, unknown))| {
            let capacity = capacity_mt(*cap, *n, *unknown, 2, &format!("route-mtpa-{route}"));
            vec![
                html! { (sector) },
                html! { (route) },
                num_cell(*n as f64, 0, Some(&format!("route-plants-{route}"))),
                capacity,
            ]
        })
        .collect();
    let items: Vec<(String, f64)> = routes
        .iter()
        .filter(|(_, (n, _, unknown))| unknown < n)
        .map(|((_, r), (_, c, _))| (r.clone(), c / 1e6))
        .collect();
    let data = Dataset {
        columns: vec!["route".into(), "capacity_mtpa".into()],
        rows: items.iter().map(|(r, c)| vec![json!(r), json!(c)]).collect(),
    };
    let by_age =
        groups(state, &PlantQuery { operating: true, ..query.clone() }, &[GroupBy::StartDecade]).await?;
    let ages: Vec<(String, f64)> = by_age
        .iter()
        .map(|g| (g.keys[0].clone().unwrap_or_else(|| "unknown".into()), g.capacity_tpa / 1e6))
        .collect();
    let age_data = Dataset {
        columns: vec!["start_decade".into(), "capacity_mtpa".into(), "plants".into()],
        rows: by_age
            .iter()
            .map(|g| vec![json!(g.keys[0]), json!(g.capacity_tpa / 1e6), json!(g.plants)])
            .collect(),
    };
    let route_title = "Operating capacity by route";
    let age_title = "Operating capacity by decade of start";
    Ok(html! {
        (view::data_table("fleet-by-route", "Operating fleet by route", &["sector", "route", "plants", "capacity (Mt/yr)"], &rows))
        (chart::hbars(&Frame::Page { id: "capacity-by-route", title: route_title, unit: "Mt/yr", data: &data }, &items))
        (chart::hbars(&Frame::Page { id: "capacity-by-age", title: age_title, unit: "Mt/yr", data: &age_data }, &ages))
    })
}

/// Production rank, with source and year.
fn production_rank(code: CountryCode) -> Markup {
    let mut rows = Vec::new();
    for sector in [Sector::Steel, Sector::Cement, Sector::Aluminium, Sector::Ammonia] {
        let Ok(ranking) = crate::api::facts::ranking(sector, None) else { continue };
        if let Some(row) = ranking.rows.iter().find(|r| r.country == code.as_str()) {
            let s = sector.as_str();
            rows.push(vec![
                html! { (s) },
                html! { span data-testid={ "rank-" (s) } data-value=(row.rank) { (row.rank) " of " (ranking.rows.len()) } },
                html! { (ranking.year) },
                html! { (num_cell(row.value, 0, Some(&format!("production-{s}")))) " " (row.unit) },
                html! { (row.source) },
            ]);
        }
    }
    view::data_table(
        "production-rank",
        "Production rank",
        &["sector", "rank", "year", "production", "source"],
        &rows,
    )
}

async fn pledges_and_projects(state: &AppState, code: CountryCode) -> Result<Markup, ApiError> {
    let filter = RegistryFilter { country: Some(code), ..RegistryFilter::default() };
    let pledges = state.store.pledges(&filter).await?;
    let sources = sources(state).await?;
    let pledge_rows: Vec<Vec<Markup>> = pledges
        .iter()
        .map(|p| {
            vec![
                html! { (p.member) },
                html! { (view::opt_num(p.target_year)) },
                html! { (p.metric) },
                html! { (p.scope) },
                html! { (p.milestone_2030.as_deref().unwrap_or("–")) },
                html! { (p.status.as_deref().unwrap_or("–")) },
                source_cell(&sources, &p.source),
            ]
        })
        .collect();
    let projects =
        state.store.projects(&ProjectFilter { country: Some(code), ..ProjectFilter::default() }).await?;
    let project_rows: Vec<Vec<Markup>> = projects.iter().map(|p| project_row(p, &sources)).collect();
    let pledge_headers = ["member", "target year", "metric", "scope", "2030 milestone", "status", "source"];
    Ok(html! {
        (view::data_table("pledges", "Pledges", &pledge_headers, &pledge_rows))
        p.stats { span { (num_cell(projects.len() as f64, 0, Some("country-projects"))) " " (view::noun(projects.len(), "project", "projects")) } }
        (view::data_table("projects", "Low-carbon projects", PROJECT_HEADERS, &project_rows))
    })
}

/// The region's pathway in the bundled net-zero scenario, against the 2030 milestone.
async fn region_pathway(state: &AppState, code: CountryCode) -> Result<Markup, ApiError> {
    let region = code.region().as_str().to_owned();
    let text =
        example("net-zero-2050").ok_or_else(|| ApiError::internal("the net-zero-2050 example is missing"))?;
    let result = run_text(state, text, "example net-zero-2050", None).await?;
    let regional: Vec<_> =
        result.summary.iter().filter(|r| r.region.as_deref() == Some(region.as_str())).collect();
    let sectors: Vec<String> =
        regional.iter().map(|r| r.sector.clone()).collect::<BTreeSet<_>>().into_iter().collect();
    let series: Vec<Series> = sectors
        .iter()
        .map(|s| Series {
            name: s.clone(),
            points: regional
                .iter()
                .filter(|r| &r.sector == s)
                .map(|r| (f64::from(r.year), r.direct_emissions_t / 1e6))
                .collect(),
            ..Series::default()
        })
        .collect();
    let data = Dataset {
        columns: vec!["year".into(), "sector".into(), "region".into(), "direct_emissions_mt".into()],
        rows: regional
            .iter()
            .map(|r| vec![json!(r.year), json!(r.sector), json!(region), json!(r.direct_emissions_t / 1e6)])
            .collect(),
    };
    let direct = |s: &str, year: i32| {
        regional.iter().find(|r| r.sector == s && r.year == year).map(|r| r.direct_emissions_t)
    };
    let rows: Vec<Vec<Markup>> = sectors
        .iter()
        .filter_map(|s| {
            let (base, in_2030) = (direct(s, result.base_year)?, direct(s, 2030)?);
            let change = if base > 0.0 { (in_2030 / base - 1.0) * 100.0 } else { 0.0 };
            Some(vec![
                html! { (s) },
                num_cell(base / 1e6, 1, None),
                num_cell(in_2030 / 1e6, 1, None),
                num_cell(change, 1, Some(&format!("milestone-{s}"))),
            ])
        })
        .collect();
    let base_header = format!("{} (Mt CO2)", result.base_year);
    let frame = Frame::Page {
        id: "region-pathway",
        title: "Direct emissions, net-zero-2050",
        unit: "Mt CO2",
        data: &data,
    };
    Ok(html! {
        h2 { "Pathway of the region (" (region) ")" }
        p { "The engine runs by region; this is the bundled " em { "net-zero-2050" } " scenario for " (region) ", with the 2030 milestone." }
        (chart::lines(&frame, "year", &series, &[]))
        (view::data_table(
            "milestone",
            &format!("{region}: {} to 2030", result.base_year),
            &["sector", &base_header, "2030 (Mt CO2)", "change (%)"],
            &rows,
        ))
    })
}
