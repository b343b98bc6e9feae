//! The overview page: world totals by sector, capacity by status, members and pledges, the
//! project pipeline and the countries with the largest operating capacity.

use super::page::{error_page, groups, is_operating, layout};
use crate::AppState;
use crate::problem::ApiError;
use crate::queries::{FleetGroup, GroupBy, PlantQuery};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use decarb_brief::view::{self, Dataset, Frame, chart, num_cell};
use decarb_store::{ProjectFilter, RegistryFilter};
use maud::{Markup, html};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};

pub async fn overview(State(state): State<AppState>) -> Response {
    match body(&state).await {
        Ok(body) => layout("Heavy industry at a glance", "/", &body).into_response(),
        Err(err) => error_page(err.status, &err),
    }
}

async fn body(state: &AppState) -> Result<Markup, ApiError> {
    let by_sector_status = groups(state, &PlantQuery::default(), &[GroupBy::Sector, GroupBy::Status]).await?;
    Ok(html! {
        p.lede {
            "Plants of the tracker (latest release), the group's members and pledges, and the pipeline of \
             low-carbon projects. Operating = operating and operating-pre-retirement."
        }
        div.grid { (world_totals(&by_sector_status)) (capacity_by_status(&by_sector_status)) }
        (members(state).await?)
        (pipeline(state).await?)
        (countries(state).await?)
    })
}

/// Sector -> (plants, operating plants, operating capacity t/yr, operating plants without a
/// reported capacity).
fn sector_totals(by_sector_status: &[FleetGroup]) -> BTreeMap<String, (i64, i64, f64, i64)> {
    let mut sectors: BTreeMap<String, (i64, i64, f64, i64)> = BTreeMap::new();
    for g in by_sector_status {
        let entry = sectors.entry(g.keys[0].clone().unwrap_or_default()).or_default();
        entry.0 += g.plants;
        if is_operating(g.keys[1].as_deref()) {
            entry.1 += g.plants;
            entry.2 += g.capacity_tpa;
            entry.3 += g.capacity_unknown;
        }
    }
    sectors
}

fn world_totals(by_sector_status: &[FleetGroup]) -> Markup {
    let rows: Vec<Vec<Markup>> = sector_totals(by_sector_status)
        .iter()
        .map(|(sector, (all, op, cap, unknown))| {
            vec![
                html! { (sector) },
                num_cell(*all as f64, 0, Some(&format!("plants-{sector}"))),
                num_cell(*op as f64, 0, Some(&format!("operating-plants-{sector}"))),
                super::page::capacity_mt(*cap, *op, *unknown, 1, &format!("operating-mtpa-{sector}")),
            ]
        })
        .collect();
    view::data_table(
        "world-totals",
        "World totals by sector",
        &["sector", "plants listed", "operating plants", "operating capacity (Mt/yr)"],
        &rows,
    )
}

/// Capacity by sector and status, stacked.
fn capacity_by_status(by_sector_status: &[FleetGroup]) -> Markup {
    let statuses: BTreeSet<String> = by_sector_status.iter().filter_map(|g| g.keys[1].clone()).collect();
    let categories: Vec<String> = sector_totals(by_sector_status).into_keys().collect();
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
    let frame = Frame::Page {
        id: "capacity-by-status",
        title: "Capacity by sector and status",
        unit: "Mt/yr",
        data: &data,
    };
    chart::stacked(&frame, &categories, &series)
}

async fn members(state: &AppState) -> Result<Markup, ApiError> {
    let members = state.store.members(&RegistryFilter::default()).await?;
    let pledges = state.store.pledges(&RegistryFilter::default()).await?;
    let sources = super::page::sources(state).await?;
    let countries = members.iter().filter(|m| m.kind == "country").count();
    let companies = members.iter().filter(|m| m.kind == "company").count();
    let rows: Vec<Vec<Markup>> = members
        .iter()
        .map(|m| {
            vec![
                html! { (m.name) },
                html! { (m.kind) },
                m.country.as_deref().map_or_else(|| html! { "–" }, view::country_link),
                html! { (m.joined.as_deref().or(m.known_from.as_deref()).unwrap_or("–")) },
                super::page::source_cell(&sources, &m.source),
            ]
        })
        .collect();
    Ok(html! {
        h2 { "Members" }
        p.stats {
            span { (num_cell(members.len() as f64, 0, Some("members-total"))) " " (view::noun(members.len(), "member", "members")) } " "
            span { (num_cell(countries as f64, 0, Some("members-countries"))) " " (view::noun(countries, "country", "countries")) } " "
            span { (num_cell(companies as f64, 0, Some("members-companies"))) " " (view::noun(companies, "company", "companies")) } " "
            span { (num_cell(pledges.len() as f64, 0, Some("pledges-total"))) " " (view::noun(pledges.len(), "pledge", "pledges")) }
        }
        (view::data_table("members", "Members", &["name", "kind", "country", "joined", "source"], &rows))
    })
}

/// The project pipeline by stage.
async fn pipeline(state: &AppState) -> Result<Markup, ApiError> {
    let projects = state.store.projects(&ProjectFilter::default()).await?;
    let mut stages: BTreeMap<String, usize> = BTreeMap::new();
    for p in &projects {
        *stages.entry(p.stage.clone()).or_default() += 1;
    }
    let items: Vec<(String, f64)> = decarb_model::tracker::ProjectStage::NAMES
        .iter()
        .filter_map(|s| stages.get(*s).map(|n| ((*s).to_owned(), *n as f64)))
        .collect();
    let data = Dataset {
        columns: vec!["stage".into(), "projects".into()],
        rows: items.iter().map(|(s, n)| vec![json!(s), json!(n)]).collect(),
    };
    let frame =
        Frame::Page { id: "pipeline", title: "Low-carbon projects by stage", unit: "projects", data: &data };
    Ok(html! {
        h2 { "Project pipeline" }
        p.stats { span { (num_cell(projects.len() as f64, 0, Some("projects-total"))) " " (view::noun(projects.len(), "project", "projects")) } }
        (chart::hbars(&frame, &items))
    })
}

/// Countries by operating capacity (operating as everywhere else on the dashboard, summed by
/// country), the largest 15.
async fn countries(state: &AppState) -> Result<Markup, ApiError> {
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
    let title = "Largest operating capacity (operating, incl. pre-retirement)";
    let frame = Frame::Page { id: "top-countries", title, unit: "Mt/yr", data: &data };
    Ok(html! {
        h2 { "Countries" }
        (chart::hbars(&frame, &items))
        p.links { @for (c, _) in &items { (view::country_link(c)) " " } }
    })
}
