//! The dashboard's pages, rendered on the server from the same functions the API uses, so a
//! number on a page is the number the API returns. Each number a test checks carries a
//! `data-testid`; each table and chart can be downloaded as CSV (assets/app.js).

// A page is an HTML template read top to bottom; splitting it would scatter the markup.
#![allow(clippy::too_many_lines)]

use super::svg::{self, Dataset, Series, esc, fmt_num};
use crate::AppState;
use crate::api::ApiQuery;
use crate::api::cbam::QuoteParams;
use crate::api::scenarios::{By, RunResult, run_text};
use crate::problem::ApiError;
use crate::queries::{self, FleetGroup, GroupBy, PlantQuery};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use decarb_engine::breakdown::{Breakdown, group_label};
use decarb_engine::examples::{EXAMPLES, example};
use decarb_model::tracker::ProjectStage;
use decarb_model::{CountryCode, PlantStatus, Sector};
use decarb_store::{ProjectFilter, RegistryFilter};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::Arc;

type Params = Query<BTreeMap<String, String>>;

const NAV: [(&str, &str); 7] = [
    ("/", "Overview"),
    ("/map", "Map"),
    ("/projects", "Projects"),
    ("/pledges", "Pledges"),
    ("/scenarios", "Scenarios"),
    ("/cbam", "CBAM calculator"),
    ("/analyses", "Analyses"),
];

/// The page shell every dashboard page shares: navigation, country search, the analyses feed
/// for feed readers, tooltip, footer and the one script.
pub(crate) fn layout(title: &str, active: &str, body: &str) -> Html<String> {
    let mut nav = String::new();
    for (href, name) in NAV {
        let current = if href == active { " aria-current=\"page\"" } else { "" };
        let _ = write!(nav, "<a href=\"{href}\"{current}>{name}</a>");
    }
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · decarb</title><link rel=\"stylesheet\" href=\"/assets/app.css\">\
         <link rel=\"alternate\" type=\"application/atom+xml\" title=\"decarb analyses\" href=\"/analyses.atom\"></head><body>\
         <header><span class=\"brand\">decarb</span><nav>{nav}</nav>\
         <form class=\"country-go\" action=\"/countries/go\" method=\"get\"><input name=\"country\" placeholder=\"Country (DEU, India)\" aria-label=\"Country\"></form></header>\
         <main><h1>{title}</h1>{body}</main><div id=\"tooltip\" role=\"status\" hidden></div>\
         <footer>Data: the tracker database served by this decarb instance; every figure with its source. \
         API: <a href=\"/api/openapi.json\">/api/openapi.json</a></footer>\
         <script src=\"/assets/app.js\" defer></script></body></html>",
        title = esc(title)
    ))
}

fn error_page(status: StatusCode, err: &ApiError) -> Response {
    (status, layout("Not available", "", &format!("<p class=\"error\">{}</p>", esc(&err.detail))))
        .into_response()
}

pub async fn not_found() -> Response {
    error_page(StatusCode::NOT_FOUND, &ApiError::not_found("No page here."))
}

/// A table with a CSV button; `cells` are already-escaped HTML.
pub(crate) fn table(id: &str, title: &str, headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "<section class=\"table\" id=\"{id}\"><h3>{} <button type=\"button\" class=\"csv\" data-for=\"{id}\">CSV</button></h3><div class=\"scroll\"><table><thead><tr>",
        esc(title)
    );
    for h in headers {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            out.push_str("<td>");
            out.push_str(cell);
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    if rows.is_empty() {
        let _ = write!(out, "<tr><td colspan=\"{}\" class=\"empty\">None.</td></tr>", headers.len());
    }
    out.push_str("</tbody></table></div></section>");
    out
}

/// `<option>` elements for `values`, the `selected` one marked.
pub(crate) fn options<'a>(values: impl Iterator<Item = &'a str>, selected: Option<&str>) -> String {
    let mut out = String::new();
    for value in values {
        let mark = if Some(value) == selected { " selected" } else { "" };
        let _ = write!(out, "<option{mark}>{}</option>", esc(value));
    }
    out
}

pub(crate) fn num_cell(value: f64, digits: usize, testid: Option<&str>) -> String {
    let id = testid.map(|t| format!(" data-testid=\"{}\"", esc(t))).unwrap_or_default();
    format!("<span class=\"num\"{id} data-value=\"{value}\">{}</span>", fmt_num(value, digits))
}

/// A decimal string (an exact amount) with thousands separators for display; the exact text
/// stays in `data-value`.
fn decimal_text(text: &str) -> String {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let frac = if frac.is_empty() { String::new() } else { format!(".{frac}") };
    esc(&format!("{sign}{grouped}{frac}"))
}

fn opt(text: Option<&str>) -> String {
    esc(text.unwrap_or("–"))
}

/// Whether a stored status counts as operating: the model's one definition
/// ([`PlantStatus::is_operating`]: operating, and operating with a retirement announced).
fn is_operating(status: Option<&str>) -> bool {
    status.and_then(|s| s.parse::<PlantStatus>().ok()).is_some_and(PlantStatus::is_operating)
}

async fn groups(state: &AppState, query: &PlantQuery, by: &[GroupBy]) -> Result<Vec<FleetGroup>, ApiError> {
    Ok(queries::fleet_groups(&state.store, query, by).await?)
}

// ---------------------------------------------------------------------------------------------
// Overview

pub async fn overview(State(state): State<AppState>) -> Response {
    match overview_body(&state).await {
        Ok(body) => layout("Heavy industry at a glance", "/", &body).into_response(),
        Err(err) => error_page(err.status, &err),
    }
}

