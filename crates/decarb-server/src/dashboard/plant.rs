//! A page for every plant (`/plants/{id}`) and every project (`/projects/{key}`): identity, owner
//! and parent with shares, capacity by route and status (a GIST plant split by status, `KEY` and
//! `KEY~status`, is one site whose slices are shown together as its phases), its history across
//! releases, its next investment point, its own pathway in a chosen scenario (`?scenario=`, the
//! bundled default example unless named; [`super::plant_pathway`]: the bundled world is
//! plant-level, so a GEM or SFI plant of the tracker is one or more units of the run) and, for
//! context, the pathway of its sector in its region. `?as_of=YYYY-MM-DD` shows the page as it
//! was; `.json` and `.csv` (or `?format=json|csv`) download the page's data.
//!
//! The plant's GEM.wiki page, as the newest release gives it, is a link when it is an http or
//! https address; editors' corrections are listed with who, when, why and the source.

use super::page::{Sources, error_page, layout, plant_href, project_href, source_cell, sources};
use crate::AppState;
use crate::api::scenarios::run_text;
use crate::problem::ApiError;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use decarb_brief::view::{self, Dataset, Frame, Series, chart, num_cell};
use decarb_data::{facts, world};
use decarb_engine::start;
use decarb_model::{CountryCode, PlantStatus, Route, Sector};
use decarb_store::{Change, EntityKind, PlantDetail, ProjectRow, SourceRecord, StoreError};
use maud::{Markup, html};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

/// The scenario a page's pathway comes from unless `?scenario=` names another bundled example.
pub const DEFAULT_SCENARIO: &str = decarb_engine::examples::DEFAULT_EXAMPLE;

/// What the page shows, as the JSON download.
#[derive(Debug, Serialize)]
pub struct PlantPage {
    /// The site's key: the store key without family and without a status slice's `~status`.
    pub id: String,
    pub family: String,
    pub name: String,
    pub as_of: Option<String>,
    /// The site's GEM.wiki page (an http or https address), or `null` when no release gave one.
    pub gem_wiki: Option<String>,
    /// Each status slice of the site, the operating one first.
    pub phases: Vec<PlantDetail>,
    pub next_investment: Vec<Investment>,
    pub history: Vec<Change>,
    pub sources: Vec<SourceRecord>,
    /// The plant's own pathway in the scenario: its units in the bundled world.
    pub plant_pathway: super::plant_pathway::OwnPathway,
    /// The pathway of its sector in its region, for context.
    pub pathway: Option<Pathway>,
}

/// When a phase next reinvests by the engine's rule (`decarb_engine::start::next_investment_point`):
/// start year + k x the reinvestment cycle of the technology it starts as, first after the base
/// year (the engine adds a seeded jitter of a few years which the page leaves out).
#[derive(Debug, Serialize)]
pub struct Investment {
    pub key: String,
    pub status: String,
    pub route: String,
    pub start_year: Option<i32>,
    pub technology: Option<String>,
    pub cycle_years: Option<i32>,
    pub next_year: Option<i32>,
    /// Why there is no year, when there is none.
    pub note: Option<String>,
}

/// The pathway of the record's sector in its region.
#[derive(Debug, Serialize)]
pub struct Pathway {
    pub scenario: String,
    pub sector: String,
    pub region: String,
    pub note: String,
    pub rows: Vec<PathwayRow>,
}

#[derive(Debug, Serialize)]
pub struct PathwayRow {
    pub year: i32,
    pub production_t: f64,
    pub capacity_tpa: f64,
    pub direct_emissions_t: f64,
}

/// What the project page shows, as the JSON download.
#[derive(Debug, Serialize)]
pub struct ProjectPage {
    pub key: String,
    pub as_of: Option<String>,
    pub project: ProjectRow,
    pub history: Vec<Change>,
    pub sources: Vec<SourceRecord>,
    pub pathway: Option<Pathway>,
}

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Html,
    Json,
    Csv,
}