async fn overview_body(state: &AppState) -> Result<String, ApiError> {
    let by_sector_status = groups(state, &PlantQuery::default(), &[GroupBy::Sector, GroupBy::Status]).await?;
    let mut sectors: BTreeMap<String, (i64, i64, f64)> = BTreeMap::new();
    for g in &by_sector_status {
        let entry = sectors.entry(g.keys[0].clone().unwrap_or_default()).or_default();
        entry.0 += g.plants;
        if is_operating(g.keys[1].as_deref()) {
            entry.1 += g.plants;
            entry.2 += g.capacity_tpa;
        }
    }
    let mut body = String::from(
        "<p class=\"lede\">Plants of the tracker (latest release), the group's members and pledges, and the pipeline of \
         low-carbon projects. Operating = operating and operating-pre-retirement.</p><div class=\"grid\">",
    );
    let rows: Vec<Vec<String>> = sectors
        .iter()
        .map(|(sector, (all, op, cap))| {
            vec![
                esc(sector),
                num_cell(*all as f64, 0, Some(&format!("plants-{sector}"))),
                num_cell(*op as f64, 0, Some(&format!("operating-plants-{sector}"))),
                num_cell(cap / 1e6, 1, Some(&format!("operating-mtpa-{sector}"))),
            ]
        })
        .collect();
    body.push_str(&table(
        "world-totals",
        "World totals by sector",
        &["sector", "plants listed", "operating plants", "operating capacity (Mt/yr)"],
        &rows,
    ));

    // Capacity by sector and status, stacked.
    let statuses: BTreeSet<String> = by_sector_status.iter().filter_map(|g| g.keys[1].clone()).collect();
    let categories: Vec<String> = sectors.keys().cloned().collect();
    let series: Vec<(String, Vec<f64>)> = statuses
        .iter()
        .map(|status| {
            let values = categories
                .iter()
                .map(|sector| {
                    by_sector_status
                        .iter()
                        .filter(|g| {
                            g.keys[0].as_deref() == Some(sector) && g.keys[1].as_deref() == Some(status)
                        })
                        .map(|g| g.capacity_tpa / 1e6)
                        .sum()
                })
                .collect();
            (status.clone(), values)
        })
        .collect();
    let data = Dataset {
        columns: vec!["sector".into(), "status".into(), "plants".into(), "capacity_mtpa".into()],
        rows: by_sector_status
            .iter()
            .map(|g| vec![json!(g.keys[0]), json!(g.keys[1]), json!(g.plants), json!(g.capacity_tpa / 1e6)])
            .collect(),
    };
    body.push_str(&svg::stacked_bars(
        "capacity-by-status",
        "Capacity by sector and status",
        "Mt/yr",
        &categories,
        &series,
        &data,
    ));
    body.push_str("</div>");

    // Members and pledges.
    let members = state.store.members(&RegistryFilter::default()).await?;
    let pledges = state.store.pledges(&RegistryFilter::default()).await?;
    let countries = members.iter().filter(|m| m.kind == "country").count();
    let companies = members.iter().filter(|m| m.kind == "company").count();
    let _ = write!(
        body,
        "<h2>Members</h2><p class=\"stats\"><span>{} members</span> <span>{} countries</span> <span>{} companies</span> <span>{} pledges</span></p>",
        num_cell(members.len() as f64, 0, Some("members-total")),
        num_cell(countries as f64, 0, Some("members-countries")),
        num_cell(companies as f64, 0, Some("members-companies")),
        num_cell(pledges.len() as f64, 0, Some("pledges-total")),
    );
    let member_rows: Vec<Vec<String>> = members
        .iter()
        .map(|m| {
            let country = m
                .country
                .as_deref()
                .map_or_else(|| "–".to_owned(), |c| format!("<a href=\"/countries/{0}\">{0}</a>", esc(c)));
            vec![
                esc(&m.name),
                esc(&m.kind),
                country,
                opt(m.joined.as_deref().or(m.known_from.as_deref())),
                esc(&m.source),
            ]
        })
        .collect();
    body.push_str(&table(
        "members",
        "Members",
        &["name", "kind", "country", "joined", "source"],
        &member_rows,
    ));

    // Project pipeline by stage.
    let projects = state.store.projects(&ProjectFilter::default()).await?;
    let mut stages: BTreeMap<String, usize> = BTreeMap::new();
    for p in &projects {
        *stages.entry(p.stage.clone()).or_default() += 1;
    }
    let order = [
        "announced",
        "feasibility",
        "fid",
        "construction",
        "operating",
        "paused",
        "completed",
        "cancelled",
        "decommissioned",
    ];
    let items: Vec<(String, f64)> =
        order.iter().filter_map(|s| stages.get(*s).map(|n| ((*s).to_owned(), *n as f64))).collect();
    let data = Dataset {
        columns: vec!["stage".into(), "projects".into()],
        rows: items.iter().map(|(s, n)| vec![json!(s), json!(n)]).collect(),
    };
    let _ = write!(
        body,
        "<h2>Project pipeline</h2><p class=\"stats\"><span>{} projects</span></p>",
        num_cell(projects.len() as f64, 0, Some("projects-total"))
    );
    body.push_str(&svg::bars("pipeline", "Low-carbon projects by stage", "projects", &items, &data));

    // Countries by operating capacity.
    // Operating as everywhere else on the dashboard (is_operating), summed by country.
    let by_country_status =
        groups(state, &PlantQuery::default(), &[GroupBy::Country, GroupBy::Status]).await?;
    let mut by_country: BTreeMap<String, f64> = BTreeMap::new();
    for g in by_country_status.iter().filter(|g| is_operating(g.keys[1].as_deref())) {
        if let Some(country) = &g.keys[0] {
            *by_country.entry(country.clone()).or_default() += g.capacity_tpa;
        }
    }
    let mut items: Vec<(String, f64)> = by_country.into_iter().map(|(c, cap)| (c, cap / 1e6)).collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    items.truncate(15);
    let data = Dataset {
        columns: vec!["country".into(), "operating_capacity_mtpa".into()],
        rows: items.iter().map(|(c, v)| vec![json!(c), json!(v)]).collect(),
    };
    body.push_str("<h2>Countries</h2>");
    body.push_str(&svg::bars(
        "top-countries",
        "Largest operating capacity (operating, incl. pre-retirement)",
        "Mt/yr",
        &items,
        &data,
    ));
    body.push_str("<p class=\"links\">");
    for (c, _) in &items {
        let _ = write!(body, "<a href=\"/countries/{0}\">{0}</a> ", esc(c));
    }
    body.push_str("</p>");
    Ok(body)
}

// ---------------------------------------------------------------------------------------------
// Map

/// Equirectangular projection onto a 960 x 480 canvas (the JS draws outlines with the same).
fn project(lon: f64, lat: f64) -> (f64, f64) {
    ((lon + 180.0) / 360.0 * 960.0, (90.0 - lat) / 180.0 * 480.0)
}

pub async fn map(State(state): State<AppState>, Query(params): Params) -> Response {
    match map_body(&state, &params).await {
        Ok(body) => layout("Map of plants", "/map", &body).into_response(),
        Err(err) => error_page(err.status, &err),
    }
}

async fn map_body(state: &AppState, params: &BTreeMap<String, String>) -> Result<String, ApiError> {
    let sector: Option<Sector> = crate::api::parse_opt(
        "sector",
        params.get("sector").map(String::as_str),
        "steel, cement, aluminium or ammonia",
    )?;
    let by_status = params.get("color").is_some_and(|c| c == "status");
    let query = PlantQuery { sector, ..PlantQuery::default() };
    let page = queries::plant_page(&state.store, &query, i64::MAX, 0).await?;
    let located: Vec<_> = page.items.iter().filter_map(|p| Some((p, p.latitude?, p.longitude?))).collect();
    let key = |p: &queries::PlantItem| if by_status { p.status.clone() } else { p.route.clone() };
    let categories: Vec<String> =
        located.iter().map(|(p, _, _)| key(p)).collect::<BTreeSet<_>>().into_iter().collect();
    let max_cap = located.iter().filter_map(|(p, _, _)| p.capacity_tpa).fold(1.0f64, f64::max);
    let vendor = super::vendor_available(state);
    let mut body = format!(
        "<form class=\"filters\" method=\"get\"><label>Sector <select name=\"sector\"><option value=\"\">all</option>{}</select></label> \
         <label>Colour by <select name=\"color\"><option value=\"route\"{}>route</option><option value=\"status\"{}>status</option></select></label> <button>Show</button></form>\
         <p class=\"stats\"><span>{} plants with coordinates</span> <span>of {} listed</span></p>",
        options(Sector::ALL.iter().map(|s| s.as_str()), sector.map(Sector::as_str)),
        if by_status { "" } else { " selected" },
        if by_status { " selected" } else { "" },
        num_cell(located.len() as f64, 0, Some("map-points")),
        num_cell(page.total as f64, 0, Some("map-total")),
    );
    if !vendor {
        body.push_str(
            "<p class=\"notice\" id=\"outline-notice\">Country outlines are not installed (run <code>npm ci</code> in <code>dashboard/</code>); \
             the map shows the plants only.</p>",
        );
    }
    let data = Dataset {
        columns: [
            "id",
            "name",
            "country",
            "sector",
            "status",
            "route",
            "capacity_tpa",
            "latitude",
            "longitude",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect(),
        rows: located
            .iter()
            .map(|(p, lat, lon)| {
                vec![
                    json!(p.id),
                    json!(p.name),
                    json!(p.country),
                    json!(p.sector),
                    json!(p.status),
                    json!(p.route),
                    json!(p.capacity_tpa),
                    json!(lat),
                    json!(lon),
                ]
            })
            .collect(),
    };
    let json_data = serde_json::to_string(&data).unwrap_or_default().replace("</", "<\\/");
    let _ = write!(
        body,
        "<figure class=\"chart map\" id=\"plant-map\" data-name=\"plants\"><figcaption><span class=\"title\">Plants, sized by capacity, coloured by {}</span> \
         <button type=\"button\" class=\"csv\" data-for=\"plant-map\">CSV</button></figcaption>\
         <script type=\"application/json\" class=\"chart-data\">{json_data}</script>\
         <svg viewBox=\"0 0 960 480\" role=\"img\" aria-label=\"Map of plants\" data-vendor=\"{}\"><rect class=\"sea\" width=\"960\" height=\"480\"/><g id=\"outlines\"></g>",
        if by_status { "status" } else { "route" },
        u8::from(vendor)
    );
    for (i, category) in categories.iter().enumerate() {
        let _ = write!(body, "<g class=\"series\" data-series=\"{i}\">");
        for (p, lat, lon) in located.iter().filter(|(p, _, _)| &key(p) == category) {
            let (x, y) = project(*lon, *lat);
            let r = 1.5 + 6.0 * (p.capacity_tpa.unwrap_or(0.0) / max_cap).sqrt();
            let label = format!("{} ({}, {})", p.name, p.country.as_deref().unwrap_or("?"), category);
            let _ = write!(
                body,
                "<circle class=\"point\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{}\" data-label=\"{}\" data-value=\"{}\" data-unit=\"t/yr\"><title>{}</title></circle>",
                svg::colour(category),
                esc(&label),
                p.capacity_tpa.unwrap_or(0.0),
                esc(&label)
            );
        }
        body.push_str("</g>");
    }
    body.push_str("</svg><div class=\"legend\">");
    for (i, c) in categories.iter().enumerate() {
        let _ = write!(
            body,
            "<button type=\"button\" class=\"legend-item\" data-series=\"{i}\" aria-pressed=\"true\"><span class=\"swatch\" style=\"background:{}\"></span>{}</button>",
            svg::colour(c),
            esc(c)
        );
    }
    body.push_str("</div></figure>");
    Ok(body)
}

// ---------------------------------------------------------------------------------------------
// Country

pub async fn country(
    State(state): State<AppState>,
    Path(iso3): Path<String>,
    Query(params): Params,
) -> Response {
    let text = if iso3 == "go" { params.get("country").cloned().unwrap_or_default() } else { iso3 };
    let Some(code) = CountryCode::resolve(&text) else {
        let hint = decarb_model::suggest::did_you_mean(&CountryCode::suggestions(&text));
        return error_page(
            StatusCode::NOT_FOUND,
            &ApiError::not_found(format!("Unknown country {text:?}{hint}")),
        );
    };
    match country_body(&state, code).await {
        Ok(body) => layout(&format!("{} ({})", code.name(), code.as_str()), "", &body).into_response(),
        Err(err) => error_page(err.status, &err),
    }
}

async fn country_body(state: &AppState, code: CountryCode) -> Result<String, ApiError> {
    let iso = code.as_str();
    let mut body = format!(
        "<p class=\"lede\" data-country=\"{iso}\">Region: {}.</p><div class=\"grid\">",
        esc(code.region().as_str())
    );
    let query = PlantQuery { country: Some(code), ..PlantQuery::default() };
    let by_route = groups(state, &query, &[GroupBy::Sector, GroupBy::Route, GroupBy::Status]).await?;
    let mut routes: BTreeMap<(String, String), (i64, f64)> = BTreeMap::new();
    for g in &by_route {
        let entry = routes
            .entry((g.keys[0].clone().unwrap_or_default(), g.keys[1].clone().unwrap_or_default()))
            .or_default();
        if is_operating(g.keys[2].as_deref()) {
            entry.0 += g.plants;
            entry.1 += g.capacity_tpa;
        }
    }
    let rows: Vec<Vec<String>> = routes
        .iter()
        .filter(|(_, (n, _))| *n > 0)
        .map(|((sector, route), (n, cap))| {
            vec![
                esc(sector),
                esc(route),
                num_cell(*n as f64, 0, Some(&format!("route-plants-{route}"))),
                num_cell(cap / 1e6, 2, Some(&format!("route-mtpa-{route}"))),
            ]
        })
        .collect();
    body.push_str(&table(
        "fleet-by-route",
        "Operating fleet by route",
        &["sector", "route", "plants", "capacity (Mt/yr)"],
        &rows,
    ));
    let items: Vec<(String, f64)> =
        routes.iter().filter(|(_, (n, _))| *n > 0).map(|((_, r), (_, c))| (r.clone(), c / 1e6)).collect();
    let data = Dataset {
        columns: vec!["route".into(), "capacity_mtpa".into()],
        rows: items.iter().map(|(r, c)| vec![json!(r), json!(c)]).collect(),
    };
    body.push_str(&svg::bars("capacity-by-route", "Operating capacity by route", "Mt/yr", &items, &data));

    let by_age =
        groups(state, &PlantQuery { operating: true, ..query.clone() }, &[GroupBy::StartDecade]).await?;
    let items: Vec<(String, f64)> = by_age
        .iter()
        .map(|g| (g.keys[0].clone().unwrap_or_else(|| "unknown".into()), g.capacity_tpa / 1e6))
        .collect();
    let data = Dataset {
        columns: vec!["start_decade".into(), "capacity_mtpa".into(), "plants".into()],
        rows: by_age
            .iter()
            .map(|g| vec![json!(g.keys[0]), json!(g.capacity_tpa / 1e6), json!(g.plants)])
            .collect(),
    };
    body.push_str(&svg::bars(
        "capacity-by-age",
        "Operating capacity by decade of start",
        "Mt/yr",
        &items,
        &data,
    ));
    body.push_str("</div>");

    // Production rank, with source and year.
    let mut rank_rows = Vec::new();
    for sector in [Sector::Steel, Sector::Cement, Sector::Aluminium] {
        let Ok(ranking) = crate::api::facts::ranking(sector, None) else { continue };
        if let Some(row) = ranking.rows.iter().find(|r| r.country == iso) {
            rank_rows.push(vec![
                esc(sector.as_str()),
                format!(
                    "<span data-testid=\"rank-{}\" data-value=\"{}\">{} of {}</span>",
                    sector.as_str(),
                    row.rank,
                    row.rank,
                    ranking.rows.len()
                ),
                ranking.year.to_string(),
                format!(
                    "{} {}",
                    num_cell(row.value, 0, Some(&format!("production-{}", sector.as_str()))),
                    esc(&row.unit)
                ),
                esc(&row.source),
            ]);
        }
    }
    body.push_str(&table(
        "production-rank",
        "Production rank",
        &["sector", "rank", "year", "production", "source"],
        &rank_rows,
    ));

    // Pledges and members.
    let filter = RegistryFilter { country: Some(code), ..RegistryFilter::default() };
    let pledges = state.store.pledges(&filter).await?;
    let rows: Vec<Vec<String>> = pledges
        .iter()
        .map(|p| {
            vec![
                esc(&p.member),
                p.target_year.map_or_else(|| "–".to_owned(), |y| y.to_string()),
                esc(&p.metric),
                esc(&p.scope),
                opt(p.milestone_2030.as_deref()),
                opt(p.status.as_deref()),
                esc(&p.source),
            ]
        })
        .collect();
    body.push_str(&table(
        "pledges",
        "Pledges",
        &["member", "target year", "metric", "scope", "2030 milestone", "status", "source"],
        &rows,
    ));

    // Projects.
    let projects =
        state.store.projects(&ProjectFilter { country: Some(code), ..ProjectFilter::default() }).await?;
    let rows: Vec<Vec<String>> = projects.iter().map(project_row).collect();
    let _ = write!(
        body,
        "<p class=\"stats\"><span>{} projects</span></p>",
        num_cell(projects.len() as f64, 0, Some("country-projects"))
    );
    body.push_str(&table("projects", "Low-carbon projects", PROJECT_HEADERS, &rows));

    // The region's pathway in the bundled net-zero scenario, against the 2030 milestone.
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
    let _ = write!(
        body,
        "<h2>Pathway of the region ({})</h2><p>The engine runs by region; this is the bundled <em>net-zero-2050</em> scenario for {}, with the 2030 milestone.</p>",
        esc(&region),
        esc(&region)
    );
    body.push_str(&svg::line_chart(
        "region-pathway",
        "Direct emissions, net-zero-2050",
        "Mt CO2",
        "year",
        &series,
        &data,
    ));
    let rows: Vec<Vec<String>> = sectors
        .iter()
        .filter_map(|s| {
            let base = regional.iter().find(|r| &r.sector == s && r.year == result.base_year)?;
            let in_2030 = regional.iter().find(|r| &r.sector == s && r.year == 2030)?;
            let change = if base.direct_emissions_t > 0.0 {
                (in_2030.direct_emissions_t / base.direct_emissions_t - 1.0) * 100.0
            } else {
                0.0
            };
            Some(vec![
                esc(s),
                num_cell(base.direct_emissions_t / 1e6, 1, None),
                num_cell(in_2030.direct_emissions_t / 1e6, 1, None),
                num_cell(change, 1, Some(&format!("milestone-{s}"))),
            ])
        })
        .collect();
    body.push_str(&table(
        "milestone",
        &format!("{region}: {} to 2030", result.base_year),
        &["sector", &format!("{} (Mt CO2)", result.base_year), "2030 (Mt CO2)", "change (%)"],
        &rows,
    ));
    Ok(body)
}

const PROJECT_HEADERS: &[&str] =
    &["key", "name", "sector", "technology", "country", "stage", "capacity", "start", "source"];

fn project_row(p: &decarb_store::ProjectRow) -> Vec<String> {
    let country = p
        .country
        .as_deref()
        .map_or_else(|| esc(&p.country_text), |c| format!("<a href=\"/countries/{0}\">{0}</a>", esc(c)));
    let capacity = match (p.capacity_value, p.capacity_unit.as_deref()) {
        (Some(v), Some(u)) => format!("{} {}", fmt_num(v, 2), esc(u)),
        _ => "–".to_owned(),
    };
    vec![
        esc(&p.key),
        esc(&p.name),
        esc(&p.sector),
        esc(&p.technology),
        country,
        esc(&p.stage),
        capacity,
        opt(p.start.as_deref()),
        esc(&p.source),
    ]
}

// ---------------------------------------------------------------------------------------------
// Projects

pub async fn projects(State(state): State<AppState>, Query(params): Params) -> Response {
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
    let form = format!(
        "<form class=\"filters\" method=\"get\" id=\"project-filters\"><label>Sector <input name=\"sector\" value=\"{}\"></label> \
         <label>Country <input name=\"country\" value=\"{}\"></label> <label>Stage <select name=\"stage\"><option value=\"\">any</option>{}</select></label> \
         <label>Text <input name=\"text\" value=\"{}\"></label> <button>Filter</button></form>",
        esc(&get("sector").unwrap_or_default()),
        esc(&get("country").unwrap_or_default()),
        options(ProjectStage::ALL.iter().map(|s| s.as_str()), get("stage").as_deref()),
        esc(&get("text").unwrap_or_default()),
    );
    let result = crate::api::registry::project_page(&state, &query, &page).await;
    let body = match result {
        Ok((total, offset, items)) => {
            let rows: Vec<Vec<String>> = items.iter().map(project_row).collect();
            format!(
                "{form}<p class=\"stats\"><span>{} projects match</span> <span>showing {} from {}</span></p>{}",
                num_cell(total as f64, 0, Some("projects-total")),
                rows.len(),
                offset + 1,
                table("project-table", "Projects", PROJECT_HEADERS, &rows)
            )
        }
        Err(err) => format!("{form}<p class=\"error\" data-testid=\"filter-error\">{}</p>", esc(&err.detail)),
    };
    layout("Low-carbon projects", "/projects", &body).into_response()
}

// ---------------------------------------------------------------------------------------------
// Scenarios

/// Refuses a comparison page over the limits of [`crate::limits`] before any run starts: 400,
/// naming the parameter, the value and the limit.
fn check_scenario_page(params: &BTreeMap<String, String>, examples: &str) -> Result<(), String> {
    use crate::limits::{MAX_ANONYMOUS_RUNS, MAX_RUNS_PER_PAGE, MAX_RUNS_PER_REQUEST};
    let listed = |text: &str| text.split(',').map(str::trim).filter(|n| !n.is_empty()).count();
    let count = listed(examples) + params.get("ids").map_or(0, |ids| listed(ids));
    if count > MAX_RUNS_PER_PAGE {
        return Err(format!(
            "examples and ids: found {count} runs, expected at most {MAX_RUNS_PER_PAGE} on one page"
        ));
    }
    if let Some(text) = params.get("bands") {
        // The dashboard is anonymous: its ensembles are at most an anonymous API request's.
        let bands = text.trim().parse::<u64>().ok().filter(|b| (1..=MAX_ANONYMOUS_RUNS).contains(b));
        let Some(bands) = bands else {
            return Err(format!(
                "bands: found {text:?}, expected a number of runs from 1 to {MAX_ANONYMOUS_RUNS}"
            ));
        };
        let total = bands.saturating_mul(count as u64);
        if total > MAX_RUNS_PER_REQUEST {
            return Err(format!(
                "bands: {bands} runs for each of {count} scenarios is {total} runs, expected at most {MAX_RUNS_PER_REQUEST} on one page"
            ));
        }
    }
    Ok(())
}

pub async fn scenarios(State(state): State<AppState>, Query(params): Params) -> Response {
    let mut runs: Vec<Arc<RunResult>> = Vec::new();
    let mut problems = Vec::new();
    let examples = params
        .get("examples")
        .cloned()
        .unwrap_or_else(|| if params.contains_key("ids") { String::new() } else { "net-zero-2050".into() });
    if let Err(detail) = check_scenario_page(&params, &examples) {
        let body = format!("<p class=\"error\" data-testid=\"limit-error\">{}</p>", esc(&detail));
        return (StatusCode::BAD_REQUEST, layout("Pathway scenarios", "/scenarios", &body)).into_response();
    }
    for name in examples.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match example(name) {
            Some(text) => match run_text(&state, text, &format!("example {name}"), None).await {
                Ok(r) => runs.push(r),
                Err(e) => problems.push(e.detail),
            },
            None => problems.push(format!("unknown example {name:?}")),
        }
    }
    for id in params.get("ids").map_or("", String::as_str).split(',').map(str::trim).filter(|n| !n.is_empty())
    {
        match state.scenarios.get(id) {
            Some(r) => runs.push(r),
            None => {
                problems.push(format!("no recent run with id {id:?} (the server keeps recent runs only)"));
            }
        }
    }
    let sector = params.get("sector").cloned().unwrap_or_else(|| "steel".into());
    let mut body = String::new();
    body.push_str(
        "<section class=\"run\"><h2>Run a scenario</h2><p>Start from an example, edit the TOML (docs/scenario-format.md) and run it on the bundled world. \
         Each run is added to the comparison below.</p><label>Example <select id=\"example-select\"><option value=\"\">choose…</option>",
    );
    for (name, _) in EXAMPLES {
        let _ = write!(body, "<option>{name}</option>");
    }
    body.push_str(
        "</select></label><textarea id=\"scenario-text\" rows=\"12\" spellcheck=\"false\" aria-label=\"Scenario TOML\"></textarea>\
         <button type=\"button\" id=\"run-scenario\">Run</button> <span id=\"run-status\" role=\"status\"></span>\
         <pre id=\"scenario-error\" class=\"error\" hidden></pre></section>",
    );
    let _ = write!(body, "<p class=\"links\">Compare examples: ");
    for (name, _) in EXAMPLES {
        let _ = write!(
            body,
            "<a href=\"/scenarios?examples=net-zero-2050,{name}&amp;sector={}\">{name}</a> ",
            esc(&sector)
        );
    }
    body.push_str("</p>");
    for p in &problems {
        let _ = write!(body, "<p class=\"error\">{}</p>", esc(p));
    }
    let ids: Vec<&str> = runs.iter().map(|r| r.id.as_str()).collect();
    let _ = write!(
        body,
        "<div id=\"compare\" data-ids=\"{}\" data-examples=\"{}\">",
        esc(&ids.join(",")),
        esc(&examples)
    );
    // Bands on request: a Monte Carlo ensemble of each run (cached by scenario, runs and seed).
    let mut bands = BTreeMap::new();
    let ensemble_runs = params.get("bands").and_then(|b| b.parse::<u64>().ok());
    if let Some(ensemble_runs) = ensemble_runs {
        for r in &runs {
            match crate::api::scenarios::bands(&state, &r.id, ensemble_runs, None).await {
                Ok(b) => {
                    bands.insert(r.id.clone(), b);
                }
                Err(e) => {
                    let _ = write!(body, "<p class=\"error\">{}</p>", esc(&e.detail));
                }
            }
        }
    } else if !runs.is_empty() {
        let _ = write!(
            body,
            "<p class=\"links\"><a id=\"show-bands\" href=\"/scenarios?ids={}&amp;sector={}&amp;bands={runs}\">Show uncertainty bands ({runs} Monte Carlo runs)</a></p>",
            esc(&ids.join(",")),
            esc(&sector),
            runs = crate::api::scenarios::DEFAULT_RUNS
        );
    }
    if !runs.is_empty() {
        body.push_str(&scenario_charts(&runs, &sector, &bands));
        let by = match params.get("by").map(String::as_str) {
            Some("country") => Some(By::Country),
            Some("owner") => Some(By::Owner),
            _ => None,
        };
        body.push_str(&breakdown_links(&ids, &sector, by));
        if let Some(by) = by {
            for r in &runs {
                match crate::api::scenarios::engine_breakdown(&state, &r.id, by).await {
                    Ok(b) => body.push_str(&breakdown_section(r, &b, &sector)),
                    Err(e) => {
                        let _ = write!(body, "<p class=\"error\">{}</p>", esc(&e.detail));
                    }
                }
            }
        }
    }
    body.push_str("</div>");
    layout("Pathway scenarios", "/scenarios", &body).into_response()
}