/// The format asked for (a `.json`/`.csv` suffix or `?format=`) and the id without the suffix.
fn format_of(id: &str, params: &BTreeMap<String, String>) -> Result<(String, Format), ApiError> {
    for (suffix, format) in [(".json", Format::Json), (".csv", Format::Csv)] {
        if let Some(stem) = id.strip_suffix(suffix) {
            return Ok((stem.to_owned(), format));
        }
    }
    let format = match params.get("format").map(String::as_str) {
        None | Some("" | "html") => Format::Html,
        Some("json") => Format::Json,
        Some("csv") => Format::Csv,
        Some(other) => {
            return Err(ApiError::bad_request(format!("format: {other:?} is not html, json or csv")));
        }
    };
    Ok((id.to_owned(), format))
}

fn param(params: &BTreeMap<String, String>, key: &str) -> Option<String> {
    params.get(key).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

pub async fn plant(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let result = async {
        let (id, format) = format_of(&id, &params)?;
        let scenario = param(&params, "scenario").unwrap_or_else(|| DEFAULT_SCENARIO.to_owned());
        let data = plant_page(&state, &id, param(&params, "as_of").as_deref(), &scenario).await?;
        Ok::<_, ApiError>((data, format, scenario))
    }
    .await;
    match result {
        Ok((data, Format::Json, _)) => download(serde_json::to_string_pretty(&data), "json", &data.id),
        Ok((data, Format::Csv, _)) => download(Ok(plant_csv(&data)), "csv", &data.id),
        Ok((data, Format::Html, scenario)) => {
            let title = data.name.clone();
            layout(&title, "", &plant_html(&data, &scenario)).into_response()
        }
        Err(err) => error_page(err.status, &err),
    }
}

pub async fn project(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> Response {
    let result = async {
        let (key, format) = format_of(&key, &params)?;
        let scenario = param(&params, "scenario").unwrap_or_else(|| DEFAULT_SCENARIO.to_owned());
        let data = project_page(&state, &key, param(&params, "as_of").as_deref(), &scenario).await?;
        Ok::<_, ApiError>((data, format, scenario))
    }
    .await;
    match result {
        Ok((data, Format::Json, _)) => download(serde_json::to_string_pretty(&data), "json", &data.key),
        Ok((data, Format::Csv, _)) => download(Ok(project_csv(&data)), "csv", &data.key),
        Ok((data, Format::Html, scenario)) => {
            let title = data.project.name.clone();
            layout(&title, "/projects", &project_html(&data, &scenario)).into_response()
        }
        Err(err) => error_page(err.status, &err),
    }
}

fn download(body: Result<String, serde_json::Error>, kind: &str, name: &str) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(err) => {
            return error_page(StatusCode::INTERNAL_SERVER_ERROR, &ApiError::internal(err.to_string()));
        }
    };
    let content_type = if kind == "json" { "application/json" } else { "text/csv; charset=utf-8" };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let file: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    if let Ok(value) = HeaderValue::from_str(&format!("inline; filename=\"{file}.{kind}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Every status slice of the site `id` names (its key, a source id, `family/key`, or a slice).
async fn phases(state: &AppState, id: &str, as_of: Option<&str>) -> Result<Vec<PlantDetail>, ApiError> {
    let site = decarb_store::plants::site_key(id);
    let candidates: Vec<String> = std::iter::once(site.to_owned())
        .chain(PlantStatus::ALL.iter().map(|s| decarb_store::plants::slice_key(site, *s)))
        .collect();
    let mut found = Vec::new();
    let mut keys = BTreeSet::new();
    for candidate in &candidates {
        let key = match state.store.resolve_plant_key(candidate).await {
            Ok(key) => key,
            Err(StoreError::NotFound { .. }) => continue,
            Err(err) => return Err(err.into()),
        };
        if !keys.insert(key.clone()) {
            continue;
        }
        match state.store.plant(&key, as_of).await {
            Ok(detail) => found.push(detail),
            // A slice that did not exist yet on `as_of`.
            Err(StoreError::NotFound { .. }) => {}
            Err(err) => return Err(err.into()),
        }
    }
    if found.is_empty() {
        let when = as_of.map_or_else(String::new, |d| format!(" as of {d}"));
        return Err(ApiError::not_found(format!("No plant {id:?}{when} in the tracker.")));
    }
    // Operating phases first, then by capacity.
    found.sort_by(|a, b| {
        let op = |d: &PlantDetail| !super::page::is_operating(Some(&d.row.status));
        op(a)
            .cmp(&op(b))
            .then(b.row.capacity_tpa.unwrap_or(0.0).total_cmp(&a.row.capacity_tpa.unwrap_or(0.0)))
    });
    Ok(found)
}

pub async fn plant_page(
    state: &AppState,
    id: &str,
    as_of: Option<&str>,
    scenario: &str,
) -> Result<PlantPage, ApiError> {
    let phases = phases(state, id, as_of).await?;
    let main = &phases[0].row;
    let site = decarb_store::plants::site_key(&main.key).to_owned();
    let mut history = Vec::new();
    for phase in &phases {
        history.extend(
            state
                .store
                .history(EntityKind::Plant, &format!("{}/{}", phase.row.family, phase.row.key))
                .await?,
        );
    }
    history.sort_by(|a, b| a.valid_from.cmp(&b.valid_from).then(a.recorded_at.cmp(&b.recorded_at)));
    if let Some(date) = as_of {
        history.retain(|c| c.valid_from.as_str() <= date);
    }
    let all_sources = sources(state).await?;
    let used: BTreeSet<&str> = phases.iter().map(|p| p.row.source.as_str()).collect();
    let country = main.country.as_deref().and_then(CountryCode::resolve);
    let plant_pathway = super::plant_pathway::own_pathway(state, &phases, scenario).await?;
    let pathway = match (main.sector.parse::<Sector>(), country) {
        (Ok(sector), Some(country)) => Some(pathway(state, scenario, sector, country).await?),
        _ => None,
    };
    Ok(PlantPage {
        plant_pathway,
        id: site,
        family: main.family.clone(),
        name: main.name.clone(),
        as_of: as_of.map(str::to_owned),
        gem_wiki: phases.iter().find_map(|p| p.gem_wiki.clone()),
        next_investment: phases.iter().map(investment).collect(),
        sources: used.iter().filter_map(|id| all_sources.get(*id).cloned()).collect(),
        history,
        pathway,
        phases,
    })
}

pub async fn project_page(
    state: &AppState,
    key: &str,
    as_of: Option<&str>,
    scenario: &str,
) -> Result<ProjectPage, ApiError> {
    let project = state.store.project(key, as_of).await?;
    let mut history = state.store.history(EntityKind::Project, key).await?;
    if let Some(date) = as_of {
        history.retain(|c| c.valid_from.as_str() <= date);
    }
    let all_sources = sources(state).await?;
    let country = project.country.as_deref().and_then(CountryCode::resolve);
    let pathway = match (project.sector.parse::<Sector>(), country) {
        (Ok(sector), Some(country)) => Some(pathway(state, scenario, sector, country).await?),
        _ => None,
    };
    Ok(ProjectPage {
        key: project.key.clone(),
        as_of: as_of.map(str::to_owned),
        sources: all_sources.get(&project.source).cloned().into_iter().collect(),
        history,
        pathway,
        project,
    })
}

fn year_of(date: Option<&str>) -> Option<i32> {
    date.and_then(|d| d.get(..4)).and_then(|y| y.parse().ok())
}

fn investment(phase: &PlantDetail) -> Investment {
    let row = &phase.row;
    let start_year = year_of(row.start.as_deref());
    let mut out = Investment {
        key: row.key.clone(),
        status: row.status.clone(),
        route: row.route.clone(),
        start_year,
        technology: None,
        cycle_years: None,
        next_year: None,
        note: None,
    };
    if !super::page::is_operating(Some(&row.status)) {
        out.note = Some("not operating: no reinvestment of existing capacity".into());
        return out;
    }
    let (Ok(route), Some(country)) =
        (row.route.parse::<Route>(), row.country.as_deref().and_then(CountryCode::resolve))
    else {
        out.note = Some("route or country unknown".into());
        return out;
    };
    let rules = start::default_start_rules();
    let Some(technology) = start::main_start_technology(&rules, route, country, None)
        .and_then(|id| facts::technology(id.as_str()))
    else {
        out.note = Some("no technology of its own for this route (it never reinvests)".into());
        return out;
    };
    let cycle = decarb_brief::country::whole_years(technology.reinvestment_cycle).max(1);
    out.technology = Some(technology.id.as_str().to_owned());
    out.cycle_years = Some(cycle);
    let Some(start) = start_year else {
        out.note = Some("start year unknown".into());
        return out;
    };
    out.next_year = Some(start::next_investment_point(start.min(world::BASE_YEAR), cycle, world::BASE_YEAR));
    out
}

async fn pathway(
    state: &AppState,
    scenario: &str,
    sector: Sector,
    country: CountryCode,
) -> Result<Pathway, ApiError> {
    let text = decarb_engine::examples::example(scenario)
        .ok_or_else(|| ApiError::not_found(decarb_engine::examples::unknown(scenario)))?;
    let result = run_text(state, text, &format!("example {scenario}"), None).await?;
    let region = country.region().as_str().to_owned();
    let rows = result
        .summary
        .iter()
        .filter(|r| r.region.as_deref() == Some(region.as_str()) && r.sector == sector.as_str())
        .map(|r| PathwayRow {
            year: r.year,
            production_t: r.production_t,
            capacity_tpa: r.capacity_tpa,
            direct_emissions_t: r.direct_emissions_t,
        })
        .collect();
    Ok(Pathway {
        scenario: scenario.to_owned(),
        sector: sector.as_str().to_owned(),
        region: region.clone(),
        note: format!(
            "The pathway of {} in {region}, all its plants together, for context.",
            sector.as_str()
        ),
        rows,
    })
}

fn owners(list: &[decarb_model::Ownership]) -> Markup {
    html! {
        @if list.is_empty() { span.unknown { "unknown" } }
        @for (i, o) in list.iter().enumerate() {
            @if i > 0 { "; " }
            a href={ "/search?q=" (view::url_component(&o.name)) } { (o.name) }
            @if let Some(share) = o.share { " (" (view::num(share * 100.0, 1)) " %)" } @else { " " span.unknown { "(share not reported)" } }
        }
    }
}

fn downloads(base: &str, as_of: Option<&str>) -> Markup {
    let query = as_of.map_or_else(String::new, |d| format!("?as_of={}", view::url_component(d)));
    html! {
        p.downloads {
            "Download this page's data: "
            a href={ (base) ".json" (query) } data-testid="download-json" { "JSON" } " · "
            a href={ (base) ".csv" (query) } data-testid="download-csv" { "CSV" } " · "
            "permalink: " a href={ (base) (query) } { (base) (query) }
        }
    }
}

fn history_table(history: &[Change]) -> Markup {
    let rows: Vec<Vec<Markup>> = history
        .iter()
        .map(|c| {
            vec![
                html! { (c.valid_from) },
                html! { (c.key) },
                html! { (c.field) },
                html! { (view::opt(c.old_value.as_deref())) },
                html! { (view::opt(c.new_value.as_deref())) },
                html! { (c.recorded_by) },
                html! {
                    (view::opt(c.reason.as_deref().or(c.note.as_deref())))
                    @if c.source_url.is_some() { " · " (super::history::source_link(c.source_url.as_deref(), "source")) }
                },
            ]
        })
        .collect();
    html! {
        h2 { "History across releases" }
        p { (view::plural(history.len(), "recorded change", "recorded changes")) "." }
        (view::data_table("history", "Changes", &["valid from", "record", "field", "was", "became", "recorded by", "why"], &rows))
    }
}

/// The choice of scenario (the bundled examples) for a page's pathways.
fn scenario_form(scenario: &str, base: &str) -> Markup {
    html! {
        form.filters method="get" action=(base) {
            label { "Scenario " select name="scenario" {
                (view::options(decarb_engine::examples::EXAMPLES.iter().map(|(name, _)| *name), Some(scenario)))
            } } " " button { "Show" }
        }
    }
}

/// The pathway of the sector in the region, under its own heading with the choice of scenario
/// (`form`: the page's address), or as context under a plant's own pathway (`None`).
fn pathway_html(pathway: Option<&Pathway>, scenario: &str, form: Option<&str>) -> Markup {
    let Some(p) = pathway else {
        return html! { h2 { "Pathway" } p.notice { "No pathway: the sector or the country is not one the engine models." } };
    };
    let series = vec![Series {
        name: format!("{} direct CO2", p.sector),
        points: p.rows.iter().map(|r| (f64::from(r.year), r.direct_emissions_t / 1e6)).collect(),
        ..Series::default()
    }];
    let data = Dataset {
        columns: vec![
            "year".into(),
            "production_mt".into(),
            "capacity_mtpa".into(),
            "direct_emissions_mt".into(),
        ],
        rows: p
            .rows
            .iter()
            .map(|r| {
                vec![
                    json!(r.year),
                    json!(r.production_t / 1e6),
                    json!(r.capacity_tpa / 1e6),
                    json!(r.direct_emissions_t / 1e6),
                ]
            })
            .collect(),
    };
    let title = format!("Direct emissions of {} in {}, {}", p.sector, p.region, p.scenario);
    let frame = Frame::Page { id: "record-pathway", title: &title, unit: "Mt CO2", data: &data };
    let rows: Vec<Vec<Markup>> = p
        .rows
        .iter()
        .filter(|r| r.year % 5 == 0)
        .map(|r| {
            vec![
                html! { (r.year) },
                num_cell(r.production_t / 1e6, 1, None),
                num_cell(r.capacity_tpa / 1e6, 1, None),
                num_cell(r.direct_emissions_t / 1e6, 1, Some(&format!("pathway-{}", r.year))),
            ]
        })
        .collect();
    html! {
        @if let Some(base) = form {
            h2 { "Pathway in " (scenario) }
            (scenario_form(scenario, base))
        } @else {
            h2 { "Its sector in its region, " (scenario) }
        }
        p.notice data-testid="pathway-note" { (p.note) }
        (chart::lines(&frame, "year", &series, &[]))
        (view::data_table("pathway", "Every fifth year", &["year", "production (Mt)", "capacity (Mt/yr)", "direct CO2 (Mt)"], &rows))
    }
}

fn plant_html(page: &PlantPage, scenario: &str) -> Markup {
    let main = &page.phases[0];
    let base = format!("/plants/{}", view::url_component(&page.id));
    let sources: Sources = page.sources.iter().map(|s| (s.id.clone(), s.clone())).collect();
    let phase_rows: Vec<Vec<Markup>> = page
        .phases
        .iter()
        .map(|d| {
            vec![
                html! { (d.row.key) },
                html! { (d.row.status) },
                html! { (d.row.route) },
                view::num_or_unknown(
                    d.row.capacity_tpa.map(|t| t / 1e3),
                    0,
                    Some(&format!("capacity-{}", d.row.key)),
                ),
                html! { (view::opt(d.row.start.as_deref())) },
                source_cell(&sources, &d.row.source),
            ]
        })
        .collect();
    let invest_rows: Vec<Vec<Markup>> = page
        .next_investment
        .iter()
        .map(|i| {
            vec![
                html! { (i.key) },
                html! { (i.status) },
                html! { (i.technology.as_deref().unwrap_or("–")) },
                html! { (view::opt_num(i.start_year)) },
                html! { (view::opt_num(i.cycle_years)) },
                html! { span data-testid={ "next-" (i.key) } { (view::opt_num(i.next_year)) } },
                html! { (i.note.as_deref().unwrap_or("")) },
            ]
        })
        .collect();
    let ids: BTreeSet<String> =
        page.phases.iter().flat_map(|d| d.ids.iter().map(|(s, id, _, _)| format!("{s}: {id}"))).collect();
    let unit_rows: Vec<Vec<Markup>> = page
        .phases
        .iter()
        .flat_map(|d| d.units.iter())
        .map(|u| {
            vec![
                html! { (u.name) },
                html! { (u.kind) },
                html! { (u.status) },
                view::num_or_unknown(u.capacity_tpa.map(|t| t / 1e3), 0, None),
                html! { (view::opt(u.last_relining.as_deref())) },
            ]
        })
        .collect();
    html! {
        dl.identity data-plant=(page.id) {
            dt { "Plant" } dd { (page.id) " (" (page.family) ")" }
            dt { "Sector" } dd { (main.row.sector) }
            dt { "Country" } dd {
                @if let Some(code) = main.row.country.as_deref() { a href={ "/countries/" (code) } { (main.row.country_text) } } @else { (main.row.country_text) }
                @if let Some(s) = main.subnational.as_deref() { ", " (s) }
            }
            dt { "Ids" } dd { @for (i, id) in ids.iter().enumerate() { @if i > 0 { "; " } (id) } }
            dt { "Owner" } dd data-testid="owners" { (owners(&main.owners)) }
            dt { "Parent" } dd data-testid="parents" { (owners(&main.parents)) }
            @if let Some((lat, lon)) = main.coordinates { dt { "Location" } dd { (view::num(lat, 4)) ", " (view::num(lon, 4)) " · " a href="/map" { "map" } } }
            dt { "GEM.wiki" }
            @match page.gem_wiki.as_deref() {
                Some(url) => dd { (super::history::source_link(Some(url), "GEM.wiki page")) },
                None => dd.unknown { "unknown: no release gave a GEM.wiki page" },
            }
            @if let Some(d) = page.as_of.as_deref() { dt { "As of" } dd { (d) } }
        }
        (downloads(&base, page.as_of.as_deref()))
        h2 { "Capacity by route and status" }
        p { (view::plural(page.phases.len(), "phase", "phases")) " of one site (GEM lists a site once per status)." }
        (view::data_table("phases", "Phases", &["record", "status", "route", "capacity (kt/yr)", "start", "source"], &phase_rows))
        (correct_links(&page.phases))
        @if !unit_rows.is_empty() {
            (view::data_table("units", "Furnace units", &["unit", "kind", "status", "capacity (kt/yr)", "last relining"], &unit_rows))
        }
        h2 { "Next investment point" }
        p { "The engine's rule: start year + k x the reinvestment cycle of the technology the phase starts as, the first after the base year "
            (world::BASE_YEAR) " (the engine adds a seeded jitter of a few years, left out here)." }
        (view::data_table("investment", "Next investment", &["record", "status", "technology", "start", "cycle (years)", "next", "note"], &invest_rows))
        (history_table(&page.history))
        (corrections_table(&page.phases))
        (scenario_form(scenario, &base))
        (super::plant_pathway::html(&page.plant_pathway))
        (pathway_html(page.pathway.as_ref(), scenario, None))
    }
}

/// For a signed-in contributor or editor: each phase's correction form and history.
fn correct_links(phases: &[PlantDetail]) -> Markup {
    html! {
        @if super::session::current_writer().is_some() {
            ul.edit-links data-testid="correct-links" {
                @for d in phases {
                    @let key = format!("{}/{}", d.row.family, d.row.key);
                    li {
                        a href={ "/edit/plants?key=" (view::url_component(&key)) } { "Correct or retire " (d.row.key) }
                        " · " a href={ "/history/plants/" (view::url_component(&key)) } { "history" }
                    }
                }
            }
        }
    }
}

/// Editors' corrections of the site's records, with who, when, why and the source, and what
/// the tracker's file gave; none shows nothing.
fn corrections_table(phases: &[PlantDetail]) -> Markup {
    let rows: Vec<Vec<Markup>> = phases
        .iter()
        .flat_map(|d| d.corrections.iter().map(move |c| (d.row.key.as_str(), c)))
        .map(|(key, c)| {
            vec![
                html! { (c.valid_from) },
                html! { (key) },
                html! { (c.field) },
                html! { (view::opt(c.value.as_deref())) },
                html! { (view::opt(c.file_value.as_deref())) },
                html! { (c.recorded_by) @if let Some(a) = c.approved_by.as_deref() { " (approved by " (a) ")" } },
                html! { (c.reason) },
                html! { (super::history::source_link(c.source_url.as_deref(), "")) },
                html! { @if c.in_force { "in force" } @else { "ended: " (c.ended_by.as_deref().unwrap_or("")) } },
            ]
        })
        .collect();
    html! {
        @if !rows.is_empty() {
            h2 { "Corrections" }
            p { "An editor's correction stands while later releases give the value it corrected; a release giving another value ends it." }
            (view::data_table("corrections", "Corrections", &["valid from", "record", "field", "corrected to", "the file gave", "by", "why", "source", "status"], &rows))
        }
    }
}

fn project_html(page: &ProjectPage, scenario: &str) -> Markup {
    let p = &page.project;
    let base = project_href(&p.key);
    let sources: Sources = page.sources.iter().map(|s| (s.id.clone(), s.clone())).collect();
    let list = |names: &[String]| -> Markup {
        html! {
            @if names.is_empty() { span.unknown { "unknown" } }
            @for (i, n) in names.iter().enumerate() { @if i > 0 { "; " } a href={ "/search?q=" (view::url_component(n)) } { (n) } }
        }
    };
    html! {
        dl.identity data-project=(p.key) {
            dt { "Project" } dd { (p.key) }
            dt { "Sector" } dd { (p.sector) " · " (p.technology) }
            dt { "Country" } dd {
                @if let Some(code) = p.country.as_deref() { a href={ "/countries/" (code) } { (p.country_text) } } @else { (p.country_text) }
                @if let Some(s) = p.site.as_deref() { ", " (s) }
            }
            dt { "Companies" } dd data-testid="companies" { (list(&p.companies)) }
            dt { "Partners" } dd { (list(&p.partners)) }
            dt { "Stage" } dd { (p.stage) @if let Some(raw) = p.stage_raw.as_deref() { " (" (raw) ")" } }
            dt { "Capacity" } dd data-testid="project-capacity" {
                @if let (Some(v), Some(u)) = (p.capacity_value, p.capacity_unit.as_deref()) { (view::num_cell(v, 2, None)) " " (u) } @else { "unknown" }
            }
            dt { "Announced" } dd { (view::opt(p.announced.as_deref())) }
            dt { "Final investment decision" } dd { (view::opt(p.fid.as_deref())) }
            dt { "Start" } dd { (view::opt(p.start.as_deref())) }
            dt { "Investment" } dd {
                @if let Some(v) = p.investment_value { (view::num_cell(v, 0, None)) " " (p.investment_currency.as_deref().unwrap_or("")) } @else { "unknown" }
            }
            @if let Some(gem) = p.gem_plant_id.as_deref() { dt { "Plant" } dd { a href=(plant_href(gem)) { (gem) } } }
            @if let Some(prog) = p.parent_programme.as_deref() { dt { "Programme" } dd { (prog) } }
            @if let Some(notes) = p.notes.as_deref() { dt { "Notes" } dd { (notes) } }
            dt { "Source" } dd { (source_cell(&sources, &p.source)) }
            @if let Some(d) = page.as_of.as_deref() { dt { "As of" } dd { (d) } }
        }
        (downloads(&base, page.as_of.as_deref()))
        (history_table(&page.history))
        (pathway_html(page.pathway.as_ref(), scenario, Some(&base)))
    }
}

/// Tidy CSV of a page: one row per fact (`section,record,field,value`), at full precision.
fn csv_text(rows: &[[String; 4]]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["section", "record", "field", "value"]);
    for row in rows {
        let _ = writer.write_record(row);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn push(
    rows: &mut Vec<[String; 4]>,
    section: &str,
    record: &str,
    field: &str,
    value: &dyn std::fmt::Display,
) {
    rows.push([section.to_owned(), record.to_owned(), field.to_owned(), value.to_string()]);
}

fn opt_text<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "unknown".to_owned(), |v| v.to_string())
}

fn history_csv(rows: &mut Vec<[String; 4]>, history: &[Change]) {
    for c in history {
        let what = format!("{} {}", c.valid_from, c.field);
        push(
            rows,
            "history",
            &c.key,
            &what,
            &format!("{} -> {}", c.old_value.as_deref().unwrap_or(""), c.new_value.as_deref().unwrap_or("")),
        );
    }
}

fn pathway_csv(rows: &mut Vec<[String; 4]>, pathway: Option<&Pathway>) {
    if let Some(p) = pathway {
        let record = format!("{} {} {}", p.scenario, p.region, p.sector);
        for r in &p.rows {
            push(rows, "pathway", &record, &format!("{} production_t", r.year), &r.production_t);
            push(rows, "pathway", &record, &format!("{} capacity_tpa", r.year), &r.capacity_tpa);
            push(rows, "pathway", &record, &format!("{} direct_emissions_t", r.year), &r.direct_emissions_t);
        }
    }
}

pub fn plant_csv(page: &PlantPage) -> String {
    let mut rows = Vec::new();
    push(&mut rows, "identity", &page.id, "name", &page.name);
    push(&mut rows, "identity", &page.id, "family", &page.family);
    for d in &page.phases {
        let key = &d.row.key;
        push(&mut rows, "phase", key, "status", &d.row.status);
        push(&mut rows, "phase", key, "route", &d.row.route);
        push(&mut rows, "phase", key, "capacity_tpa", &opt_text(d.row.capacity_tpa));
        push(&mut rows, "phase", key, "country", &d.row.country.as_deref().unwrap_or(&d.row.country_text));
        push(&mut rows, "phase", key, "start", &opt_text(d.row.start.as_deref()));
        push(&mut rows, "phase", key, "source", &d.row.source);
        for o in &d.owners {
            push(&mut rows, "owner", key, &o.name, &opt_text(o.share));
        }
        for o in &d.parents {
            push(&mut rows, "parent", key, &o.name, &opt_text(o.share));
        }
    }
    for i in &page.next_investment {
        push(&mut rows, "next_investment", &i.key, "next_year", &opt_text(i.next_year));
    }
    history_csv(&mut rows, &page.history);
    super::plant_pathway::csv_rows(&page.plant_pathway, &mut |section, record, field, value| {
        push(&mut rows, section, record, field, value);
    });
    pathway_csv(&mut rows, page.pathway.as_ref());
    csv_text(&rows)
}

pub fn project_csv(page: &ProjectPage) -> String {
    let p = &page.project;
    let mut rows = Vec::new();
    for (field, value) in [
        ("name", Some(p.name.clone())),
        ("sector", Some(p.sector.clone())),
        ("technology", Some(p.technology.clone())),
        ("country", Some(p.country.clone().unwrap_or_else(|| p.country_text.clone()))),
        ("stage", Some(p.stage.clone())),
        ("capacity_value", p.capacity_value.map(|v| v.to_string())),
        ("capacity_unit", p.capacity_unit.clone()),
        ("start", p.start.clone()),
        ("companies", Some(p.companies.join("; "))),
        ("source", Some(p.source.clone())),
    ] {
        push(&mut rows, "identity", &p.key, field, &opt_text(value));
    }
    history_csv(&mut rows, &page.history);
    pathway_csv(&mut rows, page.pathway.as_ref());
    csv_text(&rows)
}