/// Groups a breakdown shows by name (the rest in one row), and lines its chart draws.
const BREAKDOWN_TABLE_GROUPS: usize = 15;
const BREAKDOWN_CHART_GROUPS: usize = 8;

fn breakdown_links(ids: &[&str], sector: &str, by: Option<By>) -> String {
    let mut out = String::from("<h2>Results by region, country or owner</h2><p class=\"links\">Show: ");
    for (name, value) in [("regions (above)", ""), ("countries", "country"), ("owners", "owner")] {
        let current = match by {
            Some(By::Country) => "country",
            Some(By::Owner) => "owner",
            _ => "",
        };
        if value == current {
            let _ = write!(out, "<strong>{name}</strong> ");
        } else {
            let by_param = if value.is_empty() { String::new() } else { format!("&amp;by={value}") };
            let _ = write!(
                out,
                "<a id=\"by-{}\" href=\"/scenarios?ids={}&amp;sector={}{by_param}\">{name}</a> ",
                if value.is_empty() { "region" } else { value },
                esc(&ids.join(",")),
                esc(sector)
            );
        }
    }
    out.push_str("</p>");
    out
}

/// A run's chosen sector by country or owner: the largest groups' direct CO2 over the years (a
/// chart) and a table of the largest groups by base-year direct CO2 and the rest, from the run's
/// plants (`decarb_engine::breakdown`).
fn breakdown_section(r: &RunResult, b: &Breakdown, sector: &str) -> String {
    let Ok(sector_id) = sector.parse::<Sector>() else {
        return format!("<p class=\"error\">unknown sector {}</p>", esc(sector));
    };
    let (base, end) = (r.base_year, r.end_year);
    let milestone = 2030.clamp(base, end);
    let by = b.by.as_str();
    let mut body = String::new();
    let chart_groups = b.top_groups(sector_id, base, BREAKDOWN_CHART_GROUPS);
    let mut data = Dataset {
        columns: vec!["run".into(), "year".into(), by.into(), "direct_emissions_mt".into()],
        rows: vec![],
    };
    let series: Vec<Series> = chart_groups
        .iter()
        .map(|g| {
            let points: Vec<(f64, f64)> = b
                .rows
                .iter()
                .filter(|row| row.sector == sector_id && &row.group == g)
                .map(|row| (f64::from(row.year), row.direct_emissions.to_mt()))
                .collect();
            for (y, v) in &points {
                data.rows.push(vec![json!(r.id), json!(y), json!(g), json!(v)]);
            }
            Series { name: group_label(b.by, g), points, ..Series::default() }
        })
        .collect();
    body.push_str(&svg::line_chart(
        &format!("by-{by}-chart-{}", &r.id[..8]),
        &format!("{}: {sector} direct emissions by {by}, the {} largest", run_label(r), chart_groups.len()),
        "Mt CO2",
        "year",
        &series,
        &data,
    ));
    let groups = b.top_groups(sector_id, base, BREAKDOWN_TABLE_GROUPS);
    let at = |year: i32| b.rows_with_rest(sector_id, year, &groups, "rest");
    let (first, mid, last) = (at(base), at(milestone), at(end));
    let direct = |rows: &[decarb_engine::breakdown::GroupRow], group: &str| {
        rows.iter().find(|row| row.group == group).map_or(0.0, |row| row.direct_emissions.to_mt())
    };
    let rows: Vec<Vec<String>> = first
        .iter()
        .map(|row| {
            let testid = format!("by-{by}-{}-{}", &r.id[..8], row.group);
            vec![
                esc(&group_label(b.by, &row.group)),
                num_cell(row.production.to_mt(), 1, None),
                num_cell(row.direct_emissions.to_mt(), 1, Some(&testid)),
                num_cell(direct(&mid, &row.group), 1, None),
                num_cell(direct(&last, &row.group), 1, None),
            ]
        })
        .collect();
    let base_prod = format!("{base} production (Mt)");
    let base_co2 = format!("{base} direct (Mt CO2)");
    let mid_co2 = format!("{milestone} direct (Mt CO2)");
    let end_co2 = format!("{end} direct (Mt CO2)");
    body.push_str(&table(
        &format!("by-{by}-{}", &r.id[..8]),
        &format!(
            "{}: {sector} by {by}, the {} largest by {base} direct emissions and the rest",
            run_label(r),
            groups.len()
        ),
        &[by, &base_prod, &base_co2, &mid_co2, &end_co2],
        &rows,
    ));
    let note = b.note();
    if !note.is_empty() {
        let _ = write!(body, "<p class=\"notice\">{}</p>", esc(&note));
    }
    body
}

fn run_label(r: &RunResult) -> String {
    format!("{} ({})", r.scenario, &r.id[..8])
}

fn scenario_charts(
    runs: &[Arc<RunResult>],
    sector: &str,
    bands: &BTreeMap<String, Arc<crate::api::scenarios::Bands>>,
) -> String {
    let mut body = String::from("<div class=\"grid\">");
    // World direct emissions, all sectors, one line per run.
    let mut series = Vec::new();
    let mut data = Dataset {
        columns: vec![
            "run".into(),
            "scenario".into(),
            "year".into(),
            "direct_emissions_mt".into(),
            "capex_busd".into(),
        ],
        rows: vec![],
    };
    let mut capex = Vec::new();
    for r in runs {
        let mut by_year: BTreeMap<i32, (f64, f64)> = BTreeMap::new();
        for row in r.summary.iter().filter(|row| row.region.is_none()) {
            let e = by_year.entry(row.year).or_default();
            e.0 += row.direct_emissions_t / 1e6;
            e.1 += row.capex_usd / 1e9;
        }
        for (y, (e, c)) in &by_year {
            data.rows.push(vec![json!(r.id), json!(r.scenario), json!(y), json!(e), json!(c)]);
        }
        series.push(Series {
            name: run_label(r),
            points: by_year.iter().map(|(y, v)| (f64::from(*y), v.0)).collect(),
            band: bands.get(&r.id).map_or_else(Vec::new, |b| {
                b.world.iter().map(|row| (f64::from(row.year), row.p5, row.p95)).collect()
            }),
        });
        capex.push(Series {
            name: run_label(r),
            points: by_year.iter().map(|(y, v)| (f64::from(*y), v.1)).collect(),
            ..Series::default()
        });
    }
    body.push_str(&svg::line_chart(
        "emissions",
        "World direct emissions, all sectors",
        "Mt CO2",
        "year",
        &series,
        &data,
    ));
    body.push_str(&svg::line_chart(
        "capex",
        "Investment (capex), all sectors",
        "billion USD",
        "year",
        &capex,
        &data,
    ));

    // Resource demand: one chart per resource, one line per run.
    let resources: BTreeSet<(String, String)> =
        runs.iter().flat_map(|r| r.resources.iter().map(|x| (x.resource.clone(), x.unit.clone()))).collect();
    for (resource, unit) in resources
        .iter()
        .filter(|(name, _)| ["hydrogen", "electricity", "co2_stored", "scrap"].contains(&name.as_str()))
    {
        let mut series = Vec::new();
        let mut data = Dataset {
            columns: vec!["run".into(), "scenario".into(), "year".into(), format!("{resource}_{unit}")],
            rows: vec![],
        };
        for r in runs {
            let mut by_year: BTreeMap<i32, f64> = BTreeMap::new();
            for x in r.resources.iter().filter(|x| &x.resource == resource) {
                *by_year.entry(x.year).or_default() += x.quantity;
            }
            for (y, v) in &by_year {
                data.rows.push(vec![json!(r.id), json!(r.scenario), json!(y), json!(v)]);
            }
            series.push(Series {
                name: run_label(r),
                points: by_year.iter().map(|(y, v)| (f64::from(*y), *v)).collect(),
                ..Series::default()
            });
        }
        body.push_str(&svg::line_chart(
            &format!("resource-{resource}"),
            &format!("Demand: {resource}"),
            unit,
            "year",
            &series,
            &data,
        ));
    }
    body.push_str("</div>");

    // Technology mix of the chosen sector, per run.
    let ids: Vec<&str> = runs.iter().map(|r| r.id.as_str()).collect();
    let _ = write!(body, "<h2>Technology mix: {}</h2><p class=\"links\">Sector: ", esc(sector));
    for s in Sector::ALL {
        let _ = write!(
            body,
            "<a href=\"/scenarios?ids={}&amp;sector={}\">{}</a> ",
            ids.join(","),
            s.as_str(),
            s.as_str()
        );
    }
    body.push_str("</p><div class=\"grid\">");
    for (k, r) in runs.iter().enumerate() {
        let rows: Vec<_> = r.technology_mix.iter().filter(|m| m.sector == sector).collect();
        let years: Vec<i32> = rows.iter().map(|m| m.year).collect::<BTreeSet<_>>().into_iter().collect();
        // Stacked by technology family (one colour each, decarb_chart); the CSV keeps technologies.
        let series: Vec<(String, Vec<f64>)> = decarb_chart::Family::ALL
            .iter()
            .map(|&family| {
                (
                    family.label().to_owned(),
                    years
                        .iter()
                        .map(|y| {
                            rows.iter()
                                .filter(|m| decarb_chart::family_of(&m.technology) == family && m.year == *y)
                                .map(|m| m.production_t / 1e6)
                                .sum()
                        })
                        .collect(),
                )
            })
            .filter(|(_, v): &(String, Vec<f64>)| v.iter().any(|x| *x > 0.0))
            .collect();
        let data = Dataset {
            columns: vec!["run".into(), "year".into(), "technology".into(), "production_mt".into()],
            rows: rows
                .iter()
                .map(|m| vec![json!(r.id), json!(m.year), json!(m.technology), json!(m.production_t / 1e6)])
                .collect(),
        };
        let categories: Vec<String> = years.iter().map(ToString::to_string).collect();
        body.push_str(&svg::stacked_bars(
            &format!("mix-{k}"),
            &format!("{}: production by technology family", run_label(r)),
            "Mt",
            &categories,
            &series,
            &data,
        ));
    }
    body.push_str("</div>");

    // Milestones.
    let mut rows = Vec::new();
    for r in runs {
        for m in &r.milestones {
            rows.push(vec![
                esc(&run_label(r)),
                esc(&m.sector),
                num_cell(m.base_t / 1e6, 1, None),
                m.in_2030_t.map_or_else(|| "–".to_owned(), |v| num_cell(v / 1e6, 1, None)),
                m.change_2030_pct.map_or_else(
                    || "–".to_owned(),
                    |v| num_cell(v, 1, Some(&format!("change-{}-{}", &r.id[..8], m.sector))),
                ),
                num_cell(m.end_t / 1e6, 1, None),
            ]);
        }
    }
    body.push_str(&table(
        "milestones",
        "Direct emissions: base year, 2030 milestone, end year",
        &["run", "sector", "base (Mt CO2)", "2030 (Mt CO2)", "change to 2030 (%)", "end year (Mt CO2)"],
        &rows,
    ));
    if bands.is_empty() {
        body.push_str(
            "<p class=\"notice\">Uncertainty bands: <em>Show uncertainty bands</em> runs each scenario as a Monte Carlo \
             ensemble with the uncertain inputs its <code>[uncertainty]</code> table declares (prices, carbon price, \
             demand, technology availability; docs/scenario-format.md) and shades p5 to p95 of world emissions. A \
             scenario without <code>[uncertainty]</code> varies only the random timing of investments \
             (<code>investment_jitter_years</code>).</p>",
        );
    } else {
        let mut rows = Vec::new();
        for (id, b) in bands {
            let widest = b.world.iter().map(|r| r.p95 - r.p5).fold(0.0f64, f64::max);
            rows.push(vec![
                esc(&format!("{} ({})", b.scenario, &id[..8])),
                b.runs.to_string(),
                esc(&b.varied.join(", ")),
                num_cell(widest, 1, Some(&format!("band-width-{}", &id[..8]))),
                num_cell(b.probability_milestone.probability * 100.0, 0, None),
                num_cell(b.probability_near_zero.probability * 100.0, 0, None),
            ]);
        }
        body.push_str(&table(
            "bands",
            "Uncertainty bands: world direct emissions over a Monte Carlo ensemble",
            &[
                "run",
                "runs",
                "varied",
                "widest p5-p95 range (Mt CO2)",
                "P(cut of at least 25 % by 2030) (%)",
                "P(cut of at least 90 % by the end year) (%)",
            ],
            &rows,
        ));
    }
    body
}

// ---------------------------------------------------------------------------------------------
// CBAM

pub async fn cbam(Query(params): Params) -> Response {
    let get = |k: &str, d: &str| {
        params.get(k).cloned().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| d.to_owned())
    };
    let form = format!(
        "<form class=\"filters\" method=\"get\" id=\"cbam-form\"><label>CN code <input name=\"good\" value=\"{}\"></label> \
         <label>Origin <input name=\"origin\" value=\"{}\"></label> <label>Tonnes <input name=\"tonnes\" value=\"{}\"></label> \
         <label>Year <input name=\"year\" value=\"{}\"></label> <label>Certificate price (EUR) <input name=\"certificate_price\" value=\"{}\" placeholder=\"published\"></label> \
         <label>Actual direct SEE (t/t) <input name=\"see_direct\" value=\"{}\" placeholder=\"default values\"></label> <button>Quote</button></form>",
        esc(&get("good", "7208")),
        esc(&get("origin", "IND")),
        esc(&get("tonnes", "1000")),
        esc(&get("year", "2026")),
        esc(&get("certificate_price", "")),
        esc(&get("see_direct", "")),
    );
    let quote_params = || QuoteParams {
        good: Some(get("good", "7208")),
        origin: Some(get("origin", "IND")),
        tonnes: Some(get("tonnes", "1000")),
        year: get("year", "2026").trim().parse().ok(),
        certificate_price: params.get("certificate_price").cloned().filter(|v| !v.trim().is_empty()),
        see_direct: params.get("see_direct").cloned().filter(|v| !v.trim().is_empty()),
        ..QuoteParams::default()
    };
    if get("year", "2026").trim().parse::<i32>().is_err() {
        let body = format!(
            "{form}<p class=\"error\">year: found {}, expected a year (2026)</p>",
            esc(&format!("{:?}", get("year", "")))
        );
        return layout("CBAM calculator", "/cbam", &body).into_response();
    }
    let mut body = form;
    match crate::api::cbam::quote(ApiQuery(quote_params())).await {
        Ok(axum::Json(q)) => {
            let _ = write!(
                body,
                "<p class=\"stats\"><span>{} {} </span><span>{} {} per tonne</span><span>{} certificates</span></p>",
                format_args!(
                    "<span class=\"num\" data-testid=\"cbam-cost\" data-value=\"{}\">{}</span>",
                    esc(&q.cost),
                    decimal_text(&q.cost)
                ),
                esc(&q.currency),
                format_args!(
                    "<span class=\"num\" data-testid=\"cbam-cost-per-tonne\" data-value=\"{}\">{}</span>",
                    esc(&q.cost_per_tonne),
                    decimal_text(&q.cost_per_tonne)
                ),
                esc(&q.currency),
                format_args!(
                    "<span class=\"num\" data-testid=\"cbam-certificates\" data-value=\"{0}\">{0}</span>",
                    esc(q.certificates.as_deref().unwrap_or(&q.certificates_exact))
                ),
            );
            let rows: Vec<Vec<String>> = q
                .steps
                .iter()
                .map(|s| vec![esc(&s.name), esc(&s.formula), esc(&s.value), esc(&s.unit), esc(&s.basis)])
                .collect();
            body.push_str(&table(
                "cbam-steps",
                &format!("Quote: CN {} from {}, {}, sector {}", q.good, q.origin, q.year, q.sector),
                &["step", "formula", "value", "unit", "basis"],
                &rows,
            ));
            let notes: Vec<Vec<String>> = q.notes.iter().map(|n| vec![esc(&n.kind), esc(&n.text)]).collect();
            body.push_str(&table("cbam-notes", "Notes", &["kind", "note"], &notes));
        }
        Err(err) => {
            let _ = write!(body, "<p class=\"error\" data-testid=\"cbam-error\">{}</p>", esc(&err.detail));
        }
    }
    if let Ok(axum::Json(rows)) = crate::api::cbam::schedule(ApiQuery(quote_params())).await {
        let points: Vec<(f64, f64)> = rows
            .iter()
            .filter_map(|r| Some((f64::from(r.year), r.cost_eur_per_tonne.parse().ok()?)))
            .collect();
        let data = Dataset {
            columns: vec![
                "year".into(),
                "cbam_factor".into(),
                "see_declared".into(),
                "sefa".into(),
                "certificates_per_tonne".into(),
                "price_eur".into(),
                "cost_eur_per_tonne".into(),
            ],
            rows: rows
                .iter()
                .map(|r| {
                    vec![
                        json!(r.year),
                        json!(r.cbam_factor),
                        json!(r.see_declared),
                        json!(r.sefa),
                        json!(r.certificates_per_tonne),
                        json!(r.price_eur),
                        json!(r.cost_eur_per_tonne),
                    ]
                })
                .collect(),
        };
        body.push_str(&svg::line_chart(
            "cbam-schedule",
            "Cost per tonne through the phase-out",
            "EUR/t",
            "year",
            &[Series { name: "cost per tonne".into(), points, ..Series::default() }],
            &data,
        ));
    }
    layout("CBAM calculator", "/cbam", &body).into_response()
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

    #[test]
    fn the_projection_puts_the_corners_at_the_corners() {
        assert_eq!(project(-180.0, 90.0), (0.0, 0.0));
        assert_eq!(project(180.0, -90.0), (960.0, 480.0));
        assert_eq!(project(0.0, 0.0), (480.0, 240.0));
    }
}
